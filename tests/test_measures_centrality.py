"""Centralization (sna maxima), node_table columns, backends, edge cases."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from test_measures_fixture import fixture_digraph, random_digraph, snapshot

import senatenet as sn

COLUMNS = [
    "organisation",
    "in_degree",
    "out_degree",
    "degree",
    "betweenness",
    "closeness",
    "harmonic_closeness",
    "eigenvector",
    "pagerank",
    "constraint",
    "effective_size",
    "ei",
    "external_ties",
    "internal_ties",
    "coordinator",
    "itinerant",
    "representative",
    "gatekeeper",
    "liaison",
    "brokerage",
]


def test_fixture_centralizations_match_methods_md():
    D = fixture_digraph()
    U = nx.Graph(D)
    assert sn.centralization(U, "degree") == pytest.approx(0.142857, abs=1e-6)
    assert sn.centralization(U, "betweenness") == pytest.approx(0.074830, abs=1e-6)
    assert sn.centralization(U, "closeness") == pytest.approx(0.173521, abs=1e-6)
    assert sn.centralization(D, "degree", mode="in") == pytest.approx(
        0.224490, abs=1e-6
    )
    assert sn.centralization(D, "degree", mode="out") == pytest.approx(
        0.061224, abs=1e-6
    )
    assert sn.centralization(D, "degree") == pytest.approx(0.071429, abs=1e-6)


def test_star_is_maximally_central():
    star = nx.star_graph(4)
    for measure in ("degree", "betweenness", "closeness", "harmonic_closeness"):
        assert sn.centralization(star, measure) == pytest.approx(1.0), measure
    # sna's eigenvector maximum sqrt(2)/2 (n-2) is not the star's deviation sum:
    # star scores 1/sqrt(2) (centre) and 1/sqrt(8) (leaves) give 4 (1/sqrt2 - 1/sqrt8)
    dev = 4 * (1 / math.sqrt(2) - 1 / math.sqrt(8))
    expected = dev / (math.sqrt(2) / 2 * 3)
    assert sn.centralization(star, "eigenvector") == pytest.approx(expected)


def test_directed_star_by_hand():
    out_star = nx.DiGraph([(0, i) for i in range(1, 5)])
    assert sn.centralization(out_star, "degree", mode="out") == 1.0
    # in-degrees 0, 1, 1, 1, 1: deviations sum to 1
    assert sn.centralization(out_star, "degree", mode="in") == pytest.approx(1 / 16)
    # freeman degree: centre 4, leaves 1 -> 12 / (4 * (2*4 - 2))
    assert sn.centralization(out_star, "degree") == pytest.approx(12 / 24)


def test_betweenness_counts_pairs_as_sna():
    path = nx.path_graph(3)
    nx.set_node_attributes(path, "a", "organisation")
    assert sn.node_table(path)["betweenness"].tolist() == [0, 1, 0]  # unordered
    both_ways = path.to_directed()
    assert sn.node_table(both_ways)["betweenness"].tolist() == [0, 2, 0]  # ordered
    one_way = nx.DiGraph([(0, 1), (1, 2)])
    nx.set_node_attributes(one_way, "a", "organisation")
    assert sn.node_table(one_way)["betweenness"].tolist() == [0, 1, 0]


def test_closeness_is_zero_when_someone_is_unreachable():
    G = nx.DiGraph([(0, 1), (1, 2), (2, 0), (0, 3)])
    nx.set_node_attributes(G, "a", "organisation")
    table = sn.node_table(G)
    # the cycle 0-1-2 reaches 3 through 0; 3 reaches nobody
    # distance sums: node 0: 1 + 2 + 1, node 1: 1 + 2 + 3, node 2: 1 + 2 + 2
    assert table["closeness"].tolist() == [3 / 4, 3 / 6, 3 / 5, 0]
    # harmonic: (1 + 1/2 + 1) / 3 for node 0; node 3 reaches nobody
    assert table.loc[0, "harmonic_closeness"] == pytest.approx(2.5 / 3)
    assert table.loc[3, "harmonic_closeness"] == 0
    two = nx.Graph([(0, 1), (2, 3)])
    nx.set_node_attributes(two, "a", "organisation")
    assert (sn.node_table(two)["closeness"] == 0).all()
    assert sn.centralization(two, "closeness") == 0


def test_in_mode_closeness_uses_paths_towards_the_node():
    G = nx.DiGraph([(i, 0) for i in range(1, 5)])
    assert sn.centralization(G, "closeness", mode="out") == 0
    reversed_ = sn.centralization(G.reverse(), "closeness", mode="out")
    assert sn.centralization(G, "closeness", mode="in") == pytest.approx(reversed_)
    assert sn.centralization(G, "harmonic_closeness", mode="in") > 0


def test_eigenvector_and_pagerank_match_networkx():
    D = random_digraph(30, 0.2, 3, seed=2)
    assert nx.is_strongly_connected(D)
    table = sn.node_table(D)
    ev = nx.eigenvector_centrality(D, max_iter=10000, tol=1e-13)
    np.testing.assert_allclose(table["eigenvector"], [ev[v] for v in D], atol=1e-9)
    pr = nx.pagerank(D, tol=1e-14)
    np.testing.assert_allclose(table["pagerank"], [pr[v] for v in D], atol=1e-9)
    U = nx.Graph(D)
    ev = nx.eigenvector_centrality_numpy(U)
    np.testing.assert_allclose(
        sn.node_table(U)["eigenvector"], [ev[v] for v in U], atol=1e-9
    )


def test_eigenvector_undefined_without_cycles():
    dag = nx.DiGraph([(0, 1), (1, 2), (0, 2)])
    nx.set_node_attributes(dag, "a", "organisation")
    assert sn.node_table(dag)["eigenvector"].isna().all()
    assert math.isnan(sn.centralization(dag, "eigenvector"))


@pytest.mark.parametrize("directed", [True, False])
def test_igraph_and_networkx_backends_agree(directed):
    pytest.importorskip("igraph")
    G = random_digraph(40, 0.06, 3, seed=9)  # sparse: several components
    G.add_node("lonely", organisation="g0")
    if not directed:
        G = nx.Graph(G)
    a = sn.node_table(G, backend="igraph")
    b = sn.node_table(G, backend="networkx")
    pd.testing.assert_frame_equal(a, b, rtol=1e-12, atol=1e-12)
    assert (a["closeness"] == 0).any()
    for measure in ("betweenness", "closeness", "harmonic_closeness"):
        x = sn.centralization(G, measure, backend="igraph")
        y = sn.centralization(G, measure, backend="networkx")
        assert x == pytest.approx(y, rel=1e-12, abs=1e-15)
    s = sn.network_summary(G, backend="igraph")
    t = sn.network_summary(G, backend="networkx")
    pd.testing.assert_series_equal(s, t, rtol=1e-12)


def test_node_table_columns_order_and_consistency():
    G = fixture_digraph()
    table = sn.node_table(G)
    assert table.columns.tolist() == COLUMNS
    assert table.index.tolist() == list(G) and table.index.name == "node"
    assert table["organisation"].tolist() == [G.nodes[v]["organisation"] for v in G]
    assert (table["degree"] == table["in_degree"] + table["out_degree"]).all()
    ei = sn.ei_index(G, level="node")
    np.testing.assert_array_equal(table["ei"], ei["ei"])
    assert (table["external_ties"] == ei["E"]).all()
    roles = sn.brokerage(G)
    assert (table["brokerage"] == roles["total"]).all()
    assert (table["gatekeeper"] == roles["gatekeeper"]).all()
    holes = sn.structural_holes(G)
    np.testing.assert_array_equal(table["constraint"], holes["constraint"])
    U = nx.Graph(G)
    ut = sn.node_table(U)
    assert (ut["degree"] == ut["in_degree"]).all() and (
        ut["degree"] == ut["out_degree"]
    ).all()


def test_weight_only_changes_burt_measures():
    G = fixture_digraph()
    for i, (u, v) in enumerate(G.edges()):
        G.edges[u, v]["strength"] = 1.0 + i % 3
    binary = sn.node_table(G)
    weighted = sn.node_table(G, weight="strength")
    burt = ["constraint", "effective_size"]
    pd.testing.assert_frame_equal(
        binary.drop(columns=burt), weighted.drop(columns=burt)
    )
    assert not np.allclose(binary["constraint"], weighted["constraint"])
    holes = sn.structural_holes(G, weight="strength")
    np.testing.assert_array_equal(weighted["constraint"], holes["constraint"])


def test_zero_weight_tie_is_still_a_tie_outside_burt_measures():
    # regression: weight= dropped ties of weight 0 from degree, paths, E-I, roles
    G = fixture_digraph()
    nx.set_edge_attributes(G, 1.0, "strength")
    G.edges[1, 2]["strength"] = 0.0
    binary = sn.node_table(G)
    weighted = sn.node_table(G, weight="strength")
    burt = ["constraint", "effective_size"]
    pd.testing.assert_frame_equal(
        binary.drop(columns=burt), weighted.drop(columns=burt)
    )
    H = G.copy()
    H.remove_edge(1, 2)
    holes = sn.structural_holes(H)  # Burt: a zero-strength tie carries no weight
    np.testing.assert_allclose(weighted["constraint"], holes["constraint"])


def test_edge_cases_give_defined_results():
    empty = sn.node_table(nx.Graph())
    assert empty.empty and empty.columns.tolist() == COLUMNS
    one = nx.Graph()
    one.add_node("x", organisation="a")
    row = sn.node_table(one).loc["x"]
    assert row["degree"] == 0 and np.isnan(row["closeness"]) and np.isnan(row["ei"])
    assert np.isnan(row["constraint"]) and row["brokerage"] == 0
    for measure in ("degree", "betweenness", "closeness", "harmonic_closeness"):
        assert math.isnan(sn.centralization(nx.Graph(), measure))
        assert math.isnan(sn.centralization(nx.path_graph(2), measure))
    isolates = nx.empty_graph(4, create_using=nx.DiGraph)
    assert sn.centralization(isolates, "degree") == 0
    assert sn.centralization(isolates, "betweenness") == 0


def test_bad_arguments():
    G = fixture_digraph()
    with pytest.raises(ValueError, match="measure"):
        sn.centralization(G, "pagerank")
    with pytest.raises(ValueError, match="mode"):
        sn.centralization(G, "degree", mode="total")
    with pytest.raises(ValueError, match="betweenness"):
        sn.centralization(G, "betweenness", mode="in")
    with pytest.raises(ValueError, match="backend"):
        sn.node_table(G, backend="fast")
    with pytest.raises(ValueError, match="'degree'"):
        sn.node_table(G, group="degree")  # would silently overwrite the column


def test_graph_is_not_modified():
    G = fixture_digraph()
    before = snapshot(G)
    sn.node_table(G)
    sn.node_table(G, backend="networkx")
    for measure in (
        "degree",
        "betweenness",
        "closeness",
        "harmonic_closeness",
        "eigenvector",
    ):
        sn.centralization(G, measure)
    assert snapshot(G) == before


def test_graph_views_give_the_same_results_as_copies():
    G = random_digraph(25, 0.15, 3, seed=12)
    G.add_edge("n0", "n0")
    sub = G.subgraph([f"n{i}" for i in range(0, 25, 2)])
    rev = G.reverse(copy=False)
    for view in (sub, rev, nx.restricted_view(G, ["n3"], [("n1", "n2")])):
        pd.testing.assert_frame_equal(sn.node_table(view), sn.node_table(view.copy()))
        pd.testing.assert_frame_equal(
            sn.block_density(view), sn.block_density(view.copy())
        )


def test_node_table_columns_computes_only_what_is_asked():
    G = nx.gnp_random_graph(40, 0.1, seed=3, directed=True)
    nx.set_node_attributes(G, {v: f"org{v % 3}" for v in G}, "organisation")
    full = sn.node_table(G)
    part = sn.node_table(G, columns=["betweenness", "ei", "liaison"])
    assert list(part.columns) == ["organisation", "betweenness", "ei", "liaison"]
    pd.testing.assert_frame_equal(part, full[list(part.columns)])
    with pytest.raises(ValueError, match="unknown node_table column"):
        sn.node_table(G, columns=["nonsense"])


def test_tuple_node_ids_and_groups_stay_single_labels():
    # regression: all-tuple node ids made a MultiIndex and node_table raised
    G = nx.DiGraph([(("w1", "p1"), ("w1", "p2")), (("w1", "p2"), ("w1", "p3"))])
    nx.set_node_attributes(
        G, {("w1", "p1"): ("t", 1), ("w1", "p2"): ("t", 1), ("w1", "p3"): "007"}, "org"
    )
    nodes = list(G)
    frames = [
        sn.node_table(G, "org"),
        sn.ei_index(G, "org", level="node"),
        sn.brokerage(G, "org"),
        sn.brokerage_expected(G, "org"),
        sn.structural_holes(G),
    ]
    for frame in frames:
        assert frame.index.nlevels == 1 and list(frame.index) == nodes
    assert sn.node_table(G, "org").loc[[("w1", "p2")], "betweenness"].item() == 1.0
    groups = sn.ei_index(G, "org", level="group")
    assert list(groups.index) == [("t", 1), "007"]
    blocks = sn.block_density(G, "org")
    assert list(blocks.columns) == [("t", 1), "007"] and blocks.index.nlevels == 1
    assert blocks.loc[[("t", 1)], "007"].item() == 0.5


@pytest.mark.parametrize("seed", range(8))
def test_path_measures_match_their_definitions(seed):
    # multigraphs, self-loops, disconnected digraphs, isolates, mixed node ids
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 12))
    G = [nx.MultiDiGraph, nx.MultiGraph, nx.DiGraph, nx.Graph][seed % 4]()
    ids = [("t", i) if i % 3 == 0 else (str(i) if i % 3 == 1 else i) for i in range(n)]
    G.add_nodes_from(
        (v, {"organisation": ["NA", "007"][i % 2]}) for i, v in enumerate(ids)
    )
    for _ in range(int(rng.integers(0, 2 * n + 1))):
        a, b = rng.integers(0, n, 2)
        G.add_edge(ids[a], ids[b])
    H = nx.DiGraph(G) if G.is_directed() else nx.Graph(G)
    H.remove_edges_from(list(nx.selfloop_edges(H)))
    between = nx.betweenness_centrality(H, normalized=False)
    closeness, harmonic = [], []
    for v in H:
        d = nx.single_source_shortest_path_length(H, v)
        total = sum(d.values())
        closeness.append(np.nan if n == 1 else (n - 1) / total if len(d) == n else 0.0)
        inverse = sum(1 / x for x in d.values() if x)
        harmonic.append(np.nan if n == 1 else inverse / (n - 1))
    for backend in ("igraph", "networkx"):
        if backend == "igraph":
            pytest.importorskip("igraph")
        table = sn.node_table(G, backend=backend)
        assert list(table.index) == ids
        np.testing.assert_allclose(table["betweenness"], [between[v] for v in H])
        np.testing.assert_allclose(table["closeness"], closeness)
        np.testing.assert_allclose(table["harmonic_closeness"], harmonic)


def test_eigenvector_defined_when_power_iteration_is_slow():
    # regression: a 200-node path (eigenvalue gap ~1e-4) gave NaN after 2,000
    # power iterations; its Perron vector is well defined
    P = nx.path_graph(200)
    nx.set_node_attributes(P, "a", "organisation")
    ours = sn.node_table(P, columns=["eigenvector"])["eigenvector"]
    k = np.arange(1, 201)
    exact = np.sin(k * np.pi / 201)  # path graph: x_k = sin(k pi / (n + 1))
    np.testing.assert_allclose(ours, exact / np.linalg.norm(exact), atol=1e-10)
    assert np.isfinite(sn.centralization(P, "eigenvector"))
