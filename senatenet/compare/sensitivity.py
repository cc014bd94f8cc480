"""Sensitivity table: does the primary result survive other analytic choices, and how
do other definitions of a tie change the estimates?"""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pandas as pd

from ..errors import InputError
from ..resample import map_tasks
from ..spec import TieSpec
from .qap import new_seed

__all__ = ["sensitivity", "HEADLINES"]

#: ``kind`` of a row that changes an analytic choice for the same relation
#: (missing-data policy, balanced panel): only these can make the primary
#: result fragile.
ANALYTIC = "analytic choice"
#: ``kind`` of a row that redefines the tie (symmetrisation, strength
#: threshold): a different relation, shown with its own estimates.
TIE_DEFINITION = "tie definition"

#: (column, p-value column) of each secondary conclusion compared with the
#: baseline (descriptive: they never make the result fragile).
HEADLINES = {
    "cross_boundary_change": None,
    "ei_change": "p_ei_change",
    "qap_r": "p_qap",
    "same_org_coef": "p_same_org",
}
_COLUMNS = [
    "variation", "kind", "symmetrize", "min_strength", "missing", "people",
    "primary", "primary_low", "primary_high", "primary_p", "primary_changed",
    "cross_boundary_before", "cross_boundary_after", "cross_boundary_change",
    "ei_before", "ei_after", "ei_change", "p_ei_change", "qap_r", "p_qap",
    "same_org_coef", "p_same_org", "flipped", "what_changed", "n_permutations", "seed",
]


def _cross(G: nx.Graph, group: str) -> tuple[int, int]:
    """(external, internal) ties of the union graph, each edge once (a pair is
    external when the two people's ``group`` values differ, ``!=``)."""
    index = {n: i for i, n in enumerate(G)}
    codes: dict = {}
    code = np.empty(len(index), dtype=np.int64)
    for n, i in index.items():
        value = G.nodes[n].get(group)
        if isinstance(value, float) and value != value:  # NaN differs from all
            code[i] = -1 - i
        else:
            code[i] = codes.setdefault(value, len(codes))
    if G.number_of_edges() == 0:
        return 0, 0
    uv = np.array([(index[u], index[v]) for u, v in G.edges()], dtype=np.int64)
    uv = uv[uv[:, 0] != uv[:, 1]]
    a, b = uv.min(axis=1), uv.max(axis=1)
    keys, first = np.unique(a * len(index) + b, return_index=True)
    ext = int((code[a[first]] != code[b[first]]).sum())
    return ext, len(keys) - ext


def _headline(cmp, *, variant: bool = False) -> dict:
    """The headline row of one comparison, from its (cached) results; for a
    ``variant`` only the MR-QAP term the row reports is permuted (its p-value
    is the same as in the full model's run, a quarter of the work)."""
    G1, G2 = cmp.graphs["before"], cmp.graphs["after"]
    (e1, _), (e2, _) = _cross(G1, cmp.group), _cross(G2, cmp.group)
    spec = cmp.spec
    row = {
        "symmetrize": spec.symmetrize if spec.symmetrize is not None else "none (directed)",
        "min_strength": spec.min_strength, "missing": spec.missing,
        "people": G1.number_of_nodes(),
        "cross_boundary_before": e1, "cross_boundary_after": e2,
        "cross_boundary_change": e2 - e1, "n_permutations": int(cmp.n_permutations),
        "seed": cmp.seed,
    }
    ei = cmp.swap_test
    row.update(ei_before=ei["ei_before"], ei_after=ei["ei_after"], ei_change=ei["observed"])
    # one-sided in the direction observed: the question is "is this shift chance?"
    row["p_ei_change"] = ei["p_greater"] if ei["observed"] >= 0 else ei["p_less"]
    row["qap_r"] = row["p_qap"] = row["same_org_coef"] = row["p_same_org"] = np.nan
    q = cmp.qap
    if q is not None:
        row["qap_r"] = q.observed
        row["p_qap"] = q.p_less if q.observed < 0 else q.p_greater  # direction observed
        term = f"same_{cmp.group}"
        m = cmp._mrqap_table(permute=(term,))[0] if variant else cmp.mrqap
        if m is not None and term in m.index:
            row["same_org_coef"] = m.loc[term, "coef"]
            row["p_same_org"] = m.loc[term, "p_abs"]
    return row


def _variant_row(cmp) -> dict:
    """Headline row of a variant (run in a worker by :func:`resample.map_tasks`)."""
    return _headline(cmp, variant=True)


def _conclusion(row, col, pcol, alpha) -> str:
    """"up"/"down"/"none", or for a tested result "up"/"down" only when p < alpha
    (a non-significant result has no direction to flip)."""
    value = row[col]
    if value != value:
        return "undefined"
    direction = "up" if value > 0 else "down" if value < 0 else "none"
    if pcol is None:
        return direction
    p = row[pcol]
    return direction if (p == p and p < alpha) else "not significant"


def _primary_conclusion(est: float, lo: float, hi: float) -> tuple[float, bool] | None:
    """(sign, interval excludes 0) of a primary estimate, or None when undefined."""
    if not all(math.isfinite(v) for v in (est, lo, hi)):
        return None
    return float(np.sign(est)), bool(lo > 0 or hi < 0)


def _primary_row(comparison, spec: TieSpec, alpha: float) -> dict:
    """The primary estimand of :func:`senatenet.evaluate` under ``spec``."""
    from ..evaluation.evaluation import primary_estimate

    est = primary_estimate(comparison.survey, comparison.before, comparison.after,
                           relation=comparison.relation, min_strength=spec.min_strength,
                           symmetrize=spec.symmetrize, missing=spec.missing,
                           group=comparison.group, level=1 - alpha)
    return {"primary": est["estimate"], "primary_low": est["ci_low"],
            "primary_high": est["ci_high"], "primary_p": est["p"],
            "_primary_estimand": est["estimand"], "_primary_group": est["group"]}


def _kind(base: tuple, combo: tuple) -> str:
    if combo == base:
        return "baseline"
    return ANALYTIC if combo[:2] == base[:2] else TIE_DEFINITION


def _same_by_construction(combo: tuple) -> tuple:
    """Under union ties ``missing="reconstruct"`` equals ``"absent"`` (a reconstructed
    tie of a non-respondent is the partner's own nomination, already in the union)."""
    sym, ms, mi = combo
    return (sym, ms, "absent") if sym == "union" and mi == "reconstruct" else combo


def sensitivity(
    comparison,
    *,
    symmetrize=None,
    thresholds=None,
    missing=("absent", "reconstruct", "panel"),
    grid: str = "one_at_a_time",
    n_permutations: int = 200,
    alpha: float = 0.05,
    seed: int | None = None,
    n_jobs: int | None = 1,
    specs: list[TieSpec] | None = None,
) -> pd.DataFrame:
    """The primary result under other analytic choices, and other tie definitions.

    Two kinds of row answer two questions (Simonsohn, Simmons & Nelson 2020):

    * **analytic choices for the same relation** (``kind = "analytic
      choice"``): the missing-data policy (``"absent"``, ``"reconstruct"``)
      and the balanced panel of people who answered both waves
      (``"panel"``). If the **primary estimand** (that of
      :func:`senatenet.evaluate`: cross-organisation formation, judged for a
      single cohort on the net change in cross-organisation density; for a
      roster of participants and non-participants, participant minus
      non-participant pairs) changes sign, or its interval stops or starts
      excluding 0, under such a choice, the row is flagged (``flipped``) and
      the result is **fragile** (``attrs["fragile"]``, with the reason in
      ``attrs["reason"]``).
    * **redefinitions of the tie** (``kind = "tie definition"``): union or
      reciprocal ties and each strength threshold define a different
      relation, so each row has its own estimates (e.g. weak and strong ties
      may behave differently; Granovetter 1973). They are never "fragile".

    Every row gives the primary estimate with its person-level jackknife
    interval (level ``1 - alpha``) and Wald p (``primary``, ``primary_low``,
    ``primary_high``, ``primary_p``; no permutations), and ``primary_changed``
    when its conclusion (sign, interval excluding 0) differs from the
    baseline's. The secondary, descriptive results follow: the change in the
    number of ties between organisations (union graph, each pair once), the
    E-I change with the p-value of :func:`ei_change_swap_test` (one-sided, in
    the direction observed), the QAP correlation between waves and the
    MR-QAP same-organisation coefficient (``p_abs``); ``what_changed`` lists
    every conclusion that differs from the baseline (``primary`` first), but
    a changed secondary conclusion never flags a row.

    ``missing="reconstruct"`` is identical to ``"absent"`` by construction
    when ties are union-symmetrised (a non-respondent's reconstructed tie is
    the partner's own nomination, which the union already holds), so such a
    row is **left out** (``attrs["left_out"]`` says so); it is kept for
    reciprocal and directed ties, where it changes the numbers.

    The baseline row's secondary results are **not re-run**: they are read
    from the comparison's own (cached) results whenever ``seed`` is the
    comparison's seed (the default). Each other row is the same comparison
    under another :class:`TieSpec`; the rows run through the resampling
    engine (:func:`senatenet.resample.map_tasks`), so ``n_jobs`` spreads them
    over processes or a Dask cluster with identical results.

    Parameters
    ----------
    comparison : WaveComparison
        From :func:`compare_waves`; its survey, waves, relation, group and
        options are the baseline.
    symmetrize, thresholds, missing : sequence, optional
        The alternatives to try (symmetrize default ``("union",
        "reciprocal")``; ``thresholds=None`` takes the strengths in the data).
    grid : {"one_at_a_time", "full"}
        Vary one choice at a time from the baseline (default), or every
        combination.
    n_permutations : int
        Permutations per secondary test and row (default 200, to stay fast).
    alpha : float
        Level of the secondary tests' conclusions; the primary intervals have
        coverage ``1 - alpha``.
    seed : int, optional
        Default: the comparison's seed. Every row uses the same seeds.
    n_jobs : int
        Workers for the variants (see :mod:`senatenet.resample`).
    specs : list of TieSpec, optional
        Explicit variants to run instead of the grid (each row's
        ``variation`` is then ``"spec"``; its ``kind`` follows what differs
        from the baseline).

    Returns
    -------
    pandas.DataFrame
        One row per set of choices, the baseline first: ``variation`` (what
        was varied), ``kind`` (``"baseline"``, ``"analytic choice"``, ``"tie
        definition"``), ``symmetrize``, ``min_strength``, ``missing``,
        ``people``, ``primary``, ``primary_low``, ``primary_high``,
        ``primary_p``, ``primary_changed`` (bool),
        ``cross_boundary_before/after/change``, ``ei_before``, ``ei_after``,
        ``ei_change``, ``p_ei_change``, ``qap_r``, ``p_qap``, ``same_org_coef``,
        ``p_same_org``, ``flipped`` (bool: an analytic choice that changes the
        primary conclusion), ``what_changed`` (str), ``n_permutations``,
        ``seed``. p-values of the secondary tests are (k + 1) / (R + 1).
        ``attrs``: ``fragile`` (bool), ``reason`` (str, empty when not
        fragile), ``primary_estimand``, ``primary_group``, ``left_out``
        (list of str), ``alpha``, ``grid``, ``seed``, ``n_permutations``,
        ``baseline``.

    References
    ----------
    Simonsohn, U., Simmons, J. P. & Nelson, L. D. (2020). Specification curve
    analysis. Nature Human Behaviour 4, 1208-1214.
    Steegen, S., Tuerlinckx, F., Gelman, A. & Vanpaemel, W. (2016). Increasing
    transparency through a multiverse analysis. Perspectives on Psychological
    Science 11(5), 702-712.
    Huisman, M. (2009). Imputation of missing network data: some simple
    procedures. Journal of Social Structure 10(1).
    Granovetter, M. S. (1973). The strength of weak ties. American Journal of
    Sociology 78(6), 1360-1380.

    Examples
    --------
    >>> import senatenet as sn
    >>> cmp = sn.compare_waves(sn.load_sample(), "pre", "post", relation="collaborate",
    ...                        symmetrize="union", n_permutations=50, seed=1)
    >>> table = sn.sensitivity(cmp, n_permutations=20)
    >>> table.loc[0, "variation"], bool(table.loc[0, "flipped"])
    ('baseline', False)
    >>> sorted(set(table["kind"]))
    ['analytic choice', 'baseline', 'tie definition']
    """
    extra = specs
    if grid not in ("one_at_a_time", "full"):
        raise InputError(f"grid must be 'one_at_a_time' or 'full', not {grid!r}")
    if not 0 < alpha < 1:
        raise InputError("alpha must be between 0 and 1")
    opts = comparison.options
    survey, before, after = comparison.survey, comparison.before, comparison.after
    relation = comparison.relation
    seed = opts.get("seed") if seed is None else seed
    if seed is None:
        seed = new_seed()
    base = (opts["symmetrize"], opts["min_strength"], opts["missing"])
    if symmetrize is None:
        symmetrize = ("union", "reciprocal")
    if thresholds is None:
        t = survey.ties
        sel = t["relation"].eq(relation) & t["wave"].isin([before, after])
        thresholds = sorted(float(x) for x in t.loc[sel, "strength"].dropna().unique())
    sym_opts = list(dict.fromkeys([base[0], *symmetrize]))
    ms_opts = list(dict.fromkeys([base[1], *thresholds]))
    mi_opts = list(dict.fromkeys([base[2], *missing]))
    combos: list[tuple[str, tuple]] = []
    if grid == "full":
        for combo in itertools.product(sym_opts, ms_opts, mi_opts):
            if combo != base:
                combos.append(("combination", combo))
    else:
        for i, (name, values) in enumerate(
            (("symmetrize", sym_opts), ("min_strength", ms_opts), ("missing", mi_opts))
        ):
            for value in values:
                combo = list(base)
                combo[i] = value
                if tuple(combo) != base:
                    combos.append((name, tuple(combo)))
    # leave out rows identical to another by construction (reconstruct = absent
    # under union ties), saying so
    seen = {_same_by_construction(base)}
    kept, left_out = [], []
    for variation, combo in combos:
        key = _same_by_construction(combo)
        if key in seen:
            strength = "any strength" if combo[1] is None else f"strength >= {combo[1]:g}"
            left_out.append(f"missing='{combo[2]}' with {combo[0]} ties ({strength}): "
                            "identical to missing='absent' by construction (union ties "
                            "already hold the partner's nomination)"
                            if combo[2] == "reconstruct" else f"{combo}: duplicate")
            continue
        seen.add(key)
        kept.append((variation, combo))
    base_spec = comparison.spec
    variants: list[tuple[str, str, TieSpec]] = []
    for variation, (sym, ms, mi) in kept:
        variants.append((variation, _kind(base, (sym, ms, mi)), base_spec.replace(
            symmetrize=sym, min_strength=ms, missing=mi,
            panel_waves=(before, after) if mi == "panel" else None)))
    if extra is not None:
        variants = []
        for s in extra:
            s = s if s.relation is not None else s.replace(relation=relation)
            variants.append(("spec", _kind(base, (s.symmetrize, s.min_strength, s.missing)),
                             s))
    R = int(n_permutations)
    if int(seed) == comparison.seed:
        baseline = _headline(comparison)  # reused, not re-run
    else:
        baseline = _headline(comparison.variant(base_spec, n_permutations=R, seed=int(seed),
                                                n_jobs=1, progress=False), variant=True)
    baseline.update(variation="baseline", kind="baseline")
    baseline.update(_primary_row(comparison, base_spec, alpha))
    tasks = [comparison.variant(spec, n_permutations=R, seed=int(seed), n_jobs=1,
                                progress=False) for _, _, spec in variants]
    rows = [baseline]
    for (variation, kind, spec), row in zip(
            variants, map_tasks(_variant_row, tasks, n_jobs=n_jobs), strict=True):
        row.update(variation=variation, kind=kind)
        row.update(_primary_row(comparison, spec, alpha))
        rows.append(row)
    baseline = rows[0]
    ref = _primary_conclusion(baseline["primary"], baseline["primary_low"],
                              baseline["primary_high"])
    reasons = []
    for row in rows:
        mine = _primary_conclusion(row["primary"], row["primary_low"], row["primary_high"])
        row["primary_changed"] = bool(mine != ref)
        changed = ["primary"] if row["primary_changed"] else []
        changed += [
            col for col, pcol in HEADLINES.items()
            if _conclusion(row, col, pcol, alpha) != _conclusion(baseline, col, pcol, alpha)
        ]
        row["flipped"] = bool(row["primary_changed"] and row["kind"] == ANALYTIC)
        row["what_changed"] = ", ".join(changed)
        if row["flipped"]:
            reasons.append(_reason(row, baseline, alpha))
    estimand, group = baseline["_primary_estimand"], baseline["_primary_group"]
    out = pd.DataFrame(rows, columns=_COLUMNS)
    out["flipped"] = out["flipped"].astype(bool)
    out["primary_changed"] = out["primary_changed"].astype(bool)
    out["min_strength"] = out["min_strength"].astype(float)
    out.attrs.update(alpha=alpha, grid=grid, seed=seed, n_permutations=int(n_permutations),
                     baseline=dict(zip(("symmetrize", "min_strength", "missing"), base,
                                       strict=True)),
                     fragile=bool(reasons), reason="; ".join(reasons),
                     primary_estimand=estimand, primary_group=group, left_out=left_out)
    return out


def _interval_text(row) -> str:
    def f(v):
        return f"{v:+.3f}".replace("-", "\u2212") if math.isfinite(v) else "undefined"
    return f"{f(row['primary'])} ({f(row['primary_low'])} to {f(row['primary_high'])})"


def _reason(row, baseline, alpha) -> str:
    what = ("the balanced panel (people who answered both waves)" if row["missing"] == "panel"
            else f"missing={row['missing']!r}")
    return (f"under {what} the primary estimate is {_interval_text(row)} against "
            f"{_interval_text(baseline)} in the main analysis "
            f"({round(100 * (1 - alpha))}% intervals)")
