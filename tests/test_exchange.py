"""Adjacency matrices, UCINET DL and Pajek: readers, writers and round trips."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import networkx as nx
import openpyxl
import pandas as pd
import pytest

import senatenet as sn
from senatenet.errors import InputError

HERE = Path(__file__).resolve().parent / "fixtures" / "exports"
_spec = importlib.util.spec_from_file_location("make_fixtures", HERE / "make_fixtures.py")
fx = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fx)
TRUTH = fx.truth()
ROSTER = str(HERE / "roster.csv")


def ties_of(s, wave=None, relation=None) -> dict:
    t = s.ties
    if wave is not None:
        t = t[t["wave"] == wave]
    if relation is not None:
        t = t[t["relation"] == relation]
    return {(a, b): v for a, b, v in zip(t["respondent"], t["alter"], t["strength"],
                                         strict=True)}


# ------------------------------------------------------------------ matrices
def test_adjacency_matrix_csv_fixture():
    s = sn.read_adjacency_matrix(HERE / "advice_pre_matrix.csv", roster=ROSTER, wave="pre",
                                 relation="advice")
    assert ties_of(s) == TRUTH[("pre", "advice")]
    assert list(s.people.index) == fx.IDS  # "001" and "NA" stay text
    assert s.responded("pre") == frozenset(fx.IDS)
    assert s.people.loc["NA", "organisation"] == "Northfield CCG"
    assert (s.validation["severity"] != "error").all()


def test_adjacency_matrix_xlsx_numbers_and_text_labels(tmp_path):
    path = tmp_path / "m.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([None, "007", "NA", "x"])
    ws.append(["007", 0, 2.5, None])
    ws.append(["NA", 1, 0, 0])
    ws.append(["x", 0, 0, 0])
    wb.save(path)
    s = sn.read_adjacency_matrix(path, wave="w1")
    assert ties_of(s) == {("007", "NA"): 2.5, ("NA", "007"): 1.0}
    assert list(s.people.index) == ["007", "NA", "x"]
    assert s.people["organisation"].unique().tolist() == ["(no organisation)"]
    assert (s.validation["check"] == "no_roster").any()


def test_adjacency_matrix_problems_are_reported():
    m = pd.DataFrame({"": ["a", "c", "b", ""], "a": ["5", "", "x", ""],
                      "b": ["1", "-2", "", ""], "c": ["", "", "3", ""]})
    before = m.copy()
    s = sn.read_adjacency_matrix(m)
    pd.testing.assert_frame_equal(m, before)
    assert ties_of(s) == {("a", "b"): 1.0, ("b", "c"): 3.0}
    v = s.validation
    assert v[v["check"] == "self_nomination"]["row"].tolist() == [2]
    assert v[v["check"] == "non_numeric_strength"][["row", "column", "value"]
             ].values.tolist() == [[4, "a", "x"]]  # the cell: row 4, column "a"
    assert v[v["check"] == "negative_strength"][["row", "column"]].values.tolist() == [
        [3, "b"]]
    assert (v["check"] == "matrix_order").any() and (v["check"] == "blank_row").any()
    with pytest.raises(InputError, match="not square"):
        sn.read_adjacency_matrix(pd.DataFrame({"": ["a", "b"], "a": ["0", "1"],
                                               "c": ["1", "0"]}))
    with pytest.raises(InputError, match="duplicate row labels"):
        sn.read_adjacency_matrix(pd.DataFrame({"": ["a", "a"], "a": ["0", "1"]}))


# ------------------------------------------------------------------ UCINET DL
def test_dl_fullmatrix_fixture_with_waves_and_relations():
    s = sn.read_ucinet_dl(HERE / "advice.dl", roster=ROSTER, relation="advice")
    assert s.waves == ("pre", "post") and s.relations == ("advice",)
    for wave in fx.WAVES:
        assert ties_of(s, wave) == TRUTH[(wave, "advice")]
    r = sn.read_ucinet_dl(HERE / "advice.dl", matrices="relations", wave="2012")
    assert r.relations == ("pre", "post") and r.waves == ("2012",)
    assert ties_of(r, relation="post") == TRUTH[("post", "advice")]


def test_dl_edgelist_embedded_fixture():
    s = sn.read_ucinet_dl(HERE / "advice_pre_edgelist.dl", roster=ROSTER, wave="pre",
                          relation="advice")
    assert ties_of(s) == TRUTH[("pre", "advice")]


GEPHI_FULL = """dl n=5
format = fullmatrix
labels:
barry,david,lin,pat,russ
data:
0 1 1 1 0
1 0 0 0 1
1 0 0 1 0
1 0 1 0 1
0 1 0 1 0
"""
EMBEDDED_FULL = """dl
n = 3
labels embedded
format = fullmatrix
data:
Bill Jan "Jim Bo"
Bill 0 0 1
Jan 0 0 2.5
"Jim Bo" 1 0 0
"""


def test_dl_variants_by_hand():
    s = sn.read_ucinet_dl(GEPHI_FULL)
    assert list(s.people.index) == ["barry", "david", "lin", "pat", "russ"]
    assert len(s.ties) == 12 and ("russ", "pat") in ties_of(s)
    s = sn.read_ucinet_dl(EMBEDDED_FULL)
    assert ties_of(s) == {("Bill", "Jim Bo"): 1.0, ("Jan", "Jim Bo"): 2.5,
                          ("Jim Bo", "Bill"): 1.0}
    nodelist = "DL N=4\nFORMAT=NODELIST1\nLABELS:\na b c d\nDATA:\n1 2 3\n4 1\n"
    assert set(ties_of(sn.read_ucinet_dl(nodelist))) == {("a", "b"), ("a", "c"), ("d", "a")}
    numbered = "dl n=3 format=el1\ndata:\n1 2\n2 3 4\n"
    assert ties_of(sn.read_ucinet_dl(numbered)) == {("1", "2"): 1.0, ("2", "3"): 4.0}
    two = ("DL N=2 NM=2 FORMAT=EDGELIST1\nLABELS:\n007 NA\nMATRIX LABELS:\nknows advice\n"
           "DATA:\n1 2\n!\n2 1 3\n")
    s = sn.read_ucinet_dl(two, matrices="relations")
    assert s.relations == ("knows", "advice")
    assert ties_of(s, relation="advice") == {("NA", "007"): 3.0}


@pytest.mark.parametrize("text, message", [
    ("N=3\nDATA:\n", "must start with 'DL'"),
    ("DL N=2\nLABELS:\na b\n", "no 'DATA:'"),
    ("DL N=2\nLABELS:\na b c\nDATA:\n0 0\n0 0\n", "N = 2 but 3 labels"),
    ("DL N=2 FORMAT=NODELIST2\nDATA:\n1 2\n", "not supported"),
    ("DL N=2 FORMAT=LOWERHALF\nDATA:\n0\n", "end early"),
    ("DL NR=2 NC=3\nDATA:\n0 0 0\n0 0 0\n", "two-mode"),
    ("DL N=2 FORMAT=EDGELIST1\nDATA:\n1 3\n", "between 1 and N"),
    ("DL N=2\nDATA:\n0 1\n0\n", "end early"),
    ("DL N=2\nDATA:\n0 1\n0 0 7\n", "after the last matrix"),
])
def test_dl_unusable_input(text, message):
    with pytest.raises(InputError, match=message):
        sn.read_ucinet_dl(text)


def test_dl_labels_matched_to_roster_ignoring_case_and_unknown_reported():
    roster = pd.DataFrame({"person_id": ["AB", "cd", "ef"], "name": ["Ann B", "Cy D", "Ed F"],
                           "organisation": ["X", "Y", "Y"]})
    text = "DL N=4\nLABELS:\nab,\"Cy D\",ef,zz\nDATA:\n0 1 0 1\n0 0 1 0\n1 0 0 0\n1 1 1 0\n"
    s = sn.read_ucinet_dl(text, roster=roster)
    assert ties_of(s) == {("AB", "cd"): 1.0, ("cd", "ef"): 1.0, ("ef", "AB"): 1.0}
    v = s.validation
    assert (v["check"] == "label_case").sum() == 1
    assert (v["check"] == "name_exact").sum() == 0  # exact names are not problems
    hit = v[v["check"] == "unresolved_label"]
    assert hit["value"].tolist() == ["zz"] and "4 ties" in hit["problem"].iloc[0]
    assert (v[(v["value"] == "zz")]["severity"] == "error").all()


def test_dl_round_trip_survey_dl(tmp_path):
    s = sn.read_ucinet_dl(HERE / "advice.dl", roster=ROSTER, relation="advice")
    for fmt in ("fullmatrix", "edgelist1"):
        first = sn.write_ucinet_dl(s, tmp_path / f"a_{fmt}.dl", format=fmt)
        back = sn.read_ucinet_dl(first, roster=ROSTER, relation="advice")
        assert back.waves == s.waves and list(back.people.index) == list(s.people.index)
        for wave in s.waves:
            assert ties_of(back, wave) == ties_of(s, wave)
        second = sn.write_ucinet_dl(back, tmp_path / f"b_{fmt}.dl", format=fmt)
        assert first.read_bytes() == second.read_bytes()
    # one wave only, names as labels, read back through the roster
    named = sn.write_ucinet_dl(s, tmp_path / "named.dl", wave="post", label="name")
    assert '"Prof Siân O\'Brien"' in named.read_text(encoding="utf-8")
    back = sn.read_ucinet_dl(named, roster=ROSTER, relation="advice")
    assert back.waves == ("post",) and ties_of(back) == TRUTH[("post", "advice")]


def test_dl_from_graph_does_not_mutate(tmp_path):
    G = nx.DiGraph()
    G.add_edge("007", "NA", strength=2.0)
    G.add_edge("NA", "x y", strength=0.5)
    G.add_node("isolate")
    before = nx.to_dict_of_dicts(G), dict(G.nodes(data=True))
    path = sn.write_ucinet_dl(G, tmp_path / "g.dl")
    assert (nx.to_dict_of_dicts(G), dict(G.nodes(data=True))) == before
    s = sn.read_ucinet_dl(path)
    assert list(s.people.index) == ["007", "NA", "x y", "isolate"]
    assert ties_of(s) == {("007", "NA"): 2.0, ("NA", "x y"): 0.5}
    U = nx.Graph([("a", "b")])
    s = sn.read_ucinet_dl(sn.write_ucinet_dl(U, tmp_path / "u.dl", format="edgelist1"))
    assert ties_of(s) == {("a", "b"): 1.0, ("b", "a"): 1.0}
    with pytest.raises(InputError, match="double quote"):
        sn.write_ucinet_dl(nx.DiGraph([('a"b', "c")]), tmp_path / "bad.dl")


# ------------------------------------------------------------------ Pajek
def test_pajek_fixture_names_resolved_through_roster():
    s = sn.read_pajek(HERE / "advice_pre.net", roster=ROSTER, wave="pre", relation="advice")
    assert ties_of(s) == TRUTH[("pre", "advice")]
    assert not (s.validation["severity"] == "error").any()
    raw = sn.read_pajek(HERE / "advice_pre.net", wave="pre")
    assert "Prof Siân O'Brien" in raw.people.index


PAJEK = """% comment
*Network senate
*Vertices 4
1 "007" 0.1 0.2 0.5
2 "NA"
3 "Jo Lee"
4 x
*Arcs :1 "advice"
1 2 3
3 1
*Arcs :2 "knows"
2 3
*Edges :2 "knows"
1 4 2
"""


def test_pajek_sections_and_relations():
    s = sn.read_pajek(PAJEK, wave="pre")
    assert s.relations == ("advice", "knows")
    assert ties_of(s, relation="advice") == {("007", "NA"): 3.0, ("Jo Lee", "007"): 1.0}
    assert ties_of(s, relation="knows") == {("NA", "Jo Lee"): 1.0, ("007", "x"): 2.0,
                                            ("x", "007"): 2.0}
    v = s.validation
    assert (v["check"] == "pajek_vertex_extra").sum() == 1
    assert (v["check"] == "pajek_edges").sum() == 1
    lists = "*Vertices 3\n1 a\n2 b\n3 c\n*Arcslist\n1 2 3\n*Matrix\n0 0 0\n0 0 4\n0 0 0\n"
    assert ties_of(sn.read_pajek(lists)) == {("a", "b"): 1.0, ("a", "c"): 1.0,
                                             ("b", "c"): 4.0}


@pytest.mark.parametrize("text, message", [
    ("*Vertices 3 2\n", "two-mode"),
    ("*Vertices 2\n1 a\n*Arcs\n1 3\n", "not in \\*Vertices"),
    ("*Vertices 2\n3 a\n", "not between 1 and 2"),
    ("*Arcs\n1 2\n", "before a \\*Vertices"),
    ("*Vertices 1\n1 a\n*Partition x\n", "needs a \\*Vertices"),
    ("*Vertices 1\n1 a\n*Partition x\n*Vertices 2\n1\n", "declares 2 vertices but has 1"),
    ("\n  \n", "the file is empty"),
    ("*Vertices 1\n1 a\n*Hierarchy x\n", "not supported"),
])
def test_pajek_unusable_input(text, message):
    with pytest.raises(InputError, match=message):
        sn.read_pajek(text)


def test_pajek_partition_goes_to_the_network_of_its_size_or_is_reported():
    # as in Pajek's food-web and EIES projects: a partition before its network, and
    # one after a network of another size
    text = ('*Partition eco\n*Vertices 2\n1\n2\n*Network big\n*Vertices 3\n1 "a"\n2 "b"\n'
            '3 "c"\n*Arcs\n1 2\n*Network small\n*Vertices 2\n1 "a"\n2 "d"\n*Arcs\n2 1\n'
            '*Partition dept\n*Vertices 3\n7\n8\n9\n*Vector odd\n*Vertices 4\n1\n2\n3\n4\n')
    s = sn.read_pajek(text)
    assert s.people.loc[["a", "d"], "eco"].tolist() == ["1", "2"]  # the 2-vertex network
    assert s.people.loc[["a", "b", "c"], "dept"].tolist() == ["7", "8", "9"]
    assert "odd" not in s.people.columns
    line = s.validation[s.validation["check"] == "pajek_attribute_unplaced"]
    assert line["value"].tolist() == ["odd"] and line["row"].tolist() == [23]
    with pytest.raises(InputError, match="fits no network"):
        sn.read_pajek(text, organisation="odd")


def test_pajek_repeated_labels_are_distinct_people_not_merged():
    # as in Pajek's GD contest files: every vertex labelled "o", or labels left blank
    text = '*Vertices 3\n1 "o"\n2 "o"\n3 ""\n*Arcs\n1 2\n2 3 2\n'
    s = sn.read_pajek(text)
    assert sorted(s.people.index) == ["3", "o [1]", "o [2]"]
    assert sorted(zip(s.ties["respondent"], s.ties["alter"], s.ties["strength"],
                      strict=True)) == [("o [1]", "o [2]", 1.0), ("o [2]", "3", 2.0)]
    assert "pajek_label_repeated" in set(s.validation["check"])


def test_pajek_relation_prefix_names_and_repeated_network_names():
    # "k: a b" puts an arc in relation k (Pajek's London Tube file); a network name is
    # the whole rest of its line; two networks of the same name are told apart
    s = sn.read_pajek('*Vertices 2\n1 a\n2 b\n*Edges :1 "Link"\n1 2\n*Arcs\n2: 2 1 3\n')
    assert s.relations == ("Link", "2")
    assert s.ties[s.ties["relation"] == "2"]["strength"].tolist() == [3.0]
    two = ('*Network UciNet\\BKFRAT.DAT behavioural\n*Vertices 2\n1 a\n2 b\n*Arcs\n1 2\n'
           '*Network UciNet\\BKFRAT.DAT behavioural\n*Vertices 2\n1 a\n2 b\n*Arcs\n2 1\n')
    s = sn.read_pajek(two)
    assert s.relations == ("UciNet\\BKFRAT.DAT behavioural", "UciNet\\BKFRAT.DAT behavioural (2)")
    assert "pajek_name_repeated" in set(s.validation["check"])


def test_dl_separator_after_the_last_matrix_is_ignored_with_a_line():
    s = sn.read_ucinet_dl("DL N=2\nFORMAT=EDGELIST1\nLABELS:\na b\nDATA:\n1 2\n!\n")
    assert len(s.ties) == 1 and "dl_trailing_separator" in set(s.validation["check"])


def test_pajek_round_trip_survey_pajek(tmp_path):
    s = sn.read_pajek(HERE / "advice_pre.net", roster=ROSTER, wave="pre", relation="advice")
    first = sn.write_pajek(s, tmp_path / "a.net")
    back = sn.read_pajek(first, roster=ROSTER, wave="pre", relation="advice")
    assert ties_of(back) == ties_of(s)
    assert sn.write_pajek(back, tmp_path / "b.net").read_bytes() == first.read_bytes()
    multi = sn.read_pajek(PAJEK, wave="pre")
    path = sn.write_pajek(multi, tmp_path / "m.net")
    assert '*Arcs :2 "knows"' in path.read_text()
    again = sn.read_pajek(path, wave="pre")
    for rel in multi.relations:
        assert ties_of(again, relation=rel) == ties_of(multi, relation=rel)


def test_pajek_from_graphs(tmp_path):
    U = nx.Graph()
    U.add_edge("007", "NA", strength=2.0)
    U.add_node("solo")
    text = sn.write_pajek(U, tmp_path / "u.net").read_text()
    assert "*Edges\n1 2 2\n" in text and '3 "solo"' in text
    s = sn.read_pajek(tmp_path / "u.net")
    assert ties_of(s) == {("007", "NA"): 2.0, ("NA", "007"): 2.0}
    D = nx.DiGraph([(1, 2)])
    D.nodes[1]["name"], D.nodes[2]["name"] = "Ann", "Bo"
    s = sn.read_pajek(sn.write_pajek(D, tmp_path / "d.net", label="name", weight=None))
    assert ties_of(s) == {("Ann", "Bo"): 1.0}


def test_windows_1252_dl_is_reported(tmp_path):
    path = tmp_path / "w.dl"
    path.write_bytes('DL N=2\nLABELS:\n"Siân","Bo"\nDATA:\n0 1\n0 0\n'.encode("cp1252"))
    s = sn.read_ucinet_dl(path)
    assert list(s.people.index) == ["Siân", "Bo"]
    assert (s.validation["check"] == "encoding").sum() == 1


def test_pajek_vertices_without_lines_and_xlsx_ids_without_zeros(tmp_path):
    s = sn.read_pajek("*Vertices 3\n2 \"Bo\"\n*Arcs\n1 2\n3 1 2\n")
    assert list(s.people.index) == ["1", "Bo", "3"]
    assert ties_of(s) == {("1", "Bo"): 1.0, ("3", "1"): 2.0}
    path = tmp_path / "m.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append([None, 1, 2])  # ids typed as numbers: Excel shows 1, not 001
    wb.active.append([1, 0, 1])
    wb.active.append([2, 0, 0])
    wb.save(path)
    with pytest.raises(sn.SurveyError, match="no nomination") as info:
        sn.read_adjacency_matrix(path, roster=ROSTER)
    v = info.value.problems
    hint = v[(v["check"] == "name_suggestion") & (v["value"] == "1")]
    assert "leading zeros" in hint["problem"].iloc[0] and "001" in hint["problem"].iloc[0]
    assert "leading zeros" in str(info.value)  # the message itself lists the problems


def test_writers_warn_that_zero_strength_ties_vanish(tmp_path):
    roster = pd.DataFrame({"person_id": ["a", "b"], "organisation": ["X", "Y"]})
    ties = pd.DataFrame({"wave": ["1", "1"], "respondent": ["a", "b"], "alter": ["b", "a"],
                         "strength": ["0", "2"]})
    s = sn.read_survey(roster, ties)  # strength 0 is kept as a tie, with a warning
    with pytest.warns(UserWarning, match="1 tie.* strength 0"):
        sn.write_ucinet_dl(s, tmp_path / "s.dl")
    with pytest.warns(UserWarning, match="read as no tie"):
        sn.write_pajek(s, tmp_path / "s.net")
    sn.write_pajek(s, tmp_path / "binary.net", weight=None)  # no warning: every tie is 1
    assert ties_of(sn.read_pajek(tmp_path / "binary.net")) == {("a", "b"): 1.0,
                                                               ("b", "a"): 1.0}


def test_utf16_dl_and_pajek_files_are_read(tmp_path):
    dl = tmp_path / "u16.dl"
    dl.write_bytes("DL N=2\nLABELS:\nZoë,Siân\nDATA:\n0 1\n0 0\n".encode("utf-16"))
    assert ties_of(sn.read_ucinet_dl(dl)) == {("Zoë", "Siân"): 1.0}
    net = tmp_path / "u16.net"
    net.write_bytes('*Vertices 2\n1 "Zoë"\n2 "Siân"\n*Arcs\n2 1 3\n'.encode("utf-16"))
    s = sn.read_pajek(net)
    assert ties_of(s) == {("Siân", "Zoë"): 3.0}
    assert not (s.validation["check"] == "encoding").any()


# ------------------------------------------------------------ issue 15: formats as UCINET/Pajek write them
def test_dl_level_labels_name_the_matrices_not_people():
    text = ("DL N=3 NM=2\nFORMAT=FULLMATRIX DIAGONAL PRESENT\nROW LABELS:\nA\nB\nC\n"
            "COLUMN LABELS:\na\nb\nc\nLEVEL LABELS:\nFRIEND\nADVICE\nDATA:\n"
            "0 1 0\n0 0 1\n0 0 0\n0 0 0\n1 0 0\n0 0 0\n")
    s = sn.read_ucinet_dl(text, matrices_as="relations", wave="pre")
    assert s.relations == ("FRIEND", "ADVICE") and s.waves == ("pre",)
    assert sorted(s.people.index) == ["A", "B", "C"]
    assert ties_of(s, relation="FRIEND") == {("A", "B"): 1.0, ("B", "C"): 1.0}
    assert ties_of(s, relation="ADVICE") == {("B", "A"): 1.0}
    waves = sn.read_ucinet_dl(text.replace("LEVEL", "MATRIX"), relation="advice")
    assert waves.waves == ("FRIEND", "ADVICE")


def test_dl_wave_is_honoured_so_pre_and_post_files_do_not_collide():
    text = "DL N=2\nLABELS:\na b\nDATA:\n0 1\n0 0\n"
    assert sn.read_ucinet_dl(text, wave="pre").waves == ("pre",)
    assert set(sn.read_ucinet_dl(text, wave="post").ties["wave"]) == {"post"}


def test_dl_row_and_column_labels_that_differ_are_refused_as_two_mode():
    text = "DL NR=2 NC=2\nROW LABELS:\na b\nCOLUMN LABELS:\nx y\nDATA:\n0 1\n1 0\n"
    with pytest.raises(InputError, match="two-mode.*projected"):
        sn.read_ucinet_dl(text)


@pytest.mark.parametrize("text", [
    "DL N=3\nFORMAT=FULLMATRIX\nLABELS EMBEDDED\nDATA:\na b c\na 0 1 0\nb 0 0 1\nc 1 0 0\n",
    "DL N=3\nLABELS:\nA,B,C\nLABELS EMBEDDED:\nDATA:\na B c\nA 0 1 0\nb 0 0 1\nC 1 0 0\n",
    "DL N=3\nROW LABELS EMBEDDED\nDATA:\na 0 1 0\nb 0 0 1\nc 1 0 0\n",
    "DL N=3\nCOLUMN LABELS EMBEDDED\nDATA:\na b c\n0 1 0\n0 0 1\n1 0 0\n",
    "DL N=3 FORMAT=EDGELIST1\nLABELS EMBEDDED\nDATA:\na b\nB c\nc A\n",
])
def test_dl_labels_embedded_in_every_position_and_compared_ignoring_case(text):
    s = sn.read_ucinet_dl(text)
    folded = {(a.casefold(), b.casefold()) for a, b in ties_of(s)}
    assert folded == {("a", "b"), ("b", "c"), ("c", "a")}
    assert len(s.people) == 3


def test_dl_half_matrices_and_absent_diagonal():
    lower = "DL N=3 FORMAT=LOWERHALF\nLABELS:\na b c\nDATA:\n0\n1 0\n0 2 0\n"
    expect = {("a", "b"): 1.0, ("b", "a"): 1.0, ("b", "c"): 2.0, ("c", "b"): 2.0}
    assert ties_of(sn.read_ucinet_dl(lower)) == expect
    lower_absent = "DL N=3 FORMAT=LOWERHALF DIAGONAL=ABSENT\nLABELS:\na b c\nDATA:\n1\n0 2\n"
    assert ties_of(sn.read_ucinet_dl(lower_absent)) == expect
    upper = "DL N=3 FORMAT=UPPERHALF DIAGONAL=ABSENT\nLABELS:\na b c\nDATA:\n1 0\n2\n"
    assert ties_of(sn.read_ucinet_dl(upper)) == expect
    full_absent = "DL N=3 DIAGONAL=ABSENT\nLABELS:\na b c\nDATA:\n1 0\n0 2\n3 0\n"
    assert ties_of(sn.read_ucinet_dl(full_absent)) == {("a", "b"): 1.0, ("b", "c"): 2.0,
                                                        ("c", "a"): 3.0}


def test_dl_labels_then_labels_embedded_is_not_counted_as_labels():
    text = "DL N=2\nLABELS:\na,b\nLABELS EMBEDDED:\nDATA:\na b\na 0 1\nb 0 0\n"
    assert ties_of(sn.read_ucinet_dl(text)) == {("a", "b"): 1.0}


def test_pajek_each_network_is_its_own_relation_and_partitions_are_attributes():
    paj = ('*Network behaviour\n*Vertices 3\n1 "a"\n2 "b"\n3 "c"\n*Arcs\n1 2 1\n'
           '*Network cognitive\n*Vertices 3\n1 "a"\n2 "b"\n3 "c"\n*Arcs\n1 2 5\n2 3 1\n'
           '*Network nothing\n*Vertices 3\n1 "a"\n2 "b"\n3 "c"\n*Arcs\n'
           '*Partition house\n*Vertices 3\n1\n2\n1\n*Vector age\n*Vertices 3\n20\n21.5\n19\n')
    s = sn.read_pajek(paj, organisation="house")
    assert s.relations == ("behaviour", "cognitive", "nothing")
    assert ties_of(s, relation="behaviour") == {("a", "b"): 1.0}
    assert ties_of(s, relation="cognitive") == {("a", "b"): 5.0, ("b", "c"): 1.0}
    assert s.people["organisation"].to_dict() == {"a": "1", "b": "2", "c": "1"}
    assert s.people["age"].to_dict() == {"a": "20", "b": "21.5", "c": "19"}
    assert "empty_relation" in set(s.validation["check"])
    w = sn.read_pajek(paj, networks_as="waves", relation="advice")
    assert w.waves == ("behaviour", "cognitive", "nothing") and w.relations == ("advice",)
    with pytest.raises(InputError, match="not a partition or vector"):
        sn.read_pajek(paj, organisation="sex")


def test_writers_find_weight_or_strength_and_refuse_ambiguity(tmp_path):
    G = nx.DiGraph([("a", "b", {"weight": 3.0})])
    assert "0 3" in sn.write_ucinet_dl(G, tmp_path / "g.dl").read_text()
    both = nx.DiGraph([("a", "b", {"weight": 3.0, "strength": 2.0})])
    with pytest.raises(InputError, match="both 'strength' and 'weight'"):
        sn.write_pajek(both, tmp_path / "g.net")
    assert "1 2 2" in sn.write_pajek(both, tmp_path / "g.net", weight="strength").read_text()
    with pytest.raises(InputError, match="give weight='weight'"):
        sn.write_pajek(G, tmp_path / "g.net", weight="strength")


def test_writers_sum_or_refuse_multigraph_parallel_edges(tmp_path):
    M = nx.MultiDiGraph()
    M.add_edge("a", "b", strength=2.0)
    M.add_edge("a", "b", strength=3.0)
    with pytest.raises(InputError, match="parallel edges"):
        sn.write_ucinet_dl(M, tmp_path / "m.dl")
    text = sn.write_ucinet_dl(M, tmp_path / "m.dl", parallel="sum").read_text()
    assert "0 5" in text
    assert ties_of(sn.read_ucinet_dl(tmp_path / "m.dl")) == {("a", "b"): 5.0}


def test_compressed_inputs_are_read_or_refused_naming_the_compression(tmp_path):
    import gzip
    import zipfile

    dl = "DL N=2\nLABELS:\na b\nDATA:\n0 1\n0 0\n"
    (tmp_path / "x.dl.gz").write_bytes(gzip.compress(dl.encode()))
    assert ties_of(sn.read_ucinet_dl(tmp_path / "x.dl.gz")) == {("a", "b"): 1.0}
    with zipfile.ZipFile(tmp_path / "m.zip", "w") as z:
        z.writestr("m.csv", ",a,b\na,0,1\nb,0,0\n")
    assert ties_of(sn.read_adjacency_matrix(tmp_path / "m.zip")) == {("a", "b"): 1.0}
    with zipfile.ZipFile(tmp_path / "two.zip", "w") as z:
        z.writestr("m.csv", "x")
        z.writestr("n.csv", "y")
    with pytest.raises(InputError, match="zip archive holding 2 files"):
        sn.read_adjacency_matrix(tmp_path / "two.zip")
    (tmp_path / "bad.dl.gz").write_bytes(b"\x1f\x8b" + b"junk")
    with pytest.raises(InputError, match="gzip"):
        sn.read_ucinet_dl(tmp_path / "bad.dl.gz")


def test_unlabelled_matrix_says_row_1_and_column_a_need_labels(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("0,1,0\n1,0,1\n0,1,0\n", encoding="utf-8")
    with pytest.raises(InputError, match="row 1, column 'A'.*no labels"):
        sn.read_adjacency_matrix(path)
