"""senatenet.evaluate: estimands on hand-computed cases, the person-level jackknife,
Holm, the decision table row by row, design detection and the non-response checks."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import senatenet as sn
from senatenet import InputError
from senatenet.evaluation import _engine as E
from senatenet.evaluation._arrays import cohort_arrays


def survey(people, ties, respondents=None):
    p = pd.DataFrame(people, columns=["person_id", "organisation", "participant"][: len(people[0])])
    t = pd.DataFrame(ties, columns=["wave", "respondent", "alter", "strength"])
    r = None if respondents is None else pd.DataFrame(respondents, columns=["wave", "person_id"])
    return sn.Survey(p.set_index("person_id"), t, r, waves=["pre", "post"])


# Two organisations A = {a1, a2, a3}, B = {b1, b2, b3}; union ties (strength 3).
PEOPLE = [("a1", "A"), ("a2", "A"), ("a3", "A"), ("b1", "B"), ("b2", "B"), ("b3", "B")]
PRE = [("a1", "a2"), ("b1", "b2"), ("a1", "b1")]
POST = [("a1", "a2"), ("b1", "b2"), ("a2", "b2"), ("a3", "b3")]


def tiny():
    ties = [("pre", u, v, 3) for u, v in PRE] + [("post", u, v, 3) for u, v in POST]
    return survey(PEOPLE, ties)


def graphs(s):
    return (s.person_graph("pre", symmetrize="union"), s.person_graph("post", symmetrize="union"))


# ------------------------------------------------------------- estimands by hand
def test_estimands_hand_computed():
    G0, G1 = graphs(tiny())
    # 9 cross pairs; a1-b1 tied before (lost); of the 8 untied, a2-b2 and a3-b3 formed
    assert sn.cross_boundary_formation(G0, G1) == pytest.approx(2 / 8)
    assert sn.cross_boundary_persistence(G0, G1) == pytest.approx(0 / 1)
    assert sn.cross_boundary_change(G0, G1) == pytest.approx((2 - 1) / 9)
    # before: within 2 of 6 tied, between 1 of 9: log(2 * 8 / (4 * 1))
    assert sn.mixing_log_odds_ratio(G0) == pytest.approx(math.log(2 * 8 / (4 * 1)))


def test_log_odds_ratio_does_not_move_with_volume_at_fixed_odds():
    # within 2 of 4 tied and between 2 of 4 (OR 1), then 4 of 8 and 4 of 8
    org = dict(zip(range(8), "AAAABBBB", strict=True))
    G = nx.Graph([(0, 1), (2, 3), (0, 4), (1, 5)])
    G.add_nodes_from(range(8))
    nx.set_node_attributes(G, org, "organisation")
    within_pairs, between_pairs = 12, 16
    a, c = 2, 2
    expected = math.log(a * (between_pairs - c) / ((within_pairs - a) * c))
    assert sn.mixing_log_odds_ratio(G) == pytest.approx(expected)


def test_participant_formation_by_pair_type():
    people = [("a1", "A", True), ("a2", "A", False), ("b1", "B", True), ("b2", "B", False)]
    ties = [("pre", "a1", "a2", 3), ("post", "a1", "b1", 3), ("post", "a2", "b2", 3)]
    s = survey(people, ties)
    G0, G1 = graphs(s)
    out = sn.participant_formation(G0, G1)
    assert out.loc["participant-participant", "formation"] == 1.0
    assert out.loc["non-participant-non-participant", "formation"] == 1.0
    assert out.loc["participant-non-participant", "formation"] == 0.0
    assert out["at_risk"].tolist() == [1.0, 1.0, 2.0]


def test_vectorised_leave_one_out_equals_deleting_each_person():
    s = tiny()
    G0, G1 = graphs(s)
    a = cohort_arrays(s, "pre", "post", relation=None, min_strength=None,
                      symmetrize="union", missing="absent")
    _, loo = E.reducers(False)
    reps = E.design_values(a, "single cohort", loo)
    for i, person in enumerate(a.ids):
        H0, H1 = G0.copy(), G1.copy()
        H0.remove_node(person)
        H1.remove_node(person)
        for key, func in (("cross_boundary_formation", sn.cross_boundary_formation),
                          ("cross_boundary_change", sn.cross_boundary_change)):
            got = reps[(key, "change", "single cohort")][i]
            assert got == pytest.approx(func(H0, H1), nan_ok=True)
        got = reps[("mixing_log_odds_ratio", "before", "single cohort")][i]
        assert got == pytest.approx(sn.mixing_log_odds_ratio(H0))


def test_jackknife_interval_by_hand():
    out = sn.jackknife_interval(0.5, [0.4, 0.5, 0.6, float("nan")])
    se = math.sqrt(2 / 3 * (0.01 + 0 + 0.01))
    assert out["se"] == pytest.approx(se)
    from scipy import stats
    q = stats.t.ppf(0.975, 2)
    assert (out["ci_low"], out["ci_high"]) == pytest.approx((0.5 - q * se, 0.5 + q * se))
    assert math.isnan(sn.jackknife_interval(0.5, [0.4])["se"])


def test_holm_by_hand():
    # sorted 0.01, 0.03, 0.04 -> 0.03, 0.06, 0.04*1 -> running max 0.06
    assert sn.holm_adjust([0.04, 0.01, 0.03]).tolist() == pytest.approx([0.06, 0.03, 0.06])
    assert sn.holm_adjust([0.2, 0.9]).tolist() == pytest.approx([0.4, 0.9])
    assert sn.holm_adjust([0.6, 0.9]).tolist() == pytest.approx([1.0, 1.0])


# ------------------------------------------------------------- decision table
@pytest.mark.parametrize("args, kw, expected", [
    (("comparison cohort", np.nan, -1, 1, 0.5), {}, ("inconclusive", 1)),
    (("single cohort", 0.1, np.nan, 0.2, 0.01), {}, ("inconclusive", 1)),
    (("comparison cohort", 0.1, 0.05, 0.2, 0.001), {"panel_agrees": False}, ("inconclusive", 2)),
    (("single cohort", 0.1, 0.05, 0.2, 0.001), {"panel_agrees": False}, ("inconclusive", 2)),
    (("comparison cohort", 0.1, 0.05, 0.2, 0.001), {}, ("programme effect", 3)),
    (("participants vs non-participants", -0.1, -0.2, -0.05, 0.01), {},
     ("programme effect", 3)),
    (("comparison cohort", 0.02, -0.01, 0.05, 0.2), {}, ("no clear programme effect", 4)),
    (("participants vs non-participants", 0.02, -0.01, 0.05, 0.2), {"panel_agrees": None},
     ("no clear programme effect", 4)),
    (("single cohort", 0.1, 0.05, 0.2, 0.001), {}, ("change, not attributable", 5)),
    (("single cohort", 0.0, -0.1, 0.1, 0.9), {}, ("no clear change", 6)),
    (("comparison cohort", 0.1, -0.01, 0.2, 0.01), {}, ("inconclusive", 7)),
    (("single cohort", 0.1, 0.01, 0.2, 0.2), {}, ("inconclusive", 7)),
])
def test_decision_table_rows(args, kw, expected):
    assert sn.decide_claim(*args, **kw) == expected


def test_decision_table_is_documented_row_by_row(project_root):
    text = (project_root / "docs" / "interpreting-results.md").read_text(encoding="utf-8")
    for row, designs, condition, claim in sn.DECISION_TABLE:
        assert f"| {row} | {designs} | {condition} | {claim} |" in text


def test_single_cohort_never_claims_a_programme_effect():
    for est, lo, hi, p in [(0.5, 0.4, 0.6, 0.0001), (-0.5, -0.6, -0.4, 0.0001)]:
        assert sn.decide_claim("single cohort", est, lo, hi, p)[0] != "programme effect"


# ------------------------------------------------------------- evaluate
@pytest.fixture(scope="module")
def sample():
    return sn.load_sample(), sn.load_comparison_sample()


def test_design_detection_and_impossible_designs(sample):
    senate, comp = sample
    assert sn.evaluate(senate, "pre", "post", relation="knows", n_permutations=9,
                       n_power=0).design == "single cohort"
    with pytest.raises(InputError, match="needs comparison"):
        sn.evaluate(senate, "pre", "post", relation="knows", design="comparison cohort")
    with pytest.raises(InputError, match="participant column"):
        sn.evaluate(senate, "pre", "post", relation="knows",
                    design="participants vs non-participants")
    with pytest.raises(InputError, match="design must be"):
        sn.evaluate(senate, "pre", "post", relation="knows", design="rct")
    with pytest.raises(InputError, match="several relations"):
        sn.evaluate(senate, "pre", "post")
    with pytest.raises(InputError, match="n_permutations must be at least 1"):
        sn.evaluate(senate, "pre", "post", relation="knows", n_permutations=0)
    with pytest.raises(InputError, match="persistence cannot be the primary"):
        sn.evaluate(senate, "pre", "post", relation="knows",
                    primary="cross_boundary_persistence")
    mixed = sn.Survey(*[tables for tables in _mixed_tables()])
    assert sn.evaluate(mixed, "before", "after", n_permutations=9,
                       n_power=0).design == "participants vs non-participants"


def _mixed_tables(seed=1, effect=0.0):
    d = sn.simulate_panel([6, 6, 6, 6], seed=seed, participants=0.5, effect=effect)
    return d["roster"].set_index("person_id"), d["ties"], d["respondents"]


def test_comparison_design_on_the_sample(sample):
    senate, comp = sample
    ev = sn.evaluate(senate, "pre", "post", relation="advice", comparison=comp, n_power=0)
    t = ev.estimates
    assert list(t.columns)[:3] == ["estimand", "wave", "group"]
    for col in ("estimate", "ci_low", "ci_high", "p", "method", "n"):
        assert col in t.columns
    prim = t[t["role"].eq("primary")]
    assert len(prim) == 1 and prim["group"].iloc[0] == "programme - comparison"
    # the contrast is the difference of the per-cohort formation rates
    rate = t.set_index(["estimand", "wave", "group"])["estimate"]
    key = ("cross_boundary_formation", "change")
    assert prim["estimate"].iloc[0] == pytest.approx(rate[(*key, "programme")]
                                                     - rate[(*key, "comparison")])
    G0 = senate.person_graph("pre", "advice", min_strength=2, symmetrize="union")
    G1 = senate.person_graph("post", "advice", min_strength=2, symmetrize="union")
    assert rate[(*key, "programme")] == pytest.approx(sn.cross_boundary_formation(G0, G1))
    v = ev.verdict
    assert v.claim == "programme effect" and v.design == "comparison cohort"
    assert v.sentence.startswith("Programme effect:") and "95% CI" in v.sentence
    assert any("parallel trends" in c for c in v.caveats)
    d = v.to_dict()
    assert set(d["primary"]) == {"estimand", "group", "estimate", "ci_low", "ci_high", "p"}
    # Holm beside the raw p on secondary rows only
    sec = t[t["role"].eq("secondary")]
    assert (sec["p_holm"] >= sec["p"] - 1e-12).all() and t.loc[t["role"].ne("secondary"),
                                                                 "p_holm"].isna().all()


def test_same_trend_in_both_cohorts_is_not_a_programme_effect():
    def s(cohort, seed):
        d = sn.generate_sample(cohort, seed=seed, programme_effect=0.18)
        return sn.Survey(d["roster"].set_index("person_id"), d["ties"], d["respondents"])

    ev = sn.evaluate(s("senate", 2012), "pre", "post", relation="knows",
                     comparison=s("comparison", 21), n_power=20)
    assert ev.verdict.claim != "programme effect"
    if ev.verdict.claim == "no clear programme effect":
        assert "not evidence of no effect" in ev.verdict.sentence
        assert ev.verdict.minimum_detectable_effect is not None


def test_balanced_panel_disagreement_makes_it_inconclusive():
    # one fixed network; the most outward-looking people skip the baseline
    p = sn.simulate_panel([8, 8, 8, 8, 8], seed=4, fixed=True, selective=True,
                          response=(0.8, 1.0), baseline_cross=0.15, reporting=1.0)
    c = sn.simulate_panel([8, 8, 8, 8, 8], seed=5, fixed=True, response=(1.0, 1.0),
                          baseline_cross=0.15, programme=False, prefix="C", reporting=1.0)
    mk = lambda d: sn.Survey(d["roster"].set_index("person_id"), d["ties"],  # noqa: E731
                             d["respondents"])
    ev = sn.evaluate(mk(p), "before", "after", comparison=mk(c), n_power=0)
    assert ev.checks["panel"]["estimate"] == pytest.approx(0.0)
    assert ev.verdict.claim == "inconclusive" and ev.verdict.row in (2, 7)
    nr = ev.checks["nonresponse"]
    first = nr[nr["group"].eq("programme") & nr["wave"].eq("before")].iloc[0]
    assert first["estimate"] > 0 and first["p"] < 0.05
    assert any("they differ" in c for c in ev.verdict.caveats)


def test_nonresponse_check_is_welchs_t_test():
    # nominations received across organisations from respondents: non-respondents
    # vs respondents, interval and p equal to scipy.stats' Welch test
    from scipy import stats

    d = sn.simulate_panel([8, 8, 8, 8, 8], seed=4, fixed=True, selective=True,
                          response=(0.8, 1.0), baseline_cross=0.15, reporting=1.0)
    s = sn.Survey(d["roster"].set_index("person_id"), d["ties"], d["respondents"])
    ev = sn.evaluate(s, "before", "after", n_permutations=9, n_power=0)
    row = ev.checks["nonresponse"].iloc[0]
    a = cohort_arrays(s, "before", "after", relation=None, min_strength=None,
                      symmetrize="union", missing="absent")
    got = ((a.X0 * a.masks()["cross"]) * a.responded0[:, None]).sum(axis=0)
    non, yes = got[~a.responded0], got[a.responded0]
    ref = stats.ttest_ind(non, yes, equal_var=False)
    ci = ref.confidence_interval(0.95)
    assert row["estimate"] == pytest.approx(non.mean() - yes.mean(), abs=1e-12)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((ci.low, ci.high), abs=1e-12)
    assert row["p"] == pytest.approx(ref.pvalue, abs=1e-12)


def test_participant_design_and_label_permutation(sample):
    people, ties, resp = _mixed_tables(seed=2, effect=0.3)
    ev = sn.evaluate(sn.Survey(people, ties, resp), "before", "after", n_permutations=99,
                     n_power=0, seed=3)
    t = ev.estimates
    groups = set(t["group"])
    assert {"participant-participant", "non-participant-non-participant",
            "participant-non-participant (spillover)", "participants - non-participants",
            "spillover - non-participants"} <= groups
    prim = t[t["role"].eq("primary")].iloc[0]
    assert prim["group"] == "participants - non-participants" and prim["estimate"] > 0
    assert "permuted within organisations" in prim["method"]
    assert 1 / 100 <= prim["p"] <= 1


def test_seeded_and_identical_on_any_n_jobs(sample):
    senate, _ = sample
    a = sn.evaluate(senate, "pre", "post", relation="knows", n_permutations=199, n_power=0,
                    seed=5).estimates
    b = sn.evaluate(senate, "pre", "post", relation="knows", n_permutations=199, n_power=0,
                    seed=5, n_jobs=2).estimates
    pd.testing.assert_frame_equal(a, b)


def test_default_threshold_follows_the_scale_and_is_visible(sample):
    senate, _ = sample
    assert sn.default_min_strength(senate, "knows") == 2.0
    ev = sn.evaluate(senate, "pre", "post", relation="knows", n_permutations=9, n_power=0)
    assert ev.spec["min_strength"] == 2.0 and "rarely or never" in ev.spec["min_strength_reason"]
    ev = sn.evaluate(senate, "pre", "post", relation="knows", min_strength=None,
                     n_permutations=9, n_power=0)
    assert ev.spec["min_strength"] is None
    assert sn.default_min_strength(tiny()) == 2.0  # strengths 3 only: a 1-5 value above 1
    binary = survey(PEOPLE, [("pre", "a1", "a2", 1), ("post", "a1", "b1", 1)])
    assert sn.default_min_strength(binary) is None


def test_the_caller_survey_is_not_changed(sample):
    senate, comp = sample
    before = (senate.people.copy(), senate.ties.copy())
    sn.evaluate(senate, "pre", "post", relation="knows", comparison=comp, n_power=0)
    pd.testing.assert_frame_equal(senate.people, before[0])
    pd.testing.assert_frame_equal(senate.ties, before[1])


def test_minimum_detectable_effect_grows_with_smaller_groups():
    small = sn.minimum_detectable_effect([3, 3, 3], n_simulations=40, seed=2)
    large = sn.minimum_detectable_effect([8, 8, 8, 8, 8], n_simulations=40, seed=2)
    assert large["mde"] < small["mde"] or math.isnan(small["mde"])
    assert (np.diff(large["curve"]["effect"]) > 0).all()


def test_minimum_detectable_effect_is_identical_for_any_n_jobs():
    kw = dict(n_simulations=8, seed=3, effects=(0.1, 0.3, 0.6))
    one = sn.minimum_detectable_effect([4, 4, 4], **kw)
    two = sn.minimum_detectable_effect([4, 4, 4], n_jobs=2, **kw)
    assert one["curve"].equals(two["curve"])
    assert one["mde"] == two["mde"] or (math.isnan(one["mde"]) and math.isnan(two["mde"]))



@pytest.mark.parametrize("symmetrize", [None, "union", "reciprocal"])
def test_swap_values_equal_design_values_of_the_swapped_arrays(symmetrize):
    """The swap null's shortcut (pair counts by swap case, no swapped arrays)
    gives exactly design_values on explicitly swapped answers."""
    s = sn.load_sample()
    a = cohort_arrays(s, "pre", "post", relation="advice", min_strength=None,
                      symmetrize=symmetrize, missing="absent")
    rng = np.random.default_rng(4)
    swap = rng.random((7, a.n)) < 0.5
    swap[0] = False  # no one swapped: the observed values
    swap[1] = True  # everyone swapped
    fast = E.swap_values(a, swap)
    tot, _ = E.reducers(a.directed)
    for d, row in enumerate(swap):
        X0 = np.where(row[:, None], a.X1, a.X0)
        X1 = np.where(row[:, None], a.X0, a.X1)
        slow = E.design_values(a, "single cohort", tot, X0=X0, X1=X1)
        assert set(slow) == set(fast)
        for key, value in slow.items():
            np.testing.assert_array_equal(fast[key][d], value)


@pytest.mark.parametrize("min_strength", [None, 2.0, 4.0])
@pytest.mark.parametrize("missing", ["absent", "reconstruct"])
def test_nomination_matrices_are_the_person_graphs_adjacency(min_strength, missing):
    # the evaluation reads the tie matrices without building graphs: they must
    # be the directed person graph's adjacency on the same people
    for survey in (sn.load_sample(), sn.load_comparison_sample()):
        arrays = cohort_arrays(survey, "pre", "post", relation="advice",
                               min_strength=min_strength, symmetrize=None,
                               missing=missing)
        for wave, X in (("pre", arrays.X0), ("post", arrays.X1)):
            G = survey.person_graph(wave, "advice", min_strength=min_strength,
                                    missing=missing, members_of=("pre", "post"))
            assert list(G) == list(arrays.ids)
            expected = nx.to_numpy_array(G, nodelist=list(arrays.ids), weight=None)
            np.fill_diagonal(expected, 0.0)
            assert np.array_equal(X, expected) and X.sum() > 0
