"""Gould & Fernandez brokerage roles, identical to ``sna::brokerage``."""

from __future__ import annotations

from itertools import permutations

import networkx as nx
import numpy as np
import pandas as pd

from .._lazy import lazy_module
from ._matrix import (
    adjacency,
    binary,
    group_codes,
    label_index,
    triangles,
)

sp = lazy_module("scipy.sparse")
special = lazy_module("scipy.special")

__all__ = ["brokerage", "brokerage_expected", "BROKERAGE_ROLES"]

#: Role columns in sna's order, with sna's names.
BROKERAGE_ROLES = {
    "coordinator": "w_I",
    "itinerant": "w_O",
    "representative": "b_IO",
    "gatekeeper": "b_OI",
    "liaison": "b_O",
    "total": "t",
}
_ROLE_NAMES = list(BROKERAGE_ROLES)


def _raw(A: sp.csr_array, codes: np.ndarray) -> np.ndarray:
    """n x 5 role counts (w_I, w_O, b_IO, b_OI, b_O) of every broker.

    Two-paths i -> j -> k through broker j are counted from degree products by
    group and corrected for i = k (mutual ties) and for closed paths (i -> k
    present), which are found among the triangles of the union graph.
    """
    n = len(codes)
    B = binary(A)
    rows = np.repeat(np.arange(n), np.diff(B.indptr))
    cols = B.indices.astype(np.int64)
    same = codes[rows] == codes[cols]
    out_tot = np.bincount(rows, minlength=n).astype(float)
    in_tot = np.bincount(cols, minlength=n).astype(float)
    out_own = np.bincount(rows[same], minlength=n).astype(float)
    in_own = np.bincount(cols[same], minlength=n).astype(float)
    k = int(codes.max()) + 1 if n else 0
    ones = np.ones(len(rows))
    into = sp.csr_array((ones, (cols, codes[rows])), shape=(n, k))
    outof = sp.csr_array((ones, (rows, codes[cols])), shape=(n, k))
    # pairs (i, k) around j with g(i) = g(k): sum over groups of in x out
    matched = np.asarray(into.multiply(outof).sum(axis=1)).ravel()
    # i = k: j's mutual partners, which are never brokered
    M = B.multiply(B.T).tocoo()  # mutual ties
    mut_tot = np.bincount(M.row, minlength=n).astype(float)
    mut_own = np.bincount(M.row[codes[M.row] == codes[M.col]], minlength=n).astype(
        float
    )
    closed = _closed(B, codes)
    own_own = in_own * out_own
    other_in, other_out = in_tot - in_own, out_tot - out_own
    raw = np.column_stack(
        [
            own_own - mut_own,
            matched - own_own - (mut_tot - mut_own),
            in_own * other_out,
            other_in * out_own,
            other_in * other_out - (matched - own_own),
        ]
    )
    return raw - closed


def _closed(B: sp.csr_array, codes: np.ndarray) -> np.ndarray:
    """n x 5 counts of closed two-paths i -> j -> k (with i -> k) by role of j."""
    n = len(codes)
    out = np.zeros(n * 5)
    C = (B + 2 * B.T).tocsr()  # union pattern; 1: x -> y, 2: y -> x, 3: both
    C.sort_indices()
    *tri, ab, ac, bc = triangles(C)
    if len(tri[0]) == 0:
        return out.reshape(n, 5)
    code = C.data.astype(np.int64)
    arc = {}
    for (x, y), e in (((0, 1), ab), ((0, 2), ac), ((1, 2), bc)):
        arc[x, y] = (code[e] & 1) > 0
        arc[y, x] = (code[e] & 2) > 0
    for i_, j_, k_ in permutations(range(3)):
        ok = arc[i_, j_] & arc[j_, k_] & arc[i_, k_]
        gi, gj, gk = codes[tri[i_][ok]], codes[tri[j_][ok]], codes[tri[k_][ok]]
        role = np.full(len(gj), 4)
        role[(gi != gj) & (gj == gk)] = 3
        role[(gi == gj) & (gj != gk)] = 2
        role[(gi == gk) & (gi != gj)] = 1
        role[(gi == gj) & (gj == gk)] = 0
        out += np.bincount(tri[j_][ok] * 5 + role, minlength=n * 5)
    return out.reshape(n, 5)


def _frame(G: nx.Graph, values: np.ndarray, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(values, index=label_index(G, "node"), columns=columns)


def brokerage(G: nx.Graph, group: str = "organisation") -> pd.DataFrame:
    """Gould & Fernandez brokerage roles of every node, as ``sna::brokerage``.

    Node j brokers the ordered pair (i, k) when i -> j and j -> k but there is
    no tie i -> k (a tie k -> i is allowed), with i, j, k distinct. Each such
    triple gives j one point in exactly one role, by the groups g of i, j, k:

    ==================  =====  ==========================================
    column              sna    groups on the path i -> j -> k
    ==================  =====  ==========================================
    ``coordinator``     w_I    g(i) = g(j) = g(k)
    ``itinerant``       w_O    g(i) = g(k) != g(j) (UCINET "consultant")
    ``representative``  b_IO   g(i) = g(j) != g(k)
    ``gatekeeper``      b_OI   g(i) != g(j) = g(k)
    ``liaison``         b_O    all three different
    ``total``           t      sum of the five
    ==================  =====  ==========================================

    Ties are binary and self-loops ignored. The counts equal
    ``sna::brokerage(A, cl)$raw.nli`` exactly.

    Parameters
    ----------
    G : networkx.DiGraph or Graph
        Nodes carry the group attribute (a node without it raises
        :class:`senatenet.InputError`). ``G`` is not modified.
    group : str
        Node attribute naming the group.

    Returns
    -------
    pandas.DataFrame
        Index = node (order of ``G``); float columns ``coordinator``,
        ``itinerant``, ``representative``, ``gatekeeper``, ``liaison``,
        ``total``. Expected values and z-scores: :func:`brokerage_expected`.

    Notes
    -----
    On an undirected graph each edge is a tie in both directions, as when sna is
    given a symmetric matrix: every open path i - j - k is counted twice (as
    i -> j -> k and k -> j -> i). ``coordinator``, ``itinerant``, ``liaison``
    and ``total`` are twice the number of brokered unordered pairs {i, k} of
    that kind; a pair in which j shares a group with exactly one end counts once
    as ``representative`` and once as ``gatekeeper``, so these two are equal for
    every node and each is the number of such pairs (their sum is twice it).
    Brokerage is defined on directed data; prefer a digraph.

    The computation is vectorised: for broker j the two-paths through j are
    products of j's in- and out-degrees by group, less the mutual partners
    (i = k) and the closed paths, which lie on triangles of the union graph.

    References
    ----------
    .. [1] Gould, R. V., & Fernandez, R. M. (1989). Structures of mediation: A
       formal approach to brokerage in transaction networks. *Sociological
       Methodology*, 19, 89-126.
    .. [2] Butts, C. T. (2008). Social network analysis with sna. *Journal of
       Statistical Software*, 24(6); sna ``brokerage`` (R/models.R,
       src/gli.c ``brokerage_R``).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([(1, 2), (2, 3)])
    >>> nx.set_node_attributes(G, {1: "a", 2: "a", 3: "b"}, "organisation")
    >>> brokerage(G).loc[2, ["representative", "total"]].tolist()
    [1.0, 1.0]
    """
    codes, _ = group_codes(G, group)
    A = adjacency(G)
    raw = _raw(A, codes)
    values = np.column_stack([raw, raw.sum(axis=1)]) if len(codes) else np.zeros((0, 6))
    return _frame(G, values, _ROLE_NAMES)


def _moments(codes: np.ndarray, arcs: int):
    """sna's expectations and variances by broker's group, and global ones.

    Port of the moment formulas of ``sna::brokerage`` (R/models.R), with
    density ``d = arcs / (N (N - 1))``.
    """
    N = float(len(codes))
    n = np.bincount(codes).astype(float)
    d = arcs / (N * (N - 1)) if N > 1 else np.nan
    p2 = d**2 * (1 - d)
    c3 = d**3 * (1 - d) ** 3
    c4 = d**4 * (1 - d) ** 2
    c5 = d**5 * (1 - d)
    k = len(n)
    ebr = np.zeros((k, 6))
    vbr = np.zeros((k, 6))
    for i in range(k):
        ni, rest = n[i], np.delete(n, i)
        ebr[i, 0] = p2 * (ni - 1) * (ni - 2)
        vbr[i, 0] = ebr[i, 0] * (1 - p2) + 2 * (ni - 1) * (ni - 2) * (ni - 3) * c3
        ebr[i, 1] = p2 * np.sum(rest * (rest - 1))
        vbr[i, 1] = (
            ebr[i, 1] * (1 - p2) + 2 * np.sum(rest * (rest - 1) * (rest - 2)) * c3
        )
        ebr[i, 2] = p2 * (N - ni) * (ni - 1)
        vbr[i, 2] = (
            ebr[i, 2] * (1 - p2)
            + 2 * ((ni - 1) * special.comb(N - ni, 2) + (N - ni) * special.comb(ni - 1, 2)) * c3
        )
        ebr[i, 3], vbr[i, 3] = ebr[i, 2], vbr[i, 2]
        ebr[i, 4] = p2 * (np.sum(rest) ** 2 - np.sum(rest**2))
        vbr[i, 4] = ebr[i, 4] * (1 - p2) + 4 * np.sum(
            rest * special.comb(N - rest - ni, 2) * c3
        )
        ebr[i, 5] = p2 * (N - 1) * (N - 2)
        vbr[i, 5] = ebr[i, 5] * (1 - p2) + 2 * (N - 1) * (N - 2) * (N - 3) * c3
    eg = np.zeros(6)
    vg = np.zeros(6)
    eg[0] = p2 * np.sum(n * (n - 1) * (n - 2))
    vg[0] = eg[0] * (1 - p2) + np.sum(
        n * (n - 1) * (n - 2) * ((4 * n - 10) * c3 - 4 * (n - 3) * c4 + (n - 3) * c5)
    )
    eg[1] = p2 * np.sum(n * (N - n) * (n - 1))
    x, y = n[:, None], n[None, :]
    vg[1] = eg[1] * (1 - p2) + (
        np.sum(x * y * (x - 1) * ((2 * x + 2 * y - 6) * c3 + (N - x - 1) * c5))
        - np.sum(n * n * (n - 1) * ((4 * n - 6) * c3 + (N - n - 1) * c5))
    )
    eg[2] = p2 * np.sum(n * (N - n) * (n - 1))
    vg[2] = eg[2] * (1 - p2) + np.sum(
        n * (N - n) * (n - 1) * ((N - 3) * c3 + (n - 2) * c5)
    )
    eg[3], vg[3] = eg[2], vg[2]
    eg[4] = p2 * (np.sum(x * y * (N - x - y)) - np.sum(n * n * (N - 2 * n)))
    vg[4] = eg[4] * (1 - p2)
    if k >= 3:
        # sna sums n_i n_j n_k [...] over ordered triples of distinct groups, a
        # k^3 loop; it is linear in the distinct-triple sums T111 = sum n_i n_j
        # n_k and T211 = sum n_i^2 n_j n_k (the same for any position of the
        # square), computed exactly from integer power sums
        s1, s2, s3, s4 = (sum(int(m) ** t for m in n) for t in (1, 2, 3, 4))
        t111 = s1**3 - 3 * s2 * s1 + 2 * s3
        t211 = s2 * s1**2 - 2 * s3 * s1 - s2**2 + 2 * s4
        constant = (4 * N - 2) * (c3 - c4) + (N - 1) * c5
        linear = -8 * c3 + 8 * c4 - 2 * c5  # coefficients of n_i, n_j, n_k summed
        vg[4] += constant * float(t111) + linear * float(t211)
    eg[5] = p2 * N * (N - 1) * (N - 2)
    vg[5] = eg[5] * (1 - p2) + N * (N - 1) * (N - 2) * (
        (4 * N - 10) * c3 - 4 * (N - 3) * c4 + (N - 3) * c5
    )
    return ebr, vbr, eg, vg


def _z(raw, expected, var):
    sd = np.sqrt(var)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (raw - expected) / sd
    return sd, z


def brokerage_expected(
    G: nx.Graph, group: str = "organisation", *, level: str = "node"
) -> pd.DataFrame:
    """Brokerage counts with sna's expected values, standard deviations and z-scores.

    Under sna's null model every ordered triple is an open two-path independently
    with probability ``d^2 (1 - d)``, where ``d = m / (N (N - 1))`` is the density
    of the arcs (an undirected edge is two arcs). For a broker in group i with
    ``n_i`` members, of ``N`` nodes in groups of sizes ``n_k``:

    - coordinator: ``E = d^2 (1 - d) (n_i - 1)(n_i - 2)``
    - itinerant: ``E = d^2 (1 - d) sum_{k != i} n_k (n_k - 1)``
    - representative, gatekeeper: ``E = d^2 (1 - d) (N - n_i)(n_i - 1)``
    - liaison: ``E = d^2 (1 - d) [sum_{k,l != i} n_k n_l - sum_{k != i} n_k^2]``
    - total: ``E = d^2 (1 - d) (N - 1)(N - 2)``

    The variances (and the network-level moments) are ported term by term from
    ``sna::brokerage`` (R/models.R) and give its ``exp.nli``, ``sd.nli``,
    ``z.nli``, ``exp.gli``, ``sd.gli`` and ``z.gli``. ``z = (count - E) / sd``;
    z is NaN where sd = 0 (no triple of that kind is possible). sna warns that
    the normal approximation is of unknown accuracy; a simulation test may be
    preferable.

    Parameters
    ----------
    G : networkx.DiGraph or Graph
        As for :func:`brokerage`. ``G`` is not modified.
    group : str
        Node attribute naming the group.
    level : {"node", "network"}
        ``"node"``: index = node; for each role r the columns ``r``,
        ``r_expected``, ``r_sd``, ``r_z``. ``"network"``: index = role, columns
        ``observed`` (column sums of :func:`brokerage`), ``expected``, ``sd``,
        ``z``.

    Returns
    -------
    pandas.DataFrame

    References
    ----------
    .. [1] Gould, R. V., & Fernandez, R. M. (1989). Structures of mediation: A
       formal approach to brokerage in transaction networks. *Sociological
       Methodology*, 19, 89-126.
    .. [2] Butts, C. T. sna: Tools for Social Network Analysis, ``brokerage``
       (R/models.R).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([(1, 2), (2, 3), (3, 4), (4, 1)])
    >>> nx.set_node_attributes(G, {1: "a", 2: "a", 3: "b", 4: "b"}, "organisation")
    >>> round(float(brokerage_expected(G, level="network").loc["total", "expected"]), 4)
    1.7778
    """
    if level not in ("node", "network"):
        raise ValueError(f"level must be 'node' or 'network'; got {level!r}")
    raw = brokerage(G, group).to_numpy()
    codes, _ = group_codes(G, group)
    arcs = adjacency(G).nnz
    if len(codes) == 0:
        ebr = vbr = np.zeros((0, 6))
        eg, vg = np.full(6, np.nan), np.full(6, np.nan)
    else:
        ebr, vbr, eg, vg = _moments(codes, arcs)
    if level == "network":
        observed = raw.sum(axis=0)
        sd, z = _z(observed, eg, vg)
        return pd.DataFrame(
            {"observed": observed, "expected": eg, "sd": sd, "z": z},
            index=pd.Index(_ROLE_NAMES, name="role"),
        )
    expected, var = ebr[codes], vbr[codes]
    sd, z = _z(raw, expected, var)
    columns, blocks = [], []
    for r, name in enumerate(_ROLE_NAMES):
        columns += [name, f"{name}_expected", f"{name}_sd", f"{name}_z"]
        blocks += [raw[:, r], expected[:, r], sd[:, r], z[:, r]]
    values = np.column_stack(blocks) if len(codes) else np.zeros((0, 24))
    return _frame(G, values, columns)
