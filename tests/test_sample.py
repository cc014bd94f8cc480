"""The bundled sample: reproducible from its generator, the right shape, clean,
and telling the intended story (cross-boundary ties rise in the senate only)."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

import senatenet as sn
from senatenet.errors import InputError

COHORTS = ("senate", "comparison")
SYMMETRIZE = ("union", "reciprocal")
MISSING = ("absent", "reconstruct", "panel")


@pytest.fixture(scope="module")
def senate():
    return sn.load_sample("senate")


@pytest.fixture(scope="module")
def comparison():
    return sn.load_sample("comparison")


def test_generator_reproduces_committed_files_byte_for_byte(tmp_path, project_root):
    written = sn.write_sample(tmp_path)
    for cohort in COHORTS:
        for name, path in written[cohort].items():
            committed = project_root / "data" / "sample" / cohort / f"{name}.csv"
            # exact bytes, allowing for a checkout that turned \n into \r\n
            assert path.read_bytes() == committed.read_bytes().replace(b"\r\n", b"\n"), (
                f"{cohort}/{name}.csv"
            )


def test_generator_is_seeded():
    a = sn.generate_sample("senate", seed=5)["ties"]
    b = sn.generate_sample("senate", seed=5)["ties"]
    c = sn.generate_sample("senate", seed=6)["ties"]
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)


def test_first_wave_does_not_depend_on_programme_effect():
    strong = sn.generate_sample("senate", programme_effect=0.5)["ties"]
    none = sn.generate_sample("senate", programme_effect=0.0)["ties"]
    pre = [t[t["wave"] == "pre"].reset_index(drop=True) for t in (strong, none)]
    pd.testing.assert_frame_equal(*pre)
    post_cross = []
    roster = sn.generate_sample("senate")["roster"].set_index("person_id")
    for t in (strong, none):
        p = t[t["wave"] == "post"]
        org = roster["organisation"]
        post_cross.append(int((org[p["respondent"]].values != org[p["alter"]].values).sum()))
    assert post_cross[0] > 2 * post_cross[1]


def test_bad_arguments_raise_library_errors():
    with pytest.raises(InputError, match="unknown sample cohort"):
        sn.generate_sample("leeds")
    with pytest.raises(InputError, match="unknown sample cohort"):
        sn.sample_paths("leeds")
    with pytest.raises(InputError, match="programme_effect"):
        sn.generate_sample("senate", programme_effect=1.5)


def test_sample_paths_point_at_existing_files():
    for cohort in COHORTS:
        paths = sn.sample_paths(cohort)
        assert set(paths) == {"roster", "ties", "respondents"}
        assert all(p.is_file() for p in paths.values())


def test_senate_shape(senate):
    people = senate.people
    assert len(people) == 26
    assert sorted(people["organisation"].value_counts().tolist()) == [4, 4, 4, 4, 5, 5]
    sectors = people.groupby("organisation")["sector"].unique().map(tuple)
    assert sorted(sectors.tolist()) == [("commissioner",)] * 3 + [("provider",)] * 3
    assert sum(name.endswith("CCG") for name in sectors.index) == 3
    assert people["participant"].eq(True).all()
    assert people["cohort"].eq("senate").all()
    assert people["name"].is_unique and people.index.is_unique
    assert {"medical director", "clinical chair", "associate medical director",
            "clinical lead"} <= set(people["role"])
    assert senate.waves == ("pre", "post")
    assert set(senate.relations) == {"knows", "advice", "collaborate"}


def test_comparison_shape(comparison):
    people = comparison.people
    assert 35 <= len(people) <= 45
    assert 6 <= people["organisation"].nunique() <= 7
    assert people["participant"].eq(False).all()
    assert comparison.waves == ("pre", "post")
    assert set(comparison.relations) == {"knows", "advice", "collaborate"}
    assert not set(people["name"]) & set(sn.load_sample().people["name"])


@pytest.mark.parametrize("cohort", COHORTS)
def test_sample_is_clean_and_well_formed(cohort):
    survey = sn.load_sample(cohort)
    assert not survey.validation["severity"].eq("error").any()
    assert not survey.respondents_inferred
    ties = survey.ties
    assert ties["strength"].between(1, 5).all()
    assert ties["strength"].eq(ties["strength"].round()).all()
    assert not (ties["respondent"] == ties["alter"]).any()
    assert not ties.duplicated(["wave", "respondent", "alter", "relation"]).any()
    for wave in survey.waves:
        silent = set(survey.people.index) - survey.responded(wave)
        assert 2 <= len(silent) <= 3
        senders = set(ties.loc[ties["wave"] == wave, "respondent"])
        assert not senders & silent
        assert silent <= set(survey.person_graph(wave, "knows").nodes)


def test_load_comparison_sample_is_the_comparison_cohort(comparison):
    pd.testing.assert_frame_equal(sn.load_comparison_sample().people, comparison.people)


def _ei_and_cross(G):
    """Whole-network E-I (Krackhardt & Stern 1988), counted by hand, and E."""
    org = dict(G.nodes(data="organisation"))
    external = sum(org[u] != org[v] for u, v in G.edges)
    internal = G.number_of_edges() - external
    return (external - internal) / (external + internal), external


@pytest.mark.parametrize("relation", ["knows", "advice", "collaborate"])
def test_senate_connects_across_boundaries_under_every_policy(senate, relation):
    for symmetrize, missing in itertools.product(SYMMETRIZE, MISSING):
        pre, post = (
            _ei_and_cross(senate.person_graph(w, relation, symmetrize=symmetrize,
                                              missing=missing))
            for w in ("pre", "post")
        )
        where = f"{relation}/{symmetrize}/{missing}"
        assert pre[0] < 0, where  # mostly within organisations before
        assert post[0] - pre[0] > 0.4, where
        assert post[1] >= 2 * pre[1] + 5, where


def test_senate_rise_survives_a_strength_threshold(senate):
    for relation in senate.relations:
        pre, post = (
            _ei_and_cross(senate.person_graph(w, relation, symmetrize="union",
                                              min_strength=3))
            for w in ("pre", "post")
        )
        assert post[0] - pre[0] > 0.4, relation


@pytest.mark.parametrize("relation", ["knows", "advice", "collaborate"])
def test_comparison_cohort_barely_changes(comparison, relation):
    for symmetrize, missing in itertools.product(SYMMETRIZE, MISSING):
        pre, post = (
            _ei_and_cross(comparison.person_graph(w, relation, symmetrize=symmetrize,
                                                  missing=missing))
            for w in ("pre", "post")
        )
        assert abs(post[0] - pre[0]) < 0.2, f"{relation}/{symmetrize}/{missing}"


def test_senate_loses_a_few_ties(senate):
    before = senate.person_graph("pre", "knows", symmetrize="union", missing="panel")
    after = senate.person_graph("post", "knows", symmetrize="union", missing="panel")
    lost = {frozenset(e) for e in before.edges} - {frozenset(e) for e in after.edges}
    assert 1 <= len(lost) <= before.number_of_edges() // 4


def test_simulate_your_own_organisations():
    orgs = [("Alpha", "provider", 8), ("Beta", "commissioner", 6), ("Gamma", "other", 6)]
    tables = sn.generate_sample("senate", seed=3, organisations=orgs, programme_effect=0.3)
    roster = tables["roster"]
    assert roster["organisation"].value_counts().to_dict() == {"Alpha": 8, "Beta": 6,
                                                               "Gamma": 6}
    assert roster.groupby("organisation")["role"].first().to_dict() == {
        "Alpha": "medical director", "Beta": "clinical chair", "Gamma": "lead"}
    survey = sn.read_survey(roster, tables["ties"], respondents=tables["respondents"])
    assert not survey.validation["severity"].eq("error").any()
    pre, post = (_ei_and_cross(survey.person_graph(w, "knows", symmetrize="union"))
                 for w in ("pre", "post"))
    assert post[1] > pre[1]


@pytest.mark.parametrize("orgs", [[("A", "x", 3)], [("A", "x")], [("A", "x", 0), ("B", "y", 2)]])
def test_bad_simulated_organisations_raise(orgs):
    with pytest.raises(InputError):
        sn.generate_sample("senate", organisations=orgs)
