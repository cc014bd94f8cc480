"""senatenet.ergm: change statistics by brute force, R ergm 4.12 reference values."""

from __future__ import annotations

import json
import os
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import senatenet as sn
from senatenet.errors import InputError
from senatenet.models._formula import parse_formula
from senatenet.models._terms import Context, columns

ROOT = Path(__file__).resolve().parents[1]
MODELS_DIR = Path(os.environ.get("SENATENET_MODELS_DIR",
                                 ROOT.parent / "shared" / "reference-models"))


def _stat(Y, label, directed):
    ctx = Context(Y, directed, list(range(len(Y))), pd.DataFrame(index=range(len(Y))), {})
    (col,) = columns(parse_formula(label)[0], ctx)
    return col


@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize("term", ["gwesp(0.5, fixed=TRUE)", "gwesp(1.3, fixed=TRUE)",
                                  "transitiveties", "triangle", "mutual"])
def test_change_statistics_equal_the_difference_of_statistics(term, directed):
    if (term == "triangle" and directed) or (term == "mutual" and not directed):
        pytest.skip("term defined for the other kind of network")
    rng = np.random.default_rng(3)
    n = 7
    Y = (rng.random((n, n)) < 0.4).astype(float)
    np.fill_diagonal(Y, 0)
    if not directed:
        Y = np.triu(Y, 1)
        Y = Y + Y.T
    change = _stat(Y, term, directed).change
    for i in range(n):
        for j in range(n):
            if i == j or (not directed and i > j):
                continue
            plus, minus = Y.copy(), Y.copy()
            plus[i, j] = 1
            minus[i, j] = 0
            if not directed:
                plus[j, i], minus[j, i] = 1, 0
            diff = _stat(plus, term, directed).observed - _stat(minus, term, directed).observed
            assert change[i, j] == pytest.approx(diff, abs=1e-10), (i, j)


def test_hand_computed_triangle_and_edges():
    G = nx.Graph([(0, 1), (1, 2), (0, 2), (2, 3)])
    res = sn.ergm(G, "edges + triangle")
    assert res.statistics.tolist() == [4.0, 1.0]
    assert res.method == "mple" and res.estimates["std_error"].isna().all()


def test_edges_only_is_the_logit_of_the_density():
    G = nx.gnm_random_graph(12, 20, seed=1)
    est = sn.ergm(G, "edges", method="mle").estimates
    assert est["estimate"].iloc[0] == pytest.approx(np.log(20 / (66 - 20)))


def test_bad_formulas_are_loud():
    G = nx.path_graph(4)
    with pytest.raises(InputError, match="unknown term"):
        sn.ergm(G, "edges + nosuchterm")
    with pytest.raises(InputError, match="no attribute"):
        sn.ergm(G, "edges + nodematch(org)")
    with pytest.raises(InputError, match="fixed=TRUE"):
        sn.ergm(G, "edges + gwesp(0.5)")


def test_graph_is_not_modified():
    G = nx.DiGraph([(0, 1), (1, 2), (2, 0)])
    before = nx.to_dict_of_dicts(G)
    sn.ergm(G, "edges + mutual + gwesp(0.5, fixed=TRUE)")
    assert nx.to_dict_of_dicts(G) == before


@pytest.fixture(scope="module")
def florentine():
    folder = MODELS_DIR / "florentine"
    if not (folder / "ergm_reference.json").is_file():
        pytest.skip(f"reference models not found at {MODELS_DIR} (set "
                    "SENATENET_MODELS_DIR to the shared/reference-models folder)")
    nodes = pd.read_csv(folder / "nodes.csv")
    ties = pd.read_csv(folder / "ties.csv")

    def graph(rel):
        G = nx.Graph()
        for r in nodes.itertuples():
            G.add_node(r.id, wealth=r.wealth, priorates=r.priorates)
        G.add_edges_from(ties.loc[ties.relation == rel, ["source", "target"]]
                         .itertuples(index=False))
        return G

    ref = json.loads((folder / "ergm_reference.json").read_text())
    return graph("marriage"), graph("business"), ref["models"]


def test_florentine_matches_r_ergm(florentine):
    marriage, business, models = florentine
    for model in models:
        formula = model["formula"].split("~")[1]
        res = sn.ergm(marriage, formula, covariates={"business": business})
        expected = model.get("estimates", model.get("mple"))
        np.testing.assert_allclose(res.estimates["estimate"], expected, atol=1e-6,
                                   err_msg=formula)
        if "statistics" in model:
            np.testing.assert_allclose(res.statistics, model["statistics"])
        if "std_errors" in model:
            np.testing.assert_allclose(res.estimates["std_error"], model["std_errors"],
                                       rtol=2e-3, err_msg=formula)
        if "mple" in model:
            assert res.estimates["std_error"].isna().all()


# ------------------------------------------------ Monte Carlo MLE (dyad-dependent)
def _all_networks(n, directed, formula):
    """Every network on n nodes with its statistics, by brute force."""
    from itertools import product

    dyads = ([(i, j) for i in range(n) for j in range(n) if i != j] if directed
             else [(i, j) for i in range(n) for j in range(i + 1, n)])
    terms = parse_formula(formula)
    nets, stats = [], []
    for bits in product((0, 1), repeat=len(dyads)):
        Y = np.zeros((n, n))
        for (i, j), b in zip(dyads, bits, strict=True):
            Y[i, j] = b
            if not directed:
                Y[j, i] = b
        ctx = Context(Y, directed, list(range(n)), pd.DataFrame(index=range(n)), {})
        stats.append([c.observed for t in terms for c in columns(t, ctx)])
        nets.append(Y)
    return nets, np.array(stats)


def _exact(stats, theta):
    """Mean and covariance of the statistics under theta, by enumeration."""
    u = stats @ theta
    w = np.exp(u - u.max())
    w /= w.sum()
    mean = w @ stats
    return mean, (stats - mean).T @ ((stats - mean) * w[:, None])


@pytest.mark.parametrize("directed,formula,theta", [
    (False, "edges + triangle", [-0.5, 0.4]),
    (False, "edges + gwesp(0.7, fixed=TRUE)", [-0.8, 0.5]),
    (False, "edges + transitiveties", [-0.3, -0.6]),
    (True, "edges + mutual + gwesp(0.5, fixed=TRUE)", [-0.6, 0.8, 0.3]),
    (True, "edges + transitiveties", [-0.4, 0.5]),
])
def test_sampler_draws_from_the_ergm_distribution(directed, formula, theta):
    # the chains' mean statistics equal the exact expectation by enumeration
    from senatenet.models import _mcmle
    from senatenet.models.ergm import _dependent

    n = 4
    nets, stats = _all_networks(n, directed, formula)
    Y = nets[0]
    ctx = Context(Y, directed, list(range(n)), pd.DataFrame(index=range(n)), {})
    cols = [c for t in parse_formula(formula) for c in columns(t, ctx)]
    chains = _mcmle.Chains(Y, 4000, directed,
                           [(k, c.change) for k, c in enumerate(cols) if not c.dependent],
                           [(k, _dependent(c)) for k, c in enumerate(cols) if c.dependent],
                           np.zeros(len(cols)))
    Z = chains.run(np.array(theta), 300, np.random.default_rng(1))
    mean, cov = _exact(stats, np.array(theta))
    # the tracked statistics are those of each chain's final network
    final = np.array([[c.observed for t in parse_formula(formula) for c in columns(
        t, Context(chains.Y[k].astype(float), directed, list(range(n)),
                   pd.DataFrame(index=range(n)), {}))] for k in range(0, 4000, 97)])
    np.testing.assert_allclose(Z[::97], final, atol=1e-9)
    se = np.sqrt(np.diag(cov) / len(Z))
    assert np.all(np.abs(Z.mean(axis=0) - mean) < 4.5 * se), (Z.mean(axis=0), mean, se)


def test_monte_carlo_mle_equals_the_exact_mle_on_a_small_network():
    # exact MLE by enumeration of all 1,024 networks on 5 nodes
    G = nx.Graph([(0, 1), (1, 2), (0, 2), (2, 3), (3, 4), (1, 4)])
    formula = "edges + gwesp(0.5, fixed=TRUE)"
    _, stats = _all_networks(5, False, formula)
    res = sn.ergm(G, formula, method="mle", seed=3)
    observed = res.statistics.to_numpy()
    theta = sn.ergm(G, formula).estimates["estimate"].to_numpy()
    for _ in range(50):  # Newton on the exact log-likelihood
        mean, cov = _exact(stats, theta)
        theta = theta + np.linalg.solve(cov, observed - mean)
    mean, cov = _exact(stats, theta)
    exact_se = np.sqrt(np.diag(np.linalg.inv(cov)))
    est = res.estimates
    assert res.method == "mle" and res.options["converged"]
    np.testing.assert_allclose(est["estimate"], theta, atol=0.1 * exact_se.max())
    np.testing.assert_allclose(est["std_error"], exact_se, rtol=0.1)
    again = sn.ergm(G, formula, method="mle", seed=3)
    pd.testing.assert_frame_equal(again.estimates, est)  # seeded
    assert "Monte Carlo maximum likelihood" in res.summary() and "converged" in res.summary()


def test_monte_carlo_mle_matches_r_ergm_on_florentine_marriages(florentine):
    marriage, _, models = florentine
    (model,) = [m for m in models if "mcmc_mle" in m]
    res = sn.ergm(marriage, model["formula"].split("~")[1], method="mle", seed=1)
    assert res.options["converged"]
    # within the Monte Carlo error of two independent fits (a few hundredths)
    np.testing.assert_allclose(res.estimates["estimate"], model["mcmc_mle"], atol=0.06)
    np.testing.assert_allclose(res.estimates["std_error"], model["mcmc_mle_std_errors"],
                               rtol=0.15)


def test_monte_carlo_mle_settings_are_checked():
    G = nx.Graph([(0, 1), (1, 2), (0, 2), (2, 3)])
    with pytest.raises(InputError, match="unknown setting"):
        sn.ergm(G, "edges + triangle", method="mle", control={"chains": 5})
    with pytest.raises(InputError, match="whole number"):
        sn.ergm(G, "edges + triangle", method="mle", control={"burnin": 0})
    big = nx.gnm_random_graph(60, 150, seed=1)
    with pytest.raises(InputError, match="GiB"):  # refused before allocating
        sn.ergm(big, "edges + triangle", method="mle", control={"sample_size": 200_000})
    with pytest.raises(InputError, match="infinite"):  # MPLE at infinity: no start
        sn.ergm(nx.complete_graph(5), "edges + triangle", method="mle")
    # a finite start, but every simulation stays complete: nothing to climb
    with pytest.warns(RuntimeWarning, match="degenerate"):
        res = sn.ergm(nx.complete_graph(4), "edges + triangle", method="mle")
    assert not res.options["converged"] and res.estimates["std_error"].isna().all()
    assert "DID NOT CONVERGE" in res.summary()


def test_ergm_simulations_and_goodness_of_fit():
    # edges only: each simulated network's ties ~ Binomial(dyads, observed density)
    G = nx.gnm_random_graph(20, 38, seed=2, directed=True)
    res = sn.ergm(G, "edges", method="mle")
    sims = res.simulate(400, seed=1)
    assert sims.shape == (400, 20, 20) and not sims[:, range(20), range(20)].any()
    ties = sims.sum(axis=(1, 2))
    sd = np.sqrt(380 * 0.1 * 0.9 / 400)
    assert abs(ties.mean() - 38) < 4 * sd
    np.testing.assert_array_equal(res.simulate(5, seed=7), res.simulate(5, seed=7))
    g = sn.gof(res, n_sim=50, seed=1)
    out = g.table[g.table["statistic"].eq("outdegree")]
    assert g.model == "ergm" and g.n_sim == 50
    assert (out["value"] * out["observed"]).sum() == 38  # observed ties
    assert abs((out["value"] * out["sim_mean"]).sum() - 38) < 4 * np.sqrt(380 * .09 / 50)
    # a Monte Carlo MLE fit of an undirected network with triangles
    H = nx.Graph([(0, 1), (1, 2), (0, 2), (2, 3), (3, 4), (1, 4), (4, 5), (5, 6), (6, 4)])
    fit = sn.ergm(H, "edges + triangle", method="mle", seed=1)
    sims = sn.gof(fit, n_sim=30, seed=2)
    assert set(sims.table["statistic"]) == {"indegree", "outdegree", "esp", "distance"}
    assert (fit.simulate(3, seed=1) == np.transpose(fit.simulate(3, seed=1), (0, 2, 1))).all()
