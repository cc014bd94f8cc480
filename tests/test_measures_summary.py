"""network_summary and the adjusted mutual information behind silo_index."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from test_measures_fixture import fixture_digraph, snapshot

import senatenet as sn

NAMES = [
    "nodes",
    "ties",
    "groups",
    "density",
    "reciprocity",
    "components",
    "isolates",
    "transitivity",
    "mean_distance",
    "centralization_degree",
    "centralization_indegree",
    "centralization_outdegree",
    "centralization_betweenness",
    "centralization_closeness",
    "centralization_harmonic_closeness",
    "centralization_eigenvector",
    "external_ties",
    "internal_ties",
    "ei",
    "ei_expected",
    "ei_rescaled",
    "group_pairs_connected",
    "silo_index",
]


def test_fixture_summary():
    G = fixture_digraph()
    s = sn.network_summary(G)
    assert s.index.tolist() == NAMES and s.dtype == float
    assert (s["nodes"], s["ties"], s["groups"]) == (8, 13, 3)
    assert s["density"] == pytest.approx(13 / 56)
    assert s["reciprocity"] == 0
    assert (s["components"], s["isolates"]) == (1, 0)
    assert s["transitivity"] == pytest.approx(nx.transitivity(nx.Graph(G)))
    assert s["mean_distance"] == pytest.approx(nx.average_shortest_path_length(G))
    assert s["centralization_indegree"] == pytest.approx(0.224490, abs=1e-6)
    assert s["centralization_degree"] == pytest.approx(sn.centralization(G, "degree"))
    for m in ("betweenness", "closeness", "harmonic_closeness", "eigenvector"):
        assert s[f"centralization_{m}"] == pytest.approx(sn.centralization(G, m))
    ei = sn.ei_index(G).iloc[0]
    assert (s["external_ties"], s["internal_ties"]) == (ei["E"], ei["I"])
    assert s["ei_rescaled"] == pytest.approx(ei["ei_rescaled"])
    assert s["group_pairs_connected"] == 1.0
    assert s.attrs == {"group": "organisation", "seed": 0, "directed": True}


def test_reciprocity_density_and_components_by_hand():
    G = nx.DiGraph([(1, 2), (2, 1), (2, 3)])
    G.add_node(4)
    nx.set_node_attributes(G, {1: "a", 2: "a", 3: "b", 4: "c"}, "organisation")
    s = sn.network_summary(G)
    assert s["reciprocity"] == pytest.approx(2 / 3)
    assert s["density"] == pytest.approx(3 / 12)
    assert (s["components"], s["isolates"]) == (2, 1)
    # reachable ordered pairs: 1-2, 1-3 (2), 2-1, 2-3, => distances 1, 2, 1, 1
    assert s["mean_distance"] == pytest.approx(5 / 4)
    # group pairs a-b tied, a-c and b-c not
    assert s["group_pairs_connected"] == pytest.approx(1 / 3)
    U = nx.Graph(G)
    su = sn.network_summary(U)
    assert np.isnan(su["reciprocity"]) and su["density"] == pytest.approx(2 / 6)
    assert np.isnan(su["centralization_indegree"])


def two_cliques(groups):
    G = nx.disjoint_union(nx.complete_graph(5), nx.complete_graph(5))
    G.add_edge(0, 5)
    nx.set_node_attributes(G, dict(enumerate(groups)), "organisation")
    return G


def test_silo_index_is_one_when_communities_are_the_organisations():
    s = sn.network_summary(two_cliques("aaaaabbbbb"))
    assert s["silo_index"] == pytest.approx(1.0)
    mixed = sn.network_summary(two_cliques("ababababab"))
    assert mixed["silo_index"] < 0.2


def test_silo_index_ignores_isolates():
    # regression: each isolate was its own community, so 4 isolates among 14
    # people pulled a perfectly siloed network from 1 to about 0.5
    G = two_cliques("aaaaabbbbb")
    G.add_nodes_from([("i1", {"organisation": "a"}), ("i2", {"organisation": "b"})])
    G.add_nodes_from([("i3", {"organisation": "a"}), ("i4", {"organisation": "b"})])
    assert sn.network_summary(G)["silo_index"] == pytest.approx(1.0)


def test_silo_index_is_seeded():
    G = nx.connected_caveman_graph(4, 5)
    nx.set_node_attributes(G, {v: f"o{v % 3}" for v in G}, "organisation")
    a = sn.network_summary(G, seed=1)
    b = sn.network_summary(G, seed=1)
    pd.testing.assert_series_equal(a, b)
    assert a.attrs["seed"] == 1


def _mi(x, y):
    xs, ys = np.unique(x, return_inverse=True)[1], np.unique(y, return_inverse=True)[1]
    table = np.zeros((xs.max() + 1, ys.max() + 1))
    np.add.at(table, (xs, ys), 1)
    N, ra, rb = table.sum(), table.sum(axis=1), table.sum(axis=0)
    nz = table > 0
    return float((table[nz] / N * np.log(N * table[nz] / np.outer(ra, rb)[nz])).sum())


def _entropy(x):
    p = pd.Series(x).value_counts(normalize=True).to_numpy()
    return float(-(p * np.log(p)).sum())


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]),
        ([0, 0, 1, 1, 2, 2, 2], list("xyxyzzz")),
    ],
)
def test_ami_matches_exact_expectation_over_all_relabellings(a, b):
    emi = np.mean(
        [_mi(a, [b[i] for i in p]) for p in itertools.permutations(range(len(b)))]
    )
    expected = (_mi(a, b) - emi) / ((_entropy(a) + _entropy(b)) / 2 - emi)
    assert sn.adjusted_mutual_information(a, b) == pytest.approx(expected, rel=1e-10)
    assert sn.adjusted_mutual_information(b, a) == pytest.approx(expected, rel=1e-10)


def test_ami_special_cases():
    assert sn.adjusted_mutual_information(list("aabb"), [3, 3, 7, 7]) == 1.0
    assert sn.adjusted_mutual_information([1, 1], [2, 2]) == 1.0
    assert sn.adjusted_mutual_information([0, 0, 0, 0], [0, 0, 1, 1]) == pytest.approx(
        0.0
    )
    assert np.isnan(sn.adjusted_mutual_information([], []))
    with pytest.raises(ValueError):
        sn.adjusted_mutual_information([1], [1, 2])


def test_edge_cases_give_defined_results():
    s = sn.network_summary(nx.Graph())
    assert s.index.tolist() == NAMES and s["nodes"] == 0
    assert np.isnan(s["density"]) and np.isnan(s["silo_index"])
    one = nx.DiGraph()
    one.add_node(1, organisation="a")
    s = sn.network_summary(one)
    assert s["isolates"] == 1 and np.isnan(s["group_pairs_connected"])
    no_ties = nx.empty_graph(4)
    nx.set_node_attributes(no_ties, {0: "a", 1: "a", 2: "b", 3: "b"}, "organisation")
    s = sn.network_summary(no_ties)
    assert (
        s["density"] == 0 and np.isnan(s["silo_index"]) and np.isnan(s["mean_distance"])
    )
    assert s["group_pairs_connected"] == 0 and np.isnan(s["transitivity"])


def test_graph_is_not_modified():
    G = fixture_digraph()
    before = snapshot(G)
    sn.network_summary(G)
    assert snapshot(G) == before
