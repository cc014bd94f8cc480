"""Name normalisation, matching, alias files and the ``senatenet match`` command."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

import senatenet as sn
from senatenet.cli import main
from senatenet.errors import InputError

FIX = Path(__file__).resolve().parent / "fixtures" / "exports"

ROSTER = pd.DataFrame({
    "person_id": ["007", "NA", "p3", "p4", "p5", "p6"],
    "name": ["Dr Jane Smith", "Dr Ngozi Akande", "John Smith", "Sam Lee", "Sam Lee",
             "Prof Siân O'Brien"],
    "organisation": ["A", "A", "B", "B", "C", "C"],
})


@pytest.mark.parametrize("raw, key", [
    ("Dr Jane Smith", "jane smith"),
    ("dr. JANE   smith", "jane smith"),
    ("Smith, Jane", "jane smith"),
    ("Smith, Dr Jane", "jane smith"),
    ("Prof Siân O\u2019Brien", "sian obrien"),
    ("Mr Tomás García-López", "tomas garcia lopez"),
    ("Mx Robin Hale", "robin hale"),
    ("Dame Miss Mrs Ms Sir Ann Lee", "ann lee"),
    ("J.A. Smith", "j a smith"),
    ("Dr", ""),
    ("Drew Barr", "drew barr"),  # a title only when it is a whole leading word
])
def test_normalise_name(raw, key):
    assert sn.normalise_name(raw) == key


def one(name, **kw):
    return sn.match_names([name], ROSTER, **kw).iloc[0]


def test_methods_and_statuses():
    assert one("NA")[["person_id", "method", "status"]].tolist() == ["NA", "id", "matched"]
    assert one("Dr Jane Smith")[["person_id", "method"]].tolist() == ["007", "exact"]
    r = one("smith, jane")
    assert (r["person_id"], r["method"], r["score"]) == ("007", "normalised", 100.0)
    r = one("J. Smith")  # fits Jane Smith and John Smith by initial
    assert r["status"] == "ambiguous" and r["method"] == "initials" and pd.isna(r["person_id"])
    assert "007" in r["candidates"] and "p3" in r["candidates"]
    r = one("N. Akande")  # one fit: a suggestion, never a match
    assert r["status"] == "suggestion" and pd.isna(r["person_id"])
    assert r["candidates"].startswith("NA: Dr Ngozi Akande")
    r = one("Ngozi Akandee")
    assert (r["person_id"], r["method"], r["status"]) == ("NA", "fuzzy", "matched")
    assert 90 <= r["score"] < 100
    r = one("Ngozi Akande-Okoro")  # below the threshold
    assert r["status"] == "suggestion" and pd.isna(r["person_id"]) and r["score"] < 90
    assert one("Dr Who")[["status", "method", "candidates"]].tolist() == [
        "unmatched", "none", ""]
    assert one("")["status"] == "unmatched"


def test_duplicated_roster_names_are_ambiguous():
    r = one("Sam Lee")
    assert r["status"] == "ambiguous" and pd.isna(r["person_id"])
    assert "p4" in r["candidates"] and "p5" in r["candidates"]
    assert one("sam lee")["status"] == "ambiguous"


def test_an_id_that_is_another_persons_name_is_ambiguous():
    roster = pd.DataFrame({"person_id": ["Ann", "p2"], "name": ["Bo", "Ann"]})
    assert sn.match_names(["Ann"], roster)["status"].tolist() == ["ambiguous"]
    assert sn.match_names(["Ann"], roster, ids=False)["person_id"].tolist() == ["p2"]


def test_fuzzy_ties_within_margin_are_ambiguous():
    roster = {"a": "Jane Smith", "b": "Jane Smyth"}
    r = sn.match_names(["Jane Smth"], roster).iloc[0]
    assert r["status"] == "ambiguous" and pd.isna(r["person_id"])
    # a higher threshold turns an accepted fuzzy match into a suggestion
    assert sn.match_names(["Jane Smithh"], roster)["status"].tolist() == ["matched"]
    assert sn.match_names(["Jane Smithh"], roster, threshold=101)["status"].tolist() == [
        "suggestion"]


def test_order_duplicates_and_no_mutation():
    names = ["Sam Lee", "NA", "NA", "zzz"]
    roster = ROSTER.copy()
    m = sn.match_names(names, roster)
    assert m["input"].tolist() == names
    assert list(m.columns) == ["input", "normalised", "person_id", "matched_name", "score",
                               "method", "status", "candidates"]
    pd.testing.assert_frame_equal(roster, ROSTER)
    # roster as a Survey (people indexed by person_id) or a dict gives the same
    survey = sn.read_survey(ROSTER, pd.DataFrame({"wave": ["1"], "respondent": ["007"],
                                                  "alter": ["NA"]}))
    pd.testing.assert_frame_equal(sn.match_names(names, survey), m)
    as_dict = dict(zip(ROSTER["person_id"], ROSTER["name"], strict=True))
    pd.testing.assert_frame_equal(sn.match_names(names, as_dict), m)


def test_aliases_confirm_matches():
    aliases = pd.DataFrame({"name": ["J. Smith", "Sam Lee (Trust C)"],
                            "person_id": ["p3", "p5"]})
    m = sn.match_names(["Dr J Smith", "sam lee (trust c)", "Sam Lee"], ROSTER,
                       aliases=aliases)
    assert m["person_id"].tolist()[:2] == ["p3", "p5"]
    assert m["method"].tolist()[:2] == ["alias", "alias"]
    assert m["status"].tolist()[2] == "ambiguous"


def test_read_aliases_checks(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("input,person_id,status\n'=cmd,007,x\nJ. Smith,,suggestion\n")
    table = sn.read_aliases(path, ROSTER)
    assert table[["name", "person_id", "row"]].values.tolist() == [["=cmd", "007", 2]]
    path.write_text("name,person_id\nJane,7\n")
    with pytest.raises(InputError, match="leading zeros") as info:
        sn.read_aliases(path, ROSTER)
    assert info.value.row == 2 and info.value.column == "person_id"
    path.write_text("name,person_id\nJ Smith,007\nj. smith,p3\n")
    with pytest.raises(InputError, match="two people") as info:
        sn.read_aliases(path, ROSTER)
    assert info.value.row == 3
    path.write_text("who,id\nx,y\n")
    with pytest.raises(InputError, match="needs columns"):
        sn.read_aliases(path)


def test_match_problems_reports_every_name_not_used():
    names = ["Dr Jane Smith", "J. Smith", "N. Akande", "Dr Who", "Sam Lee", "smith, jane",
             "Ngozi Akandee"]
    m = sn.match_names(names, ROSTER)
    p = sn.match_problems(m, file="recall.csv", column="Q7", rows=range(2, 2 + len(names)))
    not_used = m[m["status"] != "matched"]
    errors = p[p["severity"] == "error"]
    assert errors["value"].tolist() == not_used["input"].tolist()
    assert errors["row"].tolist() == [3, 4, 5, 6]
    assert set(errors["action"]) == {"dropped"} and set(errors["column"]) == {"Q7"}
    assert p[p["severity"] == "warning"]["value"].tolist() == ["Ngozi Akandee"]
    assert p[p["severity"] == "info"]["value"].tolist() == ["smith, jane"]
    assert "Dr Jane Smith" not in p["value"].tolist()  # exact: nothing to report


def read_review(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_match_command_review_round_trip(tmp_path, capsys):
    out = tmp_path / "review.csv"
    args = ["match", "--roster", str(FIX / "roster.csv"), "--names",
            str(FIX / "recall_names.csv"), "--out", str(out)]
    assert main(args) == 1  # some names need review
    rows = read_review(out)
    assert [r["input"] for r in rows][:3] == ["Dr Jane Smith", "Smith, Jane", "J. Smith"]
    by_input = {r["input"]: r for r in rows}
    assert by_input["J. Smith"]["person_id"] == "" and by_input["J. Smith"]["status"] == (
        "suggestion")
    assert by_input["Dr Jane Smith"]["person_id"] == "001"  # ids stay text
    # Excel-safe: a formula-like name is neutralised
    assert "'=HYPERLINK(1)" in by_input and "=HYPERLINK(1)" not in by_input
    assert "review.csv" in capsys.readouterr().out
    # a person confirms two rows; the edited file is fed back as aliases
    by_input["J. Smith"]["person_id"] = "001"
    by_input["'=HYPERLINK(1)"]["person_id"] = "012"
    by_input["Dr Sam Patel"]["person_id"] = "NA"
    for r in rows:
        if r["status"] in ("suggestion",) and not r["person_id"]:
            r["person_id"] = r["candidates"].split(":")[0]
    with out.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    again = tmp_path / "again.csv"
    assert main([*args[:-1], str(again), "--aliases", str(out)]) == 0
    rows2 = {r["input"]: r for r in read_review(again)}
    assert rows2["J. Smith"]["method"] == "alias" and rows2["J. Smith"]["person_id"] == "001"
    assert rows2["'=HYPERLINK(1)"]["person_id"] == "012"


def test_match_command_txt_and_bad_input(tmp_path, capsys):
    names = tmp_path / "names.txt"
    names.write_text("Dr Jane Smith\n\nRobin Hale\n")
    out = tmp_path / "r.csv"
    assert main(["match", "--roster", str(FIX / "roster.csv"), "--names", str(names),
                 "--out", str(out)]) == 0
    assert [r["row"] for r in read_review(out)] == ["1", "3"]
    bad = tmp_path / "bad.csv"
    bad.write_text("who,when\nx,y\n")
    assert main(["match", "--roster", str(FIX / "roster.csv"), "--names", str(bad),
                 "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "no column 'name'" in err and "Traceback" not in err
    assert main(["match", "--roster", str(tmp_path / "missing.csv"), "--names", str(names),
                 "--out", str(out)]) == 2


def test_missing_values_in_names_are_unmatched_not_errors():
    m = sn.match_names(pd.Series(["NA", None, pd.NA, float("nan")], dtype=object), ROSTER)
    assert m["person_id"].tolist()[0] == "NA"  # the id "NA" is not missing
    assert m["status"].tolist()[1:] == ["unmatched"] * 3


def test_ids_that_lost_leading_zeros_are_suggestions():
    m = sn.match_names(["7", "007", "12"], ROSTER)
    assert m["status"].tolist() == ["suggestion", "matched", "unmatched"]
    assert m["candidates"].iloc[0].startswith("007: Dr Jane Smith")
    p = sn.match_problems(m)
    assert "leading zeros" in p["problem"].iloc[0]


def test_match_command_windows_1252_txt_and_semicolon_roster(tmp_path, capsys):
    roster = tmp_path / "roster.csv"
    roster.write_text("person_id;name;organisation\n007;Siân Jones;A\np2;Bo Chan;B\n",
                      encoding="utf-8")
    names = tmp_path / "names.txt"
    names.write_bytes("Siân Jones\nBo Chan\n".encode("cp1252"))
    out = tmp_path / "review.csv"
    assert main(["match", "--roster", str(roster), "--names", str(names),
                 "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "Windows-1252" in err and "Traceback" not in err
    assert [r["person_id"] for r in read_review(out)] == ["007", "p2"]
    assert main(["match", "--roster", str(tmp_path), "--names", str(names),
                 "--out", str(out)]) == 2
    assert "a folder, not a file" in capsys.readouterr().err


def test_alias_dataframe_cells_read_as_displayed():
    # pd.read_excel gives a numeric id column as floats (NaN for unconfirmed rows)
    aliases = pd.DataFrame({"name": ["Jo Bloggs", "Ann"], "person_id": [12.0, float("nan")]})
    roster = pd.DataFrame({"person_id": ["12"], "name": ["Joanna Bloggs"]})
    assert sn.read_aliases(aliases, roster)[["name", "person_id"]].values.tolist() == [
        ["Jo Bloggs", "12"]]
    m = sn.match_names(pd.Series([12.0, None]), roster)  # a numeric column of ids
    assert m["input"].tolist() == ["12", ""] and m["person_id"].tolist()[0] == "12"


@pytest.mark.parametrize("bad", [float("nan"), "90", None])
def test_threshold_must_be_a_number(bad):
    with pytest.raises(InputError, match="threshold= must be a number"):
        sn.match_names(["Jane Smith"], ROSTER, threshold=bad)


def test_read_survey_accepts_the_alias_file_that_match_writes(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("person_id,name,organisation\np1,Ann Lee,A\np2,Bo Chan,B\n",
                      encoding="utf-8")
    ties = tmp_path / "ties.csv"
    ties.write_text("wave,respondent,alter\npre,p1,Bo Chen\npre,Bo Chen,p1\n",
                    encoding="utf-8")
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("name,person_id\nBo Chen,p2\n", encoding="utf-8")
    plain = sn.read_survey(roster, ties)
    assert len(plain.ties) == 0  # without the aliases both ties are dropped (reported)
    s = sn.read_survey(roster, ties, aliases=aliases)
    assert sorted(zip(s.ties["respondent"], s.ties["alter"], strict=True)) == [
        ("p1", "p2"), ("p2", "p1")]
    lines = s.validation[s.validation["check"] == "alias"]
    assert sorted(zip(lines["row"], lines["column"], strict=True)) == [
        (2, "alter"), (3, "respondent")]
