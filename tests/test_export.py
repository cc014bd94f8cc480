"""Exports: GraphML/GEXF round trips keep every node and text ids; tables cannot
run as spreadsheet formulas; nothing the caller passes is modified."""

from __future__ import annotations

import copy
import math

import networkx as nx
import numpy as np
import openpyxl
import pandas as pd
import pytest

import senatenet as sn


def _tricky_graph() -> nx.DiGraph:
    G = nx.DiGraph(wave="pre", relation="knows", min_strength=None, excluded=["x"])
    G.add_node("007", name="Ada", organisation="North", responded=True, cohort=None,
               size=np.int64(3), score=np.float64(0.5))
    G.add_node("NA", name="=HYPERLINK(\"x\")", organisation="West", responded=False,
               cohort="senate", size=4, score=float("nan"))
    G.add_node("7", name="Seven", organisation="North", responded=True, cohort=pd.NA,
               size=5, score=1)  # int among floats: written as a double
    G.add_node("mixed", organisation="South", responded=True, size="large")
    G.add_edge("007", "NA", strength=3.0, note=None)
    G.add_edge("NA", "7", strength=np.float64(1.0), note="met twice")
    return G


def test_graphml_round_trip_keeps_ids_nodes_and_attributes(tmp_path):
    G = _tricky_graph()
    before = copy.deepcopy(G)
    path = sn.write_graphml(G, tmp_path / "sub" / "g.graphml")
    H = nx.read_graphml(path)
    assert nx.utils.graphs_equal(G, before)  # caller's graph untouched
    assert H.is_directed()
    assert list(H.nodes) == ["007", "NA", "7", "mixed"]  # "007" is not 7, "NA" not missing
    assert H.nodes["007"]["name"] == "Ada"
    assert H.nodes["007"]["responded"] is True and H.nodes["NA"]["responded"] is False
    assert "cohort" not in H.nodes["007"] and "cohort" not in H.nodes["7"]  # missing
    assert H.nodes["NA"]["cohort"] == "senate"
    assert H.nodes["NA"]["name"] == '=HYPERLINK("x")'  # data kept exactly
    # 'size' mixes numbers and text: written as text for every node
    assert [H.nodes[n]["size"] for n in H] == ["3", "4", "5", "large"]
    assert H.nodes["007"]["score"] == 0.5 and H.nodes["7"]["score"] == 1.0
    assert "score" not in H.nodes["NA"]
    assert H.edges["007", "NA"]["strength"] == 3.0 and "note" not in H.edges["007", "NA"]
    assert H.edges["NA", "7"]["note"] == "met twice"
    assert H.graph["wave"] == "pre" and "min_strength" not in H.graph
    assert H.graph["excluded"] == '["x"]'


def test_graphml_round_trip_of_a_sample_graph(tmp_path):
    survey = sn.load_sample()
    G = survey.person_graph("post", "advice")
    H = nx.read_graphml(sn.write_graphml(G, tmp_path / "g.graphml"))
    assert list(H.nodes) == list(G.nodes)
    assert set(H.edges) == set(G.edges)
    for u, v, s in G.edges(data="strength"):
        assert H.edges[u, v]["strength"] == s
    for n, data in G.nodes(data=True):
        assert H.nodes[n]["organisation"] == data["organisation"]
        assert H.nodes[n]["responded"] == data["responded"]
        assert H.nodes[n]["participant"] == data["participant"]


def test_graphml_keeps_undirected_graphs_undirected(tmp_path):
    G = nx.Graph()
    G.add_edge("a", "b", ties=2)
    H = nx.read_graphml(sn.write_graphml(G, tmp_path / "g.graphml"))
    assert not H.is_directed() and H.edges["a", "b"]["ties"] == 2


def test_gexf_keeps_nodes_with_unwritable_values_and_text_ids(tmp_path):
    G = _tricky_graph()
    G.nodes["007"]["id"] = "clash"  # a roster column called "id" must not replace the id
    before = copy.deepcopy(G)
    H = nx.read_gexf(sn.write_gexf(G, tmp_path / "g.gexf"))
    assert nx.utils.graphs_equal(G, before)
    assert sorted(H.nodes) == sorted(["007", "NA", "7", "mixed"])
    assert H.nodes["007"]["label"] == "Ada"
    assert H.nodes["mixed"]["label"] == "mixed"  # no name: the id
    assert H.nodes["007"]["id_"] == "clash"
    assert H.nodes["007"]["responded"] is True
    assert "cohort" not in H.nodes["007"] and H.nodes["NA"]["cohort"] == "senate"
    assert H.edges["007", "NA"]["weight"] == 3.0
    assert H.edges["007", "NA"]["strength"] == 3.0


def test_gexf_of_a_sample_org_graph(tmp_path):
    G = sn.load_sample().org_graph("post", "knows")
    H = nx.read_gexf(sn.write_gexf(G, tmp_path / "org.gexf"))
    assert sorted(H.nodes) == sorted(G.nodes)
    assert H.number_of_edges() == G.number_of_edges()


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_to_excel_safe_neutralises_each_dangerous_prefix(prefix):
    df = pd.DataFrame({"name": [f"{prefix}cmd|' /C calc'!A0", "Ada"]})
    out = sn.to_excel_safe(df)
    assert out.loc[0, "name"] == f"'{prefix}cmd|' /C calc'!A0"
    assert out.loc[1, "name"] == "Ada"
    assert df.loc[0, "name"].startswith(prefix)  # caller's frame untouched


def test_to_excel_safe_keeps_numbers_as_numbers():
    df = pd.DataFrame({
        "change": [-2, 3, 0],
        "ei": [-0.5, np.nan, 0.25],
        "text": ["-2", "", None],
        "flag": [True, False, True],
    }, index=pd.Index(["=a", "b", "007"], name="+id"))
    out = sn.to_excel_safe(df)
    assert out["change"].tolist() == [-2, 3, 0] and out["change"].dtype == df["change"].dtype
    assert out["ei"].iloc[0] == -0.5 and math.isnan(out["ei"].iloc[1])
    assert out["text"].iloc[0] == "'-2" and out["text"].iloc[1] == ""
    assert pd.isna(out["text"].iloc[2])
    assert out["flag"].tolist() == [True, False, True]
    assert list(out.index) == ["'=a", "b", "007"] and out.index.name == "'+id"


def test_to_excel_safe_neutralises_column_names():
    out = sn.to_excel_safe(pd.DataFrame({"=1+1": [1], "ok": [2]}))
    assert list(out.columns) == ["'=1+1", "ok"]


def test_write_csv_is_excel_safe_and_keeps_text(tmp_path):
    df = pd.DataFrame(
        {"name": ["@SUM(A1)", "Zoë"], "strength": [-1.5, 2.0]},
        index=pd.Index(["007", "NA"], name="person_id"),
    )
    path = sn.write_csv(df, tmp_path / "out" / "nodes.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    back = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert back.columns.tolist() == ["person_id", "name", "strength"]
    assert back["person_id"].tolist() == ["007", "NA"]
    assert back["name"].tolist() == ["'@SUM(A1)", "Zoë"]
    assert back["strength"].tolist() == ["-1.5", "2.0"]  # numbers not prefixed


def test_write_csv_leaves_out_a_plain_range_index(tmp_path):
    path = sn.write_csv(pd.DataFrame({"a": [1]}), tmp_path / "t.csv")
    assert path.read_text(encoding="utf-8-sig") == "a\n1\n"


def test_write_xlsx_stores_formula_like_text_as_text(tmp_path):
    people = pd.DataFrame(
        {"name": ["=1+1", "-minus", "Ada\x07"], "strength": [-2, 3.5, None]},
        index=pd.Index(["007", "NA", "x"], name="person_id"),
    )
    ties = pd.DataFrame({"source": ["007"], "target": ["NA"]})
    before = people.copy()
    path = sn.write_xlsx({"people/2012": people, "ties": ties}, tmp_path / "t.xlsx")
    pd.testing.assert_frame_equal(people, before)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["people_2012", "ties"]
    ws = wb["people_2012"]
    assert [c.value for c in ws[1]] == ["person_id", "name", "strength"]
    assert ws["A2"].value == "007" and ws["A3"].value == "NA"
    assert ws["B2"].value == "=1+1" and ws["B2"].data_type == "s"
    assert ws["B3"].value == "-minus" and ws["B3"].data_type == "s"
    assert ws["B4"].value == "Ada\\x07"  # control character written visibly
    assert ws["C2"].value == -2 and ws["C2"].data_type == "n"
    assert ws["C4"].value is None
    assert wb["ties"]["A1"].value == "source"  # RangeIndex not written


def test_write_xlsx_header_quotes_dates_and_the_same_bytes_each_time(tmp_path):
    df = pd.DataFrame({
        "note": ["+44 113", "plain"], "when": pd.to_datetime(["2012-03-01", None]),
        "ok": [True, False], "x": [float("inf"), 1],
    })
    a = sn.write_xlsx({"t": df}, tmp_path / "a.xlsx")
    b = sn.write_xlsx({"t": df}, tmp_path / "b.xlsx")
    assert a.read_bytes() == b.read_bytes()  # no run time inside
    ws = openpyxl.load_workbook(a)["t"]
    assert ws.freeze_panes == "A2" and all(c.font.b for c in ws[1])
    assert ws["A2"].value == "+44 113" and ws["A2"].quotePrefix  # stays text when edited
    assert not ws["A3"].quotePrefix
    assert ws["B2"].value == pd.Timestamp("2012-03-01") and ws["B3"].value is None
    assert ws["B2"].is_date
    assert ws["C2"].value is True and ws["C3"].value is False
    assert ws["D2"].value == "inf" and ws["D2"].data_type == "s"  # Excel has no inf
    assert ws["D3"].value == 1


def test_write_xlsx_typed_columns_give_the_cells_of_the_cell_by_cell_path(tmp_path):
    # numeric, boolean and datetime columns are converted a column at a time;
    # the same values in object columns go cell by cell: same cells either way
    typed = pd.DataFrame({
        "i": np.array([3, -1, 0], dtype=np.int64),
        "u": np.array([0, 200, 7], dtype=np.uint8),
        "f": [0.5, float("nan"), float("-inf")],
        "f32": np.array([1.25, np.inf, -0.0], dtype=np.float32),
        "b": [True, False, True],
        "when": pd.to_datetime(["2012-03-01 09:30", None, "2013-01-31 00:00"]),
        "nullable": pd.array([1, None, 3], dtype="Int64"),
    })
    before = typed.copy()
    a = sn.write_xlsx({"t": typed}, tmp_path / "typed.xlsx")
    pd.testing.assert_frame_equal(typed, before)
    b = sn.write_xlsx({"t": typed.astype(object)}, tmp_path / "object.xlsx")

    def cells(path):
        ws = openpyxl.load_workbook(path)["t"]
        return [[(c.value, c.data_type) for c in row] for row in ws.iter_rows()]

    got = cells(a)
    assert got == cells(b)
    assert got[2][2] == (None, "n") and got[3][2] == ("-inf", "s")
    assert got[2][3] == ("inf", "s") and got[1][4] == (True, "b")
    assert got[2][5][0] is None and got[1][5][0] == pd.Timestamp("2012-03-01 09:30")


def test_write_xlsx_refuses_text_longer_than_a_cell_holds(tmp_path):
    df = pd.DataFrame({"note": ["short", "x" * 40000]})
    with pytest.raises(sn.InputError, match="does not fit in an Excel cell") as e:
        sn.write_xlsx({"t": df}, tmp_path / "t.xlsx")
    assert e.value.row == 3 and e.value.column == "1"


def test_write_xlsx_makes_unique_sheet_names(tmp_path):
    df = pd.DataFrame({"a": [1]})
    long = "x" * 40
    wb = openpyxl.load_workbook(sn.write_xlsx({long: df, long + "y": df}, tmp_path / "t.xlsx"))
    assert wb.sheetnames[0] == "x" * 31
    assert len(wb.sheetnames[1]) <= 31 and wb.sheetnames[1] != wb.sheetnames[0]


def test_write_xlsx_needs_a_sheet(tmp_path):
    with pytest.raises(sn.InputError):
        sn.write_xlsx({}, tmp_path / "t.xlsx")


def test_node_and_edge_tables():
    G = _tricky_graph()
    nodes = sn.node_table_frame(G, index_name="person_id")
    assert nodes.index.tolist() == ["007", "NA", "7", "mixed"]
    assert nodes.index.name == "person_id"
    assert nodes.columns.tolist() == ["name", "organisation", "responded", "cohort",
                                      "size", "score"]
    assert pd.isna(nodes.loc["mixed", "name"])
    edges = sn.edge_table_frame(G)
    assert edges.columns.tolist() == ["source", "target", "strength", "note"]
    assert edges[["source", "target"]].values.tolist() == [["007", "NA"], ["NA", "7"]]


def test_edge_table_keeps_colliding_attributes_and_multigraph_keys():
    M = nx.MultiDiGraph()
    M.add_edge("a", "b", key="k1", source="survey")
    M.add_edge("a", "b", key="k2")
    edges = sn.edge_table_frame(M)
    assert edges.columns.tolist() == ["source", "target", "key", "edge_source"]
    assert edges["key"].tolist() == ["k1", "k2"]
    assert edges["source"].tolist() == ["a", "a"]
    assert edges["edge_source"].iloc[0] == "survey"


def test_empty_graph_tables():
    assert sn.node_table_frame(nx.Graph()).empty
    assert sn.edge_table_frame(nx.Graph()).columns.tolist() == ["source", "target"]


def test_to_excel_safe_covers_categoricals_duplicate_names_and_multiindex():
    df = pd.DataFrame([["=x", "+y", 1]], columns=["a", "a", "n"])
    df["cat"] = pd.Categorical(["@z"])
    df.index = pd.MultiIndex.from_tuples([("-w", 1)], names=["k", "i"])
    out = sn.to_excel_safe(df)
    assert out.iloc[0].tolist() == ["'=x", "'+y", 1, "'@z"]
    assert out.index[0] == ("'-w", 1)


def test_gexf_is_the_same_file_for_the_same_graph(tmp_path):
    G = sn.load_sample().person_graph("pre", "knows")
    a = sn.write_gexf(G, tmp_path / "a.gexf").read_text(encoding="utf-8")
    assert "lastmodifieddate" not in a
    assert "wave=pre; relation=knows" in a
    assert a == sn.write_gexf(G, tmp_path / "b.gexf").read_text(encoding="utf-8")
