"""sensitivity(): rows for each data choice, baseline agreement, flags."""

from __future__ import annotations

import warnings

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
    assert base["symmetrize"] == "union" and base["missing"] == "absent"
    s = sample_cmp.summary
    assert base["cross_boundary_before"] == s.loc["external_ties", "before"]
    assert base["cross_boundary_after"] == s.loc["external_ties", "after"]
    assert base["ei_change"] == pytest.approx(s.loc["ei", "change"])
    assert "reciprocal" in set(table["symmetrize"])
    strengths = sorted(sample_cmp.survey.ties.query("relation == 'collaborate'")["strength"].unique())
    assert sorted(table["min_strength"].dropna().unique()) == strengths
    assert {"absent", "reconstruct", "panel"} <= set(table["missing"])
    panel = table[table["missing"] == "panel"].iloc[0]
    both = sample_cmp.survey.responded("pre") & sample_cmp.survey.responded("post")
    assert panel["people"] == len(both)
    assert (table["seed"] == 7).all() and (table["n_permutations"] == 30).all()
    # reciprocal ties are a subset of union ties
    rec = table[table["symmetrize"] == "reciprocal"].iloc[0]
    assert rec["cross_boundary_after"] <= base["cross_boundary_after"]


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
    assert strong["flipped"] and "cross_boundary_change" in strong["what_changed"]
    same = table[table["min_strength"] == 1].iloc[0]
    assert not same["flipped"]


def test_bad_grid_is_loud():
    cmp = compare_waves(make_survey(PEOPLE, TIES), "pre", "post", n_permutations=5, seed=1)
    with pytest.raises(InputError):
        sensitivity(cmp, grid="everything")
