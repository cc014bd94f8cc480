"""Formation and persistence of ties between two waves: the separable temporal
ERGM fitted by conditional maximum likelihood (Krivitsky & Handcock 2014).

Conditional on the earlier wave y0, P(y1 | y0) factorises into a formation
model for the pairs not tied in y0 and a persistence model for the pairs tied
in y0. With dyad-independent terms (and lagged structure from y0, which is
fixed) each part is a logistic regression over its pairs: exact maximum
likelihood.
"""

from __future__ import annotations

import html
import importlib.metadata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ._formula import Term, parse_formula
from ._logit import _sigmoid, dyadic_cluster_cov, fit_logit
from ._terms import (
    DYAD_DEPENDENT,
    Context,
    choose_relation,
    columns,
    pair_covariate,
    wave_adjacency,
)

__all__ = ["tie_change_model", "TieChangeModel"]

DEFAULT_TERMS = ("edges", "nodematch(organisation)", "reciprocated_before",
                 "shared_partners_before")
LAGGED = {"participants", "reciprocated_before", "shared_partners_before"}
Z95 = 1.959963984540054
INTERVALS = ("95% Wald (model-based); robust = dyadic-cluster sandwich (Aronow, Samii & "
             "Assenova 2015); DSP = Wald interval with the critical value from DSP "
             "permutations (Dekker, Krackhardt & Snijders 2007)")
TABLE_COLUMNS = ["term", "estimate", "odds_ratio", "std_error", "ci_low", "ci_high", "p",
                 "robust_std_error", "robust_ci_low", "robust_ci_high", "robust_p",
                 "dsp_ci_low", "dsp_ci_high", "dsp_p"]


@dataclass(frozen=True)
class TieChangeModel:
    """A fitted formation and persistence model.

    Attributes
    ----------
    formation, persistence : pandas.DataFrame
        One row per term: ``term``; ``estimate`` (log-odds); ``odds_ratio``
        (exp(estimate)); ``std_error``, ``ci_low``, ``ci_high``, ``p``
        (model-based: inverse Fisher information, 95% Wald interval on the
        log-odds scale -- exponentiate for the odds ratio); ``robust_std_error``,
        ``robust_ci_low``, ``robust_ci_high``, ``robust_p`` (dyadic-cluster-robust
        sandwich, Aronow, Samii & Assenova 2015: allows any two pairs sharing a
        person to be correlated); ``dsp_ci_low``, ``dsp_ci_high``, ``dsp_p``
        (double-semi-partialling permutations, Dekker, Krackhardt & Snijders
        2007; NaN unless fitted with ``n_permutations``). Prefer the
        dependence-respecting columns: pairs are not independent.
    pairs : pandas.DataFrame
        Per cohort and part: pairs used, new/kept ties, pairs dropped because
        the sender did not respond in one of the waves (missing, never zeros)
        and pairs left out because one of the two was not a member in both
        waves (joined or left).
    notes : list of str
        Everything the fit changed or could not do (terms left out because they
        do not vary, separation, unobserved lagged nominations).
    design : str
        ``"single cohort"``, ``"comparison"`` (pooled with a comparison cohort
        and cohort interactions) or ``"participants"`` (participants and
        non-participants in one cohort).
    options : dict
        Waves, relation, threshold, terms, permutations, seed, interval
        methods, versions.

    References
    ----------
    .. [1] Krivitsky, P. N. & Handcock, M. S. (2014). A separable model for
       dynamic networks. *JRSS B* 76(1), 29-46.

    Examples
    --------
    >>> import senatenet as sn
    >>> m = sn.tie_change_model(sn.load_sample(), "pre", "post",
    ...                         spec="advice", terms=("edges", "nodematch(organisation)"))
    >>> list(m.formation["term"])
    ['edges', 'nodematch.organisation']
    """

    formation: pd.DataFrame
    persistence: pd.DataFrame
    pairs: pd.DataFrame
    notes: list
    design: str
    options: dict = field(default_factory=dict)
    _fits: dict = field(default_factory=dict, repr=False, compare=False)

    def summary(self) -> str:
        """The two tables and the pair counts as plain text."""
        fmt = {"float_format": lambda v: f"{v:.4g}"}
        parts = [
            f"Tie change {self.options.get('before')} -> {self.options.get('after')} "
            f"({self.options.get('relation')}); design: {self.design}",
            "Separable temporal ERGM, conditional maximum likelihood (Krivitsky & "
            "Handcock 2014). Intervals: " + str(self.options.get("interval")) + ".",
            "Formation (pairs not tied before):",
            self.formation.to_string(index=False, **fmt),
            "Persistence (pairs tied before):",
            self.persistence.to_string(index=False, **fmt),
            "Pairs:",
            self.pairs.to_string(index=False),
        ]
        parts += [f"Note: {n}" for n in self.notes]
        return "\n".join(parts)

    def __repr__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        out = [f"<h4>Tie change {html.escape(str(self.options.get('before')))} &rarr; "
               f"{html.escape(str(self.options.get('after')))}</h4>",
               "<h5>Formation</h5>", self.formation.to_html(index=False),
               "<h5>Persistence</h5>", self.persistence.to_html(index=False),
               "<h5>Pairs</h5>", self.pairs.to_html(index=False)]
        out += [f"<p>{html.escape(n)}</p>" for n in self.notes]
        return "\n".join(out)


def _spec(spec: Any, survey) -> tuple[str, float | None]:
    if spec is None:
        relation, min_strength = None, None
    elif isinstance(spec, str):
        relation, min_strength = spec, None
    elif isinstance(spec, Mapping):
        relation, min_strength = spec.get("relation"), spec.get("min_strength")
    else:
        relation = getattr(spec, "relation", None)
        min_strength = getattr(spec, "min_strength", None)
    return choose_relation(survey, relation, "spec='advice' (or a TieSpec)"), min_strength


def _participant(people: pd.DataFrame) -> np.ndarray:
    col = people["participant"]
    if col.isna().any():
        who = list(col.index[col.isna()][:5])
        raise InputError(f"participants: 'participant' is missing for {int(col.isna().sum())} "
                         f"people (e.g. {who})")
    return col.astype(bool).to_numpy()


def _cohort_design(survey, before, after, relation, min_strength, terms, covariates, label):
    """One cohort's pairs and term columns (a dict; see the keys at the end)."""
    for w in (before, after):
        if w not in survey.waves:
            raise InputError(f"{label}: unknown wave {w!r}; waves: {list(survey.waves)}")
    people = survey.people
    ids = people.index
    n = len(ids)
    A0 = wave_adjacency(survey, before, relation, min_strength)
    A1 = wave_adjacency(survey, after, relation, min_strength)
    resp0 = ids.isin(list(survey.responded(before)))
    resp1 = ids.isin(list(survey.responded(after)))
    members = getattr(survey, "members", None)
    member = (ids.isin(list(members(before) & members(after))) if members is not None
              else np.ones(n, dtype=bool))
    off = ~np.eye(n, dtype=bool)
    # pairs of people who were members in both waves (joiners and leavers are
    # structurally absent: Huisman & Snijders 2003), then observed senders
    both = off & member[:, None] & member[None, :]
    observed = both & resp0[:, None] & resp1[:, None]
    rows, cols = np.nonzero(observed)
    notes: list[str] = []
    covs = {str(k): pair_covariate(str(k), v, ids) for k, v in (covariates or {}).items()}
    ctx = Context(A0, True, list(ids), people, covs, where=f"{label} terms")
    labels, mats = [], []
    for term in terms:
        if term.name in DYAD_DEPENDENT:
            raise InputError(
                f"{label}: {term.name} makes the formation model dyad-dependent (the "
                "tie-change model uses lagged structure instead); use "
                "reciprocated_before / shared_partners_before, or fit the cross-section "
                "with senatenet.ergm")
        if term.name == "participants":
            part = _participant(people)
            both_part = (part[:, None] & part[None, :]).astype(float)
            one = (part[:, None] ^ part[None, :]).astype(float)
            labels += ["participants.both", "participants.one"]
            mats += [both_part, one]
        elif term.name == "reciprocated_before":
            labels.append("reciprocated_before")
            mats.append(A0.T.copy())
            unseen = int((observed & ~resp0[None, :]).sum())
            if unseen:
                notes.append(f"{label}: for {unseen} pairs the other person did not respond "
                             f"in {before!r}, so reciprocated_before is taken as 0 there")
        elif term.name == "shared_partners_before":
            S = np.maximum(A0, A0.T)
            labels.append("shared_partners_before")
            mats.append(S @ S)
        else:
            for c in columns(term, ctx):
                labels.append(c.label)
                mats.append(c.change)
    X = np.column_stack([M[rows, cols] for M in mats]) if mats else np.zeros((len(rows), 0))
    y0 = A0[rows, cols]
    y1 = A1[rows, cols]
    n_off = n * (n - 1)
    absent = int((off & ~both).sum())
    no0 = int((both & ~resp0[:, None]).sum())
    no1 = int((both & resp0[:, None] & ~resp1[:, None]).sum())
    counts = []
    for part, sel in (("formation", y0 == 0), ("persistence", y0 == 1)):
        counts.append({
            "cohort": label, "part": part, "pairs_used": int(sel.sum()),
            "ties_after": int(y1[sel].sum()),
            "dropped_sender_no_response_before": no0 if part == "formation" else 0,
            "dropped_sender_no_response_after": no1 if part == "formation" else 0,
            "dropped_not_member_both_waves": absent if part == "formation" else 0,
            "possible_pairs": n_off if part == "formation" else 0,
        })
    if no0 or no1:
        notes.append(f"{label}: {no0 + no1} of {n_off} ordered pairs dropped as missing "
                     f"(sender did not respond in {before!r}: {no0}; in {after!r}: {no1})")
    if absent:
        notes.append(f"{label}: {absent} ordered pairs left out because one of the two was "
                     f"not a member in both {before!r} and {after!r} (joined or left: "
                     "structurally absent, neither new nor lost)")
    all_rows, all_cols = np.nonzero(both)
    full = (np.column_stack([M[all_rows, all_cols] for M in mats]) if mats
            else np.zeros((len(all_rows), 0)))
    return {"labels": labels, "X": X, "y0": y0, "y1": y1, "rows": rows, "cols": cols,
            "counts": counts, "notes": notes, "A1": A1, "n": n, "member": member,
            "all_rows": all_rows, "all_cols": all_cols, "full": full}


def _tidy(labels, beta, cov, rcov, separated, dsp=None) -> pd.DataFrame:
    # 2 * norm.sf(|z|), as scipy.stats computes it (ndtr(-|z|)), without
    # importing scipy.stats (about a second)
    from scipy.special import ndtr

    se = np.sqrt(np.diag(cov))
    rdiag = np.diag(rcov)
    # the dyadic sandwich is not guaranteed positive: no interval where it is not
    rse = np.sqrt(np.where(rdiag > 0, rdiag, np.nan))
    bad = np.asarray(separated)
    se = np.where(bad, np.nan, se)
    rse = np.where(bad, np.nan, rse)
    nan = np.full(len(labels), np.nan)
    crit, dsp_p = (nan, nan) if dsp is None else dsp
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        beta = np.where(bad, np.where(beta > 0, np.inf, -np.inf), beta)
        out = pd.DataFrame({
            "term": labels,
            "estimate": beta,
            "odds_ratio": np.exp(beta),
            "std_error": se,
            "ci_low": beta - Z95 * se,
            "ci_high": beta + Z95 * se,
            "p": 2 * ndtr(-np.abs(beta / se)),
            "robust_std_error": rse,
            "robust_ci_low": beta - Z95 * rse,
            "robust_ci_high": beta + Z95 * rse,
            "robust_p": 2 * ndtr(-np.abs(beta / rse)),
            "dsp_ci_low": beta - crit * se,
            "dsp_ci_high": beta + crit * se,
            "dsp_p": dsp_p,
        })
    return out[TABLE_COLUMNS]


def _usable(name, labels, X, notes) -> list[int]:
    """Columns that can be estimated: vary (edges always kept) and are not a
    combination of the columns before them."""
    keep = []
    for k, lab in enumerate(labels):
        col = X[:, k]
        if lab != "edges" and np.all(col == col[0]):
            notes.append(f"{name}: {lab} is the same for every pair, so it cannot be "
                         "estimated; left out")
            continue
        keep.append(k)
    rank_keep: list[int] = []
    for k in keep:
        trial = rank_keep + [k]
        if np.linalg.matrix_rank(X[:, trial]) == len(trial):
            rank_keep.append(k)
        else:
            notes.append(f"{name}: {labels[k]} is a combination of the other terms on "
                         "these pairs; left out")
    return rank_keep


def _fit_part(name, labels, X, y, senders, receivers, notes, perm=None):
    if len(y) == 0:
        notes.append(f"{name}: no pairs to model")
        empty = pd.DataFrame({c: pd.Series(dtype=float) for c in TABLE_COLUMNS})
        empty["term"] = pd.Series(dtype=object)
        return empty, None
    keep = _usable(name, labels, X, notes)
    labels = [labels[k] for k in keep]
    X = X[:, keep]
    beta, cov, loglik, converged, separated = fit_logit(X, y)
    if separated.any():
        notes.append(f"{name}: no finite estimate for "
                     f"{[lab for lab, s in zip(labels, separated, strict=False) if s]} (the outcome is "
                     "the same for every pair with that value: separation); their "
                     "standard errors are not shown")
    if not converged:
        notes.append(f"{name}: the fit did not converge")
    if separated.any() and not separated.all():
        bread, estimable = _cov_without(X, beta, separated)
        rcov = dyadic_cluster_cov(X, y, beta, bread, senders, receivers)
        drop = ~estimable
        cov, rcov = bread.copy(), rcov.copy()
        for M in (cov, rcov):
            M[drop, :] = np.nan
            M[:, drop] = np.nan
        if (drop & ~separated).any():
            notes.append(f"{name}: {[lab for lab, d, s in zip(labels, drop, separated, strict=True) if d and not s]} "
                         "cannot be told apart from the separated terms on the "
                         "remaining pairs; no standard error")
    elif np.isfinite(cov).all():
        rcov = dyadic_cluster_cov(X, y, beta, cov, senders, receivers)
    else:
        rcov = np.full_like(cov, np.nan)
    dsp = None
    if perm is not None and np.isfinite(np.diag(cov)).any():
        dsp = _dsp(name, labels, keep, X, y, separated, senders, receivers, perm, notes)
    fit = {"labels": labels, "X": X, "y": y, "beta": beta, "loglik": loglik}
    return _tidy(labels, beta, cov, rcov, separated, dsp), fit


def _cov_without(X, beta, separated) -> tuple[np.ndarray, np.ndarray]:
    """Covariance of the finite estimates when others separated.

    The separated coefficients sit at their limit, where the pairs they decide
    have fitted probability 0 or 1 and carry no information. On the other
    pairs a combination of the separated columns may still act as an intercept
    (e.g. edges + nodematch when only different-organisation ties all
    persisted), so the information matrix is singular rather than the
    separated columns simply fixed: its pseudo-inverse gives the covariance of
    the estimable coefficients -- those whose unit vector is orthogonal to the
    information's null space (Searle 1971) -- which equals the covariance of
    the logistic regression on the undecided pairs alone. Returns the
    pseudo-inverse and which coefficients are estimable.
    """
    mu = _sigmoid(X @ beta)
    info = (X * (mu * (1 - mu))[:, None]).T @ X
    evals, evecs = np.linalg.eigh(info)
    big = evals > evals.max() * 1e-9
    pinv = (evecs[:, big] / evals[big]) @ evecs[:, big].T
    null = evecs[:, ~big]
    estimable = ~np.asarray(separated)
    if null.size:
        estimable &= np.abs(null).max(axis=1) < 1e-6
    return pinv, estimable


#: Terms whose DSP permutation is not defined: the intercept, and the cohort
#: indicator (constant within a cohort, where the people are permuted).
NOT_PERMUTED = {"edges", "programme"}


def _score_z(e, X0, r, w, cov0) -> float:
    """Score statistic of adding column ``e`` to a logistic fit with columns X0,
    residuals r = y - mu, weights w = mu(1 - mu) and covariance cov0."""
    we = w * e
    proj = X0.T @ we
    v = e @ we - proj @ cov0 @ proj
    return float(e @ r / np.sqrt(v)) if v > 1e-12 else np.nan


def _dsp(name, labels, keep, X, y, separated, senders, receivers, perm, notes):
    """DSP permutation p-values and calibrated critical values, one per column.

    For each term k: regress its column on the other terms over every pair of
    members (ordinary least squares), permute the people of the residual
    matrix (within each cohort), and take the score statistic z of the
    permuted residual added to the logistic regression on the other terms
    (Dekker, Krackhardt & Snijders 2007, double semi-partialling; the score
    form needs one fit of the model without the term instead of one fit per
    permutation, and exists even where a refit would separate). With mu, w
    the fitted means and weights of that model and X0 its columns,
    z = e'(y - mu) / sqrt(e'We - e'WX0 (X0'WX0)^-1 X0'We). The p-value is
    the share of permutations with |z| at least the observed one (the
    unpermuted residual's), counting the observed; the critical value is the
    95th percentile of |z| over the permutations, which replaces 1.96 in the
    Wald interval.
    """
    full, index, perms = perm["full"][:, keep], perm["index"], perm["perms"]
    p = len(labels)
    crit = np.full(p, np.nan)
    pval = np.full(p, np.nan)
    skipped = []
    for k in range(p):
        if labels[k] in NOT_PERMUTED or separated[k]:
            continue
        others = [j for j in range(p) if j != k]
        coef = np.linalg.lstsq(full[:, others], full[:, k], rcond=None)[0]
        resid = full[:, k] - full[:, others] @ coef
        if np.allclose(resid, 0):
            continue
        X0 = X[:, others]
        b0, c0, _, ok0, sep0 = fit_logit(X0, y)
        if not ok0 or sep0.any() or not np.isfinite(c0).all():
            skipped.append(labels[k])
            continue
        mu = _sigmoid(X0 @ b0)
        r, w = y - mu, mu * (1 - mu)

        z_obs = _score_z(resid[index[senders, receivers]], X0, r, w, c0)
        z = np.array([_score_z(resid[index[pi[senders], pi[receivers]]], X0, r, w, c0)
                      for pi in perms])
        az = np.abs(z[np.isfinite(z)])
        if not np.isfinite(z_obs) or az.size < 19:
            skipped.append(labels[k])
            continue
        crit[k] = float(np.quantile(az, 0.95, method="higher"))
        pval[k] = float((1 + np.sum(az >= abs(z_obs) - 1e-12)) / (1 + az.size))
    if skipped:
        notes.append(f"{name}: no DSP interval for {skipped} (the model without the "
                     "term has no finite fit, or too few usable permutations)")
    return crit, pval


def _with_cohort(X: np.ndarray, k: int) -> np.ndarray:
    """Columns of cohort k (0 = programme) pooled: edges, programme, the terms,
    then each term times programme."""
    prog = np.full((len(X), 1), 1.0 if k == 0 else 0.0)
    return np.hstack([X[:, :1], prog, X[:, 1:], X[:, 1:] * prog])


def _permutations(built, n_permutations: int, seed: int, pooled: bool) -> dict:
    """Stacked full-pair columns, the pair index and the person permutations
    (within each cohort, members of both waves only) for the DSP."""
    fulls, offset, groups = [], 0, []
    N = sum(b["n"] for b in built)
    index = np.full((N, N), -1, dtype=np.int64)
    start = 0
    for k, b in enumerate(built):
        F = _with_cohort(b["full"], k) if pooled else b["full"]
        fulls.append(F)
        index[b["all_rows"] + offset, b["all_cols"] + offset] = start + np.arange(len(F))
        start += len(F)
        groups.append(np.flatnonzero(b["member"]) + offset)
        offset += b["n"]
    rng = np.random.default_rng(np.random.SeedSequence(int(seed)))
    perms = np.tile(np.arange(N), (int(n_permutations), 1))
    for r in range(int(n_permutations)):
        for g in groups:
            perms[r, g] = g[rng.permutation(len(g))]
    return {"full": np.vstack(fulls), "index": index, "perms": perms}


def tie_change_model(
    survey,
    before: str,
    after: str,
    *,
    spec: Any = None,
    terms: Sequence[str] | str = DEFAULT_TERMS,
    comparison=None,
    covariates: Mapping[str, Any] | None = None,
    n_permutations: int = 0,
    seed: int = 0,
    n_jobs: int = 1,
) -> TieChangeModel:
    """Fit formation and persistence models of tie change between two waves.

    Conditional on the earlier wave y0, the separable temporal ERGM
    (Krivitsky & Handcock 2014) models the new ties (formation: pairs i -> j
    with no tie in ``before``) and the kept ties (persistence: pairs tied in
    ``before``) separately. With the terms below -- dyad-independent given y0 --
    each part is a logistic regression of the tie in ``after`` on the pair's
    statistics, so the conditional MLE is exact. Pairs whose sender did not
    respond in either wave are missing: dropped and counted in ``pairs``,
    never treated as "no tie". Pairs involving someone who was not a member
    in both waves (roster ``first_wave``/``last_wave``: joined or left) are
    structurally absent (Huisman & Snijders 2003) and counted separately.

    Intervals (95%, log-odds scale; exponentiate for odds ratios), all in the
    tidy table: model-based Wald (inverse Fisher information, which treats
    pairs as independent); dyadic-cluster robust (Aronow, Samii & Assenova
    2015: any two pairs sharing a person may be correlated); and, with
    ``n_permutations``, DSP: double semi-partialling (Dekker, Krackhardt &
    Snijders 2007) -- the term's column is regressed on the other terms over
    all pairs of members, the people of the residual matrix are permuted
    (within each cohort), the permuted residual is scored against the model
    without the term, and its |z| distribution gives the p-value and the
    critical value that
    replaces 1.96 in the Wald interval (estimate +/- critical value x
    model-based standard error); z is the score statistic of the permuted
    residual added to the model without the term (one fit per term, not per
    permutation). DSP is not defined for ``edges`` and ``programme``
    (constant within a cohort).

    Terms: any dyad-independent ergm term (``edges``, ``nodematch(a)``,
    ``nodemix(a)``, ``nodecov(a)``, ``absdiff(a)``, ``nodeofactor(a)``,
    ``nodeifactor(a)``, ``nodefactor(a)``, ``edgecov(name)``) on roster
    columns; ``participants`` (two indicators: both in the programme / exactly
    one; reference neither); ``reciprocated_before`` (j named i in ``before``;
    0 when j did not respond then -- counted in ``notes``);
    ``shared_partners_before`` (number of third people tied, either way, to
    both i and j in ``before``). With ``comparison`` the two cohorts are
    pooled: a ``programme`` indicator and a ``term:programme`` interaction for
    every term but edges are added, so ``programme`` is the difference in
    log-odds between cohorts for a pair with all other terms 0 (e.g. a pair in
    different organisations with nothing in common before).

    Parameters
    ----------
    survey : Survey
        The programme cohort.
    before, after : str
        Wave names.
    spec : str, TieSpec or mapping, optional
        Relation name, or an object/mapping with ``relation`` and
        ``min_strength`` (ties weaker than the threshold count as absent).
    terms : sequence of str or str
        ergm syntax, e.g. ``("edges", "nodematch(organisation)")`` or
        ``"edges + nodematch(organisation)"``. ``edges`` is added when absent.
    comparison : Survey, optional
        A comparison cohort with the same waves and relation.
    covariates : mapping, optional
        ``edgecov`` values by name: an n x n array in roster order, a square
        DataFrame indexed by person id, or a pair table (sender, receiver,
        value; absent pairs 0). Applied to ``survey`` only.
    n_permutations : int
        DSP permutations (0: none, the DSP columns are NaN). 99 to 199 give a
        usable interval; each costs one pass over the pairs per term and part.
    seed : int
        Seed of the DSP permutations (the fit itself is not random).
    n_jobs : int
        Recorded; the permutations run in one process, so results are the
        same for any value.

    Returns
    -------
    TieChangeModel

    Raises
    ------
    InputError
        Unknown wave, relation, term or attribute; dyad-dependent terms.

    References
    ----------
    .. [1] Krivitsky, P. N. & Handcock, M. S. (2014). A separable model for
       dynamic networks. *JRSS B* 76(1), 29-46.
    .. [2] Aronow, P. M., Samii, C. & Assenova, V. A. (2015). Cluster-robust
       variance estimation for dyadic data. *Political Analysis* 23(4), 564-577.
    .. [3] Hanneke, S., Fu, W. & Xing, E. P. (2010). Discrete temporal models of
       social networks. *Electronic Journal of Statistics* 4, 585-605.
    .. [4] Huisman, M. & Snijders, T. A. B. (2003). Statistical analysis of
       longitudinal network data with changing composition. *Sociological
       Methods & Research* 32(2), 253-287.
    .. [5] Dekker, D., Krackhardt, D. & Snijders, T. A. B. (2007). Sensitivity of
       MRQAP tests to collinearity and autocorrelation conditions.
       *Psychometrika* 72(4), 563-581.

    Examples
    --------
    >>> import senatenet as sn
    >>> m = sn.tie_change_model(sn.load_sample(), "pre", "post", spec="advice")
    >>> m.formation[["term", "odds_ratio"]].round(2).iloc[0]["term"]
    'edges'
    >>> int(m.pairs["pairs_used"].sum()) > 0
    True
    """
    parsed: list[Term] = parse_formula(list(terms) if not isinstance(terms, str) else terms)
    if not any(t.name == "edges" for t in parsed):
        parsed = [Term("edges"), *parsed]
    relation, min_strength = _spec(spec, survey)
    cohorts = [(survey, "programme", covariates)]
    if comparison is not None:
        if relation not in comparison.relations:
            raise InputError(f"comparison: no relation {relation!r}; relations: "
                             f"{list(comparison.relations)}")
        cohorts.append((comparison, "comparison", None))
    built = [_cohort_design(s, before, after, relation, min_strength, parsed, cov, lab)
             for s, lab, cov in cohorts]
    labels = built[0]["labels"]
    notes: list[str] = []
    counts: list[dict] = []
    for b in built:
        if b["labels"] != labels:
            raise InputError(f"the comparison cohort gives different terms {b['labels']} "
                             f"from the programme's {labels} (attribute levels differ); use "
                             "terms whose levels exist in both cohorts")
        counts += b["counts"]
        notes += b["notes"]
    pooled = comparison is not None
    design = "comparison" if pooled else "single cohort"
    if not pooled and "participants.one" in labels:
        part = _participant(survey.people)
        if part.any() and not part.all():
            design = "participants"
    Xs, y0s, y1s, ss, rs = [], [], [], [], []
    offset = 0
    for k, b in enumerate(built):
        Xs.append(_with_cohort(b["X"], k) if pooled else b["X"])
        y0s.append(b["y0"])
        y1s.append(b["y1"])
        ss.append(b["rows"] + offset)
        rs.append(b["cols"] + offset)
        offset += b["n"]
    if pooled:
        labels = (labels[:1] + ["programme"] + labels[1:]
                  + [f"{lab}:programme" for lab in labels[1:]])
    X = np.vstack(Xs)
    y0, y1 = np.concatenate(y0s), np.concatenate(y1s)
    senders, receivers = np.concatenate(ss), np.concatenate(rs)
    n_permutations = int(n_permutations)
    if n_permutations < 0:
        raise InputError(f"n_permutations must be 0 or more, not {n_permutations}")
    perm = _permutations(built, n_permutations, seed, pooled) if n_permutations else None
    tables, fits = {}, {}
    for part, sel in (("formation", y0 == 0), ("persistence", y0 == 1)):
        tables[part], fits[part] = _fit_part(part, labels, X[sel], y1[sel], senders[sel],
                                             receivers[sel], notes, perm)
        if fits[part] is not None:
            fits[part]["senders"] = senders[sel]
            fits[part]["receivers"] = receivers[sel]
    try:
        version = importlib.metadata.version("senatenet")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover
        version = "unknown"
    options = {"before": before, "after": after, "relation": relation,
               "min_strength": min_strength, "terms": [t.text() for t in parsed],
               "seed": seed, "n_jobs": n_jobs, "senatenet": version,
               "numpy": np.__version__, "pandas": pd.__version__,
               "n_permutations": n_permutations,
               "interval": INTERVALS if n_permutations else INTERVALS.split("; DSP")[0]}
    fits["n_programme"] = len(survey.people)
    fits["after"] = built[0]["A1"]
    return TieChangeModel(tables["formation"], tables["persistence"], pd.DataFrame(counts),
                          notes, design, options, fits)
