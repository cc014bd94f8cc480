"""Beyond two waves: measures wave by wave, transitions, and whether new ties lasted.

A :class:`Trajectory` follows one relation through three or more waves (two
work too). Each wave's network holds the members of that wave only (roster
``first_wave``/``last_wave``, :meth:`senatenet.Survey.members`); a transition
between two waves, and the persistence of ties across three, use only the
pairs of people who are members in every wave involved, so a joiner's ties
are never "new" and a leaver's never "lost" (Huisman & Snijders 2003).

Rates are shares of pairs of people (dyads):

* **formation rate** from wave s to t: of the eligible pairs *not* tied at
  s, the share tied at t, P(Y_t = 1 | Y_s = 0);
* **persistence rate**: of the eligible pairs tied at s, the share still tied
  at t, P(Y_t = 1 | Y_s = 1);

each for pairs in different organisations (cross-boundary) and in the same
organisation (within), as recommended for evaluations of tie change by
stratified rates rather than one net count (Snijders, van de Bunt & Steglich
2010). Intervals (95 %) come from a person-level jackknife (delete one
person and all their pairs; Snijders & Borgatti 1999) or, with
``interval="bootstrap"``, a seeded person-level bootstrap; either way the
interval is widened, when needed, to contain the Wilson score interval of the
pair counts, so an all-or-nothing rate (where every jackknife replicate is
the same) still shows its uncertainty.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ._jackknife import jackknife_interval, log_odds_ratio, person_sums
from ._jackknife import wilson_interval as _wilson

__all__ = ["trajectory", "Trajectory", "rate_interval"]

MEASURES = ("members", "response_rate", "ties", "density", "cross_boundary_pairs",
            "cross_boundary_density", "ei", "ei_expected", "mixing_log_odds_ratio")
_WITH_INTERVAL = ("density", "cross_boundary_density", "ei", "mixing_log_odds_ratio")
BOUNDARIES = ("cross_boundary", "within", "all")


def rate_interval(
    num: np.ndarray,
    den: np.ndarray,
    *,
    people: np.ndarray | None = None,
    interval: str = "jackknife",
    n_boot: int = 1000,
    seed: int = 0,
) -> dict[str, float]:
    """A share of pairs with a person-level 95 % interval.

    ``num`` and ``den`` are pair indicator matrices (n x n, bool): the pairs
    counted in the numerator and in the denominator (the numerator a subset
    of the denominator), each pair once (upper triangle for undirected pairs,
    both cells for directed ones). The estimate is ``num.sum() / den.sum()``.

    Parameters
    ----------
    num, den : numpy.ndarray
    people : numpy.ndarray of bool, optional
        The people who are resampled (default: everyone in some denominator
        pair).
    interval : {"jackknife", "bootstrap"}
        Delete-one-person jackknife (normal interval, estimate +/- 1.96 SE,
        clipped to [0, 1]) or person-level percentile bootstrap (people drawn
        with replacement; a pair of copies counts once per copy pair).
    n_boot, seed
        Bootstrap replicates and seed (``numpy.random.default_rng``).

    Returns
    -------
    dict
        ``rate``, ``k`` (numerator pairs), ``n`` (denominator pairs),
        ``ci_low``, ``ci_high``, ``se`` (jackknife only, else NaN). The
        interval always contains the Wilson score interval of ``k`` of ``n``.

    References
    ----------
    .. [1] Snijders, T. A. B. & Borgatti, S. P. (1999). Non-parametric
       standard errors and tests for network statistics. *Connections* 22(2),
       161–170.
    .. [2] Wilson, E. B. (1927). Probable inference, the law of succession, and
       statistical inference. *JASA* 22(158), 209–212.

    Examples
    --------
    >>> den = np.triu(np.ones((4, 4), dtype=bool), 1)  # 6 pairs of 4 people
    >>> num = np.zeros((4, 4), dtype=bool); num[0, 1] = num[2, 3] = True
    >>> r = rate_interval(num, den)
    >>> r["k"], r["n"], round(r["rate"], 3), r["ci_low"] < r["rate"] < r["ci_high"]
    (2, 6, 0.333, True)
    """
    num = np.asarray(num, dtype=bool) & np.asarray(den, dtype=bool)
    den = np.asarray(den, dtype=bool)
    k, n = int(num.sum()), int(den.sum())
    out = {"rate": k / n if n else np.nan, "k": k, "n": n, "ci_low": np.nan,
           "ci_high": np.nan, "se": np.nan}
    if n == 0:
        return out
    if people is None:
        people = den.any(axis=0) | den.any(axis=1)
    idx = np.flatnonzero(people)
    rate = out["rate"]
    if interval == "jackknife":
        k_i, n_i = person_sums(num), person_sums(den)
        with np.errstate(invalid="ignore", divide="ignore"):
            loo = (k - k_i[idx]) / np.where(n - n_i[idx] > 0, n - n_i[idx], np.nan)
        jk = jackknife_interval(rate, loo, quantile="normal")
        out["se"] = jk["se"]
        lo, hi = jk["ci_low"], jk["ci_high"]
    elif interval == "bootstrap":
        rng = np.random.default_rng(seed)
        draws = rng.integers(0, len(idx), size=(int(n_boot), len(idx)))
        counts = np.zeros((int(n_boot), num.shape[0]))
        rows = np.repeat(np.arange(int(n_boot)), len(idx))
        np.add.at(counts, (rows, idx[draws].ravel()), 1.0)
        N, D = num.astype(float), den.astype(float)
        top = np.einsum("bi,ij,bj->b", counts, N, counts)
        bottom = np.einsum("bi,ij,bj->b", counts, D, counts)
        with np.errstate(invalid="ignore", divide="ignore"):
            reps = np.where(bottom > 0, top / np.where(bottom > 0, bottom, 1), np.nan)
        reps = reps[np.isfinite(reps)]
        lo, hi = ((float(np.quantile(reps, 0.025)), float(np.quantile(reps, 0.975)))
                  if len(reps) else (np.nan, np.nan))
    else:
        raise InputError(f"interval must be 'jackknife' or 'bootstrap', not {interval!r}")
    wl, wh = _wilson(k, n)
    out["ci_low"] = float(max(0.0, min(lo, wl)) if lo == lo else wl)
    out["ci_high"] = float(min(1.0, max(hi, wh)) if hi == hi else wh)
    out["se"] = float(out["se"])
    return out


# ----------------------------------------------------------------------- data
def _spec_options(spec: Any) -> dict[str, Any]:
    """relation, min_strength, symmetrize, missing from a TieSpec, a dict or None."""
    opts = {"relation": None, "min_strength": None, "symmetrize": "union",
            "missing": "absent"}
    if spec is None:
        return opts
    if isinstance(spec, Mapping):
        unknown = set(spec) - set(opts)
        if unknown:
            raise InputError(f"unknown option(s) {sorted(unknown)} in spec; "
                             f"use {sorted(opts)}")
        opts.update(spec)
    else:
        for key in opts:
            if hasattr(spec, key):
                opts[key] = getattr(spec, key)
    if opts["missing"] == "panel":
        raise InputError("missing='panel' is not used by trajectory(): membership and "
                         "per-transition eligibility already restrict the pairs; use "
                         "'absent' or 'reconstruct'")
    return opts


class _Waves:
    """Adjacency (roster positions), membership and response for each wave."""

    def __init__(self, survey, waves, opts, group):
        people = survey.people
        self.ids = people.index.to_numpy(dtype=object)
        n = len(self.ids)
        pos = {v: i for i, v in enumerate(self.ids.tolist())}
        if group not in people.columns:
            raise InputError(f"the roster has no {group!r} column", column=group)
        labels = people[group]
        if labels.isna().any():
            raise InputError(f"person {labels[labels.isna()].index[0]!r} has no {group!r}",
                             column=group)
        self.codes = pd.factorize(labels.astype(str).to_numpy(dtype=object))[0]
        self.same = self.codes[:, None] == self.codes[None, :]
        self.directed = opts["symmetrize"] is None
        off = ~np.eye(n, dtype=bool)
        self.pairs = off if self.directed else np.triu(off, 1)
        self.A: dict[str, np.ndarray] = {}
        self.member: dict[str, np.ndarray] = {}
        self.responded: dict[str, np.ndarray] = {}
        self.relation = None
        for w in waves:
            G = survey.person_graph(w, opts["relation"], min_strength=opts["min_strength"],
                                    symmetrize=opts["symmetrize"], missing=opts["missing"])
            self.relation = G.graph.get("relation")
            A = np.zeros((n, n), dtype=bool)
            for u, v in G.edges():
                i, j = pos[u], pos[v]
                if self.directed:
                    A[i, j] = True
                else:
                    A[min(i, j), max(i, j)] = True
            self.A[w] = A
            self.member[w] = np.isin(self.ids, list(survey.members(w)))
            self.responded[w] = np.isin(self.ids, list(survey.responded(w)))

    def eligible(self, waves: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
        """(people, pairs): members in every one of ``waves``."""
        m = np.ones(len(self.ids), dtype=bool)
        for w in waves:
            m &= self.member[w]
        return m, self.pairs & m[:, None] & m[None, :]


def _group_pairs(people: pd.DataFrame, by: str | None, n: int) -> dict[str, np.ndarray]:
    """Pair masks per group of ``by`` (``"all"`` when None)."""
    if by is None:
        return {"all": np.ones((n, n), dtype=bool)}
    if by not in people.columns:
        raise InputError(f"the roster has no {by!r} column to split pairs by", column=by)
    values = people[by]
    if by == "participant":
        text = values.map({True: "participant", False: "non-participant"})
    else:
        text = values.astype("object")
    text = text.where(values.notna(), None).to_numpy(dtype=object)
    known = np.array([t is not None for t in text])
    out = {}
    cats = [c for c in pd.unique(text[known])]
    for a_i, a in enumerate(cats):
        for b in cats[a_i:]:
            ia, ib = text == a, text == b
            mask = (ia[:, None] & ib[None, :]) | (ib[:, None] & ia[None, :])
            out[f"{a}\u2013{b}" if a != b else f"{a}\u2013{a}"] = mask & known[:, None] & known[None, :]
    return out


# ------------------------------------------------------------------- results
class Trajectory:
    """One relation followed through several waves; made by :func:`trajectory`.

    Attributes
    ----------
    survey : Survey
    waves : tuple of str
        The waves followed, in order.
    relation : str
    options : dict
        ``relation``, ``min_strength``, ``symmetrize``, ``missing``, ``group``,
        ``interval``, ``n_boot``, ``seed``, ``n_jobs``.
    measures : pandas.DataFrame
        Tidy, one row per wave and measure: ``wave``, ``measure``, ``value``,
        ``ci_low``, ``ci_high`` (person-level interval for ``density``,
        ``cross_boundary_density``, ``ei`` and ``mixing_log_odds_ratio``; NaN
        for counts). Measures: ``members``, ``response_rate`` (respondents /
        members), ``ties`` (pairs tied, or arcs when directed),
        ``density``, ``cross_boundary_pairs`` (tied pairs in different
        organisations), ``cross_boundary_density`` (of the possible
        cross-organisation pairs, the share tied), ``ei`` (Krackhardt & Stern
        E-I), ``ei_expected`` (E-I of the complete graph on the members) and
        ``mixing_log_odds_ratio`` (log odds of a tie within vs between
        organisations, Moody 2001; ``netseg::orwg``; 0.5 added to every cell
        when one is empty, Haldane-Anscombe).
    transitions : pandas.DataFrame
        One row per consecutive pair of waves: ``before``, ``after``,
        ``members`` (members in both), ``new``, ``lost``, ``stable``,
        ``jaccard`` (all pairs), ``cross_new``, ``cross_lost``,
        ``cross_stable``, ``cross_jaccard``, and for ``formation`` and
        ``persistence`` of ``cross`` and ``within`` pairs the rate with
        ``_k``, ``_n``, ``_low``, ``_high`` (e.g. ``formation_cross``,
        ``formation_cross_low``).

    References
    ----------
    .. [1] Huisman, M. & Snijders, T. A. B. (2003). Statistical analysis of
       longitudinal network data with changing composition. *Sociological
       Methods & Research* 32(2), 253–287.
    .. [2] Snijders, T. A. B. & Borgatti, S. P. (1999). Non-parametric standard
       errors and tests for network statistics. *Connections* 22(2), 161–170.

    Examples
    --------
    >>> import senatenet as sn
    >>> tr = sn.trajectory(sn.load_sample(follow_up=True), spec={"relation": "advice"})
    >>> tr.waves
    ('pre', 'post', 'follow-up')
    >>> tr.transitions[["before", "after"]].values.tolist()
    [['pre', 'post'], ['post', 'follow-up']]
    """

    def __init__(self, **fields: Any) -> None:
        self.__dict__.update(fields)

    def compare(self, before: str, after: str, **options: Any):
        """:func:`compare_waves` for any two of the waves, with this trajectory's options."""
        from .waves import compare_waves

        opts = {k: self.options[k] for k in ("relation", "min_strength", "symmetrize",
                                             "missing", "group")}
        opts.setdefault("seed", self.options["seed"])
        opts.update(options)
        return compare_waves(self.survey, before, after, **opts)

    def persistence(
        self,
        formed: Sequence[str] | None = None,
        checked: str | None = None,
        *,
        by: str | None = None,
    ) -> pd.DataFrame:
        """Did the ties formed during the programme last?

        Of the pairs tied at ``formed[1]`` but not at ``formed[0]`` (new during
        the programme), the share still tied at ``checked``; compared with the
        pairs tied at both ``formed[0]`` and ``formed[1]`` (ties that existed
        before the programme and survived it), over the same interval from
        ``formed[1]`` to ``checked``. Only pairs of people who are members in
        all three waves count. Cross-organisation and within-organisation
        pairs are reported separately, then together, each with a
        person-level 95 % interval (see :func:`rate_interval`). New ties made
        in a programme often decay (Boda et al. 2020), so compare the two.

        Parameters
        ----------
        formed : (str, str), optional
            The programme period (default: the first two waves).
        checked : str, optional
            The follow-up wave (default: the wave after ``formed[1]``).
        by : str, optional
            A roster column splitting pairs into groups, e.g.
            ``"participant"`` (participant–participant,
            participant–non-participant, non-participant–non-participant
            pairs, so participants' persistence can be read against
            non-participants') or ``"cohort"``. Pairs with a missing value are
            left out of every group.

        Returns
        -------
        pandas.DataFrame
            One row per ``ties`` (``"new during programme"``, ``"existing
            before"``), ``boundary`` (``cross_boundary``, ``within``,
            ``all``) and ``pairs`` (``all``, or the group of ``by``):
            ``formed``, ``checked``, ``n`` (ties), ``still_present``,
            ``rate``, ``ci_low``, ``ci_high``.

        References
        ----------
        .. [1] Boda, Z., Elmer, T., Vörös, A. & Stadtfeld, C. (2020).
           Short-term and long-term effects of a social network intervention
           on friendships among university students. *Scientific Reports*
           10, 2889.
        .. [2] Huisman, M. & Snijders, T. A. B. (2003). Statistical analysis of
           longitudinal network data with changing composition.
           *Sociological Methods & Research* 32(2), 253–287.

        Examples
        --------
        >>> import senatenet as sn
        >>> tr = sn.trajectory(sn.load_sample(follow_up=True), spec={"relation": "advice"})
        >>> p = tr.persistence(("pre", "post"), "follow-up")
        >>> p[["ties", "boundary"]].head(2).values.tolist()
        [['new during programme', 'cross_boundary'], ['new during programme', 'within']]
        """
        waves = list(self.waves)
        if len(waves) < 3 and (formed is None or checked is None):
            raise InputError("persistence needs three waves: two for the programme and a "
                             f"follow-up; this trajectory has {waves}")
        if formed is None:
            formed = (waves[0], waves[1])
        formed = tuple(formed)
        if len(formed) != 2:
            raise InputError(f"formed= must be two waves, not {formed!r}")
        if checked is None:
            later = waves.index(formed[1]) + 1 if formed[1] in waves else len(waves)
            if later >= len(waves):
                raise InputError(f"no wave after {formed[1]!r} to check persistence at")
            checked = waves[later]
        for w in (*formed, checked):
            if w not in waves:
                raise InputError(f"unknown wave {w!r}; waves of this trajectory: {waves}")
        if len({*formed, checked}) != 3:
            raise InputError("formed and checked must be three different waves")
        d = self._data
        people, pairs = d.eligible((*formed, checked))
        A0, A1, A2 = d.A[formed[0]], d.A[formed[1]], d.A[checked]
        groups = _group_pairs(self.survey.people, by, len(d.ids))
        opts = self._interval_options()
        rows = []
        for ties, base in (("new during programme", A1 & ~A0),
                           ("existing before", A1 & A0)):
            for boundary in BOUNDARIES:
                strata = (~d.same if boundary == "cross_boundary"
                          else d.same if boundary == "within"
                          else np.ones_like(d.same))
                for name, gmask in groups.items():
                    den = base & pairs & strata & gmask
                    r = rate_interval(A2 & den, den, people=people, **opts)
                    rows.append({"ties": ties, "boundary": boundary, "pairs": name,
                                 "formed": f"{formed[0]} \u2192 {formed[1]}",
                                 "checked": checked, "n": r["n"], "still_present": r["k"],
                                 "rate": r["rate"], "ci_low": r["ci_low"],
                                 "ci_high": r["ci_high"]})
        out = pd.DataFrame(rows)
        return out.astype({"n": "int64", "still_present": "int64"})

    def persistence_sentence(self, table: pd.DataFrame | None = None) -> str:
        """The persistence result in plain words, with its numbers.

        Examples
        --------
        >>> import senatenet as sn
        >>> tr = sn.trajectory(sn.load_sample(follow_up=True), spec={"relation": "advice"})
        >>> tr.persistence_sentence().startswith("Of the ")
        True
        """
        t = self.persistence() if table is None else table
        t = t[t["pairs"].eq("all")].set_index(["ties", "boundary"])
        new_x = t.loc[("new during programme", "cross_boundary")]
        new_w = t.loc[("new during programme", "within")]
        old_x = t.loc[("existing before", "cross_boundary")]
        checked = new_x["checked"]
        unit = "nominations" if self._data.directed else "ties"

        def share(r) -> str:
            if r["n"] == 0:
                return "no such ties"
            return (f"{r['rate']:.0%}, 95% interval {r['ci_low']:.0%} to "
                    f"{r['ci_high']:.0%}")

        if new_x["n"] == 0:
            head = (f"No cross-organisation {unit} were formed during the programme "
                    f"({new_x['formed']}), so their persistence at {checked} cannot be "
                    "estimated.")
        else:
            head = (f"Of the {new_x['n']} cross-organisation {unit} formed during the "
                    f"programme ({new_x['formed']}), {new_x['still_present']} {'was' if new_x['still_present'] == 1 else 'were'} still "
                    f"there at {checked} ({share(new_x)}).")
        rest = (f" For comparison, of {new_w['n']} new {unit} within organisations "
                f"{new_w['still_present']} lasted ({share(new_w)}), and of "
                f"{old_x['n']} cross-organisation {unit} that existed before the "
                f"programme and were still there at its end, {old_x['still_present']} "
                f"lasted to {checked} ({share(old_x)}).")
        return head + rest + (" Only people who were members in all three waves count; "
                              "intervals are person-level, so small counts give wide ones.")

    def _interval_options(self) -> dict[str, Any]:
        return {"interval": self.options["interval"], "n_boot": self.options["n_boot"],
                "seed": self.options["seed"]}

    def __repr__(self) -> str:
        return (f"<Trajectory {' -> '.join(self.waves)}, relation {self.relation!r}, "
                f"{len(self.transitions)} transitions>")

    def __str__(self) -> str:
        lines = [f"Trajectory over waves {', '.join(self.waves)} "
                 f"(relation '{self.relation}')"]
        m = self.measures.pivot(index="measure", columns="wave", values="value")
        m = m.reindex(index=list(MEASURES), columns=list(self.waves))
        lines.append(m.to_string(float_format=lambda v: f"{v:.3g}"))
        for r in self.transitions.itertuples(index=False):
            lines.append(
                f"{r.before} -> {r.after}: {r.new} new, {r.lost} lost, {r.stable} kept "
                f"(Jaccard {r.jaccard:.2f}); cross-organisation formation "
                f"{r.formation_cross:.1%} [{r.formation_cross_low:.1%}, "
                f"{r.formation_cross_high:.1%}], persistence {r.persistence_cross:.1%} "
                f"[{r.persistence_cross_low:.1%}, {r.persistence_cross_high:.1%}]")
        if len(self.waves) >= 3:
            lines.append(self.persistence_sentence())
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        body = "".join(f"<p>{html.escape(x)}</p>" for x in str(self).split("\n")[:1])
        table = self.transitions.to_html(index=False, escape=True,
                                         float_format=lambda v: f"{v:.3g}")
        return f"<div>{body}{table}</div>"


def _log_odds(tie_w: int, pairs_w: int, tie_b: int, pairs_b: int) -> float:
    """log[(T_w / N_w) / (T_b / N_b)], N = untied pairs (``netseg::orwg``); 0.5 is
    added to every cell when one is empty (Haldane-Anscombe); NaN without pairs."""
    return float(log_odds_ratio(tie_w, pairs_w - tie_w, tie_b, pairs_b - tie_b,
                                pairs_w > 0 and pairs_b > 0))


def _wave_rows(d: _Waves, wave: str, opts: dict) -> list[dict]:
    people, pairs = d.eligible((wave,))
    A = d.A[wave] & pairs
    cross, within = pairs & ~d.same, pairs & d.same
    n_pairs, n_cross, n_within = int(pairs.sum()), int(cross.sum()), int(within.sum())
    E, T = int((A & ~d.same).sum()), int(A.sum())
    I = T - E  # noqa: E741
    members = int(people.sum())
    responded = int((d.responded[wave] & people).sum())

    def ei(e, i):
        return (e - i) / (e + i) if e + i else np.nan

    # person-level jackknife pieces: ties and pairs involving each person
    inv = person_sums

    idx = np.flatnonzero(people)
    Ei, Ti = inv(A & ~d.same)[idx], inv(A)[idx]
    Ci, Pi = inv(cross)[idx], inv(pairs)[idx]
    Wi = Pi - Ci

    def interval(full, loo):
        jk = jackknife_interval(full, loo, quantile="normal")
        return jk["ci_low"], jk["ci_high"]

    with np.errstate(invalid="ignore", divide="ignore"):
        dens = T / n_pairs if n_pairs else np.nan
        dens_loo = (T - Ti) / np.where(n_pairs - Pi > 0, n_pairs - Pi, np.nan)
        xd = E / n_cross if n_cross else np.nan
        xd_loo = (E - Ei) / np.where(n_cross - Ci > 0, n_cross - Ci, np.nan)
        ei_full = ei(E, I)
        ei_loo = np.array([ei(E - e, (T - t) - (E - e)) for e, t in zip(Ei, Ti, strict=True)])
        lor = _log_odds(I, n_within, E, n_cross)
        lor_loo = np.array([_log_odds(I - (t - e), n_within - w, E - e, n_cross - c)
                            for e, t, w, c in zip(Ei, Ti, Wi, Ci, strict=True)])
    if opts["interval"] == "bootstrap":
        d_lo_hi = _boot_wave(d, people, A, cross, within, pairs, opts)
    else:
        d_lo_hi = None
    ee = (n_cross - n_within) / n_pairs if n_pairs else np.nan
    values = {
        "members": (members, None), "response_rate": (
            responded / members if members else np.nan, None),
        "ties": (T, None), "density": (dens, dens_loo),
        "cross_boundary_pairs": (E, None), "cross_boundary_density": (xd, xd_loo),
        "ei": (ei_full, ei_loo), "ei_expected": (ee, None),
        "mixing_log_odds_ratio": (lor, lor_loo),
    }
    rows = []
    for m in MEASURES:
        v, loo = values[m]
        lo = hi = np.nan
        if loo is not None:
            if d_lo_hi is not None:
                lo, hi = d_lo_hi[m]
            else:
                lo, hi = interval(v, loo)
            if m in ("density", "cross_boundary_density"):
                lo, hi = max(lo, 0.0), min(hi, 1.0)
            elif m == "ei":
                lo, hi = max(lo, -1.0), min(hi, 1.0)
        rows.append({"wave": wave, "measure": m, "value": float(v), "ci_low": lo,
                     "ci_high": hi})
    return rows


def _boot_wave(d, people, A, cross, within, pairs, opts) -> dict:
    """Person-level percentile bootstrap of the wave measures with intervals."""
    rng = np.random.default_rng(opts["seed"])
    idx = np.flatnonzero(people)
    B = int(opts["n_boot"])
    counts = np.zeros((B, len(d.ids)))
    draws = rng.integers(0, len(idx), size=(B, len(idx)))
    np.add.at(counts, (np.repeat(np.arange(B), len(idx)), idx[draws].ravel()), 1.0)

    def q(M):
        return np.einsum("bi,ij,bj->b", counts, M.astype(float), counts)

    T, E = q(A), q(A & cross)
    P, C = q(pairs), q(cross)
    W = P - C
    I = T - E  # noqa: E741
    with np.errstate(invalid="ignore", divide="ignore"):
        reps = {
            "density": T / P, "cross_boundary_density": E / C, "ei": (E - I) / (E + I),
            "mixing_log_odds_ratio": _log_odds_many(I, W, E, C),
        }
    out = {}
    for m, r in reps.items():
        r = r[np.isfinite(r)]
        out[m] = ((float(np.quantile(r, 0.025)), float(np.quantile(r, 0.975)))
                  if len(r) else (np.nan, np.nan))
    return out


def _log_odds_many(I, W, E, C) -> np.ndarray:  # noqa: E741
    """:func:`_log_odds` for arrays of (weighted) counts."""
    return log_odds_ratio(I, W - I, E, C - E, (W > 0) & (C > 0))


def _transition_row(d: _Waves, before: str, after: str, opts: dict) -> dict:
    people, pairs = d.eligible((before, after))
    A0, A1 = d.A[before] & pairs, d.A[after] & pairs
    cross = ~d.same
    row: dict[str, Any] = {"before": before, "after": after, "members": int(people.sum())}
    for prefix, mask in (("", pairs), ("cross_", pairs & cross)):
        new = int((A1 & ~A0 & mask).sum())
        lost = int((A0 & ~A1 & mask).sum())
        stable = int((A0 & A1 & mask).sum())
        total = new + lost + stable
        row.update({f"{prefix}new": new, f"{prefix}lost": lost, f"{prefix}stable": stable,
                    f"{prefix}jaccard": stable / total if total else np.nan})
    for what, base in (("formation", ~A0), ("persistence", A0)):
        for name, strata in (("cross", cross), ("within", d.same)):
            den = pairs & strata & base
            r = rate_interval(A1 & den, den, people=people, interval=opts["interval"],
                              n_boot=opts["n_boot"], seed=opts["seed"])
            key = f"{what}_{name}"
            row.update({key: r["rate"], f"{key}_k": r["k"], f"{key}_n": r["n"],
                        f"{key}_low": r["ci_low"], f"{key}_high": r["ci_high"]})
    return row


def trajectory(
    survey,
    waves: Sequence[str] | None = None,
    *,
    spec: Any = None,
    seed: int = 0,
    n_jobs: int | None = 1,
    group: str = "organisation",
    interval: str = "jackknife",
    n_boot: int = 1000,
) -> Trajectory:
    """Follow one relation through several waves: measures, transitions, persistence.

    Each wave's network is built with :meth:`Survey.person_graph` on that
    wave's members; each transition between consecutive waves uses the pairs
    of people who are members in both (so joiners and leavers never make new
    or lost ties, Huisman & Snijders 2003). See :class:`Trajectory` for the
    tables and :meth:`Trajectory.persistence` for whether new ties lasted.

    Parameters
    ----------
    survey : Survey
    waves : sequence of str, optional
        At least two of ``survey.waves``, in the order to follow (default all).
    spec : TieSpec or dict, optional
        Which nominations make a tie: ``relation`` (required when the survey
        has several), ``min_strength``, ``symmetrize`` (default ``"union"``:
        pairs of people; ``None``: directed nominations), ``missing``
        (``"absent"`` or ``"reconstruct"``).
    seed : int
        Seed of the bootstrap (recorded; the jackknife uses no randomness).
    n_jobs : int, optional
        Accepted for a uniform interface; the computation is vectorised and
        gives identical results for any value.
    group : str
        Roster column of the organisation.
    interval : {"jackknife", "bootstrap"}
        Person-level interval method (see :func:`rate_interval`).
    n_boot : int
        Bootstrap replicates.

    Returns
    -------
    Trajectory

    Raises
    ------
    InputError
        Fewer than two waves, unknown or repeated waves, or a bad option.

    References
    ----------
    .. [1] Huisman, M. & Snijders, T. A. B. (2003). Statistical analysis of
       longitudinal network data with changing composition. *Sociological
       Methods & Research* 32(2), 253–287.
    .. [2] Snijders, T. A. B. & Borgatti, S. P. (1999). Non-parametric standard
       errors and tests for network statistics. *Connections* 22(2), 161–170.
    .. [3] Krackhardt, D. & Stern, R. N. (1988). Informal networks and
       organizational crises. *Social Psychology Quarterly* 51(2), 123–140.
    .. [4] Moody, J. (2001). Race, school integration, and friendship
       segregation in America. *American Journal of Sociology* 107(3), 679–716.

    Examples
    --------
    >>> import senatenet as sn
    >>> tr = sn.trajectory(sn.load_sample(follow_up=True), spec={"relation": "advice"})
    >>> m = tr.measures.pivot(index="measure", columns="wave", values="value")
    >>> m.loc["members", ["pre", "post", "follow-up"]].tolist()
    [26.0, 26.0, 26.0]
    """
    opts = _spec_options(spec)
    if interval not in ("jackknife", "bootstrap"):
        raise InputError(f"interval must be 'jackknife' or 'bootstrap', not {interval!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise InputError(f"seed must be an integer, not {seed!r}")
    if waves is None:
        waves = survey.waves
    waves = [waves] if isinstance(waves, str) else list(waves)
    bad = [w for w in waves if w not in survey.waves]
    if bad:
        raise InputError(f"unknown wave(s) {bad}; waves: {list(survey.waves)}")
    if len(set(waves)) != len(waves):
        raise InputError(f"a wave is repeated in {waves}")
    if len(waves) < 2:
        raise InputError(f"a trajectory needs at least two waves, not {waves}")
    data = _Waves(survey, waves, opts, group)
    run = {"interval": interval, "n_boot": int(n_boot), "seed": int(seed)}
    rows = [r for w in waves for r in _wave_rows(data, w, run)]
    measures = pd.DataFrame(rows, columns=["wave", "measure", "value", "ci_low", "ci_high"])
    transitions = pd.DataFrame([_transition_row(data, a, b, run)
                                for a, b in zip(waves[:-1], waves[1:], strict=True)])
    options = dict(opts, relation=data.relation, group=group, interval=interval,
                   n_boot=int(n_boot), seed=int(seed), n_jobs=n_jobs)
    return Trajectory(survey=survey, waves=tuple(waves), relation=data.relation,
                      options=options, measures=measures, transitions=transitions,
                      _data=data)
