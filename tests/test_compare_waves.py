"""compare_waves / WaveComparison: hand-built surveys, the sample story, edge cases."""

from __future__ import annotations

import warnings

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import senatenet as sn
from senatenet import (
    InputError,
    Survey,
    compare_waves,
    ei_change_swap_test,
    ei_change_test,
    ei_index,
)
from senatenet.resample import permutations


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
        "test_id", "test", "statistic", "observed", "p_greater", "p_less", "p_two_sided",
        "n_permutations", "seed", "note"]
    names = cmp.tests["test"].tolist()
    assert any(n.startswith("E-I change") for n in names)
    assert any(n.startswith("QAP") for n in names)
    assert "MR-QAP: same organisation" in names and "MR-QAP: same sector" in names
    assert cmp.tests["test_id"].tolist() == [
        "ei_change_swap", "ei_change_label", "ei_before_label", "ei_after_label",
        "qap_waves", "mrqap_before", "mrqap_same_organisation", "mrqap_same_sector"]
    assert cmp.test("qap_waves")["test"] == "QAP correlation between waves"
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
    perms = permutations(lambda p: p, 12, 30, 4, batch=10**6)  # the engine's stream
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
    assert t.loc["E-I change (after - before), answers swapped between waves", "p_greater"] < 0.01
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
    assert t.loc["E-I change (after - before), answers swapped between waves", "p_greater"] > 0.05
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


# --- review fixes: the E-I change test, p-values in words, seeds -------------

def ring_survey(extra_post_ties):
    """Three organisations of six people, each a ring of ties in both waves."""
    people = {f"p{i:02d}": ("ABC"[i // 6], "s") for i in range(18)}
    ids = list(people)
    ties = [(w, ids[6 * g + k], ids[6 * g + (k + 1) % 6], 1)
            for g in range(3) for k in range(6) for w in ("pre", "post")]
    return make_survey(people, ties + [("post", a, b, 1) for a, b in extra_post_ties])


def test_one_new_tie_is_not_called_a_significant_shift():
    """Regression: the label-permutation test calls one new tie significant when
    the network before was entirely inside organisations; the headline test
    (answers swapped between waves) must not."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        cmp = compare_waves(ring_survey([("p00", "p17")]), "pre", "post",
                            symmetrize="union", n_permutations=199, seed=1)
    t = cmp.tests.set_index("test")
    assert t.index[0] == "E-I change (after - before), answers swapped between waves"
    assert t.loc["E-I change (after - before), label permutation", "p_greater"] < 0.05
    swap = t.loc["E-I change (after - before), answers swapped between waves"]
    assert swap["p_greater"] > 0.3
    assert "could be chance" in str(cmp) and "unlikely by chance" not in str(cmp)
    many = [(f"p{i:02d}", f"p{j:02d}") for i in range(6) for j in range(6, 18, 3)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        big = compare_waves(ring_survey(many), "pre", "post", symmetrize="union",
                            n_permutations=199, seed=1)
    row = big.tests.set_index("test").loc["E-I change (after - before), answers swapped between waves"]
    assert row["p_greater"] < 0.05 and "unlikely by chance" in str(big)


@pytest.mark.parametrize("symmetrize", ["union", "reciprocal"])
def test_swap_test_distribution_equals_explicit_swaps(symmetrize):
    G1 = nx.gnp_random_graph(9, 0.25, seed=1, directed=True)
    G2 = nx.gnp_random_graph(9, 0.35, seed=2, directed=True)
    orgs = {i: "XYZ"[i % 3] for i in range(9)}
    for G in (G1, G2):
        nx.set_node_attributes(G, orgs, "organisation")
    snapshot = (nx.to_dict_of_dicts(G1), nx.to_dict_of_dicts(G2))
    res = ei_change_swap_test(G1, G2, symmetrize=symmetrize, n_permutations=60, seed=5)
    # one batch of the resampling engine: its generator is spawned from the seed
    swaps = sn.resample.batch_generators(5, 1)[0].random((60, 9)) < 0.5

    def ei(G):
        H = nx.Graph()
        H.add_nodes_from(G.nodes(data=True))
        H.add_edges_from((u, v) for u, v in G.edges()
                         if symmetrize == "union" or G.has_edge(v, u))
        return ei_index(H).loc["network", "ei"] if H.number_of_edges() else np.nan

    def swapped(mask):
        B, A = nx.DiGraph(), nx.DiGraph()
        for H in (B, A):
            H.add_nodes_from(G1.nodes(data=True))
        for i in range(9):
            first, second = (G2, G1) if mask[i] else (G1, G2)
            B.add_edges_from(first.out_edges(i))
            A.add_edges_from(second.out_edges(i))
        return ei(A) - ei(B)

    np.testing.assert_allclose(res["distribution"], [swapped(m) for m in swaps])
    assert res["observed"] == pytest.approx(ei(G2) - ei(G1))
    assert snapshot == (nx.to_dict_of_dicts(G1), nx.to_dict_of_dicts(G2))
    again = ei_change_swap_test(G1, G2, symmetrize=symmetrize, n_permutations=60, seed=5, n_jobs=2)
    np.testing.assert_array_equal(res["distribution"], again["distribution"])
    with pytest.raises(InputError):
        ei_change_swap_test(G1, G2, symmetrize="both")


def test_swap_test_agrees_with_the_summary_under_every_option():
    senate = sn.load_sample()
    for sym in (None, "union", "reciprocal"):
        for missing in ("absent", "reconstruct", "panel"):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                cmp = compare_waves(senate, "pre", "post", relation="collaborate", symmetrize=sym,
                                    missing=missing, min_strength=3, n_permutations=20, seed=1)
            assert cmp.swap_test["ei_before"] == pytest.approx(cmp.summary.loc["ei", "before"])
            assert cmp.swap_test["ei_after"] == pytest.approx(cmp.summary.loc["ei", "after"])


def test_summary_reports_p_at_the_floor_and_the_seed_passed(small):
    senate = sn.load_sample()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        cmp = compare_waves(senate, "pre", "post", relation="collaborate",
                            symmetrize="union", n_permutations=199, seed=17)
    text = str(cmp)
    assert "p = 0.005, the smallest possible with 199 permutations" in text
    assert "p = 0.00502" not in text and "0.004975" not in text
    assert "seed 17" in text and "seed 18" not in text and "seed 19" not in text
    assert (cmp.tests["seed"] == 17).all()
    assert "Only 199 permutations" in text  # too few for reporting
    assert "percentage points" in text


def test_no_permutations_means_no_p_values(small):
    cmp = compare_waves(small, "pre", "post", symmetrize="union", n_permutations=0, seed=1)
    assert cmp.tests[["p_greater", "p_less", "p_two_sided"]].isna().all().all()
    text = str(cmp)
    assert "p = 1" not in text and "no permutation test run" in text
    assert "more than chance" not in text.split("Caveats")[0]
    assert np.isnan(sn.qap_test(cmp.graphs["before"], cmp.graphs["after"],
                                n_permutations=0, seed=1).p_greater)


def test_inferred_respondents_are_a_caveat(small):
    inferred = small.replace(respondents_inferred=True)
    cmp = compare_waves(inferred, "pre", "post", n_permutations=10, seed=1)
    assert "No list of respondents was given" in str(cmp)
    assert "No list of respondents" not in str(compare_waves(small, "pre", "post",
                                                               n_permutations=10, seed=1))


@pytest.mark.parametrize("symmetrize", ["union", "reciprocal"])
def test_swap_counts_equal_the_pair_by_pair_counts(symmetrize):
    # the swap test counts ties through a bilinear form; the definition is
    # pair by pair: tied before = combine(i named j in the wave i's answer is
    # taken from, j named i in the wave j's answer is taken from)
    from senatenet.compare.waves import _swap_counts

    rng = np.random.default_rng(11)
    combine = np.logical_or if symmetrize == "union" else np.logical_and
    for _ in range(20):
        n = int(rng.integers(2, 40))
        P = int(rng.integers(1, n * (n - 1) // 2 + 1))
        flat = rng.choice(n * n, size=4 * P, replace=True)
        iu, ju = np.divmod(flat, n)
        keep = iu < ju
        pairs = np.unique(np.column_stack([iu[keep], ju[keep]]), axis=0)
        if len(pairs) == 0:
            continue
        iu, ju = pairs[:, 0], pairs[:, 1]
        fwd = rng.random((2, len(iu))) < 0.5
        back = rng.random((2, len(iu))) < 0.5
        cross = rng.random(len(iu)) < 0.5
        swap = rng.random((17, n)) < 0.5
        L0, E0, L1, E1 = _swap_counts(fwd, back, iu, ju, cross, n, combine)(swap)
        si, sj = swap[:, iu], swap[:, ju]
        before = combine(np.where(si, fwd[1], fwd[0]), np.where(sj, back[1], back[0]))
        after = combine(np.where(si, fwd[0], fwd[1]), np.where(sj, back[0], back[1]))
        assert np.array_equal(L0, before.sum(axis=1)) and np.array_equal(L1, after.sum(axis=1))
        assert np.array_equal(E0, (before & cross).sum(axis=1))
        assert np.array_equal(E1, (after & cross).sum(axis=1))
