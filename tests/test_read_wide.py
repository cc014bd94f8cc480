"""Wide survey exports: each export style fixture recovers the truth minus reported defects."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import senatenet as sn
from senatenet.errors import InputError, SurveyError

HERE = Path(__file__).resolve().parent / "fixtures" / "exports"
_spec = importlib.util.spec_from_file_location("make_fixtures", HERE / "make_fixtures.py")
fx = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fx)
TRUTH = fx.truth()
ROSTER = str(HERE / "roster.csv")


def tie_dict(ties: pd.DataFrame, wave: str, relation: str) -> dict:
    sel = ties[(ties["wave"] == wave) & (ties["relation"] == relation)]
    return {(r, a): s for r, a, s in zip(sel["respondent"], sel["alter"], sel["strength"],
                                         strict=True)}


def report_has(report: pd.DataFrame, check: str, value: str | None = None, **where) -> bool:
    sel = report[report["check"] == check]
    if value is not None:
        sel = sel[sel["value"] == value]
    for k, v in where.items():
        sel = sel[sel[k] == v]
    return len(sel) > 0


def test_fixtures_are_reproducible(tmp_path, monkeypatch):
    monkeypatch.setattr(fx, "HERE", tmp_path)
    fx.main()
    for path in tmp_path.iterdir():
        if path.suffix != ".xlsx":
            assert path.read_bytes() == (HERE / path.name).read_bytes(), path.name
    book = openpyxl.load_workbook(tmp_path / "msforms_pre.xlsx")
    again = [list(r) for r in book.active.iter_rows(values_only=True)]
    book = openpyxl.load_workbook(HERE / "msforms_pre.xlsx")
    assert again == [list(r) for r in book.active.iter_rows(values_only=True)]


def read_msforms(**kw):
    return sn.read_wide_survey(HERE / "msforms_pre.xlsx", roster=ROSTER,
                               respondent_column="Email", relation="advice",
                               scale="frequency", wave="pre", **kw)


def test_msforms_style():
    s = read_msforms()
    d = fx.DEFECTS["msforms_pre.xlsx"]
    renamed = d["renamed_column"][0]
    expected = {k: v for k, v in TRUTH[("pre", "advice")].items() if k[1] != renamed}
    assert tie_dict(s.ties, "pre", "advice") == expected
    assert s.responded("pre") == frozenset(i for i in fx.IDS if i not in fx.NON_RESPONDENTS["pre"])
    assert not s.respondents_inferred
    v = s.validation
    assert report_has(v, "name_suggestion", d["renamed_column"][1], severity="error",
                      action="dropped")
    assert report_has(v, "missing_person_column", renamed)
    assert report_has(v, "name_fuzzy", d["typo_column"][1], severity="warning")
    assert report_has(v, "name_normalised", d["accent_column"][1], severity="info")
    assert report_has(v, "duplicate_column", d["duplicated_column"][1], severity="error")
    assert report_has(v, "duplicate_response", fx.EMAIL[d["duplicate_submission"]])
    assert report_has(v, "strength_label", d["unknown_label"], severity="error")
    assert report_has(v, "blank_row", severity="info", action="dropped")
    assert report_has(v, "summary_row", "Total", action="dropped")
    assert s.sources["export"].endswith("msforms_pre.xlsx") and "export" in s.hashes
    # nothing else went wrong: every error is one of the planted defects
    assert set(v[v["severity"] == "error"]["check"]) == {
        "name_suggestion", "duplicate_column", "strength_label"}


def test_msforms_source_rows_point_at_the_sheet():
    s = read_msforms()
    sheet = list(openpyxl.load_workbook(HERE / "msforms_pre.xlsx").active.values)
    email_at = {row: str(cells[3]).casefold() for row, cells in enumerate(sheet, start=1)}
    for r, row in zip(s.ties["respondent"], s.ties["source_row"], strict=True):
        assert email_at[row] == fx.EMAIL[r].casefold()


def test_alias_file_recovers_the_renamed_column():
    d = fx.DEFECTS["msforms_pre.xlsx"]
    pid, header = d["renamed_column"]
    s = read_msforms(aliases={header: pid})
    assert tie_dict(s.ties, "pre", "advice") == TRUTH[("pre", "advice")]
    assert report_has(s.validation, "name_alias", header, severity="info")
    assert not report_has(s.validation, "missing_person_column")


def test_qualtrics_style_with_serial_date_waves():
    s = sn.read_wide_survey(HERE / "qualtrics_waves.csv", roster=ROSTER,
                            respondent_column="Q1", wave_column="Wave",
                            relation={"Q3": "advice", "Q4": "knows"},
                            scale={"advice": "frequency", "knows": "yesno"})
    d = fx.DEFECTS["qualtrics_waves.csv"]
    dates = {"pre": "2012-03-01", "post": "2012-12-01"}
    assert s.waves == (dates["pre"], dates["post"])
    lost_wave, lost_pid, typed = d["unmatched_respondent"]
    for wave in fx.WAVES:
        for rel in ("advice", "knows"):
            expected = {k: v for k, v in TRUTH[(wave, rel)].items()
                        if not (wave == lost_wave and k[0] == lost_pid)}
            assert tie_dict(s.ties, dates[wave], rel) == expected, (wave, rel)
    assert lost_pid not in s.responded(dates[lost_wave])
    v = s.validation
    for serial in d["serial_dates"]:
        assert report_has(v, "excel_serial_date", serial, action="changed")
    assert report_has(v, "name_suggestion", typed, severity="error", action="dropped")
    assert report_has(v, "name_fuzzy", d["typo_column"][1], column="Q4_5")
    assert report_has(v, "blank_row")
    # the ImportId row and metadata are not people; no error but the planted one
    assert not report_has(v, "name_unmatched")
    assert v[v["severity"] == "error"]["value"].tolist() == [typed]


def test_qualtrics_serial_dates_can_be_kept():
    t = sn.wide_to_long(HERE / "qualtrics_waves.csv", roster=ROSTER, respondent_column="Q1",
                        wave_column="Wave", relation={"Q3": "advice", "Q4": "knows"},
                        scale={"advice": "frequency", "knows": "yesno"}, excel_dates=False)
    assert t.waves == ("40969", "41244")
    assert not (t.problems["check"] == "excel_serial_date").any()


def test_surveymonkey_style():
    s = sn.read_wide_survey(HERE / "surveymonkey_post.csv", roster=ROSTER,
                            respondent_column="What is your name?", relation="advice",
                            wave="post")
    d = fx.DEFECTS["surveymonkey_post.csv"]
    assert tie_dict(s.ties, "post", "advice") == TRUTH[("post", "advice")]
    v = s.validation
    assert report_has(v, "name_fuzzy", d["typo_respondent"][1], severity="warning")
    assert report_has(v, "name_unmatched", d["unknown_respondent"], severity="error")
    assert report_has(v, "strength_label", d["bad_number"], severity="error")
    assert report_has(v, "summary_row", "Total")
    # metadata columns are listed as ignored, never silently skipped
    assert report_has(v, "column_ignored", column="Custom Data 1")
    assert sorted(v[v["severity"] == "error"]["value"]) == sorted(
        [d["unknown_respondent"], d["bad_number"]])


def test_googleforms_style_with_recall_question():
    recall = "Name up to three colleagues you collaborate with most"
    s = sn.read_wide_survey(
        HERE / "googleforms_waves.csv", roster=ROSTER, respondent_column="Email address",
        wave_column="Survey round",
        relation={"How often do you seek advice": "advice", "Do you know": "knows"},
        scale={"advice": "frequency", "knows": "yesno"}, recall_columns={recall: "collaborate"})
    assert s.waves == fx.WAVES
    for wave in fx.WAVES:
        for rel in ("advice", "knows", "collaborate"):
            assert tie_dict(s.ties, wave, rel) == TRUTH[(wave, rel)], (wave, rel)
    d = fx.DEFECTS["googleforms_waves.csv"]
    v = s.validation
    for name in d["recall_errors"]:
        hit = v[(v["value"] == name) & (v["severity"] == "error")]
        assert len(hit) == 1 and hit["column"].iloc[0] == recall and pd.notna(hit["row"].iloc[0])
    assert report_has(v, "name_fuzzy", d["recall_fuzzy"][1])
    assert report_has(v, "blank_row")
    assert sorted(v[v["severity"] == "error"]["value"]) == sorted(d["recall_errors"])


RECALL_ROSTER = pd.DataFrame({
    "person_id": ["007", "NA", "p3", "p4", "p5"],
    "name": ["Dr Jane Smith", "Dr Ngozi Akande", "John Smith", "Sam Lee", "Sam Lee"],
    "organisation": ["A", "A", "B", "B", "C"],
})


def test_every_unmatched_or_ambiguous_name_appears_in_the_report():
    names = ["Jane Smith", "J. Smith", "Sam Lee", "Dr Who", "Ngozi Akande", "Jon Smith",
             "Smith", "", "Dr Jane Smith", "NA", "Ngozi Akande-Okoro"]
    export = pd.DataFrame({"Who": ["007", "p3"] + ["p4"] * 0,
                           "Recall": ["; ".join(names[:6]), "; ".join(names[6:])]})
    t = sn.wide_to_long(export, roster=RECALL_ROSTER, respondent_column="Who",
                        relation="collaborate", recall_columns=["Recall"], wave="1")
    flat = [(n, 2) for n in names[:6]] + [(n, 3) for n in names[6:] if n]
    m = sn.match_names([n for n, _ in flat], RECALL_ROSTER)
    assert set(m["status"]) >= {"matched", "ambiguous", "unmatched", "suggestion"}
    p = t.problems
    for (name, row), status in zip(flat, m["status"], strict=True):
        hits = p[(p["value"] == name) & (p["row"] == row) & (p["column"] == "Recall")]
        if status == "matched":
            continue
        assert len(hits) == 1, name
        assert hits["severity"].iloc[0] == "error" and hits["action"].iloc[0] == "dropped"
        assert hits["check"].iloc[0] == f"name_{status}"
    # matched names became ties; self-nomination ("Dr Jane Smith" by 007) is dropped
    got = set(zip(t.ties["respondent"], t.ties["alter"], strict=True))
    assert ("007", "NA") in got and ("p3", "007") in got and ("007", "007") not in got
    assert (p["check"] == "self_nomination").sum() == 1


def test_ambiguous_column_header_is_dropped_and_reported():
    export = pd.DataFrame({"Who": ["007"], "Sam Lee": ["1"], "John Smith": ["2"]})
    t = sn.wide_to_long(export, roster=RECALL_ROSTER, respondent_column="Who",
                        relation="advice", wave="1")
    assert t.ties[["alter", "strength"]].values.tolist() == [["p3", 2.0]]
    hit = t.problems[t.problems["check"] == "name_ambiguous"]
    assert hit["value"].tolist() == ["Sam Lee"] and "p4" in hit["problem"].iloc[0]


def test_explicit_alter_columns_mapping_and_ids_stay_text():
    export = pd.DataFrame({"Who": ["NA", "007"], "colA": ["3", ""], "colB": ["", "1"],
                           "Notes": ["x", "y"]})
    s = sn.read_wide_survey(export, roster=RECALL_ROSTER, respondent_column="Who",
                            alter_columns={"colA": "007", "colB": "NA"}, relation="advice",
                            wave="1")
    assert s.ties[["respondent", "alter", "strength"]].values.tolist() == [
        ["NA", "007", 3.0], ["007", "NA", 1.0]]
    with pytest.raises(InputError, match="not in the roster"):
        sn.wide_to_long(export, roster=RECALL_ROSTER, respondent_column="Who",
                        alter_columns={"colA": "7"}, wave="1")


def test_relation_prefix_respects_word_boundaries():
    export = pd.DataFrame({"Who": ["007"], "Q3_[John Smith]": ["1"], "Q30_[John Smith]": ["1"],
                           "Q3a [Sam Lee]": ["1"]})
    t = sn.wide_to_long(export, roster=RECALL_ROSTER, respondent_column="Who",
                        relation={"Q3": "advice", "Q30": "trust"}, wave="w")
    assert sorted(zip(t.ties["relation"], t.ties["alter"], strict=True)) == [
        ("advice", "p3"), ("trust", "p3")]
    assert (t.problems["column"] == "Q3a [Sam Lee]").any()  # reported, not taken


def test_labels_numbers_and_blanks():
    export = pd.DataFrame({"Who": ["007", "NA", "p3"], "John Smith": ["Weekly", "never", " DAILY "],
                           "Dr Jane Smith": ["", "Often", "Monthly"]})
    t = sn.wide_to_long(export, roster=RECALL_ROSTER, respondent_column="Who",
                        relation="advice", scale="frequency", wave="1")
    assert t.ties[["respondent", "alter", "strength"]].values.tolist() == [
        ["007", "p3", 4.0], ["p3", "007", 2.0]]
    bad = t.problems[t.problems["check"] == "strength_label"]
    assert bad["value"].tolist() == ["Often"] and bad["row"].tolist() == [3]
    assert t.problems[t.problems["check"] == "self_nomination"]["row"].tolist() == [4]
    numeric = pd.DataFrame({"Who": ["007"], "John Smith": ["-1"], "Sam Lee": ["x"]})
    t = sn.wide_to_long(numeric, roster=RECALL_ROSTER.iloc[:4], respondent_column="Who",
                        relation="advice", wave="1")
    assert len(t.ties) == 0 and (t.problems["check"] == "strength_label").sum() == 2
    with pytest.raises(InputError, match="unknown scale"):
        sn.wide_to_long(export, roster=RECALL_ROSTER, respondent_column="Who",
                        scale="likert7", wave="1")


def test_dict_of_waves_and_respondent_without_nominations():
    w1 = pd.DataFrame({"Who": ["007", "p3"], "John Smith": ["1", ""],
                       "Dr Jane Smith": ["", ""]})
    w2 = pd.DataFrame({"Who": ["p3"], "John Smith": [""], "Dr Jane Smith": ["2"]})
    s = sn.read_wide_survey({"before": w1, "after": w2}, roster=RECALL_ROSTER,
                            respondent_column="Who", relation="advice")
    assert s.waves == ("before", "after")
    assert s.responded("before") == frozenset({"007", "p3"})  # p3 named nobody
    assert len(s.ties) == 2


def test_callers_frame_not_mutated_and_strict_raises():
    export = pd.DataFrame({"Who": ["007", "Nobody"], "John Smith": ["1", "1"]})
    before = export.copy()
    roster = RECALL_ROSTER.copy()
    s = sn.read_wide_survey(export, roster=roster, respondent_column="Who", relation="advice",
                            wave="1")
    pd.testing.assert_frame_equal(export, before)
    pd.testing.assert_frame_equal(roster, RECALL_ROSTER)
    assert report_has(s.validation, "name_unmatched", "Nobody", row=3)
    with pytest.raises(SurveyError) as info:
        sn.read_wide_survey(export, roster=roster, respondent_column="Who",
                            relation="advice", wave="1", strict=True)
    assert (info.value.problems["value"] == "Nobody").any()


def test_unusable_input_raises_input_error(tmp_path):
    export = pd.DataFrame({"Who": ["007"], "John Smith": ["1"]})
    with pytest.raises(InputError, match="respondent column"):
        sn.wide_to_long(export, roster=RECALL_ROSTER, respondent_column="Name", wave="1")
    renamed = export.rename(columns={"Who": "Who are you?"})
    with pytest.raises(InputError, match="did you mean 'Who are you\\?'"):
        sn.wide_to_long(renamed, roster=RECALL_ROSTER, respondent_column="Who", wave="1")
    with pytest.raises(InputError, match="wave"):
        sn.wide_to_long(export, roster=RECALL_ROSTER, respondent_column="Who")
    empty = tmp_path / "empty.csv"
    empty.write_text("\n")
    with pytest.raises(InputError, match="empty"):
        sn.wide_to_long(empty, roster=RECALL_ROSTER, respondent_column="Who", wave="1")
    with pytest.raises(InputError, match="not found"):
        sn.wide_to_long(tmp_path / "nope.csv", roster=RECALL_ROSTER, respondent_column="Who",
                        wave="1")


def test_excel_serial_date_known_values():
    assert sn.excel_serial_date("43831") == "2020-01-01"
    assert sn.excel_serial_date(41000.75) == "2012-04-01"
    assert sn.excel_serial_date(61) == "1900-03-01"


def test_a_name_recalled_twice_keeps_the_first():
    export = pd.DataFrame({"Who": ["007"], "John Smith": ["3"], "Recall": ["John Smith"]})
    t = sn.wide_to_long(export, roster=RECALL_ROSTER, respondent_column="Who",
                        relation="advice", recall_columns={"Recall": "advice"}, wave="1")
    assert t.ties[["alter", "strength", "source_column"]].values.tolist() == [
        ["p3", 3.0, "John Smith"]]
    hit = t.problems[t.problems["check"] == "duplicate_nomination"]
    assert hit[["severity", "row", "column"]].values.tolist() == [["error", 2, "Recall"]]


def test_windows_1252_export_is_read_and_reported(tmp_path):
    path = tmp_path / "cp.csv"
    path.write_bytes("Who,Siân Jones\n007,1\n".encode("cp1252"))
    roster = pd.DataFrame({"person_id": ["007", "p2"], "name": ["Ann Lee", "Siân Jones"],
                           "organisation": ["A", "B"]})
    t = sn.wide_to_long(path, roster=roster, respondent_column="Who", relation="advice",
                        wave="1")
    assert t.ties[["respondent", "alter"]].values.tolist() == [["007", "p2"]]
    hit = t.problems[t.problems["check"] == "encoding"]
    assert hit["severity"].tolist() == ["warning"] and "Windows-1252" in hit["problem"].iloc[0]


def test_usage_errors_are_input_errors():
    export = pd.DataFrame({"Who": ["007"], "Q3_[John Smith]": ["Weekly"]})
    with pytest.raises(InputError, match="no column belongs to the questions"):
        sn.wide_to_long(export, roster=RECALL_ROSTER, respondent_column="Who",
                        relation={"Q9": "advice"}, wave="1")
    with pytest.raises(InputError, match="scale values must be numbers"):
        sn.wide_to_long(export, roster=RECALL_ROSTER, respondent_column="Who",
                        relation={"Q3": "advice"}, scale={"Weekly": [4]}, wave="1")
    with pytest.raises(InputError, match="are not relations"):
        sn.wide_to_long(export, roster=RECALL_ROSTER, respondent_column="Who",
                        relation={"Q3": "advice"}, scale={"Weekly": "often"}, wave="1")


def test_numeric_dataframe_cells_read_as_displayed():
    export = pd.DataFrame({"Who": ["007", "NA"], "John Smith": [4.0, None],
                           "Dr Jane Smith": [None, 2.5]})
    t = sn.wide_to_long(export, roster=RECALL_ROSTER, respondent_column="Who",
                        relation="advice", wave=2012)
    assert t.ties[["wave", "respondent", "alter", "strength"]].values.tolist() == [
        ["2012", "007", "p3", 4.0], ["2012", "NA", "007", 2.5]]


def test_without_a_roster_the_people_are_the_question_columns():
    s = sn.read_wide_survey(HERE / "surveymonkey_post.csv",
                            respondent_column="What is your name?", relation="advice",
                            wave="post")
    assert list(s.people.index) == [fx.NAME[i] for i in fx.IDS]
    assert set(s.people["organisation"]) == {"(no organisation)"}
    named = {(fx.NAME[a], fx.NAME[b]): v for (a, b), v in TRUTH[("post", "advice")].items()}
    assert tie_dict(s.ties, "post", "advice") == named
    assert report_has(s.validation, "no_roster") and "roster" not in s.sources
    export = pd.DataFrame({"Who": ["Ann", "Bo"], "Start time": ["x", "y"],
                           "Ann": ["", "1"], "Bo": ["2", ""]})
    s = sn.read_wide_survey(export, respondent_column="Who", relation="advice", wave="1")
    assert list(s.people.index) == ["Ann", "Bo"]  # metadata columns are not people


def test_recall_cell_with_quoted_new_lines_and_semicolon_export(tmp_path):
    # a free-recall answer typed on two lines is one quoted CSV cell; a
    # semicolon-separated export (European Excel) is read like read_table reads it
    for sep, name in ((",", "comma.csv"), (";", "semi.csv")):
        path = tmp_path / name
        path.write_text(f'Who{sep}Recall\n007{sep}"John Smith\nSiân Jones"\n', encoding="utf-8")
        roster = pd.DataFrame({"person_id": ["007", "p2", "p3"],
                               "name": ["Ann Lee", "Siân Jones", "John Smith"],
                               "organisation": ["A", "B", "B"]})
        t = sn.wide_to_long(path, roster=roster, respondent_column="Who",
                            relation="advice", recall_columns=["Recall"], wave="1")
        assert t.ties[["respondent", "alter", "source_row"]].values.tolist() == [
            ["007", "p3", 2], ["007", "p2", 2]]
        assert not t.problems["severity"].eq("error").any()


def test_roster_dataframe_as_pd_read_excel_gives_it():
    # float ids and a blank row (NaN everywhere), as pd.read_excel returns them
    roster = pd.DataFrame({"person_id": [1.0, 2.0, None], "name": ["Ann Lee", "Bo Chan", None],
                           "organisation": ["A", "B", None]})
    export = pd.DataFrame({"Name": ["Ann Lee", "Bo Chan"], "Ann Lee": ["", "3"],
                           "Bo Chan": ["2", ""]})
    s = sn.read_wide_survey(export, roster=roster, respondent_column="Name", wave="pre")
    assert s.ties[["respondent", "alter", "strength"]].values.tolist() == [
        ["1", "2", 2.0], ["2", "1", 3.0]]
    assert s.validation["severity"].tolist() == ["info"]  # the blank roster row
    assert sn.match_names(["1"], roster)["person_id"].tolist() == ["1"]


def test_data_without_a_header_is_reported_not_silently_ignored(tmp_path):
    path = tmp_path / "export.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Who", "John Smith", None])
    wb.active.append(["007", "3", "Sam Lee"])  # a cell beyond the last header
    wb.save(path)
    t = sn.wide_to_long(path, roster=RECALL_ROSTER, respondent_column="Who",
                        relation="advice", wave="1")
    hit = t.problems[t.problems["check"] == "column_ignored"]
    assert hit[["severity", "column"]].values.tolist() == [["warning", "(column 3)"]]
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("Who,John Smith\n007,3,Sam Lee\n", encoding="utf-8")
    with pytest.raises(InputError, match="row 2: row has 3 cells but the header has 2"):
        sn.wide_to_long(ragged, roster=RECALL_ROSTER, respondent_column="Who",
                        relation="advice", wave="1")


# ------------------------------------------------------------ issue 15: real-export cases
_Q_ROSTER = pd.DataFrame({"person_id": ["p1", "p2", "p3"], "name": ["Ann Lee", "Bo Chan",
                                                                    "Cy Diaz"],
                          "organisation": ["A", "B", "B"]})


def _qualtrics(tmp_path, legacy=False):
    head = ["ResponseId", "Q1", "Q2_1", "Q2_2", "Q2_3"]
    text = ["Response ID", "Your name", "Friends - Ann Lee", "Friends - ", "Friends - Cy Diaz"]
    ids = ['{"ImportId":"_recordId"}', '{"ImportId":"QID1_TEXT"}', '{"ImportId":"QID2_1"}',
           '{"ImportId":"QID2_2"}', '{"ImportId":"QID2_3"}']
    data = [["R1", "Ann Lee", "", "1", "1"], ["R2", "Bo Chan", "1", "", "1"],
            ["R3", "Cy Diaz", "1", "1", ""]]
    rows = [head, text] + ([] if legacy else [ids]) + data
    path = tmp_path / "q.csv"
    path.write_text("\n".join(",".join(f'"{c.replace(chr(34), chr(34) * 2)}"' for c in r)
                              for r in rows) + "\n", encoding="utf-8")
    return path


def test_qualtrics_blank_statement_column_is_counted_then_mapped(tmp_path):
    path = _qualtrics(tmp_path)
    s = sn.read_wide_survey(path, roster=_Q_ROSTER, respondent_column="Q1",
                            relation={"Q2": "friend"}, wave="pre")
    line = s.validation[s.validation["check"] == "blank_statement"].iloc[0]
    assert line["severity"] == "warning" and line["row"] == 2 and line["value"] == "QID2_2"
    assert "2 nomination(s) not read" in line["problem"] and "choice_ids" in line["problem"]
    assert len(s.ties) == 4
    mapped = sn.read_wide_survey(path, roster=_Q_ROSTER, respondent_column="Q1",
                                 relation={"Q2": "friend"}, wave="pre",
                                 choice_ids={"QID2_2": "p2"})
    assert sorted(zip(mapped.ties["respondent"], mapped.ties["alter"], strict=True)) == [
        ("p1", "p2"), ("p1", "p3"), ("p2", "p1"), ("p2", "p3"), ("p3", "p1"), ("p3", "p2")]


def test_legacy_two_header_qualtrics_keeps_its_first_respondent(tmp_path):
    path = _qualtrics(tmp_path, legacy=True)
    for style in ("auto", "qualtrics"):
        s = sn.read_wide_survey(path, roster=_Q_ROSTER, respondent_column="Q1",
                                relation={"Q2": "friend"}, wave="pre", style=style,
                                choice_ids={"Q2_2": "p2"})
        assert sorted(s.responded("pre")) == ["p1", "p2", "p3"]
        assert "qualtrics_legacy" in set(s.validation["check"])
        assert len(s.ties) == 6


def test_multi_select_cells_give_several_relations_in_one_call():
    export = pd.DataFrame({"Name": ["Ann Lee", "Bo Chan"],
                           "Bo Chan": ["Advice,Support", ""],
                           "Ann Lee": ["", "Support; Gossip"]})
    s = sn.read_wide_survey(export, roster=_Q_ROSTER, respondent_column="Name",
                            relation="contact", wave="pre",
                            multi_select={"Advice": "advice", "Support": "support"})
    got = sorted(zip(s.ties["respondent"], s.ties["alter"], s.ties["relation"], strict=True))
    assert got == [("p1", "p2", "advice"), ("p1", "p2", "support"), ("p2", "p1", "support")]
    bad = s.validation[s.validation["check"] == "multi_select_option"]
    assert list(bad["value"]) == ["Support; Gossip"]


def test_metadata_columns_without_a_roster_are_reported_not_people():
    export = pd.DataFrame({"Name": ["Ann", "Bo"], "consent": ["yes", "yes"],
                           "pseudonym": ["x1", "x2"], "NodeID": ["1", "2"],
                           "Ann": ["", "1"], "Bo": ["1", ""]})
    s = sn.read_wide_survey(export, respondent_column="Name", relation="advice", wave="1")
    assert sorted(s.people.index) == ["Ann", "Bo"]
    meta = s.validation[s.validation["check"] == "metadata_column"]
    assert sorted(meta["column"]) == ["NodeID", "consent", "pseudonym"]
    assert "2 non-blank cells ignored" in meta["problem"].iloc[0]


# ------------------------------------------------ CLI: a wide export with --group NAME
_ROSTER_TEAMS = ("person_id,name,organisation,team\n"
                 "a,Ann,X,t1\nb,Bo,X,t2\nc,Cy,Y,t2\nd,Di,Y,t3\n")
_WIDE_TWO_WAVES = ("Wave,Name,Ann,Bo,Cy,Di\n"
                   "pre,Ann,,1,1,\npre,Bo,1,,,1\npre,Cy,,1,,1\npre,Di,1,,1,\n"
                   "post,Ann,,1,1,1\npost,Bo,1,,1,1\npost,Cy,1,1,,1\npost,Di,1,1,1,\n")


def _files(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(_ROSTER_TEAMS, encoding="utf-8")
    wide = tmp_path / "wide.csv"
    wide.write_text(_WIDE_TWO_WAVES, encoding="utf-8")
    return str(roster), str(wide)


def test_validate_wide_export_with_group_takes_organisations_from_that_column(tmp_path,
                                                                              capsys):
    from senatenet.cli import main

    roster, wide = _files(tmp_path)
    args = ["validate", "--ties", wide, "--roster", roster, "--respondent-column", "Name",
            "--wave-column", "Wave"]
    # pre: 2 nominations by each of 4; post: 3 by each
    assert main(args) == 0  # the format is detected: a table with --respondent-column
    assert "4 people in 2 organisations; 20 nominations kept; waves: pre, post" in \
        capsys.readouterr().out
    assert main([*args, "--group", "team"]) == 0  # t1 {a}, t2 {b, c}, t3 {d}
    assert "4 people in 3 organisations; 20 nominations kept" in capsys.readouterr().out
    assert main([*args, "--group", "floor"]) == 2
    assert "'floor' is not a roster column" in capsys.readouterr().err


def test_group_without_roster_is_refused_not_ignored(tmp_path, capsys):
    from senatenet.cli import main

    _, wide = _files(tmp_path)
    assert main(["validate", "--ties", wide, "--respondent-column", "Name",
                 "--wave-column", "Wave", "--group", "team"]) == 2
    err = capsys.readouterr().err
    assert "give --roster" in err and "Traceback" not in err


def test_report_wide_export_with_group(tmp_path, figures_not_rendered):
    from senatenet.cli import main

    roster, wide = _files(tmp_path)
    out = tmp_path / "rep"
    assert main(["report", "--ties", wide, "--roster", roster, "--respondent-column", "Name",
                 "--wave-column", "Wave", "--group", "team", "--before", "pre",
                 "--after", "post", "--out", str(out), "--permutations", "20",
                 "--power-simulations", "20"]) == 0
    orgs = pd.read_csv(out / "tables" / "organisations.csv", encoding="utf-8-sig",
                       dtype=str)
    assert orgs["organisation"].tolist() == ["t1", "t2", "t3"]
    assert orgs["people"].tolist() == ["1", "2", "1"]
    assert figures_not_rendered  # the figures were drawn, on this data
