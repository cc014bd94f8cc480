"""qap_test: sna parity (gcor, Monte Carlo p-values), brute force, conventions."""

from __future__ import annotations

import json

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from senatenet import InputError, qap_test
from senatenet.resample import permutations


def load_reference_matrix(root, dataset, relation, wave=None, undirected=False):
    """Binary adjacency matrix built exactly as the reference README says."""
    nodes = pd.read_csv(root / dataset / "nodes.csv", dtype=str, keep_default_na=False)
    ties = pd.read_csv(root / dataset / "ties.csv", dtype=str, keep_default_na=False)
    t = ties[ties["relation"] == relation]
    if wave is not None:
        t = t[t["wave"] == wave]
    index = {v: i for i, v in enumerate(nodes["id"])}
    A = np.zeros((len(nodes), len(nodes)))
    A[[index[s] for s in t["source"]], [index[s] for s in t["target"]]] = 1
    np.fill_diagonal(A, 0)
    if undirected:
        A = np.maximum(A, A.T)
    return A, nodes


def mc_tolerance(p_ref, r_py, r_ref=10000):
    return 4 * np.sqrt(p_ref * (1 - p_ref) / r_py) + 4 * np.sqrt(p_ref * (1 - p_ref) / r_ref) + 1 / r_py


def qap_cases(root):
    for path in sorted((root / "expected").glob("*/qap_*/qap.json")):
        yield path.parent.parent.name, path.parent.name, json.loads(path.read_text())


@pytest.mark.reference
def test_gcor_and_p_values_match_sna(reference_dir):
    cases = list(qap_cases(reference_dir))
    assert len(cases) >= 9
    for dataset, case, ref in cases:
        spec = ref["spec"]
        und = not spec["directed"]
        A, _ = load_reference_matrix(reference_dir, dataset, spec["relation"], spec["wave"], und)
        B, _ = load_reference_matrix(
            reference_dir, dataset, spec["relation2"] or spec["relation"],
            spec["wave2"] if spec["wave2"] is not None else spec["wave"], und,
        )
        R = 2000
        res = qap_test(A, B, n_permutations=R, seed=7, directed=not und)
        assert res.observed == pytest.approx(ref["gcor"], abs=1e-12), case
        big = ref["qap_large"]
        for ours, theirs in ((res.p_greater_sna, big["pgreq"]), (res.p_less_sna, big["pleeq"])):
            assert abs(ours - theirs) <= mc_tolerance(theirs, R), (dataset, case, ours, theirs)
        assert res.null_sd == pytest.approx(big["dist_sd"], rel=0.1)


def brute_force_distribution(X, Y, perms, directed):
    mask = ~np.eye(len(X), dtype=bool) if directed else np.triu(np.ones(X.shape, bool), 1)
    return np.array([np.corrcoef(X[mask], Y[np.ix_(p, p)][mask])[0, 1] for p in perms])


@pytest.mark.parametrize("directed", [True, False])
def test_distribution_equals_explicit_permutations(directed):
    rng = np.random.default_rng(3)
    n = 12
    X = (rng.random((n, n)) < 0.3).astype(float)
    Y = (rng.random((n, n)) < 0.5).astype(float) * rng.integers(1, 5, (n, n))  # valued
    if not directed:
        X, Y = np.triu(X, 1) + np.triu(X, 1).T, np.triu(Y, 1) + np.triu(Y, 1).T
    np.fill_diagonal(X, 0)
    np.fill_diagonal(Y, 0)
    res = qap_test(X, Y, n_permutations=300, seed=11, directed=directed)
    perms = permutations(lambda p: p, n, 300, 11, batch=10**6)  # the engine's stream
    expected = brute_force_distribution(X, Y, perms, directed)
    np.testing.assert_allclose(res.distribution, expected, atol=1e-12)
    # also when the denser matrix comes first (the other enumeration path)
    res2 = qap_test(Y, X, n_permutations=300, seed=11, directed=directed)
    expected2 = brute_force_distribution(Y, X, perms, directed)
    np.testing.assert_allclose(res2.distribution, expected2, atol=1e-12)


def test_p_value_conventions_are_counts_of_the_distribution():
    G1 = nx.gnp_random_graph(15, 0.3, seed=1, directed=True)
    G2 = nx.gnp_random_graph(15, 0.3, seed=2, directed=True)
    G2.add_edges_from(list(G1.edges)[:20])
    res = qap_test(G1, G2, n_permutations=499, seed=5)
    d, obs, R = res.distribution, res.observed, 499
    k_ge = int((d >= obs - 1e-12).sum())
    k_le = int((d <= obs + 1e-12).sum())
    k_abs = int((np.abs(d) >= abs(obs) - 1e-12).sum())  # Pearson null mean is exactly 0
    assert res.p_greater == pytest.approx((k_ge + 1) / (R + 1))
    assert res.p_less == pytest.approx((k_le + 1) / (R + 1))
    assert res.p_two_sided == pytest.approx((k_abs + 1) / (R + 1))
    assert res.p_greater_sna == pytest.approx(k_ge / R)
    assert res.p_greater < 0.05  # the 20 shared ties make the association real


def test_hand_computed_statistics():
    # 4 people, directed: 12 dyads. G1 ties {01,12,23}, G2 ties {01,12,30,02}.
    G1 = nx.DiGraph([(0, 1), (1, 2), (2, 3)])
    G2 = nx.DiGraph([(0, 1), (1, 2), (3, 0), (0, 2)])
    G2.add_nodes_from(G1)
    both, either = 2, 5
    assert qap_test(G1, G2, statistic="jaccard", n_permutations=10, seed=0).observed == pytest.approx(both / either)
    agree = 12 - 3  # 3 dyads differ: 23, 30, 02
    assert qap_test(G1, G2, statistic="simple_matching", n_permutations=10, seed=0).observed == pytest.approx(agree / 12)
    # Pearson by formula: n=12, sum x = 3, sum y = 4, sum xy = 2
    r = (2 / 12 - (3 / 12) * (4 / 12)) / np.sqrt((3 / 12) * (9 / 12) * (4 / 12) * (8 / 12))
    assert qap_test(G1, G2, n_permutations=10, seed=0).observed == pytest.approx(r)


def test_undirected_uses_upper_triangle_and_graphs_align_by_label():
    G1 = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
    G2 = nx.Graph()
    G2.add_nodes_from(["d", "c", "b", "a"])  # other order
    G2.add_edges_from([("a", "b"), ("c", "d"), ("a", "d")])
    res = qap_test(G1, G2, n_permutations=50, seed=1)
    assert not res.directed and res.cells == 6
    x = np.array([1, 0, 0, 1, 0, 1.0])  # ab ac ad bc bd cd
    y = np.array([1, 0, 1, 0, 0, 1.0])
    assert res.observed == pytest.approx(np.corrcoef(x, y)[0, 1])


def test_reproducible_and_independent_of_threads():
    G1 = nx.gnp_random_graph(20, 0.2, seed=1, directed=True)
    G2 = nx.gnp_random_graph(20, 0.2, seed=2, directed=True)
    a = qap_test(G1, G2, n_permutations=3000, seed=9)
    b = qap_test(G1, G2, n_permutations=3000, seed=9, n_jobs=2)
    np.testing.assert_array_equal(a.distribution, b.distribution)
    c = qap_test(G1, G2, n_permutations=200)
    assert isinstance(c.seed, int)
    d = qap_test(G1, G2, n_permutations=200, seed=c.seed)
    np.testing.assert_array_equal(c.distribution, d.distribution)


def test_inputs_are_not_mutated_and_reports_render():
    G1 = nx.DiGraph([("x", "y"), ("y", "z"), ("z", "w")])
    G2 = nx.DiGraph([("x", "y"), ("z", "x"), ("w", "y")])
    before = (nx.to_dict_of_dicts(G1), list(G1), nx.to_dict_of_dicts(G2), list(G2))
    res = qap_test(G1, G2, n_permutations=20, seed=1)
    assert before == (nx.to_dict_of_dicts(G1), list(G1), nx.to_dict_of_dicts(G2), list(G2))
    assert "p-values are (k + 1) / (R + 1)" in str(res)
    assert "<table>" in res._repr_html_()
    assert res.as_dict()["seed"] == 1


def test_bad_input_is_loud():
    G1 = nx.DiGraph([(0, 1), (1, 2)])
    G2 = nx.DiGraph([(0, 1), (1, 3)])
    with pytest.raises(InputError, match="same people"):
        qap_test(G1, G2, seed=1)
    with pytest.raises(InputError, match="square"):
        qap_test(np.zeros((3, 4)), np.zeros((3, 4)), seed=1)
    bad = np.ones((3, 3))
    bad[0, 1] = np.nan
    with pytest.raises(InputError, match="NaN"):
        qap_test(bad, np.ones((3, 3)), seed=1)
    with pytest.raises(InputError, match="statistic"):
        qap_test(np.ones((3, 3)), np.ones((3, 3)), statistic="gamma")


def test_no_variation_gives_nan_with_warning():
    empty = nx.DiGraph()
    empty.add_nodes_from(range(5))
    G2 = nx.DiGraph([(0, 1), (2, 3)])
    G2.add_nodes_from(range(5))
    with pytest.warns(RuntimeWarning, match="no variation"):
        res = qap_test(empty, G2, n_permutations=20, seed=1)
    assert np.isnan(res.observed) and np.isnan(res.p_greater)


def test_progress_bar_goes_to_stderr_only_when_asked(capsys):
    G1 = nx.gnp_random_graph(10, 0.3, seed=1, directed=True)
    G2 = nx.gnp_random_graph(10, 0.3, seed=2, directed=True)
    qap_test(G1, G2, n_permutations=50, seed=1, progress=True)
    captured = capsys.readouterr()
    assert "QAP [" in captured.err and "50/50" in captured.err and captured.out == ""
    qap_test(G1, G2, n_permutations=50, seed=1, progress=False)
    assert capsys.readouterr().err == ""


def test_weighted_pearson_uses_the_weight_attribute():
    G1 = nx.DiGraph()
    G1.add_weighted_edges_from([(0, 1, 3.0), (1, 2, 1.0), (2, 3, 5.0), (3, 0, 2.0)], weight="strength")
    G2 = nx.DiGraph()
    G2.add_weighted_edges_from([(0, 1, 1.0), (1, 2, 4.0), (2, 3, 5.0), (0, 2, 2.0)], weight="strength")
    res = qap_test(G1, G2, n_permutations=20, seed=1, weight="strength")
    A = nx.to_numpy_array(G1, nodelist=[0, 1, 2, 3], weight="strength")
    B = nx.to_numpy_array(G2, nodelist=[0, 1, 2, 3], weight="strength")
    mask = ~np.eye(4, dtype=bool)
    assert res.observed == pytest.approx(np.corrcoef(A[mask], B[mask])[0, 1])
    binary = qap_test(G1, G2, n_permutations=20, seed=1)
    assert binary.observed != pytest.approx(res.observed)


# --- the cross-product kernels: every path against brute force -----------------

def random_pair(n, density, kind, symmetric, seed):
    rng = np.random.default_rng(seed)
    mats = []
    for _ in range(2):
        M = (rng.random((n, n)) < density).astype(float)
        if kind == "integer":
            M *= rng.integers(1, 6, (n, n))
        elif kind == "float":
            M *= rng.random((n, n)) + 0.5
        elif kind == "shifted":  # most cells 2 (a non-zero most common value)
            M = 2.0 + M * rng.integers(-2, 3, (n, n))
        if symmetric:
            M = np.triu(M, 1) + np.triu(M, 1).T
        np.fill_diagonal(M, 0)
        mats.append(M)
    return mats


@pytest.mark.parametrize("symmetric", [False, True])
@pytest.mark.parametrize("kind", ["binary", "integer", "float", "shifted"])
@pytest.mark.parametrize("density", [0.03, 0.3, 0.6, 0.97])
def test_cross_sum_kernels_equal_brute_force(density, kind, symmetric):
    from senatenet.compare.qap import _cross_sum_func

    n = 17
    X, Y = random_pair(n, density, kind, symmetric, seed=int(density * 100))
    perms = permutations(lambda p: p, n, 150, 4, batch=10**6)  # the engine's stream
    expected = np.array([(X * Y[np.ix_(p, p)]).sum() for p in perms])
    for A, B, exp in ((X, Y, expected), (Y, X, None)):  # either matrix may be visited
        got = _cross_sum_func(A, B)(perms)
        if exp is None:
            exp = np.array([(A * B[np.ix_(p, p)]).sum() for p in perms])
        if kind == "float":
            np.testing.assert_allclose(got, exp, rtol=1e-12)
        else:  # integer sums are exact whatever the order of summation
            np.testing.assert_array_equal(got, exp)


def test_each_kernel_is_used_where_it_is_cheapest():
    from senatenet.compare.qap import _cross_sum_func

    def kernel(density, kind):
        X, Y = random_pair(40, density, kind, False, seed=1)
        return _cross_sum_func(X, Y).__qualname__.split(".")[0]

    assert kernel(0.05, "binary") == "_cross_sum_func"  # sparse gathers
    assert kernel(0.95, "binary") == "_cross_sum_func"  # sparse in the complement
    assert kernel(0.5, "binary") == "_dense_binary_func"
    assert kernel(0.9, "float") == "_dense_func"
    assert kernel(0.2, "float") == "_cross_sum_func"


@pytest.mark.parametrize("density", [0.5, 0.9])
@pytest.mark.parametrize("directed", [True, False])
def test_dense_networks_give_the_explicit_permutation_distribution(density, directed):
    n = 14
    X, Y = random_pair(n, density, "binary", not directed, seed=2)
    Yv = random_pair(n, density, "float", not directed, seed=3)[0]
    perms = permutations(lambda p: p, n, 200, 8, batch=10**6)  # the engine's stream
    for B in (Y, Yv):
        res = qap_test(X, B, n_permutations=200, seed=8, directed=directed)
        np.testing.assert_allclose(res.distribution, brute_force_distribution(X, B, perms, directed),
                                   atol=1e-12)
    before = (X.copy(), Yv.copy())
    qap_test(X, Yv, n_permutations=20, seed=1, directed=directed)
    np.testing.assert_array_equal(X, before[0])
    np.testing.assert_array_equal(Yv, before[1])


def test_graph_to_matrix_matches_networkx_and_rejects_bad_weights():
    from senatenet.compare._matrix import to_matrix

    G = nx.DiGraph()
    G.add_edge("b", "a", strength=2.0)
    G.add_edge("a", "c", strength=4.5)
    G.add_edge("c", "c", strength=9.0)  # a self-loop is not a dyad
    H = G.to_undirected()
    for graph in (G, H):
        for weight in (None, "strength"):
            A, order, directed = to_matrix(graph, ["a", "b", "c"], weight=weight)
            expected = nx.to_numpy_array(graph, nodelist=["a", "b", "c"], weight=weight or "x")
            if weight is None:
                expected = (expected != 0).astype(float)
            np.fill_diagonal(expected, 0)
            np.testing.assert_array_equal(A, expected)
            assert directed == graph.is_directed() and order == ["a", "b", "c"]
    G.add_edge("a", "b")
    with pytest.raises(InputError, match="no 'strength' value"):
        to_matrix(G, None, weight="strength")
    G["a"]["b"]["strength"] = "strong"
    with pytest.raises(InputError, match="must be numbers"):
        to_matrix(G, None, weight="strength")


def test_printed_p_values_say_when_they_are_at_the_floor_or_missing():
    G1 = nx.gnp_random_graph(15, 0.3, seed=1, directed=True)
    G2 = G1.copy()
    G2.add_edge(0, 5)
    text = str(qap_test(G1, G2, n_permutations=999, seed=1))
    assert "0.001 (the smallest possible with 999 permutations)" in text
    none = qap_test(G1, G2, n_permutations=0, seed=1)
    assert np.isnan(none.p_greater) and np.isnan(none.p_two_sided)
    assert "not available (no permutations)" in str(none)
