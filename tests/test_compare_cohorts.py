"""compare_cohorts: change per cohort by hand, jackknife by deletion, the difference in
change against evaluate(), no random-graph z-scores, wording, warnings."""

from __future__ import annotations

import math
import warnings

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from scipy import stats
from test_compare_waves import PEOPLE, TIES, make_survey

import senatenet as sn
from senatenet import InputError, compare_cohorts
from senatenet.compare.cohorts import cohort_sentence
from senatenet.evaluation import cross_boundary_formation


@pytest.fixture(scope="module")
def samples():
    return {"Senate": sn.load_sample(), "Comparison": sn.load_comparison_sample()}


@pytest.fixture(scope="module")
def sample_table(samples):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # 26 vs 40 people
        return compare_cohorts(samples, before="pre", wave="post", relation="advice")


# Second tiny cohort: same people, more change across organisations.
# pre (union): ab, cd; post: ab, cd, ac, bd, ce, ae
MORE = [("pre", "a", "b", 3), ("pre", "c", "d", 2),
        ("post", "a", "b", 3), ("post", "c", "d", 2), ("post", "a", "c", 1),
        ("post", "b", "d", 1), ("post", "c", "e", 1), ("post", "a", "e", 1)]


def test_change_estimands_by_hand():
    """a, b in X; c, d in Y; e in Z: 10 pairs, 2 within (ab, cd), 8 across.
    pre {ab, cd, ac}, post {ab, ac, be, de}."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # one cohort: no size warning
        table = compare_cohorts({"small": make_survey(PEOPLE, TIES)})
    row = table.loc["small"]
    assert (row["before"], row["wave"]) == ("pre", "post")  # the wave before the last
    assert (row["n"], row["organisations"], row["ties_before"], row["ties"]) == (5, 3, 3, 4)
    # cross pairs untied before: 7 (all but ac); tied after among them: be, de
    assert row["cross_boundary_formation"] == pytest.approx(2 / 7)
    assert row["cross_boundary_persistence"] == pytest.approx(1.0)  # ac kept
    assert row["cross_boundary_change"] == pytest.approx(3 / 8 - 1 / 8)
    # before: within 2 tied 0 untied, between 1 tied 7 untied -> +0.5 to every cell
    assert row["mixing_log_odds_ratio_before"] == pytest.approx(math.log(2.5 * 7.5 / (0.5 * 1.5)))
    # after: within 1 / 1, between 3 / 5
    assert row["mixing_log_odds_ratio_after"] == pytest.approx(math.log(1 * 5 / (1 * 3)))
    assert row["mixing_log_odds_ratio_change"] == pytest.approx(
        math.log(5 / 3) - math.log(25))
    assert row["share_kept"] == pytest.approx(2 / 3)  # ab, ac of 3 before-ties
    assert row["jaccard"] == pytest.approx(2 / 5)  # 2 in both of 5 in either
    assert np.isnan(row["formation_difference"])  # the programme has no difference


def test_interval_is_the_jackknife_over_deleted_people():
    s = make_survey(PEOPLE, MORE)
    row = compare_cohorts({"more": s}).loc["more"]
    G0 = s.person_graph("pre", "works_with", symmetrize="union")
    G1 = s.person_graph("post", "works_with", symmetrize="union")
    full = cross_boundary_formation(G0, G1)
    assert row["cross_boundary_formation"] == pytest.approx(full)  # 4 of the 8 cross pairs
    assert full == pytest.approx(4 / 8)
    reps = []
    for v in G0:
        keep = [u for u in G0 if u != v]
        reps.append(cross_boundary_formation(G0.subgraph(keep), G1.subgraph(keep)))
    reps = np.array(reps)
    m = len(reps)
    se = math.sqrt((m - 1) / m * ((reps - reps.mean()) ** 2).sum())
    q = stats.t.ppf(0.975, m - 1)
    assert row["cross_boundary_formation_low"] == pytest.approx(max(0.0, full - q * se))
    assert row["cross_boundary_formation_high"] == pytest.approx(min(1.0, full + q * se))


def test_difference_in_change_is_programme_minus_cohort_with_welch_interval():
    a, b = make_survey(PEOPLE, TIES), make_survey(PEOPLE, MORE)
    table = compare_cohorts({"a": a, "b": b})
    ra, rb = table.loc["a"], table.loc["b"]
    d = rb["formation_difference"]
    assert d == pytest.approx(2 / 7 - 4 / 8)  # programme (a) minus b: negative
    assert rb["formation_difference_low"] < d < rb["formation_difference_high"]
    again = compare_cohorts({"a": a, "b": b}, programme="b")
    assert list(again.index) == ["b", "a"]
    assert again.loc["a", "formation_difference"] == pytest.approx(-d)
    # the cohort comparison wording follows the change, never the levels
    text = cohort_sentence(table)
    assert "more in" not in text and "less in" not in text
    assert "−21.4 points" in text  # 2/7 - 1/2
    assert not np.isnan(ra["mixing_log_odds_ratio_change"])


def test_the_same_estimates_as_evaluate(samples, sample_table):
    ev = sn.evaluate(samples["Senate"], "pre", "post", relation="advice", min_strength=None,
                     comparison=samples["Comparison"], n_power=0)
    est = ev.estimates
    for col, (estimand, wave) in {"formation_difference": ("cross_boundary_formation", "change"),
                                  "mixing_change_difference": ("mixing_log_odds_ratio",
                                                               "change")}.items():
        r = est[est["estimand"].eq(estimand) & est["wave"].eq(wave)
                & est["group"].eq("programme - comparison")].iloc[0]
        row = sample_table.loc["Comparison"]
        assert row[col] == pytest.approx(r["estimate"])
        assert row[f"{col}_low"] == pytest.approx(r["ci_low"])
        assert row[f"{col}_high"] == pytest.approx(r["ci_high"])
        assert row[f"{col}_p"] == pytest.approx(r["p"])


def test_no_random_graph_reference_and_honest_labels(sample_table):
    cols = list(sample_table.columns)
    assert not [c for c in cols if c.endswith("_z") or "random" in c]
    assert not {"ei_rescaled", "block_contrast"} & set(cols)
    # retention and overlap are different numbers: both cohorts kept ~82-84% of their
    # ties; the Jaccard gap comes from growth (34 -> 78 ties against 63 -> 67)
    s, c = sample_table.loc["Senate"], sample_table.loc["Comparison"]
    assert s["share_kept"] == pytest.approx(28 / 34) and c["share_kept"] == pytest.approx(53 / 63)
    assert s["jaccard"] == pytest.approx(28 / (34 + 78 - 28))
    text = cohort_sentence(sample_table)
    assert "Difference in change" in text and "95% CI" in text
    assert "crossed organisations more" not in text


def test_an_interval_including_zero_is_not_called_no_difference():
    s = make_survey(PEOPLE, TIES)
    text = cohort_sentence(compare_cohorts({"one": s, "two": s}))
    assert "+0.0 points" in text and "cannot be told apart" in text
    assert "not evidence that the programme made no difference" in text


def test_size_warning_and_bad_input(samples):
    with pytest.warns(UserWarning, match="raw density"):
        compare_cohorts(samples, wave="post", relation="collaborate")
    with pytest.raises(InputError):
        compare_cohorts(samples, wave="post", relation="collaborate", symmetrize=None)
    with pytest.raises(InputError):
        compare_cohorts({}, wave="post")
    with pytest.raises(InputError, match="no wave before"):
        compare_cohorts({"x": samples["Senate"]}, wave="pre", relation="advice")
    with pytest.raises(InputError, match="programme 'nope'"):
        compare_cohorts(samples, relation="advice", programme="nope")


def test_errors_name_the_cohort(samples):
    small = make_survey(PEOPLE, TIES)  # relation "works_with"; the samples have none
    with pytest.raises(InputError, match="cohort 'Comparison': unknown relation"):
        compare_cohorts({"small": small, "Comparison": samples["Comparison"]},
                        wave="post", relation="works_with", seed=1)


def test_never_changes_the_surveys():
    s = make_survey(PEOPLE, TIES)
    people, ties = s.people.copy(), s.ties.copy()
    compare_cohorts({"s": s})
    assert s.people.equals(people) and s.ties.equals(ties)
    assert isinstance(s.person_graph("pre"), nx.DiGraph)


def test_report_section_states_change_with_intervals_and_no_z():
    from senatenet.report import sections as S
    from senatenet.report.content import ReportContent

    a, b = make_survey(PEOPLE, TIES), make_survey(PEOPLE, MORE)
    cmp = sn.compare_waves(a, "pre", "post", symmetrize="union", n_permutations=9, seed=1)
    table = compare_cohorts({"Programme": a, "Other": b})
    c = ReportContent(a, cmp, None, table, "pre", "post", cmp.relation, symmetrize="union",
                      missing="absent", suppress_below=None)
    c.cohort_name = "Programme"
    ctx = S.cohorts_context(c)
    assert ctx["text"] == cohort_sentence(table)
    view = S.cohort_view(table)
    assert list(view.columns) == ["Programme", "Other"]
    assert view.loc["cross-organisation pairs not tied before that formed a tie",
                    "Programme"].startswith("28.6% (")  # 2 of 7, then its interval
    assert view.loc["difference in formation, programme minus this cohort",
                    "Other"].startswith("\u221221.4 points (")
    shown = str(ctx["table"])
    assert "Jaccard overlap" in shown and "share of before-ties kept" in shown
    assert " z" not in shown and "random" not in shown and "size-robust" not in shown
    assert "organisations more in" not in ctx["text"]


def test_an_all_or_nothing_share_still_has_an_interval():
    """The one cross tie before (ac) was kept: persistence 1 of 1. Every jackknife
    replicate is 1 (or undefined), so the interval is the Wilson interval of 1 of 1."""
    row = compare_cohorts({"small": make_survey(PEOPLE, TIES)}).loc["small"]
    z = stats.norm.ppf(0.975)
    centre, half = (1 + z * z / 2) / (1 + z * z), z * math.sqrt(z * z / 4) / (1 + z * z)
    assert row["cross_boundary_persistence"] == 1.0
    assert row["cross_boundary_persistence_low"] == pytest.approx(centre - half)  # 0.207
    assert row["cross_boundary_persistence_high"] == pytest.approx(1.0)


def test_n_random_is_deprecated_and_ignored(samples, sample_table, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # 26 vs 40 people
        with pytest.warns(FutureWarning, match="n_random is ignored"):
            with_n = compare_cohorts(samples, before="pre", wave="post", relation="advice",
                                     n_random=5)
    pd.testing.assert_frame_equal(with_n, sample_table)
    with pytest.warns(FutureWarning, match="n_random is ignored"), \
            pytest.raises(InputError):
        sn.build_report(samples["Senate"], "pre", "autumn", out_dir=tmp_path, n_random=5)


def test_cli_random_graphs_is_deprecated_with_a_note(tmp_path, capsys):
    from senatenet.cli import main

    paths = sn.sample_paths("senate")
    code = main(["report", "--roster", str(paths["roster"]), "--ties", str(paths["ties"]),
                 "--before", "pre", "--after", "autumn", "--relation", "advice",
                 "--random-graphs", "20", "--out", str(tmp_path / "r")])
    err = capsys.readouterr().err
    assert code == 2 and "--random-graphs is no longer used" in err
