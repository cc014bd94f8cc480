"""Goodness of fit: observed statistics of a network against networks simulated
from a fitted model (ergm's ``gof``; Hunter, Goodreau & Handcock 2008)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ._logit import _sigmoid

__all__ = ["gof", "GOFResult", "gof_statistics"]

STATISTICS = ("indegree", "outdegree", "esp", "distance")


def gof_statistics(A: np.ndarray, *, max_value: int | None = None) -> dict[str, np.ndarray]:
    """Distributions used for goodness of fit of a directed 0/1 network.

    Parameters
    ----------
    A : numpy.ndarray
        n x n 0/1 adjacency (directed; row = sender).
    max_value : int, optional
        Longest distribution kept (default n - 1).

    Returns
    -------
    dict
        ``indegree`` / ``outdegree``: number of people with degree k = 0..K;
        ``esp``: number of ties i -> j with k edgewise shared partners (ergm's
        OTP: people h with i -> h -> j), k = 0..K; ``distance``: number of
        ordered pairs at geodesic distance 1..K, last entry unreachable.

    References
    ----------
    .. [1] Hunter, D. R., Goodreau, S. M. & Handcock, M. S. (2008). Goodness
       of fit of social network models. *JASA* 103(481), 248-258 (the
       statistics of ergm's ``gof``).

    Examples
    --------
    >>> A = np.array([[0, 1, 1], [0, 0, 1], [0, 0, 0]])
    >>> s = gof_statistics(A)
    >>> s["outdegree"].tolist(), s["esp"].tolist(), s["distance"].tolist()
    ([1, 1, 1], [2, 1, 0], [3, 0, 3])
    """
    A = (np.asarray(A) > 0).astype(float)
    n = len(A)
    K = n - 1 if max_value is None else int(max_value)
    indeg = np.bincount(A.sum(axis=0).astype(int), minlength=K + 1)[: K + 1]
    outdeg = np.bincount(A.sum(axis=1).astype(int), minlength=K + 1)[: K + 1]
    sp = (A @ A)[A > 0].astype(int)
    esp = np.bincount(sp, minlength=K + 1)[: K + 1]
    from scipy.sparse import csr_matrix  # lazily, as scipy is slow to import
    from scipy.sparse.csgraph import shortest_path

    D = shortest_path(csr_matrix(A), directed=True, unweighted=True)
    off = ~np.eye(n, dtype=bool)
    d = D[off]
    finite = d[np.isfinite(d)].astype(int)
    dist = np.bincount(finite, minlength=K + 1)[1: K + 1]
    dist = np.append(dist, int((~np.isfinite(d)).sum()))
    return {"indegree": indeg, "outdegree": outdeg, "esp": esp, "distance": dist}


@dataclass(frozen=True)
class GOFResult:
    """Observed vs simulated distributions.

    Attributes
    ----------
    table : pandas.DataFrame
        ``statistic`` (indegree, outdegree, esp, distance), ``value`` (k; for
        distance the last value is ``inf`` = unreachable), ``observed``,
        ``sim_mean``, ``sim_low``, ``sim_high`` (2.5% and 97.5% of the
        simulations), ``p`` (two-sided Monte Carlo p: twice the smaller tail
        share, at most 1).
    n_sim : int
    model : str

    References
    ----------
    .. [1] Hunter, D. R., Goodreau, S. M. and Handcock, M. S. Goodness of fit of
       social network models. *JASA* 103(481), 248-258 (2008).

    Examples
    --------
    >>> import senatenet as sn
    >>> g = sn.gof(sn.tie_change_model(sn.load_sample(), "pre", "post",
    ...                                spec="advice"), n_sim=20, seed=1)
    >>> sorted(g.table["statistic"].unique())
    ['distance', 'esp', 'indegree', 'outdegree']
    """

    table: pd.DataFrame
    n_sim: int
    model: str
    options: dict = field(default_factory=dict)


def _simulate_tie_change(model, n_sim: int, seed: int):
    fits = model._fits
    A_obs = fits["after"].copy()
    n = fits["n_programme"]
    rng = np.random.default_rng(seed)
    sims = np.repeat(A_obs[None], n_sim, axis=0)
    for part in ("formation", "persistence"):
        fit = fits.get(part)
        if fit is None:
            continue
        with np.errstate(invalid="ignore"):
            eta = np.where(fit["X"] == 0, 0.0, fit["X"] * fit["beta"][None, :]).sum(axis=1)
        p = _sigmoid(eta)
        mine = (fit["senders"] < n) & (fit["receivers"] < n)
        s, r, p = fit["senders"][mine], fit["receivers"][mine], p[mine]
        sims[:, s, r] = (rng.random((n_sim, len(p))) < p).astype(float)
    return A_obs, sims


def gof(model, *, n_sim: int = 100, seed: int = 0) -> GOFResult:
    """Goodness of fit of a tie-change model, a SAOM or an ERGM.

    Compares the observed later-wave network with networks simulated from the
    fitted model: indegree, outdegree, edgewise shared partner and geodesic
    distance distributions (Hunter, Goodreau & Handcock 2008). For a
    :class:`TieChangeModel` each simulation redraws every modelled pair's tie
    from its fitted formation or persistence probability (unmodelled pairs --
    missing senders -- keep their observed value in both). For a
    :class:`SAOMResult` the simulations are the phase-3 end networks of the
    last period; senders missing in the last wave have their ties removed in
    the observed and simulated networks alike. For an :class:`ERGMResult` the
    simulations are :meth:`ERGMResult.simulate` at the estimates (for a
    pseudo-likelihood fit of a dyad-dependent model this checks the MPLE, which
    can fit poorly: prefer ``method="mle"``); an undirected network counts
    each tie in both directions (in- and outdegree are then the degree).

    Parameters
    ----------
    model : TieChangeModel, SAOMResult or ERGMResult
    n_sim : int
        Simulations (tie-change models and ERGMs; a SAOM uses its phase-3
        networks).
    seed : int

    Returns
    -------
    GOFResult

    References
    ----------
    .. [1] Hunter, D. R., Goodreau, S. M. & Handcock, M. S. (2008). Goodness of
       fit of social network models. *JASA* 103(481), 248-258.

    Examples
    --------
    >>> import senatenet as sn
    >>> m = sn.tie_change_model(sn.load_sample(), "pre", "post", spec="advice")
    >>> g = gof(m, n_sim=10)
    >>> g.table.columns.tolist()
    ['statistic', 'value', 'observed', 'sim_mean', 'sim_low', 'sim_high', 'p']
    """
    from ..errors import InputError

    if hasattr(model, "formation"):
        A_obs, sims = _simulate_tie_change(model, int(n_sim), seed)
        kind = "tie change"
    elif hasattr(model, "simulate") and hasattr(model, "dyad_dependent"):
        A_obs = model._sampler["Y"] if model._sampler is not None else None
        sims = model.simulate(int(n_sim), seed=seed)
        kind = "ergm"
    elif hasattr(model, "tconv_max"):
        store = model._sims
        if not store or store.get("simulated") is None:
            raise InputError("this SAOM result holds no simulated networks")
        obs = store["observed"][-1]
        miss = np.isnan(obs).any(axis=1)
        A_obs = np.nan_to_num(obs)
        sims = np.asarray(store["simulated"][-1], dtype=float).copy()
        A_obs[miss] = 0
        sims[:, miss, :] = 0
        kind = "saom"
    else:
        raise InputError("gof needs a TieChangeModel, SAOMResult or ERGMResult, not "
                         f"{type(model).__name__}")
    K = len(A_obs) - 1
    o = gof_statistics(A_obs, max_value=K)
    S = [gof_statistics(a, max_value=K) for a in sims]
    rows = []
    for stat in STATISTICS:
        sim = np.array([s[stat] for s in S], dtype=float)
        values = list(range(len(o[stat])))
        if stat == "distance":
            values = [*range(1, len(o[stat])), float("inf")]
        for k, v in enumerate(values):
            col = sim[:, k]
            lo_share = float((col <= o[stat][k]).mean())
            hi_share = float((col >= o[stat][k]).mean())
            rows.append({"statistic": stat, "value": v, "observed": int(o[stat][k]),
                         "sim_mean": float(col.mean()),
                         "sim_low": float(np.quantile(col, 0.025)),
                         "sim_high": float(np.quantile(col, 0.975)),
                         "p": min(1.0, 2 * min(lo_share, hi_share))})
    return GOFResult(pd.DataFrame(rows), len(sims), kind, {"seed": seed, "n_sim": len(sims)})
