"""The report as a registry of sections.

Each :class:`Section` declares, in one place, everything the report shows and
writes for it: its words and on-page tables (``context``), its figures
(:class:`FigureSpec`: how to draw it, alt text, caption), the tables it exports
to ``tables/`` (``exports``), its template (``templates/sections/<id>.html.j2``)
and its entry in the navigation, which is generated from :data:`SECTIONS`.

Adding a section is one entry in :data:`SECTIONS` plus its template file; see
``docs/architecture.md`` ("Report sections"). A section's ``context`` needs only
a :class:`~senatenet.report.content.ReportContent`, which is cheap to build from
a precomputed comparison, so its wording is testable in milliseconds.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from . import alt_text as A
from . import follow_up as F
from . import text as T
from . import tie_change as TC
from .content import _flip_mask, _opt, _readable_sensitivity, _sensitivity_permutations
from .html import table_view
from .manifest import package_versions

if TYPE_CHECKING:
    from .content import ReportContent

__all__: list[str] = []

Context = Callable[["ReportContent"], dict[str, Any]]


def _always(content: ReportContent) -> bool:
    return True


def _nothing(content: ReportContent) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class FigureSpec:
    """A figure of the report: ``figures/<name>.png`` and ``.svg``, embedded.

    ``draw(content, seed)`` returns a matplotlib Figure (or Axes); ``alt`` and
    ``caption`` are text or functions of the content; ``when`` says whether the
    figure is drawn at all.
    """

    name: str
    draw: Callable[[ReportContent, int], Any]
    alt: str | Callable[[ReportContent], str]
    caption: str | Callable[[ReportContent], str]
    when: Callable[[ReportContent], bool] = _always

    def text(self, content: ReportContent) -> tuple[str, str]:
        alt = self.alt(content) if callable(self.alt) else self.alt
        caption = self.caption(content) if callable(self.caption) else self.caption
        return alt, caption


@dataclass(frozen=True)
class Section:
    """One section of the report page.

    Attributes
    ----------
    id : str
        The HTML id (``#id`` in the navigation) and the template's name:
        ``templates/sections/<id>.html.j2``.
    nav : str
        The navigation label.
    context : callable
        ``content -> dict``: the section's words and table views, available to
        its template as ``s.<key>``.
    figures : tuple of FigureSpec
        Its figures (``s.figures[name]`` in the template).
    exports : callable
        ``content -> {name: DataFrame}``: the tables it writes to
        ``tables/<name>.csv`` (and the workbook).
    when : callable
        ``content -> bool``: whether the section appears at all.
    """

    id: str
    nav: str
    context: Context = _nothing
    figures: tuple[FigureSpec, ...] = ()
    exports: Callable[[ReportContent], dict[str, pd.DataFrame]] = field(
        default=_nothing
    )
    when: Callable[[ReportContent], bool] = _always

    @property
    def template(self) -> str:
        return f"sections/{self.id}.html.j2"


# ---- figures ------------------------------------------------------------------


def _draw(name: str, **kwargs):
    def draw(content: ReportContent, seed: int):
        from .. import draw as d

        return getattr(d, name)(content.cmp, **kwargs)

    return draw


def _before_after(content: ReportContent, seed: int):
    from ..draw import plot_before_after

    return plot_before_after(content.cmp, seed=seed)


def _masked_blocks(content: ReportContent, seed: int):
    from ..draw.colors import organisation_colors
    from .figures import masked_block_density

    return masked_block_density(
        content.blocks(), colors=organisation_colors(content.survey)
    )


def _cohorts_figure(content: ReportContent, seed: int):
    from ..draw import plot_cohorts

    return plot_cohorts(content.cohort_table)


def _rel(content: ReportContent) -> str:
    return f"“{content.relation}” ties" if content.relation else "ties"


BEFORE_AFTER = FigureSpec(
    "before_after",
    _before_after,
    alt=A.before_after,
    caption=lambda c: f"{_rel(c).capitalize()} before and after. Same positions in "
    "both; in the right-hand map new ties are drawn thick and lost ties dashed.",
)
ORG_NETWORK = FigureSpec(
    "org_network",
    _draw("plot_org_network"),
    alt=A.org_network,
    caption="Organisations as circles (size: people); line width: ties between them.",
    when=lambda c: not c.small,
)
BLOCK_DENSITY_MASKED = FigureSpec(
    "block_density",
    _masked_blocks,
    alt=A.block_density,
    caption=lambda c: "Density of ties within and between organisations; cells "
    f"involving an organisation of fewer than {c.k} people are hidden.",
    when=lambda c: bool(c.small),
)
BLOCK_DENSITY = FigureSpec(
    "block_density",
    _draw("plot_block_density"),
    alt=A.block_density,
    caption="Density of ties within (diagonal) and between organisations, before, "
    "after and the change (purple: denser, orange: sparser).",
    when=lambda c: not c.small,
)
CHANGE = FigureSpec(
    "change",
    _draw("plot_change", measure="external_ties", by="person", top=30),
    alt=A.change,
    caption="Each person's ties outside their own organisation, before → after (at "
    "most the 30 people whose ties changed most).",
)
BROKERAGE = FigureSpec(
    "brokerage",
    _draw("plot_brokerage"),
    alt=A.brokerage,
    caption="Brokerage roles of the people who broker most (after the programme).",
)
COHORTS = FigureSpec(
    "cohorts",
    _cohorts_figure,
    alt=A.cohorts,
    caption="Each cohort's change between the waves with its 95% interval: the share of "
    "unconnected cross-organisation pairs that formed a tie, the share of "
    "cross-organisation ties kept, and the change in the log odds ratio of a tie within "
    "versus between organisations (below 0 = less organisation-bound).",
    when=lambda c: c.cohort_table is not None,
)
TRAJECTORY = FigureSpec(
    "trajectory",
    F.draw_trajectory,
    alt=A.trajectory,
    caption=F.TRAJECTORY_CAPTION,
    when=lambda c: c.follow_up is not None,
)


# ---- section contexts -----------------------------------------------------------


def summary_context(c: ReportContent) -> dict[str, Any]:
    headlines, cards = c.headlines(c.cohort_name)
    ev = c.evaluation
    return {
        "question": (
            "Compared: who named whom before and after the programme"
            + (f"; design: {ev.design}." if ev is not None else ".")
        ),
        "verdict": c.verdict,
        "verdict_caveats": ([*c.verdict_caveats(), *_power_note(ev)] if ev is not None
                            else []),
        "estimates": c.estimate_sentences(),
        "cards": cards,
        "headlines": headlines,
        "caveats": c.caveats(),
    }


def _power_note(ev) -> list[str]:
    """The minimum detectable effect beside a null or inconclusive verdict, when
    the verdict sentence does not already state it."""
    v = ev.verdict
    mde = v.minimum_detectable_effect
    if v.claim in ("programme effect", "change, not attributable"):
        return []
    if mde is None:
        return ["The minimum detectable effect was not computed (--power-simulations 0 "
                "or too few people to simulate)."]
    if "could not reliably have been detected" in v.sentence:
        return []
    power = (ev.power or {}).get("power", 0.8)
    if not math.isfinite(float(mde)):
        return ["Minimum detectable effect: even the largest simulated effect would not "
                f"have been detected with {power:.0%} power at these group sizes."]
    return [f"Minimum detectable effect: with these group sizes and response, an effect "
            f"of about {T.estimate_text(mde, 'proportion of pairs', False)} of pairs "
            f"would be detected with {power:.0%} power; smaller effects could be missed "
            "(Stadtfeld et al. 2020)."]


def pictures_context(c: ReportContent) -> dict[str, Any]:
    return {
        "tie_meaning": T.tie_meaning(c.relation, c.symmetrize),
        "org_map_note": (
            "The organisation map is not shown because some organisations are "
            "below the suppression threshold."
            if c.small
            else None
        ),
    }


def boundaries_context(c: ReportContent) -> dict[str, Any]:
    org, pairs = c.organisations(), c.org_pairs()
    return {
        "ei_explainer": T.ei_explainer(c.sizes, float(c.ei["after"]["ei_expected"])),
        "broker_explainer": T.BROKER_EXPLAINER,
        "ei": table_view(
            c.ei_table(),
            index="wave",
            columns={
                "E": "between (E)",
                "I": "within (I)",
                "ei": "E-I",
                "ei_expected": "expected (random mixing)",
                "ei_min": "lowest possible",
                "ei_max": "highest possible",
                "ei_rescaled": "rescaled E-I",
            },
        ),
        "org_pairs": table_view(
            pairs,
            columns={
                "organisation_a": "organisation",
                "organisation_b": "and organisation",
                "before": "ties before",
                "after": "ties after",
                "new": "new",
                "lost": "lost",
            },
            suppressed=pairs["suppressed"].tolist(),
            suppress_columns=("before", "after", "new", "lost"),
            caption="Who connects which organisations: ties between each pair of "
            "organisations.",
            max_rows=25,
        ),
        "organisations": table_view(
            org,
            index="organisation",
            columns=[col for col in org.columns if col != "suppressed"],
            kinds={
                col: (
                    ("pp" if "response_rate" in col else "change")
                    if col.endswith("_change")
                    else "pct"
                    if "response_rate" in col
                    else "signed"
                )
                for col in org.columns
                if "response_rate" in col
                or col.endswith("_change")
                or col.startswith("ei_")
            },
            suppressed=org["suppressed"].tolist(),
            suppress_columns=[col for col in org.columns if col != "suppressed"],
        ),
        "spanners": table_view(
            c.spanners(),
            columns={
                "name": "person",
                "organisation": "organisation",
                "external_ties_before": "ties to other organisations, before",
                "external_ties_after": "after",
                "external_ties_change": "change",
                "brokerage_before": "brokerage before",
                "brokerage_after": "brokerage after",
            },
            caption="People ordered by the change in their ties outside their own "
            "organisation.",
            max_rows=15,
        ),
    }


def tests_context(c: ReportContent) -> dict[str, Any]:
    sens, tests = c.sensitivity, c.secondary_tests()
    ev = c.evaluation
    primary = None
    if ev is not None:
        t = c.evaluation_table()
        # the non-response checks are said in the verdict's caveats (and are in
        # tables/evaluation.csv); the balanced panel stays beside the primary
        t = t[t["role"].isin(["primary", "secondary", "check"])
              & ~t["estimand"].eq("nonresponse_received_cross")]
        primary = table_view(
            t.assign(
                estimand=[T.estimand_label(e).capitalize() if r != "check" or
                          e != "nonresponse_received_cross" else
                          "Cross-organisation nominations received: non-respondents "
                          "minus respondents" for e, r in zip(t["estimand"], t["role"],
                                                              strict=True)]
            ),
            columns={
                "role": "role",
                "estimand": "estimate",
                "wave": "wave",
                "group": "group",
                "estimate": "value",
                "ci_low": "95% interval from",
                "ci_high": "to",
                "p": "p",
                "p_holm": "p (Holm)",
                "n": "pairs (people for checks)",
            },
            kinds={"p": "p", "p_holm": "p"},
            caption=f"Evaluation ({ev.design}); primary estimand declared: "
            f"{ev.primary}. Shares of pairs are proportions (0.125 = 12.5%). "
            "Intervals: person-level jackknife; the method of each row is in "
            "tables/evaluation.csv.",
            id="evaluation-table",
        )
    return {
        "verdict": ev.verdict.sentence if ev is not None else None,
        "verdict_caveats": [*c.verdict_caveats(), *_power_note(ev)] if ev is not None else [],
        "tests_explainer": T.TESTS_EXPLAINER,
        "primary": primary,
        "test_findings": c.test_findings(),
        "label_test_note": T.LABEL_TEST_NOTE,
        "sensitivity_sentence": c.sensitivity_sentence(),
        "sensitivity_explainer": T.SENSITIVITY_EXPLAINER
        + _sensitivity_permutations(sens),
        "tests": None
        if tests is None
        else table_view(
            tests,
            # test_id, statistic and seed are in tables/tests.csv (and the seed in
            # the methods): the printed page keeps to A4
            columns=[col for col in tests.columns
                     if col not in ("test_id", "statistic", "seed")],
            kinds={"p_greater": "p", "p_less": "p", "p_two_sided": "p", "p_holm": "p"},
            caption="Secondary and descriptive tests (p_holm: Holm-adjusted over the "
            "secondary rows).",
        ),
        "sensitivity": None
        if sens is None
        else table_view(
            _readable_sensitivity(sens),
            columns={
                "variation": "what was varied",
                "symmetrize": "ties",
                "min_strength": "min. strength",
                "missing": "non-respondents",
                "primary": "primary estimate",
                "primary_low": "95% CI low",
                "primary_high": "high",
                "cross_boundary_before": "ties between orgs before",
                "cross_boundary_after": "after",
                # the secondary results' values are in tables/sensitivity.csv;
                # "conclusion that changed" names any that moved (A4 width)
                "what_changed": "conclusion that changed",
            },
            kinds={"p_ei_change": "p", "p_same_org": "p", "primary": "signed",
                   "primary_low": "signed", "primary_high": "signed"},
            highlight=_flip_mask(sens).tolist(),
            max_rows=60,
        ),
    }


#: Rows of the cohort table in the report: (column, label, kind).
_COHORT_ROWS = (
    ("n", "people", "count"),
    ("ties_before", "ties (pairs) before", "count"),
    ("ties", "ties (pairs) after", "count"),
    ("cross_boundary_formation", "cross-organisation pairs not tied before that formed a tie",
     "pct"),
    ("cross_boundary_persistence", "cross-organisation ties before still there after", "pct"),
    ("mixing_log_odds_ratio_before",
     "log odds ratio of a tie within vs between organisations, before (baseline balance)",
     "num"),
    ("mixing_log_odds_ratio_after", "log odds ratio within vs between, after", "num"),
    ("mixing_log_odds_ratio_change", "change in the log odds ratio", "num"),
    ("formation_difference", "difference in formation, programme minus this cohort", "pp"),
    ("mixing_change_difference",
     "difference in the change of the log odds ratio, programme minus this cohort", "num"),
    ("share_kept", "share of before-ties kept (all ties)", "pct1"),
    ("jaccard", "Jaccard overlap (ties in both waves / in either; falls as ties grow)", "num1"),
)


def _cohort_cell(row, col: str, kind: str) -> str:
    def f(v, signed=False):
        v = float(v)
        if not math.isfinite(v):
            return "–"
        if kind in ("pct", "pct1"):
            return f"{100 * v:.1f}%"
        if kind == "pp":
            return f"{100 * v:+.1f}".replace("-", "\u2212")
        return (f"{v:+.2f}" if signed else f"{v:.2f}").replace("-", "\u2212")

    value = row.get(col)
    if value is None:
        return "–"
    if kind == "count":
        return f"{int(value):,}"
    signed = kind in ("pp", "num")
    text = f(value, signed) + (" points" if kind == "pp" and f(value) != "–" else "")
    lo, hi = row.get(f"{col}_low"), row.get(f"{col}_high")
    if lo is not None and hi is not None and text != "–":
        text += f" ({f(lo, signed)} to {f(hi, signed)})"
    return text


def cohort_view(table: pd.DataFrame) -> pd.DataFrame:
    """The cohort table for the page: estimands as rows, each cohort a column of
    "estimate (95% interval)" text; no random-graph z-scores (see compare_cohorts)."""
    rows = {}
    for col, label, kind in _COHORT_ROWS:
        if col not in table.columns:
            continue
        rows[label] = {str(cohort): _cohort_cell(r, col, kind) for cohort, r in table.iterrows()}
    return pd.DataFrame.from_dict(rows, orient="index")


def cohorts_context(c: ReportContent) -> dict[str, Any]:
    level = c.cohort_table.attrs.get("level", 0.95) if c.cohort_table is not None else 0.95
    return {
        "text": c.cohort_sentence(c.cohort_name),
        "table": table_view(
            cohort_view(c.cohort_table),
            index="measure",
            caption=f"Each cohort's change from the first to the second wave, with "
            f"{round(100 * level)}% intervals (person-level jackknife). The programme is "
            "compared with each other cohort on the difference in change; levels after "
            "the programme alone would confound differences the cohorts had before.",
        ),
    }


def quality_context(c: ReportContent) -> dict[str, Any]:
    tb = c.cmp.turnover
    jac = tb.loc["all", "jaccard"] if "all" in tb.index else float("nan")
    quality = (
        f"The survey lists {len(c.survey.people)} people in {len(c.sizes)} "
        "organisations. Differences in who answered can look like change in the "
        "network, so read the response rates below first."
    )
    joined_left = F.membership_text(c.survey)
    if joined_left:
        quality += " " + joined_left
    quality += _turnover_note(tb, jac)
    rr_wide = c.response_wide()
    validation = c.survey.validation
    serious = validation
    if len(validation) and "severity" in validation.columns:
        serious = validation[
            validation["severity"].astype(str).isin(["error", "warning"])
        ]
    return {
        "quality_text": quality,
        "notes": c.notes,
        "missing_text": T.missing_text(c.missing),
        "response_rates": table_view(
            rr_wide,
            columns=[col for col in rr_wide.columns if col != "suppressed"],
            kinds={"rate before": "pct", "rate after": "pct"},
            suppressed=rr_wide["suppressed"].tolist(),
            suppress_columns=[
                col for col in rr_wide.columns if col not in ("organisation", "suppressed")
            ],
            note=(
                f"Organisations with fewer than {c.k} people are suppressed."
                if c.small
                else None
            ),
        ),
        "validation": table_view(
            serious,
            columns=["severity", "file", "row", "column", "value", "problem", "action"],
            max_rows=50,
        )
        if len(serious)
        else None,
    }


def _turnover_note(tb, jac) -> str:
    """Low overlap between waves, said only when earlier ties were lost: a
    programme that adds many ties lowers the Jaccard index by growth alone."""
    if math.isnan(float(jac)) or float(jac) >= 0.2 or "all" not in tb.index:
        return ""
    row = tb.loc["all"]
    retention = float("nan")
    if {"stable", "lost"} <= set(row.index):
        kept, before = float(row["stable"]), float(row["stable"]) + float(row["lost"])
        retention = kept / before if before else float("nan")
    if not math.isnan(retention) and retention >= 0.5:
        return (
            f" Only {float(jac):.0%} of the ties of either wave were present in both "
            f"(Jaccard index), but {retention:.0%} of the ties before were kept: the "
            "low overlap comes from new ties (growth), not from ties being lost."
        )
    kept_text = "" if math.isnan(retention) else f" and {retention:.0%} of the ties before were kept"
    return (
        f" Only {float(jac):.0%} of ties were present in both waves (Jaccard index "
        f"below 0.2){kept_text}: many earlier ties were not reported again, so "
        "check for changes in who answered or in how the question was asked "
        "before reading the change."
    )


def methods_context(c: ReportContent) -> dict[str, Any]:
    manifest = c.manifest or {"options": {}, "seeds": {}, "inputs": {}}
    ev = c.evaluation
    ms = c.min_strength
    threshold = (
        ("A tie counts from strength " + format(ms, "g") if ms is not None
         else "Every nomination counts as a tie")
        + (f" ({c.min_strength_reason})." if c.min_strength_reason else ".")
    )
    return {
        "threshold": threshold,
        "evaluation": None
        if ev is None
        else (
            f"Design: {ev.design} (detected from the data: a comparison cohort when "
            "one is given, participants against non-participants when the roster's "
            "participant column holds both, otherwise a single cohort). Primary "
            f"estimand, declared before the results: {ev.primary}. Intervals: "
            "person-level jackknife (95%); secondary p-values Holm-adjusted. The "
            "verdict follows the decision table in docs/interpreting-results.md "
            f"(row {ev.verdict.row})."
        ),
        "definitions": T.DEFINITIONS,
        "summary": table_view(c.cmp.summary, index="measure"),
        "options": table_view(
            pd.DataFrame(
                [
                    (k, _opt(v))
                    for k, v in {
                        **manifest["options"],
                        **{f"seed ({k})": v for k, v in manifest["seeds"].items()},
                    }.items()
                ],
                columns=["option", "value"],
            )
        ),
        "inputs": table_view(
            pd.DataFrame(
                [
                    (k, v.get("file"), v.get("sha256"))
                    for k, v in manifest["inputs"].items()
                ],
                columns=["input", "file", "sha256"],
            )
        )
        if manifest["inputs"]
        else None,
        "versions": table_view(
            pd.DataFrame(
                [(k, v or "not installed") for k, v in package_versions().items()],
                columns=["software", "version"],
            )
        ),
    }


# ---- the registry -----------------------------------------------------------------

#: The report's sections, in page order. Navigation, figures and exported tables
#: all come from here.
SECTIONS: list[Section] = [
    Section("summary", "Summary", summary_context, figures=(BEFORE_AFTER,)),
    Section(
        "pictures",
        "The network",
        pictures_context,
        figures=(ORG_NETWORK,),
        exports=lambda c: {
            "ties": c.cmp.ties,
            "turnover": c.cmp.turnover.rename_axis("ties"),
        },
    ),
    Section(
        "boundaries",
        "Across organisations",
        boundaries_context,
        figures=(BLOCK_DENSITY_MASKED, BLOCK_DENSITY, CHANGE, BROKERAGE),
        exports=lambda c: {
            "people": c.cmp.people,
            "organisations": c.organisations(),
            "organisation_pairs": c.org_pairs(),
            "ei": c.ei_table(),
            **{f"block_density_{k}": v for k, v in c.blocks().items()},
        },
    ),
    Section(
        "tests",
        "More than chance?",
        tests_context,
        exports=lambda c: {
            "evaluation": c.evaluation_table() if c.evaluation is not None else None,
            "tests": c.secondary_tests(),
            "sensitivity": c.sensitivity,
        },
    ),
    Section(
        "follow-up",
        "Did it last?",
        F.section_context,
        figures=(TRAJECTORY,),
        exports=lambda c: F.follow_up_tables(c.follow_up),
        when=lambda c: c.follow_up is not None,
    ),
    Section(
        "cohorts",
        "Comparison group",
        cohorts_context,
        figures=(COHORTS,),
        exports=lambda c: {"cohorts": c.cohort_table},
        when=lambda c: c.cohort_table is not None,
    ),
    Section(
        "tie-change",
        "What explains the new ties",
        TC.section_context,
        exports=TC.section_tables,
    ),
    Section(
        "quality",
        "Data quality",
        quality_context,
        exports=lambda c: {
            "response_rates": c.response_rates(),
            "validation": c.survey.validation,
        },
    ),
    Section(
        "methods",
        "Methods",
        methods_context,
        exports=lambda c: {"summary": c.cmp.summary},
    ),
]


def active(content: ReportContent) -> list[Section]:
    """The sections shown for this content, in page order."""
    return [s for s in SECTIONS if s.when(content)]


def figure_specs(content: ReportContent) -> list[FigureSpec]:
    """Every figure the shown sections draw, in page order."""
    return [f for s in active(content) for f in s.figures if f.when(content)]


def exports(content: ReportContent) -> dict[str, pd.DataFrame]:
    """Every table the shown sections write to ``tables/``, in page order."""
    out: dict[str, pd.DataFrame] = {}
    for s in active(content):
        for name, df in s.exports(content).items():
            if df is not None:
                out[name] = df
    return out


def render_sections(
    content: ReportContent, figures: dict[str, dict]
) -> list[dict[str, Any]]:
    """Each shown section as the template sees it: id, nav, template, words,
    tables (``s.<key>``) and its embedded figures (``s.figures[name]``)."""
    out = []
    for s in active(content):
        ctx = dict(s.context(content))
        ctx.update(
            id=s.id,
            nav=s.nav,
            template=s.template,
            figures={f.name: figures[f.name] for f in s.figures if f.name in figures},
        )
        out.append(ctx)
    return out
