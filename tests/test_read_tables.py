"""read_table: CSV/XLSX/DataFrame to all-text tables, spreadsheet row numbers."""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np
import openpyxl
import pandas as pd
import pytest

import senatenet as sn
from senatenet.errors import InputError
from senatenet.read.tables import match_columns, normalize_header, read_table, to_text


def write(tmp_path, name, content, encoding="utf-8"):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_bytes(content.encode(encoding))
    return path


def test_csv_cells_stay_text_exactly(tmp_path):
    path = write(tmp_path, "r.csv", "person_id,name,score\n007,NA,1.50\nNULL, x ,\n")
    t = read_table(path, name="roster")
    assert t.frame.to_dict("list") == {"person_id": ["007", "NULL"], "name": ["NA", " x "],
                                       "score": ["1.50", ""]}
    assert t.frame.index.tolist() == [2, 3] and t.frame.index.name == "row"
    assert all(t.frame[c].dtype == "str" for c in t.frame)
    assert t.file == "r.csv" and t.source == str(path)
    assert t.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert t.problems.empty


def test_utf8_bom_is_not_part_of_the_header(tmp_path):
    path = write(tmp_path, "r.csv", b"\xef\xbb\xbfperson_id,name\n1,Zo\xc3\xab\n")
    t = read_table(path)
    assert list(t.frame.columns) == ["person_id", "name"]
    assert t.frame["name"].tolist() == ["Zoë"]
    assert t.problems.empty


def test_windows_1252_fallback_is_reported(tmp_path):
    path = write(tmp_path, "r.csv", "person_id,name\n1,Zoë O’Neil\n", encoding="cp1252")
    t = read_table(path)
    assert t.frame["name"].tolist() == ["Zoë O’Neil"]
    [line] = t.problems.to_dict("records")
    assert (line["severity"], line["check"], line["file"], line["action"]) == (
        "warning", "encoding", "r.csv", "changed")
    assert "Windows-1252" in line["problem"]


def test_utf16_with_bom_and_tab_separated(tmp_path):
    path = write(tmp_path, "r.txt", "person_id\tname\n1\tÅsa\n", encoding="utf-16")
    t = read_table(path)
    assert t.frame.to_dict("list") == {"person_id": ["1"], "name": ["Åsa"]}
    assert t.problems["check"].tolist() == ["delimiter"]


def test_semicolon_delimiter_is_detected(tmp_path):
    t = read_table(write(tmp_path, "r.csv", "person_id;organisation\n1;A, B\n"))
    assert t.frame.to_dict("list") == {"person_id": ["1"], "organisation": ["A, B"]}


def test_ragged_row_names_the_spreadsheet_row(tmp_path):
    # the quoted line break keeps record 2 on two physical lines: the bad record is row 3
    path = write(tmp_path, "t.csv", 'a,b\n"x\ny",1\n2,3,4\n')
    with pytest.raises(InputError, match=r"file 't.csv', row 3: row has 3 cells") as err:
        read_table(path)
    assert (err.value.file, err.value.row) == ("t.csv", 3)


def test_short_rows_and_trailing_empty_cells_are_padded(tmp_path):
    t = read_table(write(tmp_path, "t.csv", "a,b,c\n1\n2,3,4,,\n"))
    assert t.frame.to_dict("list") == {"a": ["1", "2"], "b": ["", "3"], "c": ["", "4"]}


@pytest.mark.parametrize("content", ["", "\n  \n"])
def test_empty_file_raises(tmp_path, content):
    with pytest.raises(InputError, match="file 'e.csv'.*empty"):
        read_table(write(tmp_path, "e.csv", content))


def test_header_only_gives_an_empty_table(tmp_path):
    t = read_table(write(tmp_path, "h.csv", "person_id,organisation\n"))
    assert list(t.frame.columns) == ["person_id", "organisation"] and len(t.frame) == 0


def test_blank_rows_are_dropped_with_an_info_line(tmp_path):
    t = read_table(write(tmp_path, "b.csv", "a,b\n1,2\n,\n \t, \n3,4\n"))
    assert t.frame.index.tolist() == [2, 5]
    assert t.problems[["severity", "row", "action"]].values.tolist() == [
        ["info", 3, "dropped"], ["info", 4, "dropped"]]


def test_missing_and_unsupported_files_raise(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        read_table(tmp_path / "nope.csv")
    with pytest.raises(InputError, match=r"\.xls workbooks are not supported"):
        read_table(write(tmp_path, "old.xls", b"\xd0\xcf\x11\xe0"))
    with pytest.raises(InputError, match="cannot open the workbook"):
        read_table(write(tmp_path, "bad.xlsx", b"not a zip file"))
    with pytest.raises(InputError, match="file path or a pandas DataFrame"):
        read_table(42)


def test_duplicate_and_headerless_columns(tmp_path):
    with pytest.raises(InputError, match="row 1, column 'a': duplicate column"):
        read_table(write(tmp_path, "d.csv", "a,b, a\n1,2,3\n"))
    t = read_table(write(tmp_path, "h.csv", "a,,b,\n1,x,2,\n"))
    assert list(t.frame.columns) == ["a", "b"]
    [line] = t.problems.to_dict("records")  # the empty 4th column is not reported
    assert (line["severity"], line["column"], line["action"]) == (
        "warning", "(column 2)", "ignored")


def _workbook(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Roster"
    ws.append(["person_id", "n_int", "n_float", "half", "padded", "date", "flag", "empty"])
    ws.append(["007", 7, 7.0, 2.5, 7, dt.datetime(2012, 3, 1), True, None])
    ws["E2"].number_format = "000"
    ws.append(["NA", 12, 1e-3, -1.25, 1234, dt.date(2012, 12, 5), False, None])
    ws["E3"].number_format = "000"
    ws.append([None] * 8)  # a blank row in the middle
    ws.append(["x", None, None, None, None, None, None, None])
    other = wb.create_sheet("Ties")
    other.append(["wave", "respondent"])
    other.append(["pre", "007"])
    path = tmp_path / "book.xlsx"
    wb.save(path)
    return path


def test_xlsx_cells_read_as_displayed(tmp_path):
    t = read_table(_workbook(tmp_path), name="roster")
    assert t.frame.loc[2].tolist() == ["007", "7", "7", "2.5", "007", "2012-03-01", "TRUE", ""]
    assert t.frame.loc[3].tolist() == ["NA", "12", "0.001", "-1.25", "1234", "2012-12-05",
                                       "FALSE", ""]
    assert t.frame.index.tolist() == [2, 3, 5]
    assert t.problems[["row", "check"]].values.tolist() == [[4, "blank_row"]]


def test_xlsx_sheet_selection(tmp_path):
    path = _workbook(tmp_path)
    assert read_table(path, sheet="Ties").frame.to_dict("list") == {
        "wave": ["pre"], "respondent": ["007"]}
    assert list(read_table(path, sheet=1).frame.columns) == ["wave", "respondent"]
    with pytest.raises(InputError, match=r"no sheet 'Nope'; sheets: \['Roster', 'Ties'\]"):
        read_table(path, sheet="Nope")
    with pytest.raises(InputError, match="no sheet number 5"):
        read_table(path, sheet=5)


def test_dataframe_input_is_text_and_not_mutated():
    df = pd.DataFrame({"person_id": ["007", "NA"], "n": [7.0, np.nan], "k": [1, 2],
                       3: [True, False]})
    before = df.copy()
    t = read_table(df, name="roster")
    pd.testing.assert_frame_equal(df, before)
    assert t.frame.to_dict("list") == {"person_id": ["007", "NA"], "n": ["7", ""],
                                       "k": ["1", "2"], "3": ["TRUE", "FALSE"]}
    assert t.frame.index.tolist() == [2, 3]
    assert t.file == "<roster DataFrame>" and t.source == "<DataFrame>" and t.sha256 is None


def test_to_text_examples():
    assert to_text(pd.Series([1.0, 2.25, None])).tolist() == ["1", "2.25", ""]
    assert to_text(pd.Series(pd.array([3, None], dtype="Int64"))).tolist() == ["3", ""]
    assert to_text(pd.Series(["a", None], dtype=object)).tolist() == ["a", ""]


def test_normalize_header():
    assert normalize_header(" Person  ID") == "person_id"
    assert normalize_header("ORGANISATION") == "organisation"


def test_match_columns_aliases_and_unknown_columns():
    t = read_table(pd.DataFrame({"Ego": ["1"], " ALTER ": ["2"], "Wave": ["pre"],
                                 "comment": ["x"]}), name="ties")
    frame, notes = match_columns(t, required=["wave", "respondent", "alter"],
                                 optional=["strength"], aliases={"ego": "respondent"})
    assert list(frame.columns) == ["wave", "respondent", "alter"]
    assert [(n["check"], n["column"]) for n in notes] == [
        ("column_renamed", "Ego"), ("column_ignored", "comment")]
    assert notes[1]["severity"] == "warning"  # it held data


def test_match_columns_keeps_extra_columns_for_the_roster():
    t = read_table(pd.DataFrame({"person_id": ["1"], "organisation": ["A"], "Grade": ["7"]}))
    frame, notes = match_columns(t, required=["person_id", "organisation"], keep_extra=True)
    assert list(frame.columns) == ["person_id", "organisation", "Grade"] and notes == []


def test_match_columns_missing_or_doubled_required_column():
    t = read_table(pd.DataFrame({"person_id": ["1"], "name": ["x"]}), name="roster")
    with pytest.raises(InputError) as err:
        match_columns(t, required=["person_id", "organisation"], name="roster")
    assert (err.value.file, err.value.row, err.value.column) == (
        "<roster DataFrame>", 1, "organisation")
    assert "no 'organisation' column" in str(err.value)
    t = read_table(pd.DataFrame({"person_id": ["1"], "Person ID": ["2"]}))
    with pytest.raises(InputError, match="both mean 'person_id'"):
        match_columns(t, required=["person_id"])


def test_excel_separator_line_is_honoured(tmp_path):
    t = read_table(write(tmp_path, "x.csv", "sep=;\r\nperson_id;name\r\n1;Smith, J\r\n"))
    assert t.frame.to_dict("list") == {"person_id": ["1"], "name": ["Smith, J"]}
    assert t.frame.index.tolist() == [2]


def test_xlsx_cell_beyond_the_header_is_a_headerless_column(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["person_id", "organisation"])
    ws.append(["p1", "A"])
    ws["D3"] = "stray note"
    ws["B3"] = "B"
    ws["A3"] = "p2"
    wb.save(tmp_path / "r.xlsx")
    t = read_table(tmp_path / "r.xlsx")
    assert t.frame.to_dict("list") == {"person_id": ["p1", "p2"], "organisation": ["A", "B"]}
    assert t.problems[["severity", "column", "action"]].values.tolist() == [
        ["warning", "(column 4)", "ignored"]]


def test_a_folder_given_as_a_file_is_named_as_such(tmp_path):
    with pytest.raises(InputError, match="a folder, not a roster file"):
        read_table(tmp_path, name="roster")


def test_a_quote_never_closed_is_an_error_not_a_swallowed_row(tmp_path):
    path = write(tmp_path, "q.csv", 'person_id,name\n007,Ann\nNA,"Bo\np3,Cy\n')
    with pytest.raises(InputError, match=r"row 3: .*quote opened in this row is never closed"):
        read_table(path)


def test_a_named_index_is_read_as_a_column():
    s = sn.read_survey(pd.DataFrame({"person_id": ["007", "NA"], "organisation": ["A", "B"]}),
                       pd.DataFrame({"wave": ["1"], "respondent": ["007"], "alter": ["NA"]}))
    people = s.people  # indexed by person_id, as Survey.people always is
    again = sn.read_survey(people, s.ties)
    assert again.people.index.tolist() == ["007", "NA"]
    assert read_table(people.reset_index()).frame.equals(read_table(people).frame)
    plain = pd.DataFrame({"person_id": ["1"]}, index=pd.Index([5], name="person_id"))
    assert read_table(plain).frame.columns.tolist() == ["person_id"]  # no clash


def test_dataframe_cells_missing_dates_and_float32_read_as_displayed():
    # e.g. pd.read_excel() parsed the wave column as dates and a cell was blank
    ties = pd.DataFrame({"wave": [pd.Timestamp("2012-03-01"), pd.NaT],
                         "strength": np.array([0.1, 2.0], dtype="float32")})
    frame = read_table(ties).frame
    assert frame["wave"].tolist() == ["2012-03-01", ""]
    assert frame["strength"].tolist() == ["0.1", "2"]


def test_a_table_not_starting_in_row_1_says_so(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["B3"], wb.active["B4"] = "person_id", "007"
    wb.save(tmp_path / "offset.xlsx")
    with pytest.raises(InputError, match="row 1: the header row is empty: .* must be in row 1"):
        read_table(tmp_path / "offset.xlsx")
