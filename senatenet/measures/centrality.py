"""Node centralities as sna defines them, Freeman centralization, the node table."""

from __future__ import annotations

import math
from collections.abc import Iterable

import networkx as nx
import numpy as np
import pandas as pd

from .._lazy import lazy_module
from ._matrix import adjacency, binary, group_codes, label_index
from ._paths import path_measures
from .brokerage import _raw
from .ei import _node_counts, _ratio
from .holes import _holes

sp = lazy_module("scipy.sparse")

__all__ = ["centralization", "node_table"]

MEASURES = ("degree", "betweenness", "closeness", "harmonic_closeness", "eigenvector")
MODES = ("freeman", "in", "out")


def _eigenvector(
    A: sp.csr_array, tol: float = 1e-12, max_iter: int = 2000
) -> np.ndarray:
    """Unit-norm principal eigenvector of ``A^T`` (centrality from in-ties).

    Power iteration on ``I + A^T`` from a uniform start, as networkx. When the
    gap between the two leading eigenvalues is too small for it to converge
    (e.g. a long path), the Perron vector is taken from a direct eigensolver
    (LAPACK up to 300 nodes, else ARPACK, as ``eigenvector_centrality_numpy``).
    NaN when the leading eigenvalue is 0 (no cycle, e.g. an empty or acyclic
    graph) or no non-negative eigenvector is found.
    """
    n = A.shape[0]
    if n == 0:
        return np.zeros(0)
    M = binary(A).T.tocsr()
    x = np.full(n, 1 / math.sqrt(n))
    for _ in range(max_iter):
        last = x
        x = last + M @ last
        x /= np.linalg.norm(x)
        if np.abs(x - last).sum() < n * tol:
            lam = float(np.linalg.norm(M @ x))
            return x if lam > 1e-9 else np.full(n, np.nan)
    return _perron(M)


def _perron(M: sp.csr_array) -> np.ndarray:
    """Non-negative unit eigenvector of the largest eigenvalue of ``M`` (or NaN)."""
    n = M.shape[0]
    if n <= 300:
        values, vectors = np.linalg.eig(M.toarray())
        k = int(np.argmax(values.real))
        lam, x = values[k].real, vectors[:, k].real
    else:
        from scipy.sparse.linalg import eigs

        try:
            values, vectors = eigs(M, k=1, which="LR", v0=np.ones(n))
        except Exception:  # ARPACK did not converge either  # noqa: BLE001
            return np.full(n, np.nan)
        lam, x = values[0].real, vectors[:, 0].real
    x = x * np.sign(x.sum())
    x /= np.linalg.norm(x)
    scale = np.abs(x).max()
    if lam <= 1e-9 or (x < -1e-9 * scale).any():
        return np.full(n, np.nan)
    x = np.clip(x, 0, None)
    if np.linalg.norm(M @ x - lam * x) > 1e-8 * max(lam, 1.0):
        return np.full(n, np.nan)
    return x / np.linalg.norm(x)


def _pagerank(
    A: sp.csr_array, alpha: float = 0.85, tol: float = 1e-12, max_iter: int = 1000
) -> np.ndarray:
    """PageRank of the binary graph; dangling nodes spread uniformly (networkx)."""
    n = A.shape[0]
    if n == 0:
        return np.zeros(0)
    B = binary(A)
    out = np.asarray(B.sum(axis=1)).ravel()
    dangling = out == 0
    with np.errstate(divide="ignore"):
        inv = np.where(dangling, 0.0, 1 / out)
    T = (sp.diags_array(inv) @ B).T.tocsr()
    x = np.full(n, 1 / n)
    for _ in range(max_iter):
        last = x
        x = alpha * (T @ last + last[dangling].sum() / n) + (1 - alpha) / n
        if np.abs(x - last).sum() < n * tol:
            break
    return x


def _degrees(A: sp.csr_array) -> tuple[np.ndarray, np.ndarray]:
    B = binary(A)
    out_deg = np.asarray(B.sum(axis=1)).ravel()
    in_deg = np.asarray(B.sum(axis=0)).ravel()
    return in_deg, out_deg


def _tmaxdev(measure: str, mode: str, n: int, directed: bool) -> float:
    """sna's theoretical maximum deviation sum for n nodes (R/nli.R)."""
    if directed:
        return {
            "degree": (n - 1) * (2 * (n - 1) - 2)
            if mode == "freeman"
            else (n - 1) ** 2,
            "betweenness": (n - 1) ** 2 * (n - 2),
            "closeness": (n - 1) * (1 - 1 / n),
            "harmonic_closeness": (n - 1) ** 2,
            "eigenvector": n - 1,
        }[measure]
    return {
        "degree": (n - 1) * (n - 2),
        "betweenness": (n - 1) ** 2 * (n - 2) / 2,
        "closeness": (n - 1) * (n - 2) / (2 * n - 3),
        "harmonic_closeness": n - 1 - n / 2,
        "eigenvector": math.sqrt(2) / 2 * (n - 2),
    }[measure]


def _scores(A, directed, measure, mode, backend):
    if measure == "degree":
        in_deg, out_deg = _degrees(A)
        if not directed:
            return out_deg
        return {"freeman": in_deg + out_deg, "in": in_deg, "out": out_deg}[mode]
    if measure == "eigenvector":
        # sna's evcent takes the eigenvector of A (out-ties); mode="in" that of A^T
        return _eigenvector(A.T.tocsr() if directed and mode != "in" else A)
    mode = "in" if mode == "in" else "out"
    return path_measures(A, directed, backend, mode=mode, which=(measure,))[measure]


def centralization(
    G: nx.Graph,
    measure: str = "degree",
    *,
    mode: str = "freeman",
    backend: str = "auto",
) -> float:
    """Freeman centralization normalised by sna's theoretical maximum.

    ``C = sum_i [c(v*) - c(v_i)] / max_G sum_i [c(v*) - c(v_i)]`` where v* has
    the largest score and the denominator (sna's ``tmaxdev``) is the largest
    possible sum for n nodes (a star), on raw node scores:

    ===================  ==========================  ===========================
    measure              graph                       digraph
    ===================  ==========================  ===========================
    degree               (n-1)(n-2)                  in/out: (n-1)^2;
                                                     freeman (in + out):
                                                     (n-1)(2(n-1)-2)
    betweenness          (n-1)^2 (n-2) / 2           (n-1)^2 (n-2)
    closeness            (n-1)(n-2) / (2n-3)         (n-1)(1 - 1/n)
    harmonic_closeness   n - 1 - n/2                 (n-1)^2
    eigenvector          sqrt(2)/2 (n-2)             n - 1
    ===================  ==========================  ===========================

    Scores are those of :func:`node_table`: degree counts neighbours (graph) or
    arcs; betweenness raw counts (ordered pairs on a digraph); closeness
    ``(n-1) / sum_j d(i,j)``, 0 when some node is unreachable, so it is 0 on
    most disconnected graphs; harmonic closeness ``sum_j 1/d(i,j) / (n-1)``;
    eigenvector the unit-norm principal eigenvector. On a digraph the default
    eigenvector scores are sna's ``evcent``, the eigenvector of A (``x_i``
    proportional to the sum of ``x_j`` over the nodes i sends ties to); the
    ``eigenvector`` column of :func:`node_table` follows networkx and igraph
    (eigenvector of A^T, from ties received), whose centralization is
    ``mode="in"``. The digraph maxima for
    closeness, harmonic closeness and eigenvector are sna's constants: the
    harmonic one, (n-1)^2, exceeds any attainable sum (at most n-1), so those
    values are tiny; compare them only with each other.

    Parameters
    ----------
    G : networkx.Graph or DiGraph
        Ties binary; self-loops ignored; ``G`` not modified.
    measure : {"degree", "betweenness", "closeness", "harmonic_closeness", "eigenvector"}
    mode : {"freeman", "in", "out"}
        Digraphs: for degree, total (in + out, sna's "freeman"), in- or
        out-degree; for closeness and harmonic closeness, ``"in"`` uses
        distances towards the node, otherwise from it; for eigenvector,
        ``"in"`` uses ties received (the :func:`node_table` column), otherwise
        ties sent (sna's ``evcent``). Betweenness takes ``"freeman"`` only.
        Ignored for undirected graphs.
    backend : {"auto", "igraph", "networkx"}
        Shortest-path engine (same values); ``"auto"`` uses igraph if installed
        and the graph has 100 nodes or more (below that, importing igraph costs
        more than networkx's computation).

    Returns
    -------
    float
        NaN when undefined: fewer than 3 nodes (the maximum is 0 or undefined)
        or a NaN node score (eigenvector of an acyclic graph).

    References
    ----------
    .. [1] Freeman, L. C. (1979). Centrality in social networks: Conceptual
       clarification. *Social Networks*, 1(3), 215-239.
    .. [2] Butts, C. T. sna: Tools for Social Network Analysis,
       ``centralization`` (R/gli.R) and ``tmaxdev`` of ``degree``,
       ``betweenness``, ``closeness``, ``evcent`` (R/nli.R).

    Examples
    --------
    >>> import networkx as nx
    >>> centralization(nx.star_graph(4), "degree")
    1.0
    >>> centralization(nx.star_graph(4), "betweenness")
    1.0
    """
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {MEASURES}; got {measure!r}")
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}; got {mode!r}")
    directed = G.is_directed()
    if directed and mode != "freeman" and measure == "betweenness":
        raise ValueError(f"mode={mode!r} has no meaning for {measure}; use 'freeman'")
    n = G.number_of_nodes()
    if n < 3:
        return float("nan")
    A = adjacency(G)
    scores = np.asarray(_scores(A, directed, measure, mode, backend), dtype=float)
    if np.isnan(scores).any():
        return float("nan")
    return float((scores.max() - scores).sum() / _tmaxdev(measure, mode, n, directed))


ROLE_COLUMNS = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison", "brokerage")
#: The measure columns of :func:`node_table`, in order.
NODE_COLUMNS = (
    "in_degree", "out_degree", "degree", "betweenness", "closeness", "harmonic_closeness",
    "eigenvector", "pagerank", "constraint", "effective_size", "ei", "external_ties",
    "internal_ties", *ROLE_COLUMNS,
)


def node_table(
    G: nx.Graph,
    group: str = "organisation",
    *,
    weight: str | None = None,
    backend: str = "auto",
    columns: Iterable[str] | None = None,
) -> pd.DataFrame:
    """One row per node with its centralities, boundary-crossing and brokerage.

    Ties are binary except for Burt's measures, which use ``weight`` if given.
    Self-loops are ignored. Columns (NaN where undefined, as noted):

    - ``<group>``: the node's group value, as stored.
    - ``in_degree``, ``out_degree``: arcs received and sent; ``degree``: sna's
      Freeman degree, in + out on a digraph (a mutual tie counts twice), the
      number of neighbours on a graph (where in = out = degree).
    - ``betweenness``: raw count of shortest paths through the node (Freeman
      1977), ordered pairs on a digraph, unordered on a graph, as sna
      ``betweenness(rescale=FALSE)``.
    - ``closeness``: ``(n-1) / sum_j d(i, j)`` on out-paths, 0 if some node is
      unreachable from i (sna's ``closeness``; NaN for a one-node graph).
    - ``harmonic_closeness``: ``sum_j 1/d(i, j) / (n-1)``, 1/inf = 0 (sna
      ``cmode="suminvdir"``/``"suminvundir"``): the informative one on
      disconnected graphs.
    - ``eigenvector``: unit-norm principal eigenvector of A^T (a node is central
      when central nodes send it ties; networkx/igraph convention, whereas sna's
      ``evcent`` uses A, i.e. out-ties). NaN when the leading eigenvalue is 0.
    - ``pagerank``: PageRank, damping 0.85, dangling nodes spread uniformly.
    - ``constraint``, ``effective_size``: Burt's measures with mutual strengths
      (:func:`structural_holes`); NaN for isolates.
    - ``ei``, ``external_ties``, ``internal_ties``: UCINET's individual E-I on
      the union-symmetrised graph (:func:`ei_index`, ``level="node"``); ei NaN
      for isolates.
    - ``coordinator``, ``itinerant``, ``representative``, ``gatekeeper``,
      ``liaison``: Gould-Fernandez roles (:func:`brokerage`); ``brokerage``:
      their total (sna's t).

    Parameters
    ----------
    G : networkx.Graph or DiGraph
        Nodes carry the group attribute (a node without it raises
        :class:`senatenet.InputError`). ``G`` is not modified.
    group : str
        Node attribute naming the group (organisation).
    weight : str, optional
        Edge attribute with tie strength for constraint and effective size.
    backend : {"auto", "igraph", "networkx"}
        Shortest-path engine for betweenness and closeness; igraph (when
        installed) is much faster and gives the same values; ``"auto"`` uses it
        from 100 nodes.
    columns : iterable of str, optional
        Compute only these measures (plus the group column), e.g.
        ``["degree", "betweenness"]``; the shortest-path measures (betweenness,
        closeness, harmonic closeness) are the expensive ones on large graphs.
        Default: all of them.

    Returns
    -------
    pandas.DataFrame
        Index = node, in the order of ``G`` (named ``"node"``).

    References
    ----------
    .. [1] Freeman, L. C. (1979). Centrality in social networks: Conceptual
       clarification. *Social Networks*, 1(3), 215-239.
    .. [2] Butts, C. T. (2008). Social network analysis with sna. *Journal of
       Statistical Software*, 24(6).
    .. [3] Brin, S., & Page, L. (1998). The anatomy of a large-scale
       hypertextual web search engine. *Computer Networks*, 30, 107-117.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([(1, 2), (2, 3)])
    >>> nx.set_node_attributes(G, {1: "a", 2: "a", 3: "b"}, "organisation")
    >>> node_table(G)[["degree", "betweenness", "ei", "representative"]]
          degree  betweenness   ei  representative
    node
    1          1          0.0 -1.0             0.0
    2          2          1.0  0.0             1.0
    3          1          0.0  1.0             0.0
    """
    wanted = list(NODE_COLUMNS) if columns is None else list(dict.fromkeys(columns))
    unknown = [c for c in wanted if c not in NODE_COLUMNS]
    if unknown:
        raise ValueError(f"unknown node_table column(s) {unknown}; choose from {list(NODE_COLUMNS)}")
    if group in NODE_COLUMNS:  # the group column would overwrite a measure
        raise ValueError(f"group attribute {group!r} has the name of a node_table column")
    codes, labels = group_codes(G, group)
    # ties are binary except for Burt's measures: a tie of weight 0 still counts
    B = adjacency(G)
    A = adjacency(G, weight) if weight is not None else B
    directed = G.is_directed()
    data: dict[str, object] = {group: pd.Series([labels[c] for c in codes], dtype=object)}
    if {"in_degree", "out_degree", "degree"} & set(wanted):
        in_deg, out_deg = _degrees(B)
        degree = in_deg + out_deg if directed else out_deg
        data["in_degree"] = in_deg.astype(np.int64)
        data["out_degree"] = out_deg.astype(np.int64)
        data["degree"] = degree.astype(np.int64)
    which = tuple(m for m in ("betweenness", "closeness", "harmonic_closeness") if m in wanted)
    if which:
        data.update(path_measures(B, directed, backend, which=which))
    if "eigenvector" in wanted:
        data["eigenvector"] = _eigenvector(B)
    if "pagerank" in wanted:
        data["pagerank"] = _pagerank(B)
    if {"constraint", "effective_size"} & set(wanted):
        holes = _holes(A)
        data["constraint"] = holes["constraint"]
        data["effective_size"] = holes["effective_size"]
    if {"ei", "external_ties", "internal_ties"} & set(wanted):
        external, internal = _node_counts(B, codes, "undirected")
        data["ei"] = _ratio(external, internal)
        data["external_ties"] = external
        data["internal_ties"] = internal
    if set(ROLE_COLUMNS) & set(wanted):
        roles = _raw(B, codes) if len(codes) else np.zeros((0, 5))
        for k, name in enumerate(ROLE_COLUMNS[:5]):
            data[name] = roles[:, k]
        data["brokerage"] = roles.sum(axis=1)
    frame = pd.DataFrame(data)[[group, *wanted]]
    frame.index = label_index(G, "node")
    return frame
