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
from ._logit import dyadic_cluster_cov, fit_logit
from ._terms import DYAD_DEPENDENT, Context, columns

__all__ = ["tie_change_model", "TieChangeModel"]

DEFAULT_TERMS = ("edges", "nodematch(organisation)", "reciprocated_before",
                 "shared_partners_before")
LAGGED = {"participants", "reciprocated_before", "shared_partners_before"}
Z95 = 1.959963984540054
TABLE_COLUMNS = ["term", "estimate", "odds_ratio", "std_error", "ci_low", "ci_high", "p",
                 "robust_std_error", "robust_ci_low", "robust_ci_high", "robust_p"]


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
        person to be correlated). Prefer the robust columns: pairs are not
        independent.
    pairs : pandas.DataFrame
        Per cohort and part: pairs used, new/kept ties, and pairs dropped
        because the sender did not respond in one of the waves (missing, never
        zeros).
    notes : list of str
        Everything the fit changed or could not do (terms left out because they
        do not vary, separation, unobserved lagged nominations).
    design : str
        ``"single cohort"``, ``"comparison"`` (pooled with a comparison cohort
        and cohort interactions) or ``"participants"`` (participants and
        non-participants in one cohort).
    options : dict
        Waves, relation, threshold, terms, seed, versions.

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
            "Handcock 2014); robust = dyadic-cluster sandwich (Aronow, Samii & "
            "Assenova 2015).",
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
    relations = survey.relations
    if relation is None:
        if len(relations) != 1:
            raise InputError(f"the survey has several relations {list(relations)}; choose "
                             "one with spec='advice' (or a TieSpec)")
        relation = relations[0]
    if relation not in relations:
        raise InputError(f"unknown relation {relation!r}; relations: {list(relations)}")
    return relation, min_strength


def _adjacency(survey, wave: str, relation: str, min_strength) -> np.ndarray:
    ids = survey.people.index
    t = survey.ties
    t = t[t["wave"].eq(wave) & t["relation"].eq(relation)]
    if min_strength is not None:
        t = t[t["strength"] >= float(min_strength)]
    A = np.zeros((len(ids), len(ids)))
    A[ids.get_indexer(t["respondent"]), ids.get_indexer(t["alter"])] = 1.0
    return A


def _pair_covariate(name: str, value: Any, ids: pd.Index) -> np.ndarray:
    n = len(ids)
    if isinstance(value, pd.DataFrame) and value.shape[1] == 3 and not (
        value.shape[0] == n and set(map(str, value.columns)) == set(ids)
    ):
        a, b, w = (value.iloc[:, k] for k in range(3))
        ia = ids.get_indexer(a.astype(str))
        ib = ids.get_indexer(b.astype(str))
        bad = np.flatnonzero((ia < 0) | (ib < 0))
        if bad.size:
            raise InputError(f"covariates[{name!r}]: row {int(bad[0]) + 1} names a person "
                             f"not on the roster ({a.iloc[bad[0]]!r} -> {b.iloc[bad[0]]!r})")
        M = np.zeros((n, n))
        M[ia, ib] = pd.to_numeric(w, errors="raise").to_numpy(dtype=float)
        return M
    if isinstance(value, pd.DataFrame):
        try:
            return value.loc[list(ids), list(ids)].to_numpy(dtype=float)
        except KeyError as exc:
            raise InputError(f"covariates[{name!r}]: a square DataFrame must be indexed "
                             "by every person id (rows and columns)") from exc
    M = np.asarray(value, dtype=float)
    if M.shape != (n, n):
        raise InputError(f"covariates[{name!r}]: expected an {n} x {n} matrix in roster "
                         f"order, a square DataFrame or a pair table; got shape {M.shape}")
    return M


def _participant(people: pd.DataFrame) -> np.ndarray:
    col = people["participant"]
    if col.isna().any():
        who = list(col.index[col.isna()][:5])
        raise InputError(f"participants: 'participant' is missing for {int(col.isna().sum())} "
                         f"people (e.g. {who})")
    return col.astype(bool).to_numpy()


def _cohort_design(survey, before, after, relation, min_strength, terms, covariates, label):
    """Columns for one cohort: (labels, X per part, y per part, senders, receivers, counts, notes)."""
    for w in (before, after):
        if w not in survey.waves:
            raise InputError(f"{label}: unknown wave {w!r}; waves: {list(survey.waves)}")
    people = survey.people
    ids = people.index
    n = len(ids)
    A0 = _adjacency(survey, before, relation, min_strength)
    A1 = _adjacency(survey, after, relation, min_strength)
    resp0 = ids.isin(list(survey.responded(before)))
    resp1 = ids.isin(list(survey.responded(after)))
    off = ~np.eye(n, dtype=bool)
    observed = off & resp0[:, None] & resp1[:, None]
    rows, cols = np.nonzero(observed)
    notes: list[str] = []
    covs = {str(k): _pair_covariate(str(k), v, ids) for k, v in (covariates or {}).items()}
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
            both = (part[:, None] & part[None, :]).astype(float)
            one = (part[:, None] ^ part[None, :]).astype(float)
            labels += ["participants.both", "participants.one"]
            mats += [both, one]
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
    no0 = int((off & ~resp0[:, None]).sum())
    no1 = int((off & resp0[:, None] & ~resp1[:, None]).sum())
    counts = []
    for part, sel in (("formation", y0 == 0), ("persistence", y0 == 1)):
        counts.append({
            "cohort": label, "part": part, "pairs_used": int(sel.sum()),
            "ties_after": int(y1[sel].sum()),
            "dropped_sender_no_response_before": no0 if part == "formation" else 0,
            "dropped_sender_no_response_after": no1 if part == "formation" else 0,
            "possible_pairs": n_off if part == "formation" else 0,
        })
    if no0 or no1:
        notes.append(f"{label}: {no0 + no1} of {n_off} ordered pairs dropped as missing "
                     f"(sender did not respond in {before!r}: {no0}; in {after!r}: {no1})")
    return labels, X, y0, y1, rows, cols, counts, notes, A1


def _tidy(labels, beta, cov, rcov, separated) -> pd.DataFrame:
    se = np.sqrt(np.diag(cov))
    rdiag = np.diag(rcov)
    # the dyadic sandwich is not guaranteed positive: no interval where it is not
    rse = np.sqrt(np.where(rdiag > 0, rdiag, np.nan))
    bad = np.asarray(separated)
    se = np.where(bad, np.nan, se)
    rse = np.where(bad, np.nan, rse)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        beta = np.where(bad, np.where(beta > 0, np.inf, -np.inf), beta)
        return _table(labels, beta, se, rse)


def _table(labels, beta, se, rse) -> pd.DataFrame:
    from scipy import stats  # lazily: scipy.stats costs ~1 s to import

    out = pd.DataFrame({
        "term": labels,
        "estimate": beta,
        "odds_ratio": np.exp(beta),
        "std_error": se,
        "ci_low": beta - Z95 * se,
        "ci_high": beta + Z95 * se,
        "p": 2 * stats.norm.sf(np.abs(beta / se)),
        "robust_std_error": rse,
        "robust_ci_low": beta - Z95 * rse,
        "robust_ci_high": beta + Z95 * rse,
        "robust_p": 2 * stats.norm.sf(np.abs(beta / rse)),
    })
    return out[TABLE_COLUMNS]


def _fit_part(name, labels, X, y, senders, receivers, notes):
    if len(y) == 0:
        notes.append(f"{name}: no pairs to model")
        empty = pd.DataFrame({c: pd.Series(dtype=float) for c in TABLE_COLUMNS})
        empty["term"] = pd.Series(dtype=object)
        return empty, None
    keep = []
    for k, lab in enumerate(labels):
        col = X[:, k]
        if lab != "edges" and np.all(col == col[0]):
            notes.append(f"{name}: {lab} is the same for every pair, so it cannot be "
                         "estimated; left out")
            continue
        keep.append(k)
    labels = [labels[k] for k in keep]
    X = X[:, keep]
    # drop exactly collinear columns (e.g. a level absent from these pairs)
    rank_keep: list[int] = []
    for k in range(X.shape[1]):
        trial = rank_keep + [k]
        if np.linalg.matrix_rank(X[:, trial]) == len(trial):
            rank_keep.append(k)
        else:
            notes.append(f"{name}: {labels[k]} is a combination of the other terms on "
                         "these pairs; left out")
    labels = [labels[k] for k in rank_keep]
    X = X[:, rank_keep]
    beta, cov, loglik, converged, separated = fit_logit(X, y)
    if separated.any():
        notes.append(f"{name}: no finite estimate for "
                     f"{[lab for lab, s in zip(labels, separated, strict=False) if s]} (the outcome is "
                     "the same for every pair with that value: separation); their "
                     "standard errors are not shown")
    if not converged:
        notes.append(f"{name}: the fit did not converge")
    rcov = dyadic_cluster_cov(X, y, beta, cov, senders, receivers) if np.isfinite(cov).all() \
        else np.full_like(cov, np.nan)
    fit = {"labels": labels, "X": X, "y": y, "beta": beta, "loglik": loglik}
    return _tidy(labels, beta, cov, rcov, separated), fit


def tie_change_model(
    survey,
    before: str,
    after: str,
    *,
    spec: Any = None,
    terms: Sequence[str] | str = DEFAULT_TERMS,
    comparison=None,
    covariates: Mapping[str, Any] | None = None,
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
    never treated as "no tie".

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
    seed : int
        Recorded; no step of the fit is random.
    n_jobs : int
        Recorded; the fit is a closed-form iteration.

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
    labels = built[0][0]
    notes: list[str] = []
    counts: list[dict] = []
    for b in built:
        if b[0] != labels:
            raise InputError(f"the comparison cohort gives different terms {b[0]} from the "
                             f"programme's {labels} (attribute levels differ); use terms "
                             "whose levels exist in both cohorts")
        counts += b[6]
        notes += b[7]
    if comparison is None:
        design = "single cohort"
        X = built[0][1]
        y0, y1 = built[0][2], built[0][3]
        senders, receivers = built[0][4], built[0][5]
        if "participants.one" in labels:
            part = _participant(survey.people)
            if part.any() and not part.all():
                design = "participants"
    else:
        design = "comparison"
        offset = len(survey.people)
        Xs, y0s, y1s, ss, rs = [], [], [], [], []
        for k, b in enumerate(built):
            prog = np.full((len(b[2]), 1), 1.0 if k == 0 else 0.0)
            inter = b[1][:, 1:] * prog
            Xs.append(np.hstack([b[1][:, :1], prog, b[1][:, 1:], inter]))
            y0s.append(b[2])
            y1s.append(b[3])
            ss.append(b[4] + k * offset)
            rs.append(b[5] + k * offset)
        labels = (labels[:1] + ["programme"] + labels[1:]
                  + [f"{lab}:programme" for lab in labels[1:]])
        X = np.vstack(Xs)
        y0, y1 = np.concatenate(y0s), np.concatenate(y1s)
        senders, receivers = np.concatenate(ss), np.concatenate(rs)
    tables, fits = {}, {}
    for part, sel in (("formation", y0 == 0), ("persistence", y0 == 1)):
        tables[part], fits[part] = _fit_part(part, labels, X[sel], y1[sel], senders[sel],
                                             receivers[sel], notes)
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
               "interval": "95% Wald; robust = dyadic-cluster sandwich (Aronow, Samii & "
                           "Assenova 2015)"}
    fits["n_programme"] = len(survey.people)
    fits["after"] = built[0][8]
    return TieChangeModel(tables["formation"], tables["persistence"], pd.DataFrame(counts),
                          notes, design, options, fits)
