"""read_survey end to end: files and DataFrames, identifiers as text, provenance."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import senatenet as sn
from senatenet.errors import InputError

TINY = Path(__file__).parent / "fixtures" / "foundation" / "tiny"


def tiny_frames():
    read = {"dtype": str, "keep_default_na": False}
    return (pd.read_csv(TINY / "roster.csv", **read), pd.read_csv(TINY / "ties.csv", **read),
            pd.read_csv(TINY / "respondents.csv", **read))


def test_files_and_dataframes_give_the_same_survey():
    from_files = sn.read_survey(TINY / "roster.csv", str(TINY / "ties.csv"),
                                respondents=TINY / "respondents.csv")
    roster, ties, resp = tiny_frames()
    from_frames = sn.read_survey(roster, ties, respondents=resp)
    pd.testing.assert_frame_equal(from_files.people, from_frames.people)
    pd.testing.assert_frame_equal(from_files.ties, from_frames.ties)
    pd.testing.assert_frame_equal(from_files.respondents, from_frames.respondents)
    assert from_files.waves == from_frames.waves == ("pre", "post")


def test_input_dataframes_are_not_mutated():
    roster, ties, resp = tiny_frames()
    roster.loc[0, "organisation"] = " org a "  # trimmed and merged inside, not here
    copies = [df.copy() for df in (roster, ties, resp)]
    s = sn.read_survey(roster, ties, respondents=resp)
    for df, copy in zip((roster, ties, resp), copies, strict=True):
        pd.testing.assert_frame_equal(df, copy)
    assert s.people.loc["a1", "organisation"] == "Org A"


def test_sources_and_hashes():
    s = sn.read_survey(TINY / "roster.csv", TINY / "ties.csv",
                       respondents=TINY / "respondents.csv")
    assert s.sources == {k: str(TINY / f) for k, f in
                         [("roster", "roster.csv"), ("ties", "ties.csv"),
                          ("respondents", "respondents.csv")]}
    assert s.hashes["ties"] == hashlib.sha256((TINY / "ties.csv").read_bytes()).hexdigest()
    roster, ties, _ = tiny_frames()
    s2 = sn.read_survey(roster, ties)
    assert s2.sources == {"roster": "<DataFrame>", "ties": "<DataFrame>"}
    assert s2.hashes == {}


def test_identifiers_stay_text():
    roster = pd.DataFrame({"person_id": ["007", "7", "NA", "null"],
                           "name": ["Bond", "Seven", "N. A.", "None"],
                           "organisation": ["MI6", "MI6", "NA", "NA"]})
    ties = pd.DataFrame({"wave": ["01", "01", "1"], "respondent": ["007", "NA", "7"],
                         "alter": ["7", "null", "007"]})
    s = sn.read_survey(roster, ties)
    assert list(s.people.index) == ["007", "7", "NA", "null"]
    assert s.people["organisation"].tolist() == ["MI6", "MI6", "NA", "NA"]
    assert s.waves == ("01", "1")
    assert s.ties[["respondent", "alter"]].values.tolist() == [
        ["007", "7"], ["NA", "null"], ["7", "007"]]
    assert s.validation["check"].tolist() == [  # nothing about the ids themselves
        "default_relation", "default_strength", "respondents_inferred"]
    G = s.person_graph("01")
    assert set(G.edges) == {("007", "7"), ("NA", "null")}


def test_xlsx_roster_with_numeric_and_text_ids(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Person ID", "Name", "Organization"])
    ws.append(["007", "Bond", "MI6"])
    ws.append([7, "Seven", "MI6"])  # a number cell: read as "7"
    ws.append([12.0, "Twelve", "GCHQ"])
    wb.save(tmp_path / "roster.xlsx")
    ties = pd.DataFrame({"wave": ["pre"] * 2, "respondent": ["007", "12"],
                         "alter": ["7", "Bond"]})
    s = sn.read_survey(tmp_path / "roster.xlsx", ties)
    assert list(s.people.index) == ["007", "7", "12"]
    assert s.ties[["respondent", "alter"]].values.tolist() == [["007", "7"], ["12", "007"]]
    renamed = s.validation[s.validation["check"].eq("column_renamed")]
    assert renamed[["file", "column"]].values.tolist() == [["roster.xlsx", "Organization"]]


def test_column_aliases_and_extra_columns(tmp_path):
    (tmp_path / "r.csv").write_text("ID,Org,Grade\n1,A,senior\n2,B,\n", encoding="utf-8")
    (tmp_path / "t.csv").write_text("Time,Ego,Target,Weight,Comment\nT1,1,2,3,hello\n",
                                    encoding="utf-8")
    s = sn.read_survey(tmp_path / "r.csv", tmp_path / "t.csv")
    assert s.ties[["wave", "respondent", "alter", "strength"]].values.tolist() == [
        ["T1", "1", "2", 3.0]]
    assert s.people["Grade"].tolist() == ["senior", ""]
    cols = s.validation[s.validation["check"].str.startswith("column_")]
    assert dict(zip(cols["column"], cols["check"], strict=True)) == {
        "ID": "column_renamed", "Org": "column_renamed", "Time": "column_renamed",
        "Ego": "column_renamed", "Target": "column_renamed", "Weight": "column_renamed",
        "Comment": "column_ignored"}


def test_windows_1252_roster_reads_accented_names(tmp_path):
    (tmp_path / "r.csv").write_bytes("person_id,name,organisation\n1,Zoë,Trust\n2,Bo,Trust\n"
                                     .encode("cp1252"))
    ties = pd.DataFrame({"wave": ["1"], "respondent": ["Zoë"], "alter": ["2"]})
    s = sn.read_survey(tmp_path / "r.csv", ties)
    assert s.ties["respondent"].tolist() == ["1"]
    enc = s.validation[s.validation["check"].eq("encoding")]
    assert enc[["severity", "file"]].values.tolist() == [["warning", "r.csv"]]


def test_unusable_input_is_an_input_error_not_a_pandas_traceback(tmp_path):
    (tmp_path / "t.csv").write_text("wave,respondent,alter\npre,1,2,3\n", encoding="utf-8")
    roster = pd.DataFrame({"person_id": ["1", "2"], "organisation": ["A", "B"]})
    with pytest.raises(InputError, match="file 't.csv', row 2"):
        sn.read_survey(roster, tmp_path / "t.csv")
    with pytest.raises(InputError, match="does not exist"):
        sn.read_survey(roster, tmp_path / "missing.csv")
    with pytest.raises(InputError, match="file path or a pandas DataFrame"):
        sn.read_survey(roster, [("pre", "1", "2")])


def test_contract_dtypes():
    roster, ties, resp = tiny_frames()
    s = sn.read_survey(roster, ties, respondents=resp)
    assert s.people.index.dtype == "str"
    assert {c: str(t) for c, t in s.people.dtypes.items()} == {
        "name": "str", "organisation": "str", "role": "str", "sector": "str",
        "cohort": "str", "participant": "boolean", "grade": "str"}
    assert {c: str(t) for c, t in s.ties.dtypes.items()} == {
        "wave": "str", "respondent": "str", "alter": "str", "relation": "str",
        "strength": "float64", "source_row": "int64"}
    assert isinstance(s.waves, tuple) and isinstance(s.relations, tuple)
    assert pd.isna(s.people.loc["a2", "role"]) is False
    assert pd.isna(s.people.loc["a3", "role"])  # blank roster cell is missing
