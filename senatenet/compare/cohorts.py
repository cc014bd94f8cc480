"""Compare a programme cohort with comparison cohorts on change, not on levels.

Each cohort's change between two waves is measured on the pairs at risk
(cross-organisation formation, persistence) and on the mixing log odds ratio,
each with a person-level jackknife interval; every comparison cohort is then
contrasted with the programme cohort (a difference in change with a Welch
interval). The estimands and intervals are those of
:func:`senatenet.evaluate` (:mod:`senatenet.evaluation`), not re-derived here.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..errors import InputError
from ._jackknife import wilson_interval


def warn_n_random(name: str, stacklevel: int = 3) -> None:
    """Warn that the random-graph count ``name`` is no longer used."""
    warnings.warn(
        f"{name} is ignored: cohorts are compared on their change with jackknife "
        "intervals, not against random networks; it will be removed in a future "
        "release",
        FutureWarning,
        stacklevel=stacklevel,
    )

__all__ = ["compare_cohorts", "cohort_sentence", "COHORT_ESTIMANDS", "SIZE_RATIO_WARNING"]

#: Per-cohort estimands (each with ``_low``/``_high`` columns): the key of
#: :mod:`senatenet.evaluation` and the column name.
COHORT_ESTIMANDS = {
    "cross_boundary_formation": ("cross_boundary_formation", "change"),
    "cross_boundary_persistence": ("cross_boundary_persistence", "change"),
    "cross_boundary_change": ("cross_boundary_change", "change"),
    "mixing_log_odds_ratio_before": ("mixing_log_odds_ratio", "before"),
    "mixing_log_odds_ratio_after": ("mixing_log_odds_ratio", "after"),
    "mixing_log_odds_ratio_change": ("mixing_log_odds_ratio", "change"),
}
#: Differences programme minus each other cohort (``_low``, ``_high``, ``_p``).
_DIFFERENCES = {
    "formation_difference": ("cross_boundary_formation", "change"),
    "mixing_change_difference": ("mixing_log_odds_ratio", "change"),
    "mixing_before_difference": ("mixing_log_odds_ratio", "before"),
}
_RATES = ("cross_boundary_formation", "cross_boundary_persistence")
#: Warn when the largest cohort is at least this many times the smallest.
SIZE_RATIO_WARNING = 1.5


def _clip(estimand: str, entry: dict, difference: bool) -> tuple[float, float]:
    lo, hi = entry["ci_low"], entry["ci_high"]
    if estimand == "mixing_log_odds_ratio":
        return lo, hi
    bound = (-1.0, 1.0) if difference or estimand == "cross_boundary_change" else (0.0, 1.0)
    return max(lo, bound[0]), min(hi, bound[1])


def _pairs(A: np.ndarray) -> int:
    return int(np.triu(A, 1).sum())


def compare_cohorts(
    cohorts: Mapping[str, object],
    *,
    wave: str | None = None,
    before: str | None = None,
    relation: str | None = None,
    min_strength: float | None = None,
    symmetrize: str = "union",
    missing: str = "absent",
    group: str = "organisation",
    programme: str | None = None,
    level: float = 0.95,
    n_random: int | None = None,
    seed: int | None = None,
    n_jobs: int | None = 1,
) -> pd.DataFrame:
    """Cohorts side by side on their change, and each contrasted with the programme.

    A comparison cohort tells what would have happened without the programme
    only through its **change**: post-wave levels confound any difference the
    cohorts had at baseline. For each cohort (one relation, ties symmetrised,
    from ``before`` to ``wave``) the table gives, with person-level jackknife
    intervals (Snijders & Borgatti 1999; as :func:`senatenet.evaluate`):

    * ``cross_boundary_formation``: the share of cross-organisation pairs not
      tied before that are tied after (pairs at risk);
    * ``cross_boundary_persistence``: the share of cross-organisation ties
      before that are still there after;
    * ``cross_boundary_change``: the net change in the share of
      cross-organisation pairs that are tied;
    * ``mixing_log_odds_ratio_before/after/change``: the log odds ratio of a
      tie within versus between organisations (positive = organisation-bound;
      Moody 2001, Bojanowski & Corten 2014). Unlike E-I it does not move when
      ties become more numerous at unchanged mixing, so it separates "more
      ties" from "different mixing". Its before value is the cohorts'
      baseline balance.

    The interval of a share (formation, persistence) is widened, when needed,
    to contain the Wilson score interval of its pair counts (at ``level``
    0.95), as :func:`senatenet.trajectory` does, so an all-or-nothing share
    (every jackknife replicate equal) still shows its uncertainty.

    Every other cohort is contrasted with the programme cohort (programme minus
    cohort, Welch-Satterthwaite t interval and p from the two jackknife
    standard errors): ``formation_difference`` is the difference in change at
    the level of pairs at risk (a difference in differences),
    ``mixing_change_difference`` the difference in the change of the log odds
    ratio, ``mixing_before_difference`` the baseline difference. With one
    programme and one comparison system these rest on the assumption that the
    cohorts would otherwise have changed alike, and the interval cannot
    reflect a shock to one whole system (Donald & Lang 2007).

    Descriptive columns: ``ties_before``/``ties`` (pairs), ``density``,
    ``share_kept`` (the share of before-ties still there after: retention of
    all ties) and ``jaccard`` (ties in both waves / ties in either: the
    overlap of the two networks, which falls whenever many ties are new, so it
    measures growth as much as stability). No random-graph z-scores are given:
    against G(n, m) they grow with the square root of the number of ties and
    so mix effect size with cohort size, and E-I, rescaled E-I and block
    contrast have the same z for a fixed number of ties (they are affine in
    it), which made three rows of one piece of evidence.

    Parameters
    ----------
    cohorts : dict
        ``{name: Survey}``, the programme cohort first unless ``programme``
        names it, e.g. ``{"Leeds": survey_a, "Comparison": survey_b}``.
    wave : str, optional
        The later wave (default: each survey's last wave).
    before : str, optional
        The earlier wave (default: the wave before ``wave`` in each survey).
    relation, min_strength, missing
        As :meth:`Survey.person_graph`; ``missing="panel"`` keeps the people
        who answered both waves.
    symmetrize : {"union", "reciprocal"}
        The cohort graphs are undirected.
    group : str
        Roster column of the organisation.
    programme : str, optional
        The cohort the others are contrasted with (default: the first).
    level : float
        Coverage of the intervals (default 0.95).
    n_random : None
        Deprecated and ignored: the random-graph references were removed (see
        above). Giving it warns (``FutureWarning``); it will be removed.
    seed, n_jobs
        Accepted for the common resampling signature; the jackknife needs
        neither a seed nor workers.

    Returns
    -------
    pandas.DataFrame
        Index ``cohort`` (the programme first); columns ``n`` (people),
        ``organisations``, ``ties_before``, ``ties``, ``density``, for each
        name c of :data:`COHORT_ESTIMANDS` ``c``, ``c_low``, ``c_high``; then
        ``share_kept``, ``jaccard``, for each difference d
        (``formation_difference``, ``mixing_change_difference``,
        ``mixing_before_difference``) ``d``, ``d_low``, ``d_high``, ``d_p``
        (NaN on the programme's row), and ``before``, ``wave``. ``attrs``
        records ``programme``, ``relation``, ``symmetrize``, ``min_strength``,
        ``missing``, ``group``, ``level`` and ``method``.

    Raises
    ------
    InputError
        No cohort, an unknown wave or relation (the message names the cohort),
        no earlier wave, fewer than 3 people, or a person without ``group``.

    Warns
    -----
    UserWarning
        When the largest cohort has at least 1.5 times as many people as the
        smallest: raw density is then not comparable between cohorts.

    References
    ----------
    Snijders, T. A. B. & Borgatti, S. P. (1999). Non-parametric standard errors
    and tests for network statistics. Connections 22(2), 161-170.
    Moody, J. (2001). Race, school integration, and friendship segregation in
    America. American Journal of Sociology 107(3), 679-716.
    Bojanowski, M. & Corten, R. (2014). Measuring segregation in social
    networks. Social Networks 39, 14-32.
    Donald, S. G. & Lang, K. (2007). Inference with difference-in-differences
    and other panel data. Review of Economics and Statistics 89(2), 221-233.
    Anderson, B. S., Butts, C. & Carley, K. (1999). The interaction of size and
    density with graph-level indices. Social Networks 21(3), 239-267.

    Examples
    --------
    >>> import senatenet as sn, warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     table = sn.compare_cohorts(
    ...         {"Senate": sn.load_sample(), "Comparison": sn.load_comparison_sample()},
    ...         before="pre", wave="post", relation="collaborate")
    >>> table["n"].tolist()
    [26, 40]
    >>> bool(table.loc["Comparison", "formation_difference_low"]
    ...      <= table.loc["Comparison", "formation_difference"])
    True
    """
    from ..evaluation import _engine as E
    from ..evaluation._arrays import analyse, cohort_arrays

    if not cohorts:
        raise InputError("compare_cohorts needs at least one cohort")
    if n_random is not None:
        warn_n_random("n_random")
    if symmetrize not in ("union", "reciprocal"):
        raise InputError("symmetrize must be 'union' or 'reciprocal' for cohort comparison")
    if not 0 < level < 1:
        raise InputError("level must be between 0 and 1")
    names = list(cohorts)
    if programme is None:
        programme = names[0]
    if programme not in cohorts:
        raise InputError(f"programme {programme!r} is not one of the cohorts {names}")
    names = [programme, *[n for n in names if n != programme]]
    jk: dict[str, dict] = {}
    rows = []
    for name in names:
        survey = cohorts[name]
        try:
            w = wave if wave is not None else survey.waves[-1]
            if w not in survey.waves:
                raise InputError(f"unknown wave {w!r}; waves: {list(survey.waves)}")
            b = before
            if b is None:
                k = survey.waves.index(w)
                if k == 0:
                    raise InputError(f"no wave before {w!r}: the cohorts are compared on "
                                     "their change, so two waves are needed (before=...)")
                b = survey.waves[k - 1]
            if b not in survey.waves:
                raise InputError(f"unknown wave {b!r}; waves: {list(survey.waves)}")
            if relation is not None and relation not in survey.relations:
                raise InputError(f"unknown relation {relation!r}; relations: "
                                 f"{list(survey.relations)}")
            a = cohort_arrays(survey, b, w, relation=relation, min_strength=min_strength,
                              symmetrize=symmetrize, missing=missing, group=group)
        except InputError as exc:  # say which cohort
            raise InputError(f"cohort {name!r}: {exc.message}", file=exc.file, row=exc.row,
                             column=exc.column) from None
        if a.n < 3:
            raise InputError(f"cohort {name!r}: at least 3 people are needed")
        J = E.jackknifed(a, "single cohort", level=level)
        jk[name] = J
        A0, A1 = analyse(a.X0, a.symmetrize), analyse(a.X1, a.symmetrize)
        t0, t1 = _pairs(A0), _pairs(A1)
        both = _pairs(A0 * A1)
        n_pairs = a.n * (a.n - 1) // 2
        row = {"cohort": name, "n": a.n, "organisations": len(set(a.org.tolist())),
               "ties_before": t0, "ties": t1, "density": t1 / n_pairs if n_pairs else np.nan}
        risk = E.at_risk(a, "single cohort")
        for col, key in COHORT_ESTIMANDS.items():
            entry = J[(*key, "single cohort")]
            lo, hi = _clip(key[0], entry, False)
            if key[0] in _RATES and abs(level - 0.95) < 1e-12:
                # an all-or-nothing share has a jackknife interval of width 0:
                # widen to the Wilson interval of the pair counts (as trajectory)
                n_at = risk[(*key, "single cohort")]
                if n_at > 0 and math.isfinite(entry["estimate"]):
                    wl, wh = wilson_interval(round(entry["estimate"] * n_at), n_at)
                    lo = wl if not math.isfinite(lo) else min(lo, wl)
                    hi = wh if not math.isfinite(hi) else max(hi, wh)
            row.update({col: entry["estimate"], f"{col}_low": lo, f"{col}_high": hi})
        row["share_kept"] = both / t0 if t0 else np.nan
        row["jaccard"] = both / (t0 + t1 - both) if t0 + t1 - both else np.nan
        for col, key in _DIFFERENCES.items():
            if name == programme:
                d = {"estimate": np.nan, "ci_low": np.nan, "ci_high": np.nan, "p": np.nan}
                lo = hi = np.nan
            else:
                d = E.contrast_cohorts(jk[programme], J, key, level=level)
                lo, hi = _clip(key[0], d, True)
            row.update({col: d["estimate"], f"{col}_low": lo, f"{col}_high": hi,
                        f"{col}_p": d["p"]})
        row.update(before=b, wave=w)
        rows.append(row)
    out = pd.DataFrame(rows).set_index("cohort")
    sizes = out["n"]
    if len(sizes) > 1 and sizes.max() >= SIZE_RATIO_WARNING * sizes.min():
        warnings.warn(
            f"cohort sizes differ a lot ({sizes.min()} to {sizes.max()} people): raw "
            "density falls as networks grow, so compare the formation rates and log odds "
            "ratios (shares of pairs, with intervals), not the raw density",
            UserWarning, stacklevel=2,
        )
    out.attrs.update(programme=programme, relation=relation, symmetrize=symmetrize,
                     min_strength=min_strength, missing=missing, group=group, level=level,
                     method="person-level jackknife t interval per cohort; differences "
                            "programme minus cohort by Welch t")
    return out


def _pct(v: float) -> str:
    return "undefined" if not math.isfinite(v) else f"{100 * v:.1f}%"


def _pts(v: float) -> str:
    return ("undefined" if not math.isfinite(v)
            else f"{100 * v:+.1f} points".replace("-", "\u2212"))


def _num(v: float) -> str:
    return "undefined" if not math.isfinite(v) else f"{v:+.2f}".replace("-", "\u2212")


def _p(p: float) -> str:
    if not math.isfinite(p):
        return "p undefined"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def cohort_sentence(table: pd.DataFrame) -> str:
    """What the cohort table says, in words, claiming only what the design supports.

    The sentence compares the cohorts' **change** (formation among
    cross-organisation pairs at risk, and the change in the mixing log odds
    ratio), each difference with its interval, and states the assumption a
    comparison cohort rests on. It never ranks cohorts by post-wave levels.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`compare_cohorts`.

    Returns
    -------
    str

    References
    ----------
    Donald, S. G. & Lang, K. (2007). Inference with difference-in-differences
    and other panel data. Review of Economics and Statistics 89(2), 221-233.

    Examples
    --------
    >>> import senatenet as sn, warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     t = sn.compare_cohorts({"Senate": sn.load_sample(),
    ...                             "Comparison": sn.load_comparison_sample()},
    ...                            before="pre", wave="post", relation="advice")
    >>> cohort_sentence(t).startswith("From")
    True
    """
    if table is None or not len(table):
        return ""
    prog = table.attrs.get("programme", table.index[0])
    level = float(table.attrs.get("level", 0.95))
    ci = f"{round(100 * level)}% CI"
    r = table.loc[prog]
    before, after = r["before"], r["wave"]
    parts = [
        f"From “{before}” to “{after}”, {_pct(r['cross_boundary_formation'])} "
        f"({ci} {_pct(r['cross_boundary_formation_low'])} to "
        f"{_pct(r['cross_boundary_formation_high'])}) of the cross-organisation pairs in "
        f"{prog} that were not connected before became connected"
    ]
    others = [c for c in table.index if c != prog]
    if not others:
        return parts[0] + ". With no comparison cohort this change cannot be attributed " \
            "to the programme."
    bits = []
    for c in others:
        o = table.loc[c]
        bits.append(f"{_pct(o['cross_boundary_formation'])} in {c}")
    text = parts[0] + ", against " + " and ".join(bits) + "."
    for c in others:
        o = table.loc[c]
        text += (
            f" Difference in change, {prog} minus {c}: "
            f"{_pts(o['formation_difference'])} ({ci} "
            f"{_pts(o['formation_difference_low']).removesuffix(' points')} "
            f"to {_pts(o['formation_difference_high'])}; {_p(o['formation_difference_p'])})."
            f" The log odds ratio of a tie within versus between organisations (positive = "
            f"organisation-bound) was {_num(r['mixing_log_odds_ratio_before'])} in {prog} "
            f"and {_num(o['mixing_log_odds_ratio_before'])} in {c} before, and changed by "
            f"{_num(r['mixing_log_odds_ratio_change'])} and "
            f"{_num(o['mixing_log_odds_ratio_change'])} (difference "
            f"{_num(o['mixing_change_difference'])}, {ci} "
            f"{_num(o['mixing_change_difference_low'])} to "
            f"{_num(o['mixing_change_difference_high'])})."
        )
    excl = [c for c in others
            if table.loc[c, "formation_difference_low"] > 0
            or table.loc[c, "formation_difference_high"] < 0]
    if excl:
        text += (" If the cohorts would otherwise have changed alike, the difference in "
                 "change is the programme's contribution; with one programme and one "
                 "comparison system, other differences between the systems cannot be "
                 "ruled out.")
    else:
        text += (" The interval of the difference includes 0: the cohorts' change cannot "
                 "be told apart (this is not evidence that the programme made no "
                 "difference).")
    return text
