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
    "A small group always changes somewhat by chance. Each test below asks how "
    "often a change at least this large appears when the same people and ties "
    "are shuffled at random (a permutation test); that share is the p-value. A "
    "p-value below 0.05 is conventionally read as more than chance. QAP "
    "correlation measures how much the network after resembles the network "
    "before; MR-QAP asks whether being in the same organisation still predicts "
    "ties after the programme once existing ties are taken into account; the "
    "E-I change test asks whether the shift towards ties between organisations "
    "is larger than shuffling would produce."
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
        "term": "Tie turnover (Jaccard)",
        "text": "Ties in both waves divided by ties in either wave; below about 0.2 "
        "the two waves share too few ties for longitudinal models.",
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
        "text": "The headline test: EI(after) − EI(before), compared with the values "
        "obtained when each person's before and after nominations are exchanged "
        "at random (a paired, within-person randomisation test). One new tie is "
        "never significant, however inward-looking the network was before.",
        "ref": "Krackhardt & Stern (1988); Good (2005), Permutation, Parametric and "
        "Bootstrap Tests of Hypotheses, ch. 3.",
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


def verdict(
    before: int,
    after: int,
    p: float | None,
    flips: int,
    n_permutations: int | None = None,
    p_fall: float | None = None,
) -> str:
    """The one-sentence answer at the top of the report.

    ``p`` is the one-sided p-value of a rise in ties between organisations,
    ``p_fall`` (optional) that of a fall.

    Examples
    --------
    >>> verdict(5, 50, 0.001, 0)[:4]
    'Yes.'
    >>> verdict(5, 7, 0.3, 0)[:12]
    'Not clearly.'
    >>> verdict(5, 7, None, 0)[:9]
    'Possibly.'
    >>> verdict(9, 6, 0.9, 0)[:12]
    'No clear sig'
    >>> verdict(40, 6, 1.0, 0, p_fall=0.001)[:3]
    'No.'
    """
    if after > before and p is not None and p < 0.05:
        text = (
            "Yes. After the programme many more people were connected to colleagues "
            f"in other organisations ({before:,} → {after:,} pairs), and a shift "
            f"this large is unlikely to be chance ({p_text(p)})."
        )
    elif after > before and p is None:
        text = (
            "Possibly. Connections between organisations rose "
            f"({before:,} → {after:,} pairs), but no test could say whether a "
            f"change of this size could be chance ({p_text(p)})."
        )
    elif after > before:
        text = (
            "Not clearly. Connections between organisations rose "
            f"({before:,} → {after:,} pairs), but a change of this size could "
            f"well be chance ({p_text(p)})."
        )
    elif after < before and p_fall is not None and p_fall < 0.05:
        text = (
            "No. Connections between organisations fell "
            f"({before:,} → {after:,} pairs), and a fall this large is unlikely "
            f"to be chance ({p_text(p_fall)})."
        )
    else:
        text = (
            "No clear sign. Connections between organisations did not rise "
            f"({before:,} → {after:,} pairs)."
        )
    if (
        n_permutations is not None
        and after > before
        and 1 / (n_permutations + 1) >= 0.05
    ):
        text += (
            f" With only {n_permutations} permutations no p-value can be below "
            f"{1 / (n_permutations + 1):.3f}; run with more (e.g. 1000)."
        )
    if flips:
        text += " Some results depend on how the data were prepared (see the sensitivity table)."
    return text


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
            "Taking existing ties into account, being in the same organisation made "
            f"no clear difference to who was tied after the programme (MR-QAP: {size}, "
            f"{p_text(p)}; a difference this size could be chance)."
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
