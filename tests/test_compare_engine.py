"""The resampling engine: identical results for every n_jobs and backend (loky,
Dask), TieSpec, the findings content model, pickling and regressions."""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest

import senatenet as sn
from senatenet import InputError, TieSpec
from senatenet.compare.findings import Finding, Findings
from senatenet.resample import batch_layout, map_batches, permutations

R = 450  # several MR-QAP batches (batch 201 on the 26-person sample), still fast


@pytest.fixture(scope="module")
def sample():
    return sn.load_sample()


@pytest.fixture(scope="module")
def serial(sample):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return sn.compare_waves(sample, "pre", "post", relation="advice", n_permutations=R,
                                seed=11, n_jobs=1)


def _compare(sample, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return sn.compare_waves(sample, "pre", "post", relation="advice", n_permutations=R,
                                seed=11, **kw)


def test_batches_do_not_depend_on_n_jobs():
    assert batch_layout(450, 201) == [201, 201, 48]
    a = permutations(lambda p: p, 7, 25, 3, batch=4)
    b = permutations(lambda p: p, 7, 25, 3, batch=4, n_jobs=2)
    np.testing.assert_array_equal(a, b)
    assert a.shape == (25, 7) and (np.sort(a, axis=1) == np.arange(7)).all()
    # every batch has its own stream: the batches are not copies of each other
    assert not np.array_equal(a[:4], a[4:8])
    assert map_batches(lambda x: x, lambda rng, k: rng.random(k), 0, 1, batch=3).shape == (0,)


def test_compare_waves_is_identical_with_two_loky_workers(sample, serial):
    pd.testing.assert_frame_equal(_compare(sample, n_jobs=2).tests, serial.tests)


def test_compare_waves_is_identical_on_a_dask_cluster(sample, serial):
    distributed = pytest.importorskip("dask.distributed")
    joblib = pytest.importorskip("joblib")
    with distributed.LocalCluster(n_workers=2, processes=False, threads_per_worker=1,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster), joblib.parallel_config(backend="dask"):
        on_cluster = _compare(sample, n_jobs=None)
        sens = serial.sensitivity(n_permutations=20, thresholds=[], missing=("panel",),
                                  n_jobs=None)
    pd.testing.assert_frame_equal(on_cluster.tests, serial.tests)
    pd.testing.assert_frame_equal(
        sens, serial.sensitivity(n_permutations=20, thresholds=[], missing=("panel",)))


def test_comparison_is_picklable_and_computes_each_table_once(serial):
    again = pickle.loads(pickle.dumps(serial))
    pd.testing.assert_frame_equal(again.tests, serial.tests)
    assert again.findings == serial.findings
    assert serial.graphs is serial.graphs and serial.tests is serial.tests
    with pytest.raises(AttributeError):
        serial.seed = 3  # frozen


def test_sensitivity_reuses_the_comparison_for_its_baseline(serial, monkeypatch):
    calls = []
    original = sn.compare.waves.ei_change_swap_test

    def counting(*args, **kwargs):
        calls.append(kwargs.get("seed"))
        return original(*args, **kwargs)

    monkeypatch.setattr(sn.compare.waves, "ei_change_swap_test", counting)
    table = serial.sensitivity(n_permutations=20, thresholds=[], missing=(),
                               symmetrize=("union",))
    assert len(table) == 2 and len(calls) == 1  # only the variant was run
    assert table.loc[0, "n_permutations"] == R
    assert table.loc[0, "ei_change"] == serial.swap_test["observed"]


def test_tie_spec_and_keywords_give_the_same_comparison(sample, serial):
    spec = TieSpec("advice")
    by_spec = sn.compare_waves(sample, "pre", "post", spec=spec, n_permutations=R, seed=11)
    pd.testing.assert_frame_equal(by_spec.tests, serial.tests)
    assert serial.spec == spec and serial.relation == "advice"
    G = sample.person_graph("pre", TieSpec("advice", symmetrize="union", min_strength=2))
    H = sample.person_graph("pre", "advice", symmetrize="union", min_strength=2)
    assert sorted(G.edges) == sorted(H.edges) and not G.is_directed()
    assert sample.org_graph("pre", TieSpec("advice")).number_of_edges() == \
        sample.org_graph("pre", "advice").number_of_edges()


@pytest.mark.parametrize("bad, match", [
    (dict(symmetrize="both"), "symmetrize must be one of"),
    (dict(missing="drop"), "missing must be one of"),
    (dict(min_strength="2"), "min_strength must be a number"),
    (dict(min_strength=float("nan")), "min_strength must be a number"),
    (dict(panel_waves=("pre",)), "only with missing='panel'"),
    (dict(relation=["advice", "collaborate"]), "one relation name"),
])
def test_tie_spec_is_validated_once_with_clear_errors(bad, match):
    with pytest.raises(ValueError, match=match):
        TieSpec(**bad)


def test_several_relations_get_a_clear_message(sample):
    with pytest.raises(InputError, match="one relation") as err:
        sn.compare_waves(sample, "pre", "post", relation=["advice", "collaborate"],
                         n_permutations=0, seed=1)
    assert "unknown relation" not in str(err.value)
    assert TieSpec(["advice"]).relation == "advice"
    assert TieSpec("x", missing="panel", panel_waves="pre").panel_waves == ("pre",)


@pytest.mark.parametrize("group", ["sector", "role", "participant"])
def test_other_groups_print_without_all_na_error(sample, group):
    """Regression: ValueError 'Encountered all NA values' in the caveats."""
    cmp = sn.compare_waves(sample, "pre", "post", relation="advice", group=group,
                           n_permutations=50, seed=1)
    text = str(cmp)
    assert "Response rate in wave pre" in text
    assert "<li>" in cmp._repr_html_()
    rates = cmp.organisations["response_rate_before"]
    assert rates.notna().any()


def test_counts_say_pairs_or_nominations_and_agree_with_the_pair_table(serial):
    """Regression: str(cmp) said '5 to 63' (nominations) where the report said
    '5 to 50' (pairs), neither saying which."""
    text = str(serial)
    pairs = serial.pairs[serial.pairs["cross_boundary"]]
    b, a = int(pairs["before"].sum()), int(pairs["after"].sum())
    assert f"rose from {b} to {a} pairs of people" in text
    f = serial.findings.get("cross_boundary_pairs")
    assert (f.before, f.after, f.unit) == (b, a, "pairs")
    nom = serial.findings.get("cross_boundary_nominations")
    assert nom.unit == "nominations" and nom.after >= f.after
    assert serial.unit == "nominations" and (serial.turnover["unit"] == "nominations").all()
    assert (serial.pair_turnover["unit"] == "pairs").all()


def test_findings_content_model(serial):
    fs = serial.findings
    assert isinstance(fs, Findings) and fs is serial.findings
    assert {"cross_boundary_pairs", "ei_index", "ei_change", "qap_waves",
            "mrqap_same_organisation", "caveat_nonresponse"} <= set(fs.ids)
    ei = fs.get("ei_change")
    row = serial.test("ei_change_swap")
    assert ei.role == "primary" and ei.value == row["observed"]
    assert ei.p == (row["p_greater"] if row["observed"] >= 0 else row["p_less"])
    frame = fs.to_frame()
    assert list(frame["id"]) == list(fs.ids) and frame["p"].dtype == float
    text = str(serial)
    for f in fs:
        assert f.sentence in text
    with pytest.raises(ValueError):
        Finding("x", "y", role="headline")
    with pytest.raises(ValueError):
        Findings([Finding("x", "a"), Finding("x", "b")])
    escaped = Findings([Finding("a", "<script>x</script>")]).as_html()
    assert "<script>" not in escaped and "&lt;script&gt;" in escaped


def test_sensitivity_takes_explicit_specs(serial):
    table = serial.sensitivity(n_permutations=20, specs=[
        TieSpec(symmetrize="reciprocal"), TieSpec("advice", missing="panel")])
    assert table["variation"].tolist() == ["baseline", "spec", "spec"]
    assert table.loc[1, "symmetrize"] == "reciprocal" and table.loc[2, "missing"] == "panel"
    both = serial.survey.responded("pre") & serial.survey.responded("post")
    assert table.loc[2, "people"] == len(both)


def test_a_comparison_builds_each_graph_and_runs_each_test_once(sample, monkeypatch):
    counts: dict[str, int] = {}
    waves = sn.compare.waves
    for name in ("person_graph", "ei_change_swap_test", "ei_change_test", "qap_test", "mrqap"):
        original = getattr(waves, name)

        def counting(*args, _f=original, _n=name, **kwargs):
            counts[_n] = counts.get(_n, 0) + 1
            return _f(*args, **kwargs)

        monkeypatch.setattr(waves, name, counting)
    cmp = sn.compare_waves(sample, "pre", "post", relation="advice", symmetrize="union",
                           n_permutations=20, seed=2)
    str(cmp), cmp._repr_html_(), cmp.people, cmp.findings.to_frame()  # noqa: B018
    cmp.sensitivity(n_permutations=20, thresholds=[], missing=(), symmetrize=())
    # two waves, plus the two directed graphs the swap test exchanges
    assert counts == {"person_graph": 4, "ei_change_swap_test": 1, "ei_change_test": 1,
                      "qap_test": 1, "mrqap": 1}


def test_one_blas_thread_limits_every_blas_library_and_restores_it():
    import sys
    import types

    from threadpoolctl import threadpool_info

    from senatenet.resample import _blas_controller, one_blas_thread

    def blas_threads():
        return [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]

    before = blas_threads()
    assert before  # numpy's BLAS at least
    with one_blas_thread():
        assert set(blas_threads()) == {1}
        with one_blas_thread():  # nested: still one, and the outer limit survives
            assert set(blas_threads()) == {1}
        assert set(blas_threads()) == {1}
    assert blas_threads() == before
    # the libraries are looked up again only after an import (a module, and with
    # it a library, may have been loaded since)
    first = _blas_controller()
    assert _blas_controller() is first
    sys.modules["_senatenet_blas_probe"] = types.ModuleType("_senatenet_blas_probe")
    try:
        assert _blas_controller() is not first
    finally:
        del sys.modules["_senatenet_blas_probe"]
