"""Gould-Fernandez brokerage: sna fixture, brute force, expectations, edge cases."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from test_measures_fixture import fixture_digraph, random_digraph, snapshot

import senatenet as sn

ROLES = ["coordinator", "itinerant", "representative", "gatekeeper", "liaison", "total"]

# methods.md section 2.2, verified with sna::brokerage
FIXTURE = [
    [1, 0, 0, 1, 1, 3],
    [1, 0, 1, 0, 0, 2],
    [1, 0, 1, 0, 0, 2],
    [0, 0, 0, 3, 0, 3],
    [0, 0, 2, 0, 2, 4],
    [0, 1, 0, 1, 0, 2],
    [1, 0, 0, 0, 0, 1],
    [0, 0, 1, 0, 1, 2],
]


def brute_force(G: nx.DiGraph, group="organisation") -> np.ndarray:
    """Direct transcription of sna's rule: i -> j -> k, no i -> k, distinct."""
    g = nx.get_node_attributes(G, group)
    nodes = list(G)
    out = np.zeros((len(nodes), 6))
    for row, j in enumerate(nodes):
        for i, k in itertools.permutations(nodes, 2):
            if j in (i, k) or not (G.has_edge(i, j) and G.has_edge(j, k)):
                continue
            if G.has_edge(i, k):
                continue
            if g[i] == g[j] == g[k]:
                role = 0
            elif g[i] == g[k]:
                role = 1
            elif g[i] == g[j]:
                role = 2
            elif g[j] == g[k]:
                role = 3
            else:
                role = 4
            out[row, role] += 1
    out[:, 5] = out[:, :5].sum(axis=1)
    return out


def test_fixture_equals_sna():
    B = sn.brokerage(fixture_digraph())
    assert B.columns.tolist() == ROLES
    assert B.index.tolist() == list(range(1, 9))
    np.testing.assert_array_equal(B.to_numpy(), np.array(FIXTURE, dtype=float))


@pytest.mark.parametrize("seed", range(6))
def test_random_digraphs_match_brute_force(seed):
    G = random_digraph(14, 0.15 + 0.05 * seed, 1 + seed % 4, seed)
    np.testing.assert_array_equal(sn.brokerage(G).to_numpy(), brute_force(G))


def test_undirected_counts_each_open_path_both_ways():
    U = nx.Graph(random_digraph(12, 0.3, 3, seed=11))
    B = sn.brokerage(U)
    np.testing.assert_array_equal(B["representative"], B["gatekeeper"])
    np.testing.assert_array_equal(B.to_numpy(), brute_force(U.to_directed()))
    # unordered open paths a - j - c (a, c not adjacent), counted twice
    for j in U:
        nbrs = list(U[j])
        open_pairs = sum(
            not U.has_edge(a, c) for a, c in itertools.combinations(nbrs, 2)
        )
        assert B.loc[j, "total"] == 2 * open_pairs
    # a pair with exactly one end in j's group: one representative path (from
    # the own-group end) and one gatekeeper path (to it)
    g = nx.get_node_attributes(U, "organisation")
    for j in U:
        mixed = sum(
            (g[a] == g[j]) != (g[c] == g[j])
            for a, c in itertools.combinations(U[j], 2)
            if not U.has_edge(a, c)
        )
        assert B.loc[j, "representative"] == B.loc[j, "gatekeeper"] == mixed


def test_global_expectations_and_z_match_sna_fixture():
    net = sn.brokerage_expected(fixture_digraph(), level="network")
    assert net.index.tolist() == ROLES
    np.testing.assert_array_equal(net["observed"], [4, 1, 5, 5, 4, 19])
    np.testing.assert_allclose(
        net["expected"], [0.4966, 2.9794, 2.9794, 2.9794, 4.4690, 13.9037], atol=5e-5
    )
    np.testing.assert_allclose(
        net["z"], [4.4786, -0.8808, 0.9104, 0.9104, -0.1651, 0.7635], atol=5e-5
    )


def test_node_expectations_by_hand():
    G = fixture_digraph()
    table = sn.brokerage_expected(G)
    d = 13 / 56
    p2 = d**2 * (1 - d)
    c3 = d**3 * (1 - d) ** 3
    # node 1 is in A (n_i = 3); N = 8; other groups have sizes 2 and 3
    row = table.loc[1]
    assert row["coordinator_expected"] == pytest.approx(p2 * 2 * 1)
    assert row["coordinator_sd"] == pytest.approx(math.sqrt(p2 * 2 * (1 - p2)))
    assert row["itinerant_expected"] == pytest.approx(p2 * (2 * 1 + 3 * 2))
    var_it = p2 * 8 * (1 - p2) + 2 * (2 * 1 * 0 + 3 * 2 * 1) * c3
    assert row["itinerant_sd"] == pytest.approx(math.sqrt(var_it))
    assert row["representative_expected"] == pytest.approx(p2 * 5 * 2)
    var_rep = p2 * 10 * (1 - p2) + 2 * (2 * math.comb(5, 2) + 5 * math.comb(2, 2)) * c3
    assert row["gatekeeper_sd"] == pytest.approx(math.sqrt(var_rep))
    assert row["liaison_expected"] == pytest.approx(p2 * ((2 + 3) ** 2 - (4 + 9)))
    var_li = p2 * 12 * (1 - p2) + 4 * (2 * math.comb(3, 2) + 3 * math.comb(2, 2)) * c3
    assert row["liaison_sd"] == pytest.approx(math.sqrt(var_li))
    assert row["total_expected"] == pytest.approx(p2 * 7 * 6)
    assert row["coordinator_z"] == pytest.approx(
        (1 - row["coordinator_expected"]) / row["coordinator_sd"]
    )
    # raw columns repeat brokerage()
    np.testing.assert_array_equal(
        table[ROLES].to_numpy(), np.array(FIXTURE, dtype=float)
    )


def test_network_expectation_is_sum_of_node_expectations():
    G = random_digraph(20, 0.2, 3, seed=5)
    nodes = sn.brokerage_expected(G)
    net = sn.brokerage_expected(G, level="network")
    for role in ROLES:
        assert net.loc[role, "expected"] == pytest.approx(
            nodes[f"{role}_expected"].sum()
        )
        assert net.loc[role, "observed"] == nodes[role].sum()


def test_impossible_roles_have_nan_z():
    G = nx.DiGraph([(1, 2), (2, 3)])
    nx.set_node_attributes(G, {1: "a", 2: "b", 3: "c"}, "organisation")
    table = sn.brokerage_expected(G)
    # singleton groups: no coordinator triple is possible, E = sd = 0
    assert (table["coordinator_expected"] == 0).all()
    assert table["coordinator_z"].isna().all()
    assert table.loc[2, "liaison"] == 1


def test_edge_cases_give_defined_results():
    empty = sn.brokerage(nx.DiGraph())
    assert empty.empty and empty.columns.tolist() == ROLES
    assert sn.brokerage_expected(nx.DiGraph()).empty
    G = nx.DiGraph()
    G.add_nodes_from([(1, {"organisation": "a"}), (2, {"organisation": "a"})])
    assert (sn.brokerage(G).to_numpy() == 0).all()
    net = sn.brokerage_expected(G, level="network")
    assert net["observed"].eq(0).all()
    one_group = fixture_digraph()
    nx.set_node_attributes(one_group, "same", "organisation")
    B = sn.brokerage(one_group)
    assert (B["coordinator"] == B["total"]).all()
    with pytest.raises(ValueError, match="level"):
        sn.brokerage_expected(G, level="group")


def test_missing_group_raises():
    G = nx.DiGraph([(1, 2)])
    with pytest.raises(sn.InputError):
        sn.brokerage(G)


def test_graph_is_not_modified():
    G = fixture_digraph()
    before = snapshot(G)
    a = sn.brokerage(G)
    sn.brokerage_expected(G)
    sn.brokerage_expected(G, level="network")
    assert snapshot(G) == before
    pd.testing.assert_frame_equal(a, sn.brokerage(G))


def test_role_names_map_to_sna_columns():
    assert list(sn.BROKERAGE_ROLES) == ROLES
    assert list(sn.BROKERAGE_ROLES.values()) == [
        "w_I",
        "w_O",
        "b_IO",
        "b_OI",
        "b_O",
        "t",
    ]


def test_undirected_expectations_use_arc_density_like_sna():
    U = nx.Graph(random_digraph(12, 0.3, 3, seed=2))
    pd.testing.assert_frame_equal(
        sn.brokerage_expected(U), sn.brokerage_expected(U.to_directed())
    )
    net = sn.brokerage_expected(U, level="network")
    n, arcs = U.number_of_nodes(), 2 * U.number_of_edges()
    d = arcs / (n * (n - 1))
    assert net.loc["total", "expected"] == pytest.approx(
        d**2 * (1 - d) * n * (n - 1) * (n - 2)
    )
