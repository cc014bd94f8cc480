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
    with pytest.raises(NotImplementedError, match="Monte Carlo"):
        sn.ergm(G, "edges + triangle", method="mle")


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
