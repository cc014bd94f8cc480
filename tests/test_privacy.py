"""Pseudonymisation (HMAC codes) and small-number suppression."""

from __future__ import annotations

import hashlib
import hmac
import re

import numpy as np
import pandas as pd
import pytest

import senatenet as sn
from senatenet.errors import InputError
from senatenet.privacy import (
    key_fingerprint,
    load_key,
    pseudonym,
    pseudonym_map,
    pseudonymise,
    scrub_text,
    suppress_blocks,
    suppress_small,
    write_key,
)

KEY = b"test key: not secret, long enough"
CODE = re.compile(r"^P-[0-9A-F]{6}$")


def _hmac_code(person_id: str, key: bytes, length: int = 6) -> str:
    # The definition, computed independently: HMAC-SHA256 over a domain prefix
    # plus the id's UTF-8 bytes, upper-case hex, truncated.
    msg = b"senatenet/person/v1\x00" + person_id.encode("utf-8")
    return "P-" + hmac.new(key, msg, hashlib.sha256).hexdigest().upper()[:length]


def test_pseudonym_is_the_keyed_hmac_of_the_id_as_text():
    for pid in ("S01", "007", "7", "NA", "Zoë"):
        assert pseudonym(pid, KEY) == _hmac_code(pid, KEY)
        assert CODE.match(pseudonym(pid, KEY))
    assert pseudonym("007", KEY) != pseudonym("7", KEY)
    assert pseudonym("S01", KEY) != pseudonym("S01", KEY + b"x")
    assert pseudonym("S01", KEY.decode()) == pseudonym("S01", KEY)
    assert (
        pseudonym("S01", KEY, length=10, prefix="ID")
        == "ID" + _hmac_code("S01", KEY, 10)[2:]
    )


def test_short_key_and_bad_length_are_refused():
    with pytest.raises(InputError, match="at least 16 bytes"):
        pseudonym("S01", b"short")
    with pytest.raises(ValueError, match="length"):
        pseudonym("S01", KEY, length=2)


def test_pseudonym_map_is_unique_and_lengthens_only_collisions():
    ids = [f"id{i}" for i in range(3000)]
    codes = pseudonym_map(ids, KEY, length=4)
    assert list(codes) == ids
    assert len(set(codes.values())) == len(ids)
    short = [p for p, c in codes.items() if len(c) == 2 + 4]
    longer = [p for p, c in codes.items() if len(c) > 2 + 4]
    # 3000 ids in 16**4 codes: collisions are certain (birthday bound ~ 68).
    assert longer, "expected some 4-digit collisions among 3000 ids"
    for p in short:
        assert codes[p] == _hmac_code(p, KEY, 4)
    for p in longer:
        assert codes[p] == _hmac_code(p, KEY, len(codes[p]) - 2)
        # a lengthened code collided at 4 digits with another id
        assert any(
            _hmac_code(q, KEY, 4) == _hmac_code(p, KEY, 4) for q in ids if q != p
        )


def test_load_key_strips_whitespace_and_reports_problems(tmp_path):
    path = tmp_path / "key.txt"
    path.write_bytes(b"  0123456789abcdef-secret\r\n")
    assert load_key(path) == b"0123456789abcdef-secret"
    path.write_text("short\n")
    with pytest.raises(InputError, match="at least 16") as err:
        load_key(path)
    assert err.value.file == str(path)
    with pytest.raises(InputError, match="not found"):
        load_key(tmp_path / "missing.txt")


def test_write_key_makes_a_random_key_and_never_overwrites(tmp_path):
    a = write_key(tmp_path / "a.key")
    b = write_key(tmp_path / "b.key")
    assert load_key(a) != load_key(b)
    assert re.fullmatch(r"[0-9a-f]{64}", load_key(a).decode())
    before = a.read_bytes()
    with pytest.raises(InputError, match="already exists"):
        write_key(a)
    assert a.read_bytes() == before


def test_key_fingerprint_is_stable_and_does_not_reveal_the_key():
    fp = key_fingerprint(KEY)
    assert fp == key_fingerprint(KEY) and re.fullmatch(r"[0-9A-F]{12}", fp)
    assert fp != key_fingerprint(KEY + b"!")
    assert fp.lower() not in KEY.hex() and fp not in KEY.decode()


def test_scrub_text_replaces_whole_words_longest_first():
    repl = {"Ann Lee": "P-1", "Ann Leeming": "P-2", "S1": "P-1"}
    assert scrub_text("S1 (Ann Lee) named Ann Leeming, not S10", repl) == (
        "P-1 (P-1) named P-2, not S10"
    )
    assert scrub_text(None, repl) is None
    assert scrub_text(3.5, repl) == 3.5


# ---- pseudonymise a survey ----------------------------------------------


@pytest.fixture
def small_survey():
    roster = pd.DataFrame(
        {
            "person_id": ["007", "NA", "x3", "x4"],
            "name": ["Ada Quillfeather", "Bram Oswin", "Cleo Marsh", "Dev Tanaka"],
            "organisation": ["North Trust", "North Trust", "South CCG", "South CCG"],
            "role": [
                "medical director",
                "clinical lead",
                "clinical chair",
                "clinical lead",
            ],
            "email": [
                "ada@example.nhs",
                "bram@example.nhs",
                "cleo@example.nhs",
                "dev@x",
            ],
        }
    )
    ties = pd.DataFrame(
        {
            "wave": ["pre", "pre", "post", "post", "post", "post"],
            # names as written by respondents, one unknown (misspelt) alter
            "respondent": ["007", "Bram Oswin", "007", "x3", "NA", "x4"],
            "alter": [
                "NA",
                "007",
                "x3",
                "Ada Quillfeather",
                "Cleo Marsh",
                "Ada Quilfeather",
            ],
            "relation": ["advice"] * 6,
        }
    )
    resp = pd.DataFrame(
        {
            "wave": ["pre", "pre", "post", "post", "post", "post"],
            "person_id": ["007", "NA", "007", "x3", "NA", "x4"],
        }
    )
    return sn.read_survey(roster, ties, respondents=resp)


def _all_text(survey) -> str:
    parts = [
        survey.people.to_csv(),
        survey.ties.to_csv(),
        survey.respondents.to_csv(),
        survey.validation.to_csv(),
        repr(survey.sources),
    ]
    return "\n".join(parts)


def test_pseudonymise_removes_every_name_and_id(small_survey):
    names = small_survey.people["name"].tolist()
    assert "Ada Quilfeather" in _all_text(
        small_survey
    )  # the misspelt alter is reported
    p = pseudonymise(small_survey, KEY)
    text = _all_text(p)
    for name in [*names, "Ada Quilfeather", "Quillfeather", "Oswin", "example.nhs"]:
        assert name not in text
    for pid in ("007", "x3", "x4"):
        assert not re.search(rf"(?<!\w){pid}(?!\w)", text)
    assert "email" not in p.people.columns
    assert p.people["role"].tolist() == small_survey.people["role"].tolist()
    assert (
        p.people["organisation"].tolist()
        == small_survey.people["organisation"].tolist()
    )
    codes = [_hmac_code(pid, KEY) for pid in small_survey.people.index]
    assert p.people.index.tolist() == codes
    assert p.people["name"].tolist() == codes


def test_redacted_values_are_redacted_in_messages_too(small_survey):
    # a problem message quoting a misspelt name must not leak it
    v = small_survey.validation.copy()
    v.loc[len(v)] = [
        "warning",
        "ties",
        9,
        "alter",
        "Dev Tanakka",
        "'Dev Tanakka' is not on the roster; did you mean 'Dev Tanaka'?",
        "dropped",
        *([None] * (len(v.columns) - 7)),
    ]
    survey = small_survey.replace(validation=v)
    text = pseudonymise(survey, KEY).validation.to_csv()
    assert "Tanak" not in text
    assert f"did you mean '{_hmac_code('x4', KEY)}'" in text


def test_pseudonymise_keeps_the_network_and_is_stable_across_waves(small_survey):
    p = pseudonymise(small_survey, KEY)
    q = pseudonymise(small_survey, KEY)
    code = {pid: _hmac_code(pid, KEY) for pid in small_survey.people.index}
    for wave in small_survey.waves:
        G, H = small_survey.person_graph(wave), p.person_graph(wave)
        assert sorted(H.edges()) == sorted((code[u], code[v]) for u, v in G.edges())
        assert sorted(p.responded(wave)) == sorted(
            code[x] for x in small_survey.responded(wave)
        )
    pd.testing.assert_frame_equal(p.ties, q.ties)
    # the same person has the same code in both waves
    pre = set(p.ties.loc[p.ties["wave"] == "pre", "respondent"])
    post = set(p.ties.loc[p.ties["wave"] == "post", "respondent"])
    assert code["007"] in pre and code["007"] in post


def test_pseudonymise_does_not_change_the_callers_survey(small_survey):
    people = small_survey.people.copy()
    ties = small_survey.ties.copy()
    validation = small_survey.validation.copy()
    pseudonymise(small_survey, KEY)
    pd.testing.assert_frame_equal(small_survey.people, people)
    pd.testing.assert_frame_equal(small_survey.ties, ties)
    pd.testing.assert_frame_equal(small_survey.validation, validation)


# ---- suppression --------------------------------------------------------


def test_suppress_small_hides_rows_below_k_and_keeps_the_input():
    t = pd.DataFrame(
        {
            "organisation": ["A", "B", "C"],
            "people": [8, 4, 5],
            "respondents": [6, 4, 2],
            "response_rate": [0.75, 1.0, 0.4],
        }
    )
    original = t.copy()
    out = suppress_small(t, 5)
    assert out["suppressed"].tolist() == [False, True, False]
    assert out.loc[1, ["people", "respondents", "response_rate"]].isna().all()
    assert out.loc[0, "response_rate"] == 0.75 and out.loc[2, "people"] == 5
    assert out.loc[1, "organisation"] == "B"
    pd.testing.assert_frame_equal(t, original)
    # no threshold: nothing hidden, but the column is there
    none = suppress_small(t, None)
    assert not none["suppressed"].any()
    pd.testing.assert_frame_equal(none.drop(columns="suppressed"), t)
    # only the named columns
    only = suppress_small(t, 5, columns=["response_rate"])
    assert only.loc[1, "people"] == 4 and np.isnan(only.loc[1, "response_rate"])
    with pytest.raises(InputError, match="people"):
        suppress_small(t.drop(columns="people"), 5)


def test_suppress_blocks_hides_every_cell_touching_a_small_organisation():
    orgs = ["A", "B", "C"]
    b = pd.DataFrame(
        np.arange(9, dtype=float).reshape(3, 3) / 10, index=orgs, columns=orgs
    )
    out = suppress_blocks(b, {"A": 6, "B": 2, "C": 5}, 5)
    hidden = out.isna().to_numpy()
    expected = np.array([[0, 1, 0], [1, 1, 1], [0, 1, 0]], bool)
    assert (hidden == expected).all()
    assert out.loc["A", "C"] == b.loc["A", "C"]
    assert not b.isna().any().any()
    assert not suppress_blocks(b, {"A": 1, "B": 1, "C": 1}, None).isna().any().any()
