"""What the report shows, computed once from the comparison: tables and sentences.

:class:`ReportContent` holds the comparison, the sensitivity and cohort tables
and the report's options; the sections (:mod:`.sections`) read from it. It is
cheap to build from a precomputed :class:`~senatenet.WaveComparison`, so the
wording of every section can be tested in milliseconds.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..privacy import suppress_blocks, suppress_small
from . import text as T

__all__: list[str] = []

def _org_sizes(survey) -> dict[str, int]:
    orgs = survey.people["organisation"]
    return {
        str(k): int(v)
        for k, v in orgs.value_counts(sort=False).items()
        if isinstance(k, str)
    }


def _network_ei(G) -> pd.Series:
    from ..measures import ei_index

    return ei_index(G, level="network").iloc[0]


def _pairs(ties: pd.DataFrame) -> pd.DataFrame:
    """Ties as unordered pairs of people, as the E-I index counts them.

    On directed data ``ties`` has one row per ordered dyad; a pair is tied in a
    wave when either person named the other (union), so the counts here agree
    with the E-I index's E and I.
    """
    cols = [
        "source",
        "target",
        "organisation_a",
        "organisation_b",
        "cross_boundary",
        "before",
        "after",
    ]
    if not len(ties):  # typed, so that boolean masks still select rows
        return pd.DataFrame(
            {c: pd.Series(dtype=bool if c in cols[4:] else object) for c in cols}
        )
    src, tgt = ties["source"].astype(str), ties["target"].astype(str)
    swap = (src > tgt).to_numpy()
    oa = ties["organisation_source"].astype(str).to_numpy()
    ob = ties["organisation_target"].astype(str).to_numpy()
    frame = pd.DataFrame(
        {
            "source": np.where(swap, tgt, src),
            "target": np.where(swap, src, tgt),
            "organisation_a": np.where(swap, ob, oa),
            "organisation_b": np.where(swap, oa, ob),
            "cross_boundary": ties["cross_boundary"].astype(bool).to_numpy(),
            "before": ties["status"].isin(["stable", "lost"]).to_numpy(),
            "after": ties["status"].isin(["stable", "new"]).to_numpy(),
        }
    )
    return frame.groupby(["source", "target"], sort=False, as_index=False).agg(
        organisation_a=("organisation_a", "first"),
        organisation_b=("organisation_b", "first"),
        cross_boundary=("cross_boundary", "first"),
        before=("before", "any"),
        after=("after", "any"),
    )


def _cross_pairs(pairs: pd.DataFrame) -> pd.DataFrame:
    """Ties between organisations per (unordered) organisation pair."""
    cb = pairs[pairs["cross_boundary"]]
    cols = [
        "organisation_a",
        "organisation_b",
        "before",
        "after",
        "new",
        "lost",
        "change",
    ]
    if not len(cb):
        return pd.DataFrame(columns=cols)
    a, b = cb["organisation_a"].to_numpy(), cb["organisation_b"].to_numpy()
    frame = pd.DataFrame(
        {
            "organisation_a": np.where(a <= b, a, b),
            "organisation_b": np.where(a <= b, b, a),
            "before": cb["before"].astype(int).to_numpy(),
            "after": cb["after"].astype(int).to_numpy(),
            "new": (cb["after"] & ~cb["before"]).astype(int).to_numpy(),
            "lost": (cb["before"] & ~cb["after"]).astype(int).to_numpy(),
        }
    )
    out = (
        frame.groupby(["organisation_a", "organisation_b"], sort=False)[
            ["before", "after", "new", "lost"]
        ]
        .sum()
        .reset_index()
        .sort_values(["after", "new"], ascending=False, kind="stable")
        .reset_index(drop=True)
    )
    out["change"] = out["after"] - out["before"]
    return out[cols]


def _flip_mask(sens: pd.DataFrame) -> np.ndarray:
    """Rows of the sensitivity table whose conclusion differs from the main one."""
    for col in ("flipped", "flip", "conclusion_changed", "changed", "differs", "flag"):
        if col in sens.columns:
            return sens[col].fillna(False).astype(bool).to_numpy()
    bool_cols = [
        c for c in sens.columns if sens[c].dtype == bool and "flip" in str(c).lower()
    ]
    if bool_cols:
        return sens[bool_cols].any(axis=1).to_numpy()
    return np.zeros(len(sens), bool)


#: findings of the comparison shown in the summary (plain words, no test jargon);
#: they come first in ``str(cmp)``, the others follow in the tests section
SUMMARY_FINDINGS = ("cross_boundary_pairs",)


def _headline_moved(variants: pd.DataFrame) -> np.ndarray:
    """Variants in which the headline (the primary estimand, or the direction of
    the change in ties between organisations) changed, not a secondary result."""
    for col in ("primary_changed", "primary_flipped", "headline_flipped"):
        if col in variants.columns:
            return variants[col].fillna(False).astype(bool).to_numpy()
    if "what_changed" in variants.columns:
        return (
            variants["what_changed"]
            .fillna("")
            .astype(str)
            .str.contains("cross_boundary_change", regex=False)
            .to_numpy()
        )
    return np.zeros(len(variants), bool)


_SENS_WORDS = {
    "baseline": "main analysis",
    "symmetrize": "which ties count",
    "min_strength": "minimum strength",
    "missing": "non-respondents",
    "combination": "several choices",
    "cross_boundary_change": "direction of the change in ties between organisations",
    "ei_change": "E-I change significant or not",
    "qap_r": "networks similar or not (QAP)",
    "same_org_coef": "same-organisation effect significant or not (MR-QAP)",
    "primary": "primary estimate (sign, or interval excluding 0)",
    "analytic choice": "analytic choice (same ties)",
    "tie definition": "another definition of a tie",
}


def _readable_sensitivity(sens: pd.DataFrame) -> pd.DataFrame:
    """The sensitivity table with its codes in words (a copy, for the page)."""
    out = sens.copy()
    if "variation" in out.columns:
        out["variation"] = out["variation"].map(lambda v: _SENS_WORDS.get(v, v))
    if "kind" in out.columns:
        out["kind"] = out["kind"].map(lambda v: _SENS_WORDS.get(v, v))
    if "what_changed" in out.columns:
        out["what_changed"] = out["what_changed"].map(
            lambda v: (
                "; ".join(_SENS_WORDS.get(x.strip(), x.strip()) for x in v.split(","))
                if isinstance(v, str) and v
                else v
            )
        )
    return out


def _sensitivity_permutations(sens: pd.DataFrame | None) -> str:
    """Say when the sensitivity p-values use fewer permutations than the tests."""
    if sens is None or "n_permutations" not in sens.columns or not len(sens):
        return ""
    r = int(sens["n_permutations"].max())
    return (
        f" Each variant's p-values use {r:,} permutations (the smallest possible "
        f"p-value is {1 / (r + 1):.3f}), so the main-analysis row's p-values can differ "
        "slightly from the tests above."
    )


class ReportContent:
    """Everything the report shows, computed once from the comparison."""

    def __init__(
        self,
        survey,
        cmp,
        sensitivity,
        cohort_table,
        before,
        after,
        relation,
        *,
        symmetrize,
        missing,
        suppress_below,
        evaluation=None,
    ) -> None:
        self.survey, self.cmp, self.sensitivity = survey, cmp, sensitivity
        #: the one :class:`~senatenet.Evaluation` of the report (its verdict is
        #: the report's first sentence); None only in wording tests without it
        self.evaluation = evaluation
        self.min_strength = cmp.options.get("min_strength") if hasattr(cmp, "options") else None
        self.min_strength_reason: str | None = None
        self.cohort_table = cohort_table
        self.before, self.after, self.relation = before, after, relation
        self.symmetrize, self.missing, self.k = symmetrize, missing, suppress_below
        self.sizes = _org_sizes(survey)
        self.small = {g for g, n in self.sizes.items() if self.k and n < self.k}
        self.ei = {w: _network_ei(cmp.graphs[w]) for w in ("before", "after")}
        self.notes: list[str] = []
        self.pseudonymised, self.seed = False, 0
        self.cohort_name = "Programme"
        self.manifest: dict[str, Any] | None = None  # set before the page is rendered
        self.follow_up: dict[str, Any] | None = None  # three or more waves (follow_up.py)
        self.comparison_surveys: dict[str, Any] = {}  # by name, as given to build_report
        self.person_pairs = _pairs(cmp.ties)
        self.pairs = _cross_pairs(self.person_pairs)

    # ---- tables ---------------------------------------------------------
    def ei_table(self) -> pd.DataFrame:
        cols = ["E", "I", "ei", "ei_expected", "ei_min", "ei_max", "ei_rescaled"]
        df = pd.DataFrame({w: self.ei[w].reindex(cols) for w in ("before", "after")}).T
        df.index.name = "wave"
        df.index = [self.before, self.after]
        df.index.name = "wave"
        return df.astype(float)

    def response_rates(self) -> pd.DataFrame:
        rr = self.survey.response_rates()
        return suppress_small(
            rr,
            self.k,
            size="people",
            columns=["people", "respondents", "response_rate"],
        )

    def organisations(self) -> pd.DataFrame:
        org = self.cmp.organisations.copy()
        org.insert(0, "people", [self.sizes.get(str(g), 0) for g in org.index])
        return suppress_small(org, self.k, size="people")

    def org_pairs(self) -> pd.DataFrame:
        pairs = self.pairs.copy()
        pairs["suppressed"] = [
            a in self.small or b in self.small
            for a, b in zip(
                pairs["organisation_a"], pairs["organisation_b"], strict=True
            )
        ]
        for col in ("before", "after", "new", "lost", "change"):
            pairs[col] = pairs[col].astype(float)
            pairs.loc[pairs["suppressed"], col] = np.nan
        return pairs

    def blocks(self) -> dict[str, pd.DataFrame]:
        return {
            k: suppress_blocks(v, self.sizes, self.k)
            for k, v in self.cmp.block_density.items()
        }

    def spanners(self) -> pd.DataFrame:
        """People by the change in their ties to other organisations."""
        ppl = self.cmp.people
        cols = [
            c
            for c in (
                "name",
                "organisation",
                "external_ties_before",
                "external_ties_after",
                "external_ties_change",
                "brokerage_before",
                "brokerage_after",
            )
            if c in ppl.columns
        ]
        key = (
            "external_ties_change"
            if "external_ties_change" in ppl.columns
            else cols[-1]
        )
        return ppl[cols].sort_values(key, ascending=False, kind="stable")

    def response_wide(self) -> pd.DataFrame:
        """Response per organisation, one row each, both waves side by side."""
        rr = self.response_rates()
        rows = []
        for org, part in rr.groupby("organisation", sort=False):
            row = {"organisation": org, "people": part["people"].iloc[0]}
            for label, wave in (("before", self.before), ("after", self.after)):
                w = part[part["wave"] == wave]
                row[f"answered {label}"] = (
                    w["respondents"].iloc[0] if len(w) else np.nan
                )
                row[f"rate {label}"] = w["response_rate"].iloc[0] if len(w) else np.nan
            row["suppressed"] = bool(part["suppressed"].any())
            rows.append(row)
        return pd.DataFrame(rows)

    def tables(self) -> dict[str, pd.DataFrame]:
        cmp = self.cmp
        blocks = self.blocks()
        out = {
            "people": cmp.people,
            "organisations": self.organisations(),
            "organisation_pairs": self.org_pairs(),
            "ties": cmp.ties,
            "turnover": cmp.turnover.rename_axis("ties"),
            "summary": cmp.summary,
            "ei": self.ei_table(),
            "block_density_before": blocks["before"],
            "block_density_after": blocks["after"],
            "block_density_change": blocks["change"],
            "tests": cmp.tests,
            "sensitivity": self.sensitivity,
            "response_rates": self.response_rates(),
            "validation": self.survey.validation,
        }
        if self.cohort_table is not None:
            out["cohorts"] = self.cohort_table
        return out

    # ---- figures --------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Pairs of people tied before/after (union of both directions)."""
        p = self.person_pairs
        cb = p[p["cross_boundary"]]
        return {
            "cb_before": int(cb["before"].sum()),
            "cb_after": int(cb["after"].sum()),
            "cb_new": int((cb["after"] & ~cb["before"]).sum()),
            "cb_lost": int((cb["before"] & ~cb["after"]).sum()),
            "all_before": int(p["before"].sum()),
            "all_after": int(p["after"].sum()),
        }

    def headlines(self, cohort_name: str) -> tuple[list[str], list[dict]]:
        """The summary's findings (plain words, no test jargon) and cards; sets
        ``self.verdict``, the report's first sentence."""
        c = self.counts()
        # the sensitivity sentence (judged on the headline only) opens the
        # sensitivity part of the tests section
        lines: list[str] = self.summary_findings()
        lines.append(self.response_sentence())
        if self.follow_up is not None:
            lines.append(self.follow_up["sentence"])

        cards = [
            {
                "value": f"{c['cb_before']:,} → {c['cb_after']:,}",
                "label": "ties between organisations",
                "sub": f"{c['cb_new']:,} new, {c['cb_lost']:,} lost",
            },
        ]
        prim = self.primary()
        if prim is not None:
            unit = prim["unit"]
            cards.append(
                {
                    "value": T.estimate_text(prim["estimate"], unit),
                    "label": T.estimand_label(prim["estimand"], prim["group"]),
                    "sub": f"95% interval {T.estimate_text(prim['ci_low'], unit)} to "
                    f"{T.estimate_text(prim['ci_high'], unit)}; "
                    f"{T.p_text(prim['p'])}",
                }
            )
        cards.append(
            {
                "value": self.response_value(),
                "label": "answered in both waves",
                "sub": f"of {len(self.survey.people)} people on the roster",
            }
        )
        if self.evaluation is not None:
            self.verdict = self.evaluation.verdict.sentence
        else:  # wording tests without an evaluation: the counts, no claim
            self.verdict = (
                f"Ties between organisations: {c['cb_before']:,} → {c['cb_after']:,} "
                "pairs (no evaluation was computed, so no claim is made)."
            )
        if not c["all_before"] and not c["all_after"]:
            self.verdict = (
                "Nothing to compare: with these options neither wave has any tie "
                "(check the relation, --min-strength and the missing-data policy). "
                + self.verdict
            )
        return lines, cards

    # ---- the evaluation (senatenet.evaluate) -----------------------------

    def primary(self) -> dict | None:
        """The primary estimate of the evaluation (a row as a dict), or None."""
        if self.evaluation is None:
            return None
        t = self.evaluation.estimates
        row = t[t["role"].eq("primary")]
        return None if row.empty else row.iloc[0].to_dict()

    def small_nonresponse(self) -> list[tuple[str, str, int]]:
        """``(wave, group, people)`` of the non-response checks based on fewer
        than ``suppress_below`` non-respondents: hidden, like other numbers
        about fewer than K people."""
        ev = self.evaluation
        if ev is None or not self.k:
            return []
        nr = (ev.checks or {}).get("nonresponse")
        if nr is None or not len(nr) or "_k" not in nr.columns:
            return []
        return [(str(r["wave"]), str(r["group"]), int(r["_k"]))
                for r in nr.to_dict("records") if int(r["_k"]) < self.k]

    def verdict_caveats(self) -> list[str]:
        """The verdict's caveats, without those about fewer than K
        non-respondents when small numbers are suppressed."""
        if self.evaluation is None:
            return []
        caveats = list(self.evaluation.verdict.caveats)
        small = self.small_nonresponse()
        if small:
            hidden = tuple(f"The {k} non-respondent{'s' if k != 1 else ''} of the {g} "
                           f"cohort at {w} " for w, g, k in small)
            caveats = [c for c in caveats if not c.startswith(hidden)]
            caveats.append(
                "Nominations received by non-respondents are not shown for waves in "
                f"which fewer than {self.k} people did not answer (suppression)."
            )
        return caveats

    def estimate_sentences(self) -> list[str]:
        """The evaluation's estimates in plain words, the primary first; each
        with its 95% interval. Terms are explained where they first appear."""
        ev = self.evaluation
        if ev is None:
            return []
        return T.estimate_sentences(ev.estimates, ev.design, self.cohort_name)

    def evaluation_table(self) -> pd.DataFrame:
        """``Evaluation.estimates`` ordered primary, secondary, check,
        descriptive (the exported ``evaluation`` table)."""
        if self.evaluation is None:
            return pd.DataFrame()
        t = self.evaluation.estimates
        for wave, group, _ in self.small_nonresponse():  # about fewer than K people
            rows = (t["estimand"].eq("nonresponse_received_cross") & t["wave"].eq(wave)
                    & t["group"].eq(group))
            t.loc[rows, ["estimate", "ci_low", "ci_high", "se", "p"]] = np.nan
        order = {"primary": 0, "secondary": 1, "check": 2, "descriptive": 3}
        return t.iloc[
            np.argsort(t["role"].map(order).fillna(4).to_numpy(), kind="stable")
        ].reset_index(drop=True)

    def secondary_tests(self) -> pd.DataFrame:
        """``cmp.tests`` for the report: each labelled secondary or descriptive,
        Holm-adjusted p-values beside the raw two-sided ones for the secondary
        ones, and without the label-permutation E-I change test (it does not
        test change: see the methods)."""
        return T.label_tests(self.cmp.tests)

    def sensitivity_sentence(self) -> str | None:
        """Whether the headline held under the other ways of preparing the data.

        The headline is the primary estimate (its sign and whether its interval
        excludes 0) when the sensitivity table carries it (``primary_changed``),
        else the direction of the change in ties between organisations. Only
        analytic choices for the same relation (non-respondents; ``kind ==
        "analytic choice"``) can make it fragile; other definitions of a tie
        (reciprocal only, a strength threshold) answer a different question and
        are reported as such. A secondary result changing is never called
        fragility of the headline.
        """
        sens = self.sensitivity
        if sens is None or not len(sens):
            return None
        kind = sens["kind"] if "kind" in sens.columns else None
        variation = sens["variation"] if "variation" in sens.columns else None
        base = np.zeros(len(sens), bool)
        if kind is not None:
            base |= kind.eq("baseline").to_numpy()
        if variation is not None:
            base |= variation.eq("baseline").to_numpy()
        variants = sens[~base]
        if not len(variants):
            return None
        if "kind" in variants.columns:
            analytic = variants["kind"].eq("analytic choice").to_numpy()
            redefined = variants["kind"].eq("tie definition").to_numpy()
        elif "variation" in variants.columns:
            analytic = variants["variation"].eq("missing").to_numpy()
            redefined = variants["variation"].isin(["symmetrize", "min_strength"]).to_numpy()
        else:
            analytic = np.ones(len(variants), bool)
            redefined = ~analytic
        moved = _headline_moved(variants)
        if "what_changed" in variants.columns:
            changed = variants["what_changed"].fillna("").astype(str).str.strip().ne("")
            changed = changed.to_numpy()
        else:
            changed = _flip_mask(variants)
        subject = ("the primary estimate (its sign, and whether its interval excludes 0)"
                   if "primary_changed" in variants.columns
                   else "the direction of the change in ties between organisations")
        n_a, n_r = int(analytic.sum()), int(redefined.sum())
        parts = []
        if n_a:
            m = int((moved & analytic).sum())
            parts.append(
                f"{subject} held under {'both' if n_a == 2 else 'every'} other "
                f"treatment{'s' if n_a != 1 else ''} of people who did not answer ({n_a})"
                if not m
                else f"{subject} changed under {m} of {n_a} other treatments of people "
                "who did not answer: treat the headline as fragile"
            )
        if n_r:
            m = int((moved & redefined).sum())
            parts.append(
                f"it also held when a tie is defined otherwise ({n_r} variants: both "
                "people naming each other, or more frequent contact only)"
                if not m
                else f"with other definitions of a tie (both people naming each other, "
                f"or more frequent contact only) it changed in {m} of {n_r} variants: "
                "those are different questions (for example strong versus weak ties), "
                "shown as their own rows"
            )
        if not parts:
            return None
        text = "; ".join(parts)
        text = text[0].upper() + text[1:] + "."
        sec = int((changed & ~moved).sum())
        if sec:
            text += (
                f" In {sec} variant{'s' if sec != 1 else ''} only a secondary result "
                "changed (see the sensitivity table); that does not make the headline "
                "fragile."
            )
        return text

    def finding_sentences(self) -> list[str]:
        """The comparison's findings other than caveats, as ``str(cmp)`` words them."""
        return [f.sentence for f in self.cmp.findings if f.role != "caveat"]

    def summary_findings(self) -> list[str]:
        """The comparison's findings in the summary: the counts of ties between
        organisations in plain words. The others (nominations, the E-I index
        and the test results) go to the tests section (:meth:`test_findings`),
        after their explanation; together they are ``str(cmp)``'s, in order."""
        return [f.sentence for f in self.cmp.findings if f.id in SUMMARY_FINDINGS]

    def test_findings(self) -> list[str]:
        """The comparison's other findings in words (secondary to the evaluation)."""
        return [
            f.sentence
            for f in self.cmp.findings
            if f.role != "caveat" and f.id not in SUMMARY_FINDINGS
        ]

    def caveats(self) -> list[str]:
        """The comparison's caveats, except response rates (said by the report
        itself, with suppression applied)."""
        return [
            f.sentence
            for f in self.cmp.findings
            if f.role == "caveat" and not f.id.startswith("caveat_response")
        ]

    def response_value(self) -> str:
        both = self.survey.responded(self.before) & self.survey.responded(self.after)
        return f"{len(both):,}"

    def response_sentence(self) -> str:
        n = len(self.survey.people)
        rb, ra = self.survey.responded(self.before), self.survey.responded(self.after)
        members = getattr(self.survey, "members", None)
        nb, na = ((len(members(self.before)), len(members(self.after))) if members
                  else (n, n))
        text = (
            f"{len(rb)} of {nb} people answered before and {len(ra)} after; "
            f"{len(rb & ra)} answered both times."
            if nb == na == n else
            f"{len(rb)} of {nb} members answered before and {len(ra)} of {na} after; "
            f"{len(rb & ra)} answered both times."
        )
        silent = [w for w, r in ((self.before, rb), (self.after, ra)) if not r]
        for wave in silent:
            n_ties = int((self.survey.ties["wave"] == wave).sum())
            text += f" Nobody is listed as answering in wave “{wave}”" + (
                f", yet the ties file has {n_ties:,} nominations in it: check "
                "that the respondents file lists that wave."
                if n_ties
                else "."
            )
        rr = self.response_rates()
        ok = rr[~rr["suppressed"]] if "suppressed" in rr.columns else rr
        ok = ok[~ok["wave"].isin(silent)] if "wave" in ok.columns else ok
        if len(ok):
            low = ok.sort_values("response_rate", kind="stable").iloc[0]
            if float(low["response_rate"]) < 0.75:
                text += (
                    f" Response was lowest in {low['organisation']} "
                    f"({float(low['response_rate']):.0%} in wave {low['wave']}), so its "
                    "connections may be under-counted there."
                )
        return text

    def cohort_sentence(self, cohort_name: str) -> str:
        """The cohorts compared on their change (see :func:`compare.cohorts.cohort_sentence`)."""
        from ..compare.cohorts import cohort_sentence

        return cohort_sentence(self.cohort_table)

    def cohort_view(self) -> pd.DataFrame:
        """Estimands as rows, each cohort's estimate and interval as columns."""
        from .sections import cohort_view

        return cohort_view(self.cohort_table)

    # ---- page -----------------------------------------------------------


def _first(*rows):
    return next((r for r in rows if r is not None), None)


def _opt(v) -> str:
    if v is None:
        return "not set"
    if isinstance(v, list | tuple):
        return ", ".join(map(str, v)) or "none"
    if isinstance(v, dict):
        return "; ".join(f"{k}={_opt(x)}" for k, x in v.items()) or "none"
    return str(v)
