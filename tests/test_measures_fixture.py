"""Shared tiny graphs for the measures tests (the 8-node fixture of methods.md)."""

from __future__ import annotations

import networkx as nx
import numpy as np

FIXTURE_EDGES = [
    (1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (6, 7), (7, 8),
    (2, 5), (5, 8), (8, 1), (3, 1), (6, 4), (1, 4),
]  # fmt: skip
FIXTURE_GROUPS = {1: "A", 2: "A", 3: "A", 4: "B", 5: "B", 6: "C", 7: "C", 8: "C"}


def fixture_digraph() -> nx.DiGraph:
    """methods.md section 2.1: 8 nodes in groups A={1,2,3}, B={4,5}, C={6,7,8}."""
    G = nx.DiGraph()
    G.add_nodes_from((v, {"organisation": g}) for v, g in FIXTURE_GROUPS.items())
    G.add_edges_from(FIXTURE_EDGES)
    return G


def random_digraph(n: int, p: float, groups: int, seed: int) -> nx.DiGraph:
    """Erdos-Renyi digraph (with some mutual ties) and random string groups."""
    rng = np.random.default_rng(seed)
    G = nx.DiGraph()
    for v in range(n):
        G.add_node(f"n{v}", organisation=f"g{rng.integers(groups)}")
    for u in range(n):
        for v in range(n):
            if u != v and rng.random() < p:
                G.add_edge(f"n{u}", f"n{v}")
    return G


def snapshot(G: nx.Graph):
    """Everything a measure must leave untouched."""
    return (
        type(G),
        list(G.nodes(data=True)).__repr__(),
        list(G.edges(data=True)).__repr__(),
        dict(G.graph).__repr__(),
    )


def test_fixture_is_the_methods_md_graph():
    G = fixture_digraph()
    assert G.number_of_nodes() == 8 and G.number_of_edges() == 13
    assert nx.Graph(G).number_of_edges() == 13  # no mutual ties
    sizes = sorted(sum(1 for g in FIXTURE_GROUPS.values() if g == k) for k in "ABC")
    assert sizes == [2, 3, 3]


def test_snapshot_sees_changes():
    G = fixture_digraph()
    before = snapshot(G)
    G.nodes[1]["organisation"] = "Z"
    assert snapshot(G) != before
