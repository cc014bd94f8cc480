"""Membership over time, trajectories and persistence on a hand-computed fixture.

The fixture ``tests/fixtures/three_waves`` (relation ``advice``, waves ``pre``,
``post``, ``follow-up``; ties union-symmetrised, i.e. pairs of people):

    people   A: a1 a2 a3    B: b1 b2 b3 (b3 leaves: last_wave = pre)
             C: c1 (joins: first_wave = post)
    members  pre: a1 a2 a3 b1 b2 b3      post, follow-up: a1 a2 a3 b1 b2 c1
    non-respondents (members who did not answer)
             pre: a3        post: b2        follow-up: a2

    rows dropped by validation (outside membership):
      ties "pre,c1,a1" (c1 not yet a member), "post,b1,b3" (b3 has left);
      respondents "post,b3".

    pairs tied (W = within an organisation, X = across):
      pre        a1-a2 W, a1-b1 X, b1-b2 W, a1-b3 X, a2-b2 X
      post       a1-a2 W, a1-b1 X, b1-b2 W, a3-b1 X, a1-a3 W, a1-c1 X, a2-b1 X
      follow-up  a1-a2 W, b1-b2 W, a3-b1 X, a1-a3 W, a1-c1 X, b2-c1 X, a3-b2 X

Wave measures (members of the wave only):
  pre   6 members (A 3, B 3): 15 pairs, 9 cross, 6 within; 5 ties, E = 3, I = 2
        density 5/15, cross density 3/9, E-I (3-2)/5 = 0.2,
        expected E-I (9-6)/15 = 0.2, log odds ratio log((2/4)/(3/6)) = 0,
        response rate 5/6 (a3 did not answer; c1 is not counted at all)
  post  6 members (A 3, B 2, C 1): 15 pairs, 11 cross, 4 within; 7 ties, E = 4,
        I = 3: density 7/15, cross density 4/11, E-I 1/7, expected (11-4)/15,
        log odds ratio log((3/1)/(4/7)) = log 5.25, response rate 5/6
  follow-up  the same members and counts as post: E = 4 (a3-b1, a1-c1,
        b2-c1, a3-b2), I = 3 (a1-a2, b1-b2, a1-a3)

Transition pre -> post (members in both: a1 a2 a3 b1 b2; b3's a1-b3 and
c1's a1-c1 are structurally absent):
  before  a1-a2 W, a1-b1 X, b1-b2 W, a2-b2 X
  after   a1-a2 W, a1-b1 X, b1-b2 W, a3-b1 X, a1-a3 W, a2-b1 X
  new 3 (a3-b1, a1-a3, a2-b1), lost 1 (a2-b2), stable 3 -> Jaccard 3/7
  cross: new 2, lost 1, stable 1 -> Jaccard 1/4
  cross pairs 6 (A x B), tied before 2 -> formation 2 of 4, persistence 1 of 2
  within pairs 4 (a1a2 a1a3 a2a3 b1b2), tied before 2 -> formation 1 of 2
  (a1-a3), persistence 2 of 2
Transition post -> follow-up (members in both: a1 a2 a3 b1 b2 c1):
  stable 5 (a1-a2, b1-b2, a3-b1, a1-a3, a1-c1), lost 2 (a1-b1, a2-b1),
  new 2 (b2-c1, a3-b2) -> Jaccard 5/9; cross new 2, lost 2, stable 2 -> 2/6
  cross pairs 11, tied at post 4: formation 2 of 7, persistence 2 of 4
  within pairs 4, tied at post 3: formation 0 of 1, persistence 3 of 3
Persistence, formed pre -> post, checked at follow-up (members in all three
waves: a1 a2 a3 b1 b2):
  new during programme: a3-b1 X (lasts), a2-b1 X (gone), a1-a3 W (lasts)
     -> cross 1 of 2, within 1 of 1, all 2 of 3
  existing before (tied at pre and post): a1-b1 X (gone), a1-a2 W, b1-b2 W
     (both last) -> cross 0 of 1, within 2 of 2, all 2 of 3
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import senatenet as sn
from senatenet.errors import InputError

WAVES = ("pre", "post", "follow-up")


@pytest.fixture(scope="module")
def survey(project_root):
    folder = project_root / "tests" / "fixtures" / "three_waves"
    return sn.read_survey(folder / "roster.csv", folder / "ties.csv",
                          respondents=folder / "respondents.csv", waves=list(WAVES))


@pytest.fixture(scope="module")
def traj(survey):
    return sn.trajectory(survey)


# ------------------------------------------------------------------ membership
def test_members_by_wave(survey):
    assert survey.members("pre") == {"a1", "a2", "a3", "b1", "b2", "b3"}
    assert survey.members("post") == {"a1", "a2", "a3", "b1", "b2", "c1"}
    assert survey.members("follow-up") == survey.members("post")
    changes = survey.membership_changes()
    assert changes[["wave", "person_id", "change"]].values.tolist() == [
        ["post", "c1", "joined"], ["post", "b3", "left"]]


def test_validation_lists_rows_outside_membership_and_joiners_leavers(survey):
    v = survey.validation
    ties = v[v["check"].eq("tie_outside_membership")]
    assert ties[["file", "row", "column", "value", "action"]].values.tolist() == [
        ["ties.csv", 7, "respondent", "c1", "dropped"],   # pre,c1,a1
        ["ties.csv", 15, "alter", "b3", "dropped"],       # post,b1,b3
    ]
    resp = v[v["check"].eq("respondent_outside_membership")]
    assert resp[["file", "row", "value", "severity"]].values.tolist() == [
        ["respondents.csv", 12, "b3", "warning"]]
    assert v[v["check"].eq("member_joined")][["row", "value"]].values.tolist() == [[8, "c1"]]
    assert v[v["check"].eq("member_left")][["row", "value"]].values.tolist() == [[7, "b3"]]
    pre = survey.ties[survey.ties["wave"].eq("pre")]
    assert "c1" not in set(pre["respondent"]) | set(pre["alter"])
    assert "b3" not in survey.responded("post")


def test_unknown_and_reversed_membership_labels_are_errors(tmp_path):
    roster = pd.DataFrame({"person_id": ["p", "q", "r"], "organisation": ["A", "B", "B"],
                           "first_wave": ["2", "later", ""], "last_wave": ["1", "", "1"]})
    ties = pd.DataFrame({"wave": ["1", "2"], "respondent": ["q", "q"], "alter": ["r", "p"]})
    s = sn.read_survey(roster, ties, waves=["1", "2"])
    v = s.validation
    assert v[v["check"].eq("unknown_membership_wave")][["row", "column", "value"]
                                                     ].values.tolist() == [[3, "first_wave", "later"]]
    assert v[v["check"].eq("membership_order")][["row", "value"]].values.tolist() == [[2, "2"]]
    assert s.members("1") == {"p", "q", "r"}  # p blanked to "every wave"
    assert s.members("2") == {"p", "q"}       # r left after wave 1
    with pytest.raises(sn.SurveyError):
        sn.read_survey(roster, ties, waves=["1", "2"], strict=True)


def test_survey_rejects_membership_outside_its_waves():
    people = pd.DataFrame({"organisation": ["A", "B"], "first_wave": ["x", ""]},
                          index=pd.Index(["p", "q"], name="person_id"))
    ties = pd.DataFrame({"wave": ["1"], "respondent": ["p"], "alter": ["q"]})
    with pytest.raises(InputError, match="first_wave 'x'"):
        sn.Survey(people, ties)


def test_graphs_hold_members_only_and_denominators_exclude_others(survey):
    G = survey.person_graph("pre", symmetrize="union")
    assert set(G) == {"a1", "a2", "a3", "b1", "b2", "b3"}
    assert G.graph["non_members"] == ["c1"]
    OG = survey.org_graph("post", symmetrize="union")
    assert OG.nodes["B"]["people"] == 2 and OG.nodes["C"]["people"] == 1
    rates = survey.response_rates().set_index(["wave", "organisation"])
    assert rates.loc[("pre", "B"), ["people", "respondents"]].tolist() == [3, 3]
    assert rates.loc[("post", "B"), ["people", "respondents"]].tolist() == [2, 1]
    assert math.isnan(rates.loc[("pre", "C"), "response_rate"])


def test_a_leavers_ties_are_never_lost_and_a_joiners_never_new(survey):
    cmp = sn.compare_waves(survey, "pre", "post", symmetrize="union", n_permutations=0,
                           seed=1)
    people = set(cmp.ties["source"]) | set(cmp.ties["target"])
    assert "b3" not in people and "c1" not in people
    assert list(cmp.graphs["before"]) == ["a1", "a2", "a3", "b1", "b2"]
    assert cmp.turnover.loc["all", ["new", "lost", "stable"]].tolist() == [3, 1, 3]
    assert cmp.turnover.loc["cross_boundary", ["new", "lost", "stable"]].tolist() == [2, 1, 1]
    later = sn.compare_waves(survey, "post", "follow-up", symmetrize="union",
                             n_permutations=0, seed=1)
    lost = later.ties[later.ties["status"].eq("lost")]
    assert sorted(map(tuple, lost[["source", "target"]].values)) == [("a1", "b1"),
                                                                     ("a2", "b1")]
    new = later.ties[later.ties["status"].eq("new")]  # c1 is a member in both waves here
    assert sorted(map(tuple, new[["source", "target"]].values)) == [("a3", "b2"),
                                                                    ("b2", "c1")]


def test_compare_waves_works_for_non_adjacent_waves(survey):
    cmp = sn.compare_waves(survey, "pre", "follow-up", symmetrize="union",
                           n_permutations=0, seed=1)
    # members in both: a1 a2 a3 b1 b2; stable a1-a2, b1-b2; lost a1-b1, a2-b2;
    # new a3-b1, a1-a3, a3-b2
    assert cmp.turnover.loc["all", ["new", "lost", "stable"]].tolist() == [3, 2, 2]
    assert cmp.turnover.loc["cross_boundary", ["new", "lost", "stable"]].tolist() == [2, 2, 0]


# ---------------------------------------------------------------- trajectory
def test_wave_measures_match_the_hand_computation(traj):
    m = traj.measures.set_index(["wave", "measure"])["value"]
    expected = {
        "pre": dict(members=6, response_rate=5 / 6, ties=5, density=5 / 15,
                    cross_boundary_pairs=3, cross_boundary_density=3 / 9, ei=0.2,
                    ei_expected=0.2, mixing_log_odds_ratio=0.0),
        "post": dict(members=6, response_rate=5 / 6, ties=7, density=7 / 15,
                     cross_boundary_pairs=4, cross_boundary_density=4 / 11, ei=1 / 7,
                     ei_expected=7 / 15, mixing_log_odds_ratio=math.log(5.25)),
    }
    expected["follow-up"] = expected["post"]
    for wave, values in expected.items():
        for measure, value in values.items():
            assert m[(wave, measure)] == pytest.approx(value), (wave, measure)
    assert list(traj.measures.columns) == ["wave", "measure", "value", "ci_low", "ci_high"]
    with_ci = traj.measures.dropna(subset=["ci_low"])
    assert set(with_ci["measure"]) == {"density", "cross_boundary_density", "ei",
                                       "mixing_log_odds_ratio"}
    assert (with_ci["ci_low"] <= with_ci["value"] + 1e-12).all()
    assert (with_ci["value"] <= with_ci["ci_high"] + 1e-12).all()


def test_transitions_match_the_hand_computation(traj):
    t = traj.transitions.set_index(["before", "after"])
    a = t.loc[("pre", "post")]
    assert [a[k] for k in ("members", "new", "lost", "stable")] == [5, 3, 1, 3]
    assert a["jaccard"] == pytest.approx(3 / 7)
    assert [a[k] for k in ("cross_new", "cross_lost", "cross_stable")] == [2, 1, 1]
    assert a["cross_jaccard"] == pytest.approx(1 / 4)
    for key, k, n in (("formation_cross", 2, 4), ("persistence_cross", 1, 2),
                      ("formation_within", 1, 2), ("persistence_within", 2, 2)):
        assert (a[f"{key}_k"], a[f"{key}_n"]) == (k, n), key
        assert a[key] == pytest.approx(k / n)
    b = t.loc[("post", "follow-up")]
    assert [b[k] for k in ("members", "new", "lost", "stable")] == [6, 2, 2, 5]
    assert b["jaccard"] == pytest.approx(5 / 9)
    assert b["cross_jaccard"] == pytest.approx(2 / 6)
    for key, k, n in (("formation_cross", 2, 7), ("persistence_cross", 2, 4),
                      ("formation_within", 0, 1), ("persistence_within", 3, 3)):
        assert (b[f"{key}_k"], b[f"{key}_n"]) == (k, n), key
        assert b[key] == pytest.approx(k / n)


def test_transitions_agree_with_compare_waves(survey, traj):
    for r in traj.transitions.itertuples(index=False):
        cmp = sn.compare_waves(survey, r.before, r.after, symmetrize="union",
                               n_permutations=0, seed=0)
        assert cmp.turnover.loc["all", ["new", "lost", "stable"]].tolist() == [
            r.new, r.lost, r.stable]


def test_persistence_matches_the_hand_computation(traj):
    p = traj.persistence(("pre", "post"), "follow-up").set_index(["ties", "boundary"])
    expected = {
        ("new during programme", "cross_boundary"): (2, 1),
        ("new during programme", "within"): (1, 1),
        ("new during programme", "all"): (3, 2),
        ("existing before", "cross_boundary"): (1, 0),
        ("existing before", "within"): (2, 2),
        ("existing before", "all"): (3, 2),
    }
    for key, (n, k) in expected.items():
        assert (p.loc[key, "n"], p.loc[key, "still_present"]) == (n, k), key
        assert p.loc[key, "rate"] == pytest.approx(k / n)
        assert 0 <= p.loc[key, "ci_low"] <= p.loc[key, "rate"] <= p.loc[key, "ci_high"] <= 1
    assert traj.persistence().equals(traj.persistence(("pre", "post"), "follow-up"))
    sentence = traj.persistence_sentence()
    assert sentence.startswith("Of the 2 cross-organisation ties formed during the "
                               "programme (pre \u2192 post), 1 was still there at follow-up")


def test_jackknife_interval_by_hand():
    # formation across organisations pre -> post: eligible a1 a2 a3 b1 b2
    # (positions 0-4, A = 0-2, B = 3-4); untied cross pairs a1-b2, a2-b1, a3-b1,
    # a3-b2, of which a2-b1 and a3-b1 formed: 2/4. Leave one person out:
    # a1 -> 2/3, a2 -> 1/3, a3 -> 1/2, b1 -> 0/2, b2 -> 2/2; mean 1/2; sum of
    # squared deviations 1/36 + 1/36 + 0 + 1/4 + 1/4 = 5/9;
    # SE = sqrt(4/5 * 5/9) = 2/3; 0.5 +/- 1.96 * 2/3 is clipped to [0, 1].
    den = np.zeros((5, 5), dtype=bool)
    num = np.zeros((5, 5), dtype=bool)
    for i, j in ((0, 4), (1, 3), (2, 3), (2, 4)):
        den[i, j] = True
    num[1, 3] = num[2, 3] = True
    r = sn.rate_interval(num, den)
    assert (r["k"], r["n"], r["rate"]) == (2, 4, 0.5)
    assert r["se"] == pytest.approx(2 / 3)
    assert (r["ci_low"], r["ci_high"]) == (0.0, 1.0)


def test_all_or_nothing_rates_still_get_an_interval():
    den = np.triu(np.ones((4, 4), dtype=bool), 1)
    r = sn.rate_interval(den, den)  # 6 of 6: every jackknife replicate is 1
    assert r["rate"] == 1.0 and r["se"] == 0.0
    assert r["ci_low"] == pytest.approx(0.6097, abs=1e-3)  # Wilson 6/6 lower bound
    assert r["ci_high"] == 1.0


def test_bootstrap_is_seeded_and_independent_of_n_jobs(survey):
    a = sn.trajectory(survey, interval="bootstrap", n_boot=200, seed=3, n_jobs=1)
    b = sn.trajectory(survey, interval="bootstrap", n_boot=200, seed=3, n_jobs=2)
    c = sn.trajectory(survey, interval="bootstrap", n_boot=200, seed=4)
    pd.testing.assert_frame_equal(a.transitions, b.transitions)
    pd.testing.assert_frame_equal(a.persistence(), b.persistence())
    assert not a.measures["ci_low"].equals(c.measures["ci_low"])
    assert a.options["seed"] == 3


def test_persistence_by_participant_splits_pairs():
    s = sn.load_sample(follow_up=True)
    tr = sn.trajectory(s, spec={"relation": "collaborate"})
    by = tr.persistence(by="participant")
    everyone = tr.persistence()
    both = by[by["pairs"].eq("participant\u2013participant")].reset_index(drop=True)
    # every member in all three waves is a participant, so the split is the whole
    assert both["n"].tolist() == everyone["n"].tolist()


def test_bad_arguments(survey, traj):
    with pytest.raises(InputError, match="at least two waves"):
        sn.trajectory(survey, ["pre"])
    with pytest.raises(InputError, match="unknown wave"):
        sn.trajectory(survey, ["pre", "later"])
    with pytest.raises(InputError, match="panel"):
        sn.trajectory(survey, spec={"missing": "panel"})
    with pytest.raises(InputError, match="three different"):
        traj.persistence(("pre", "post"), "post")
    with pytest.raises(InputError, match="persistence needs three waves"):
        sn.trajectory(survey, ["pre", "post"]).persistence()


def test_follow_up_sample_keeps_the_senate_waves():
    senate, follow = sn.load_sample(), sn.load_sample(follow_up=True)
    assert follow.waves == WAVES
    for wave in ("pre", "post"):
        a = senate.ties[senate.ties["wave"].eq(wave)].drop(columns="source_row")
        b = follow.ties[follow.ties["wave"].eq(wave)].drop(columns="source_row")
        pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))
    assert follow.membership_changes()[["person_id", "change"]].values.tolist() == [
        ["S27", "joined"], ["S14", "left"]]
    assert set(follow.validation["severity"]) == {"info"}


def test_follow_up_sample_files_are_generated(tmp_path, project_root):
    written = sn.write_sample(tmp_path, ("follow-up",))
    for name, path in written["follow-up"].items():
        committed = project_root / "data" / "sample" / "follow-up" / f"{name}.csv"
        assert path.read_bytes() == committed.read_bytes(), name


def test_log_odds_ratio_with_an_empty_cell_adds_a_half_everywhere():
    # wave 1: p-q tied (the one within pair), no cross tie: cells within 1 tied /
    # 0 untied, across 0 tied / 2 untied -> Haldane-Anscombe:
    # log((1.5 * 2.5) / (0.5 * 0.5)) = log 15
    people = pd.DataFrame({"organisation": ["A", "A", "B"]},
                          index=pd.Index(["p", "q", "r"], name="person_id"))
    ties = pd.DataFrame({"wave": ["1", "2"], "respondent": ["p", "p"], "alter": ["q", "r"]})
    tr = sn.trajectory(sn.Survey(people, ties))
    m = tr.measures.set_index(["wave", "measure"])["value"]
    assert m[("1", "mixing_log_odds_ratio")] == pytest.approx(math.log(15))
    # wave 2: within 0 of 1, across 1 of 2 -> log((0.5 * 1.5) / (1.5 * 1.5))
    assert m[("2", "mixing_log_odds_ratio")] == pytest.approx(math.log(0.75 / 2.25))


def test_pseudonymised_survey_keeps_membership_and_numbers(survey, traj):
    p = sn.pseudonymise(survey, b"an example key, keep yours secret")
    assert len(p.membership_changes()) == 2
    other = sn.trajectory(p)
    cols = ["new", "lost", "stable", "formation_cross", "persistence_cross"]
    pd.testing.assert_frame_equal(other.transitions[cols], traj.transitions[cols])


def test_report_reads_a_three_wave_survey_as_programme_then_follow_up(survey, tmp_path, figures_not_rendered):
    import json

    path = sn.build_report(survey, out_dir=tmp_path, symmetrize="union",
                           n_permutations=0, n_power=20, seed=0)
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["options"]["before"] == "pre" and manifest["options"]["after"] == "post"
    assert manifest["options"]["follow_ups"] == ["follow-up"]
    assert any("first two" in n for n in manifest["notes"])
    html = path.read_text(encoding="utf-8")
    assert 'id="follow-up"' in html and "1 was still there at follow-up" in html
    # two waves only: no follow-up section, as before
    path2 = sn.build_report(survey, "pre", "post", out_dir=tmp_path / "two",
                            symmetrize="union", n_permutations=0, n_power=20, seed=0)
    assert 'id="follow-up"' not in path2.read_text(encoding="utf-8")
    assert figures_not_rendered  # the figures were drawn, on this data


def test_report_adds_a_comparison_cohorts_persistence(survey, tmp_path, figures_not_rendered):
    path = sn.build_report(survey, waves=list(WAVES), out_dir=tmp_path, symmetrize="union",
                           comparison_surveys={"Again": survey}, n_permutations=0,
                           n_power=20, seed=0)
    table = pd.read_csv(tmp_path / "tables" / "persistence.csv")
    assert list(table["cohort"].unique()) == ["Programme", "Again"]
    html = path.read_text(encoding="utf-8")
    assert ("In the comparison group Again, 1 of 2 cross-organisation ties formed over "
            "the same period lasted (50%") in html
    assert figures_not_rendered  # the figures were drawn, on this data
