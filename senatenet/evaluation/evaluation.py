"""``senatenet.evaluate``: the evaluator's question, answered with the design given."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from . import _engine as E
from ._arrays import CohortArrays, analyse, cohort_arrays
from .estimands import PAIR_TYPES
from .intervals import combine_independent, holm_adjust
from .power import minimum_detectable_effect
from .verdict import DESIGNS, Verdict, decide_claim, excludes_zero

__all__ = ["evaluate", "Evaluation", "default_min_strength", "ESTIMATE_COLUMNS"]

#: Columns of :attr:`Evaluation.estimates`.
ESTIMATE_COLUMNS = ["estimand", "wave", "group", "estimate", "ci_low", "ci_high", "se", "p",
                    "p_holm", "role", "method", "n", "unit"]
PRIMARY_CHOICES = ("cross_boundary_formation", "cross_boundary_persistence",
                   "cross_boundary_change", "mixing_log_odds_ratio")
_RATE_UNIT = "proportion of pairs"
_JK = "person-level jackknife t interval"
#: the 1-5 frequency scale of the sample and docs/data-format.md
FREQUENCY_SCALE = {1: "rarely or never", 2: "a few times a year", 3: "monthly",
                   4: "weekly", 5: "daily"}


def default_min_strength(survey, relation: str | None = None) -> float | None:
    """The default tie threshold, following the meaning of the strength scale.

    On the 1-5 frequency scale (1 = rarely or never, 2 = a few times a year,
    3 = monthly, 4 = weekly, 5 = daily) a nomination of strength 1 says the two
    people rarely or never interact, so it is not counted as a tie: the default
    is 2 when every strength of the relation is a whole number from 1 to 5 and
    some are above 1. Otherwise (no strengths, strength 1 only, or another
    scale) every nomination counts (None). Pass ``min_strength=`` explicitly to
    choose otherwise; the choice is recorded and shown in the report.

    Parameters
    ----------
    survey : Survey
    relation : str, optional
        Needed when the survey has several relations.

    Returns
    -------
    float or None

    References
    ----------
    .. [1] Marsden, P. V. (1990). Network data and measurement. *Annual Review
       of Sociology* 16, 435-463 (frequency scales and what counts as a tie).

    Examples
    --------
    >>> import senatenet as sn
    >>> default_min_strength(sn.load_sample(), "advice")
    2.0
    """
    relation = _relation(survey, relation)
    t = survey.ties
    s = t.loc[t["relation"].eq(relation), "strength"].to_numpy(dtype=float)
    if len(s) and np.all(s == np.round(s)) and s.min() >= 1 and s.max() <= 5 and s.max() > 1:
        return 2.0
    return None


def _relation(survey, relation):
    if relation is None:
        if len(survey.relations) != 1:
            raise InputError(f"the survey has several relations {list(survey.relations)}; "
                             "choose one with relation=... (they are never merged)")
        return survey.relations[0]
    if relation not in survey.relations:
        raise InputError(f"unknown relation {relation!r}; relations: {list(survey.relations)}")
    return relation


def _spec(spec, survey, relation, min_strength, symmetrize, missing) -> dict:
    if spec is not None:
        if isinstance(spec, Mapping):
            get = spec.get
        else:
            def get(key, default=None):
                return getattr(spec, key, default)
        relation = get("relation", relation)
        min_strength = get("min_strength", min_strength)
        symmetrize = get("symmetrize", symmetrize)
        missing = get("missing", missing)
    relation = _relation(survey, relation)
    reason = "chosen"
    if isinstance(min_strength, str):
        if min_strength != "auto":
            raise InputError(f"min_strength must be a number, None or 'auto', not {min_strength!r}")
        min_strength = default_min_strength(survey, relation)
        reason = ("default: strength 1 means 'rarely or never' on the 1-5 frequency scale, "
                  "so ties need strength 2 or more" if min_strength is not None
                  else "default: every nomination counts")
    if symmetrize not in (None, "union", "reciprocal"):
        raise InputError(f"symmetrize must be None, 'union' or 'reciprocal', not {symmetrize!r}")
    if missing not in ("absent", "reconstruct", "panel"):
        raise InputError(f"missing must be 'absent', 'reconstruct' or 'panel', not {missing!r}")
    return {"relation": relation, "min_strength": None if min_strength is None
            else float(min_strength), "symmetrize": symmetrize, "missing": missing,
            "min_strength_reason": reason}


def _detect_design(design, survey, comparison) -> str:
    has_both = False
    part = survey.people["participant"]
    if not part.isna().any():
        has_both = part.astype(bool).nunique() == 2
    if design == "auto":
        if comparison:
            return "comparison cohort"
        return "participants vs non-participants" if has_both else "single cohort"
    if design not in DESIGNS:
        raise InputError(f"design must be 'auto' or one of {list(DESIGNS)}, not {design!r}")
    if design == "comparison cohort" and not comparison:
        raise InputError("design 'comparison cohort' needs comparison= (a Survey surveyed at "
                         "the same waves)")
    if design == "participants vs non-participants" and not has_both:
        raise InputError("design 'participants vs non-participants' needs the roster's "
                         "participant column filled for everyone, with both true and false")
    return design


def _pool(items: list[CohortArrays]) -> tuple[CohortArrays, np.ndarray]:
    """Several comparison cohorts as one block-diagonal cohort (no cross-cohort dyads)."""
    if len(items) == 1:
        return items[0], np.zeros(items[0].n, dtype=np.int64)
    n = sum(a.n for a in items)
    X0, X1 = np.zeros((n, n)), np.zeros((n, n))
    orgs, block, k, off = [], [], 0, 0
    for b, a in enumerate(items):
        X0[k:k + a.n, k:k + a.n], X1[k:k + a.n, k:k + a.n] = a.X0, a.X1
        orgs.append(a.org + off)
        block.append(np.full(a.n, b))
        off += len(a.org_labels)
        k += a.n
    pooled = CohortArrays(
        ids=tuple(i for a in items for i in a.ids), org=np.concatenate(orgs),
        org_labels=tuple(range(off)), participant=None, X0=X0, X1=X1,
        responded0=np.concatenate([a.responded0 for a in items]),
        responded1=np.concatenate([a.responded1 for a in items]),
        symmetrize=items[0].symmetrize)
    return pooled, np.concatenate(block)


def _unit(estimand: str) -> str:
    return "log odds ratio" if estimand == "mixing_log_odds_ratio" else _RATE_UNIT


def _bounds(estimand: str, group: str) -> tuple[float, float]:
    """The logical range of an estimate: rates in [0, 1], differences in [-1, 1]."""
    if estimand == "mixing_log_odds_ratio":
        return -np.inf, np.inf
    if " - " in group or estimand == "cross_boundary_change":
        return -1.0, 1.0
    return 0.0, 1.0


def _row(key, entry, *, group, role, method, n, p=np.nan):
    estimand, wave = key[0], key[1]
    lo, hi = _bounds(estimand, group)  # jackknife t intervals are clipped to the range
    return {"estimand": estimand, "wave": wave, "group": group,
            "estimate": entry["estimate"], "ci_low": max(entry["ci_low"], lo),
            "ci_high": min(entry["ci_high"], hi), "se": entry["se"], "p": p, "p_holm": np.nan,
            "role": role, "method": method, "n": n, "unit": _unit(estimand)}


def _primary_key(design: str, primary: str) -> tuple:
    if design == "single cohort":
        if primary == "cross_boundary_persistence":
            raise InputError("cross_boundary_persistence cannot be the primary estimand of a "
                             "single cohort: a persistence rate has no 'no change' value "
                             "without a comparison group")
        if primary in ("cross_boundary_formation", "cross_boundary_change"):
            return ("cross_boundary_change", "change", E.PROGRAMME)
        return ("mixing_log_odds_ratio", "change", E.PROGRAMME)
    group = E.DIFF_COHORT if design == "comparison cohort" else E.DIFF_PART
    return (primary, "change", group)


def _rows_single(a, J, n_permutations, seed, n_jobs):
    risk = E.at_risk(a, "single cohort")
    tested = [("cross_boundary_change", "change", "single cohort"),
              ("mixing_log_odds_ratio", "change", "single cohort")]
    null = E.swap_null(a, tested, n_permutations, seed, n_jobs)
    rows = []
    for key in E.KEYS:
        full = (*key, "single cohort")
        p = E.permutation_p(null[full], J[full]["estimate"]) if full in null else np.nan
        method = _JK + ("; p: within-person exchange test" if full in null else "")
        rows.append(_row(key, J[full], group=E.PROGRAMME, role="secondary" if full in null
                         else "descriptive", method=method, n=risk[full], p=p))
    return rows


def _rows_comparison(a, c, block, level):
    Jp = E.jackknifed(a, "single cohort", level=level)
    Jc = E.jackknifed(c, "single cohort", block=block, level=level)
    rp, rc = E.at_risk(a, "single cohort"), E.at_risk(c, "single cohort", block=block)
    rows = []
    for key in E.KEYS:
        full = (*key, "single cohort")
        rows.append(_row(key, Jp[full], group=E.PROGRAMME, role="descriptive", method=_JK,
                         n=rp[full]))
        rows.append(_row(key, Jc[full], group=E.COMPARISON, role="descriptive", method=_JK,
                         n=rc[full]))
    for key in E.KEYS:
        if key == ("mixing_log_odds_ratio", "after"):
            continue
        d = E.contrast_cohorts(Jp, Jc, key, level=level)
        role = "descriptive" if key[1] == "before" else "secondary"
        rows.append(_row(key, d, group=E.DIFF_COHORT, role=role, p=d["p"],
                         method=_JK + " per cohort; difference by Welch t",
                         n=rp[(*key, "single cohort")] + rc[(*key, "single cohort")]))
    return rows


def _rows_participants(a, J, n_permutations, seed, n_jobs):
    design = "participants vs non-participants"
    risk = E.at_risk(a, design)
    tested = [(*key, diff) for diff in (E.DIFF_PART, E.DIFF_SPILL) for key in E.KEYS
              if key != ("mixing_log_odds_ratio", "after")]
    null = E.label_null(a, tested, n_permutations, seed, n_jobs)
    rows = []
    for g in (*PAIR_TYPES[:2], E.SPILLOVER):
        for key in E.KEYS:
            rows.append(_row(key, J[(*key, g)], group=g, role="descriptive", method=_JK,
                             n=risk[(*key, g)]))
    for full in tested:
        role = "descriptive" if full[1] == "before" else "secondary"
        rows.append(_row(full[:2], J[full], group=full[2], role=role,
                         p=E.permutation_p(null[full], J[full]["estimate"]),
                         method=_JK + "; p: participant labels permuted within organisations",
                         n=risk[full]))
    return rows


def _primary_entry(design, a, comps, block, key, level):
    """Estimate, interval and Wald p of the primary contrast (used for the panel)."""
    if design == "comparison cohort":
        Jp = E.jackknifed(a, "single cohort", level=level)
        Jc = E.jackknifed(comps, "single cohort", block=block, level=level)
        return E.contrast_cohorts(Jp, Jc, key[:2], level=level)
    d = "single cohort" if design == "single cohort" else design
    g = "single cohort" if design == "single cohort" else key[2]
    entry = E.jackknifed(a, d, level=level)[(*key[:2], g)]
    return dict(entry, p=E.single_wald(entry))


def primary_estimate(survey, before: str, after: str, *, relation: str | None,
                     min_strength: float | None, symmetrize: str | None, missing: str,
                     group: str = "organisation", primary: str = "cross_boundary_formation",
                     design: str = "auto", level: float = 0.95) -> dict:
    """The primary contrast of :func:`evaluate` under one tie definition, cheaply.

    The same estimand, group and person-level jackknife interval as
    :func:`evaluate` (no comparison cohort: the design is detected from the
    roster), with a Wald p from the jackknife standard error instead of a
    permutation test, so it can be repeated over many specifications (the
    sensitivity table). Returns a dict with ``estimand``, ``group``,
    ``design``, ``estimate``, ``ci_low``, ``ci_high`` (clipped to the
    estimand's range), ``p`` and ``people``; NaNs when fewer than 3 people
    remain.
    """
    sp = _spec(None, survey, relation, min_strength, symmetrize, missing)
    design = _detect_design(design, survey, [])
    key = _primary_key(design, primary)
    a = cohort_arrays(survey, before, after, missing=sp["missing"], relation=sp["relation"],
                      min_strength=sp["min_strength"], symmetrize=sp["symmetrize"],
                      group=group)
    out = {"estimand": key[0], "group": key[2], "design": design, "estimate": np.nan,
           "ci_low": np.nan, "ci_high": np.nan, "p": np.nan, "people": int(a.n)}
    if a.n < 3:
        return out
    entry = _primary_entry(design, a, None, None, key, level)
    lo, hi = _bounds(key[0], key[2])
    out.update(estimate=float(entry["estimate"]), ci_low=float(max(entry["ci_low"], lo)),
               ci_high=float(min(entry["ci_high"], hi)), p=float(entry.get("p", np.nan)))
    return out


def _received(a: CohortArrays, label: str, waves: tuple[str, str]) -> list[dict]:
    """Cross-organisation nominations received from respondents: non-respondents
    minus respondents, per wave (observable for everyone)."""
    cross = a.masks()["cross"]
    rows = []
    for X, resp, wave in ((a.X0, a.responded0, waves[0]), (a.X1, a.responded1, waves[1])):
        if resp.all() or not resp.any():
            continue
        got = ((X * cross) * resp[:, None]).sum(axis=0)  # from respondents only
        non, yes = got[~resp], got[resp]
        diff = float(non.mean() - yes.mean())
        lo = hi = np.nan
        p = 1.0 if np.ptp(got) == 0 else np.nan
        if len(non) >= 2 and len(yes) >= 2 and (non.var() + yes.var()) > 0:
            # Welch's t-test (scipy.stats.ttest_ind(equal_var=False) gives the
            # same interval and p; scipy.stats costs about a second to import)
            w = combine_independent(non.mean(), non.std(ddof=1) / np.sqrt(len(non)),
                                    len(non) - 1, yes.mean(),
                                    yes.std(ddof=1) / np.sqrt(len(yes)), len(yes) - 1)
            lo, hi, p = w["ci_low"], w["ci_high"], w["p"]
        rows.append({"estimand": "nonresponse_received_cross", "wave": wave, "group": label,
                     "estimate": diff, "ci_low": lo, "ci_high": hi, "se": np.nan, "p": p,
                     "p_holm": np.nan, "role": "check",
                     "method": "mean difference (Welch t interval and p)",
                     "n": float(len(got)), "unit": "nominations received",
                     "_non": float(non.mean()), "_yes": float(yes.mean()),
                     "_k": int(len(non))})
    return rows


def _observed_model(a: CohortArrays, design: str, comps: CohortArrays | None) -> dict:
    """Simulation settings for the minimum detectable effect from the data."""
    m = a.masks()
    A0, A1 = analyse(a.X0, a.symmetrize), analyse(a.X1, a.symmetrize)

    def share(num, den):
        den = float(den.sum())
        return float(num.sum() / den) if den else 0.0

    bw = share(A0 * m["within"], m["within"])
    bc = share(A0 * m["cross"], m["cross"])
    pers = share(A0 * A1 * m["all"], A0 * m["all"])
    fw = share((1 - A0) * A1 * m["within"], (1 - A0) * m["within"])
    fc = min(bc * (1 - pers) / (1 - bc), 1.0) if bc < 1 else 0.0  # stationary background
    if comps is not None:
        mc = comps.masks()
        C0, C1 = analyse(comps.X0, comps.symmetrize), analyse(comps.X1, comps.symmetrize)
        fc = share((1 - C0) * C1 * mc["cross"], (1 - C0) * mc["cross"])
    response = (float(a.responded0.mean()), float(a.responded1.mean()))
    response = tuple(min(max(r, 0.05), 1.0) for r in response)
    return dict(baseline_within=bw, baseline_cross=bc, persistence=pers,
                formation_within=fw, formation_cross=fc, response=response, reporting=1.0)


def _fmt(value: float, unit: str, signed: bool = False) -> str:
    if value is None or not np.isfinite(value):
        return "undefined"
    if unit == _RATE_UNIT:
        return f"{100 * value:+.1f} points" if signed else f"{100 * value:.1f}%"
    return f"{value:+.2f}" if signed else f"{value:.2f}"


def _p(p: float) -> str:
    if p is None or not np.isfinite(p):
        return "p undefined"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


class Evaluation:
    """Result of :func:`senatenet.evaluate`: estimates, checks and the verdict.

    Attributes
    ----------
    design : str
        ``"single cohort"``, ``"comparison cohort"`` or ``"participants vs
        non-participants"``.
    primary : str
        The declared primary estimand.
    estimates : pandas.DataFrame
        One row per estimate: ``estimand``, ``wave`` (``before``/``after`` for
        levels, ``change`` for quantities between the waves), ``group``
        (``programme``, ``comparison``, ``programme - comparison``, a pair type
        or ``participants - non-participants``), ``estimate``, ``ci_low``,
        ``ci_high`` (person-level jackknife, 95%), ``se``, ``p`` (raw),
        ``p_holm`` (Holm-adjusted over the secondary rows), ``role``
        (``primary``, ``secondary``, ``descriptive``, ``check``), ``method``,
        ``n`` (pairs in the denominator; people for checks) and ``unit``.
    verdict : Verdict
    checks : dict
        ``panel`` (the primary contrast on the balanced panel and whether it
        agrees) and ``nonresponse`` (DataFrame of the received-nominations
        check).
    power : dict or None
        :func:`senatenet.minimum_detectable_effect` output, when computed.
    spec : dict
        ``relation``, ``min_strength`` (and why), ``symmetrize``, ``missing``.
    options : dict
        ``before``, ``after``, ``seed``, ``n_permutations``, ``level``,
        ``n_power``, ``n_jobs``.

    References
    ----------
    .. [1] Snijders, T. A. B. & Borgatti, S. P. (1999). Non-parametric standard
       errors and tests for network statistics. *Connections* 22(2), 161-170.

    Examples
    --------
    >>> import senatenet as sn
    >>> ev = sn.evaluate(sn.load_sample(), "pre", "post", relation="knows",
    ...                  n_permutations=99, n_power=0)
    >>> ev.design, ev.verdict.claim
    ('single cohort', 'change, not attributable')
    """

    def __init__(self, *, design, primary, estimates, verdict, checks, power, spec, options):
        self.design = design
        self.primary = primary
        self._estimates = estimates
        self.verdict = verdict
        self.checks = checks
        self.power = power
        self.spec = spec
        self.options = options

    @property
    def estimates(self) -> pd.DataFrame:
        """The tidy estimates table (copy)."""
        return self._estimates.copy()

    def to_dict(self) -> dict:
        """JSON-ready summary: ``verdict`` (the manifest object), ``spec``, ``options``."""
        return {"verdict": self.verdict.to_dict(), "primary_estimand": self.primary,
                "spec": dict(self.spec), "options": dict(self.options)}

    def __str__(self) -> str:
        t = self._estimates
        lines = [f"Evaluation ({self.design}); primary estimand: {self.primary}",
                 str(self.verdict), "", "Primary and secondary estimates:"]
        for _, r in t[t["role"].isin(["primary", "secondary"])].iterrows():
            lines.append(
                f"  [{r['role']}] {r['estimand']} ({r['wave']}), {r['group']}: "
                f"{_fmt(r['estimate'], r['unit'], True)} [{_fmt(r['ci_low'], r['unit'], True)}, "
                f"{_fmt(r['ci_high'], r['unit'], True)}], {_p(r['p'])}"
                + (f", Holm {_p(r['p_holm'])}" if np.isfinite(r["p_holm"]) else ""))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<Evaluation: {self.design}; claim {self.verdict.claim!r}>"

    def _repr_html_(self) -> str:
        v = self.verdict
        items = "".join(f"<li>{html.escape(c)}</li>" for c in v.caveats)
        table = self._estimates[self._estimates["role"].isin(["primary", "secondary"])]
        cols = ["estimand", "wave", "group", "estimate", "ci_low", "ci_high", "p", "p_holm",
                "role"]
        return (f"<section><p><strong>{html.escape(v.claim.capitalize())}.</strong> "
                f"{html.escape(v.sentence)}</p><ul>{items}</ul>"
                + table[cols].to_html(index=False, float_format=lambda x: f"{x:.3g}",
                                      na_rep="", escape=True) + "</section>")


def evaluate(
    survey,
    before: str,
    after: str,
    *,
    spec: Any = None,
    comparison=None,
    design: str = "auto",
    primary: str = "cross_boundary_formation",
    seed: int = 0,
    n_permutations: int = 999,
    n_jobs: int | None = 1,
    relation: str | None = None,
    min_strength: float | str | None = "auto",
    symmetrize: str | None = "union",
    missing: str = "absent",
    group: str = "organisation",
    level: float = 0.95,
    n_power: int = 100,
) -> Evaluation:
    """Evaluate a programme with the design the data allow, and say only what it supports.

    The design is detected (``design="auto"``): ``"comparison cohort"`` when
    ``comparison`` is given, ``"participants vs non-participants"`` when the
    roster's ``participant`` column holds both values, else ``"single
    cohort"``. For every design the cross-organisation estimands of
    :data:`ESTIMANDS` are computed per group with person-level jackknife
    intervals (Snijders & Borgatti 1999; see ``docs/evaluation.md``):

    * comparison cohort: programme minus comparison (a difference in
      differences at the level of pairs at risk), Welch t interval and p;
    * participants: participant-participant minus non-participant-
      non-participant cross-organisation pairs, with mixed pairs as spillover;
      p from permuting participant labels within organisations;
    * single cohort: the change of the cohort, p from exchanging each person's
      answers between waves. A formation rate has no "no change" value without
      a comparison, so the primary ``cross_boundary_formation`` is judged on
      the net change ``cross_boundary_change``.

    The primary contrast is re-estimated on the balanced panel (people who
    answered both waves); if it disagrees in sign or in whether its interval
    excludes 0 the claim is "inconclusive". Non-respondents are compared with
    respondents on the cross-organisation nominations they receive. Secondary
    p-values are Holm-adjusted. The verdict follows the decision table of
    :mod:`senatenet.evaluation.verdict`; beside a null or inconclusive result
    the minimum detectable effect is simulated.

    Parameters
    ----------
    survey : Survey
        The programme cohort (or the mixed roster).
    before, after : str
        The waves compared.
    spec : TieSpec or mapping, optional
        ``relation``, ``min_strength``, ``symmetrize``, ``missing``; overrides
        the keyword arguments of the same name.
    comparison : Survey or list of Survey, optional
        Comparison cohort(s) surveyed at the same waves; several are pooled
        (no pairs across cohorts).
    design : str
        ``"auto"`` or one of the three designs; an impossible one raises.
    primary : str
        The declared primary estimand, one of ``cross_boundary_formation``
        (default), ``cross_boundary_persistence``, ``cross_boundary_change``,
        ``mixing_log_odds_ratio``.
    seed : int
        Seed of the permutation tests and the power simulation.
    n_permutations : int
        Permutations of the swap / label tests.
    n_jobs : int
        Threads for the permutations (results do not depend on it).
    relation : str, optional
        Needed when the survey has several relations.
    min_strength : float, None or "auto"
        Tie threshold; ``"auto"`` follows the scale (see
        :func:`default_min_strength`).
    symmetrize : {"union", "reciprocal", None}
        Ties as pairs (either / both named the other) or directed nominations.
    missing : {"absent", "reconstruct", "panel"}
    group : str
        Roster column naming the organisation.
    level : float
        Interval coverage (0.95).
    n_power : int
        Simulations per effect for the minimum detectable effect (0: skip).

    Returns
    -------
    Evaluation

    Raises
    ------
    InputError
        Unknown waves or relation, an impossible design, a comparison cohort
        without the waves.

    References
    ----------
    .. [1] Snijders, T. A. B. & Borgatti, S. P. (1999). Non-parametric standard
       errors and tests for network statistics. *Connections* 22(2), 161-170.
    .. [2] Donald, S. G. & Lang, K. (2007). Inference with
       difference-in-differences and other panel data. *Review of Economics and
       Statistics* 89(2), 221-233.
    .. [3] Conley, T. G. & Taber, C. R. (2011). Inference with "difference in
       differences" with a small number of policy changes. *Review of
       Economics and Statistics* 93(1), 113-125.
    .. [4] Holm, S. (1979). A simple sequentially rejective multiple test
       procedure. *Scandinavian Journal of Statistics* 6(2), 65-70.

    Examples
    --------
    >>> import senatenet as sn
    >>> ev = sn.evaluate(sn.load_sample(), "pre", "post", relation="advice",
    ...                  comparison=sn.load_comparison_sample(), n_power=0)
    >>> ev.design, ev.verdict.claim
    ('comparison cohort', 'programme effect')
    """
    if primary not in PRIMARY_CHOICES:
        raise InputError(f"primary must be one of {list(PRIMARY_CHOICES)}, not {primary!r}")
    if not 0 < level < 1:
        raise InputError("level must be between 0 and 1")
    if int(n_permutations) < 1:
        raise InputError("n_permutations must be at least 1: the verdict needs the "
                         "primary estimand's permutation p-value (use 99 or more)")
    if comparison is not None and not isinstance(comparison, (list, tuple)):
        comparison = [comparison]
    comparison = list(comparison) if comparison else []
    for w in (before, after):
        if w not in survey.waves:
            raise InputError(f"unknown wave {w!r}; waves: {list(survey.waves)}")
    sp = _spec(spec, survey, relation, min_strength, symmetrize, missing)
    design = _detect_design(design, survey, comparison)
    if design != "comparison cohort":
        comparison = []
    for k, c in enumerate(comparison):
        bad = [w for w in (before, after) if w not in c.waves]
        if bad:
            raise InputError(f"comparison cohort {k + 1} has no wave(s) {bad}; "
                             f"its waves: {list(c.waves)}")
        if sp["relation"] not in c.relations:
            raise InputError(f"comparison cohort {k + 1} has no relation {sp['relation']!r}")
    key = _primary_key(design, primary)
    opts = dict(relation=sp["relation"], min_strength=sp["min_strength"],
                symmetrize=sp["symmetrize"], group=group)
    a = cohort_arrays(survey, before, after, missing=sp["missing"], **opts)
    comp_list = [cohort_arrays(c, before, after, missing=sp["missing"], **opts)
                 for c in comparison]
    comps, block = _pool(comp_list) if comp_list else (None, None)
    seed = int(seed)

    if design == "single cohort":
        J = E.jackknifed(a, "single cohort", level=level)
        rows = _rows_single(a, J, n_permutations, seed, n_jobs)
    elif design == "comparison cohort":
        rows = _rows_comparison(a, comps, block, level)
    else:
        J = E.jackknifed(a, design, level=level)
        rows = _rows_participants(a, J, n_permutations, seed, n_jobs)
    table = pd.DataFrame(rows)
    is_primary = (table["estimand"].eq(key[0]) & table["wave"].eq(key[1])
                  & table["group"].eq(key[2]))
    table.loc[is_primary, "role"] = "primary"
    sec = table["role"].eq("secondary").to_numpy()
    table.loc[sec, "p_holm"] = holm_adjust(table.loc[sec, "p"].to_numpy())
    prim = table[is_primary].iloc[0].to_dict()

    caveats: list[str] = []
    # ---- balanced panel
    panel = {"agrees": None, "estimate": np.nan, "ci_low": np.nan, "ci_high": np.nan,
             "p": np.nan, "people": None}
    if sp["missing"] != "panel":
        pa = cohort_arrays(survey, before, after, missing="panel", **opts)
        pcs = [cohort_arrays(c, before, after, missing="panel", **opts) for c in comparison]
        pc, pblock = _pool(pcs) if pcs else (None, None)
        if pa.n >= 3 and (pc is None or pc.n >= 3):
            entry = _primary_entry(design, pa, pc, pblock, key, level)
            panel.update(estimate=entry["estimate"], ci_low=entry["ci_low"],
                         ci_high=entry["ci_high"], p=entry.get("p", np.nan),
                         people=int(pa.n + (pc.n if pc is not None else 0)))
            ok = np.isfinite([entry["estimate"], entry["ci_low"], entry["ci_high"],
                              prim["estimate"], prim["ci_low"], prim["ci_high"]]).all()
            if ok:
                same_sign = np.sign(entry["estimate"]) == np.sign(prim["estimate"])
                same_excl = (excludes_zero(entry["ci_low"], entry["ci_high"])
                             == excludes_zero(prim["ci_low"], prim["ci_high"]))
                panel["agrees"] = bool(same_sign and same_excl)
            table = pd.concat([table, pd.DataFrame([{
                "estimand": key[0], "wave": key[1], "group": f"{key[2]} (balanced panel)",
                "estimate": entry["estimate"], "ci_low": entry["ci_low"],
                "ci_high": entry["ci_high"], "se": entry.get("se", np.nan),
                "p": entry.get("p", np.nan), "p_holm": np.nan, "role": "check",
                "method": _JK + " on people who answered both waves",
                "n": float(panel["people"]), "unit": _unit(key[0])}])], ignore_index=True)
    # ---- non-respondents: nominations received
    base = a if sp["missing"] != "panel" else cohort_arrays(survey, before, after,
                                                             missing="absent", **opts)
    nr_rows = _received(base, E.PROGRAMME, (before, after))
    for k, c in enumerate(comparison):
        ca = comp_list[k] if sp["missing"] != "panel" else cohort_arrays(
            c, before, after, missing="absent", **opts)
        nr_rows += _received(ca, E.COMPARISON if len(comparison) == 1
                             else f"{E.COMPARISON} {k + 1}", (before, after))
    nonresponse = pd.DataFrame(nr_rows)
    if len(nonresponse):
        table = pd.concat([table, nonresponse[ESTIMATE_COLUMNS]], ignore_index=True)
    table = table[ESTIMATE_COLUMNS]

    claim, row = decide_claim(design, prim["estimate"], prim["ci_low"], prim["ci_high"],
                              prim["p"], panel_agrees=panel["agrees"], alpha=1 - level)
    power = None
    if claim in ("no clear programme effect", "no clear change", "inconclusive") and n_power:
        sizes = pd.Series(a.org).value_counts(sort=False).sort_index().tolist()
        comp_sizes = (pd.Series(comps.org).value_counts(sort=False).sort_index().tolist()
                      if comps is not None else None)
        model = _observed_model(a if design != "participants vs non-participants" else a,
                                design, comps)
        share = float(a.participant.mean()) if a.participant is not None else 0.5
        try:
            power = minimum_detectable_effect(
                sizes, design=design, comparison_organisations=comp_sizes,
                participants=min(max(share, 0.05), 0.95), symmetrize=sp["symmetrize"],
                level=level, n_simulations=int(n_power), seed=seed, n_jobs=n_jobs, **model)
        except InputError:
            power = None
    mde = power["mde"] if power else None
    sentence = _sentence(claim, row, design, key, prim, table, panel, mde, before, after)
    caveats += _caveats(design, key, primary, table, panel, nonresponse, sp, mde, before,
                        after)
    primary_dict = {"estimand": key[0], "group": key[2], "estimate": float(prim["estimate"]),
                    "ci_low": float(prim["ci_low"]), "ci_high": float(prim["ci_high"]),
                    "p": float(prim["p"]), "unit": prim["unit"], "wave": key[1],
                    "declared": primary}
    verdict = Verdict(claim=claim, design=design, primary=primary_dict, sentence=sentence,
                      caveats=caveats, row=row, minimum_detectable_effect=mde)
    options = {"before": before, "after": after, "seed": seed,
               "n_permutations": int(n_permutations), "level": level,
               "n_power": int(n_power), "n_jobs": n_jobs, "group": group,
               "comparison_cohorts": len(comparison)}
    return Evaluation(design=design, primary=primary, estimates=table, verdict=verdict,
                      checks={"panel": panel, "nonresponse": nonresponse},
                      power=power, spec=sp, options=options)


def _get(table, estimand, wave, group):
    sel = table[table["estimand"].eq(estimand) & table["wave"].eq(wave)
                & table["group"].eq(group)]
    return sel.iloc[0] if len(sel) else None


def _interval(r) -> str:
    u = r["unit"]
    return (f"{_fmt(r['estimate'], u, True)} (95% CI {_fmt(r['ci_low'], u, True)} to "
            f"{_fmt(r['ci_high'], u, True)}; {_p(r['p'])})")


def _sentence(claim, row, design, key, prim, table, panel, mde, before, after) -> str:
    what = {"cross_boundary_formation": "the share of unconnected cross-organisation pairs "
                                        "that became connected",
            "cross_boundary_persistence": "the share of cross-organisation ties that lasted",
            "cross_boundary_change": "the share of cross-organisation pairs that were "
                                     "connected",
            "mixing_log_odds_ratio": "the log odds ratio of a tie within versus between "
                                     "organisations"}[key[0]]
    est = _interval(prim)
    lead = claim[0].upper() + claim[1:]
    if design == "comparison cohort":
        a, b = _get(table, key[0], "change", E.PROGRAMME), _get(table, key[0], "change",
                                                                 E.COMPARISON)
        levels = (f" ({_fmt(a['estimate'], a['unit'])} in the programme cohort, "
                  f"{_fmt(b['estimate'], b['unit'])} in the comparison cohort)"
                  if key[0] != "mixing_log_odds_ratio" else "")
        body = f"{what}{levels} differed by {est}, programme minus comparison"
    elif design == "participants vs non-participants":
        a = _get(table, key[0], "change", PAIR_TYPES[0])
        b = _get(table, key[0], "change", PAIR_TYPES[1])
        levels = (f" ({_fmt(a['estimate'], a['unit'])} for pairs of participants, "
                  f"{_fmt(b['estimate'], b['unit'])} for pairs of non-participants)"
                  if key[0] != "mixing_log_odds_ratio" else "")
        body = (f"{what}{levels} differed by {est}, participants minus non-participants "
                "in the same organisations")
    else:
        body = f"{what} changed by {est} from {before} to {after}"
    if claim == "programme effect":
        tail = (". If the two cohorts would otherwise have changed alike, this is "
                "consistent with a programme effect." if design == "comparison cohort"
                else ". Because the pairs compared share organisations and period, change "
                "common to everyone is removed.")
    elif claim == "change, not attributable":
        tail = (". With no comparison group, this change cannot be attributed to the "
                "programme.")
    elif claim in ("no clear programme effect", "no clear change"):
        tail = (". The interval includes 0 (this is not evidence of no effect)"
                + (f"; effects smaller than about {_fmt(mde, _RATE_UNIT, False)} of pairs "
                   "could not reliably have been detected" if mde is not None
                   and np.isfinite(mde) else "") + ".")
    else:
        reason = {1: "the primary estimate could not be computed (too few pairs)",
                  2: "the balanced panel (people who answered both times) does not agree",
                  7: "the interval and the test disagree"}.get(row, "")
        tail = f"; no conclusion is drawn because {reason}."
    return f"{lead}: {body}{tail}"


def _caveats(design, key, primary, table, panel, nonresponse, sp, mde, before, after):
    out = []
    if design == "single cohort":
        out.append("No comparison group: people meeting over time, reorganisation, reactions "
                   "to the first survey, changes in who answered, or participants reporting "
                   "the ties the programme encouraged could produce the same change.")
        if primary == "cross_boundary_formation":
            out.append("A formation rate has no 'no change' value without a comparison "
                       "(reporting noise alone forms and loses ties), so a single cohort is "
                       "judged on the net change in connected cross-organisation pairs.")
    elif design == "comparison cohort":
        out.append("Attribution assumes both cohorts would otherwise have changed alike "
                   "(parallel trends); with one wave before the programme this cannot be "
                   "checked.")
        out.append("With one programme and one comparison system, differences between the "
                   "two systems (for example a local reorganisation) cannot be separated "
                   "from the programme (Donald & Lang 2007; Conley & Taber 2011).")
        a = _get(table, "mixing_log_odds_ratio", "before", E.PROGRAMME)
        b = _get(table, "mixing_log_odds_ratio", "before", E.COMPARISON)
        if a is not None and b is not None:
            out.append(f"Baseline balance: before the programme the log odds ratio of a tie "
                       f"within versus between organisations was {_fmt(a['estimate'], '')} "
                       f"in the programme cohort and {_fmt(b['estimate'], '')} in the "
                       "comparison cohort.")
    else:
        out.append("People chose or were chosen to take part: comparing pairs in the same "
                   "organisations and period removes shared trends, not self-selection.")
        s = _get(table, key[0], "change", E.SPILLOVER)
        if s is not None and key[0] != "mixing_log_odds_ratio":
            out.append(f"Spillover: mixed pairs (one participant) had "
                       f"{_fmt(s['estimate'], s['unit'])} (95% CI "
                       f"{_fmt(s['ci_low'], s['unit'])} to {_fmt(s['ci_high'], s['unit'])}).")
    if panel["agrees"] is False:
        out.append(f"The balanced panel ({panel['people']} people who answered both waves) "
                   f"gives {_fmt(panel['estimate'], _unit(key[0]), True)} (95% CI "
                   f"{_fmt(panel['ci_low'], _unit(key[0]), True)} to "
                   f"{_fmt(panel['ci_high'], _unit(key[0]), True)}), which disagrees: "
                   "the result may be produced by who answered, not by change.")
    elif panel["agrees"]:
        out.append(f"The balanced panel ({panel['people']} people who answered both waves) "
                   f"agrees: {_fmt(panel['estimate'], _unit(key[0]), True)} (95% CI "
                   f"{_fmt(panel['ci_low'], _unit(key[0]), True)} to "
                   f"{_fmt(panel['ci_high'], _unit(key[0]), True)}).")
    for _, r in nonresponse.iterrows():
        k = r["_k"]
        who = f"{k} non-respondent{'s' if k != 1 else ''} of the {r['group']} cohort at {r['wave']}"
        if np.isfinite(r["p"]) and r["p"] < 0.05:
            out.append(f"The {who} received {r['_non']:.1f} cross-organisation nominations "
                       f"on average against {r['_yes']:.1f} for respondents ({_p(r['p'])}): "
                       "they differ, so missing answers may bias the change.")
        else:
            out.append(f"The {who} received {r['_non']:.1f} cross-organisation nominations "
                       f"on average against {r['_yes']:.1f} for respondents ({_p(r['p'])}); "
                       "no clear difference, which is not proof of none.")
    ms = sp["min_strength"]
    out.append(f"Ties: relation {sp['relation']!r}, "
               + (f"strength {ms:g} or more ({sp['min_strength_reason']})" if ms is not None
                  else f"every nomination ({sp['min_strength_reason']})")
               + f", {sp['symmetrize'] or 'directed'}"
               + f", missing answers: {sp['missing']}.")
    out.append("The other estimates are secondary or descriptive; their p-values are shown "
               "with Holm's adjustment beside the raw ones.")
    if mde is not None and not np.isfinite(mde):
        out.append("Even the largest simulated effect would not reliably have been detected "
                   "with these group sizes.")
    return out

