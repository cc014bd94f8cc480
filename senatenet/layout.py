"""A seeded, group-aware layout shared by the static figures and the interactive map.

People of one organisation are placed near each other and organisations are
spread out: each organisation gets a disc whose area grows with its size, the
discs sit on a circle, and inside a disc people are placed by a seeded
Fruchterman-Reingold layout of that organisation's ties, with radii then evened
out so that a dense core does not collapse to a point and nobody sits on top of
a colleague (a sunflower pattern for very large organisations, so that thousands
of people lay out in well under a second). The same graph and seed always give the same positions.

References
----------
Fruchterman, T. M. J. & Reingold, E. M. (1991). Graph drawing by force-directed
placement. Software: Practice and Experience 21(11), 1129-1164.
Vogel, H. (1979). A better way to construct the sunflower head. Mathematical
Biosciences 44, 179-189.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import networkx as nx
import numpy as np

__all__ = ["group_layout", "group_order"]

_SPRING_MAX = 200  # larger groups use the sunflower pattern


def group_order(data, group: str = "organisation") -> list[str]:
    """Groups in a stable order: first appearance in node (roster) order.

    ``data`` is a networkx graph whose nodes carry ``group``, an object with a
    ``people`` DataFrame (a :class:`~senatenet.Survey`), or an iterable of labels.
    Missing labels (None) are skipped. Labels are kept as written (text).

    References
    ----------
    .. [1] Okabe, M. & Ito, K. (2008). Color Universal Design (CUD): how to make figures
       and presentations that are friendly to colorblind people.

    Examples
    --------
    >>> group_order(["Trust B", "CCG A", "Trust B", None, "007"])
    ['Trust B', 'CCG A', '007']
    """
    if isinstance(data, nx.Graph):
        labels: Iterable = (d.get(group) for _, d in data.nodes(data=True))
    elif hasattr(data, "people"):
        labels = data.people[group].tolist()
    else:
        labels = data
    seen: dict[str, None] = {}
    for label in labels:
        if label is None or (isinstance(label, float) and label != label):
            continue
        seen.setdefault(str(label), None)
    return list(seen)


def _sunflower(k: int) -> np.ndarray:
    i = np.arange(k) + 0.5
    r = np.sqrt(i / k)
    theta = math.pi * (3 - math.sqrt(5)) * i
    return np.column_stack([r * np.cos(theta), r * np.sin(theta)])


def _fill_disc(local: np.ndarray) -> np.ndarray:
    """Spread points evenly over the unit disc, keeping their angles and radial order.

    A force-directed layout packs a dense core and flings weakly tied people far
    out; re-spacing radii by rank (area-uniform) keeps the structure readable.
    """
    k = len(local)
    r = np.hypot(local[:, 0], local[:, 1])
    if k < 10 or not r.any():  # small groups: the spring layout is already even
        return local / (np.abs(local).max() or 1.0)
    theta = np.arctan2(local[:, 1], local[:, 0])
    rank = np.empty(k)
    rank[np.argsort(r, kind="stable")] = np.arange(k)
    new_r = np.sqrt((rank + 0.5) / k)
    return np.column_stack([new_r * np.cos(theta), new_r * np.sin(theta)])


#: Up to this many points :func:`close_pairs` compares every pair with numpy
#: (a 2,000 x 2,000 distance matrix is 32 MB); beyond it a k-d tree finds them.
_DENSE_PAIRS = 2000


def close_pairs(xy: np.ndarray, r: float) -> np.ndarray:
    """Index pairs ``(i, j)``, ``i < j``, of points closer than ``r`` (Euclidean),
    sorted by ``i`` then ``j``, as an ``(m, 2)`` integer array.

    Up to 2,000 points every distance is computed with numpy; beyond that
    scipy's k-d tree (``cKDTree.query_pairs``, Maneewongvatana & Mount 1999)
    finds the same pairs without the quadratic memory. Both give the same
    sorted array, so callers' results do not depend on the route (and the
    report does not pay scipy.spatial's import for a few hundred people).

    Examples
    --------
    >>> import numpy as np
    >>> close_pairs(np.array([[0.0, 0.0], [0.5, 0.0], [3.0, 0.0]]), 1.0).tolist()
    [[0, 1]]
    """
    xy = np.asarray(xy, dtype=float)
    k = len(xy)
    if k < 2:
        return np.empty((0, 2), dtype=np.intp)
    if k <= _DENSE_PAIRS:
        i, j = np.triu_indices(k, 1)
        d = np.hypot(xy[i, 0] - xy[j, 0], xy[i, 1] - xy[j, 1])
        keep = d <= r  # query_pairs' rule: distance at most r
        return np.column_stack([i[keep], j[keep]]).astype(np.intp)
    from scipy.spatial import cKDTree

    pairs = cKDTree(xy).query_pairs(r, output_type="ndarray").astype(np.intp)
    if len(pairs):
        pairs = pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]
    return pairs.reshape(-1, 2)


def _separate(local: np.ndarray, iterations: int = 60) -> np.ndarray:
    """Push apart people closer than about three quarters of the even spacing.

    A force-directed layout can stack a tightly tied trio on one spot when a
    colleague without ties in the group is flung to the edge; markers would then
    hide each other. Pairs closer than ``0.75 * sqrt(pi / k)`` (the spacing of
    ``k`` points spread evenly over the unit disc) move apart along the line
    joining them, and everybody stays inside the disc. Deterministic.
    """
    k = len(local)
    if k < 2:
        return local
    p = np.array(local, dtype=float)
    d_min = 0.75 * math.sqrt(math.pi / k)
    golden = math.pi * (3 - math.sqrt(5)) * np.arange(k)
    nudge = 1e-3 * np.column_stack([np.cos(golden), np.sin(golden)])
    for _ in range(iterations):
        pairs = close_pairs(p, d_min * 0.999)
        if len(pairs) == 0:
            break
        i, j = pairs[:, 0], pairs[:, 1]
        diff = p[i] - p[j]
        dist = np.hypot(diff[:, 0], diff[:, 1])
        if dist.min() < 1e-9:  # people on one spot: no direction to push, so fan out
            p = p + nudge
            continue
        push = diff / dist[:, None] * ((d_min - dist) / 2)[:, None]
        np.add.at(p, i, push)
        np.add.at(p, j, -push)
        r = np.hypot(p[:, 0], p[:, 1])
        outside = r > 1.0
        p[outside] /= r[outside, None]
    return p


def group_layout(
    G: nx.Graph, group: str = "organisation", *, seed: int = 0, scale: float = 1.0
) -> dict:
    """Positions ``{node: (x, y)}`` with each organisation in its own region.

    Parameters
    ----------
    G : networkx graph
        Nodes carry the ``group`` attribute; nodes without it form one extra group.
        Pass the union of several waves to keep people in place across them.
    group : str
        Node attribute naming the organisation.
    seed : int
        Seed of the force-directed step; the same seed gives the same picture.
    scale : float
        The layout fits in ``[-scale, scale]`` in both directions.

    Returns
    -------
    dict
        ``{node: (x, y)}`` as floats. ``G`` is not modified.

    References
    ----------
    .. [1] Fruchterman, T. M. J. & Reingold, E. M. (1991). Graph drawing by force-directed
       placement. Software: Practice and Experience 21(11), 1129-1164.
    .. [2] Vogel, H. (1979). A better way to construct the sunflower head. Mathematical
       Biosciences 44, 179-189.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("c", "d")])
    >>> nx.set_node_attributes(G, {"a": "X", "b": "X", "c": "Y", "d": "Y"}, "organisation")
    >>> pos = group_layout(G, seed=1)
    >>> sorted(pos) == ["a", "b", "c", "d"]
    True
    >>> pos == group_layout(G, seed=1)
    True
    """
    if G.number_of_nodes() == 0:
        return {}
    groups = group_order(G, group)
    members: dict[str, list] = {g: [] for g in groups}
    orphans = []
    for node, data in G.nodes(data=True):
        label = data.get(group)
        if label is None or (isinstance(label, float) and label != label):
            orphans.append(node)
        else:
            members[str(label)].append(node)
    blocks = [m for m in members.values() if m] + ([orphans] if orphans else [])
    radii = np.array([math.sqrt(len(m)) for m in blocks], dtype=float)
    k = len(blocks)
    if k == 1:
        centres = np.zeros((1, 2))
    else:
        # centres on a circle whose circumference holds every disc with a gap
        big = max(radii.sum() * 3.0 / (2 * math.pi), radii.max() * 1.6)
        angles = 2 * math.pi * np.arange(k) / k + math.pi / 2
        centres = big * np.column_stack([np.cos(angles), np.sin(angles)])
    undirected = G.to_undirected(as_view=True)
    pos: dict = {}
    for b, (nodes, centre, radius) in enumerate(zip(blocks, centres, radii, strict=True)):
        if len(nodes) == 1:
            local = np.zeros((1, 2))
        elif len(nodes) <= _SPRING_MAX:
            sub = nx.Graph()
            sub.add_nodes_from(range(len(nodes)))
            index = {n: i for i, n in enumerate(nodes)}
            sub.add_edges_from(
                (index[u], index[v])
                for u, v in undirected.subgraph(nodes).edges()
                if u != v
            )
            raw = nx.spring_layout(sub, seed=seed + b, iterations=80 if len(nodes) <= 60 else 40)
            local = np.array([raw[i] for i in range(len(nodes))])
            local -= local.mean(axis=0)
            local = _separate(_fill_disc(local))
        else:
            degree = dict(undirected.degree(nodes))
            ordered = sorted(range(len(nodes)), key=lambda i: -degree[nodes[i]])
            local = np.empty((len(nodes), 2))
            local[ordered] = _sunflower(len(nodes))
        xy = centre + 0.9 * radius * local
        for n, p in zip(nodes, xy, strict=True):
            pos[n] = p
    coords = np.array(list(pos.values()))
    coords -= (coords.max(axis=0) + coords.min(axis=0)) / 2
    extent = np.abs(coords).max() or 1.0
    coords *= scale / extent
    return {n: (float(x), float(y)) for n, (x, y) in zip(pos, coords, strict=True)}
