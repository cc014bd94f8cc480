"""The shared organisation colours and the group-aware layout."""

from __future__ import annotations

import copy

import networkx as nx
import numpy as np
import pytest
from matplotlib.colors import to_rgb

import senatenet as sn
from senatenet.draw.colors import CATEGORICAL_PALETTE

# Machado, Oliveira & Fernandes (2009), severity 1.0, on linear RGB.
_CVD = {
    "protan": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
               [-0.003882, -0.048116, 1.051998]],
    "deutan": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
               [-0.011820, 0.042940, 0.968881]],
    "tritan": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
               [0.004733, 0.691367, 0.303900]],
}


def _linear(c):
    c = np.asarray(c, dtype=float)
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab(linear_rgb):
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                    [0.0193, 0.1192, 0.9505]]) @ np.clip(linear_rgb, 0, 1)
    xyz /= np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


@pytest.mark.parametrize("vision", ["normal", "protan", "deutan", "tritan"])
def test_first_eight_colours_stay_distinct_for_colour_blind_readers(vision):
    """Min CIE76 distance between any two of the first 8 colours, as seen with
    each simulated dichromacy, is well above a just-noticeable difference."""
    m = np.eye(3) if vision == "normal" else np.array(_CVD[vision])
    labs = [_lab(m @ _linear(to_rgb(c))) for c in CATEGORICAL_PALETTE[:8]]
    dist = min(np.linalg.norm(labs[i] - labs[j]) for i in range(8) for j in range(i + 1, 8))
    assert dist > 15


def test_one_mapping_from_survey_graph_or_labels():
    survey = sn.load_sample()
    G = survey.person_graph("pre", "knows")
    from_survey = sn.organisation_colors(survey)
    assert from_survey == sn.organisation_colors(G)
    assert list(from_survey) == list(dict.fromkeys(survey.people["organisation"]))
    assert list(from_survey.values()) == list(CATEGORICAL_PALETTE[:6])
    assert sn.organisation_colors(from_survey) == from_survey  # a mapping passes through
    # text as written: "007" and "7" are two organisations
    assert list(sn.organisation_colors(["007", "7", "NA"])) == ["007", "7", "NA"]


def _groups():
    G = nx.DiGraph()
    sizes = {"A": 5, "B": 5, "C": 4, "D": 4, "E": 4, "F": 4}
    i = 0
    for org, k in sizes.items():
        members = [f"{i + j:03d}" for j in range(k)]
        i += k
        G.add_nodes_from(members, organisation=org)
        G.add_edges_from(zip(members, members[1:], strict=False))
    G.add_edge("000", "010")
    return G


def test_layout_is_seeded_scaled_and_does_not_mutate():
    G = _groups()
    snap = copy.deepcopy(list(G.nodes(data=True))), list(G.edges())
    pos = sn.group_layout(G, seed=3)
    assert pos == sn.group_layout(G, seed=3)
    assert pos != sn.group_layout(G, seed=4)
    xy = np.array(list(pos.values()))
    assert np.abs(xy).max() == pytest.approx(1.0)
    assert np.abs(np.array(list(sn.group_layout(G, seed=3, scale=5).values()))).max() == (
        pytest.approx(5.0))
    assert (copy.deepcopy(list(G.nodes(data=True))), list(G.edges())) == snap


def test_layout_keeps_organisations_in_separate_regions():
    G = _groups()
    pos = sn.group_layout(G, seed=0)
    org = nx.get_node_attributes(G, "organisation")
    centres = {o: np.mean([pos[n] for n in G if org[n] == o], axis=0) for o in set(org.values())}
    radius = {o: max(np.hypot(*(np.array(pos[n]) - centres[o])) for n in G if org[n] == o)
              for o in centres}
    names = sorted(centres)
    for i, a in enumerate(names):
        for b in names[i + 1:]:  # discs around each organisation do not overlap
            assert np.hypot(*(centres[a] - centres[b])) > radius[a] + radius[b]


def test_layout_people_without_organisation_and_large_groups():
    G = nx.path_graph(["a", "b", "c", "d"])
    nx.set_node_attributes(G, {"a": "X", "b": "X"}, "organisation")
    pos = sn.group_layout(G)
    assert set(pos) == set(G)
    big = nx.Graph()
    big.add_nodes_from(range(1200), organisation="One")
    big.add_nodes_from(range(1200, 1500), organisation="Two")
    pos = sn.group_layout(big, seed=1)
    xy = np.round(np.array(list(pos.values())), 9)
    assert len({tuple(p) for p in xy}) == 1500  # nobody on top of anybody
    assert sn.group_layout(nx.Graph()) == {}


def _closest_to_widest(G, pos):
    """Smallest over organisations of (closest pair / widest pair) of its people."""
    org = nx.get_node_attributes(G, "organisation")
    worst = np.inf
    for o in set(org.values()):
        xy = np.array([pos[n] for n in G if org[n] == o])
        d = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
        off = d[~np.eye(len(xy), dtype=bool)]
        worst = min(worst, off.min() / off.max())
    return worst


def test_layout_does_not_stack_a_tied_trio_when_a_colleague_is_isolated():
    """A triangle plus an untied colleague: the spring step flings the colleague
    out and squeezes the triangle (closest/widest pair about 0.15 without the
    separation step, markers on top of each other); people must stay apart."""
    G = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("e", "f")])
    G.add_node("d")
    nx.set_node_attributes(G, {"a": "X", "b": "X", "c": "X", "d": "X", "e": "Y", "f": "Y"},
                           "organisation")
    for seed in range(3):
        assert _closest_to_widest(G, sn.group_layout(G, seed=seed)) > 0.3


def test_sample_layout_keeps_colleagues_apart():
    c = sn.compare_waves(sn.load_sample(), "pre", "post", relation="advice", n_permutations=0)
    G = nx.compose(c.graphs["before"].to_undirected(), c.graphs["after"].to_undirected())
    assert _closest_to_widest(G, c.layout(seed=0)) > 0.3


def test_close_pairs_numpy_and_kd_tree_routes_agree(monkeypatch):
    import importlib

    import numpy as np

    layout = importlib.import_module("senatenet.layout")  # not draw's re-export
    rng = np.random.default_rng(3)
    xy = rng.random((400, 2))
    xy[7] = xy[8]  # two people on one spot
    dense = layout.close_pairs(xy, 0.05)
    monkeypatch.setattr(layout, "_DENSE_PAIRS", 10)
    tree = layout.close_pairs(xy, 0.05)
    np.testing.assert_array_equal(dense, tree)
    assert [7, 8] in dense.tolist()
    # every pair by brute force: i < j and distance at most r, nothing else
    d = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    want = [[i, j] for i in range(400) for j in range(i + 1, 400) if d[i, j] <= 0.05]
    assert dense.tolist() == want
    assert layout.close_pairs(xy[:1], 1.0).shape == (0, 2)
