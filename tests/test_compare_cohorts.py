"""compare_cohorts: observed values agree with the measures, random baselines, warnings."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from test_compare_waves import PEOPLE, TIES, make_survey

import senatenet as sn
from senatenet import InputError, compare_cohorts, ei_index, network_summary


@pytest.fixture(scope="module")
def samples():
    return {"Senate": sn.load_sample(), "Comparison": sn.load_comparison_sample()}


def cohort_table(samples, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return compare_cohorts(samples, relation="collaborate", **kw)


def test_observed_values_equal_the_measures(samples):
    table = cohort_table(samples, wave="post", n_random=50, seed=3)
    for name, survey in samples.items():
        G = survey.person_graph("post", "collaborate", symmetrize="union")
        ei = ei_index(G).loc["network"]
        summ = network_summary(G)
        row = table.loc[name]
        assert row["n"] == G.number_of_nodes() and row["ties"] == G.number_of_edges()
        assert row["density"] == pytest.approx(summ["density"])
        assert row["ei"] == pytest.approx(ei["ei"])
        assert row["ei_expected"] == pytest.approx(ei["ei_expected"])
        assert row["ei_rescaled"] == pytest.approx(ei["ei_rescaled"])
        assert row["centralization_degree"] == pytest.approx(summ["centralization_degree"])
        assert np.isnan(row["density_z"])  # same density in every random graph


def test_contract_columns_and_seeds(samples):
    table = cohort_table(samples, wave="post", n_random=40, seed=10)
    assert list(table.index) == ["Senate", "Comparison"] and table.index.name == "cohort"
    for m in ("density", "ei", "ei_rescaled", "block_contrast", "centralization_degree", "jaccard"):
        for suffix in ("", "_random_mean", "_random_sd", "_z"):
            assert f"{m}{suffix}" in table.columns
    assert table["seed"].tolist() == [10, 10] and (table["n_random"] == 40).all()  # as passed
    again = cohort_table(samples, wave="post", n_random=40, seed=10)
    assert table.equals(again)


def test_random_baseline_mean_is_random_mixing(samples):
    """Under G(n, m) the expected E-I is exactly (E* - I*) / (E* + I*)."""
    R = 400
    table = cohort_table(samples, wave="post", n_random=R, seed=5)
    for _, row in table.iterrows():
        assert abs(row["ei_random_mean"] - row["ei_expected"]) < 4 * row["ei_random_sd"] / np.sqrt(R)


def test_block_contrast_and_jaccard_by_hand():
    s = make_survey(PEOPLE, TIES)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # one cohort: no size warning
        table = compare_cohorts({"small": s}, n_random=20, seed=1)
    row = table.loc["small"]
    assert row["wave"] == "post"
    # post (union): ab (within X), ac, be, de; within pairs: ab, cd = 2; between: 8
    assert row["block_contrast"] == pytest.approx(1 / 2 - 3 / 8)
    # pre {ab, cd, ac}, post {ab, ac, be, de}: both 2, either 5
    assert row["jaccard"] == pytest.approx(2 / 5)


def test_sample_senate_more_mixed_than_comparison(samples):
    table = cohort_table(samples, wave="post", n_random=200, seed=1)
    assert table.loc["Senate", "ei_z"] > table.loc["Comparison", "ei_z"]
    assert table.loc["Senate", "ei"] > table.loc["Comparison", "ei"]


def test_size_warning_and_bad_input(samples):
    with pytest.warns(UserWarning, match="raw density and centralization"):
        compare_cohorts(samples, wave="post", relation="collaborate", n_random=10, seed=1)
    with pytest.raises(InputError):
        compare_cohorts(samples, wave="post", relation="collaborate", symmetrize=None)
    with pytest.raises(InputError):
        compare_cohorts({}, wave="post")


def test_errors_name_the_cohort(samples):
    small = make_survey(PEOPLE, TIES)  # relation "works_with"; the samples have none
    with pytest.raises(InputError, match="cohort 'Comparison': unknown relation"):
        compare_cohorts({"small": small, "Comparison": samples["Comparison"]},
                        wave="post", relation="works_with", n_random=5, seed=1)
