"""compare_waves / WaveComparison: hand-built surveys, the sample story, edge cases."""

from __future__ import annotations

import warnings

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import senatenet as sn
from senatenet import InputError, Survey, compare_waves, ei_change_test, ei_index


def make_survey(people, ties, respondents=None):
    """people: {id: (org, sector)}; ties: [(wave, i, j, strength)]."""
    frame = pd.DataFrame(
        {"name": [f"Person {p}" for p in people],
         "organisation": [v[0] for v in people.values()],
         "sector": [v[1] for v in people.values()]},
        index=pd.Index(list(people), name="person_id"),
    )
    t = pd.DataFrame(ties, columns=["wave", "respondent", "alter", "strength"])
    t["relation"] = "works_with"
    if respondents is None:
        respondents = [(w, p) for w in ("pre", "post") for p in people]
    r = pd.DataFrame(respondents, columns=["wave", "person_id"])
    return Survey(frame, t, r, waves=["pre", "post"])


PEOPLE = {"a": ("X", "ccg"), "b": ("X", "ccg"), "c": ("Y", "provider"),
          "d": ("Y", "provider"), "e": ("Z", "provider")}
TIES = [
    ("pre", "a", "b", 3), ("pre", "c", "d", 2), ("pre", "a", "c", 1),
    ("post", "a", "b", 4), ("post", "a", "c", 2), ("post", "b", "e", 5), ("post", "d", "e", 1),
]


@pytest.fixture
def small():
    return make_survey(PEOPLE, TIES)


def test_ties_and_turnover_by_hand(small):
    cmp = compare_waves(small, "pre", "post", symmetrize="union", n_permutations=50, seed=3)
    t = cmp.ties.set_index(["source", "target"])
    # pre: ab, cd, ac; post: ab, ac, be, de
    assert t.loc[("a", "b"), "status"] == "stable"
    assert t.loc[("c", "d"), "status"] == "lost"
    assert t.loc[("b", "e"), "status"] == "new"
    assert t.loc[("d", "e"), "status"] == "new"
    assert len(t) == 5
    assert t.loc[("a", "c"), "cross_boundary"] and not t.loc[("a", "b"), "cross_boundary"]
    assert t.loc[("a", "b"), ["strength_before", "strength_after"]].tolist() == [3.0, 4.0]
    assert np.isnan(t.loc[("b", "e"), "strength_before"])
    assert t.loc[("b", "e"), ["organisation_source", "organisation_target"]].tolist() == ["X", "Z"]
    tv = cmp.turnover
    assert tv.loc["all", ["new", "lost", "stable", "hamming"]].tolist() == [2, 1, 2, 3]
    assert tv.loc["all", "jaccard"] == pytest.approx(2 / 5)
    # cross-boundary dyads: ac (stable), be (new), de (new)
    assert tv.loc["cross_boundary", ["new", "lost", "stable"]].tolist() == [2, 0, 1]
    assert tv.loc["cross_boundary", "jaccard"] == pytest.approx(1 / 3)


def test_directed_ties_are_ordered_pairs(small):
    cmp = compare_waves(small, "pre", "post", n_permutations=20, seed=1)
    # cross-boundary nominations: pre a->c; post a->c, b->e, d->e
    assert "Nominations between organisations rose from 1 to 3" in str(cmp)
    assert cmp.graphs["before"].is_directed()
    assert set(map(tuple, cmp.ties[["source", "target"]].to_numpy())) == {
        ("a", "b"), ("c", "d"), ("a", "c"), ("b", "e"), ("d", "e")}


def test_tables_follow_the_contract(small):
    cmp = compare_waves(small, "pre", "post", symmetrize="union", n_permutations=30, seed=5)
    assert cmp.relation == "works_with"
    for key in ("seed", "n_permutations", "min_strength", "symmetrize", "missing"):
        assert key in cmp.options
    assert cmp.options["seed"] == 5
    assert list(cmp.graphs["before"]) == list(cmp.graphs["after"])
    assert list(cmp.summary.columns) == ["before", "after", "change"]
    np.testing.assert_allclose(cmp.summary["change"], cmp.summary["after"] - cmp.summary["before"])
    assert cmp.summary.loc["external_ties", "before"] == 1  # ac
    assert cmp.summary.loc["external_ties", "after"] == 3  # ac, be, de
    assert cmp.people.index.name == "person_id"
    assert cmp.people.loc["e", "name"] == "Person e"
    for m in ("degree", "external_ties", "internal_ties", "ei", "betweenness", "constraint", "brokerage"):
        for s in ("before", "after", "change"):
            assert f"{m}_{s}" in cmp.people.columns
    assert cmp.people.loc["e", ["degree_before", "degree_after", "degree_change"]].tolist() == [0, 2, 2]
    assert cmp.people.loc["e", "external_ties_after"] == 2
    org = cmp.organisations
    assert list(org.index) == ["X", "Y", "Z"]
    for m in ("internal_ties", "external_ties", "ei", "response_rate"):
        assert f"{m}_change" in org.columns
    # Z is a one-person organisation: no internal ties, every tie external
    assert org.loc["Z", "internal_ties_after"] == 0 and org.loc["Z", "ei_after"] == 1
    assert org.loc["X", "response_rate_before"] == 1
    bd = cmp.block_density
    pd.testing.assert_frame_equal(bd["change"], bd["after"] - bd["before"])
    assert bd["after"].loc["X", "Z"] == pytest.approx(1 / 2)  # be of 2 possible pairs
    assert list(cmp.tests.columns) == [
        "test", "statistic", "observed", "p_greater", "p_less", "p_two_sided",
        "n_permutations", "seed", "note"]
    names = cmp.tests["test"].tolist()
    assert any(n.startswith("E-I change") for n in names)
    assert any(n.startswith("QAP") for n in names)
    assert "MR-QAP: same organisation" in names and "MR-QAP: same sector" in names
    pos = cmp.layout(seed=0)
    assert set(pos) == set(PEOPLE)


def test_each_test_row_reproduces_alone(small):
    cmp = compare_waves(small, "pre", "post", symmetrize="union", n_permutations=40, seed=11)
    rows = cmp.tests.set_index("test")
    q = rows.loc["QAP correlation between waves"]
    alone = sn.qap_test(cmp.graphs["before"], cmp.graphs["after"], n_permutations=40, seed=q["seed"])
    assert alone.observed == pytest.approx(q["observed"]) and alone.p_greater == q["p_greater"]
    mr = rows.loc["MR-QAP: same organisation"]
    table = sn.mrqap(cmp.graphs["after"], {"before": cmp.graphs["before"],
                                           "same_organisation": "organisation",
                                           "same_sector": "sector"},
                     n_permutations=40, seed=mr["seed"])
    assert table.loc["same_organisation", "coef"] == pytest.approx(mr["observed"])
    again = compare_waves(small, "pre", "post", symmetrize="union", n_permutations=40, seed=11)
    pd.testing.assert_frame_equal(cmp.tests, again.tests)


def test_ei_change_test_permutes_labels_only():
    """Brute force: shuffle organisation labels, recompute E-I with ei_index."""
    G1 = nx.gnm_random_graph(12, 14, seed=1)
    G2 = nx.gnm_random_graph(12, 20, seed=2)
    orgs = {i: "ABC"[i % 3] for i in range(12)}
    for G in (G1, G2):
        nx.set_node_attributes(G, orgs, "organisation")
    res = ei_change_test(G1, G2, n_permutations=30, seed=4)
    assert res["ei_before"] == pytest.approx(ei_index(G1).loc["network", "ei"])
    assert res["ei_after"] == pytest.approx(ei_index(G2).loc["network", "ei"])
    labels = np.unique(np.array(list(orgs.values()), dtype=object), return_inverse=True)[1]
    perms = np.random.default_rng(4).permuted(np.broadcast_to(np.arange(12), (30, 12)), axis=1)
    expected = []
    for p in perms:
        relabel = {i: str(labels[p[i]]) for i in range(12)}
        H1, H2 = G1.copy(), G2.copy()
        nx.set_node_attributes(H1, relabel, "organisation")
        nx.set_node_attributes(H2, relabel, "organisation")
        expected.append(ei_index(H2).loc["network", "ei"] - ei_index(H1).loc["network", "ei"])
    np.testing.assert_allclose(res["distribution"], expected)
    assert nx.get_node_attributes(G1, "organisation") == orgs  # not mutated


def test_sample_shows_the_programme_story():
    senate = sn.load_sample()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        cmp = compare_waves(senate, "pre", "post", relation="collaborate",
                            symmetrize="union", n_permutations=200, seed=2012)
    s = cmp.summary
    assert s.loc["external_ties", "after"] > 2 * s.loc["external_ties", "before"]
    assert s.loc["ei", "after"] > s.loc["ei", "before"]
    t = cmp.tests.set_index("test")
    assert t.loc["E-I change (after - before), label permutation", "p_greater"] < 0.01
    assert t.loc["MR-QAP: same organisation", "p_greater"] > 0.05  # no longer a silo effect
    text = str(cmp)
    assert "Ties between organisations rose" in text and "unlikely by chance" in text
    assert "Response rate" in text and "Missing responses" in text


def test_comparison_cohort_shows_no_change():
    other = sn.load_comparison_sample()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        cmp = compare_waves(other, "pre", "post", relation="collaborate",
                            symmetrize="union", n_permutations=200, seed=2012)
    t = cmp.tests.set_index("test")
    assert t.loc["E-I change (after - before), label permutation", "p_greater"] > 0.05
    assert t.loc["MR-QAP: same organisation", "observed"] > 0
    assert t.loc["MR-QAP: same organisation", "p_greater"] < 0.05
    assert "could be chance" in str(cmp)


def test_person_in_one_wave_only():
    # e answers only after; with the panel policy e is left out of both graphs.
    resp = [("pre", p) for p in "abcd"] + [("post", p) for p in "abcde"]
    s = make_survey(PEOPLE, TIES, resp)
    cmp = compare_waves(s, "pre", "post", symmetrize="union", n_permutations=20, seed=1)
    assert cmp.graphs["before"].nodes["e"]["responded"] is False
    panel = compare_waves(s, "pre", "post", symmetrize="union", missing="panel",
                          n_permutations=20, seed=1)
    assert "e" not in panel.graphs["before"] and "e" not in panel.graphs["after"]
    assert "e" not in set(panel.ties["source"]) | set(panel.ties["target"])
    assert "outside the panel" in str(panel)
    assert panel.options["missing"] == "panel"


def test_no_cross_boundary_ties_at_all():
    ties = [("pre", "a", "b", 1), ("pre", "c", "d", 1), ("post", "a", "b", 1), ("post", "d", "c", 1)]
    s = make_survey(PEOPLE, ties)
    cmp = compare_waves(s, "pre", "post", symmetrize="union", n_permutations=50, seed=1)
    assert cmp.summary.loc["ei", "before"] == -1 and cmp.summary.loc["ei", "after"] == -1
    assert cmp.turnover.loc["cross_boundary", ["new", "lost", "stable"]].tolist() == [0, 0, 0]
    assert np.isnan(cmp.turnover.loc["cross_boundary", "jaccard"])
    row = cmp.tests.set_index("test").loc["E-I change (after - before), label permutation"]
    assert row["observed"] == 0
    assert "Ties between organisations stayed at 0" in str(cmp)


def test_low_stability_warns():
    ties = [("pre", "a", "b", 1), ("pre", "c", "d", 1), ("post", "a", "c", 1), ("post", "b", "e", 1)]
    s = make_survey(PEOPLE, ties)
    with pytest.warns(UserWarning, match="Jaccard"):
        cmp = compare_waves(s, "pre", "post", n_permutations=10, seed=1)
    assert any("Jaccard" in w for w in cmp.warnings)


def test_html_escapes_survey_text_and_survey_is_unchanged():
    people = dict(PEOPLE)
    people["e"] = ("<script>alert(1)</script>", "provider")
    resp = [("pre", p) for p in people] + [("post", p) for p in "abcd"]
    s = make_survey(people, TIES, resp)
    ties_before = s.ties.copy()
    cmp = compare_waves(s, "pre", "post", symmetrize="union", n_permutations=20, seed=1)
    page = cmp._repr_html_()
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # named as lowest response rate
    pd.testing.assert_frame_equal(s.ties, ties_before)


def test_bad_options_are_loud(small):
    with pytest.raises(InputError):
        compare_waves(small, "pre", "pre")
    with pytest.raises(InputError):
        compare_waves(small, "pre", "later")
    with pytest.raises(InputError):
        compare_waves(small, "pre", "post", n_permutations=-1)


def test_no_ties_at_all_and_a_single_organisation_do_not_crash():
    empty = make_survey(PEOPLE, [("pre", "a", "b", 1)])
    empty = empty.replace(ties=empty.ties.iloc[:0])
    cmp = compare_waves(empty, "pre", "post", n_permutations=10, seed=1)
    assert cmp.mrqap is None and any("no ties" in w for w in cmp.warnings)
    assert np.isnan(cmp.tests.set_index("test").loc["QAP correlation between waves", "observed"])
    assert "undefined" in str(cmp)
    one = make_survey({k: ("X", "s") for k in PEOPLE}, [("pre", "a", "b", 1), ("post", "a", "c", 1)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        cmp = compare_waves(one, "pre", "post", n_permutations=10, seed=1)
    assert "MR-QAP: same organisation" not in set(cmp.tests["test"])
    assert any("everyone has the same value" in w for w in cmp.warnings)
