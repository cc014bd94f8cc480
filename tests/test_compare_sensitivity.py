"""sensitivity(): rows for each data choice, baseline agreement, flags."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from test_compare_waves import PEOPLE, TIES, make_survey

import senatenet as sn
from senatenet import InputError, compare_waves, sensitivity


@pytest.fixture(scope="module")
def sample_cmp():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return compare_waves(sn.load_sample(), "pre", "post", relation="collaborate",
                             symmetrize="union", n_permutations=50, seed=7)


def test_rows_cover_every_choice_and_baseline_matches(sample_cmp):
    table = sample_cmp.sensitivity(n_permutations=30)
    base = table.iloc[0]
    assert base["variation"] == "baseline" and not base["flipped"]
    assert base["kind"] == "baseline"
    assert base["symmetrize"] == "union" and base["missing"] == "absent"
    s = sample_cmp.summary
    assert base["cross_boundary_before"] == s.loc["external_ties", "before"]
    assert base["cross_boundary_after"] == s.loc["external_ties", "after"]
    assert base["ei_change"] == pytest.approx(s.loc["ei", "change"])
    assert "reciprocal" in set(table["symmetrize"])
    strengths = sorted(sample_cmp.survey.ties.query("relation == 'collaborate'")["strength"].unique())
    assert sorted(table["min_strength"].dropna().unique()) == strengths
    # under union ties "reconstruct" is "absent" by construction: left out, and said so
    assert set(table["missing"]) == {"absent", "panel"}
    assert len(table.attrs["left_out"]) == 1 and "reconstruct" in table.attrs["left_out"][0]
    panel = table[table["missing"] == "panel"].iloc[0]
    both = sample_cmp.survey.responded("pre") & sample_cmp.survey.responded("post")
    assert panel["people"] == len(both)
    assert panel["kind"] == "analytic choice"
    assert set(table.loc[table["variation"].isin(["symmetrize", "min_strength"]), "kind"]) == {
        "tie definition"}
    assert (table["seed"] == 7).all()
    # the baseline row is the comparison's own results (reused, not re-run)
    assert table["n_permutations"].tolist() == [50] + [30] * (len(table) - 1)
    assert base["p_ei_change"] == sample_cmp.test("ei_change_swap")["p_greater"]
    # reciprocal ties are a subset of union ties
    rec = table[table["symmetrize"] == "reciprocal"].iloc[0]
    assert rec["cross_boundary_after"] <= base["cross_boundary_after"]


def test_primary_is_the_estimand_of_evaluate(sample_cmp):
    """Every row's primary estimate and interval are evaluate()'s for that tie definition."""
    table = sample_cmp.sensitivity(n_permutations=10, thresholds=[3], symmetrize=("union",))
    assert table.attrs["primary_estimand"] == "cross_boundary_change"  # single cohort
    for _, row in table.iterrows():
        ev = sn.evaluate(sample_cmp.survey, "pre", "post", relation="collaborate",
                         min_strength=None if row["min_strength"] != row["min_strength"]
                         else row["min_strength"], missing=row["missing"], n_permutations=9,
                         n_power=0)
        prim = ev.verdict.primary
        assert row["primary"] == pytest.approx(prim["estimate"])
        assert row["primary_low"] == pytest.approx(prim["ci_low"])
        assert row["primary_high"] == pytest.approx(prim["ci_high"])


def test_full_grid_has_every_combination(sample_cmp):
    table = sensitivity(sample_cmp, grid="full", thresholds=[1, 4], missing=("absent", "panel"),
                        n_permutations=10)
    # symmetrize {union, reciprocal} x strength {None, 1, 4} x missing {absent, panel}
    assert len(table) == 2 * 3 * 2
    assert table.iloc[0]["variation"] == "baseline"


def test_flags_a_conclusion_that_changes_direction():
    # Cross-boundary ties: before two strong ones; after three weak ones.
    ties = [
        ("pre", "a", "c", 5), ("pre", "b", "d", 5), ("pre", "a", "b", 3),
        ("post", "a", "c", 1), ("post", "b", "e", 1), ("post", "d", "e", 1), ("post", "a", "b", 3),
    ]
    s = make_survey(PEOPLE, ties)
    cmp = compare_waves(s, "pre", "post", symmetrize="union", n_permutations=10, seed=1)
    table = cmp.sensitivity(n_permutations=10, thresholds=[1, 5])
    base = table.iloc[0]
    assert base["cross_boundary_change"] == 1  # 2 -> 3
    strong = table[table["min_strength"] == 5].iloc[0]
    assert strong["cross_boundary_change"] == -2  # 2 -> 0
    assert "cross_boundary_change" in strong["what_changed"]
    # a stricter tie is another relation: its own row and estimates, never "fragile"
    assert strong["kind"] == "tie definition" and not strong["flipped"]
    assert strong["primary"] < 0 < base["primary"]  # cross-organisation density fell
    assert strong["primary_changed"] and strong["what_changed"].startswith("primary")
    assert not table.attrs["fragile"] and table.attrs["reason"] == ""
    same = table[table["min_strength"] == 1].iloc[0]
    assert not same["flipped"] and not same["what_changed"]


def test_bad_grid_is_loud():
    cmp = compare_waves(make_survey(PEOPLE, TIES), "pre", "post", n_permutations=5, seed=1)
    with pytest.raises(InputError):
        sensitivity(cmp, grid="everything")


def test_flags_a_conclusion_that_loses_significance():
    """Strong ties stay inside organisations; the new cross-boundary ties are all
    weak but one. Counting any strength, E-I rises far beyond chance; counting
    only strength 5 it rises by one tie, which swapping answers between waves
    reproduces easily: same direction, lost significance, so the row is flagged,
    for E-I and not for the direction of the cross-boundary change."""
    people = {f"p{i:02d}": ("ABC"[i // 6], "s") for i in range(18)}
    ids = list(people)
    ties = []
    for g in range(3):  # a ring of strong ties inside each organisation, both waves
        ring = ids[6 * g:6 * g + 6]
        for k in range(6):
            for wave in ("pre", "post"):
                ties.append((wave, ring[k], ring[(k + 1) % 6], 5))
    cross = [(a, b) for a in ids for b in ids if a < b and people[a][0] != people[b][0]]
    for a, b in cross[::5][:20]:  # twenty weak new ties between organisations
        ties.append(("post", a, b, 1))
    ties.append(("post", "p00", "p17", 5))  # and one strong one
    s = make_survey(people, ties)
    cmp = compare_waves(s, "pre", "post", symmetrize="union", n_permutations=199, seed=3)
    table = cmp.sensitivity(n_permutations=199, thresholds=[1, 5], missing=())
    base = table.iloc[0]
    assert base["p_ei_change"] < 0.05 and base["ei_change"] > 0
    strong = table[table["min_strength"] == 5].iloc[0]
    assert strong["cross_boundary_change"] == 1 and strong["ei_change"] > 0  # same direction
    assert strong["p_ei_change"] > 0.05
    assert not strong["flipped"]  # a secondary result under another tie definition
    changed = strong["what_changed"].split(", ")
    assert "ei_change" in changed and "cross_boundary_change" not in changed
    weak = table[table["min_strength"] == 1].iloc[0]  # the same data as the baseline
    assert not weak["flipped"] and weak["p_ei_change"] == base["p_ei_change"]


def test_a_significant_result_that_reverses_is_a_flip():
    from senatenet.compare.sensitivity import _conclusion

    up = {"ei_change": 0.4, "p_ei_change": 0.01}
    down = {"ei_change": -0.4, "p_ei_change": 0.01}
    weak_down = {"ei_change": -0.4, "p_ei_change": 0.3}
    assert _conclusion(up, "ei_change", "p_ei_change", 0.05) == "up"
    assert _conclusion(down, "ei_change", "p_ei_change", 0.05) == "down"
    assert _conclusion(weak_down, "ei_change", "p_ei_change", 0.05) == "not significant"
    assert _conclusion({"x": 2}, "x", None, 0.05) == "up"
    assert _conclusion({"x": float("nan")}, "x", None, 0.05) == "undefined"


def test_a_significantly_negative_qap_correlation_is_a_conclusion():
    """Regression: p_qap was p_greater only, so a clearly negative correlation
    read as "not significant" and its flips went unflagged."""
    people = {f"q{i}": ("AB"[i % 2], "s") for i in range(10)}
    ids = list(people)
    ring = {frozenset((ids[i], ids[(i + 1) % 10])) for i in range(10)}
    others = [(a, b) for k, a in enumerate(ids) for b in ids[k + 1:] if frozenset((a, b)) not in ring]
    ties = [("pre", a, b, 1) for a, b in (tuple(sorted(e)) for e in ring)]
    ties += [("post", a, b, 1) for a, b in others[::2]]  # after avoids every earlier tie
    with pytest.warns(UserWarning, match="Jaccard"):  # no tie kept: a warning is due
        cmp = compare_waves(make_survey(people, ties), "pre", "post", symmetrize="union",
                            n_permutations=199, seed=2)
    base = cmp.sensitivity(n_permutations=199, thresholds=[], missing=()).iloc[0]
    assert base["qap_r"] < 0 and base["p_qap"] < 0.05
    from senatenet.compare.sensitivity import _conclusion

    assert _conclusion(base, "qap_r", "p_qap", 0.05) == "down"


def outward_nonresponse_survey():
    """16 people in 4 organisations of 4, the same network in both waves: a ring of
    ties inside each organisation, and one outward-looking person per organisation
    (p00, p04, p08, p12) naming the 6 odd-numbered people of the other
    organisations. The outward people skipped the baseline, so their cross ties
    look new; on the balanced panel (the other 12) nothing changed."""
    people = {f"p{i:02d}": ("ABCD"[i // 4], "s") for i in range(16)}
    ids = list(people)
    out = ["p00", "p04", "p08", "p12"]
    ties = []
    for g in range(4):
        ring = ids[4 * g:4 * g + 4]
        for k in range(4):
            ties += [(w, ring[k], ring[(k + 1) % 4], 3) for w in ("pre", "post")]
    for o in out:
        for j in ids:
            if people[j][0] != people[o][0] and int(j[1:]) % 2 == 1:
                ties.append(("post", o, j, 2))
    resp = [("post", p) for p in ids] + [("pre", p) for p in ids if p not in out]
    return make_survey(people, ties, resp)


def test_a_primary_result_overturned_by_the_balanced_panel_is_fragile():
    cmp = compare_waves(outward_nonresponse_survey(), "pre", "post", symmetrize="union",
                        n_permutations=10, seed=1)
    table = cmp.sensitivity(n_permutations=10, thresholds=[], symmetrize=("union",))
    base, panel = table.iloc[0], table[table["missing"] == "panel"].iloc[0]
    # by hand: 4 people x 6 named = 24 cross pairs of 96 tied after, none before
    assert (base["cross_boundary_before"], base["cross_boundary_after"]) == (0, 24)
    assert base["primary"] == pytest.approx(24 / 96)
    assert base["primary_low"] > 0
    assert panel["people"] == 12 and panel["primary"] == 0
    assert panel["flipped"] and panel["primary_changed"] and panel["kind"] == "analytic choice"
    assert table.attrs["fragile"]
    assert "balanced panel" in table.attrs["reason"] and "+0.250" in table.attrs["reason"]


def test_reconstruct_is_kept_where_it_changes_the_numbers():
    """With reciprocal ties a non-respondent's reconstructed tie (the partner's
    nomination) completes the pair, so missing="reconstruct" is its own row."""
    ties = [("pre", "a", "b", 1), ("pre", "b", "a", 1),
            ("post", "a", "b", 1), ("post", "b", "a", 1), ("post", "c", "a", 1),
            ("post", "a", "c", 1), ("post", "e", "b", 1)]
    resp = [(w, p) for w in ("pre", "post") for p in PEOPLE if p != "b" or w == "pre"]
    s = make_survey(PEOPLE, ties, resp)  # b did not answer "post": b->a, b->e are missing
    s = s.replace(ties=s.ties[~((s.ties["wave"] == "post") & (s.ties["respondent"] == "b"))])
    with pytest.warns(UserWarning, match="Jaccard"):  # ab is not reciprocal after: expected
        cmp = compare_waves(s, "pre", "post", symmetrize="reciprocal", n_permutations=10,
                            seed=1)
    table = cmp.sensitivity(n_permutations=10, thresholds=[], symmetrize=("reciprocal",))
    assert set(table["missing"]) == {"absent", "reconstruct", "panel"}
    assert table.attrs["left_out"] == []
    absent = table[table["missing"] == "absent"].iloc[0]
    rec = table[table["missing"] == "reconstruct"].iloc[0]
    # reciprocal cross pairs after: absent {ac}; reconstruct adds b<-e as b->e: {ac, be}
    assert absent["cross_boundary_after"] == 1 and rec["cross_boundary_after"] == 2
    assert rec["primary"] != absent["primary"]


def test_cross_counts_each_pair_once_as_a_loop_over_edges_would():
    import random

    import networkx as nx

    from senatenet.compare.sensitivity import _cross

    def by_loop(G, group):  # the definition, one edge at a time
        seen, ext = set(), 0
        for u, v in G.edges():
            key = frozenset((u, v))
            if u == v or key in seen:
                continue
            seen.add(key)
            ext += G.nodes[u].get(group) != G.nodes[v].get(group)
        return ext, len(seen) - ext

    rng = random.Random(1)
    nan = float("nan")  # NaN differs even from itself; None equals None
    for trial in range(200):
        G = nx.DiGraph() if trial % 2 else nx.Graph()
        n = rng.randint(1, 12)
        for i in range(n):
            G.add_node(f"p{i}", org=rng.choice(["A", "B", None, nan, "007"]))
        for _ in range(rng.randint(0, 40)):
            G.add_edge(f"p{rng.randrange(n)}", f"p{rng.randrange(n)}")
        assert _cross(G, "org") == by_loop(G, "org"), trial


def test_a_variant_shares_only_the_directed_graphs_it_would_rebuild_identically():
    s = sn.load_sample()
    cmp = sn.compare_waves(s, "pre", "post", relation="advice", min_strength=2,
                           n_permutations=30, seed=4)
    assert cmp.graphs["before"].is_directed()  # built (directed)
    union = cmp.variant(cmp.spec.replace(symmetrize="union"), n_permutations=30)
    assert union.nominations is cmp.graphs  # shared, not rebuilt
    stronger = cmp.variant(cmp.spec.replace(min_strength=3), n_permutations=30)
    assert "nominations" not in stronger.__dict__ and "graphs" not in stronger.__dict__
    other_waves = cmp.variant(cmp.spec.replace(symmetrize="union"), after="pre")
    assert "nominations" not in other_waves.__dict__
    # the shared graphs give exactly what a fresh comparison computes
    fresh = sn.compare_waves(s, "pre", "post", relation="advice", min_strength=2,
                             symmetrize="union", n_permutations=30, seed=4)
    pd.testing.assert_frame_equal(union.tests, fresh.tests)
