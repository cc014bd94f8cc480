"""Whole-network summary: size, cohesion, centralization, boundary crossing, silos."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from .._lazy import lazy_module
from ._matrix import adjacency, binary, group_codes, triangles, union
from ._paths import path_measures
from .centrality import _degrees, _eigenvector, _tmaxdev
from .ei import _network

csgraph = lazy_module("scipy.sparse.csgraph")
special = lazy_module("scipy.special")

__all__ = ["network_summary", "adjusted_mutual_information"]


def _entropy(counts: np.ndarray) -> float:
    p = counts[counts > 0] / counts.sum()
    return float(-(p * np.log(p)).sum())


def adjusted_mutual_information(labels_a, labels_b) -> float:
    """Adjusted mutual information of two partitions (Vinh, Epps & Bailey 2010).

    ``AMI = (MI - E[MI]) / (mean(H(U), H(V)) - E[MI])`` with the arithmetic mean
    of the two entropies (scikit-learn's default) and ``E[MI]`` the exact
    expectation of the mutual information over all relabellings with the same
    cluster sizes (hypergeometric model, Vinh et al. eq. 2). 1 means identical
    partitions, about 0 no more agreement than chance; it can be negative. Two
    one-cluster (or two all-singleton) partitions give 1, as scikit-learn.

    Parameters
    ----------
    labels_a, labels_b : sequence
        Cluster labels of the same items, in the same order.

    Returns
    -------
    float
        NaN for fewer than one item.

    References
    ----------
    .. [1] Vinh, N. X., Epps, J., & Bailey, J. (2010). Information theoretic
       measures for clusterings comparison: Variants, properties, normalization
       and correction for chance. *Journal of Machine Learning Research*, 11,
       2837-2854.

    Examples
    --------
    >>> adjusted_mutual_information(["a", "a", "b", "b"], [1, 1, 2, 2])
    1.0
    >>> round(adjusted_mutual_information([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]), 4)
    0.2988
    """
    a = pd.factorize(pd.Series(list(labels_a), dtype=object))[0]
    b = pd.factorize(pd.Series(list(labels_b), dtype=object))[0]
    if len(a) != len(b):
        raise ValueError("the two labellings must have the same length")
    N = len(a)
    if N == 0:
        return float("nan")
    ka, kb = a.max() + 1, b.max() + 1
    if (ka == kb == 1) or (ka == kb == N):
        return 1.0
    table = np.zeros((ka, kb))
    np.add.at(table, (a, b), 1)
    ra, rb = table.sum(axis=1), table.sum(axis=0)
    nz = table > 0
    mi = float((table[nz] / N * np.log(N * table[nz] / np.outer(ra, rb)[nz])).sum())
    emi = _expected_mi(ra, rb, N)
    normaliser = (_entropy(ra) + _entropy(rb)) / 2
    denominator = normaliser - emi
    eps = np.finfo(float).eps
    denominator = min(denominator, -eps) if denominator < 0 else max(denominator, eps)
    return float((mi - emi) / denominator)


def _expected_mi(ra: np.ndarray, rb: np.ndarray, N: int) -> float:
    """E[MI] under the hypergeometric (permutation) model."""
    total = 0.0
    lg = special.gammaln
    for ai in ra:
        for bj in rb:
            lo, hi = max(1, int(ai + bj - N)), int(min(ai, bj))
            if lo > hi:
                continue
            nij = np.arange(lo, hi + 1, dtype=float)
            logp = (
                lg(ai + 1)
                + lg(bj + 1)
                + lg(N - ai + 1)
                + lg(N - bj + 1)
                - lg(N + 1)
                - lg(nij + 1)
                - lg(ai - nij + 1)
                - lg(bj - nij + 1)
                - lg(N - ai - bj + nij + 1)
            )
            total += float((nij / N * np.log(N * nij / (ai * bj)) * np.exp(logp)).sum())
    return total


def _centralize(
    scores: np.ndarray, measure: str, mode: str, n: int, directed: bool
) -> float:
    if n < 3 or np.isnan(scores).any():
        return float("nan")
    return float((scores.max() - scores).sum() / _tmaxdev(measure, mode, n, directed))


def network_summary(
    G: nx.Graph,
    group: str = "organisation",
    *,
    seed: int = 0,
    backend: str = "auto",
) -> pd.Series:
    """Whole-network measures in one Series (index = measure name).

    Ties are binary; self-loops are ignored; ``G`` is not modified.

    - ``nodes``; ``ties``: arcs (digraph) or edges (graph); ``groups``: number
      of distinct group values.
    - ``density``: ties / n(n-1) on a digraph, ties / (n(n-1)/2) on a graph
      (sna ``gden``).
    - ``reciprocity``: edgewise, 2M / (2M + asymmetric dyads) (sna
      ``grecip(measure="edgewise")``); NaN on a graph.
    - ``components``: weakly connected components (isolates count);
      ``isolates``: nodes with no tie in either direction.
    - ``transitivity``: 3 x triangles / connected triples of the union graph.
    - ``mean_distance``: mean shortest-path length over ordered pairs (i, j),
      i != j, with j reachable from i.
    - ``centralization_degree`` (digraph: total degree), ``_indegree`` and
      ``_outdegree`` (digraph only, NaN on a graph), ``_betweenness``,
      ``_closeness`` (0 when some node cannot reach all others),
      ``_harmonic_closeness``, ``_eigenvector`` (sna's ``evcent``, from ties
      sent on a digraph): as :func:`centralization` with the default mode.
    - ``external_ties``, ``internal_ties``, ``ei``, ``ei_expected``,
      ``ei_rescaled``: UCINET E-I on the union graph (:func:`ei_index`).
    - ``group_pairs_connected``: share of unordered pairs of distinct groups
      with at least one tie (NaN below 2 groups).
    - ``silo_index``: adjusted mutual information
      (:func:`adjusted_mutual_information`) between seeded Louvain communities
      of the union graph and the groups, over the nodes with at least one tie
      (isolates belong to no community): 1 = the communities are exactly the
      groups, about 0 = unrelated. NaN below 2 groups or without ties.

    Undefined values are NaN (e.g. density of a one-node graph, centralizations
    below 3 nodes). The options are recorded in ``result.attrs``
    (``group``, ``seed``, ``directed``).

    Parameters
    ----------
    G : networkx.Graph or DiGraph
        Nodes carry the group attribute (a node without it raises
        :class:`senatenet.InputError`).
    group : str
        Node attribute naming the group.
    seed : int
        Seed of the Louvain community detection behind ``silo_index``.
    backend : {"auto", "igraph", "networkx"}
        Shortest-path engine (same values).

    Returns
    -------
    pandas.Series
        float values, name ``"value"``.

    References
    ----------
    .. [1] Wasserman, S., & Faust, K. (1994). *Social Network Analysis*.
       Cambridge University Press (density, reciprocity, transitivity).
    .. [2] Freeman, L. C. (1979). Centrality in social networks: Conceptual
       clarification. *Social Networks*, 1(3), 215-239.
    .. [3] Krackhardt, D., & Stern, R. N. (1988). Informal networks and
       organizational crises. *Social Psychology Quarterly*, 51(2), 123-140.
    .. [4] Blondel, V. D., Guillaume, J.-L., Lambiotte, R., & Lefebvre, E.
       (2008). Fast unfolding of communities in large networks. *J. Stat.
       Mech.*, P10008.
    .. [5] Vinh, N. X., Epps, J., & Bailey, J. (2010). Information theoretic
       measures for clusterings comparison. *JMLR*, 11, 2837-2854.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([(1, 2), (2, 1), (2, 3)])
    >>> nx.set_node_attributes(G, {1: "a", 2: "a", 3: "b"}, "organisation")
    >>> s = network_summary(G)
    >>> s[["nodes", "ties", "density", "reciprocity", "ei"]].tolist()
    [3.0, 3.0, 0.5, 0.6666666666666666, 0.0]
    """
    codes, labels = group_codes(G, group)
    A = binary(adjacency(G))
    directed = G.is_directed()
    n = A.shape[0]
    S = union(A)
    ties = A.nnz if directed else S.nnz // 2
    out: dict[str, float] = {"nodes": n, "ties": ties, "groups": len(labels)}
    pairs = n * (n - 1) if directed else n * (n - 1) / 2
    out["density"] = ties / pairs if pairs else np.nan
    if directed and A.nnz:
        mutual_arcs = A.multiply(A.T).nnz
        out["reciprocity"] = mutual_arcs / A.nnz
    else:
        out["reciprocity"] = np.nan
    out["components"] = csgraph.connected_components(S, directed=False)[0] if n else 0
    degree_u = np.diff(S.indptr)
    out["isolates"] = int((degree_u == 0).sum())
    triples = float((degree_u * (degree_u - 1) / 2).sum())
    out["transitivity"] = 3 * len(triangles(S)[0]) / triples if triples else np.nan
    paths = path_measures(A, directed, backend)
    out["mean_distance"] = paths["mean_distance"]
    in_deg, out_deg = _degrees(A)
    if directed:
        out["centralization_degree"] = _centralize(
            in_deg + out_deg, "degree", "freeman", n, True
        )
        out["centralization_indegree"] = _centralize(in_deg, "degree", "in", n, True)
        out["centralization_outdegree"] = _centralize(out_deg, "degree", "out", n, True)
    else:
        out["centralization_degree"] = _centralize(
            out_deg, "degree", "freeman", n, False
        )
        out["centralization_indegree"] = out["centralization_outdegree"] = np.nan
    for measure in ("betweenness", "closeness", "harmonic_closeness"):
        out[f"centralization_{measure}"] = _centralize(
            np.asarray(paths[measure]), measure, "freeman", n, directed
        )
    out["centralization_eigenvector"] = _centralize(  # sna's evcent: A, not A^T
        _eigenvector(A.T.tocsr() if directed else A), "eigenvector", "freeman", n, directed
    )
    ei = _network(A, codes, "undirected", 0, None).iloc[0]
    out["external_ties"], out["internal_ties"] = ei["E"], ei["I"]
    out["ei"], out["ei_expected"], out["ei_rescaled"] = (
        ei["ei"],
        ei["ei_expected"],
        ei["ei_rescaled"],
    )
    k = len(labels)
    if k >= 2:
        rows = np.repeat(np.arange(n), np.diff(S.indptr))
        cu, cv = codes[rows], codes[S.indices]
        cross = cu < cv
        linked = np.unique(cu[cross] * k + cv[cross])
        out["group_pairs_connected"] = len(linked) / (k * (k - 1) / 2)
    else:
        out["group_pairs_connected"] = np.nan
    out["silo_index"] = _silo(S, codes, seed) if k >= 2 and S.nnz else np.nan
    result = pd.Series(out, dtype=float, name="value")
    result.index.name = "measure"
    result.attrs = {"group": group, "seed": seed, "directed": directed}
    return result


def _silo(S, codes, seed: int) -> float:
    """AMI between seeded Louvain communities of the union graph and the groups.

    Only nodes with at least one tie take part: an isolate is a community of
    its own whatever its group, so counting isolates would lower the index
    without saying anything about silos.
    """
    tied = np.flatnonzero(np.diff(S.indptr))
    H = nx.from_scipy_sparse_array(S[tied][:, tied])
    communities = nx.community.louvain_communities(H, seed=seed)
    found = np.empty(len(tied), dtype=np.int64)
    for c, members in enumerate(communities):
        found[list(members)] = c
    return adjusted_mutual_information(found, codes[tied])
