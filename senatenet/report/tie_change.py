"""The report's section "What explains the new ties": the formation model.

A separable temporal ERGM (:func:`~senatenet.tie_change_model`, Krivitsky &
Handcock 2014) fitted on the report's own waves, relation and threshold: a
formation model on the pairs not tied before and a persistence model on the
pairs tied before, each a logistic regression on the organisation, returned
nominations and shared colleagues of the earlier wave. Intervals respect the
dependence between pairs that share a person (dyadic-cluster robust and DSP
permutation, seeded with the report's seed). It is fast (logistic fits and a
few dozen permutations); the stochastic actor-oriented model is not run here
(``senatenet model saom``).

The wording follows the design (:func:`~senatenet.describe_tie_change`): with
a comparison cohort surveyed in the same waves the two are pooled with cohort
interactions and the programme contrast is stated, with its assumption; with
participants and non-participants in one cohort the participant contrast is
stated; with one cohort of participants the section describes which pairs
formed ties and says that it cannot show the programme caused them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from .html import table_view

if TYPE_CHECKING:
    from .content import ReportContent

__all__: list[str] = []

#: DSP permutations in the report (at most the report's own number).
N_PERMUTATIONS = 99
_CACHE = "_tie_change_model"
METHOD_WORDS = {"model": "model-based (Wald)", "robust": "dyadic-cluster robust",
                "DSP": "DSP permutation", "none": "not estimable"}
TERM_WORDS = {
    "edges": "baseline (every pair)",
    "programme": "programme cohort (vs comparison), pair in different organisations",
    "nodematch.organisation": "same organisation",
    "reciprocated_before": "returned nomination waiting (named by the other before)",
    "shared_partners_before": "each shared colleague before",
    "participants.both": "both took part (vs neither)",
    "participants.one": "one took part (vs neither)",
}


def _term_words(term: str) -> str:
    if term.endswith(":programme"):
        return (f"{_term_words(term[: -len(':programme')])}: programme vs comparison "
                "(ratio of odds ratios)")
    return TERM_WORDS.get(term, term)


def _comparison(content: ReportContent):
    """The first comparison cohort surveyed in both waves with the relation."""
    for name, other in (getattr(content, "comparison_surveys", None) or {}).items():
        waves = getattr(other, "waves", ())
        if content.before in waves and content.after in waves and (
                content.relation is None or content.relation in other.relations):
            return name, other
    return None, None


def _terms(content: ReportContent, pooled: bool) -> tuple[str, ...]:
    from ..models.tie_change import DEFAULT_TERMS

    terms = DEFAULT_TERMS
    people = content.survey.people
    if not pooled and "participant" in people.columns:
        part = people["participant"]
        if part.notna().all() and part.astype(bool).nunique() == 2:
            terms = (*terms, "participants")
    return terms


def model(content: ReportContent) -> dict[str, Any]:
    """The fitted model (``"model"``), the comparison used, or why it could not
    be fitted (``"error"``); computed once per content."""
    cached = content.__dict__.get(_CACHE)
    if cached is not None:
        return cached
    from ..errors import InputError
    from ..models.tie_change import tie_change_model

    name, other = _comparison(content)
    opts = dict(getattr(content.cmp, "options", {}) or {})
    n_perm = min(N_PERMUTATIONS, int(opts.get("n_permutations") or N_PERMUTATIONS))
    out: dict[str, Any] = {"model": None, "comparison": name, "error": None,
                           "n_permutations": n_perm}
    try:
        out["model"] = tie_change_model(
            content.survey, content.before, content.after,
            spec={"relation": content.relation, "min_strength": opts.get("min_strength")},
            terms=_terms(content, other is not None), comparison=other,
            n_permutations=n_perm, seed=int(content.seed))
    except InputError as exc:
        out["error"] = str(exc)
    content.__dict__[_CACHE] = out
    return out


def display_table(m) -> pd.DataFrame:
    """Formation and persistence terms: term, odds ratio, interval, p, method."""
    from ..models.describe import tie_change_table

    parts = []
    for part in ("formation", "persistence"):
        t = tie_change_table(m, part)
        t.insert(0, "part", part)
        parts.append(t)
    out = pd.concat(parts, ignore_index=True)
    pooled = m.design == "comparison"
    out.insert(2, "meaning", [
        _term_words(t) + (" (comparison group)" if pooled and ":" not in t
                          and t not in ("edges", "programme") else "")
        for t in out["term"]])
    return out


def estimates_table(m) -> pd.DataFrame:
    """Every estimate with all its intervals (model-based, robust, DSP)."""
    return pd.concat([getattr(m, part).assign(part=part) for part in
                      ("formation", "persistence")], ignore_index=True)


def _view(t: pd.DataFrame, part: str, caption: str):
    rows = t[t["part"] == part].copy()
    rows["interval"] = rows["interval"].map(METHOD_WORDS)
    return table_view(
        rows,
        columns={"meaning": "term", "odds_ratio": "odds ratio", "ci_low": "95% from",
                 "ci_high": "to", "p": "p", "interval": "interval"},
        kinds={"p": "p"},
        caption=caption,
    )


def section_context(content: ReportContent) -> dict[str, Any]:
    """Words and tables of the section (see the module docstring)."""
    from ..models.describe import describe_tie_change

    fit = model(content)
    m = fit["model"]
    if m is None:
        return {"sentences": [], "error": fit["error"], "design_note": None,
                "formation": None, "persistence": None, "pairs": None, "notes": [],
                "method": None}
    t = display_table(m)
    design_note = {
        "comparison": f"The programme cohort is pooled with the comparison cohort "
                      f"“{fit['comparison']}”, surveyed in the same waves; the "
                      "programme terms compare the two.",
        "participants": "Participants and non-participants of one cohort are compared.",
        "single cohort": "One cohort without a comparison group: the model describes "
                         "which pairs formed ties, not what the programme caused.",
    }[m.design]
    pairs = m.pairs.rename(columns=lambda c: c.replace("_", " "))
    return {
        "error": None,
        "design_note": design_note,
        "sentences": describe_tie_change(m),
        "formation": _view(t, "formation", "New ties: pairs with no tie before "
                           "(formation). Odds ratio above 1: such pairs formed ties "
                           "more often."),
        "persistence": _view(t, "persistence", "Kept ties: pairs tied before "
                             "(persistence). Odds ratio above 1: such ties lasted more "
                             "often."),
        "pairs": table_view(pairs),
        "notes": list(m.notes),
        "method": (
            "Separable temporal ERGM (Krivitsky & Handcock 2014) by conditional maximum "
            "likelihood: two logistic regressions of the tie in "
            f"“{content.after}” on the pair's organisation and its ties in "
            f"“{content.before}”, over ordered pairs (who named whom). Pairs whose "
            "sender did not answer in both waves are left out as missing. Each "
            "interval is the widest of three 95% intervals: model-based (treats "
            "pairs as independent), dyadic-cluster robust (Aronow, Samii & Assenova "
            "2015) and DSP permutation (Dekker, Krackhardt & Snijders 2007; "
            f"{fit['n_permutations']} permutations, seed {content.seed}); the "
            "table says which. All estimates and intervals are in "
            "tables/tie_change_estimates.csv."
        ),
    }


def section_tables(content: ReportContent) -> dict[str, pd.DataFrame | None]:
    """``tie_change`` (the section's table), ``tie_change_estimates`` (every
    interval) and ``tie_change_pairs`` (pairs used and dropped)."""
    m = model(content)["model"]
    if m is None:
        return {}
    return {"tie_change": display_table(m), "tie_change_estimates": estimates_table(m),
            "tie_change_pairs": m.pairs}
