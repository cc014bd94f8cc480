"""mrqap: parity with sna::netlm / netlogit, brute-force permutations, inputs.

Reference numbers come from ``tests/reference/mrqap_reference.R`` (R 4.2.2,
sna 2.7.1), whose output is kept in ``tests/reference/mrqap_reference.json``;
the input networks are read from the shared reference folder.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from test_qap import load_reference_matrix, mc_tolerance

from senatenet import InputError, mrqap
from senatenet.resample import permutations

mrqap_module = importlib.import_module("senatenet.compare.mrqap")

REF = json.loads((Path(__file__).parent / "reference" / "mrqap_reference.json").read_text())


def reference_inputs(root, spec):
    und = spec["undirected"]
    wave = spec["y"][1] if len(spec["y"]) > 1 else None
    Y, nodes = load_reference_matrix(root, spec["dataset"], spec["y"][0], wave, und)
    X = {}
    for name, rel in spec["x"].items():
        X[name] = load_reference_matrix(root, spec["dataset"], rel[0], rel[1] if len(rel) > 1 else None, und)[0]
    same = spec["same"] if isinstance(spec["same"], list) else [spec["same"]]
    for col in same:
        v = nodes[col].to_numpy()
        M = (v[:, None] == v[None, :]).astype(float)
        np.fill_diagonal(M, 0)
        X[f"same_{col}"] = M
    return Y, X


@pytest.mark.reference
@pytest.mark.parametrize("case", sorted(REF["cases"]))
@pytest.mark.parametrize("model", ["ols", "logit"])
def test_coefficients_and_statistics_equal_sna(reference_dir, case, model):
    ref = REF["cases"][case]
    Y, X = reference_inputs(reference_dir, ref["spec"])
    res = mrqap(Y, X, model=model, n_permutations=0, seed=1, directed=not ref["spec"]["undirected"])
    key = "netlm" if model == "ols" else "netlogit"
    for null in ("qapspp", "qapy"):
        assert list(res.index) == ref["terms"]
        np.testing.assert_allclose(res["coef"], ref[f"{key}_{null}"]["coef"], atol=1e-9, rtol=0)
        np.testing.assert_allclose(res["statistic"], ref[f"{key}_{null}"]["statistic"], atol=1e-8, rtol=0)


@pytest.mark.reference
@pytest.mark.parametrize("case", ["krackhardt_advice", "sampson_liking_w3"])
@pytest.mark.parametrize("model,null", [("ols", "dsp"), ("ols", "y"), ("logit", "dsp"), ("logit", "y")])
def test_p_values_match_sna_within_monte_carlo_error(reference_dir, case, model, null):
    ref = REF["cases"][case]
    Y, X = reference_inputs(reference_dir, ref["spec"])
    R = 1000 if model == "ols" else 400
    res = mrqap(Y, X, model=model, null=null, n_permutations=R, seed=3, progress=False)
    theirs = ref[f"{'netlm' if model == 'ols' else 'netlogit'}_{'qapspp' if null == 'dsp' else 'qapy'}"]
    ours = res.attrs["p_sna"]
    for col, rcol in (("p_greater", "pgreq"), ("p_less", "pleeq"), ("p_abs", "pgreqabs")):
        for o, t in zip(ours[col], theirs[rcol], strict=True):
            assert abs(o - t) <= mc_tolerance(t, R, REF["reps"]), (case, model, null, col, o, t)


def _ols_t(X, y):
    coef, *_ = np.linalg.lstsq(X, y, rcond=None)
    resid = y - X @ coef
    cov = np.linalg.inv(X.T @ X) * (resid @ resid) / (len(y) - X.shape[1])
    return coef / np.sqrt(np.diag(cov))


def small_problem(seed=0, n=9):
    rng = np.random.default_rng(seed)
    X1 = (rng.random((n, n)) < 0.3).astype(float)
    orgs = np.array(list("AAABBBCCC"))[:n]
    same = (orgs[:, None] == orgs[None, :]).astype(float)
    Y = ((0.6 * X1 + 0.3 * same + rng.random((n, n))) > 0.8).astype(float)
    for M in (X1, same, Y):
        np.fill_diagonal(M, 0)
    return Y, {"x1": X1, "same": same}


def test_dsp_distribution_equals_explicit_refits():
    """The vectorised Frisch-Waugh shortcut equals refitting each permutation."""
    Y, preds = small_problem()
    n, R, seed = 9, 60, 4
    res = mrqap(Y, preds, n_permutations=R, seed=seed)
    mask = ~np.eye(n, dtype=bool)
    X = np.column_stack([np.ones(mask.sum()), preds["x1"][mask], preds["same"][mask]])
    y = Y[mask]
    seeds = np.random.SeedSequence(seed).spawn(3)  # one stream per term (resample engine)
    for k in range(3):
        others = [j for j in range(3) if j != k]
        g, *_ = np.linalg.lstsq(X[:, others], X[:, k], rcond=None)
        E = np.zeros((n, n))
        E[mask] = X[:, k] - X[:, others] @ g
        perms = permutations(lambda p: p, n, R, seeds[k], batch=10**6)
        expected = [
            _ols_t(np.column_stack([X[:, others], E[np.ix_(p, p)][mask]]), y)[-1] for p in perms
        ]
        np.testing.assert_allclose(res.attrs["distribution"][:, k], expected, rtol=1e-9, atol=1e-9)


def test_y_permutation_distribution_equals_explicit_refits():
    Y, preds = small_problem(seed=1)
    n, R, seed = 9, 50, 8
    res = mrqap(Y, preds, null="y", n_permutations=R, seed=seed)
    mask = ~np.eye(n, dtype=bool)
    X = np.column_stack([np.ones(mask.sum()), preds["x1"][mask], preds["same"][mask]])
    perms = permutations(lambda p: p, n, R, seed, batch=10**6)
    expected = np.array([_ols_t(X, Y[np.ix_(p, p)][mask]) for p in perms])
    np.testing.assert_allclose(res.attrs["distribution"], expected, rtol=1e-9, atol=1e-9)


def test_attribute_predictor_graph_inputs_and_no_mutation():
    G = nx.DiGraph()
    G.add_nodes_from([(f"p{i}", {"organisation": "AB"[i % 2], "sector": "X"}) for i in range(8)])
    G.add_edges_from([("p0", "p2"), ("p2", "p4"), ("p1", "p3"), ("p3", "p0"), ("p5", "p7"), ("p6", "p1")])
    before = nx.DiGraph(G)
    before.remove_edge("p6", "p1")
    before.add_edge("p0", "p1")
    snapshot = nx.to_dict_of_dicts(G), dict(G.nodes(data=True))
    res = mrqap(G, {"before": before, "same_org": "organisation"}, n_permutations=30, seed=2)
    assert snapshot == (nx.to_dict_of_dicts(G), dict(G.nodes(data=True)))
    order = list(G)
    labels = np.array([G.nodes[v]["organisation"] for v in order])
    same = (labels[:, None] == labels[None, :]).astype(float)
    explicit = mrqap(
        nx.to_numpy_array(G, nodelist=order),
        {"before": nx.to_numpy_array(before, nodelist=order), "same_org": same},
        n_permutations=30, seed=2,
    )
    np.testing.assert_allclose(res.to_numpy(), explicit.to_numpy())
    assert res.attrs["seed"] == 2 and res.attrs["n_permutations"] == 30
    assert list(res.columns) == ["coef", "statistic", "p_greater", "p_less", "p_abs"]


def test_results_reproducible_and_thread_independent():
    Y, preds = small_problem(seed=2)
    a = mrqap(Y, preds, model="logit", n_permutations=40, seed=5)
    b = mrqap(Y, preds, model="logit", n_permutations=40, seed=5, n_jobs=2)
    np.testing.assert_array_equal(a.attrs["distribution"], b.attrs["distribution"])
    c = mrqap(Y, preds, n_permutations=10)
    assert isinstance(c.attrs["seed"], int)


def test_bad_inputs_are_loud():
    G = nx.DiGraph([(0, 1), (1, 2), (2, 3)])
    nx.set_node_attributes(G, {0: "A", 1: "A", 2: "B"}, "organisation")  # 3 has none
    with pytest.raises(InputError, match="no value"):
        mrqap(G, "organisation", seed=1)
    Y, preds = small_problem()
    with pytest.raises(InputError, match="collinear"):
        mrqap(Y, {"a": preds["x1"], "b": preds["x1"]}, seed=1)
    with pytest.raises(InputError, match="binary"):
        mrqap(Y * 2, preds, model="logit", seed=1)
    with pytest.raises(InputError, match="node attribute"):
        mrqap(Y, "organisation", seed=1)
    with pytest.raises(InputError, match="model"):
        mrqap(Y, preds, model="probit")


def test_weight_gives_valued_ols():
    G = nx.DiGraph()
    G.add_weighted_edges_from([(0, 1, 3.0), (1, 2, 1.0), (2, 3, 5.0), (3, 0, 2.0), (0, 2, 4.0)], weight="strength")
    H = nx.DiGraph()
    H.add_weighted_edges_from([(0, 1, 1.0), (1, 2, 4.0), (2, 3, 5.0), (3, 1, 2.0)], weight="strength")
    nodes = [0, 1, 2, 3]
    res = mrqap(G, {"h": H}, weight="strength", n_permutations=10, seed=1, nodes=nodes)
    A = nx.to_numpy_array(G, nodelist=nodes, weight="strength")
    B = nx.to_numpy_array(H, nodelist=nodes, weight="strength")
    mask = ~np.eye(4, dtype=bool)
    X = np.column_stack([np.ones(mask.sum()), B[mask]])
    coef, *_ = np.linalg.lstsq(X, A[mask], rcond=None)
    np.testing.assert_allclose(res["coef"], coef, atol=1e-12)
    np.testing.assert_allclose(res["statistic"], _ols_t(X, A[mask]), atol=1e-10)


@pytest.mark.parametrize("directed", [True, False])
@pytest.mark.parametrize("ratio", [0, 10**9])
def test_dsp_shortcuts_equal_explicit_refits(monkeypatch, directed, ratio):
    """Both ways of reading a permuted predictor (its non-zero cells, or, for a
    same-group predictor, sums within groups: BLOCK_RATIO 0 or huge) give the
    refitted t-values, for directed and undirected (upper triangle) dyads."""
    monkeypatch.setattr(mrqap_module, "BLOCK_RATIO", ratio)
    Y, preds = small_problem(seed=2)
    if not directed:
        Y, preds = np.maximum(Y, Y.T), {k: np.maximum(M, M.T) for k, M in preds.items()}
    n, R, seed = 9, 40, 6
    res = mrqap(Y, preds, n_permutations=R, seed=seed)
    mask = ~np.eye(n, dtype=bool) if directed else np.triu(np.ones((n, n), dtype=bool), 1)
    X = np.column_stack([np.ones(mask.sum()), preds["x1"][mask], preds["same"][mask]])
    y = Y[mask]
    seeds = np.random.SeedSequence(seed).spawn(3)
    for k in range(3):
        others = [j for j in range(3) if j != k]
        g, *_ = np.linalg.lstsq(X[:, others], X[:, k], rcond=None)
        E = np.zeros((n, n))
        E[mask] = X[:, k] - X[:, others] @ g
        if not directed:
            E = E + E.T
        perms = permutations(lambda p: p, n, R, seeds[k], batch=10**6)
        expected = [
            _ols_t(np.column_stack([X[:, others], E[np.ix_(p, p)][mask]]), y)[-1] for p in perms
        ]
        np.testing.assert_allclose(res.attrs["distribution"][:, k], expected, rtol=1e-9, atol=1e-9)


def test_mrqap_permute_computes_only_the_terms_asked_for_with_the_same_p_values():
    rng = np.random.default_rng(8)
    n = 14
    before = nx.gnp_random_graph(n, 0.25, seed=1, directed=True)
    after = nx.gnp_random_graph(n, 0.25, seed=2, directed=True)
    nx.set_node_attributes(after, {i: "ABC"[i % 3] for i in range(n)}, "organisation")
    noise = rng.random((n, n))
    predictors = {"before": before, "same_org": "organisation", "noise": noise}
    full = mrqap(after, predictors, n_permutations=60, seed=5)
    one = mrqap(after, predictors, n_permutations=60, seed=5, permute=["same_org"])
    pd.testing.assert_frame_equal(one[["coef", "statistic"]], full[["coef", "statistic"]])
    p_cols = ["p_greater", "p_less", "p_abs"]
    pd.testing.assert_series_equal(one.loc["same_org", p_cols], full.loc["same_org", p_cols])
    assert one.drop(index="same_org")[p_cols].isna().all().all()
    k = list(full.index).index("same_org")
    dist = one.attrs["distribution"]
    assert np.array_equal(dist[:, k], full.attrs["distribution"][:, k])
    assert np.isnan(np.delete(dist, k, axis=1)).all()
    assert np.isnan(one.attrs["p_sna"]["p_abs"][0])
    with pytest.raises(InputError, match="unknown term"):
        mrqap(after, predictors, n_permutations=10, seed=5, permute=["same_sector"])
    with pytest.raises(InputError, match="null='dsp'"):
        mrqap(after, predictors, null="y", n_permutations=10, seed=5, permute=["before"])
