"""Every single-network case of ../shared/reference-networks/expected against R's sna.

Networks are built exactly as the reference README says: all vertices of
nodes.csv in file order, ties filtered by relation/wave/min-weight, binary,
duplicates collapsed, self-loops dropped, union-symmetrised for --undirected.
"""

from __future__ import annotations

import json

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import senatenet as sn

pytestmark = pytest.mark.reference

TOL = 1e-9


def _cases(reference_dir):
    """Every expected/<dataset>/<case>/ holding a summary.json (one network)."""
    return sorted((reference_dir / "expected").glob("*/*/summary.json"))


def _build(reference_dir, spec: dict, dataset: str) -> nx.Graph:
    folder = reference_dir / dataset
    nodes = pd.read_csv(folder / spec["nodes"], dtype=str, keep_default_na=False)
    ties = pd.read_csv(folder / spec["ties"], dtype=str, keep_default_na=False)
    if spec["relation"] is not None:
        ties = ties[ties["relation"] == spec["relation"]]
    if spec["wave"] is not None:
        ties = ties[ties["wave"] == spec["wave"]]
    if spec["min_weight"] is not None:
        ties = ties[ties["weight"].astype(float) >= float(spec["min_weight"])]
    G = nx.DiGraph() if spec["directed"] else nx.Graph()
    for _, row in nodes.iterrows():
        G.add_node(row["id"], group=row[spec["group_col"]])
    G.add_edges_from(
        (s, t) for s, t in zip(ties["source"], ties["target"], strict=True) if s != t
    )
    return G


def _expected(folder):
    summary = json.loads((folder / "summary.json").read_text())
    nodes = pd.read_csv(
        folder / "nodes.csv", dtype={"id": str, "label": str, "group": str}
    )
    return summary, nodes.set_index("id")


def _close(actual, expected, what):
    actual = np.asarray(actual, dtype=float)
    expected = np.asarray(expected, dtype=float)
    assert actual.shape == expected.shape, what
    both_nan = np.isnan(actual) & np.isnan(expected)
    ok = both_nan | np.isclose(actual, expected, rtol=TOL, atol=TOL)
    assert ok.all(), f"{what}: got {actual[~ok]}, sna {expected[~ok]}"


@pytest.fixture(scope="module")
def cases(reference_dir):
    out = []
    for path in _cases(reference_dir):
        summary, nodes = _expected(path.parent)
        dataset = path.parent.parent.name
        G = _build(reference_dir, summary["spec"], dataset)
        out.append((f"{dataset}/{path.parent.name}", G, summary, nodes))
    assert len(out) >= 18  # krackhardt 6, lazega 6, sampson 6 at the time of writing
    return out


def test_built_networks_match_the_reference(cases):
    for name, G, summary, nodes in cases:
        assert list(G) == list(nodes.index), name
        assert G.number_of_nodes() == summary["n"], name
        ties = G.number_of_edges()
        assert ties == summary["ties"], name
        groups = pd.Series(dict(G.nodes(data="group"))).value_counts(sort=False)
        assert groups.to_dict() == summary["groups"], name


def test_network_summary(cases):
    for name, G, summary, _ in cases:
        s = sn.network_summary(G, "group")
        _close(s["density"], summary["density"], f"{name} density")
        if G.is_directed():
            _close(
                s["reciprocity"], summary["reciprocity"]["edgewise"], f"{name} recip"
            )
        else:
            assert np.isnan(s["reciprocity"])
        assert s["isolates"] == summary["isolates"], name
        c = summary["centralization"]
        keys = {
            "degree_freeman" if G.is_directed() else "degree": "centralization_degree",
            "betweenness": "centralization_betweenness",
            "closeness": "centralization_closeness",
        }
        if G.is_directed():
            keys.update(
                degree_indegree="centralization_indegree",
                degree_outdegree="centralization_outdegree",
                closeness_suminvdir="centralization_harmonic_closeness",
            )
        else:
            keys["closeness_suminvundir"] = "centralization_harmonic_closeness"
        for key, ours in keys.items():
            _close(s[ours], c[key]["value"], f"{name} {key}")
        whole = summary["ei"]["whole"]["undirected"]
        assert (s["external_ties"], s["internal_ties"]) == (whole["E"], whole["I"]), (
            name
        )
        _close(s["ei"], whole["ei"], f"{name} ei")


def test_centralization(cases):
    for name, G, summary, _ in cases:
        c = summary["centralization"]
        if G.is_directed():
            calls = {
                "degree_freeman": ("degree", "freeman"),
                "degree_indegree": ("degree", "in"),
                "degree_outdegree": ("degree", "out"),
                "betweenness": ("betweenness", "freeman"),
                "closeness": ("closeness", "freeman"),
                "closeness_suminvdir": ("harmonic_closeness", "freeman"),
            }
        else:
            calls = {
                "degree": ("degree", "freeman"),
                "betweenness": ("betweenness", "freeman"),
                "closeness": ("closeness", "freeman"),
                "closeness_suminvundir": ("harmonic_closeness", "freeman"),
            }
        for key, (measure, mode) in calls.items():
            value = sn.centralization(G, measure, mode=mode)
            _close(value, c[key]["value"], f"{name} {key}")


def test_ei_whole_and_groups(cases):
    for name, G, summary, _ in cases:
        whole = summary["ei"]["whole"]
        for key, direction in (("arcs", "out"), ("undirected", "undirected")):
            row = sn.ei_index(G, "group", direction=direction).iloc[0]
            assert (row["E"], row["I"]) == (whole[key]["E"], whole[key]["I"]), name
            _close(row["ei"], whole[key]["ei"], f"{name} ei {key}")
        for key, direction in (
            ("out", "out"),
            ("in", "in"),
            ("all_arcs", "all"),
            ("undirected", "undirected"),
        ):
            table = sn.ei_index(G, "group", level="group", direction=direction)
            for g in summary["ei"]["groups"]:
                row, want = table.loc[g["group"]], g[key]
                assert row["size"] == g["size"], name
                assert (row["E"], row["I"]) == (want["E"], want["I"]), (
                    name,
                    g["group"],
                    key,
                )
                _close(row["ei"], np.nan if want["ei"] is None else want["ei"], name)


def test_ei_nodes(cases):
    for name, G, _, nodes in cases:
        for key, direction in (
            ("ei_out", "out"),
            ("ei_in", "in"),
            ("ei_all_arcs", "all"),
            ("ei_undirected", "undirected"),
        ):
            table = sn.ei_index(G, "group", level="node", direction=direction)
            _close(table["E"], nodes[f"{key}_E"], f"{name} {key} E")
            _close(table["I"], nodes[f"{key}_I"], f"{name} {key} I")
            _close(table["ei"], nodes[key], f"{name} {key}")


def test_brokerage(cases):
    names = {"w_I": "coordinator", "w_O": "itinerant", "b_IO": "representative"}
    names.update(b_OI="gatekeeper", b_O="liaison", t="total")
    for name, G, summary, nodes in cases:
        table = sn.brokerage(G, "group")
        for sna, ours in names.items():
            _close(table[ours], nodes[f"brk_{sna}"], f"{name} {sna}")
            assert table[ours].sum() == summary["brokerage"]["raw_gli"][sna], name
        network = sn.brokerage_expected(G, "group", level="network")
        _close(network["observed"], table.sum().to_numpy(), name)


def test_node_table(cases):
    for name, G, _, nodes in cases:
        table = sn.node_table(G, "group")
        if G.is_directed():
            _close(table["in_degree"], nodes["indegree"], f"{name} indegree")
            _close(table["out_degree"], nodes["outdegree"], f"{name} outdegree")
            _close(table["degree"], nodes["degree_freeman"], f"{name} degree")
            _close(table["harmonic_closeness"], nodes["closeness_suminvdir"], name)
            union = sn.node_table(nx.Graph(G), "group")
            _close(
                union["closeness"], nodes["closeness_undirected"], f"{name} undirected"
            )
        else:
            _close(table["degree"], nodes["degree"], f"{name} degree")
            _close(table["harmonic_closeness"], nodes["closeness_suminvundir"], name)
        _close(table["betweenness"], nodes["betweenness"], f"{name} betweenness")
        _close(table["closeness"], nodes["closeness"], f"{name} closeness")
        _close(table["constraint"], nodes["constraint"], f"{name} constraint")
        _close(table["constraint"], nodes["constraint_igraph"], f"{name} constraint")
        _close(table["effective_size"], nodes["effective_size"], f"{name} effsize")
        _close(table["ei"], nodes["ei_undirected"], f"{name} ei")
        _close(table["external_ties"], nodes["ei_undirected_E"], f"{name} E")
        _close(table["brokerage"], nodes["brk_t"], f"{name} brokerage")


def test_structural_holes(cases):
    for name, G, _, nodes in cases:
        holes = sn.structural_holes(G)
        _close(holes["constraint"], nodes["constraint"], f"{name} constraint")
        _close(holes["effective_size"], nodes["effective_size"], f"{name} effsize")
        _close(holes["ego_size"], nodes["ego_size"], f"{name} ego_size")
        borgatti = sn.structural_holes(nx.Graph(G))["effective_size"]
        _close(borgatti, nodes["effective_size_borgatti_sym"], f"{name} borgatti")


@pytest.mark.parametrize("backend", ["igraph", "networkx"])
def test_both_backends_match_sna(cases, backend):
    pytest.importorskip("igraph") if backend == "igraph" else None
    for name, G, _, nodes in cases:
        table = sn.node_table(G, "group", backend=backend)
        _close(table["betweenness"], nodes["betweenness"], f"{name} {backend}")
        _close(table["closeness"], nodes["closeness"], f"{name} {backend}")
