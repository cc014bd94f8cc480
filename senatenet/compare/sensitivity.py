"""Sensitivity ("multiverse") table: do the headline results survive other data choices?"""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pandas as pd

from ..errors import InputError
from ..resample import map_tasks
from ..spec import TieSpec
from .qap import new_seed

__all__ = ["sensitivity", "HEADLINES"]

#: (column, p-value column) of each headline conclusion checked for flips.
HEADLINES = {
    "cross_boundary_change": None,
    "ei_change": "p_ei_change",
    "qap_r": "p_qap",
    "same_org_coef": "p_same_org",
}
_COLUMNS = [
    "variation", "symmetrize", "min_strength", "missing", "people",
    "cross_boundary_before", "cross_boundary_after", "cross_boundary_change",
    "ei_before", "ei_after", "ei_change", "p_ei_change", "qap_r", "p_qap",
    "same_org_coef", "p_same_org", "flipped", "what_changed", "n_permutations", "seed",
]


def _cross(G: nx.Graph, group: str) -> tuple[int, int]:
    """(external, internal) ties of the union graph, each edge once."""
    seen = set()
    ext = 0
    for u, v in G.edges():
        if u == v:
            continue
        key = frozenset((u, v))
        if key in seen:
            continue
        seen.add(key)
        ext += G.nodes[u].get(group) != G.nodes[v].get(group)
    return ext, len(seen) - ext


def _headline(cmp) -> dict:
    """The headline row of one comparison, from its (cached) results."""
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
        m = cmp.mrqap
        term = f"same_{cmp.group}"
        if m is not None and term in m.index:
            row["same_org_coef"] = m.loc[term, "coef"]
            row["p_same_org"] = m.loc[term, "p_abs"]
    return row


def _variant_row(cmp) -> dict:
    """Headline row of a variant (run in a worker by :func:`resample.map_tasks`)."""
    return _headline(cmp)


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
    """Re-run the headline results of a wave comparison under other data choices.

    The headline results are: the change in the number of ties between
    organisations (union graph, each pair once), the change in the E-I index
    with the p-value of :func:`ei_change_swap_test` (each person's answers
    swapped between waves; one-sided, in the direction observed),
    the QAP correlation between waves (one-sided in the direction observed,
    so a significantly negative correlation is a conclusion too) and the MR-QAP
    same-organisation coefficient of ``after ~ before + same organisation (+
    same sector)`` (``p_abs``). They are recomputed for every choice of

    * symmetrisation: ``"union"`` and ``"reciprocal"`` (plus the comparison's
      own, e.g. directed);
    * strength threshold: every strength value present in the data for the
      relation and the two waves (ties with ``strength >= t``);
    * missing-data policy: ``"absent"``, ``"reconstruct"`` and ``"panel"``
      (the balanced panel of people who answered in both waves).

    The baseline row is **not re-run**: it is read from the comparison's own
    (cached) results, with the comparison's ``n_permutations``, whenever
    ``seed`` is the comparison's seed (the default). Each other row is the
    same comparison under another :class:`TieSpec`, computed lazily (only
    the graphs and the three tests it needs); the rows run through the
    resampling engine (:func:`senatenet.resample.map_tasks`), so ``n_jobs``
    spreads them over processes or a Dask cluster with identical results.

    A row is **flagged** (``flipped``) when any conclusion differs from the
    first row (the comparison's own choices); ``what_changed`` names them. The
    conclusion of the cross-boundary change is its direction (up, down, none);
    that of a tested result is "significantly positive", "significantly
    negative" (p < ``alpha``) or "not significant", so a flag means a change
    of direction or of significance.

    Parameters
    ----------
    comparison : WaveComparison
        From :func:`compare_waves`; its survey, waves, relation, group and
        options are the baseline.
    symmetrize, thresholds, missing : sequence, optional
        The alternatives to try (defaults above; ``thresholds=None`` takes the
        strengths in the data).
    grid : {"one_at_a_time", "full"}
        Vary one choice at a time from the baseline (default), or every
        combination.
    n_permutations : int
        Permutations per test and row (default 200, to stay fast).
    alpha : float
        Significance level for the flags.
    seed : int, optional
        Default: the comparison's seed. Every row uses the same seeds.
    n_jobs : int
        Workers for the variants (see :mod:`senatenet.resample`).
    specs : list of TieSpec, optional
        Explicit variants to run instead of the grid (each row's
        ``variation`` is then ``"spec"``).

    Returns
    -------
    pandas.DataFrame
        One row per set of choices, the baseline first: ``variation`` (what
        was varied), ``symmetrize``, ``min_strength``, ``missing``, ``people``,
        ``cross_boundary_before/after/change``, ``ei_before``, ``ei_after``,
        ``ei_change``, ``p_ei_change``, ``qap_r``, ``p_qap``, ``same_org_coef``,
        ``p_same_org``, ``flipped`` (bool), ``what_changed`` (str),
        ``n_permutations``, ``seed``. p-values are (k + 1) / (R + 1).

    References
    ----------
    Steegen, S., Tuerlinckx, F., Gelman, A. & Vanpaemel, W. (2016). Increasing
    transparency through a multiverse analysis. Perspectives on Psychological
    Science 11(5), 702-712.
    Huisman, M. (2009). Imputation of missing network data: some simple
    procedures. Journal of Social Structure 10(1).
    Smith, J. A., Morgan, J. H. & Moody, J. (2021). Network sampling coverage
    III: imputation of missing network data under different network and
    missing data conditions. Social Networks 68, 148-178.

    Examples
    --------
    >>> import senatenet as sn
    >>> cmp = sn.compare_waves(sn.load_sample(), "pre", "post", relation="collaborate",
    ...                        symmetrize="union", n_permutations=50, seed=1)
    >>> table = sn.sensitivity(cmp, n_permutations=20)
    >>> table.loc[0, "variation"], bool(table.loc[0, "flipped"])
    ('baseline', False)
    """
    extra = specs
    if grid not in ("one_at_a_time", "full"):
        raise InputError(f"grid must be 'one_at_a_time' or 'full', not {grid!r}")
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
    specs: list[tuple[str, tuple]] = [("baseline", base)]
    if grid == "full":
        for combo in itertools.product(sym_opts, ms_opts, mi_opts):
            if combo != base:
                specs.append(("combination", combo))
    else:
        for i, (name, values) in enumerate(
            (("symmetrize", sym_opts), ("min_strength", ms_opts), ("missing", mi_opts))
        ):
            for value in values:
                combo = list(base)
                combo[i] = value
                if tuple(combo) != base:
                    specs.append((name, tuple(combo)))
    variants: list[tuple[str, TieSpec]] = []
    base_spec = comparison.spec
    for variation, (sym, ms, mi) in specs[1:]:
        variants.append((variation, base_spec.replace(
            symmetrize=sym, min_strength=ms, missing=mi,
            panel_waves=(before, after) if mi == "panel" else None)))
    if extra is not None:
        variants = [("spec", s if s.relation is not None else s.replace(relation=relation))
                    for s in extra]
    R = int(n_permutations)
    if int(seed) == comparison.seed:
        baseline = _headline(comparison)  # reused, not re-run
    else:
        baseline = _headline(comparison.variant(base_spec, n_permutations=R, seed=int(seed),
                                                n_jobs=1, progress=False))
    baseline["variation"] = "baseline"
    tasks = [comparison.variant(spec, n_permutations=R, seed=int(seed), n_jobs=1,
                                progress=False) for _, spec in variants]
    rows = [baseline]
    for (variation, _), row in zip(variants, map_tasks(_variant_row, tasks, n_jobs=n_jobs),
                                   strict=True):
        row["variation"] = variation
        rows.append(row)
    baseline = rows[0]
    for row in rows:
        changed = [
            col for col, pcol in HEADLINES.items()
            if _conclusion(row, col, pcol, alpha) != _conclusion(baseline, col, pcol, alpha)
        ]
        row["flipped"] = bool(changed)
        row["what_changed"] = ", ".join(changed)
    out = pd.DataFrame(rows, columns=_COLUMNS)
    out["flipped"] = out["flipped"].astype(bool)
    out["min_strength"] = out["min_strength"].astype(float)
    out.attrs.update(alpha=alpha, grid=grid, seed=seed, n_permutations=int(n_permutations),
                     baseline=dict(zip(("symmetrize", "min_strength", "missing"), base,
                                       strict=True)))
    return out
