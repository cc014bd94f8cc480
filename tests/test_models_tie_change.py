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
