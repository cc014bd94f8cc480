"""Block density (UCINET density by groups) on hand-computed graphs."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from test_measures_fixture import fixture_digraph, random_digraph, snapshot

import senatenet as sn


def test_fixture_by_hand():
    D = sn.block_density(fixture_digraph())
    # arcs A->A: 1->2, 2->3, 3->1 of 3*2 ordered pairs; A->B: 3->4, 2->5, 1->4 of 6
    expected = np.array(
        [
            [3 / 6, 3 / 6, 0],
            [0, 1 / 2, 2 / 6],
            [1 / 9, 1 / 6, 2 / 6],
        ]
    )
    np.testing.assert_allclose(D.to_numpy(), expected)
    assert D.index.tolist() == D.columns.tolist() == ["A", "B", "C"]
    assert D.index.name == D.columns.name == "organisation"


def test_undirected_graph_is_symmetric_and_counts_each_edge_once():
    G = nx.Graph([(1, 2), (2, 3), (3, 4)])
    nx.set_node_attributes(G, {1: "a", 2: "a", 3: "b", 4: "b"}, "organisation")
    D = sn.block_density(G)
    assert D.loc["a", "a"] == 1.0  # one edge of one pair
    assert D.loc["a", "b"] == D.loc["b", "a"] == 1 / 4


def test_weighted_is_mean_value_over_possible_pairs():
    G = nx.DiGraph()
    G.add_nodes_from([(1, {"organisation": "a"}), (2, {"organisation": "a"})])
    G.add_node(3, organisation="b")
    G.add_edge(1, 3, strength=4.0)
    G.add_edge(2, 3, strength=2.0)
    G.add_edge(1, 2, strength=3.0)
    D = sn.block_density(G, weight="strength")
    assert D.loc["a", "b"] == pytest.approx(3.0)  # (4 + 2) / 2 pairs
    assert D.loc["a", "a"] == pytest.approx(1.5)  # 3 over 2 ordered pairs
    assert D.loc["b", "a"] == 0.0
    binary = sn.block_density(G)
    assert binary.loc["a", "b"] == 1.0


def test_singleton_diagonal_is_nan_and_empty_graph_is_empty():
    G = nx.DiGraph([(1, 2)])
    nx.set_node_attributes(G, {1: "a", 2: "b"}, "organisation")
    D = sn.block_density(G)
    assert np.isnan(D.loc["a", "a"]) and D.loc["a", "b"] == 1.0
    assert sn.block_density(nx.Graph()).empty


def test_totals_match_a_plain_count_on_a_random_graph():
    G = random_digraph(25, 0.2, 4, seed=1)
    D = sn.block_density(G)
    org = nx.get_node_attributes(G, "organisation")
    for a in D.index:
        for b in D.columns:
            ties = sum(1 for u, v in G.edges() if org[u] == a and org[v] == b)
            na = sum(1 for g in org.values() if g == a)
            nb = sum(1 for g in org.values() if g == b)
            pairs = na * nb - (na if a == b else 0)
            if pairs:
                assert D.loc[a, b] == pytest.approx(ties / pairs)


def test_bad_weights_raise_input_error():
    G = nx.DiGraph([(1, 2)])
    nx.set_node_attributes(G, "a", "organisation")
    with pytest.raises(sn.InputError, match="strength"):
        sn.block_density(G, weight="strength")
    G.edges[1, 2]["strength"] = "often"
    with pytest.raises(sn.InputError, match="not a number"):
        sn.block_density(G, weight="strength")
    G.edges[1, 2]["strength"] = -1
    with pytest.raises(sn.InputError, match="non-negative"):
        sn.block_density(G, weight="strength")


def test_graph_is_not_modified():
    G = fixture_digraph()
    nx.set_edge_attributes(G, 2.0, "strength")
    before = snapshot(G)
    sn.block_density(G)
    sn.block_density(G, weight="strength")
    assert snapshot(G) == before
