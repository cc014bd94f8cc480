"""Minimum detectable effect of the primary estimand, by seeded simulation."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import InputError
from ..resample import map_tasks
from . import _engine as E
from .simulate import _model, _sizes, simulate_arrays
from .verdict import DESIGNS, excludes_zero

__all__ = ["minimum_detectable_effect", "EFFECT_GRID"]

#: Effects tried in turn (added formation probability of exposed cross pairs).
EFFECT_GRID = (0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.125, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5)


def _detected(rng, design, organisations, comparison_organisations, model, level, alpha):
    key = ("cross_boundary_formation", "change")
    if design == "comparison cohort":
        a = simulate_arrays(rng, organisations, **model)
        b = simulate_arrays(rng, comparison_organisations,
                            **dict(model, effect=0.0, programme=False))
        ja = E.jackknifed(a, "single cohort", level=level)
        jb = E.jackknifed(b, "single cohort", level=level)
        c = E.contrast_cohorts(ja, jb, key, level=level)
        est, lo, hi, p = c["estimate"], c["ci_low"], c["ci_high"], c["p"]
    else:
        a = simulate_arrays(rng, organisations, **model)
        if design == "single cohort":
            entry = E.jackknifed(a, "single cohort", level=level)[
                ("cross_boundary_change", "change", "single cohort")]
        else:
            entry = E.jackknifed(a, design, level=level)[(*key, E.DIFF_PART)]
        est, lo, hi = entry["estimate"], entry["ci_low"], entry["ci_high"]
        p = E.single_wald(entry)
    if not np.isfinite([est, lo, hi, p]).all():
        return False
    return bool(excludes_zero(lo, hi) and p < alpha and est > 0)


class _Simulation:
    """One simulated study at one effect, from its own seed stream (picklable)."""

    def __init__(self, design, sizes, comp, settings, level, alpha):
        self.args = (design, sizes, comp, settings, level, alpha)

    def __call__(self, stream: np.random.SeedSequence) -> bool:
        design, sizes, comp, settings, level, alpha = self.args
        return _detected(np.random.default_rng(stream), design, sizes, comp, settings, level,
                         alpha)


def minimum_detectable_effect(
    organisations: Sequence[int],
    *,
    design: str = "comparison cohort",
    comparison_organisations: Sequence[int] | None = None,
    participants: float = 0.5,
    response: float | tuple[float, float] = (0.9, 0.9),
    baseline_within: float = 0.6,
    baseline_cross: float = 0.05,
    persistence: float = 0.85,
    formation_within: float = 0.3,
    formation_cross: float = 0.01,
    reporting: float = 0.9,
    symmetrize: str | None = "union",
    power: float = 0.8,
    level: float = 0.95,
    n_simulations: int = 200,
    seed: int = 0,
    effects: Sequence[float] = EFFECT_GRID,
    n_jobs: int | None = 1,
) -> dict:
    """The smallest programme effect detected with the given power, by simulation.

    For each effect in ``effects`` (in turn) ``n_simulations`` cohorts are drawn
    from the model of :func:`senatenet.simulate_panel` with these group sizes,
    response rates and densities, the primary estimand is estimated with its
    person-level jackknife interval, and the share of simulations in which the
    interval excludes 0 in the right direction (and the t-test agrees) is the
    power. The first effect reaching ``power`` is returned, linearly
    interpolated with the previous grid point (Stadtfeld et al. 2020 show that
    small two-wave network designs are often badly underpowered; this is the
    check). Simulation i draws from its own generator, spawned from
    ``numpy.random.SeedSequence(seed)``, and every grid point reuses the same
    generators (common random numbers); the simulations run through the
    resampling engine (:func:`senatenet.resample.map_tasks`), so the result is
    identical for every ``n_jobs``.

    The effect is the extra probability that an exposed, untied
    cross-organisation pair forms a tie: the expected value of the formation
    contrast for the comparison-cohort and participant designs, and the
    formation increase behind a single cohort's net change. The model ignores
    clustering beyond dyads, so the MDE is optimistic.

    Parameters
    ----------
    organisations : sequence of int
        People per organisation in the programme cohort (or the mixed roster).
    design : str
        One of ``"comparison cohort"``, ``"participants vs non-participants"``,
        ``"single cohort"``.
    comparison_organisations : sequence of int, optional
        Sizes in the comparison cohort (default: the same as ``organisations``).
    participants : float
        Share taking part, for the participant design.
    response, baseline_within, baseline_cross, persistence, formation_within, formation_cross, reporting
        The simulation model's settings (see :func:`senatenet.simulate_panel`).
    symmetrize : {"union", "reciprocal", None}
        How nominations become ties.
    power : float
        Target power (default 0.8).
    level : float
        Interval coverage (default 0.95; alpha = 1 - level).
    n_simulations : int
        Simulations per effect.
    seed : int
    effects : sequence of float
        Increasing effects to try.
    n_jobs : int or None
        Workers for the simulations (see :mod:`senatenet.resample`).

    Returns
    -------
    dict
        ``mde`` (float; NaN when even the largest effect is not detected with
        this power), ``curve`` (DataFrame ``effect, power``), ``design``,
        ``power``, ``level``, ``n_simulations``, ``seed``.

    References
    ----------
    .. [1] Stadtfeld, C., Snijders, T. A. B., Steglich, C. & van Duijn, M.
       (2020). Statistical power in longitudinal network studies.
       *Sociological Methods & Research* 49(4), 1103-1132.
    .. [2] Lakens, D. (2017). Equivalence tests. *Social Psychological and
       Personality Science* 8(4), 355-362.

    Examples
    --------
    >>> out = minimum_detectable_effect([5, 5, 5, 5], n_simulations=20, seed=1,
    ...                                 effects=(0.05, 0.2, 0.5))
    >>> 0 < out["mde"] <= 0.5, list(out["curve"].columns)
    (True, ['effect', 'power'])
    """
    if design not in DESIGNS:
        raise InputError(f"design must be one of {list(DESIGNS)}, not {design!r}")
    sizes = _sizes(organisations)
    comp = _sizes(comparison_organisations) if comparison_organisations is not None else sizes
    if not 0 < power < 1 or not 0 < level < 1:
        raise InputError("power and level must be between 0 and 1")
    if int(n_simulations) < 1:
        raise InputError("n_simulations must be at least 1")
    model = _model(dict(
        participants=participants if design == "participants vs non-participants" else None,
        response=response, baseline_within=baseline_within, baseline_cross=baseline_cross,
        persistence=persistence, formation_within=formation_within,
        formation_cross=formation_cross, reporting=reporting))
    alpha = 1 - level
    rows, mde, previous = [], np.nan, (0.0, 0.0)
    streams = np.random.SeedSequence(int(seed)).spawn(int(n_simulations))
    for effect in effects:
        settings = dict(model, effect=float(effect), symmetrize=symmetrize)
        task = _Simulation(design, sizes, comp, settings, level, alpha)
        hits = sum(map_tasks(task, streams, n_jobs=n_jobs))
        share = hits / int(n_simulations)
        rows.append({"effect": float(effect), "power": share})
        if share >= power:
            e0, p0 = previous
            mde = float(effect if share == p0 else e0 + (power - p0) * (effect - e0) / (share - p0))
            mde = min(max(mde, e0), float(effect))
            break
        previous = (float(effect), share)
    return {"mde": mde, "curve": pd.DataFrame(rows, columns=["effect", "power"]),
            "design": design, "power": power, "level": level,
            "n_simulations": int(n_simulations), "seed": int(seed)}
