"""MR-QAP: multiple regression of one network on others, with permutation tests.

Ordinary least squares (``sna::netlm``) or logistic regression (``sna::netlogit``)
of the dyads of ``y`` on the dyads of predictor networks, each coefficient
tested against a permutation null: double semi-partialling (Dekker, Krackhardt
& Snijders 2007; sna's ``nullhyp="qapspp"``, its default ``"qap"``) or
permutation of ``y`` (Krackhardt 1988; ``nullhyp="qapy"``).

References
----------
Krackhardt, D. (1988). Predicting with networks: nonparametric multiple
regression analysis of dyadic data. Social Networks 10(4), 359-381.
Dekker, D., Krackhardt, D. & Snijders, T. A. B. (2007). Sensitivity of MRQAP
tests to collinearity and autocorrelation conditions. Psychometrika 72(4),
563-581.
Butts, C. T. (2008). Social network analysis with sna. Journal of Statistical
Software 24(6). (``netlm``, ``netlogit``)
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Literal

import networkx as nx
import numpy as np
import pandas as pd

from ..errors import InputError
from ._matrix import (
    Progress,
    _is_missing,
    cell_mask,
    graph_nodes,
    p_values,
    run_batches,
    to_matrix,
)
from .qap import new_seed

__all__ = ["mrqap", "same_value_matrix"]



def same_value_matrix(G: nx.Graph, attribute: str, nodes=None) -> np.ndarray:
    """Matrix with 1 where two different people share ``attribute``, else 0.

    Values are compared as text exactly as written. A person without the
    attribute raises :class:`~senatenet.InputError` (no silent guess).

    References
    ----------
    .. [1] Krackhardt, D. (1988). Predicting with networks: nonparametric multiple
       regression analysis of dyadic data. Social Networks 10, 359-381.
    .. [2] Dekker, D., Krackhardt, D. & Snijders, T. A. B. (2007). Sensitivity of
       MRQAP tests to collinearity and autocorrelation conditions. Psychometrika
       72(4), 563-581.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_nodes_from([("a", {"org": "X"}), ("b", {"org": "X"}), ("c", {"org": "Y"})])
    >>> same_value_matrix(G, "org").astype(int).tolist()
    [[0, 1, 0], [1, 0, 0], [0, 0, 0]]
    """
    order = list(G.nodes) if nodes is None else list(nodes)
    values = [G.nodes[v].get(attribute) for v in order]
    missing = [str(v) for v, x in zip(order, values, strict=True) if _is_missing(x)]
    if missing:
        raise InputError(
            f"predictor {attribute!r}: {len(missing)} people have no value "
            f"(e.g. {missing[:5]}); give them one or use another predictor"
        )
    labels = np.array([str(x) for x in values], dtype=object)
    M = (labels[:, None] == labels[None, :]).astype(float)
    np.fill_diagonal(M, 0.0)
    return M


def _ols_stats(X: np.ndarray, y: np.ndarray):
    """Coefficients, t-values and rank of an OLS fit (as ``sna::netlm``)."""
    XtX_inv = np.linalg.pinv(X.T @ X)
    coef = XtX_inv @ (X.T @ y)
    resid = y - X @ coef
    rank = np.linalg.matrix_rank(X)
    df = len(y) - rank
    with np.errstate(invalid="ignore", divide="ignore"):
        t = coef / np.sqrt(np.diag(XtX_inv) * (resid @ resid) / df)
    return coef, t, rank


def _dot(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """A @ B for a tall-thin B without BLAS threads, which only add contention
    for these small products (several times slower on a busy machine)."""
    return np.einsum("bn,nk->bk", A, B)


def _logit_batch(
    Z: np.ndarray,
    y: np.ndarray,
    last: np.ndarray | None = None,
    epsilon: float = 1e-8,
    max_iter: int = 25,
):
    """Batched logistic regression by IRLS, step for step as R's ``glm.fit``.

    The design is ``Z`` (N, q), shared by every fit, plus, when ``last`` (B, N)
    is given, one column that differs between fits (the permuted residual of
    double semi-partialling). ``y`` is (N,) or (B, N). Starts from
    mu = (y + 0.5) / 2, stops when |dev - dev_old| / (|dev| + 0.1) < ``epsilon``
    (R's default 1e-8, at most 25 iterations) and takes standard errors from
    the weights of the last iteration, as ``glm.fit``'s QR decomposition does,
    so that coefficients and z-values match ``sna::netlogit``. Returns
    coefficients (B, p), z-values (B, p) and a convergence flag per fit.
    """
    y = np.atleast_2d(y).astype(float)
    B = max(y.shape[0], 1 if last is None else last.shape[0])
    y = np.broadcast_to(y, (B, y.shape[1]))
    N, q = Z.shape
    p = q + (last is not None)
    ZZ = (Z[:, :, None] * Z[:, None, :]).reshape(N, q * q)
    eps = np.finfo(float).eps

    def linkinv(eta):
        return 1.0 / (1.0 + np.exp(-np.clip(eta, -30.0, 30.0)))

    def deviance(mu, y):
        with np.errstate(divide="ignore", invalid="ignore"):
            return -2 * np.where(y > 0, np.log(mu), np.log1p(-mu)).sum(axis=1)

    mu = (y + 0.5) / 2
    eta = np.log(mu / (1 - mu))
    dev_old = deviance(mu, y)
    beta = np.zeros((B, p))
    info = np.zeros((B, p, p))
    active = np.ones(B, dtype=bool)
    converged = np.zeros(B, dtype=bool)
    for _ in range(max_iter):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        ya, mua, etaa = y[idx], mu[idx], eta[idx]
        w = np.maximum(mua * (1 - mua), eps)
        wz = w * (etaa + (ya - mua) / w)
        XtWX = np.empty((idx.size, p, p))
        XtWX[:, :q, :q] = _dot(w, ZZ).reshape(-1, q, q)
        XtWz = np.empty((idx.size, p))
        XtWz[:, :q] = _dot(wz, Z)
        if last is not None:
            L = last[idx]
            wl = w * L
            XtWX[:, :q, q] = XtWX[:, q, :q] = _dot(wl, Z)
            XtWX[:, q, q] = (wl * L).sum(axis=1)
            XtWz[:, q] = (wz * L).sum(axis=1)
        try:
            b = np.linalg.solve(XtWX, XtWz[:, :, None])[:, :, 0]
        except np.linalg.LinAlgError:
            b = np.einsum("bpq,bq->bp", np.linalg.pinv(XtWX), XtWz)
        eta_new = np.einsum("bq,nq->bn", b[:, :q], Z)
        if last is not None:
            eta_new += b[:, q:] * L
        mu_new = linkinv(eta_new)
        beta[idx], info[idx], eta[idx], mu[idx] = b, XtWX, eta_new, mu_new
        dev = deviance(mu_new, ya)
        done = np.abs(dev - dev_old[idx]) / (np.abs(dev) + 0.1) < epsilon
        dev_old[idx] = dev
        converged[idx[done]] = True
        active[idx[done]] = False
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt(np.diagonal(np.linalg.pinv(info), axis1=1, axis2=2))
        zval = beta / se
    return beta, zval, converged


def _predictor_matrices(y_obj, predictors, nodes, weight):
    if isinstance(predictors, Mapping):
        items = list(predictors.items())
    elif isinstance(predictors, (str, nx.Graph, np.ndarray, pd.DataFrame)):
        items = [(None, predictors)]
    else:
        items = [(None, p) for p in predictors]
    names, mats = [], []
    for k, (name, spec) in enumerate(items, start=1):
        if isinstance(spec, str):
            if not isinstance(y_obj, nx.Graph):
                raise InputError(
                    f"predictor {spec!r} names a node attribute, which needs y to be a graph"
                )
            mats.append(same_value_matrix(y_obj, spec, nodes))
            names.append(name if name is not None else f"same_{spec}")
        else:
            label = name if name is not None else (
                spec.graph.get("name") if isinstance(spec, nx.Graph) else None
            ) or f"x{k}"
            M, _, _ = to_matrix(spec, nodes, weight=weight, name=f"predictor {label!r}")
            mats.append(M)
            names.append(str(label))
    if not mats:
        raise InputError("mrqap needs at least one predictor")
    if len(set(names)) != len(names):
        raise InputError(f"predictor names must be unique: {names}")
    return names, mats


def mrqap(
    y,
    predictors,
    *,
    model: Literal["ols", "logit"] = "ols",
    null: Literal["dsp", "y"] = "dsp",
    n_permutations: int = 1000,
    seed: int | None = None,
    weight: str | None = None,
    directed: bool | None = None,
    intercept: bool = True,
    nodes=None,
    n_jobs: int | None = 1,
    progress: bool | None = None,
    permute: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Multiple regression QAP (MR-QAP) of network ``y`` on predictor networks.

    The dyads (off-diagonal cells; the upper triangle when undirected) of ``y``
    are regressed on an intercept and the dyads of each predictor, by OLS
    (``model="ols"``, t-values) or logistic regression (``"logit"``, Wald
    z-values). Each coefficient's t (z) value is compared with its permutation
    distribution:

    * ``null="dsp"``, double semi-partialling (Dekker et al. 2007): predictor k
      is regressed on the other columns (including the intercept), the residual
      matrix E_k has its rows and columns permuted jointly, and y is refitted on
      the other columns plus the permuted E_k; the statistic is the t (z) value
      of that last column. This is ``sna::netlm/netlogit(nullhyp="qapspp")``.
    * ``null="y"``: rows and columns of ``y`` are permuted jointly and the full
      model refitted (``nullhyp="qapy"``; Krackhardt 1988).

    Parameters
    ----------
    y : networkx graph, square array or square DataFrame
        The outcome network (binary for ``"logit"``).
    predictors : dict, list or single predictor
        Each a graph, a square matrix/DataFrame on the same people, or the name
        of a node attribute of ``y`` meaning "same value of this attribute"
        (e.g. ``"organisation"``). Dict keys name the rows; otherwise graphs use
        ``G.graph["name"]``, attributes ``same_<name>``, others ``x1, x2, ...``.
    model : {"ols", "logit"}
    null : {"dsp", "y"}
    n_permutations : int
    seed : int, optional
        Seed of the resampling engine (:mod:`senatenet.resample`); drawn and
        recorded when None.
    weight : str, optional
        Edge attribute with tie values for graph inputs; binary ties otherwise.
    directed : bool, optional
        Default: directed unless every network is undirected or symmetric.
    intercept : bool
    nodes : sequence, optional
        Node order (by default that of ``y``).
    n_jobs : int
        Workers for the permutation batches (see :func:`qap_test`); results
        do not depend on it.
    progress : bool, optional
        Progress bar on stderr (default: only after one second).
    permute : sequence of str, optional
        With ``null="dsp"``: the terms whose permutation distribution is
        computed (default: every term); the others keep their coefficient and
        statistic with NaN p-values. Each term has its own permutation stream
        (spawned from ``seed``), so a term's p-values are the same whether or
        not the other terms are permuted; asking for one term of k costs about
        1/k of the permutations.

    Returns
    -------
    pandas.DataFrame
        Index ``intercept`` then the predictors; columns ``coef``,
        ``statistic`` (t or z value), ``p_greater``, ``p_less``, ``p_abs``
        (share of permuted statistics >=, <= and with absolute value >= the
        observed one, as (k + 1) / (R + 1); sna reports k / R, kept in
        ``attrs["p_sna"]``). ``attrs`` also records ``model``, ``null``,
        ``n_permutations``, ``seed``, ``directed``, ``n``, ``dyads``,
        ``statistic_name``, ``converged`` (logit) and ``distribution``
        (R x k array of permuted statistics; NaN columns for terms left out
        by ``permute``).

    References
    ----------
    Krackhardt, D. (1988). Predicting with networks. Social Networks 10(4),
    359-381.
    Dekker, D., Krackhardt, D. & Snijders, T. A. B. (2007). Sensitivity of
    MRQAP tests to collinearity and autocorrelation conditions. Psychometrika
    72(4), 563-581.
    Butts, C. T. (2008). Social network analysis with sna. Journal of
    Statistical Software 24(6).

    Examples
    --------
    >>> import networkx as nx
    >>> before = nx.DiGraph([(0, 1), (1, 2), (2, 3), (3, 0), (0, 2)])
    >>> after = nx.DiGraph([(0, 1), (1, 2), (2, 3), (3, 0), (1, 3)])
    >>> nx.set_node_attributes(after, {0: "A", 1: "A", 2: "B", 3: "B"}, "organisation")
    >>> res = mrqap(after, {"before": before, "same_org": "organisation"},
    ...             n_permutations=100, seed=1)
    >>> list(res.index)
    ['intercept', 'before', 'same_org']
    >>> float(round(res.loc["before", "coef"], 4))
    0.6522
    """
    if model not in ("ols", "logit"):
        raise InputError(f"model must be 'ols' or 'logit', not {model!r}")
    if null not in ("dsp", "y"):
        raise InputError(f"null must be 'dsp' or 'y', not {null!r}")
    n_permutations = int(n_permutations)
    if n_permutations < 0:
        raise InputError("n_permutations must be >= 0")
    order = graph_nodes(y) if nodes is None else list(nodes)
    Y, order, y_dir = to_matrix(y, order, weight=weight, name="y")
    n = Y.shape[0]
    if n < 3:
        raise InputError("MR-QAP needs at least 3 people")
    names, mats = _predictor_matrices(y, predictors, order, weight)
    any_dir = y_dir or any(not np.array_equal(M, M.T) for M in mats)
    if directed is None:
        directed = any_dir
    elif not directed and any_dir:
        raise InputError("directed=False but a network is asymmetric; symmetrise it first")
    if model == "logit" and not np.isin(Y, (0.0, 1.0)).all():
        raise InputError("model='logit' needs a binary y (0/1 ties)")
    if seed is None:
        seed = new_seed()
    if intercept:
        mats = [np.ones((n, n))] + mats
        names = ["intercept"] + names
    if permute is not None:
        if null != "dsp":
            raise InputError("permute= needs null='dsp' (null='y' permutes all terms at once)")
        unknown = [t for t in permute if t not in names]
        if unknown:
            raise InputError(f"permute names unknown term(s) {unknown}; terms: {names}")
    mask = cell_mask(n, directed)
    yv = Y[mask]
    Xv = np.column_stack([M[mask] for M in mats])
    N, p = Xv.shape
    if np.linalg.matrix_rank(Xv) < p:
        raise InputError(
            "the predictors are collinear over the dyads (e.g. a constant predictor "
            "or two identical ones); remove one"
        )
    if model == "logit" and len(np.unique(yv)) < 2:
        raise InputError("model='logit' needs both tied and untied dyads in y")

    if model == "ols":
        coef, stat, _ = _ols_stats(Xv, yv)
        converged = None
    else:
        b, z, conv = _logit_batch(Xv, yv)
        coef, stat, converged = b[0], z[0], bool(conv[0])
        if not converged:
            warnings.warn("logistic regression did not converge (separation?)",
                          RuntimeWarning, stacklevel=2)
    used_null = null
    if null == "dsp" and p == 1:
        used_null = "y"  # as sna: nothing to semi-partial against

    rows, cols = np.nonzero(mask)
    label = f"MR-QAP ({model}, {used_null})"
    if n_permutations == 0:
        dist = np.empty((0, p))
    elif used_null == "y":
        dist = _null_y(Y, Xv, rows, cols, n, n_permutations, seed, model,
                       n_jobs=n_jobs, progress=progress, label=label)
    else:
        terms = None if permute is None else [names.index(t) for t in permute]
        dist = _null_dsp(yv, Xv, mats, mask, rows, cols, n, n_permutations, seed,
                         model, n_jobs=n_jobs, progress=progress, label=label,
                         terms=terms)
    pg, pl, pa = p_values(dist, stat, 0.0, plus_one=True)
    if n_permutations:
        sg, sl, sa = p_values(dist, stat, 0.0, plus_one=False)
    else:
        sg = sl = sa = np.full(p, np.nan)
    if used_null == "dsp" and permute is not None:  # terms not permuted: no p-value
        skipped = np.array([t not in permute for t in names])
        for values in (pg, pl, pa, sg, sl, sa):
            values[skipped] = np.nan
    out = pd.DataFrame(
        {"coef": coef, "statistic": stat, "p_greater": pg, "p_less": pl, "p_abs": pa},
        index=pd.Index(names, name="term"),
    )
    out.attrs.update(
        model=model,
        null=used_null,
        n_permutations=n_permutations,
        seed=seed,
        directed=bool(directed),
        n=n,
        dyads=int(N),
        statistic_name="t" if model == "ols" else "z",
        p_value_convention="(k + 1) / (R + 1)",
        p_sna={"p_greater": sg.tolist(), "p_less": sl.tolist(), "p_abs": sa.tolist()},
        converged=converged,
        distribution=dist,
    )
    return out


def _gather(M: np.ndarray, perms: np.ndarray, rows, cols, n: int) -> np.ndarray:
    """Cells (rows, cols) of M with rows and columns permuted: M[p(r), p(c)]."""
    flat = np.take(perms * n, rows, axis=1)
    flat += np.take(perms, cols, axis=1)
    return np.take(M.ravel(), flat)


#: Use the group sums for a "same group" predictor with G groups when
#: G * n**2 < BLOCK_RATIO * (its non-zero dyads); measured at n = 300.
BLOCK_RATIO = 60


def _matmul(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """A @ B in row blocks small enough that OpenBLAS uses one thread (it
    threads products with m * n * k above 65536 * 4; on a busy machine the
    threads cost ten times the arithmetic). Same values as A @ B."""
    step = max(1, 200_000 // max(A.shape[1] * B.shape[1], 1))
    out = np.empty((A.shape[0], B.shape[1]))
    for s in range(0, A.shape[0], step):
        np.matmul(A[s:s + step], B, out=out[s:s + step])
    return out


def _blocks(M: np.ndarray) -> np.ndarray | None:
    """Group codes when ``M`` is a "same group" matrix (1 where two different
    people share a group, 0 elsewhere and on the diagonal), else None. People
    alone in their group get -1."""
    n = M.shape[0]
    if n == 0 or not np.isin(M, (0.0, 1.0)).all() or np.diagonal(M).any():
        return None
    first = np.argmax(M + np.eye(n), axis=1)  # lowest-numbered member of each group
    if not np.array_equal(M, (first[:, None] == first[None, :]) & ~np.eye(n, dtype=bool)):
        return None
    _, codes, sizes = np.unique(first, return_inverse=True, return_counts=True)
    keep = sizes > 1
    recode = np.where(keep, np.cumsum(keep) - 1, -1)
    return recode[codes]


def _permuted_dot(total: float, v: np.ndarray, M: np.ndarray | None, rows, cols,
                  n: int, directed: bool):
    """A function of (E, perms) giving, per permutation p, the sum over the
    dyads i of ``v[i] * E[p(rows[i]), p(cols[i])]``, where ``v`` holds the
    dyads of matrix ``M`` (if known) and E has a zero diagonal (symmetric when
    not ``directed``; the dyads are then the upper triangle). Computed as:

    * ``v[0] * total`` when ``v`` is constant (``total``, the sum of E over
      the dyads, is the same under every permutation, which maps the dyads
      onto themselves);
    * for a "same group" matrix with few groups (e.g. same sector), the sum
      of E within each group of people relabelled by the permutation, one
      matrix product per batch;
    * otherwise from the cells where ``v`` is not 0 only (ties, pairs in the
      same organisation).
    """
    if v.size and np.all(v == v[0]):
        c = float(v[0]) * total
        return lambda E, perms: np.full(len(perms), c)
    nz = np.flatnonzero(v)
    codes = None if M is None else _blocks(M)
    if codes is not None:
        G = int(codes.max()) + 1
        if G * n * n < BLOCK_RATIO * nz.size:  # cheaper than reading the cells
            g = np.arange(G)
            half = 1.0 if directed else 0.5

            def block(E, perms):
                # person a of the permuted matrix is person q(a) = p^-1(a) of M
                q = np.argsort(perms, axis=1)
                ind = (codes[q].T[:, :, None] == g).reshape(n, -1).astype(float)
                within = (_matmul(E, ind) * ind).sum(axis=0).reshape(len(perms), G).sum(axis=1)
                return half * within
            return block
    r, c, w = rows[nz], cols[nz], v[nz]
    return lambda E, perms: _gather(E, perms, r, c, n) @ w


def _null_y(Y, Xv, rows, cols, n, R, seed, model, *, n_jobs, progress, label):
    N, p = Xv.shape
    if model == "ols":
        XtX_inv = np.linalg.pinv(Xv.T @ Xv)
        H = Xv @ XtX_inv  # N x p
        scale = np.diag(XtX_inv)
        df = N - p

        def func(perms):
            yp = _gather(Y, perms, rows, cols, n)
            coef = _dot(yp, H)
            rss = (yp * yp).sum(axis=1) - (coef * _dot(yp, Xv)).sum(axis=1)
            with np.errstate(invalid="ignore", divide="ignore"):
                return coef / np.sqrt(scale[None, :] * np.maximum(rss, 0)[:, None] / df)
        batch = max(8, (1 << 17) // max(N, 1))
    else:
        def func(perms):
            return _logit_batch(Xv, _gather(Y, perms, rows, cols, n))[1]
        batch = max(8, (1 << 16) // max(N, 1))  # small: IRLS arrays stay in cache
    return run_batches(func, n, R, seed, batch=batch, n_jobs=n_jobs,
                       progress=progress, label=label)


def _null_dsp(yv, Xv, mats, mask, rows, cols, n, R, seed, model, *, n_jobs,
              progress, label, terms=None):
    """Double semi-partialling: one permutation stream per column (as sna);
    ``terms``: the columns to permute (default all; the others stay NaN)."""
    N, p = Xv.shape
    terms = range(p) if terms is None else sorted(set(terms))
    dist = np.full((R, p), np.nan)
    bar = Progress(R * len(terms), label, progress)
    # one independent stream per term, spawned from the seed
    seeds = np.random.SeedSequence(seed).spawn(p)
    for k in terms:
        others = [j for j in range(p) if j != k]
        Z = Xv[:, others]
        gamma, *_ = np.linalg.lstsq(Z, Xv[:, k], rcond=None)
        E = np.zeros((n, n))
        E[mask] = Xv[:, k] - Z @ gamma
        if not mask[1, 0]:  # upper triangle only: mirror (undirected)
            E = E + E.T
        if model == "ols":
            ZtZ_inv = np.linalg.pinv(Z.T @ Z)
            delta = ZtZ_inv @ (Z.T @ yv)
            ry = yv - Z @ delta
            rss_z = ry @ ry
            df = N - p
            # W = E permuted, over the dyads. W.W and W.(constant column) do not
            # depend on the permutation (it maps the dyads onto themselves, E is
            # symmetric when only the upper triangle counts); W.v for the other
            # columns and for y reads only the cells where v is not 0 (ties,
            # same-organisation pairs), and W.ry = W.y - (W.Z) delta.
            Ev = E[mask]
            ww = Ev @ Ev
            directed = bool(mask[1, 0])
            dots = [_permuted_dot(Ev.sum(), Xv[:, j], mats[j], rows, cols, n, directed)
                    for j in others]
            dots.append(_permuted_dot(Ev.sum(), yv, None, rows, cols, n, directed))

            def func(perms, E=E, dots=dots, ww=ww, ZtZ_inv=ZtZ_inv, delta=delta,
                     rss_z=rss_z, df=df):
                D = np.column_stack([d(E, perms) for d in dots])
                ZtW, Wy = D[:, :-1], D[:, -1]
                den = ww - np.einsum("bi,ij,bj->b", ZtW, ZtZ_inv, ZtW)
                num = Wy - ZtW @ delta
                with np.errstate(invalid="ignore", divide="ignore"):
                    coef = num / den
                    rss = np.maximum(rss_z - num * coef, 0)
                    return coef / np.sqrt(rss / df / den)
            batch = max(8, (1 << 17) // max(N, 1))
        else:
            def func(perms, E=E, Z=Z):
                W = _gather(E, perms, rows, cols, n)
                return _logit_batch(Z, yv, last=W)[1][:, -1]
            batch = max(8, (1 << 16) // max(N, 1))  # small: IRLS arrays stay in cache
        dist[:, k] = run_batches(
            func, n, R, seeds[k], batch=batch, n_jobs=n_jobs,
            progress=progress, label=label, bar=bar,
        )
    bar.close()
    return dist
