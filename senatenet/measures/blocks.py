"""Density by groups (UCINET's block density table)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from .._lazy import lazy_module
from ._matrix import adjacency, group_codes, label_index

sp = lazy_module("scipy.sparse")

__all__ = ["block_density"]


def block_density(
    G: nx.Graph, group: str = "organisation", *, weight: str | None = None
) -> pd.DataFrame:
    """Tie density within and between groups (UCINET "Density by Groups").

    For groups k != l, ``D[k, l] = sum_{i in k, j in l} a_ij / (n_k n_l)``; on the
    diagonal self-pairs are excluded, ``D[k, k] = sum_{i != j in k} a_ij /
    (n_k (n_k - 1))``. On a digraph rows are senders and columns receivers; on
    an undirected graph the table is symmetric and each edge is one tie. With
    ``weight``, ``a_ij`` is the tie value (0 when absent), so a cell is the mean
    tie value over all possible pairs, as UCINET computes the density of valued
    data. Self-loops are ignored.

    Parameters
    ----------
    G : networkx.Graph or DiGraph
        Nodes carry the group attribute (a node without it raises
        :class:`senatenet.InputError`). ``G`` is not modified.
    group : str
        Node attribute naming the group.
    weight : str, optional
        Edge attribute with the tie value; default binary (present/absent).

    Returns
    -------
    pandas.DataFrame
        Group x group, in order of first appearance; index and columns are named
        after ``group``. A diagonal cell of a one-member group (no pairs) is NaN.

    References
    ----------
    .. [1] Borgatti, S. P., Everett, M. G., & Freeman, L. C. (2002). UCINET for
       Windows: Network > Cohesion > Density > Density by Groups. Analytic
       Technologies.
    .. [2] Wasserman, S., & Faust, K. (1994). *Social Network Analysis*,
       section 10.2 (density tables of a blockmodel). Cambridge University Press.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([(1, 2), (2, 3), (3, 1)])
    >>> nx.set_node_attributes(G, {1: "a", 2: "a", 3: "b"}, "organisation")
    >>> block_density(G)
    organisation    a    b
    organisation
    a             0.5  0.5
    b             0.5  NaN
    """
    codes, labels = group_codes(G, group)
    A = adjacency(G, weight)
    k = len(labels)
    P = sp.csr_array(
        (np.ones(len(codes)), (np.arange(len(codes)), codes)), shape=(len(codes), k)
    )
    totals = (P.T @ A @ P).toarray() if k else np.zeros((0, 0))
    sizes = np.bincount(codes, minlength=k).astype(float)
    pairs = np.outer(sizes, sizes) - np.diag(sizes)
    with np.errstate(invalid="ignore", divide="ignore"):
        density = np.where(pairs > 0, totals / pairs, np.nan)
    return pd.DataFrame(
        density,
        index=label_index(labels, group),
        columns=label_index(labels, group),
    )
