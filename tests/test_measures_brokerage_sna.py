"""sna values not in the shared reference: brokerage moments, evcent centralization.

brokerage_expected is checked against sna::brokerage's exp/sd/z per node and
network; centralization(G, "eigenvector") and network_summary's
centralization_eigenvector against ``centralization(A, evcent, mode=gmode)``.

The numbers come from ``tests/reference/sna_extra_reference.R`` (R 4.2.2, sna
2.7.1); its output is kept in ``tests/reference/sna_extra_reference.json`` so
these tests run without R. Inline cases (the methods.md 8-node fixture, a
singleton group labelled "007", a group labelled "NA", one group) always run;
the reference-network cases need ``../shared/reference-networks``.
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from test_reference_measures import _build

import senatenet as sn

REF = json.loads(
    (Path(__file__).parent / "reference" / "sna_extra_reference.json").read_text()
)
ROLES = ["coordinator", "itinerant", "representative", "gatekeeper", "liaison", "total"]
TOL = 1e-9


def _array(values) -> np.ndarray:
    return np.array(
        [
            [float(x) for x in row] if isinstance(row, list) else float(row)
            for row in values
        ],
        dtype=float,
    )


def _close(actual, expected, what):
    actual, expected = (
        np.asarray(actual, dtype=float),
        np.asarray(expected, dtype=float),
    )
    assert actual.shape == expected.shape, what
    same_nan = np.isnan(actual) & np.isnan(expected)
    ok = same_nan | np.isclose(actual, expected, rtol=TOL, atol=TOL)
    assert ok.all(), f"{what}: got {actual[~ok]}, sna {expected[~ok]}"


def _check(G, group, case, name):
    # sna's evcent iterates to tol 1e-10, so its scores carry ~1e-10 error
    want = float(case["evcent_centralization"])
    for got in (
        sn.centralization(G, "eigenvector"),
        sn.network_summary(G, group)["centralization_eigenvector"],
    ):
        assert (np.isnan(want) and np.isnan(got)) or abs(got - want) < 1e-8, name
    nodes = sn.brokerage_expected(G, group)
    net = sn.brokerage_expected(G, group, level="network")
    raw = nodes[ROLES].to_numpy()
    _close(raw, _array(case["raw_nli"]), f"{name} raw")
    for ours, key in (("_expected", "exp_nli"), ("_sd", "sd_nli"), ("_z", "z_nli")):
        got = nodes[[r + ours for r in ROLES]].to_numpy()
        _close(got, _array(case[key]), f"{name} {key}")
    for ours, key in (("expected", "exp_gli"), ("sd", "sd_gli"), ("z", "z_gli")):
        _close(net[ours].to_numpy(), _array(case[key]), f"{name} {key}")


INLINE = [k for k, v in REF["cases"].items() if v["kind"] == "inline"]


def _inline(case) -> nx.Graph:
    G = nx.Graph() if case["undirected"] else nx.DiGraph()
    for i, g in enumerate(case["groups"]):
        G.add_node(f"p{i}", organisation=g)
    G.add_edges_from((f"p{int(u)}", f"p{int(v)}") for u, v in case["edges"])
    return G


@pytest.mark.parametrize("name", INLINE)
def test_inline_cases_match_sna(name):
    case = REF["cases"][name]
    _check(_inline(case), "organisation", case, name)


def test_eigenvector_in_mode_is_the_node_table_column():
    # regression: digraph eigenvector centralization used A^T, not sna's A
    G = _inline(REF["cases"]["fixture8"])
    ev = sn.node_table(G, columns=["eigenvector"])["eigenvector"].to_numpy()
    n = len(ev)
    want = (ev.max() - ev).sum() / (n - 1)
    assert sn.centralization(G, "eigenvector", mode="in") == pytest.approx(
        want, abs=1e-12
    )
    assert sn.centralization(G, "eigenvector") != pytest.approx(want, abs=1e-3)
    assert sn.centralization(G, "eigenvector", mode="out") == sn.centralization(
        G, "eigenvector"
    )


def test_fixture_global_values_match_methods_notes():
    # methods.md 2.2 lists exp.gli and z.gli of the fixture to 4 decimals
    case = REF["cases"]["fixture8"]
    assert np.allclose(
        _array(case["exp_gli"]),
        [0.4966, 2.9794, 2.9794, 2.9794, 4.4690, 13.9037],
        atol=5e-5,
    )
    assert np.allclose(
        _array(case["z_gli"]),
        [4.4786, -0.8808, 0.9104, 0.9104, -0.1651, 0.7635],
        atol=5e-5,
    )


@pytest.mark.reference
def test_reference_networks_match_sna(reference_dir):
    names = [k for k, v in REF["cases"].items() if v["kind"] == "reference"]
    assert len(names) >= 18
    for name in names:
        case = REF["cases"][name]
        folder = reference_dir / "expected" / case["dataset"] / case["case"]
        spec = json.loads((folder / "summary.json").read_text())["spec"]
        G = _build(reference_dir, spec, case["dataset"])
        _check(G, "group", case, name)


def _sna_liaison_variance(n, N, d):
    """sna's vgbr[5] (liaison, network level), transcribed loop by loop from R."""
    c3, c4, c5 = d**3 * (1 - d) ** 3, d**4 * (1 - d) ** 2, d**5 * (1 - d)
    e = (
        d**2
        * (1 - d)
        * (
            sum(x * y * (N - x - y) for x in n for y in n)
            - sum(x * x * (N - 2 * x) for x in n)
        )
    )
    v = e * (1 - d**2 * (1 - d))
    for i in range(len(n)):
        for j in range(len(n)):
            for k in range(len(n)):
                if i != j and j != k and i != k:
                    a, b, c = n[i], n[j], n[k]
                    v += (
                        a
                        * b
                        * c
                        * (
                            (4 * (N - b) - 2 * (a + c + 1)) * c3
                            - (4 * (N - c) - 2 * (a + b + 1)) * c4
                            + (N - (a + c + 1)) * c5
                        )
                    )
    return v


def test_liaison_variance_with_many_groups():
    # regression: the k^3 triple sum was materialised (k = 300 took 6 s and
    # ~2 GB); now a closed form over distinct-triple power sums
    rng = np.random.default_rng(3)
    sizes = rng.integers(1, 9, 12)
    G = nx.gnp_random_graph(int(sizes.sum()), 0.2, seed=3, directed=True)
    groups = np.repeat(np.arange(12), sizes)
    nx.set_node_attributes(G, {v: f"g{groups[v]:02d}" for v in G}, "organisation")
    net = sn.brokerage_expected(G, level="network")
    N = G.number_of_nodes()
    d = G.number_of_edges() / (N * (N - 1))
    order = list(dict.fromkeys(f"g{g:02d}" for g in groups))  # sna's clid order
    n = [float(np.sum(groups == int(label[1:]))) for label in order]
    want = _sna_liaison_variance(n, float(N), d)
    assert net.loc["liaison", "sd"] ** 2 == pytest.approx(want, rel=1e-12)
    many = nx.gnp_random_graph(2000, 0.004, seed=1, directed=True)
    nx.set_node_attributes(many, {v: v % 500 for v in many}, "organisation")
    assert np.isfinite(sn.brokerage_expected(many, level="network")["sd"]).all()
