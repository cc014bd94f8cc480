"""Real public files read tie for tie (tests/fixtures/real/, see SOURCES.md).

Kept files (licences that allow redistribution: MIT, BSD) are read by senatenet
and by the reference readers of tests/real_reference.py, which share no code
with senatenet and are themselves checked against networkx's Pajek reader and
against the same data set published in the other format. Files whose licence
does not allow us to ship them (GPL, CC BY-NC-SA, none stated) are described
in FACTS.csv (source, commit, sha256, people, ties per layer, what is not
kept); with ``SENATENET_REAL_CORPUS`` pointing at a folder holding them as
``<owner>+<repo>/<path>`` they are read and checked too.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import os
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from real_reference import expected, ref_dl, ref_pajek

import senatenet as sn
from senatenet.errors import InputError

REAL = Path(__file__).parent / "fixtures" / "real"
NETWORK_SUFFIXES = (".net", ".paj", ".dat", ".dl")
KEPT = sorted(p for p in REAL.rglob("*") if p.suffix.lower() in NETWORK_SUFFIXES)
DATA = sorted(p for p in REAL.rglob("*") if p.is_file() and p.parent != REAL
              and not p.name.startswith("LICENSE"))
FACTS = list(csv.DictReader((REAL / "FACTS.csv").open(encoding="utf-8")))
CORPUS = os.environ.get("SENATENET_REAL_CORPUS")


def _text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def _is_dl(path: Path) -> bool:
    return path.suffix.lower() in (".dat", ".dl")


def _ref(path: Path):
    return ref_dl(_text(path)) if _is_dl(path) else ref_pajek(_text(path))


@functools.cache  # each file read once per session (never mutated)
def _read(path: Path):
    if _is_dl(path):
        return sn.read_ucinet_dl(path, matrices_as="relations")
    return sn.read_pajek(path)


def _assert_read_as_reference_says(path: Path, ref) -> None:
    """senatenet's Survey holds exactly the ties the reference reader expects."""
    exp = expected(ref)
    s = _read(path)
    assert len(s.relations) == len(ref.layers)
    for k, name in enumerate(ref.layers):
        relation = s.relations[k]
        if name is not None:
            assert relation == name
        sel = s.ties[s.ties["relation"] == relation]
        got = dict(zip(zip(sel["respondent"], sel["alter"], strict=True), sel["strength"],
                       strict=True))
        assert got == pytest.approx(exp["ties"][k]), relation
    checks = list(s.validation["check"])
    for check in ("self_nomination", "negative_strength", "duplicate_nomination"):
        assert checks.count(check) == exp[check], check
    assert set(s.people.index) == exp["people"]


def _two_mode_refused(path: Path) -> None:
    with pytest.raises(InputError) as err:
        _read(path)
    text = str(err.value)
    assert path.name in text and "two-mode" in text and "projected to one mode" in text


# ------------------------------------------------------------------ kept files

def test_every_kept_file_has_its_source_commit_and_licence():
    sources = (REAL / "SOURCES.md").read_text(encoding="utf-8")
    for path in DATA:
        rel = path.relative_to(REAL).as_posix()
        assert f"| {rel} |" in sources, rel
        assert any(p.name.startswith("LICENSE") for p in path.parent.iterdir()), rel
    assert len(DATA) >= 16


@pytest.mark.parametrize("path", KEPT, ids=lambda p: p.relative_to(REAL).as_posix())
def test_kept_file_read_tie_for_tie_or_refused_as_two_mode(path):
    ref = _ref(path)
    if ref.two_mode:
        _two_mode_refused(path)
    else:
        _assert_read_as_reference_says(path, ref)


def test_corpus_holds_one_mode_and_two_mode_files_of_both_formats():
    kinds = {(_is_dl(p), bool(_ref(p).two_mode)) for p in KEPT}
    assert (True, False) in kinds and (False, False) in kinds and (False, True) in kinds


@pytest.mark.parametrize("name, reader", [("manynet/adols.net", "igraph"),
                                          ("manynet/adols.paj", "igraph"),
                                          ("networkx/tralala.net", "igraph"),
                                          ("networkx/tralala.net", "networkx")])
def test_reference_reader_agrees_with_igraph_and_networkx(name, reader):
    """The pairs the reference reader finds are those igraph / networkx find.

    (They cannot read the other kept files: ``*Nodes``, ``*Arcs :k`` sections
    or a *Vertices line without vertex lines.)"""
    path = REAL / name
    if reader == "igraph":
        ig = pytest.importorskip("igraph")
        g = ig.Graph.Read_Pajek(str(path))
        attrs = g.vs.attributes()
        names = [str(x) for x in (g.vs["id"] if "id" in attrs else g.vs["name"] if "name"
                                  in attrs else range(1, g.vcount() + 1))]
        edges, directed = [(names[e.source], names[e.target]) for e in g.es], g.is_directed()
    else:
        G = nx.read_pajek(path)
        edges, directed = [(str(u), str(v)) for u, v in G.edges()], G.is_directed()
    want = set(edges) | (set() if directed else {(b, a) for a, b in edges})
    assert {(a, b) for _, a, b, _ in _ref(path).cells} == want


def test_same_data_set_in_dl_and_pajek_gives_the_same_survey():
    # netdiffuseR ships Sampson's monastery data as UCINET DL and as Pajek
    dl = _read(REAL / "netdiffuser" / "SAMPSON.DAT")
    paj = _read(REAL / "netdiffuser" / "SAMPSON.NET")
    assert dl.relations == paj.relations
    assert len(dl.relations) == 10 and len(dl.people) == 18
    cols = ["respondent", "alter", "relation", "strength"]
    assert (dl.ties[cols].sort_values(cols).reset_index(drop=True)
            .equals(paj.ties[cols].sort_values(cols).reset_index(drop=True)))


def test_kinship_relations_are_named_and_the_empty_one_kept():
    s = _read(REAL / "graphio" / "kinship.net")
    assert s.relations == ("Father", "Mother", "Spouse")
    assert "empty_relation" in set(s.validation["check"])
    assert len(s.ties[s.ties["relation"] == "Spouse"]) == 4  # two edges, both ways


def test_jung_nodes_spelling_is_read_and_reported():
    s = _read(REAL / "jung" / "zachary.net")
    assert len(s.people) == 34 and len(s.ties) == 2 * 78  # Zachary (1977): 78 edges
    assert "pajek_dialect" in set(s.validation["check"])


def test_arc_values_and_drawing_keywords_are_told_apart():
    # tralala.net (the Pajek manual's drawing example): values 1 and -1 followed by
    # drawing keywords; the negative arcs and the loops each have a line
    s = _read(REAL / "networkx" / "tralala.net")
    assert sorted(zip(s.ties["respondent"], s.ties["alter"], strict=True)) == [
        ("A1", "Bb"), ("A1", "C"), ("Bb", "A1"), ("C", "D2")]
    checks = list(s.validation["check"])
    assert checks.count("negative_strength") == 2 and checks.count("self_nomination") == 1


def test_unlabelled_rows_of_a_real_matrix_are_refused_saying_what_is_needed():
    # manynet's test_matrix.csv labels its columns only; row 2 starts with a number
    with pytest.raises(InputError) as err:
        sn.read_adjacency_matrix(REAL / "manynet" / "test_matrix.csv")
    text = str(err.value)
    assert "test_matrix.csv" in text and "column A" in text and "row labels" in text


def test_read_ties_give_the_weighted_degrees_netdiffuser_published():
    # SAMPSON_W_DEGREE.vec (netdiffuseR): each monk's weighted degree, in + out over
    # the ten relations of SAMPSON.NET, one value per vertex in vertex order
    values = (REAL / "netdiffuser" / "SAMPSON_W_DEGREE.vec").read_text().split()
    assert values[:2] == ["*Vertices", "18"]
    s = _read(REAL / "netdiffuser" / "SAMPSON.NET")
    out = s.ties.groupby("respondent")["strength"].sum()
    into = s.ties.groupby("alter")["strength"].sum()
    order = _ref(REAL / "netdiffuser" / "SAMPSON.NET").labels
    degree = [out.get(p, 0.0) + into.get(p, 0.0) for p in order]
    assert degree == [float(v) for v in values[2:]]


# ------------------------------------------------------------------ Qualtrics exports

@pytest.mark.parametrize("name, column", [("sample.csv", "ResponseId"),
                                          ("sample_legacy.csv", "V1")])
def test_real_qualtrics_exports_keep_their_first_respondent(name, column):
    # qualtRics' sample exports: the current one (3 header rows) and the legacy one
    # (2 header rows, no ImportId row); the only respondent answered Q1 with 2
    roster = pd.DataFrame({"person_id": ["R_2YPOQ602ER1jkf1", "p2"],
                           "name": ["R_2YPOQ602ER1jkf1", "Pat"],
                           "organisation": ["A", "B"]})
    s = sn.read_wide_survey(REAL / "qualtrics" / name, roster=roster,
                            respondent_column=column, alter_columns={"Q1": "p2"},
                            wave="1")
    assert s.ties[["respondent", "alter", "strength"]].values.tolist() == [
        ["R_2YPOQ602ER1jkf1", "p2", 2.0]]


# ------------------------------------------------------------------ facts only

def test_facts_record_source_commit_licence_and_hash_of_each_file_not_kept():
    assert len(FACTS) >= 150
    for row in FACTS:
        assert row["repo"].count("/") == 1 and len(row["commit"]) == 40
        assert len(row["sha256"]) == 64 and row["licence"]
        # kept only when the licence allows redistribution; these do not
        assert not row["licence"].startswith(("MIT", "BSD", "Apache", "CC0", "CC-BY-4"))
        if row["mode"] == "one-mode":
            assert int(row["people"]) > 0 and len(row["ties"].split(";")) == int(row["layers"])


# Without a local copy of the files not kept, one skipped case stands for all.
_NOT_KEPT = FACTS if CORPUS else [None]


@pytest.mark.parametrize(
    "row", _NOT_KEPT, ids=lambda r: f"{r['repo']}:{r['path']}" if r else "corpus"
)
def test_file_not_kept_read_as_recorded(row):
    if row is None:
        pytest.skip(f"SENATENET_REAL_CORPUS not set: the {len(FACTS)} files not kept "
                    "(licence) are checked only against a local copy (see SOURCES.md)")
    path = Path(CORPUS) / row["repo"].replace("/", "+") / row["path"]
    if not path.is_file():
        pytest.skip(f"{path} not in the corpus folder")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == row["sha256"]
    ref = _ref(path)
    assert ("two-mode" if ref.two_mode else "one-mode") == row["mode"]
    if ref.two_mode:
        _two_mode_refused(path)
        return
    exp = expected(ref)
    assert len(exp["people"]) == int(row["people"])
    assert ";".join(str(len(t)) for t in exp["ties"]) == row["ties"]
    for check in ("self_nomination", "negative_strength", "duplicate_nomination"):
        assert exp[check] == int(row[check])
    _assert_read_as_reference_says(path, ref)


# ------------------------------------------------------------------ a real roster survey

SURVEY = REAL / "marmall" / "sampleNetworkSurvey.csv"
# who answered (column QID169_1) -> choice number of the same person in the lists
RESPONDENTS = {"Mickey Mouse": "1", "Minnie Mouse": "2", "Duck Donald": "3",
               "Mouse Mortimer": "4", "Pistoles Panchito": "5", "José Carioca": "6",
               "Prince Charming": "7", "Captain Kidd": "20", "Captain Hook": "9",
               "Winnie Pooh": "11", "Tinker Bell": "10", "Marie Curie": "26",
               "Teddie Bear": "12", "Amigote, Jaimito": "14"}


def _survey_rows():
    return list(csv.reader(SURVEY.open(encoding="utf-8")))


def _class_roster():
    # the people are the choices of the influence question (QID128), which names all
    ids, text = _survey_rows()[:2]
    people = {h.split("_")[1]: t.rsplit(" - ", 1)[1] for h, t in zip(ids, text, strict=True)
              if h.startswith("QID128_") and not h.endswith("_99")}
    return pd.DataFrame({"person_id": [f"p{k}" for k in people], "name": list(people.values()),
                         "organisation": "class"})


def test_real_roster_survey_blank_statements_counted_never_ignored_quietly():
    # friendship columns 1-17 and 99 exported with a blank statement ("Friendship(Y/N) - ")
    rows = _survey_rows()
    blank = [j for j, t in enumerate(rows[1]) if rows[0][j].startswith("QID149_")
             and t.endswith(" - ")]
    held = {rows[0][j]: sum(1 for r in rows[2:] if r[j].strip()) for j in blank}
    s = sn.read_wide_survey(SURVEY, roster=_class_roster(), respondent_column="QID169_1",
                            relation={"QID149": "friend", "QID128": "influence"}, wave="1")
    lines = s.validation[s.validation["check"] == "blank_statement"]
    assert sorted(lines["column"]) == sorted(held)  # one warning per column
    for column, problem, severity in zip(lines["column"], lines["problem"],
                                         lines["severity"], strict=True):
        assert f": {held[column]} nomination(s) not read" in problem
        assert severity == ("warning" if held[column] else "info")  # an empty one: info
    assert sum(held.values()) == 42
    assert "qualtrics_legacy" in set(s.validation["check"])  # two header rows, detected


def test_real_roster_survey_read_tie_for_tie_once_choices_are_mapped():
    rows = _survey_rows()
    ids = rows[0]
    # the export's own influence question names choice k; friendship uses the same k
    choice_ids = {h: f"p{h.split('_')[1]}" for h in ids
                  if h.startswith("QID149_") and not h.endswith("_99")}
    s = sn.read_wide_survey(SURVEY, roster=_class_roster(), respondent_column="QID169_1",
                            relation={"QID149": "friend"}, wave="1", choice_ids=choice_ids)
    want = set()
    for r in rows[2:]:
        ego = "p" + RESPONDENTS[r[ids.index("QID169_1")]]
        for j, h in enumerate(ids):
            if h.startswith("QID149_") and r[j].strip() == "1" and not h.endswith("_99"):
                alter = f"p{h.split('_')[1]}"
                if alter != ego:
                    want.add((ego, alter))
    friends = s.ties[s.ties["relation"] == "friend"]
    assert set(zip(friends["respondent"], friends["alter"], strict=True)) == want
    assert len(want) == 65
    assert s.validation["check"].tolist().count("self_nomination") == 1
