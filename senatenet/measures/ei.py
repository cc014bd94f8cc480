"""Krackhardt & Stern's E-I index at network, group and node level."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from .._lazy import lazy_module
from ..resample import permutations
from ._matrix import adjacency, binary, group_codes, label_index, union

sp = lazy_module("scipy.sparse")

__all__ = ["ei_index"]

LEVELS = ("network", "group", "node")
DIRECTIONS = ("undirected", "out", "in", "all")


def _check(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ValueError(
            f"{name} must be one of {', '.join(map(repr, choices))}; got {value!r}"
        )


def _ratio(ext, inside):
    """(E - I) / (E + I), NaN where E + I = 0."""
    ext, inside = np.asarray(ext, dtype=float), np.asarray(inside, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(ext + inside > 0, (ext - inside) / (ext + inside), np.nan)


def _ties(A: sp.csr_array, direction: str) -> tuple[np.ndarray, np.ndarray]:
    """Endpoints of the ties counted: edges of max(A, A^T) once, or arcs of A."""
    M = sp.triu(union(A), k=1, format="coo") if direction == "undirected" else A.tocoo()
    return M.row.astype(np.int64), M.col.astype(np.int64)


def _network(A, codes, direction, n_permutations, seed, n_jobs=1):
    n = len(codes)
    u, v = _ties(A, direction)
    L = len(u)
    E = int(np.count_nonzero(codes[u] != codes[v]))
    internal = L - E
    sizes = np.bincount(codes).astype(float) if n else np.zeros(0)
    pairs_in = float((sizes * (sizes - 1)).sum())  # ordered pairs within groups
    pairs_all = float(n * (n - 1))
    if direction == "undirected":
        pairs_in, pairs_all = pairs_in / 2, pairs_all / 2
    pairs_ex = pairs_all - pairs_in
    ei = float(_ratio(E, internal))
    expected = float(_ratio(pairs_ex, pairs_in))
    if L == 0:
        lo = hi = rescaled = np.nan
    else:
        hi = 1.0 if pairs_ex >= L else (pairs_ex - (L - pairs_ex)) / L
        lo = -1.0 if pairs_in >= L else ((L - pairs_in) - pairs_in) / L
        rescaled = 2 * (ei - lo) / (hi - lo) - 1 if hi > lo else np.nan
    row = {
        "E": E,
        "I": internal,
        "ei": ei,
        "ei_expected": expected,
        "ei_min": lo,
        "ei_max": hi,
        "ei_rescaled": rescaled,
    }
    if n_permutations:
        seed = _seed(seed)
        if L:
            E_perm = _permuted_E(codes, u, v, n_permutations, seed, n_jobs)
            row["p_greater"] = (np.count_nonzero(E_perm >= E) + 1) / (n_permutations + 1)
            row["p_less"] = (np.count_nonzero(E_perm <= E) + 1) / (n_permutations + 1)
        else:  # no ties: E-I is undefined, so is its test
            row["p_greater"] = row["p_less"] = np.nan
        row["n_permutations"] = int(n_permutations)
        row["seed"] = seed
    return pd.DataFrame([row], index=pd.Index(["network"], name="level"))


def _seed(seed: int | None) -> int:
    """The seed used: the one given, or a fresh one drawn so it can be recorded."""
    if seed is None:
        return int(np.random.SeedSequence().entropy % (2**63))
    return int(seed)


def _permuted_E(codes, u, v, R, seed, n_jobs=1) -> np.ndarray:
    """External tie counts under R random permutations of the group labels
    (seeded batches of the resampling engine, :mod:`senatenet.resample`)."""
    n, L = len(codes), len(u)
    out = permutations(_ExternalCount(codes, u, v), n, R, seed,
                       batch=max(1, 4_000_000 // max(n, L, 1)), n_jobs=n_jobs)
    return out.astype(np.int64) if len(out) else np.empty(0, dtype=np.int64)


class _ExternalCount:
    def __init__(self, codes, u, v):
        self.codes, self.u, self.v = codes, u, v

    def __call__(self, perms: np.ndarray) -> np.ndarray:
        c = np.take(self.codes, perms)
        return (c[:, self.u] != c[:, self.v]).sum(axis=1)


def _group(A, codes, labels, direction, name):
    k = len(labels)
    sizes = np.bincount(codes, minlength=k)
    u, v = _ties(A, direction)
    cu, cv = codes[u], codes[v]
    inside = cu == cv
    internal = np.bincount(cu[inside], minlength=k)
    out_E = np.bincount(cu[~inside], minlength=k)
    in_E = np.bincount(cv[~inside], minlength=k)
    E = {"out": out_E, "in": in_E}.get(direction, out_E + in_E)
    frame = pd.DataFrame(
        {"size": sizes, "E": E, "I": internal, "ei": _ratio(E, internal)},
        index=label_index(labels, name),
    )
    return frame


def _node_counts(A, codes, direction):
    """Per node (E, I): ties to other groups and to the own group."""
    n = len(codes)
    if direction == "undirected":
        M = union(A)
    elif direction == "out":
        M = binary(A)
    elif direction == "in":
        M = binary(A).T.tocsr()
    else:  # all arcs: out + in, a mutual tie counts twice
        M = (binary(A) + binary(A).T).tocsr()
    rows = np.repeat(np.arange(n), np.diff(M.indptr))
    same = codes[rows] == codes[M.indices]
    internal = np.bincount(rows, weights=M.data * same, minlength=n)
    external = np.bincount(rows, weights=M.data * ~same, minlength=n)
    return external.astype(np.int64), internal.astype(np.int64)


def _node(G, A, codes, direction):
    external, internal = _node_counts(A, codes, direction)
    return pd.DataFrame(
        {"E": external, "I": internal, "ei": _ratio(external, internal)},
        index=label_index(G, "node"),
    )


def ei_index(
    G: nx.Graph,
    group: str = "organisation",
    *,
    level: str = "network",
    direction: str = "undirected",
    n_permutations: int = 0,
    seed: int | None = None,
    n_jobs: int | None = 1,
) -> pd.DataFrame:
    """Krackhardt & Stern's E-I index: external versus internal ties.

    ``EI = (E - I) / (E + I)``, where E counts ties between members of different
    groups and I ties within a group. It runs from -1 (every tie inside a group)
    to +1 (every tie crosses a boundary). Ties are binary; self-loops are ignored.

    Parameters
    ----------
    G : networkx.Graph or DiGraph
        Nodes carry the group attribute. ``G`` is not modified.
    group : str
        Node attribute naming the group (organisation). A node without it raises
        :class:`senatenet.InputError`; values are compared exactly as stored.
    level : {"network", "group", "node"}
    direction : {"undirected", "out", "in", "all"}
        Which ties count. ``"undirected"`` (UCINET's E-I, the default):
        union-symmetrise (i-j is a tie if i->j or j->i) and count each edge once.
        On a digraph, ``"out"`` counts the arcs a node or group sends, ``"in"``
        the arcs it receives and ``"all"`` both (a mutual tie counts twice).
        At network level every arc is one tie for ``"out"``, ``"in"`` and
        ``"all"`` alike. An undirected ``G`` is treated as a symmetric digraph
        by these three (so each edge is two arcs).
    n_permutations : int
        Network level only: number of random relabellings for the permutation
        test (0 = none).
    seed : int, optional
        Seed of the permutation test (:mod:`senatenet.resample`). When
        omitted a seed is drawn and recorded in the result.
    n_jobs : int or None
        Workers for the permutation batches; results do not depend on it.

    Returns
    -------
    pandas.DataFrame
        ``level="network"``: one row (index ``"network"``) with

        - ``E``, ``I``: external and internal ties; ``ei``: the index;
        - ``ei_expected``: E-I of the complete graph, ``(E* - I*) / (E* + I*)``,
          where ``I*`` and ``E*`` are the possible within- and between-group
          pairs (unordered for ``"undirected"``, ordered arcs otherwise): the value
          expected under random mixing given the group sizes;
        - ``ei_min``, ``ei_max``: the most negative and positive E-I attainable
          with ``L = E + I`` ties and these group sizes: ``ei_max = 1`` if
          ``E* >= L`` else ``(2E* - L) / L``; ``ei_min = -1`` if ``I* >= L`` else
          ``(L - 2I*) / L``;
        - ``ei_rescaled = 2 (ei - ei_min) / (ei_max - ei_min) - 1``;
        - with permutations: ``p_greater`` and ``p_less``, ``(k + 1) / (R + 1)``
          where k of the R label permutations (ties held fixed) give an E count
          at least (at most) the observed one (NaN without ties);
          ``n_permutations`` and ``seed``.

        ``level="group"``: index = group values (named after ``group``, in order
        of first appearance), columns
        ``size``, ``E`` (ties with exactly one end in the group; for ``"out"``
        arcs leaving it, ``"in"`` arcs entering it, ``"all"`` both), ``I`` (ties
        inside the group, each counted once) and ``ei``.

        ``level="node"``: index = node (order of ``G``), columns ``E``, ``I``
        (the node's ties to other groups and to its own) and ``ei``.

        ``ei`` is NaN where ``E + I = 0`` (an isolate, a group without ties, an
        empty graph); ``ei_min``, ``ei_max`` and ``ei_rescaled`` are NaN when
        there are no ties, ``ei_rescaled`` also when ``ei_min = ei_max``.

    Notes
    -----
    The group level follows Krackhardt & Stern's subgroup index (each internal
    tie once); it matches the ``ei.groups`` values of the sna reference networks
    (out/in/all_arcs/undirected). The min/max rescaling follows the E-I chapter
    of jfb-h/intro-to-sna (UCINET's own formula is not published).

    References
    ----------
    .. [1] Krackhardt, D., & Stern, R. N. (1988). Informal networks and
       organizational crises: An experimental simulation. *Social Psychology
       Quarterly*, 51(2), 123-140.
    .. [2] Borgatti, S. P., Everett, M. G., & Freeman, L. C. (2002). UCINET for
       Windows: Network > Cohesion > E-I Index. Analytic Technologies.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([(1, 2), (2, 3), (3, 4)])
    >>> nx.set_node_attributes(G, {1: "a", 2: "a", 3: "b", 4: "b"}, "organisation")
    >>> ei_index(G)[["E", "I", "ei", "ei_expected"]]
             E  I        ei  ei_expected
    level
    network  1  2 -0.333333     0.333333
    >>> ei_index(G, level="node")["ei"].tolist()
    [-1.0, 0.0, 0.0, -1.0]
    """
    _check("level", level, LEVELS)
    _check("direction", direction, DIRECTIONS)
    if n_permutations and level != "network":
        raise ValueError("the permutation test is for level='network' only")
    if n_permutations < 0:
        raise ValueError("n_permutations must be >= 0")
    codes, labels = group_codes(G, group)
    A = adjacency(G)
    if level == "network":
        return _network(A, codes, direction, int(n_permutations), seed, n_jobs)
    if level == "group":
        return _group(A, codes, labels, direction, group)
    return _node(G, A, codes, direction)
