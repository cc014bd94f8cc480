"""QAP: is the association between two networks on the same people more than chance?

The quadratic assignment procedure (Hubert 1987; Krackhardt 1987) compares an
association statistic between two adjacency matrices with its distribution when
the rows and columns of one matrix are permuted *jointly*, which keeps each
network's structure intact and breaks only their alignment. This module
matches R's ``sna::qaptest(list(A, B), gcor, g1=1, g2=2)``.

References
----------
Hubert, L. J. (1987). Assignment Methods in Combinatorial Data Analysis. Dekker.
Krackhardt, D. (1987). QAP partialling as a test of spuriousness. Social
Networks 9(2), 171-186.
Butts, C. T. (2008). Social network analysis with sna. Journal of Statistical
Software 24(6). (``gcor``, ``qaptest``)
Phipson, B. & Smyth, G. K. (2010). Permutation p-values should never be zero.
Statistical Applications in Genetics and Molecular Biology 9(1), 39.
"""

from __future__ import annotations

import html
import warnings
from typing import Literal

import numpy as np

from ..errors import InputError
from ._matrix import cell_mask, graph_nodes, p_values, run_batches, to_matrix

__all__ = ["qap_test", "QAPResult"]

Statistic = Literal["pearson", "jaccard", "simple_matching"]
_STATISTICS = ("pearson", "jaccard", "simple_matching")


def new_seed() -> int:
    """A fresh random seed (used when the caller passes ``seed=None``), so that
    every result can record the seed that reproduces it."""
    return int(np.random.SeedSequence().generate_state(1)[0])


class QAPResult:
    """Result of :func:`qap_test`.

    Attributes
    ----------
    statistic : str
        ``"pearson"``, ``"jaccard"`` or ``"simple_matching"``.
    observed : float
        The statistic on the observed alignment.
    distribution : numpy.ndarray
        The statistic under each of the ``n_permutations`` permutations.
    p_greater, p_less, p_two_sided : float
        Permutation p-values, (k + 1) / (R + 1): k permutations at least as
        large, at least as small, or at least as far from the exact permutation
        mean as the observed value; R permutations.
    p_greater_sna, p_less_sna, p_two_sided_sna : float
        The same counts as k / R, the convention of R's ``sna`` (``pgreq``,
        ``pleeq``).
    n_permutations, seed : int
    directed : bool
        Whether all off-diagonal cells (True) or the upper triangle was used.
    n, cells : int
        People and dyads analysed.

    References
    ----------
    Phipson, B. & Smyth, G. K. (2010). Permutation p-values should never be
    zero. Stat. Appl. Genet. Mol. Biol. 9(1), 39.

    Examples
    --------
    >>> import networkx as nx
    >>> res = qap_test(nx.cycle_graph(6), nx.path_graph(6), n_permutations=99, seed=3)
    >>> res.n_permutations, res.seed, res.cells, len(res.distribution)
    (99, 3, 15, 99)
    """

    def __init__(self, **fields) -> None:
        self.__dict__.update(fields)

    @property
    def null_mean(self) -> float:
        """Mean of the permutation distribution."""
        return float(np.mean(self.distribution)) if len(self.distribution) else np.nan

    @property
    def null_sd(self) -> float:
        """Standard deviation of the permutation distribution."""
        return float(np.std(self.distribution, ddof=1)) if len(self.distribution) > 1 else np.nan

    def as_dict(self) -> dict:
        """The scalar fields (no distribution), e.g. for a row of a test table."""
        keys = (
            "statistic", "observed", "p_greater", "p_less", "p_two_sided",
            "p_greater_sna", "p_less_sna", "p_two_sided_sna",
            "n_permutations", "seed", "directed", "n", "cells",
        )
        return {k: getattr(self, k) for k in keys} | {
            "null_mean": self.null_mean, "null_sd": self.null_sd
        }

    def __repr__(self) -> str:
        return (
            f"QAPResult(statistic={self.statistic!r}, observed={self.observed:.4f}, "
            f"p_greater={self.p_greater:.4g}, p_less={self.p_less:.4g}, "
            f"n_permutations={self.n_permutations}, seed={self.seed})"
        )

    def _p(self, p: float) -> str:
        floor = 1 / (self.n_permutations + 1)
        if p == p and p <= floor * (1 + 1e-9):
            return f"{p:.4g} (the smallest possible with {self.n_permutations:,} permutations)"
        if p != p:
            return "not available" + (" (no permutations)" if not self.n_permutations else "")
        return f"{p:.4g}"

    def _lines(self) -> list[tuple[str, str]]:
        return [
            ("statistic", self.statistic),
            ("observed", f"{self.observed:.6g}"),
            ("permutation mean (sd)", f"{self.null_mean:.4g} ({self.null_sd:.4g})"),
            ("p (greater or equal)", self._p(self.p_greater)),
            ("p (less or equal)", self._p(self.p_less)),
            ("p (two-sided)", self._p(self.p_two_sided)),
            ("dyads", f"{self.cells} ({'directed' if self.directed else 'undirected'}, n = {self.n})"),
            ("permutations", f"{self.n_permutations} (seed {self.seed})"),
        ]

    def __str__(self) -> str:
        rows = self._lines()
        width = max(len(k) for k, _ in rows)
        body = "\n".join(f"{k:<{width}}  {v}" for k, v in rows)
        return (
            "QAP test (joint row/column permutation)\n"
            + body
            + "\np-values are (k + 1) / (R + 1); sna's k / R are p_*_sna."
        )

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
            for k, v in self._lines()
        )
        return (
            "<table><caption>QAP test (joint row/column permutation)</caption>"
            f"{rows}</table><p>p-values are (k + 1) / (R + 1).</p>"
        )


def _dot(a: np.ndarray, b: np.ndarray) -> float:
    """Inner product without BLAS threads (they only contend on a busy machine)."""
    return float(np.einsum("i,i->", a, b))


def _off_diagonal_mode(M: np.ndarray) -> float:
    """Most frequent off-diagonal value of ``M`` (0 when it is among the most frequent)."""
    n = len(M)
    if ((M == 0) | (M == 1)).all():  # binary: no sort needed (diagonal is 0)
        ones = np.count_nonzero(M)
        return 1.0 if ones > n * (n - 1) - ones else 0.0
    values, counts = np.unique(M[~np.eye(n, dtype=bool)], return_counts=True)
    best = counts == counts.max()
    return 0.0 if (values[best] == 0).any() else float(values[best][0])


def _lookup_table(M: np.ndarray) -> np.ndarray:
    """``M`` flattened as bytes when its values are integers 0..255 (cache-friendly), else floats."""
    flat = M.ravel()
    if ((flat >= 0) & (flat <= 255) & (flat == np.round(flat))).all():
        return flat.astype(np.uint8)
    return flat


def _inverse(perms: np.ndarray) -> np.ndarray:
    """Row-wise inverse permutations."""
    inv = np.empty_like(perms)
    inv[np.arange(len(perms))[:, None], perms] = np.arange(perms.shape[1])
    return inv


def _dense_binary_func(X: np.ndarray, Y: np.ndarray):
    """S(p) for 0/1 matrices in O(n^2) byte operations, whatever the density.

    S = sum_{i, l} Y[p(i), l] * X[i, s(l)] with s = p^-1: both factors are row
    gathers (``Y[p]`` and ``X.T[s]``, contiguous copies), then one AND with a
    transposed view and a count.
    """
    Y8 = (Y != 0).astype(np.uint8)
    XT8 = np.ascontiguousarray((X != 0).T).astype(np.uint8)

    def func(perms: np.ndarray) -> np.ndarray:
        inv = _inverse(perms)
        out = np.empty(len(perms))
        for k in range(len(perms)):
            rows_y = np.take(Y8, perms[k], axis=0)
            out[k] = np.count_nonzero(rows_y & np.take(XT8, inv[k], axis=0).T)
        return out

    return func


def _dense_func(X: np.ndarray, Y: np.ndarray):
    """S(p) for valued matrices in O(n^2) per permutation: the row gather
    ``Y[p]`` times the column gather ``X[:, s]`` (s = p^-1), summed."""
    X, Y = X.copy(), Y.copy()
    np.fill_diagonal(X, 0.0)
    np.fill_diagonal(Y, 0.0)

    def func(perms: np.ndarray) -> np.ndarray:
        inv = _inverse(perms)
        out = np.empty(len(perms))
        for k in range(len(perms)):
            out[k] = np.einsum("il,il->", np.take(Y, perms[k], axis=0), np.take(X, inv[k], axis=1))
        return out

    return func


def _cross_sum_func(X: np.ndarray, Y: np.ndarray):
    """Return f(perms) -> S(p) = sum_{i != j} X[i, j] * Y[p(i), p(j)] for each row p.

    One matrix is written as a constant c off the diagonal plus its deviations
    D (c = its most frequent value), so that S = c * sum(other) + sum over the
    non-zero cells of D; the matrix with fewer deviations is the one visited,
    so work per permutation is O(deviations): dense binary networks cost as
    little as sparse ones. When Y is the visited one, the identity
    S = sum X[s(k), s(l)] Y[k, l] with s = p^-1 is used; when both matrices
    are symmetric only the upper triangle of D is visited and doubled. Batches
    are laid out cells x permutations, so the index gathers copy contiguous
    rows; integer-valued targets are looked up as bytes. When both matrices
    are 0/1 and more than a quarter of the cells would be visited, the
    O(n^2) byte path of :func:`_dense_binary_func` is cheaper and used, and
    for valued matrices with more than a third of the cells visited the
    O(n^2) path of :func:`_dense_func`. Integer-valued inputs give exact sums.
    """
    n = X.shape[0]
    symmetric = np.array_equal(X, X.T) and np.array_equal(Y, Y.T)
    off = ~np.eye(n, dtype=bool)
    modes = _off_diagonal_mode(X), _off_diagonal_mode(Y)
    devs = [np.count_nonzero((mat != c) & off) for mat, c in zip((X, Y), modes, strict=True)]
    visited = min(devs) // (2 if symmetric else 1)
    binary = all(((mat == 0) | (mat == 1)).all() for mat in (X, Y))
    if binary and visited > n * n // 4:
        return _dense_binary_func(X, Y)
    if not binary and visited > n * n // 3:
        return _dense_func(X, Y)
    invert = devs[1] < devs[0]
    visit, target, c = (Y, X, modes[1]) if invert else (X, Y, modes[0])
    D = np.where(off, visit - c, 0.0)
    if symmetric:
        D = np.triu(D, 1)
    rows, cols = np.nonzero(D)
    vals = D[rows, cols]
    factor = 2.0 if symmetric else 1.0
    base = c * float(target[off].sum())
    lookup = _lookup_table(target)
    uniform = len(vals) > 0 and lookup.dtype == np.uint8 and (vals == vals[0]).all()
    unit = vals[0] if uniform else None
    sub = max(32, min(256, (1 << 15) // max(len(rows), 1)))  # measured best at n = 300

    def func(perms: np.ndarray) -> np.ndarray:
        if len(rows) == 0:
            return np.full(len(perms), base)
        if invert:
            perms = _inverse(perms)
        out = np.empty(len(perms))
        for k in range(0, len(perms), sub):  # slices keep the temporaries in cache
            pT = np.ascontiguousarray(perms[k:k + sub].T, dtype=np.intp)  # n x b
            flat = np.take(pT * n, rows, axis=0)  # np.take(out=...) would be slower
            flat += np.take(pT, cols, axis=0)
            hits = np.take(lookup, flat)  # cells x b
            if unit is not None:
                s = unit * hits.sum(axis=0, dtype=np.int64)
            else:
                s = np.einsum("mb,m->b", hits.astype(float), vals)
            out[k:k + sub] = base + factor * s
        return out

    return func


def qap_test(
    G1,
    G2,
    *,
    n_permutations: int = 1000,
    seed: int | None = None,
    statistic: Statistic = "pearson",
    weight: str | None = None,
    directed: bool | None = None,
    nodes=None,
    n_jobs: int | None = 1,
    progress: bool | None = None,
) -> QAPResult:
    """QAP test of the association between two networks on the same people.

    The statistic is computed over the dyads (off-diagonal cells; the upper
    triangle when both networks are undirected). Its null distribution comes
    from ``n_permutations`` uniform random permutations p applied jointly to
    the rows and columns of the second matrix, ``B'[i, j] = B[p(i), p(j)]``
    (seeded batches of :mod:`senatenet.resample`: batch k draws from
    ``SeedSequence(seed).spawn(n_batches)[k]``).

    Parameters
    ----------
    G1, G2 : networkx graph, square array or square DataFrame
        The two networks. Graphs are binary unless ``weight`` names an edge
        attribute; graphs must have the same node set (order follows ``G1``).
    n_permutations : int
        Number of permutations R.
    seed : int, optional
        Seed of the permutations; when None a fresh one is drawn and recorded.
    statistic : {"pearson", "jaccard", "simple_matching"}
        ``"pearson"``: product-moment correlation of the cell values, exactly
        ``sna::gcor``. ``"jaccard"``: dyads tied in both / dyads tied in either.
        ``"simple_matching"``: share of dyads with the same presence or absence
        of a tie (Jaccard and simple matching use presence, value != 0).
    weight : str, optional
        Edge attribute holding tie values (graphs only).
    directed : bool, optional
        Use all off-diagonal cells (True) or the upper triangle (False). By
        default True unless both inputs are undirected graphs or symmetric.
    nodes : sequence, optional
        Node order for arrays (labels for output only).
    n_jobs : int
        Workers for the permutation batches (1: in this process; -1: all
        cores; None: joblib's active configuration, e.g. a Dask cluster).
        Results do not depend on it (see :mod:`senatenet.resample`).
    progress : bool, optional
        Show a progress bar on stderr; by default only after one second.

    Returns
    -------
    QAPResult
        ``observed``, ``p_greater``, ``p_less``, ``p_two_sided`` and the sna
        convention ``p_*_sna``, ``distribution``, ``seed``, ``n_permutations``.

    Notes
    -----
    **p-values.** sna reports ``pgreq = k / R`` where k counts permuted values
    at least as large as the observed one. senatenet reports
    ``p_greater = (k + 1) / (R + 1)``, which counts the observed alignment as
    one of the permutations and is never zero (Phipson & Smyth 2010); the k / R
    values are available as ``p_greater_sna`` etc. ``p_two_sided`` counts
    permutations whose cross-product sum lies at least as far from its exact
    permutation mean as the observed one (for Pearson that mean is r = 0).

    All three statistics are increasing functions of the cross-product sum
    ``S = sum X[i, j] * Y[p(i), p(j)]`` (the sums and sums of squares do not
    change under a joint permutation); only S is recomputed per permutation,
    visiting the cells where one matrix differs from its most common value
    (so sparse and nearly complete networks are both cheap), or with O(n^2)
    vectorised row gathers when that is cheaper. Integer-valued networks
    give exact sums, so results for a seed do not depend on the path taken.

    References
    ----------
    Krackhardt, D. (1987). QAP partialling as a test of spuriousness. Social
    Networks 9(2), 171-186.
    Butts, C. T. (2008). Social network analysis with sna. Journal of
    Statistical Software 24(6).
    Phipson, B. & Smyth, G. K. (2010). Permutation p-values should never be
    zero. Stat. Appl. Genet. Mol. Biol. 9(1), 39.

    Examples
    --------
    >>> import networkx as nx
    >>> G1 = nx.DiGraph([(0, 1), (1, 2), (2, 0), (2, 3)])
    >>> G2 = nx.DiGraph([(0, 1), (1, 2), (2, 0), (3, 0)])
    >>> res = qap_test(G1, G2, n_permutations=200, seed=1)
    >>> round(res.observed, 4)
    0.625
    >>> 0 < res.p_greater <= 1
    True
    """
    if statistic not in _STATISTICS:
        raise InputError(f"statistic must be one of {_STATISTICS}, not {statistic!r}")
    if int(n_permutations) < 0:
        raise InputError("n_permutations must be >= 0")
    n_permutations = int(n_permutations)
    order = graph_nodes(G1) if nodes is None else list(nodes)
    X, order, d1 = to_matrix(G1, order, weight=weight, name="G1")
    Y, _, d2 = to_matrix(G2, order if order is not None else graph_nodes(G2), weight=weight, name="G2")
    if X.shape != Y.shape:
        raise InputError(f"the two networks have different sizes: {X.shape[0]} and {Y.shape[0]} people")
    n = X.shape[0]
    if n < 3:
        raise InputError("a QAP test needs at least 3 people")
    if directed is None:
        directed = d1 or d2
    elif not directed and (d1 or d2):
        raise InputError("directed=False but a network is asymmetric; symmetrise it first")
    if statistic != "pearson":
        X, Y = (X != 0).astype(float), (Y != 0).astype(float)
    if seed is None:
        seed = new_seed()

    mask = cell_mask(n, directed)
    x, y = X[mask], Y[mask]
    cells = x.size
    half = 1.0 if directed else 0.5  # full off-diagonal sums count each undirected dyad twice
    func = _cross_sum_func(X, Y)
    batch = max(1, min(1024, (1 << 22) // (n * 8)))  # permutations drawn at a time
    if n_permutations:
        S_perm = half * run_batches(
            func, n, n_permutations, seed, batch=batch, n_jobs=n_jobs,
            progress=progress, label="QAP",
        )
    else:
        S_perm = np.empty(0)
    S_obs = float(_dot(x, y))
    S_mean = X.sum() * Y.sum() / (n * (n - 1)) * half

    a, b = x.sum(), y.sum()
    if statistic == "pearson":
        mx, my = a / cells, b / cells
        sx, sy = x.std(), y.std()
        if sx == 0 or sy == 0:
            warnings.warn("a network has no variation over the dyads; the correlation is undefined",
                          RuntimeWarning, stacklevel=2)
            observed = np.nan
            dist = np.full(n_permutations, np.nan)
        else:
            xc, yc = x - mx, y - my
            observed = float(_dot(xc, yc) / np.sqrt(_dot(xc, xc) * _dot(yc, yc)))
            dist = (S_perm / cells - mx * my) / (sx * sy)
    elif statistic == "jaccard":
        union = a + b - S_obs
        observed = S_obs / union if union else np.nan
        denom = a + b - S_perm
        with np.errstate(invalid="ignore", divide="ignore"):
            dist = np.where(denom > 0, S_perm / np.where(denom > 0, denom, 1), np.nan)
    else:
        observed = (cells - (a + b - 2 * S_obs)) / cells
        dist = (cells - (a + b - 2 * S_perm)) / cells

    s_obs = np.nan if np.isnan(observed) else S_obs
    p_plus = p_values(S_perm, s_obs, S_mean, plus_one=True)
    p_sna = p_values(S_perm, s_obs, S_mean, plus_one=False) if n_permutations else (np.nan,) * 3
    return QAPResult(
        statistic=statistic,
        observed=float(observed),
        distribution=np.asarray(dist, dtype=float),
        p_greater=float(p_plus[0]),
        p_less=float(p_plus[1]),
        p_two_sided=float(p_plus[2]),
        p_greater_sna=float(p_sna[0]),
        p_less_sna=float(p_sna[1]),
        p_two_sided_sna=float(p_sna[2]),
        n_permutations=n_permutations,
        seed=seed,
        directed=bool(directed),
        n=n,
        cells=int(cells),
        nodes=order,
    )
