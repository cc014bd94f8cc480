"""Private: shortest-path measures (betweenness, closeness, distances).

Two backends give the same values: igraph (C, used when installed) and
networkx + scipy.sparse.csgraph. Both work on the binary matrix ``A``.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from .._lazy import lazy_module

sp = lazy_module("scipy.sparse")
csgraph = lazy_module("scipy.sparse.csgraph")

__all__: list[str] = []

BACKENDS = ("auto", "igraph", "networkx")
#: "auto" uses networkx + scipy below this many nodes: importing igraph (about
#: 0.1-0.3 CPU s) costs more than the whole computation there
SMALL = 100


def _igraph():
    try:
        import igraph
    except ImportError:  # pragma: no cover - depends on the environment
        return None
    return igraph


def resolve(backend: str, n: int | None = None) -> str:
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}; got {backend!r}")
    if backend == "auto":
        if n is not None and n < SMALL:
            return "networkx"
        return "igraph" if _igraph() is not None else "networkx"
    if backend == "igraph" and _igraph() is None:
        raise ImportError("backend='igraph' needs python-igraph (pip install igraph)")
    return backend


def reaches_all(A: sp.csr_array, directed: bool) -> np.ndarray:
    """Whether each node reaches every other node along (out-)paths.

    In the condensation (a DAG of strong components) a component reaches all
    nodes exactly when it is the only component without incoming arcs.
    """
    n = A.shape[0]
    k, labels = csgraph.connected_components(A, directed=directed, connection="strong")
    if k == 1:
        return np.ones(n, dtype=bool)
    rows = np.repeat(np.arange(n), np.diff(A.indptr))
    src, dst = labels[rows], labels[A.indices]
    has_in = np.zeros(k, dtype=bool)
    has_in[dst[src != dst]] = True
    sources = np.flatnonzero(~has_in)
    if len(sources) != 1:
        return np.zeros(n, dtype=bool)
    return labels == sources[0]


def _distance_sums(A: sp.csr_array, directed: bool, transpose: bool = False):
    """Per node: sum of finite distances, sum of 1/d, number reached (scipy BFS)."""
    n = A.shape[0]
    M = A.T.tocsr() if transpose else A
    total = np.zeros(n)
    inverse = np.zeros(n)
    reached = np.zeros(n, dtype=np.int64)
    chunk = max(1, 2_000_000 // max(n, 1))
    for start in range(0, n, chunk):
        idx = np.arange(start, min(n, start + chunk))
        D = csgraph.shortest_path(M, directed=directed, unweighted=True, indices=idx)
        D[np.arange(len(idx)), idx] = np.inf  # ignore the node itself
        finite = np.isfinite(D)
        total[idx] = np.where(finite, D, 0).sum(axis=1)
        with np.errstate(divide="ignore"):
            inverse[idx] = np.where(finite, 1 / D, 0).sum(axis=1)
        reached[idx] = finite.sum(axis=1)
    return total, inverse, reached


ALL = ("betweenness", "closeness", "harmonic_closeness", "mean_distance")


def path_measures(
    A: sp.csr_array,
    directed: bool,
    backend: str = "auto",
    *,
    mode: str = "out",
    which: tuple[str, ...] = ALL,
) -> dict[str, np.ndarray | float]:
    """The shortest-path measures named in ``which`` (each costs a pass over all pairs).

    - betweenness: raw Brandes counts; ordered pairs on a digraph, unordered on a
      graph (sna ``betweenness(..., rescale=FALSE)``).
    - closeness: ``(n - 1) / sum_j d(i, j)`` over out-distances (``mode="in"``:
      in-distances), 0 when some node is unreachable (sna, ``cmode="directed"``).
    - harmonic_closeness: ``sum_j 1 / d(i, j) / (n - 1)`` (sna "suminv").
    - mean_distance: mean of d(i, j) over ordered reachable pairs i != j.
    """
    n = A.shape[0]
    backend = resolve(backend, n)
    out: dict[str, np.ndarray | float] = {}
    if n == 0:
        empty = np.zeros(0)
        return {key: (np.nan if key == "mean_distance" else empty) for key in which}
    transpose = directed and mode == "in"
    undefined = np.full(n, np.nan)  # closeness of a one-node graph: 0 / 0
    if "closeness" in which:
        full = reaches_all(A.T.tocsr() if transpose else A, directed)
    if backend == "igraph":
        ig = _igraph()
        rows = np.repeat(np.arange(n), np.diff(A.indptr))
        keep = np.ones(len(rows), dtype=bool) if directed else rows < A.indices
        g = ig.Graph(
            n=n,
            edges=list(zip(rows[keep].tolist(), A.indices[keep].tolist(), strict=True)),
            directed=directed,
        )
        igmode = "in" if transpose else "out"
        if "betweenness" in which:
            out["betweenness"] = np.asarray(
                g.betweenness(directed=directed), dtype=float
            )
        if "closeness" in which:
            close = np.asarray(g.closeness(mode=igmode, normalized=True), dtype=float)
            out["closeness"] = (
                np.where(full, np.nan_to_num(close), 0.0) if n > 1 else undefined
            )
        if "harmonic_closeness" in which:
            harmonic = g.harmonic_centrality(mode=igmode, normalized=True)
            out["harmonic_closeness"] = (
                np.nan_to_num(np.asarray(harmonic, dtype=float)) if n > 1 else undefined
            )
        if "mean_distance" in which:
            out["mean_distance"] = (
                float(g.average_path_length(directed=directed, unconn=True))
                if A.nnz
                else np.nan
            )
        return out
    if "betweenness" in which:
        H = nx.from_scipy_sparse_array(
            A, create_using=nx.DiGraph if directed else nx.Graph
        )
        bc = nx.betweenness_centrality(H, normalized=False)
        out["betweenness"] = np.array([bc[i] for i in range(n)], dtype=float)
    if set(which) - {"betweenness"}:
        total, inverse, reached = _distance_sums(A, directed, transpose)
        with np.errstate(invalid="ignore", divide="ignore"):
            if "closeness" in which:
                out["closeness"] = (
                    np.where(full, (n - 1) / total, 0.0) if n > 1 else undefined
                )
            if "harmonic_closeness" in which:
                out["harmonic_closeness"] = inverse / (n - 1) if n > 1 else undefined
        if "mean_distance" in which:
            pairs = reached.sum()
            out["mean_distance"] = float(total.sum() / pairs) if pairs else np.nan
    return out
