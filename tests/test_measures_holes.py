"""Burt's constraint and effective size: hand values, Borgatti, networkx, weights."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from test_measures_fixture import fixture_digraph, random_digraph, snapshot

import senatenet as sn


def test_fixture_matches_methods_md():
    H = sn.structural_holes(fixture_digraph())
    constraint = [0.4414, 0.4823, 0.6258, 0.4175, 0.3338, 0.4583, 0.5, 0.3333]
    effective = [3, 2.333, 1.667, 3, 3.5, 2.333, 2, 3]
    np.testing.assert_allclose(H["constraint"], constraint, atol=5e-5)
    np.testing.assert_allclose(H["effective_size"], effective, atol=5e-4)
    assert H.columns.tolist() == [
        "ego_size",
        "effective_size",
        "efficiency",
        "constraint",
    ]


def test_triangle_and_star():
    K3 = sn.structural_holes(nx.complete_graph(3))
    np.testing.assert_allclose(K3["constraint"], 2 * (1 / 2 + 1 / 4) ** 2)  # 9/8
    star = sn.structural_holes(nx.star_graph(4))
    assert star.loc[0, "effective_size"] == 4 and star.loc[0, "efficiency"] == 1
    assert star.loc[0, "constraint"] == pytest.approx(4 * (1 / 4) ** 2)
    assert star.loc[1, "constraint"] == 1.0


def test_mutual_ties_weigh_twice_by_hand():
    # 1 <-> 2, 1 -> 3, 2 -> 3: z12 = 2, z13 = 1, z23 = 1
    G = nx.DiGraph([(1, 2), (2, 1), (1, 3), (2, 3)])
    H = sn.structural_holes(G)
    # p12 = 2/3, p13 = 1/3, p32 = 1/2, p23 = 1/3
    c1 = (2 / 3 + 1 / 3 * 1 / 2) ** 2 + (1 / 3 + 2 / 3 * 1 / 3) ** 2
    assert H.loc[1, "constraint"] == pytest.approx(c1)
    # m23 = z23 / max z2. = 1/2, m32 = z32 / max z3. = 1
    es1 = (1 - 1 / 3 * 1 / 2) + (1 - 2 / 3 * 1)
    assert H.loc[1, "effective_size"] == pytest.approx(es1)
    # node 3 only receives ties: defined (networkx's per-node path gives NaN)
    assert H.loc[3, "ego_size"] == 2 and np.isfinite(H.loc[3, "constraint"])


def test_borgatti_shortcut_on_undirected_binary_graphs():
    G = nx.gnp_random_graph(40, 0.15, seed=3)
    H = sn.structural_holes(G)
    for v in G:
        k = G.degree(v)
        if k == 0:
            assert np.isnan(H.loc[v, "effective_size"])
            continue
        t = G.subgraph(G[v]).number_of_edges()
        assert H.loc[v, "effective_size"] == pytest.approx(k - 2 * t / k)


def test_constraint_equals_networkx_on_directed_and_weighted_graphs():
    D = random_digraph(30, 0.15, 3, seed=4)
    ours = sn.structural_holes(D)["constraint"]
    theirs = nx.constraint(D)
    np.testing.assert_allclose(ours, [theirs[v] for v in D], rtol=1e-12)
    W = nx.gnp_random_graph(30, 0.2, seed=5)
    rng = np.random.default_rng(0)
    for u, v in W.edges():
        W.edges[u, v]["strength"] = float(rng.integers(1, 5))
    ours = sn.structural_holes(W, weight="strength")
    theirs = nx.constraint(W, weight="strength")
    mask = ours["ego_size"] > 0
    np.testing.assert_allclose(
        ours["constraint"][mask], [theirs[v] for v in W if mask[v]]
    )
    es = nx.effective_size(W, nodes=list(W), weight="strength")  # per-node path
    np.testing.assert_allclose(
        ours["effective_size"][mask], [es[v] for v in W if mask[v]]
    )


def _brute_holes(G, weight):
    """Constraint and effective size straight from the reference README formula."""
    w = {}
    for u, v, d in G.edges(data=True):
        if u != v:
            for a, b in [(u, v)] if G.is_directed() else [(u, v), (v, u)]:
                w[a, b] = w.get((a, b), 0.0) + (1.0 if weight is None else d[weight])

    def z(a, b):
        return w.get((a, b), 0.0) + w.get((b, a), 0.0)

    def p(a, b):
        return z(a, b) / sum(z(a, k) for k in G if k != a)

    def m(a, b):
        return z(a, b) / max(z(a, k) for k in G if k != a)

    out = {}
    for i in G:
        N = [j for j in G if j != i and z(i, j) > 0]
        C = sum((p(i, j) + sum(p(i, q) * p(q, j) for q in N if q != j)) ** 2 for j in N)
        ES = sum(1 - sum(p(i, q) * m(j, q) for q in N if q != j) for j in N)
        out[i] = (C, ES) if N else (np.nan, np.nan)
    return out


@pytest.mark.parametrize("seed", range(6))
def test_directed_weighted_multigraph_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    G = nx.MultiDiGraph() if seed % 2 else nx.DiGraph()
    G.add_nodes_from(range(9))
    for u in range(9):
        for v in range(9):
            if rng.random() < 0.3:  # includes self-loops; weights differ by direction
                G.add_edge(u, v, strength=float(rng.integers(1, 6)))
    for weight in (None, "strength"):
        ours = sn.structural_holes(G, weight=weight)
        if weight is None:
            brute = _brute_holes(nx.DiGraph(G), None)  # parallel arcs count once
        else:
            brute = _brute_holes(G, weight)  # parallel arcs' weights add up
        want = np.array([brute[v] for v in G])
        got = ours[["constraint", "effective_size"]].to_numpy()
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def test_scaling_weights_changes_nothing():
    G = random_digraph(20, 0.2, 2, seed=8)
    nx.set_edge_attributes(G, 1.0, "strength")
    binary = sn.structural_holes(G)
    nx.set_edge_attributes(G, 3.5, "strength")
    pd.testing.assert_frame_equal(binary, sn.structural_holes(G, weight="strength"))


def test_isolates_and_empty_graph():
    G = nx.Graph([(1, 2)])
    G.add_node(3)
    H = sn.structural_holes(G)
    assert H.loc[3].drop("ego_size").isna().all() and H.loc[3, "ego_size"] == 0
    assert sn.structural_holes(nx.Graph()).empty


def test_graph_is_not_modified():
    G = fixture_digraph()
    nx.set_edge_attributes(G, 2.0, "strength")
    before = snapshot(G)
    sn.structural_holes(G)
    sn.structural_holes(G, weight="strength")
    assert snapshot(G) == before
