"""E-I index: hand-computed values, directions, permutation test, edge cases."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from test_measures_fixture import fixture_digraph, snapshot

import senatenet as sn


def test_fixture_network_level_matches_methods_md():
    row = sn.ei_index(fixture_digraph()).loc["network"]
    assert (row["E"], row["I"]) == (7, 6)
    assert row["ei"] == pytest.approx(1 / 13)
    # I* = 3 + 1 + 3 = 7 internal pairs, E* = 28 - 7 = 21
    assert row["ei_expected"] == pytest.approx((21 - 7) / 28)
    assert row["ei_min"] == pytest.approx((13 - 14) / 13)
    assert row["ei_max"] == 1.0
    rescaled = 2 * (1 / 13 + 1 / 13) / (1 + 1 / 13) - 1
    assert row["ei_rescaled"] == pytest.approx(rescaled)
    assert row["ei_rescaled"] == pytest.approx(-0.714, abs=5e-4)


def test_fixture_group_and_node_levels():
    G = fixture_digraph()
    groups = sn.ei_index(G, level="group")
    assert groups.index.name == "organisation"
    assert groups.index.tolist() == ["A", "B", "C"]
    assert groups["size"].tolist() == [3, 2, 3]
    assert groups["E"].tolist() == [4, 6, 4]
    assert groups["I"].tolist() == [3, 1, 2]
    assert groups["ei"].round(3).tolist() == [0.143, 0.714, 0.333]
    nodes = sn.ei_index(G, level="node")
    assert nodes.index.tolist() == list(G)
    expected = [0, -1 / 3, -1 / 3, 0.5, 0.5, 1 / 3, -1, 1 / 3]
    np.testing.assert_allclose(nodes["ei"], expected)


def _directed_example():
    # a <-> b inside X, a -> c and d -> a across, c in Y, d in Z
    G = nx.DiGraph([("a", "b"), ("b", "a"), ("a", "c"), ("d", "a")])
    nx.set_node_attributes(G, {"a": "X", "b": "X", "c": "Y", "d": "Z"}, "organisation")
    return G


@pytest.mark.parametrize(
    ("direction", "E", "I"),
    [("out", 1, 1), ("in", 1, 1), ("all", 2, 2), ("undirected", 2, 1)],
)
def test_node_directions_by_hand(direction, E, I):  # noqa: E741
    row = sn.ei_index(_directed_example(), level="node", direction=direction).loc["a"]
    assert (row["E"], row["I"]) == (E, I)


def test_group_directions_by_hand():
    G = _directed_example()
    out = sn.ei_index(G, level="group", direction="out")
    inn = sn.ei_index(G, level="group", direction="in")
    both = sn.ei_index(G, level="group", direction="all")
    und = sn.ei_index(G, level="group", direction="undirected")
    # X: internal arcs a->b, b->a (2); sends a->c; receives d->a
    assert (out.loc["X", "E"], out.loc["X", "I"]) == (1, 2)
    assert (inn.loc["X", "E"], inn.loc["X", "I"]) == (1, 2)
    assert (both.loc["X", "E"], both.loc["X", "I"]) == (2, 2)
    assert (und.loc["X", "E"], und.loc["X", "I"]) == (2, 1)
    assert (out.loc["Y", "E"], inn.loc["Y", "E"]) == (0, 1)
    assert np.isnan(out.loc["Y", "ei"])  # Y sends nothing and has no internal tie


def test_network_directions_count_arcs():
    G = _directed_example()
    for direction in ("out", "in", "all"):
        row = sn.ei_index(G, direction=direction).iloc[0]
        assert (row["E"], row["I"]) == (2, 2)
        # ordered pairs: I* = 2 (a,b both ways), E* = 12 - 2 = 10
        assert row["ei_expected"] == pytest.approx(8 / 12)
    und = sn.ei_index(G).iloc[0]
    assert (und["E"], und["I"]) == (2, 1)
    assert und["ei_expected"] == pytest.approx((5 - 1) / 6)


def test_undirected_graph_directed_variants_double_each_edge():
    U = nx.Graph(fixture_digraph())
    out = sn.ei_index(U, direction="out").iloc[0]
    und = sn.ei_index(U).iloc[0]
    assert (out["E"], out["I"]) == (2 * und["E"], 2 * und["I"])
    node_all = sn.ei_index(U, level="node", direction="all")
    node_und = sn.ei_index(U, level="node")
    assert (node_all["E"] == 2 * node_und["E"]).all()


def _exact_p_greater(G, e_obs):
    """Exact P(E_perm >= E_obs) over all relabellings (tiny graphs only)."""
    nodes = list(G)
    labels = [G.nodes[v]["organisation"] for v in nodes]
    U = nx.Graph(G)
    index = {v: i for i, v in enumerate(nodes)}
    edges = [(index[u], index[v]) for u, v in U.edges()]
    hits = total = 0
    for perm in itertools.permutations(labels):
        total += 1
        hits += sum(perm[u] != perm[v] for u, v in edges) >= e_obs
    return hits / total


def test_permutation_p_value_agrees_with_exact_enumeration():
    G = nx.Graph([(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (2, 3)])
    nx.set_node_attributes(G, dict(enumerate("aabbcc")), "organisation")
    R = 4000
    row = sn.ei_index(G, n_permutations=R, seed=7).iloc[0]
    exact = _exact_p_greater(G, row["E"])
    assert abs(row["p_greater"] - exact) < 4 * np.sqrt(exact * (1 - exact) / R) + 2 / R
    assert row["n_permutations"] == R and row["seed"] == 7


def test_permutation_is_reproducible_and_records_drawn_seed():
    G = fixture_digraph()
    a = sn.ei_index(G, n_permutations=200, seed=3)
    b = sn.ei_index(G, n_permutations=200, seed=3)
    pd.testing.assert_frame_equal(a, b)
    drawn = sn.ei_index(G, n_permutations=200)
    again = sn.ei_index(G, n_permutations=200, seed=int(drawn["seed"].iloc[0]))
    pd.testing.assert_frame_equal(drawn, again)
    assert 0 < a["p_greater"].iloc[0] <= 1 and 0 < a["p_less"].iloc[0] <= 1


def test_permutation_only_at_network_level():
    with pytest.raises(ValueError, match="network"):
        sn.ei_index(fixture_digraph(), level="node", n_permutations=10)


def test_bad_options_raise_value_error():
    with pytest.raises(ValueError, match="level"):
        sn.ei_index(fixture_digraph(), level="person")
    with pytest.raises(ValueError, match="direction"):
        sn.ei_index(fixture_digraph(), direction="both")


def test_one_group_gives_minus_one_and_undefined_rescaling():
    G = nx.path_graph(4)
    nx.set_node_attributes(G, "only", "organisation")
    row = sn.ei_index(G).iloc[0]
    assert row["ei"] == -1 and row["ei_expected"] == -1
    assert row["ei_min"] == -1 and row["ei_max"] == -1
    assert np.isnan(row["ei_rescaled"])


def test_singleton_group_isolates_and_empty_graphs():
    G = nx.DiGraph([(1, 2)])
    G.add_node(3)
    nx.set_node_attributes(G, {1: "a", 2: "b", 3: "c"}, "organisation")
    nodes = sn.ei_index(G, level="node")
    assert np.isnan(nodes.loc[3, "ei"])
    groups = sn.ei_index(G, level="group")
    assert groups.loc["c", "I"] == 0 and np.isnan(groups.loc["c", "ei"])
    empty = nx.Graph()
    row = sn.ei_index(empty).iloc[0]
    assert (row["E"], row["I"]) == (0, 0) and np.isnan(row["ei"])
    assert np.isnan(row["ei_expected"]) and np.isnan(row["ei_rescaled"])
    assert sn.ei_index(empty, level="node").empty
    assert sn.ei_index(empty, level="group").empty
    no_ties = nx.empty_graph(3)
    nx.set_node_attributes(no_ties, {0: "a", 1: "a", 2: "b"}, "organisation")
    row = sn.ei_index(no_ties, n_permutations=10, seed=1).iloc[0]
    # regression: p = 1 was reported for an undefined E-I
    assert np.isnan(row["ei"]) and np.isnan(row["p_greater"]) and np.isnan(row["p_less"])
    assert row["n_permutations"] == 10 and row["seed"] == 1


def test_missing_group_raises_input_error_naming_nodes():
    G = nx.Graph([("p1", "p2")])
    G.nodes["p1"]["organisation"] = "a"
    with pytest.raises(sn.InputError, match="p2"):
        sn.ei_index(G)
    G.nodes["p2"]["organisation"] = None
    with pytest.raises(sn.InputError, match="organisation"):
        sn.ei_index(G, level="node")
    G.nodes["p2"]["organisation"] = pd.NA  # a missing cell from a DataFrame
    with pytest.raises(sn.InputError, match="p2"):
        sn.block_density(G)


def test_labels_stay_text_and_na_is_a_group():
    G = nx.Graph([("007", "7"), ("7", "NA")])
    nx.set_node_attributes(G, {"007": "007", "7": "7", "NA": "NA"}, "organisation")
    groups = sn.ei_index(G, level="group")
    assert groups.index.tolist() == ["007", "7", "NA"]
    nodes = sn.ei_index(G, level="node")
    assert nodes.index.tolist() == ["007", "7", "NA"]
    assert nodes.loc["NA", "E"] == 1


def test_self_loops_are_ignored():
    G = fixture_digraph()
    H = G.copy()
    H.add_edge(1, 1)
    pd.testing.assert_frame_equal(
        sn.ei_index(G, level="node"), sn.ei_index(H, level="node")
    )


def test_graph_is_not_modified():
    G = fixture_digraph()
    before = snapshot(G)
    for level in ("network", "group", "node"):
        for direction in ("undirected", "out", "in", "all"):
            sn.ei_index(G, level=level, direction=direction)
    sn.ei_index(G, n_permutations=5, seed=0)
    assert snapshot(G) == before


def test_multigraph_parallel_edges_count_once():
    M = nx.MultiDiGraph(fixture_digraph())
    M.add_edge(1, 2)
    M.add_edge(3, 4)
    for level in ("network", "group", "node"):
        pd.testing.assert_frame_equal(
            sn.ei_index(M, level=level, direction="out"),
            sn.ei_index(fixture_digraph(), level=level, direction="out"),
        )
