"""tie_change_model: formation/persistence as logistic regressions, missing senders."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import senatenet as sn
from senatenet.errors import InputError
from senatenet.models._logit import fit_logit


def _tiny():
    people = pd.DataFrame({"organisation": ["A", "A", "B", "B"], "participant": True},
                          index=pd.Index(["p1", "p2", "p3", "p4"], name="person_id"))
    ties = pd.DataFrame({
        "wave": ["pre", "pre", "post", "post", "post", "post"],
        "respondent": ["p1", "p2", "p1", "p1", "p2", "p3"],
        "alter": ["p2", "p3", "p2", "p3", "p4", "p1"],
    })
    resp = pd.DataFrame({"wave": ["pre"] * 3 + ["post"] * 4,
                         "person_id": ["p1", "p2", "p3", "p1", "p2", "p3", "p4"]})
    return sn.Survey(people, ties, resp)


def test_pairs_split_and_missing_senders_are_counted():
    m = sn.tie_change_model(_tiny(), "pre", "post", terms=("edges",))
    pairs = m.pairs.set_index("part")
    # p4 did not respond before: its 3 pairs are missing; 9 remain, 2 tied before
    assert pairs.loc["formation", "dropped_sender_no_response_before"] == 3
    assert pairs.loc["formation", "pairs_used"] == 7
    assert pairs.loc["persistence", "pairs_used"] == 2
    # new ties among the 7: p1->p3, p2->p4, p3->p1 -> logit(3/7)
    edges = m.formation.set_index("term").loc["edges", "estimate"]
    assert edges == pytest.approx(np.log(3 / 4))
    assert any("dropped as missing" in n for n in m.notes)


def test_formation_equals_a_logistic_regression_on_the_sample():
    s = sn.load_sample()
    m = sn.tie_change_model(s, "pre", "post", spec="advice",
                            terms=("edges", "nodematch(organisation)"))
    ids = s.people.index
    A = {w: np.zeros((26, 26)) for w in ("pre", "post")}
    t = s.ties[s.ties.relation == "advice"]
    for w in A:
        tw = t[t.wave == w]
        A[w][ids.get_indexer(tw.respondent), ids.get_indexer(tw.alter)] = 1
    both = ids.isin(list(s.responded("pre"))) & ids.isin(list(s.responded("post")))
    i, j = np.nonzero(both[:, None] & ~np.eye(26, dtype=bool) & (A["pre"] == 0))
    org = s.people.organisation.to_numpy()
    X = np.column_stack([np.ones(len(i)), (org[i] == org[j]).astype(float)])
    beta, cov, *_ = fit_logit(X, A["post"][i, j])
    np.testing.assert_allclose(m.formation["estimate"], beta, atol=1e-8)
    np.testing.assert_allclose(m.formation["std_error"], np.sqrt(np.diag(cov)), atol=1e-8)
    assert (m.formation["odds_ratio"] == np.exp(m.formation["estimate"])).all()


def test_comparison_pooling_adds_programme_and_interactions():
    m = sn.tie_change_model(sn.load_sample(), "pre", "post", spec="advice",
                            terms=("edges", "nodematch(organisation)"),
                            comparison=sn.load_comparison_sample())
    assert m.design == "comparison"
    assert list(m.formation["term"]) == ["edges", "programme", "nodematch.organisation",
                                         "nodematch.organisation:programme"]
    assert set(m.pairs["cohort"]) == {"programme", "comparison"}


def test_dyad_dependent_terms_and_bad_waves_are_refused():
    s = sn.load_sample()
    with pytest.raises(InputError, match="dyad-dependent"):
        sn.tie_change_model(s, "pre", "post", spec="advice", terms=("edges", "mutual"))
    with pytest.raises(InputError, match="unknown wave"):
        sn.tie_change_model(s, "pre", "later", spec="advice")
    with pytest.raises(InputError, match="several relations"):
        sn.tie_change_model(s, "pre", "post")


def test_gof_statistics_and_figure():
    A = np.array([[0, 1, 1], [0, 0, 1], [0, 0, 0]])
    s = sn.gof_statistics(A)
    assert s["indegree"].tolist() == [1, 1, 1]
    assert s["distance"].tolist() == [3, 0, 3]
    m = sn.tie_change_model(sn.load_sample(), "pre", "post", spec="advice")
    g1, g2 = sn.gof(m, n_sim=30, seed=4), sn.gof(m, n_sim=30, seed=4)
    pd.testing.assert_frame_equal(g1.table, g2.table)
    obs = g1.table[g1.table.statistic == "outdegree"]["observed"]
    assert obs.sum() == 26  # every person has one outdegree
    ax = sn.plot_gof(g1, "esp")
    assert ax.get_title() == "Edgewise shared partners"


def test_plain_words_follow_the_design():
    s = sn.load_sample()
    single = sn.describe_tie_change(sn.tie_change_model(s, "pre", "post", spec="advice"))
    assert any("cannot show that the programme caused" in x for x in single)
    assert not any("as in the comparison group" in x for x in single)
    pooled = sn.tie_change_model(s, "pre", "post", spec="advice",
                                 comparison=sn.load_comparison_sample())
    text = sn.describe_tie_change(pooled)
    row = sn.tie_change_table(pooled).set_index("term").loc["programme"]
    assert any(x.startswith("A pair in different organisations was ") and
               "as likely to form a tie during the programme as in the comparison group"
               in x for x in text)
    assert row.ci_low < row.odds_ratio < row.ci_high
    assert sn.tie_change_section(pooled)["causal"] is True


def test_edgecov_from_a_pair_table_matches_the_matrix():
    s = sn.load_sample()
    ids = list(s.people.index)
    pairs = pd.DataFrame({"a": ids[:5], "b": ids[5:10], "w": [1.0] * 5})
    M = np.zeros((26, 26))
    M[range(5), range(5, 10)] = 1
    t1 = sn.tie_change_model(s, "pre", "post", spec="advice", terms="edges + edgecov(met)",
                             covariates={"met": pairs}).formation
    t2 = sn.tie_change_model(s, "pre", "post", spec="advice", terms="edges + edgecov(met)",
                             covariates={"met": M}).formation
    pd.testing.assert_frame_equal(t1, t2)
    with pytest.raises(InputError, match="not on the roster"):
        sn.tie_change_model(s, "pre", "post", spec="advice", terms="edges + edgecov(met)",
                            covariates={"met": pd.DataFrame({"a": ["X"], "b": ["S01"],
                                                             "w": [1]})})


def test_dsp_intervals_are_seeded_and_sit_beside_the_others():
    s = sn.load_sample()
    kw = dict(spec="advice", terms=("edges", "nodematch(organisation)",
                                    "shared_partners_before"), n_permutations=19, seed=7)
    a = sn.tie_change_model(s, "pre", "post", **kw).formation.set_index("term")
    b = sn.tie_change_model(s, "pre", "post", n_jobs=2, **kw).formation.set_index("term")
    pd.testing.assert_frame_equal(a, b)
    plain = sn.tie_change_model(s, "pre", "post", spec="advice",
                                terms=kw["terms"]).formation.set_index("term")
    # the fit itself is the same; only the DSP columns are added
    pd.testing.assert_frame_equal(plain.drop(columns=["dsp_ci_low", "dsp_ci_high", "dsp_p"]),
                                  a.drop(columns=["dsp_ci_low", "dsp_ci_high", "dsp_p"]))
    assert plain[["dsp_ci_low", "dsp_p"]].isna().all().all()
    assert np.isnan(a.loc["edges", "dsp_p"])  # the intercept is not permuted
    for term in ("nodematch.organisation", "shared_partners_before"):
        row = a.loc[term]
        assert row.dsp_ci_low < row.estimate < row.dsp_ci_high
        # symmetric about the estimate: estimate +/- critical value x model-based SE
        assert row.estimate - row.dsp_ci_low == pytest.approx(row.dsp_ci_high - row.estimate)
        # p counts the observed among 19 permutations: a multiple of 1/20
        assert round(row.dsp_p * 20) == pytest.approx(row.dsp_p * 20) and row.dsp_p >= 1 / 20


def test_dsp_by_hand_on_three_people():
    # Three people, all respond, nothing tied before: 6 formation pairs; ties
    # a->b, b->c after. x = 1 on a->b (tied) and c->a (not): 1 of 2 pairs with
    # x formed a tie, 1 of 4 without -> odds ratio 3.
    people = pd.DataFrame({"organisation": ["A", "B", "C"]},
                          index=pd.Index(["a", "b", "c"], name="person_id"))
    ties = pd.DataFrame({"wave": ["post", "post"], "respondent": ["a", "b"],
                         "alter": ["b", "c"]})
    resp = pd.DataFrame([(w, p) for w in ("pre", "post") for p in "abc"],
                        columns=["wave", "person_id"])
    s = sn.Survey(people, ties, resp, waves=["pre", "post"])
    x = pd.DataFrame({"i": ["a", "c"], "j": ["b", "a"], "w": [1, 1]})
    m = sn.tie_change_model(s, "pre", "post", terms="edges + edgecov(x)",
                            covariates={"x": x}, n_permutations=60, seed=1)
    row = m.formation.set_index("term").loc["edgecov.x"]
    assert row.estimate == pytest.approx(np.log(3))
    # DSP by hand. Residual of x on edges over the 6 pairs: e = 2/3 on the two
    # x-pairs, -1/3 elsewhere. Model without x: mu = 1/3, w = 2/9, r = y - 1/3;
    # as e sums to 0, Var = w e'e = 24/81. Relabelling the people moves x to
    # {u->v, w->u} for a permutation (u, v, w); with k of the 2 ties on x-pairs
    # U = e'r = (3k - 2)/3, so |z| = |3k - 2| * 3/sqrt(24). k = 1 for (a,b,c)
    # (observed) and (c,a,b); k = 0 for (a,c,b), (b,a,c), (c,b,a); k = 2 for
    # (b,c,a). So every permutation has |z| >= the observed 3/sqrt(24): p = 1;
    # the 95th percentile of |z| is the k = 2 value 12/sqrt(24) = sqrt(6) (1 in
    # 6 permutations). Model-based Var(estimate) = 1/(2 * 1/4) + 1/(4 * 3/16)
    # = 10/3, so the interval is log 3 +/- sqrt(6) * sqrt(10/3) = log 3 +/- 2 sqrt(5).
    assert row.dsp_p == 1
    assert row.dsp_ci_low == pytest.approx(np.log(3) - 2 * np.sqrt(5))
    assert row.dsp_ci_high == pytest.approx(np.log(3) + 2 * np.sqrt(5))
    assert row.std_error == pytest.approx(np.sqrt(10 / 3))


def test_joiners_and_leavers_are_structurally_absent():
    people = pd.DataFrame({"organisation": ["A", "A", "B", "B"],
                           "last_wave": ["", "", "", "pre"]},
                          index=pd.Index(["p1", "p2", "p3", "p4"], name="person_id"))
    ties = pd.DataFrame({"wave": ["pre", "pre", "post"], "respondent": ["p1", "p4", "p1"],
                         "alter": ["p4", "p1", "p3"]})
    resp = pd.DataFrame({"wave": ["pre"] * 4 + ["post"] * 3,
                         "person_id": ["p1", "p2", "p3", "p4", "p1", "p2", "p3"]})
    m = sn.tie_change_model(sn.Survey(people, ties, resp), "pre", "post", terms=("edges",))
    pairs = m.pairs.set_index("part")
    # p4 left after 'pre': its 6 ordered pairs are neither lost nor missing
    assert pairs.loc["formation", "dropped_not_member_both_waves"] == 6
    assert pairs.loc["formation", "dropped_sender_no_response_after"] == 0
    # the other 6 pairs: none tied before, one new tie (p1 -> p3)
    assert pairs.loc["formation", "pairs_used"] == 6
    assert pairs.loc["persistence", "pairs_used"] == 0
    assert m.formation.set_index("term").loc["edges", "estimate"] == pytest.approx(
        np.log(1 / 5))
    assert any("not a member in both" in n for n in m.notes)


def test_separated_terms_leave_the_others_estimable():
    # On the senate every different-organisation tie persisted: edges -> +inf and
    # nodematch -> -inf. The other coefficients and their standard errors are
    # then those of the logistic regression on the same-organisation pairs alone
    # (intercept = edges + nodematch, finite there).
    m = sn.tie_change_model(sn.load_sample(), "pre", "post", spec="advice")
    t = m.persistence.set_index("term")
    assert np.isinf(t.loc["edges", "estimate"]) and np.isnan(t.loc["edges", "std_error"])
    fit = m._fits["persistence"]
    same = fit["X"][:, 1] == 1
    X = np.column_stack([np.ones(same.sum()), fit["X"][same][:, 2:]])
    beta, cov, *_ = fit_logit(X, fit["y"][same])
    rows = ["reciprocated_before", "shared_partners_before"]
    np.testing.assert_allclose(t.loc[rows, "estimate"], beta[1:], atol=1e-6)
    np.testing.assert_allclose(t.loc[rows, "std_error"], np.sqrt(np.diag(cov))[1:], rtol=1e-5)
    assert t.loc[rows, "robust_std_error"].notna().all()
