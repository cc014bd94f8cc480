"""Burt's structural holes: constraint and effective size, with mutual strengths."""

from __future__ import annotations

from itertools import permutations

import networkx as nx
import numpy as np
import pandas as pd

from .._lazy import lazy_module
from ._matrix import adjacency, label_index, transpose_positions, triangles

sp = lazy_module("scipy.sparse")

__all__ = ["structural_holes"]


def _holes(A: sp.csr_array) -> dict[str, np.ndarray]:
    """ego_size, effective_size, efficiency and constraint of every node.

    ``W = A + A^T`` (mutual strength), ``p_ij = W_ij / sum_k W_ik`` and
    ``m_jq = W_jq / max_k W_jk``. The indirect terms ``sum_q p_iq p_qj`` and
    ``sum_q p_iq m_jq`` only involve q adjacent to both i and j, so they are
    accumulated over the triangles of W's pattern (no dense or full sparse
    product).
    """
    n = A.shape[0]
    W = (A + A.T).tocsr()
    W.eliminate_zeros()
    W.sort_indices()
    rows = np.repeat(np.arange(n), np.diff(W.indptr))
    size = np.diff(W.indptr).astype(float)
    strength = np.bincount(rows, weights=W.data, minlength=n)
    rowmax = W.max(axis=1).toarray().ravel() if n else np.zeros(0)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = W.data / strength[rows]
        m = W.data / rowmax[rows]
    indirect = np.zeros(len(p))  # sum_q p_iq p_qj at the position of (i, j)
    redundancy = np.zeros(n)  # sum_j sum_q p_iq m_jq for ego i
    a, b, c, ab, ac, bc = triangles(W)
    if len(a):
        t = (a, b, c)
        back = transpose_positions(W)
        pos = {}
        for (x, y), e in (((0, 1), ab), ((0, 2), ac), ((1, 2), bc)):
            pos[x, y], pos[y, x] = e, back[e]
        for i, j, q in permutations(range(3)):
            iq, qj, jq = pos[i, q], pos[q, j], pos[j, q]
            indirect += np.bincount(pos[i, j], weights=p[iq] * p[qj], minlength=len(p))
            redundancy += np.bincount(t[i], weights=p[iq] * m[jq], minlength=n)
    constraint = np.bincount(rows, weights=(p + indirect) ** 2, minlength=n).astype(
        float
    )
    isolate = size == 0
    effective = (size - redundancy).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        efficiency = effective / size
    constraint[isolate] = effective[isolate] = efficiency[isolate] = np.nan
    size[isolate] = 0.0
    return {
        "ego_size": size,
        "effective_size": effective,
        "efficiency": efficiency,
        "constraint": constraint,
    }


def structural_holes(G: nx.Graph, *, weight: str | None = None) -> pd.DataFrame:
    """Burt's effective size, efficiency and constraint of every node.

    With mutual tie strength ``z_ij = w_ij + w_ji`` (so on a digraph a
    reciprocated tie weighs twice an unreciprocated one), ``N(i)`` the nodes tied
    to i in either direction, proportional strength ``p_ij = z_ij / sum_k z_ik``
    and marginal strength ``m_jq = z_jq / max_k z_jk``:

    - constraint ``C_i = sum_{j in N(i)} (p_ij + sum_{q in N(i), q != j} p_iq p_qj)^2``
    - effective size ``ES_i = sum_{j in N(i)} (1 - sum_{q in N(i), q != j} p_iq m_jq)``
    - efficiency ``ES_i / |N(i)|``; ``ego_size = |N(i)|``.

    ``p_qj`` is normalised over all of q's ties (Burt's whole-network model, as in
    networkx and igraph). On an undirected binary graph effective size equals
    Borgatti's ``k - 2t/k`` (t = ties among the k alters). Unlike networkx's
    vectorised ``effective_size``, the row maximum is used for ``m_jq``, so the
    values are right on directed and weighted graphs. Isolates get NaN.

    Parameters
    ----------
    G : networkx.Graph or DiGraph
        Not modified. Self-loops are ignored.
    weight : str, optional
        Edge attribute with tie strength (non-negative); default binary.

    Returns
    -------
    pandas.DataFrame
        Index = node (order of ``G``); columns ``ego_size``, ``effective_size``,
        ``efficiency``, ``constraint``.

    References
    ----------
    .. [1] Burt, R. S. (1992). *Structural Holes: The Social Structure of
       Competition*. Harvard University Press, pp. 51-55.
    .. [2] Burt, R. S. (2004). Structural holes and good ideas. *American Journal
       of Sociology*, 110(2), 349-399 (p. 362: ties in either direction).
    .. [3] Borgatti, S. P. (1997). Unpacking Burt's redundancy measure.
       *Connections*, 20(1), 35-38.

    Examples
    --------
    >>> import networkx as nx
    >>> structural_holes(nx.complete_graph(3))["constraint"].tolist()
    [1.125, 1.125, 1.125]
    >>> structural_holes(nx.star_graph(3))["effective_size"].tolist()
    [3.0, 1.0, 1.0, 1.0]
    """
    A = adjacency(G, weight)
    frame = pd.DataFrame(_holes(A), index=label_index(G, "node"))
    frame["ego_size"] = frame["ego_size"].astype(np.int64)
    return frame
