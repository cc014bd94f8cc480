"""The report's section registry and wording, from a precomputed comparison.

No file is written and no figure drawn: each test reads a ReportContent built
once from the session's small comparison, so these run in milliseconds.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

import senatenet as sn
from senatenet.report import build as B
from senatenet.report import sections as S
from senatenet.report import text as T
from senatenet.report.content import ReportContent
from senatenet.report.html import render_report

TEMPLATES = Path(S.__file__).parent / "templates"


def _content(cmp, *, cohort_table=None, suppress_below=None, evaluation=None,
             sensitivity=None) -> ReportContent:
    c = ReportContent(
        cmp.survey,
        cmp,
        sensitivity,
        cohort_table,
        cmp.before,
        cmp.after,
        cmp.relation,
        symmetrize=None,
        missing="absent",
        suppress_below=suppress_below,
        evaluation=evaluation,
    )
    c.cohort_name = "Calderford senate"
    return c


@pytest.fixture(scope="module")
def single_evaluation():
    """The evaluation matching ``small_comparison`` (same data, tie definition,
    seed and permutations): a single cohort."""
    return sn.evaluate(sn.load_sample(), "pre", "post", relation="advice",
                       min_strength=None, n_permutations=19, seed=3, n_power=0)


@pytest.fixture(scope="module")
def comparison_evaluation():
    """The same, against the bundled comparison cohort."""
    return sn.evaluate(sn.load_sample(), "pre", "post", relation="advice",
                       comparison=sn.load_comparison_sample(), min_strength=None,
                       n_permutations=19, seed=3, n_power=0)


@pytest.fixture(scope="module")
def evaluated(small_comparison, comparison_evaluation) -> ReportContent:
    return _content(small_comparison, evaluation=comparison_evaluation)


@pytest.fixture(scope="module")
def content(small_comparison) -> ReportContent:
    return _content(small_comparison)


def test_registry_ids_templates_and_navigation(content):
    ids = [s.id for s in S.SECTIONS]
    assert len(ids) == len(set(ids))
    for s in S.SECTIONS:
        assert (TEMPLATES / s.template).is_file(), s.template
        assert s.nav
    # the comparison-group section appears only with a cohort table
    assert "cohorts" not in [s.id for s in S.active(content)]
    page = render_report(
        {
            "title": "t",
            "subtitle": "s",
            "sections": [],
            "map_html": "",
            "problems": None,
            "privacy_note": None,
            "versions": {"senatenet": "x"},
            "created": "now",
        }
    )
    assert '<nav class="toc"' in page  # the frame renders with no section at all


def test_figures_and_exports_are_declared_once(content):
    names = [f.name for f in S.figure_specs(content)]
    assert names == ["before_after", "org_network", "block_density", "change",
                     "brokerage"]
    tables = S.exports(content)
    assert set(tables) == {
        "ties", "turnover", "people", "organisations", "organisation_pairs", "ei",
        "block_density_before", "block_density_after", "block_density_change",
        "tests", "response_rates", "validation", "summary",
        "tie_change", "tie_change_estimates", "tie_change_pairs",
    }  # no sensitivity table was given, so none is exported


def test_suppression_swaps_the_figures(small_comparison):
    c = _content(small_comparison, suppress_below=5)
    assert c.small
    names = [f.name for f in S.figure_specs(c)]
    assert "org_network" not in names and names.count("block_density") == 1
    assert [f for f in S.figure_specs(c) if f.name == "block_density"][0].when(c)
    alt, caption = [f for f in S.figure_specs(c) if f.name == "block_density"][0].text(c)
    assert "hatched" in alt and "fewer than 5 people" in caption


def test_what_we_found_says_the_findings_of_the_comparison(content, small_comparison):
    ctx = S.summary_context(content)
    findings = [f.sentence for f in small_comparison.findings if f.role != "caveat"]
    # descriptive findings in the summary, the test results after their
    # explanation in the tests section: together, str(cmp)'s findings in order
    shown = ctx["headlines"][: len(content.summary_findings())]
    assert shown + S.tests_context(content)["test_findings"] == findings
    assert shown == [small_comparison.findings.get("cross_boundary_pairs").sentence]
    # the report's own response sentence follows; response caveats are not repeated
    assert any("answered before" in line for line in ctx["headlines"])
    assert not any(line.startswith("Response rate in wave") for line in ctx["caveats"])
    pairs = small_comparison.findings.get("cross_boundary_pairs")
    assert ctx["cards"][0]["value"] == f"{pairs.before:,.0f} → {pairs.after:,.0f}"
    # without an evaluation the counts are stated and no claim is made
    assert "no claim" in ctx["verdict"] and not ctx["verdict"].startswith("Yes")


def test_the_verdict_is_the_evaluation_sentence(evaluated, comparison_evaluation):
    ctx = S.summary_context(evaluated)
    v = comparison_evaluation.verdict
    assert ctx["verdict"] == v.sentence
    assert ctx["verdict"].startswith("Programme effect: ")
    assert ctx["verdict_caveats"] == v.caveats and len(v.caveats) >= 3
    # the primary card: the verdict's estimate and interval, in its words
    card = ctx["cards"][1]
    est = T.estimate_text(v.primary["estimate"], "proportion of pairs")
    lo = T.estimate_text(v.primary["ci_low"], "proportion of pairs")
    hi = T.estimate_text(v.primary["ci_high"], "proportion of pairs")
    assert card["value"] == est and f"{lo} to {hi}" in card["sub"]
    assert est.replace("−", "-") in v.sentence and f"{lo} to {hi}".replace("−", "-") in (
        v.sentence.replace("CI ", ""))
    assert "programme minus comparison" in card["label"]
    # rendered, the verdict is the first paragraph of the summary
    page = render_report({"title": "t", "subtitle": "s",
                          "sections": S.render_sections(evaluated, figures={}),
                          "map_html": "", "problems": None, "privacy_note": None,
                          "versions": {"senatenet": "x"}, "created": "now"})
    summary = page[page.index('<section id="summary">'):]
    first = re.search(r"<p[^>]*>(.*?)</p>", summary, re.S).group(1)
    assert html.unescape(first) == v.sentence


def test_a_single_cohort_claims_change_never_cause(small_comparison, single_evaluation):
    ctx = S.summary_context(_content(small_comparison, evaluation=single_evaluation))
    assert ctx["verdict"] == single_evaluation.verdict.sentence
    assert single_evaluation.verdict.claim in ("change, not attributable", "no clear change",
                                               "inconclusive")
    assert "programme effect" not in ctx["verdict"].lower()
    assert any("No comparison group" in c for c in ctx["verdict_caveats"])


JARGON = re.compile(r"\b(MR-QAP|QAP|z)\b|E-I")


def test_the_summary_explains_before_it_names(evaluated):
    ctx = S.summary_context(evaluated)
    texts = [ctx["verdict"], ctx["question"], *ctx["estimates"], *ctx["headlines"],
             *(f"{c['value']} {c['label']} {c['sub']}" for c in ctx["cards"])]
    for text in texts:
        hit = JARGON.search(text)
        if hit and hit.group(0) == "E-I":  # only where the sentence explains it
            assert "−1: every tie inside an organisation" in text, text
        else:
            assert hit is None, text
    # the tests section explains QAP, MR-QAP and the E-I index before its tables
    explainer = S.tests_context(evaluated)["tests_explainer"]
    for word in ("QAP correlation says", "MR-QAP asks", "the E-I index is"):
        assert word in explainer


def test_estimates_in_words_carry_their_intervals(evaluated, comparison_evaluation):
    lines = S.summary_context(evaluated)["estimates"]
    t = comparison_evaluation.estimates
    assert lines[0].startswith("Of the pairs of people in different organisations who "
                               "were not tied before")  # the primary estimand first
    for group, label in (("programme", "in Calderford senate"),
                         ("comparison", "in the comparison cohort")):
        r = t[t["estimand"].eq("cross_boundary_formation") & t["group"].eq(group)].iloc[0]
        words = (f"{100 * r['estimate']:.1f}% (95% interval {100 * r['ci_low']:.1f}% to "
                 f"{100 * r['ci_high']:.1f}%) {label}")
        assert words in lines[0]
    # every estimate has its interval, except a share of fewer than 10 ties to
    # follow, where the jackknife interval means little (4 of 5 cross-organisation
    # ties kept in the senate): the count is given and the reason said
    persistence = [line for line in lines if line.startswith("Of the ties between")]
    kept = t[t["estimand"].eq("cross_boundary_persistence")].set_index("group")
    assert kept.loc["programme", "n"] == 5 and kept.loc["programme", "estimate"] == 4 / 5
    assert persistence == [
        "Of the ties between organisations before, the share still there after was "
        f"80.0% of 5 ties in Calderford senate; "
        f"{100 * kept.loc['comparison', 'estimate']:.1f}% of "
        f"{kept.loc['comparison', 'n']:.0f} ties in the comparison cohort "
        "(fewer than 10 ties to follow: too few for a reliable share or interval)."]
    assert all("95% interval" in line for line in lines if line not in persistence)
    assert not any("times as likely" in line for line in lines)


def test_tests_section_primary_first_secondary_with_holm(evaluated):
    ctx = S.tests_context(evaluated)
    rows = ctx["primary"]["rows"]
    assert rows[0]["cells"][0]["text"] == "primary"
    roles = [r["cells"][0]["text"] for r in rows]
    assert roles == sorted(roles, key=["primary", "secondary", "check"].index)
    tests = evaluated.secondary_tests()
    assert "ei_change_label" not in set(tests["test_id"])  # not a test of change
    assert "ei_change_label" in set(evaluated.cmp.tests["test_id"])  # kept in the API
    assert "ei_change_label" in ctx["label_test_note"]
    sec = tests[tests["role"].eq("secondary")]
    assert set(sec["test_id"]) == {"ei_change_swap", "mrqap_same_organisation",
                                   "mrqap_same_sector"}
    # Holm by hand: sort, multiply the k-th smallest by (m - k + 1), running max
    p = sec["p_two_sided"].to_numpy()
    order = p.argsort(kind="stable")
    expected, running = [0.0] * len(p), 0.0
    for k, i in enumerate(order):
        running = max(running, min(1.0, p[i] * (len(p) - k)))
        expected[i] = running
    assert sec["p_holm"].tolist() == pytest.approx(expected)
    assert tests.loc[tests["role"].eq("descriptive"), "p_holm"].isna().all()
    assert list(tests.columns).index("p_holm") == list(tests.columns).index("p_two_sided") + 1


def test_label_tests_by_hand():
    import pandas as pd

    t = pd.DataFrame({"test_id": ["qap_waves", "ei_change_label", "mrqap_same_sector",
                                  "ei_change_swap", "mrqap_same_organisation"],
                      "p_two_sided": [0.001, 0.001, 0.5, 0.01, 0.04]})
    out = T.label_tests(t)
    assert out["test_id"].tolist() == ["mrqap_same_sector", "ei_change_swap",
                                       "mrqap_same_organisation", "qap_waves"]
    # m = 3 secondary: 0.01 * 3 = 0.03, 0.04 * 2 = 0.08, 0.5 * 1 = 0.5
    assert out["p_holm"].tolist()[:3] == pytest.approx([0.5, 0.03, 0.08])
    assert out["role"].tolist() == ["secondary"] * 3 + ["descriptive"]


def _sens(rows):
    import pandas as pd

    base = {"variation": "baseline", "flipped": False, "what_changed": ""}
    return pd.DataFrame([base, *[{"flipped": bool(w), "what_changed": w, "variation": v}
                                 for v, w in rows]])


def test_a_secondary_flip_does_not_make_the_headline_fragile(small_comparison):
    c = _content(small_comparison, sensitivity=_sens(
        [("missing", "same_org_coef"), ("missing", ""), ("min_strength", "qap_r")]))
    text = c.sensitivity_sentence()
    assert "fragile" in text and "does not make the headline fragile" in text
    assert "treat the headline as fragile" not in text
    assert "held under both other treatments" in text


def test_the_headline_moving_under_a_missing_data_policy_is_fragile(small_comparison):
    c = _content(small_comparison, sensitivity=_sens(
        [("missing", "cross_boundary_change"), ("missing", ""),
         ("min_strength", "")]))
    assert "changed under 1 of 2 other treatments of people who did not answer: treat " \
        "the headline as fragile" in c.sensitivity_sentence()


def test_another_tie_definition_is_a_different_question(small_comparison):
    c = _content(small_comparison, sensitivity=_sens(
        [("missing", ""), ("min_strength", "cross_boundary_change, ei_change")]))
    text = c.sensitivity_sentence()
    assert "treat the headline as fragile" not in text
    assert "it changed in 1 of 1 variants: those are different questions" in text


def test_the_primary_estimate_judges_fragility_when_the_table_has_it(small_comparison):
    # the sensitivity table of the primary estimand (kind, primary_changed)
    import pandas as pd

    sens = pd.DataFrame({
        "variation": ["baseline", "missing", "missing", "min_strength", "symmetrize"],
        "kind": ["baseline", "analytic choice", "analytic choice", "tie definition",
                 "tie definition"],
        "primary_changed": [False, False, False, True, False],
        "flipped": [False, False, False, False, False],
        "what_changed": ["", "", "same_org_coef", "primary, ei_change", ""]})
    text = _content(small_comparison, sensitivity=sens).sensitivity_sentence()
    assert text.startswith("The primary estimate (its sign, and whether its interval "
                           "excludes 0) held under both other treatments")
    assert "changed in 1 of 2 variants: those are different questions" in text
    assert "In 1 variant only a secondary result changed" in text
    assert "treat the headline as fragile" not in text
    sens.loc[2, "primary_changed"] = True
    text = _content(small_comparison, sensitivity=sens).sensitivity_sentence()
    assert "changed under 1 of 2 other treatments of people who did not answer: treat " \
        "the headline as fragile" in text


def test_low_overlap_from_growth_is_not_called_unstable():
    import pandas as pd

    growth = pd.DataFrame({"new": [200], "lost": [3], "stable": [30]}, index=["all"])
    jac = 30 / (200 + 3 + 30)
    note = S._turnover_note(growth, jac)
    assert "unstable" not in note and "91% of the ties before were kept" in note
    assert "comes from new ties" in note
    churn = pd.DataFrame({"new": [5], "lost": [30], "stable": [2]}, index=["all"])
    note = S._turnover_note(churn, 2 / 37)
    assert "6% of the ties before were kept" in note and "not reported again" in note
    assert S._turnover_note(growth, 0.25) == ""  # overlap is fine: nothing said


def test_every_section_context_renders(content):
    content.manifest = {"options": {"seed": 3}, "seeds": {"compare_waves": 3},
                        "inputs": {}}
    rendered = S.render_sections(content, figures={})
    assert [r["id"] for r in rendered] == [s.id for s in S.active(content)]
    page = render_report(
        {
            "title": "t",
            "subtitle": "s",
            "sections": rendered,
            "map_html": "",
            "problems": None,
            "privacy_note": None,
            "versions": {"senatenet": "x"},
            "created": "now",
        }
    )
    for s in rendered:
        assert f'<section id="{s["id"]}">' in page and f'href="#{s["id"]}"' in page
    assert "What we found" in page and "Options and seeds" in page


def test_quality_text(content):
    q = S.quality_context(content)
    assert q["quality_text"].startswith("The survey lists 26 people in 6 organisations")
    assert q["response_rates"]["rows"]


def test_a_new_section_is_one_registry_entry(content, monkeypatch, tmp_path):
    # a section with its own words, table and export, added in one place
    import pandas as pd

    extra = S.Section(
        "extra",
        "Extra",
        context=lambda c: {"words": f"{len(c.survey.people)} people"},
        exports=lambda c: {"extra": pd.DataFrame({"a": [1]})},
    )
    monkeypatch.setattr(S, "SECTIONS", [*S.SECTIONS, extra])
    assert "extra" in S.exports(content)
    assert S.render_sections(content, {})[-1]["words"] == "26 people"


def test_numbers_are_text_in_sentences():
    # the number extractor used by the str(cmp) == report test
    assert _numbers("from −0.71 to +0.28 (p = 0.05, 1,000 permutations)") == [
        "-0.71", "+0.28", "0.05", "1000"
    ]


def _numbers(text: str) -> list[str]:
    return [
        n.replace("−", "-").replace(",", "")
        for n in re.findall(r"[−+-]?\d[\d,]*(?:\.\d+)?", text)
    ]


def test_sn_namespace_keeps_build_report():
    assert callable(sn.build_report)


# ---- the tie threshold and the design ----------------------------------------


def test_default_threshold_follows_the_frequency_scale():
    sample = sn.load_sample()
    value, reason = B._min_strength(sample, "advice", "auto")
    assert value == 2.0 and "rarely or never" in reason
    assert B._min_strength(sample, "advice", None) == (None, "chosen: every nomination counts")
    assert B._min_strength(sample, "advice", 3) == (3.0, "chosen")
    ones = sample.replace(ties=sample.ties.assign(strength=1.0))  # no scale above 1
    value, reason = B._min_strength(ones, "advice", "auto")
    assert value is None and "every nomination counts" in reason
    with pytest.raises(sn.InputError, match="min_strength"):
        B._min_strength(sample, "advice", "weekly")


def test_the_design_is_detected_among_members_of_both_waves():
    sample = sn.load_sample()
    assert B._design(sample, "pre", "post", {}) == "single cohort"  # all participants
    assert B._design(sample, "pre", "post", {"B": sample}) == "comparison cohort"
    mixed = sample.replace(people=sample.people.assign(
        participant=[i % 2 == 0 for i in range(len(sample.people))]))
    assert B._design(mixed, "pre", "post", {}) == "participants vs non-participants"
    # the follow-up sample's successor (not a participant) joined after "post":
    # she is not at risk between pre and post, so this is still a single cohort
    follow = sn.load_sample(follow_up=True)
    assert not follow.people["participant"].all()
    assert B._design(follow, "pre", "post", {}) == "single cohort"


def test_cli_primary_choices_are_the_libraries():
    from senatenet.commands import report as R
    from senatenet.evaluation.evaluation import PRIMARY_CHOICES

    assert R.PRIMARY_CHOICES == PRIMARY_CHOICES
    assert R._strength("all") is None and R._strength("auto") == "auto"
    assert R._strength("2") == 2.0


def test_a_null_or_inconclusive_verdict_states_the_minimum_detectable_effect():
    from types import SimpleNamespace

    from senatenet.evaluation import Verdict

    def ev(claim, sentence, mde):
        return SimpleNamespace(verdict=Verdict(claim, "single cohort", {}, sentence,
                                               minimum_detectable_effect=mde),
                               power={"mde": mde, "power": 0.8})

    note = S._power_note(ev("inconclusive", "Inconclusive: the panel disagrees.", 0.12))
    assert note == ["Minimum detectable effect: with these group sizes and response, an "
                    "effect of about 12.0% of pairs would be detected with 80% power; "
                    "smaller effects could be missed (Stadtfeld et al. 2020)."]
    said = "No clear change: ...; effects smaller than about 12.0% of pairs could not " \
        "reliably have been detected."
    assert S._power_note(ev("no clear change", said, 0.12)) == []  # said once only
    assert "not computed" in S._power_note(ev("no clear change", "No clear change.", None))[0]
    assert "even the largest" in S._power_note(ev("inconclusive", "x", float("nan")))[0]
    assert S._power_note(ev("change, not attributable", "x", None)) == []


def test_non_response_checks_about_fewer_than_k_people_are_hidden(small_comparison,
                                                                  single_evaluation):
    nr = single_evaluation.checks["nonresponse"]
    ks = sorted(int(k) for k in nr["_k"])  # non-respondents per wave: 2 and 3
    c = _content(small_comparison, evaluation=single_evaluation, suppress_below=ks[-1])
    shown = c.verdict_caveats()
    assert not any(x.startswith(f"The {ks[0]} non-respondents") for x in shown)
    assert any(x.startswith(f"The {ks[-1]} non-respondents") for x in shown)
    assert any("(suppression)" in x for x in shown)
    t = c.evaluation_table()
    hidden = t[t["estimand"].eq("nonresponse_received_cross")]
    assert hidden["estimate"].isna().sum() == sum(k < ks[-1] for k in ks)
    # without suppression: the verdict's caveats as they are
    plain = _content(small_comparison, evaluation=single_evaluation)
    assert plain.verdict_caveats() == single_evaluation.verdict.caveats
