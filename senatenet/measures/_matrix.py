"""Private helpers: graphs to sparse matrices, group codes, triangle listing.

Every measure works on the same representation: a CSR adjacency matrix in the
node order of ``G`` (self-loops removed, parallel edges collapsed, binary unless a
weight attribute is named) and an integer group code per node.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from itertools import chain
from operator import itemgetter

import networkx as nx
import numpy as np
import pandas as pd

from .._lazy import lazy_module
from ..errors import InputError

sp = lazy_module("scipy.sparse")

__all__: list[str] = []


def adjacency(G: nx.Graph, weight: str | None = None) -> sp.csr_array:
    """Adjacency matrix of ``G`` in node order: ``A[i, j]`` for the tie i -> j.

    Binary (1.0) unless ``weight`` names an edge attribute; self-loops are
    dropped; a multigraph's parallel edges collapse (weights add up). An
    undirected graph gives a symmetric matrix. Raises ``InputError`` when a
    weight is missing, not a number or negative.
    """
    n = G.number_of_nodes()
    index = {v: i for i, v in enumerate(G)}
    # the raw dict-of-dicts skips networkx's per-node view objects (read only)
    nbrs = list(getattr(G, "_adj", G.adj).values())
    counts = np.fromiter(map(len, nbrs), dtype=np.int64, count=n)
    total = int(counts.sum())
    rows = np.repeat(np.arange(n, dtype=np.int64), counts)
    flat = list(chain.from_iterable(nbrs))
    if total > 1:  # itemgetter maps all labels in one C-level call
        cols = np.array(itemgetter(*flat)(index), dtype=np.int64)
    else:
        cols = np.array([index[v] for v in flat], dtype=np.int64)
    if weight is None:
        data = np.ones(total)
    else:
        data = np.fromiter(_weights(G, weight), dtype=float, count=total)
        bad = ~np.isfinite(data) | (data < 0)
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            u, v = list(G)[rows[k]], list(G)[cols[k]]
            raise InputError(
                f"edge ({u!r}, {v!r}) has {weight!r} = {data[k]!r}; "
                "tie weights must be non-negative numbers",
                column=weight,
            )
    keep = rows != cols  # neighbours are unique per node: no duplicates to sum
    indptr = np.concatenate(([0], np.cumsum(np.bincount(rows[keep], minlength=n))))
    A = sp.csr_array((data[keep], cols[keep], indptr), shape=(n, n))
    A.sort_indices()
    if weight is not None:
        A.eliminate_zeros()
    return A


def _weights(G: nx.Graph, weight: str):
    multi = G.is_multigraph()
    for u, nbrs in G.adj.items():
        for v, attrs in nbrs.items():
            values = attrs.values() if multi else (attrs,)
            total = 0.0
            for a in values:
                if weight not in a:
                    raise InputError(
                        f"edge ({u!r}, {v!r}) has no {weight!r} attribute",
                        column=weight,
                    )
                try:
                    total += float(a[weight])
                except (TypeError, ValueError):
                    raise InputError(
                        f"edge ({u!r}, {v!r}) has {weight!r} = {a[weight]!r}, "
                        "not a number",
                        column=weight,
                    ) from None
            yield total


def binary(A: sp.csr_array) -> sp.csr_array:
    """The 0/1 pattern of ``A`` (a copy)."""
    B = A.copy()
    B.data = np.ones_like(B.data)
    return B


def union(A: sp.csr_array) -> sp.csr_array:
    """Binary union symmetrisation ``max(A, A^T)`` (pattern of ``A + A^T``).

    Weights must be non-negative (as :func:`adjacency` guarantees), so no cell
    cancels out.
    """
    S = (A + A.T).tocsr()
    S.data = np.ones_like(S.data)
    S.sort_indices()
    return S


def label_index(labels, name: str) -> pd.Index:
    """A flat Index of node or group labels, exactly as stored.

    ``tupleize_cols=False``: tuple labels (e.g. ``(wave, person)``) stay single
    labels instead of becoming a MultiIndex; ``"007"`` stays text.
    """
    return pd.Index(list(labels), name=name, tupleize_cols=False)


def _is_missing(value: object) -> bool:
    return (
        value is None
        or value is pd.NA
        or (isinstance(value, float) and math.isnan(value))
    )


def group_codes(G: nx.Graph, group: str) -> tuple[np.ndarray, list[Hashable]]:
    """Integer code per node and the group labels in order of first appearance.

    A node without the attribute (absent, ``None`` or NaN) raises ``InputError``
    naming the nodes: senatenet never guesses a node's organisation. Labels are
    kept exactly as stored (``"007"`` stays a string).
    """
    attrs = getattr(G, "_node", None)  # raw node-attribute dicts (read only)
    if attrs is None:
        attrs = dict(G.nodes(data=True))
    values = [data.get(group) for data in attrs.values()]
    labels = {value: i for i, value in enumerate(dict.fromkeys(values))}
    if any(_is_missing(value) for value in labels):
        missing = [v for v, value in zip(G, values, strict=True) if _is_missing(value)]
        shown = ", ".join(repr(v) for v in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise InputError(
            f"{len(missing)} node(s) have no {group!r} attribute: {shown}{more}. "
            f"Give every node a {group!r} value (use a label such as 'unknown' "
            "to keep them as their own group).",
            column=group,
        )
    codes = np.fromiter(
        map(labels.__getitem__, values), dtype=np.int64, count=len(values)
    )
    return codes, list(labels)


def triangles(S: sp.csr_array) -> tuple[np.ndarray, ...]:
    """Every triangle of a symmetric pattern once, with the positions of its edges.

    Returns ``(a, b, c, ab, ac, bc)``: node-index arrays of the corners and, for
    each triangle, the index into ``S.data`` of the stored cells (a, b), (a, c)
    and (b, c) (row = first node). ``S`` must be canonical CSR with a symmetric
    pattern and an empty diagonal; its values are not used.

    The "forward" algorithm (Schank & Wagner 2005): orient each edge towards the
    endpoint of higher (degree, index) rank; a triangle is an oriented wedge
    u -> v, u -> w closed by v -> w. Work is O(m^1.5) at worst.
    """
    n = S.shape[0]
    empty = np.empty(0, dtype=np.int64)
    if n < 3 or S.nnz == 0:
        return (empty,) * 6
    deg = np.diff(S.indptr)
    order = np.lexsort((np.arange(n), deg))  # ascending (degree, index)
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    rows = np.repeat(np.arange(n, dtype=np.int64), deg)
    r, c = rank[rows], rank[S.indices]
    up = np.flatnonzero(r < c)
    # U carries 1 + the position of each oriented edge in S
    U = sp.csr_array(((up + 1).astype(float), (r[up], c[up])), shape=(n, n))
    U.sort_indices()
    ptr, idx = U.indptr, U.indices.astype(np.int64)
    where = U.data.astype(np.int64) - 1
    rowlen = np.diff(ptr)
    edge_row = np.repeat(np.arange(n, dtype=np.int64), rowlen)
    # for the edge at position p of row u, pair it with positions p+1..end(u)-1
    later = ptr[edge_row + 1] - np.arange(len(idx)) - 1
    total = int(later.sum())
    if total == 0:
        return (empty,) * 6
    first = np.repeat(np.arange(len(idx), dtype=np.int64), later)
    offset = np.arange(total, dtype=np.int64) - np.repeat(
        np.cumsum(later) - later, later
    )
    second = first + 1 + offset
    u, v, w = edge_row[first], idx[first], idx[second]
    # U[v, w] is 1 + the position of edge (v, w) in S, or 0: a row-local binary
    # search in C (faster than a global searchsorted over all edge keys)
    closing = np.asarray(U[v, w], dtype=np.int64).ravel()
    ok = np.flatnonzero(closing)
    return (
        order[u[ok]],
        order[v[ok]],
        order[w[ok]],
        where[first[ok]],
        where[second[ok]],
        closing[ok] - 1,
    )


def transpose_positions(S: sp.csr_array) -> np.ndarray:
    """For each stored cell (i, j) of a symmetric-pattern CSR, the index of (j, i)."""
    tag = sp.csr_array(
        (np.arange(1, S.nnz + 1, dtype=float), S.indices, S.indptr), shape=S.shape
    )
    T = tag.T.tocsr()
    T.sort_indices()
    return T.data.astype(np.int64) - 1
