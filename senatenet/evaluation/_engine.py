"""Private: the estimands of every design as vectorised functions of tie arrays,
their person-level jackknife, and the permutation / swap null distributions."""

from __future__ import annotations

import numpy as np

from ..compare._jackknife import leave_one_out, log_odds_ratio, total
from ..compare._matrix import p_values
from ..resample import map_batches
from ._arrays import CohortArrays, analyse
from .estimands import (
    PAIR_TYPES,
    k_change,
    k_formation,
    k_log_odds_ratio,
    k_persistence,
    pair_groups,
    ratio,
)
from .intervals import combine_independent, jackknife_interval, wald_p

__all__: list[str] = []

RATES = {"cross_boundary_formation": k_formation,
         "cross_boundary_persistence": k_persistence,
         "cross_boundary_change": k_change}
#: (estimand, wave) keys computed for every group; wave "change" = between waves
KEYS = [("cross_boundary_formation", "change"), ("cross_boundary_persistence", "change"),
        ("cross_boundary_change", "change"), ("mixing_log_odds_ratio", "before"),
        ("mixing_log_odds_ratio", "after"), ("mixing_log_odds_ratio", "change")]
PROGRAMME, COMPARISON = "programme", "comparison"
DIFF_COHORT = "programme - comparison"
DIFF_PART = "participants - non-participants"
DIFF_SPILL = "spillover - non-participants"
SPILLOVER = "participant-non-participant (spillover)"


def reducers(directed: bool):
    scale = 1.0 if directed else 0.5
    return (lambda Q: total(Q, scale)), (lambda Q: leave_one_out(Q, scale))


def base_masks(a: CohortArrays, block: np.ndarray | None = None):
    m = a.masks()
    if block is not None:  # pooled comparison cohorts: no dyads across cohorts
        valid = (block[:, None] == block[None, :]).astype(float)
        m = {k: v * valid for k, v in m.items()}
    return m


def group_values(A0, A1, cross, within, G, red) -> dict:
    """Every (estimand, wave) of one group of dyads ``G`` (0/1, may be batched)."""
    cg, wg = cross * G, within * G
    out = {(name, "change"): k(A0, A1, cg, red) for name, k in RATES.items()}
    lb = k_log_odds_ratio(A0, wg, cg, red)
    la = k_log_odds_ratio(A1, wg, cg, red)
    out[("mixing_log_odds_ratio", "before")] = lb
    out[("mixing_log_odds_ratio", "after")] = la
    out[("mixing_log_odds_ratio", "change")] = la - lb
    return out


def participant_groups(p):
    """Dyad masks by pair type: PP, NN and PN (spillover); ``p`` may be batched."""
    pp, nn, pn = pair_groups(p)
    return {PAIR_TYPES[0]: pp, PAIR_TYPES[1]: nn, SPILLOVER: pn}


def design_values(a: CohortArrays, design: str, red, *, block=None, participant=None,
                  X0=None, X1=None) -> dict:
    """``{(estimand, wave, group): value}`` for one cohort in one design."""
    A0 = analyse(a.X0 if X0 is None else X0, a.symmetrize)
    A1 = analyse(a.X1 if X1 is None else X1, a.symmetrize)
    m = base_masks(a, block)
    if design == "participants vs non-participants":
        groups = participant_groups(a.participant if participant is None else participant)
    else:
        groups = {design: m["all"]}
    out = {}
    for g, G in groups.items():
        for key, value in group_values(A0, A1, m["cross"], m["within"], G, red).items():
            out[(*key, g)] = value
    if design == "participants vs non-participants":
        pp, nn, pn = PAIR_TYPES[0], PAIR_TYPES[1], SPILLOVER
        for key in KEYS:
            out[(*key, DIFF_PART)] = out[(*key, pp)] - out[(*key, nn)]
            out[(*key, DIFF_SPILL)] = out[(*key, pn)] - out[(*key, nn)]
    return out


def jackknifed(a: CohortArrays, design: str, *, block=None, level=0.95) -> dict:
    """``{key: dict(estimate, se, ci_low, ci_high, df, n)}`` for every key."""
    tot, loo = reducers(a.directed)
    point = design_values(a, design, tot, block=block)
    reps = design_values(a, design, loo, block=block)
    out = {}
    for key, value in point.items():
        est = float(value)
        jk = jackknife_interval(est, reps[key], level=level)
        out[key] = dict(estimate=est, **jk)
    return out


def at_risk(a: CohortArrays, design: str, *, block=None) -> dict:
    """Dyads in each group's denominator (pairs for undirected analyses)."""
    tot, _ = reducers(a.directed)
    A0 = analyse(a.X0, a.symmetrize)
    m = base_masks(a, block)
    groups = (participant_groups(a.participant) if design == "participants vs non-participants"
              else {design: m["all"]})
    out = {}
    for g, G in groups.items():
        cg, wg = m["cross"] * G, m["within"] * G
        out[("cross_boundary_formation", "change", g)] = float(tot(cg * (1 - A0)))
        out[("cross_boundary_persistence", "change", g)] = float(tot(cg * A0))
        out[("cross_boundary_change", "change", g)] = float(tot(cg))
        for w in ("before", "after", "change"):
            out[("mixing_log_odds_ratio", w, g)] = float(tot(cg + wg))
    if design == "participants vs non-participants":
        for key in KEYS:
            for diff, first in ((DIFF_PART, PAIR_TYPES[0]), (DIFF_SPILL, SPILLOVER)):
                out[(*key, diff)] = out[(*key, first)] + out[(*key, PAIR_TYPES[1])]
    return out


def swap_values(a: CohortArrays, s: np.ndarray) -> dict:
    """The single-cohort ``design_values`` (total reducer) of every draw of
    the within-person swap, without building the swapped arrays.

    ``s`` (draws, n) says whose two rows of answers are exchanged. A pair's
    analysed ties depend only on whether its two people are swapped, (s_i,
    s_j) = (x, y), so every masked pair count is the sum over the four cases
    of u_x' T_xy u_y, with u_1 = s, u_0 = 1 - s and T_xy the mask times the
    analysed ties of that case: one matrix product per case and count. The
    counts are sums of 0/1 (or -1/0/1) cells, exact in any order, so the values
    equal :func:`design_values` on the swapped arrays (tested).
    """
    from ..compare.mrqap import _matmul

    scale = 1.0 if a.directed else 0.5
    m = a.masks()
    cross, within = m["cross"] * m["all"], m["within"] * m["all"]
    X = (a.X0, a.X1)

    def sym(P, Q):  # analysed tie of (i, j) from row i of P and row j of Q
        if a.symmetrize is None:
            return P
        return np.maximum(P, Q.T) if a.symmetrize == "union" else np.minimum(P, Q.T)

    U = [(~s).T.astype(float), s.T.astype(float)]  # (n, draws): u_0, u_1
    sums = {k: 0.0 for k in ("c01", "c0", "c1", "w0", "w1")}
    for x in (0, 1):
        for y in (0, 1):
            A0 = sym(X[x], X[y])  # a swapped person's "before" row is their "after" row
            A1 = sym(X[1 - x], X[1 - y])
            for key, T in (("c01", cross * A0 * A1), ("c0", cross * A0),
                           ("c1", cross * A1), ("w0", within * A0), ("w1", within * A1)):
                sums[key] = sums[key] + (_matmul(U[x].T, T) * U[y].T).sum(axis=1)
    nc, nw = cross.sum(), within.sum()
    c01, c0, c1, w0, w1 = (sums[k] for k in ("c01", "c0", "c1", "w0", "w1"))
    ok = np.full(len(s), bool(nw * scale > 0) & bool(nc * scale > 0))
    lb = log_odds_ratio(w0 * scale, (nw - w0) * scale, c0 * scale, (nc - c0) * scale, ok)
    la = log_odds_ratio(w1 * scale, (nw - w1) * scale, c1 * scale, (nc - c1) * scale, ok)
    g = "single cohort"
    return {
        ("cross_boundary_formation", "change", g): ratio((c1 - c01) * scale, (nc - c0) * scale),
        ("cross_boundary_persistence", "change", g): ratio(c01 * scale, c0 * scale),
        ("cross_boundary_change", "change", g): ratio((c1 - c0) * scale,
                                                      np.full(len(s), nc * scale)),
        ("mixing_log_odds_ratio", "before", g): lb,
        ("mixing_log_odds_ratio", "after", g): la,
        ("mixing_log_odds_ratio", "change", g): la - lb,
    }


def swap_null(a: CohortArrays, keys, n_permutations: int, seed: int, n_jobs) -> dict:
    """Within-person exchange: each person's two rows of answers swapped with
    probability 1/2; returns the null distribution of each key (one cohort),
    computed by :func:`swap_values`."""

    def draw(rng, b):
        s = rng.random((b, a.n)) < 0.5
        vals = swap_values(a, s)
        return np.column_stack([vals[k] for k in keys])

    return _split(_batches(draw, n_permutations, seed, n_jobs, len(keys)), keys)


def label_null(a: CohortArrays, keys, n_permutations: int, seed: int, n_jobs) -> dict:
    """Participant labels permuted within organisations (networks fixed)."""
    tot, _ = reducers(a.directed)
    design = "participants vs non-participants"
    base = np.argsort(a.org, kind="stable")
    labels = a.participant.astype(float)

    def draw(rng, b):
        keys_ = a.org[None, :] * 2.0 + rng.random((b, a.n))
        perm = np.argsort(keys_, axis=1, kind="stable")
        P = np.empty((b, a.n))
        P[:, base] = labels[perm]
        vals = design_values(a, design, tot, participant=P)
        return np.column_stack([vals[k] for k in keys])

    return _split(_batches(draw, n_permutations, seed, n_jobs, len(keys)), keys)


def _identity(x):
    return x


def _batches(draw, n_permutations: int, seed: int, n_jobs, width: int) -> np.ndarray:
    """Seeded batches of 100 draws through :func:`senatenet.resample.map_batches`
    (one ``SeedSequence`` stream per batch: identical for every ``n_jobs``)."""
    out = map_batches(_identity, draw, int(n_permutations), int(seed), batch=100,
                      n_jobs=n_jobs)
    return out if out.ndim == 2 else out.reshape(0, width)


def _split(dist, keys):
    return {k: dist[:, i] for i, k in enumerate(keys)}


def permutation_p(dist: np.ndarray, observed: float) -> float:
    """Two-sided (k + 1) / (R + 1) about the permutation mean."""
    if observed != observed or len(dist) == 0:
        return np.nan
    ok = dist[~np.isnan(dist)]
    if len(ok) == 0:
        return np.nan
    _, _, two = p_values(ok, observed, float(ok.mean()))
    return float(two)


def contrast_cohorts(prog: dict, comp: dict, key, *, level=0.95) -> dict:
    """Programme minus comparison for one (estimand, wave) from two jackknifes."""
    a, b = prog[(*key, "single cohort")], comp[(*key, "single cohort")]
    return combine_independent(a["estimate"], a["se"], a["df"], b["estimate"], b["se"],
                               b["df"], level=level)


def single_wald(entry: dict) -> float:
    return wald_p(entry["estimate"], entry["se"], entry["df"])
