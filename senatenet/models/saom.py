"""Stochastic actor-oriented models (SAOMs) of network change, estimated by the
method of moments (Snijders 2001) as RSiena does.

Estimation is delegated to ``cusna`` (MIT licence; the optional extra
``senatenet[models]``), which reproduces RSiena's simulation and Robbins-Monro
algorithm; senatenet builds the data from a :class:`~senatenet.Survey` (waves,
non-respondents as missing, roster covariates), names effects as RSiena does
and returns a tidy table with convergence diagnostics.
"""

from __future__ import annotations

import html
import importlib.metadata
import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ._terms import choose_relation, pair_covariate, wave_adjacency

__all__ = ["saom", "SAOMResult", "saom_data", "saom_composition"]

STRUCTURAL = ("density", "recip", "transTrip", "transTies", "cycle3", "inPop", "outPop",
              "inAct", "outAct", "inPopSqrt", "outPopSqrt", "inActSqrt", "outActSqrt",
              "reciAct", "transRecTrip", "gwespFF", "gwespFB", "gwespBF", "gwespBB")
COVARIATE = ("egoX", "altX", "simX", "sameX", "egoXaltX", "higher")
TCONV_LIMIT = 0.25
JACCARD_LOW, JACCARD_WARN = 0.2, 0.3
_EFFECT = re.compile(r"^\s*([A-Za-z][A-Za-z0-9]*)\s*(?:\(\s*([^()]*?)\s*\))?\s*$")


@dataclass(frozen=True)
class SAOMResult:
    """A fitted stochastic actor-oriented model.

    Attributes
    ----------
    estimates : pandas.DataFrame
        ``effect`` (RSiena short name, with the covariate in brackets; rate
        parameters first as ``rate period m``), ``estimate``, ``std_error``,
        ``t_ratio`` (convergence t-ratio: (mean simulated - observed) / sd of
        the simulated statistic; |t| < 0.1 is good).
    targets : pandas.Series
        The observed statistics the method of moments matches (RSiena's
        targets).
    tconv_max : float
        Overall maximum convergence ratio (RSiena); above 0.25 the fit has not
        converged.
    jaccard : pandas.DataFrame
        Per period: ties kept, new, lost among pairs observed in both waves and
        the Jaccard index kept / (kept + new + lost).
    status : str
        ``"finding"`` or ``"diagnostic"`` (not converged, or Jaccard < 0.2:
        the estimates must not be read as results).
    warnings : list of str
    options : dict
        Waves, relation, effects, seed, algorithm settings, versions.

    References
    ----------
    .. [1] Snijders, T. A. B. (2001). The statistical evaluation of social
       network dynamics. *Sociological Methodology* 31, 361-395.
    .. [2] Ripley, R. M., Snijders, T. A. B., Boda, Z., Voros, A. & Preciado, P.
       *Manual for RSiena*. University of Oxford.

    Examples
    --------
    >>> import senatenet as sn
    >>> res = sn.saom(sn.load_sample(), relation="advice")  # doctest: +SKIP
    >>> res.estimates.columns.tolist()  # doctest: +SKIP
    ['effect', 'estimate', 'std_error', 't_ratio']
    """

    estimates: pd.DataFrame
    targets: pd.Series
    tconv_max: float
    jaccard: pd.DataFrame
    status: str
    warnings: list
    options: dict = field(default_factory=dict)
    _sims: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def is_finding(self) -> bool:
        """True when converged (tconv_max <= 0.25) and every Jaccard index >= 0.2."""
        return self.status == "finding"

    def summary(self) -> str:
        """The estimates as text, headed DIAGNOSTIC when they are not findings."""
        head = ("SAOM (method of moments, Snijders 2001)" if self.is_finding else
                "DIAGNOSTIC ONLY - not a finding: SAOM (method of moments, Snijders 2001)")
        lines = [head, self.estimates.to_string(index=False,
                                                float_format=lambda v: f"{v:.4f}"),
                 f"Overall maximum convergence ratio: {self.tconv_max:.4f}",
                 self.jaccard.to_string(index=False, float_format=lambda v: f"{v:.3f}")]
        lines += [f"Warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        head = "SAOM" if self.is_finding else "SAOM &mdash; diagnostic only, not a finding"
        return (f"<h4>{head}</h4>" + self.estimates.to_html(index=False)
                + f"<p>Overall maximum convergence ratio {self.tconv_max:.4f}</p>"
                + "".join(f"<p>{html.escape(w)}</p>" for w in self.warnings))


def _relation(survey, relation):
    return choose_relation(survey, relation, "relation=...")


def _numeric_attr(people: pd.DataFrame, name: str, effect: str, *, categorical=False):
    if name not in people.columns:
        raise InputError(f"effect {effect}: no roster column {name!r}; columns: "
                         f"{sorted(map(str, people.columns))}")
    col = people[name]
    if col.dtype == bool or col.dropna().map(lambda v: isinstance(v, (bool, np.bool_))).all():
        return col.map(lambda v: np.nan if pd.isna(v) else float(bool(v))).to_numpy(float)
    num = pd.to_numeric(col, errors="coerce")
    if num.notna().sum() == col.notna().sum():
        return num.to_numpy(dtype=float)
    if categorical:
        codes, _ = pd.factorize(col)
        out = codes.astype(float)
        out[codes < 0] = np.nan
        return out
    raise InputError(f"effect {effect}: roster column {name!r} has text values; "
                     f"{effect.split('(')[0]} needs numbers (use sameX for categories)")


def _dyadic(people: pd.DataFrame, name: str, covariates: Mapping, effect: str):
    ids = people.index
    if name in covariates:
        return pair_covariate(name, covariates[name], ids)
    m = re.match(r"^(same|different)_(.+)$", name)
    if m and m.group(2) in people.columns:
        col = people[m.group(2)].to_numpy(dtype=object)
        same = (col[:, None] == col[None, :]).astype(float)
        M = same if m.group(1) == "same" else 1.0 - same
        np.fill_diagonal(M, 0.0)
        return M
    raise InputError(f"effect {effect}: no dyadic covariate {name!r}; pass "
                     f"covariates={{{name!r}: matrix}} or use same_<column> / "
                     "different_<column> for a roster column")


def _effects(effects: Sequence[str], people: pd.DataFrame, covariates: Mapping):
    from cusna.saom.stats import EffectSpec, InteractionSpec

    names = [str(e).strip() for e in effects]
    if len(set(names)) != len(names):
        raise InputError(f"effects are repeated: {names}")
    specs = []
    for e in names:
        if "*" in e:
            parts = [p.strip() for p in e.split("*")]
            missing = [p for p in parts if p not in names[: names.index(e)]]
            if missing:
                raise InputError(f"interaction {e}: include {missing} as effects before it")
            specs.append(InteractionSpec(tuple(names.index(p) for p in parts)))
            continue
        m = _EFFECT.match(e)
        if not m:
            raise InputError(f"cannot read effect {e!r}; write e.g. 'recip', 'altX(smoke1)', "
                             "'X(different_organisation)', 'egoX(a)*X(b)'")
        short, arg = m.group(1), m.group(2)
        if short in STRUCTURAL and arg is None:
            specs.append(EffectSpec(short))
        elif short in COVARIATE and arg:
            v = _numeric_attr(people, arg, e, categorical=short == "sameX")
            seen = v[~np.isnan(v)]
            if seen.size == 0 or np.all(seen == seen[0]):
                raise InputError(f"effect {e}: {arg!r} has the same value for everyone, "
                                 "so its effect cannot be estimated (pool with a "
                                 "comparison cohort to estimate it)")
            specs.append(EffectSpec(short, v))
        elif short == "X" and arg:
            specs.append(EffectSpec("X", _dyadic(people, arg, covariates, e)))
        else:
            raise InputError(f"unknown effect {e!r}; structural: {list(STRUCTURAL)}; "
                             f"covariate: {[c + '(column)' for c in COVARIATE]}; "
                             "dyadic: X(name); interactions a*b")
    return names, specs


def saom_data(survey, waves: Sequence[str] | None = None, *, relation: str | None = None,
              min_strength: float | None = None):
    """Wave adjacency matrices with non-respondents' rows missing (NaN).

    Parameters
    ----------
    survey : Survey
    waves : sequence of str, optional
        Default: all waves in order.
    relation : str, optional
    min_strength : float, optional
        Ties weaker than this count as absent.

    Returns
    -------
    list of numpy.ndarray
        One n x n float matrix per wave in roster order: 1 tie, 0 no tie, NaN
        when the sender did not respond in that wave (missing, as RSiena
        treats NA), and NaN in the row and column of anyone who was not a
        member in that wave (composition change: :func:`saom` passes the
        membership to the estimator, which treats them as RSiena does).

    References
    ----------
    .. [1] Huisman, M. & Steglich, C. (2008). Treatment of non-response in
       longitudinal network studies. *Social Networks* 30(4), 297-308.

    Examples
    --------
    >>> import senatenet as sn
    >>> W = saom_data(sn.load_sample(), relation="advice")
    >>> len(W), W[0].shape
    (2, (26, 26))
    """
    relation = _relation(survey, relation)
    waves = list(survey.waves if waves is None else waves)
    bad = [w for w in waves if w not in survey.waves]
    if bad:
        raise InputError(f"unknown wave(s) {bad}; waves: {list(survey.waves)}")
    if len(waves) < 2:
        raise InputError(f"a SAOM needs at least two waves (got {waves})")
    ids = survey.people.index
    out = []
    for w in waves:
        A = wave_adjacency(survey, w, relation, min_strength)
        A[~ids.isin(list(survey.responded(w))), :] = np.nan
        members = getattr(survey, "members", None)
        if members is not None:  # not a member: row and column absent (composition)
            absent = ~ids.isin(list(members(w)))
            A[absent, :] = np.nan
            A[:, absent] = np.nan
        np.fill_diagonal(A, 0.0)
        out.append(A)
    return out


def saom_composition(survey, waves: Sequence[str] | None = None):
    """Membership intervals of each person, as RSiena's ``sienaCompositionChange``.

    Parameters
    ----------
    survey : Survey
    waves : sequence of str, optional
        Default: all waves in order.

    Returns
    -------
    list or None
        One entry per person in roster order: a flat list ``[s1, e1, s2, e2,
        ...]`` of 1-based wave numbers (within ``waves``) between which the
        person was a member (roster ``first_wave``/``last_wave``), or ``[]``
        when they were a member in none of them. ``None`` when everyone was a
        member in every wave (no composition change).

    References
    ----------
    .. [1] Huisman, M. & Snijders, T. A. B. (2003). Statistical analysis of
       longitudinal network data with changing composition. *Sociological
       Methods & Research* 32(2), 253-287.

    Examples
    --------
    >>> import pandas as pd, senatenet as sn
    >>> people = pd.DataFrame({"organisation": ["A", "B", "B"],
    ...                        "first_wave": ["", "2", ""], "last_wave": ["", "", "1"]},
    ...                       index=pd.Index(["p1", "p2", "p3"], name="person_id"))
    >>> s = sn.Survey(people, pd.DataFrame({"wave": ["1", "2"], "respondent": ["p1", "p2"],
    ...                                     "alter": ["p3", "p1"]}), waves=["1", "2"])
    >>> saom_composition(s)
    [[1, 2], [2, 2], [1, 1]]
    """
    waves = list(survey.waves if waves is None else waves)
    members = getattr(survey, "members", None)
    ids = survey.people.index
    if members is None:
        return None
    inside = np.column_stack([ids.isin(list(members(w))) for w in waves])
    if inside.all():
        return None
    out = []
    for row in inside:
        spans, m = [], 0
        while m < len(row):
            if row[m]:
                start = m
                while m + 1 < len(row) and row[m + 1]:
                    m += 1
                spans += [start + 1, m + 1]
            m += 1
        out.append(spans)
    return out


def _jaccard(W: list[np.ndarray], waves: list[str], member=None) -> pd.DataFrame:
    rows = []
    for m in range(len(W) - 1):
        a, b = W[m], W[m + 1]
        possible = ~np.eye(len(a), dtype=bool)
        if member is not None:  # pairs with a joiner or leaver: neither new nor lost
            both = member[:, m] & member[:, m + 1]
            possible &= both[:, None] & both[None, :]
        ok = possible & ~np.isnan(a) & ~np.isnan(b)
        a1, b1 = (a == 1) & ok, (b == 1) & ok
        kept, new, lost = int((a1 & b1).sum()), int((~a1 & b1 & ok).sum()), int(
            (a1 & ~b1 & ok).sum())
        total = kept + new + lost
        rows.append({"period": f"{waves[m]} -> {waves[m + 1]}", "kept": kept, "new": new,
                     "lost": lost, "jaccard": kept / total if total else float("nan"),
                     "missing_fraction": float(1 - ok.sum() / possible.sum())})
    return pd.DataFrame(rows)


def saom(
    survey,
    waves: Sequence[str] | None = None,
    *,
    relation: str | None = None,
    effects: Sequence[str] = ("density", "recip", "transTrip"),
    conditional: bool = False,
    covariates: Mapping[str, Any] | None = None,
    min_strength: float | None = None,
    seed: int = 0,
    n_jobs: int = 1,
    progress: bool = False,
    algorithm: Mapping[str, Any] | None = None,
) -> SAOMResult:
    """Fit a stochastic actor-oriented model by the method of moments.

    Between waves each actor i, at rate lambda_m, may change one outgoing tie
    (or none) choosing the network x' that maximises f_i(x') + Gumbel noise,
    f_i(x) = sum_k beta_k s_ik(x) (Snijders 2001). Effects use RSiena's short
    names and definitions: ``density`` (outdegree), ``recip``, ``transTrip``,
    ``transTies``, ``cycle3``, ``inPop``, ``outAct``, ``gwespFF`` (alpha =
    log 2 as RSiena's default parameter 69), actor covariates ``egoX(a)``,
    ``altX(a)``, ``simX(a)``, ``sameX(a)`` from roster columns (centred by the
    grand mean as RSiena centres them; sameX accepts text categories),
    dyadic ``X(name)`` (``covariates[name]``, or ``same_<column>`` /
    ``different_<column>`` built from the roster) and interactions
    ``a*b`` of effects listed earlier. Non-respondents' ties are missing in
    that wave (RSiena's treatment of NA). Composition change (roster
    ``first_wave``/``last_wave``, :meth:`Survey.members`) is passed to cusna
    as RSiena's ``sienaCompositionChange`` with its default ccOption 1
    (Huisman & Snijders 2003): an actor acts only in periods that start while
    they are a member, and their ties before joining or after leaving are
    structural zeros, not missing (:func:`saom_composition`); pairs with a
    joiner or leaver are left out of the Jaccard index. People who are members
    in none of the waves are left out (a warning says so).

    Estimates are RSiena's unconditional (default) or conditional method of
    moments with Robbins-Monro phases 1-3 (n3 = 1000 simulations for the
    standard errors), run by cusna. When the overall maximum convergence
    ratio exceeds 0.25, or the Jaccard index of some period is below 0.2,
    ``status`` is ``"diagnostic"``: the numbers must not be read as findings
    (a warning is also given for Jaccard between 0.2 and 0.3).

    Parameters
    ----------
    survey : Survey
    waves : sequence of str, optional
        Two or more waves, default all.
    relation : str, optional
        Required when the survey has several relations.
    effects : sequence of str
        Objective-function effects (rate parameters are added).
    conditional : bool
        RSiena's conditional estimation (rates from simulated durations).
    covariates : mapping, optional
        Dyadic covariates for ``X(name)``.
    min_strength : float, optional
        Ties weaker than this count as absent.
    seed : int
        Seed of every simulation; results are identical for any ``n_jobs``.
    n_jobs : int
        Threads for the simulations.
    progress : bool
        Print the estimate after each phase.
    algorithm : mapping, optional
        cusna ``MomEstimator`` settings (e.g. ``n3``, ``nsub``, ``n2``, ``firstg``,
        ``batch2``). senatenet's defaults: ``n3=1000`` (RSiena's default) and
        ``batch2=64`` simulations per Robbins-Monro step (cusna's 256 is about
        twice as slow and gave the same estimates to 0.01 on the senate);
        cusna's defaults otherwise.

    Returns
    -------
    SAOMResult

    Raises
    ------
    ImportError
        When cusna is not installed (``pip install "senatenet[models]"``).
    InputError
        Unknown wave, relation, effect or covariate.

    References
    ----------
    .. [1] Snijders, T. A. B. (2001). The statistical evaluation of social
       network dynamics. *Sociological Methodology* 31, 361-395.
    .. [2] Snijders, T. A. B., van de Bunt, G. G. & Steglich, C. E. G. (2010).
       Introduction to stochastic actor-based models for network dynamics.
       *Social Networks* 32(1), 44-60.
    .. [3] Ripley, R. M., Snijders, T. A. B., Boda, Z., Voros, A. & Preciado, P.
       *Manual for RSiena*. University of Oxford.
    .. [4] Huisman, M. & Snijders, T. A. B. (2003). Statistical analysis of
       longitudinal network data with changing composition. *Sociological
       Methods & Research* 32(2), 253-287.

    Examples
    --------
    >>> import senatenet as sn
    >>> res = sn.saom(sn.load_sample(), relation="advice",
    ...               effects=("density", "recip", "sameX(organisation)"))  # doctest: +SKIP
    >>> res.estimates["effect"].iloc[0]  # doctest: +SKIP
    'rate period 1'
    """
    try:
        import numba
        from cusna.saom import SaomData
        from cusna.saom.mom import MomEstimator
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("senatenet.saom needs the optional package cusna: "
                          'pip install "senatenet[models]"') from exc
    relation = _relation(survey, relation)
    wave_list = list(survey.waves if waves is None else waves)
    W = saom_data(survey, wave_list, relation=relation, min_strength=min_strength)
    comp = saom_composition(survey, wave_list)
    people, covariates, notes = survey.people, dict(covariates or {}), []
    member = None
    if comp is not None:
        keep = np.array([bool(c) for c in comp])
        member = np.column_stack([people.index.isin(list(survey.members(w)))
                                  for w in wave_list])[keep]
        if not keep.all():
            notes.append(f"{int((~keep).sum())} people were members in none of the waves "
                         f"{wave_list} and are left out: {list(people.index[~keep][:5])}")
            n = len(people)
            W = [w[keep][:, keep] for w in W]
            covariates = {k: (np.asarray(v, dtype=float)[np.ix_(keep, keep)]
                              if not isinstance(v, pd.DataFrame)
                              and np.shape(v) == (n, n) else v)
                          for k, v in covariates.items()}
            people = people[keep]
            comp = [c for c in comp if c]
        joined_left = int((~member).any(axis=1).sum())
        notes.append(f"composition change: {joined_left} people joined or left between "
                     f"the waves; they are structurally absent outside their membership, "
                     "as RSiena's sienaCompositionChange (ccOption 1, Huisman & Snijders "
                     "2003)")
    names, specs = _effects(effects, people, covariates)
    jac = _jaccard(W, wave_list, member)
    status = "finding"
    for r in jac.itertuples():
        if not r.jaccard >= JACCARD_LOW:
            status = "diagnostic"
            notes.append(f"period {r.period}: Jaccard index {r.jaccard:.2f} is below 0.2 "
                         "(too much change for a SAOM; RSiena manual)")
        elif r.jaccard < JACCARD_WARN:
            notes.append(f"period {r.period}: Jaccard index {r.jaccard:.2f} is between 0.2 "
                         "and 0.3 (borderline for a SAOM; RSiena manual)")
    settings = {"n3": 1000, "batch2": 64}
    settings.update(dict(algorithm or {}))
    threads = max(1, min(int(n_jobs), numba.config.NUMBA_NUM_THREADS))
    old = numba.get_num_threads()
    numba.set_num_threads(threads)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            data = SaomData([w.copy() for w in W], composition=comp)
            est = MomEstimator(data, specs, conditional=conditional, backend="cpu",
                               seed=int(seed), **settings)
            res = est.estimate(verbose=progress, return_deps=True)
    except np.linalg.LinAlgError as exc:
        raise InputError("the SAOM's effects are collinear (e.g. sameX(a) with "
                         "X(different_a) and density) or do not vary; remove one of "
                         f"{names}") from exc
    except (AssertionError, ValueError) as exc:
        raise InputError(f"the SAOM could not be set up: {exc}") from exc
    finally:
        numba.set_num_threads(old)
    P = len(wave_list) - 1
    if conditional:
        rate = pd.DataFrame({"effect": [f"rate period {m + 1}" for m in range(P)],
                             "estimate": res.rate_est, "std_error": np.nan,
                             "t_ratio": np.nan})
        obj = pd.DataFrame({"effect": names, "estimate": res.theta, "std_error": res.se,
                            "t_ratio": res.tconv})
        estimates = pd.concat([rate, obj], ignore_index=True)
        target_names = names
    else:
        target_names = [f"rate period {m + 1}" for m in range(P)] + names
        estimates = pd.DataFrame({"effect": target_names, "estimate": res.theta,
                                  "std_error": res.se, "t_ratio": res.tconv})
    tconv_max = float(res.tconv_max)
    if not tconv_max <= TCONV_LIMIT:
        status = "diagnostic"
        notes.append(f"overall maximum convergence ratio {tconv_max:.3f} is above 0.25: "
                     "the estimation has not converged")
    try:
        cver = importlib.metadata.version("cusna")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover
        cver = "unknown"
    options = {"waves": wave_list, "relation": relation, "effects": names,
               "conditional": conditional, "seed": seed, "n_jobs": n_jobs,
               "min_strength": min_strength, "algorithm": settings, "cusna": cver,
               "composition": comp,
               "n_simulations": int(res.n_sims), "wall_time_s": float(res.wall_time)}
    sims = {"observed": W, "simulated": getattr(est, "last_deps", None)}
    return SAOMResult(estimates, pd.Series(res.targets, index=pd.Index(target_names,
                                                                       name="effect"),
                                           name="target"),
                      tconv_max, jac, status, notes, options, sims)
