"""The report section "What explains the new ties", from tiny hand-made surveys.

The section reads only the content's survey, waves, relation, options, seed and
comparison surveys, so a plain namespace stands in for ReportContent: no
comparison, figure or file is built and each test takes well under a second.
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

import senatenet as sn
from senatenet.models.describe import _n
from senatenet.report import sections as S
from senatenet.report import tie_change as TC
from senatenet.report.html import _environment

BEFORE = (("p1", "p2"), ("p2", "p3"), ("p5", "p6"), ("p6", "p7"), ("p3", "p5"), ("p8", "p1"))
KEPT = (("p1", "p2"), ("p5", "p6"), ("p3", "p5"))
NEW = (("p1", "p5"), ("p2", "p6"), ("p5", "p1"), ("p6", "p2"), ("p3", "p4"), ("p4", "p8"),
       ("p7", "p3"), ("p2", "p1"), ("p8", "p5"), ("p1", "p6"), ("p3", "p1"), ("p7", "p5"))


def _survey(participant=True, new=NEW):
    """Two organisations of four (A: p1-p4, B: p5-p8); 6 ties before, 3 kept."""
    ids = [f"p{k}" for k in range(1, 9)]
    people = pd.DataFrame({"organisation": list("AAAABBBB"), "participant": participant},
                          index=pd.Index(ids, name="person_id"))
    rows = [("pre", a, b) for a, b in BEFORE] + [("post", a, b) for a, b in KEPT + new]
    ties = pd.DataFrame(rows, columns=["wave", "respondent", "alter"])
    resp = pd.DataFrame([(w, p) for w in ("pre", "post") for p in ids],
                        columns=["wave", "person_id"])
    return sn.Survey(people, ties, resp)


def _content(survey, comparisons=None):
    return SimpleNamespace(
        survey=survey, before="pre", after="post", relation=None, seed=2,
        cmp=SimpleNamespace(options={"n_permutations": 19, "min_strength": None}),
        comparison_surveys=comparisons or {})


def _render(ctx) -> str:
    return _environment().get_template("sections/tie-change.html.j2").render(s=ctx)


def test_single_cohort_describes_without_causal_claim():
    c = _content(_survey())
    ctx = TC.section_context(c)
    text = " ".join(ctx["sentences"])
    # 56 ordered pairs, 6 tied before: 50 formation pairs, 12 of them formed a tie
    assert text.startswith("Of 50 pairs with no tie in “pre”, 12 formed one by “post”.")
    assert "cannot show that the programme caused" in text
    assert "as in the comparison group" not in text
    assert "not what the programme caused" in ctx["design_note"]
    tables = TC.section_tables(c)
    assert set(tables) == {"tie_change", "tie_change_estimates", "tie_change_pairs"}
    t = tables["tie_change"]
    assert list(t.columns) == ["part", "term", "meaning", "odds_ratio", "ci_low",
                               "ci_high", "interval", "p"]
    assert set(t["part"]) == {"formation", "persistence"}
    # the estimates table keeps every interval, model-based and dependence-respecting
    est = tables["tie_change_estimates"]
    for col in ("ci_low", "robust_ci_low", "dsp_ci_low", "dsp_p"):
        assert col in est.columns
    assert TC.model(c) is TC.model(c)  # fitted once per content
    assert "What explains the new ties" in _render(ctx)


def test_comparison_cohort_gives_the_programme_contrast():
    comp = _survey(participant=False, new=(("p2", "p1"), ("p3", "p4"), ("p1", "p5"),
                                           ("p7", "p8"), ("p6", "p8"), ("p3", "p1")))
    c = _content(_survey(), {"Ridgeway": comp})
    ctx = TC.section_context(c)
    m = TC.model(c)["model"]
    assert m.design == "comparison"
    row = sn.tie_change_table(m).set_index("term").loc["programme"]
    lead = next(x for x in ctx["sentences"] if x.startswith("A pair in different"))
    assert lead.startswith(f"A pair in different organisations was {_n(row.odds_ratio)} "
                           f"times ({_n(row.ci_low)} to {_n(row.ci_high)}) as likely")
    assert row.ci_low < row.odds_ratio < row.ci_high
    assert "as likely to form a tie during the programme as in the comparison group" in lead
    assert "after accounting for returned nominations and shared colleagues" in lead
    assert any("parallel change" in x for x in ctx["sentences"])
    assert "“Ridgeway”" in ctx["design_note"]


def test_comparison_without_the_waves_is_not_pooled():
    comp = _survey(participant=False)
    comp = sn.Survey(comp.people, comp.ties.assign(wave=comp.ties["wave"].map(
        {"pre": "w1", "post": "w2"})), waves=["w1", "w2"])
    c = _content(_survey(), {"Other": comp})
    assert TC.model(c)["model"].design == "single cohort"


def test_participants_and_non_participants_are_contrasted():
    c = _content(_survey(participant=[True, True, False, False, True, True, False, False]))
    ctx = TC.section_context(c)
    assert TC.model(c)["model"].design == "participants"
    text = " ".join(ctx["sentences"])
    assert "a pair of two participants (compared with two non-participants)" in text
    assert "causal only if taking part was unrelated" in text


def test_a_model_that_cannot_be_fitted_is_said_not_hidden():
    c = _content(_survey())
    c.__dict__[TC._CACHE] = {"model": None, "comparison": None, "error": "no pairs",
                             "n_permutations": 19}
    ctx = TC.section_context(c)
    assert ctx["formation"] is None and TC.section_tables(c) == {}
    assert "could not be fitted with these data: no pairs" in _render(ctx)


def test_the_section_sits_before_data_quality():
    ids = [s.id for s in S.SECTIONS]
    assert ids.index("cohorts") < ids.index("tie-change") < ids.index("quality")


@pytest.mark.parametrize("name", ["=cmd()", "<b>x</b>"])
def test_survey_text_is_escaped_in_the_section(name):
    c = _content(_survey(), {name: _survey(participant=False)})
    page = _render(TC.section_context(c))
    assert "<b>x</b>" not in page
