"""The report's words: headline findings, explanations and definitions.

Plain English first; every sentence that states a result carries its number
and, where a test exists, its uncertainty (a permutation p-value).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from .html import format_value

__all__: list[str] = []


def p_text(p: float | None) -> str:
    """``p = 0.012`` / ``p < 0.001`` / ``p not available``."""
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "p not available"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def signed(x: float) -> str:
    return format_value(float(x), "signed")


def test_row(tests: pd.DataFrame | None, test_id: str):
    """The row of a ``WaveComparison.tests`` table with this stable ``test_id``
    (never found by its English name), or None."""
    if tests is None or not len(tests) or "test_id" not in tests:
        return None
    hit = tests[tests["test_id"] == test_id]
    return None if hit.empty else hit.iloc[0]


def p_of(row, side: str = "two_sided") -> float | None:
    if row is None:
        return None
    v = row.get(f"p_{side}")
    try:
        v = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def possible_pairs(sizes: Mapping[str, int]) -> tuple[int, int]:
    """(pairs within organisations, pairs between organisations)."""
    n = sum(sizes.values())
    within = sum(k * (k - 1) // 2 for k in sizes.values())
    return within, n * (n - 1) // 2 - within


def tie_meaning(relation: str | None, symmetrize: str | None) -> str:
    what = f"“{relation}”" if relation else "a"
    if symmetrize == "reciprocal":
        return f"both people named each other ({what} tie)"
    if symmetrize == "union":
        return f"at least one of the two named the other ({what} tie)"
    return f"at least one of the two named the other ({what} tie; the tie tables list who named whom)"


def missing_text(missing: str) -> str:
    return {
        "absent": (
            "Everyone on the roster stays on the map. Someone who did not answer "
            "in a wave could not report their own connections, so those are "
            "counted as absent; connections that others reported with them are "
            "kept. Where an organisation's response is low, its connections are "
            "under-counted in that wave, which can look like change that did not "
            "happen (or hide change that did). Compare the response rates of the "
            "two waves before reading the change."
        ),
        "reconstruct": (
            "Everyone on the roster stays on the map. For someone who did not "
            "answer, a connection is assumed whenever the other person reported "
            "it (reconstruction, Huisman 2009). This recovers most ties of "
            "non-respondents but cannot recover ties between two non-respondents."
        ),
        "panel": (
            "Only people who answered in both waves are analysed (a balanced "
            "panel). Change then cannot come from different people answering, but "
            "everyone else, and their connections, is left out."
        ),
    }.get(
        missing,
        f"Missing answers are handled with the {missing!r} policy.",
    )


def ei_explainer(sizes: Mapping[str, int], ei_expected: float | None) -> str:
    within, between = possible_pairs(sizes)
    exp = "" if ei_expected is None or math.isnan(ei_expected) else signed(ei_expected)
    return (
        "The E-I index compares connections between organisations (E, external) "
        "with connections within them (I, internal): (E − I) / (E + I), from −1 "
        "(all connections inside organisations) to +1 (all between). Random mixing "
        f"does not give 0: of the {within + between:,} possible pairs of people, "
        f"{between:,} are in different organisations and only {within:,} in the "
        "same one, so if people connected at random the E-I would be "
        f"{exp or 'well above 0'}. Read the observed value against that expected "
        "value, or use the rescaled E-I, which places it between the lowest and "
        "highest values possible with this many ties and these organisation sizes "
        "(−1 and +1)."
    )


BROKER_EXPLAINER = (
    "Boundary spanners are people with many connections outside their own "
    "organisation. Brokers stand between two people who are not connected "
    "themselves (Gould & Fernandez roles: a liaison links two other "
    "organisations, a representative passes things out of their own organisation, "
    "a gatekeeper brings them in). A programme that creates many direct "
    "connections between organisations can make the network rely less on a few "
    "brokers, so brokerage can fall while cross-boundary connection rises."
)

TESTS_EXPLAINER = (
    "The evaluation answers one declared question, the primary estimate, with a "
    "95% interval (the values compatible with the data). Its p-value is the "
    "probability of a result this far from 0 if nothing had changed (with a "
    "comparison group: if both had changed alike), not the probability that the "
    "result is chance. Everything else is secondary (p shown raw and "
    "Holm-adjusted for the number of secondary tests) or descriptive (questions "
    "answered in advance for any group of organisations, so no evidence about "
    "the programme). QAP correlation says how much the network after resembles "
    "the one before; MR-QAP asks whether being in the same organisation still "
    "predicts who is tied after, given earlier ties; the E-I index is (ties "
    "between organisations − ties within) / all ties, and its change test "
    "exchanges each person's before and after answers at random."
)

LABEL_TEST_NOTE = (
    "Not shown: the E-I change test that shuffles organisation labels. It keeps "
    "each wave's ties fixed, so it does not test change over time (one new tie "
    "can reach p < 0.05); it stays in the library (test_id ei_change_label)."
)

SENSITIVITY_EXPLAINER = (
    "The primary estimate (with its 95% interval) and the other results are "
    "re-computed under other reasonable choices. Analytic choices for the same "
    "ties (only the people who answered both times; how missing answers are "
    "treated) should not change the answer: rows highlighted in red are such "
    "choices under which the primary estimate changes sign or its interval "
    "stops or starts excluding 0, and make the result fragile. Other definitions "
    "of a tie (either person named the other or both did; how often people must "
    "be in contact) describe a different relation: they are shown with their "
    "own estimates, not as a test of the main result."
)

DEFINITIONS: list[dict[str, str]] = [
    {
        "term": "E-I index",
        "text": "(E − I) / (E + I), with E the ties between and I the ties within "
        "organisations, each undirected tie counted once after symmetrising.",
        "ref": "Krackhardt & Stern (1988), Social Psychology Quarterly 51:123–140; "
        "UCINET Network > Cohesion > E-I Index.",
    },
    {
        "term": "Expected and rescaled E-I",
        "text": "Expected: (E* − I*) / (E* + I*) with E*, I* the numbers of possible "
        "pairs between and within organisations (random mixing). Rescaled: "
        "2(EI − EImin)/(EImax − EImin) − 1, with the extremes attainable given the "
        "number of ties and the organisation sizes.",
        "ref": "Borgatti, Everett & Freeman (2002), UCINET for Windows.",
    },
    {
        "term": "Block density",
        "text": "Ties between organisations k and l divided by the possible pairs "
        "n_k n_l; within an organisation, divided by n_k(n_k − 1) (self-pairs "
        "excluded).",
        "ref": "Wasserman & Faust (1994), Social Network Analysis, ch. 10; UCINET "
        "Density by Groups.",
    },
    {
        "term": "Brokerage roles",
        "text": "v brokers a → v → c when a is not tied to c; the role "
        "(coordinator, itinerant, representative, gatekeeper, liaison) follows from "
        "the organisations of a, v and c. Counts equal R's sna::brokerage.",
        "ref": "Gould & Fernandez (1989), Sociological Methodology 19:89–126.",
    },
    {
        "term": "Constraint",
        "text": "Burt's aggregate constraint C_i = Σ_j (p_ij + Σ_q p_iq p_qj)²; low "
        "constraint means a person's contacts are not tied to each other.",
        "ref": "Burt (1992), Structural Holes, Harvard University Press.",
    },
    {
        "term": "Betweenness",
        "text": "The number of shortest paths between other people that pass "
        "through a person (raw counts, as sna).",
        "ref": "Freeman (1977), Sociometry 40:35–41.",
    },
    {
        "term": "Tie turnover (Jaccard) and retention",
        "text": "Jaccard: ties in both waves divided by ties in either wave; "
        "retention: the share of the earlier ties still there later. Growth alone "
        "lowers the Jaccard index (34 ties growing to 78 cannot exceed 34/78); "
        "only when few earlier ties are kept do the waves share too few ties for "
        "longitudinal models.",
        "ref": "Snijders, van de Bunt & Steglich (2010), Social Networks 32:44–60.",
    },
    {
        "term": "QAP correlation",
        "text": "Pearson correlation of the two adjacency matrices over off-diagonal "
        "cells; p-values from permuting rows and columns of one matrix jointly.",
        "ref": "Krackhardt (1987), Social Networks 9:171–186; R sna::qaptest.",
    },
    {
        "term": "E-I change test",
        "text": "A secondary test: EI(after) − EI(before), compared with the values "
        "obtained when each person's before and after nominations are exchanged "
        "at random (a paired, within-person randomisation test). One new tie is "
        "never significant, however inward-looking the network was before. Its "
        "null is 'nobody's answers changed systematically between waves': people "
        "meeting over time or a change in who answered also reject it, so it "
        "cannot attribute change to the programme.",
        "ref": "Krackhardt & Stern (1988); Good (2005), Permutation, Parametric and "
        "Bootstrap Tests of Hypotheses, ch. 3.",
    },
    {
        "term": "Primary estimand, intervals and Holm",
        "text": "One estimate is declared primary before the results (by default: of "
        "the cross-organisation pairs not tied before, the share tied after; "
        "programme minus comparison, or participants minus non-participants; a "
        "single cohort is judged on its net change). The claim follows the written "
        "decision table. Intervals: person-level jackknife (leave one person out). "
        "Secondary p-values: Holm step-down adjustment.",
        "ref": "Snijders & Borgatti (1999), Connections 22(2):161–170; Holm (1979), "
        "Scand. J. Statistics 6:65–70; Lakens (2017), SPPS 8:355–362.",
    },
    {
        "term": "Mixing log odds ratio",
        "text": "log[(ties / untied pairs) within organisations ÷ (ties / untied "
        "pairs) between]: the preference for ties inside an organisation whatever "
        "the number of ties (0 = none), unlike the E-I index.",
        "ref": "Moody (2001), AJS 107:679–716; Bojanowski & Corten (2014), Social "
        "Networks 39:14–32.",
    },
    {
        "term": "Tie threshold",
        "text": "On the 1-5 frequency scale strength 1 means 'rarely or never', so by "
        "default a tie needs strength 2 or more when the data use that scale "
        "(--min-strength chooses another; all: every nomination).",
        "ref": "Marsden (1990), Annual Review of Sociology 16:435–463.",
    },
    {
        "term": "MR-QAP",
        "text": "Regression of ties after on ties before and being in the same "
        "organisation (and in the same sector, when the roster records sectors), "
        "with p-values by double semi-partialling permutations.",
        "ref": "Dekker, Krackhardt & Snijders (2007), Psychometrika 72:563–581; R "
        'sna::netlm / netlogit (nullhyp = "qapspp").',
    },
    {
        "term": "Permutation p-values",
        "text": "(k + 1) / (R + 1), with k the permutations at least as extreme as "
        "observed out of R; seeded, so rerunning gives the same values.",
        "ref": "Phipson & Smyth (2010), Stat. Appl. Genet. Mol. Biol. 9(1):39.",
    },
    {
        "term": "Pseudonyms and suppression",
        "text": "Codes are HMAC-SHA256 of the person id under a secret key; "
        "organisation-level numbers based on fewer than K people are hidden.",
        "ref": "RFC 2104 (HMAC); Hundepool et al. (2012), Statistical Disclosure "
        "Control, ch. 5.",
    },
]


def mrqap_sentence(coef: float, p: float | None, statistic: str) -> str:
    """The MR-QAP same-organisation effect in words.

    With an OLS model of a binary tie, the coefficient is a difference in the
    probability of a tie (a linear probability model), shown in percentage
    points.

    Examples
    --------
    >>> "no clear difference" in mrqap_sentence(-0.11, 0.19, "OLS coefficient")
    True
    >>> "12 percentage points less" in mrqap_sentence(-0.12, 0.01, "OLS coefficient")
    True
    """
    significant = p is not None and p < 0.05
    if significant and coef > 0:
        direction = (
            "still more likely to form ties than people in different organisations"
        )
    elif significant and coef < 0:
        direction = "less likely to form ties than people in different organisations"
    else:
        direction = None
    if "ols" in statistic.lower():
        size = (
            f"a tie was {abs(coef) * 100:.0f} percentage points "
            f"{'more' if coef > 0 else 'less'} likely within an organisation"
        )
    else:
        size = f"same-organisation coefficient {coef:+.3f}"
    if direction is None:
        return (
            "Taking existing ties into account, being in the same organisation showed "
            f"no clear difference to who was tied after the programme (MR-QAP: {size}, "
            f"{p_text(p)}; a difference this size could be chance, so this is not "
            "evidence that it made none)."
        )
    return (
        "Taking existing ties into account, people in the same organisation were "
        f"{direction} after the programme (MR-QAP: {size}, {p_text(p)})."
    )


def count_text(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def describe_ei(ei: float, expected: float) -> str:
    if math.isnan(ei) or math.isnan(expected):
        return ""
    if ei < expected - 0.1:
        return "still more within organisations than random mixing would give"
    if ei > expected + 0.1:
        return "more between organisations than random mixing would give"
    return "about what random mixing would give"


def problems_summary(validation: pd.DataFrame | None) -> dict[str, Any]:
    """Counts by severity and the first few problems as sentences."""
    if validation is None or not len(validation):
        return {"total": 0}
    sev = validation["severity"].astype(str).str.lower()
    serious = validation[sev.isin(["error", "warning"])]
    counts = {s: int((sev == s).sum()) for s in ("error", "warning", "info")}
    parts = [count_text(counts[s], s) for s in ("error", "warning") if counts[s]]
    if not parts:
        return {"total": 0}
    top = []
    for _, r in serious.head(5).iterrows():
        where = ", ".join(
            x
            for x in (
                str(r.get("file")) if _present(r.get("file")) else "",
                f"row {format_value(r.get('row'))}" if _present(r.get("row")) else "",
                f"column {r.get('column')}" if _present(r.get("column")) else "",
            )
            if x
        )
        action = f" ({r.get('action')})" if _present(r.get("action")) else ""
        top.append(
            f"{r.get('severity')}: {where + ': ' if where else ''}{r.get('problem')}{action}"
        )
    if len(serious) > 5:
        top.append(f"… and {len(serious) - 5} more.")
    return {
        "total": int(len(serious)),
        "errors": counts["error"],
        "summary": " and ".join(parts),
        "top": top,
    }


def _present(v) -> bool:
    if v is None or v is pd.NA:
        return False
    if isinstance(v, float) and math.isnan(v):
        return False
    return str(v) != ""


# ---- the evaluation's estimates in words ---------------------------------------


def estimate_text(value, unit: str, signed: bool | None = None) -> str:
    """An estimate as the verdict sentence writes it: a share of pairs as a
    percentage (a difference in points), a log odds ratio to two decimals.

    Examples
    --------
    >>> estimate_text(0.1249, "proportion of pairs", True)
    '+12.5 points'
    >>> estimate_text(0.126, "proportion of pairs", False)
    '12.6%'
    >>> estimate_text(-2.23, "log odds ratio", True)
    '−2.23'
    """
    from ..evaluation.evaluation import _fmt

    if signed is None:
        signed = True
    try:
        v = float(value)
    except (TypeError, ValueError):
        return "undefined"
    return _fmt(v, unit, signed).replace("-", "−")


_ESTIMANDS = {
    "cross_boundary_formation": "share of unconnected cross-organisation pairs that "
    "became connected",
    "cross_boundary_persistence": "share of cross-organisation ties that lasted",
    "cross_boundary_change": "share of cross-organisation pairs connected",
    "mixing_log_odds_ratio": "log odds ratio of a tie within versus between "
    "organisations",
}


def estimand_label(estimand: str, group: str | None = None) -> str:
    """The primary estimate's name in plain words (for the summary card)."""
    what = _ESTIMANDS.get(estimand, estimand)
    if group and " - " in group:
        a, b = group.split(" - ", 1)
        return f"difference in the {what}: {a} minus {b}"
    return f"change in the {what}" if estimand != "cross_boundary_formation" else what


def _row(t: pd.DataFrame, estimand: str, wave: str, group: str):
    hit = t[t["estimand"].eq(estimand) & t["wave"].eq(wave) & t["group"].eq(group)]
    return None if hit.empty else hit.iloc[0]


def _ci(r, signed: bool, bracket: bool = True) -> str:
    u = r["unit"]
    interval = (f"95% interval {estimate_text(r['ci_low'], u, signed)} to "
                f"{estimate_text(r['ci_high'], u, signed)}")
    est = estimate_text(r["estimate"], u, signed)
    return f"{est} ({interval})" if bracket else f"{est}, {interval}"


#: below this many ties before, a persistence share is given without an interval
FEW_TIES = 10


def estimate_sentences(t: pd.DataFrame, design: str, cohort_name: str = "the programme"
                       ) -> list[str]:
    """The evaluation's estimates in plain words, the primary first.

    Each sentence explains its measure before its number and gives the 95%
    interval; ratios of small counts are never stated without one.
    """
    if design == "comparison cohort":
        groups = [("programme", f"in {cohort_name}"), ("comparison", "in the comparison "
                                                      "cohort")]
    elif design == "participants vs non-participants":
        groups = [("participant-participant", "for pairs of participants"),
                  ("non-participant-non-participant", "for pairs of non-participants"),
                  ("participant-non-participant", "for mixed pairs (spillover)")]
    else:
        groups = [("programme", "")]
    prim = t[t["role"].eq("primary")]
    first = prim["estimand"].iloc[0] if len(prim) else "cross_boundary_formation"
    order = [first, *[e for e in ("cross_boundary_formation", "cross_boundary_persistence",
                                  "mixing_log_odds_ratio") if e != first]]
    if first == "cross_boundary_change":
        order = ["cross_boundary_formation", "cross_boundary_persistence",
                 "mixing_log_odds_ratio"]
    intro = {
        "cross_boundary_formation": "Of the pairs of people in different organisations "
        "who were not tied before, the share tied after was ",
        "cross_boundary_persistence": "Of the ties between organisations before, the "
        "share still there after was ",
        "cross_boundary_change": "The share of pairs of people in different "
        "organisations who were tied changed by ",
    }
    out = []
    if first == "cross_boundary_change":
        parts = [f"{_ci(r, True)}{(' ' + label) if label else ''}"
                 for g, label in groups
                 if (r := _row(t, "cross_boundary_change", "change", g)) is not None]
        if parts:
            out.append(intro["cross_boundary_change"] + "; ".join(parts) + ".")
    for estimand in order:
        if estimand == "mixing_log_odds_ratio":
            bits = []
            for g, label in groups:
                b, a = _row(t, estimand, "before", g), _row(t, estimand, "after", g)
                d = _row(t, estimand, "change", g)
                if b is None or a is None or d is None:
                    continue
                bits.append(f"{estimate_text(b['estimate'], b['unit'], False)} before and "
                            f"{estimate_text(a['estimate'], a['unit'], False)} after"
                            f"{(' ' + label) if label else ''} (change "
                            f"{_ci(d, True, bracket=False)})")
            if bits:
                out.append("How much more likely a tie is inside an organisation than "
                           "across it, whatever the number of ties (the log odds ratio; "
                           "0 = no preference): " + "; ".join(bits) + ".")
            continue
        rows = [(r, label) for g, label in groups
                 if (r := _row(t, estimand, "change", g)) is not None and r["n"]]
        few = estimand == "cross_boundary_persistence" and any(
            r["n"] < FEW_TIES for r, _ in rows)
        parts = []
        for r, label in rows:
            where = f" {label}" if label else ""
            if few and r["n"] < FEW_TIES:  # a jackknife interval means little here
                n = int(r["n"])
                parts.append(f"{estimate_text(r['estimate'], r['unit'], False)} of "
                             f"{n} tie{'s' if n != 1 else ''}{where}")
            else:
                parts.append(f"{_ci(r, False)}{where}")
        if parts:
            tail = (f" (fewer than {FEW_TIES} ties to follow: too few for a reliable share "
                    "or interval)" if few else "")
            out.append(intro[estimand] + "; ".join(parts) + tail + ".")
    return out


#: cmp.tests rows: how the report labels them. Descriptive tests have nulls that
#: are false by construction or answered in advance for any organisational network.
TEST_ROLES = {
    "ei_change_swap": "secondary",
    "mrqap_same_organisation": "secondary",
    "mrqap_same_sector": "secondary",
    "ei_before_label": "descriptive",
    "ei_after_label": "descriptive",
    "qap_waves": "descriptive",
    "mrqap_before": "descriptive",
}
#: tests that leave the report's tables (kept in the API; see LABEL_TEST_NOTE)
DROPPED_TESTS = ("ei_change_label",)


def label_tests(tests: pd.DataFrame | None) -> pd.DataFrame | None:
    """``WaveComparison.tests`` as the report shows it: a ``role`` column
    (secondary or descriptive), ``p_holm`` (Holm-adjusted two-sided p over the
    secondary rows) beside the raw p-values, without the label-permutation E-I
    change test; secondary rows first.

    Examples
    --------
    >>> t = pd.DataFrame({"test_id": ["qap_waves", "ei_change_label", "ei_change_swap",
    ...                               "mrqap_same_organisation"],
    ...                   "p_two_sided": [0.01, 0.02, 0.01, 0.04]})
    >>> out = label_tests(t)
    >>> out["test_id"].tolist(), out["p_holm"].round(3).tolist()[:2]
    (['ei_change_swap', 'mrqap_same_organisation', 'qap_waves'], [0.02, 0.04])
    """
    if tests is None or not len(tests) or "test_id" not in tests:
        return tests
    from ..evaluation.intervals import holm_adjust

    out = tests[~tests["test_id"].isin(DROPPED_TESTS)].copy()
    out.insert(0, "role", out["test_id"].map(TEST_ROLES).fillna("descriptive"))
    out["p_holm"] = float("nan")
    sec = out["role"].eq("secondary").to_numpy()
    p = pd.to_numeric(out.loc[sec, "p_two_sided"], errors="coerce")
    ok = p.notna().to_numpy()
    if ok.any():
        adjusted = holm_adjust(p.to_numpy()[ok])
        idx = out.index[sec][ok]
        out.loc[idx, "p_holm"] = adjusted
    cols = list(out.columns)
    cols.remove("p_holm")
    cols.insert(cols.index("p_two_sided") + 1, "p_holm")
    out = out[cols]
    order = out["role"].map({"secondary": 0, "descriptive": 1}).to_numpy()
    return out.iloc[order.argsort(kind="stable")].reset_index(drop=True)
