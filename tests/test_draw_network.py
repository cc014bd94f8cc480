"""Person maps on the bundled sample: what is drawn, in which colours, where."""

from __future__ import annotations

import copy
import types
import warnings

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

import senatenet as sn
from senatenet.draw._common import NEUTRAL, contrast_ratio, initials, line_colour


# ---------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def survey():
    return sn.load_sample()


def _minimal_comparison(survey, relation="knows"):
    """An object with the WaveComparison attributes the figures use (contract in
    docs/architecture.md), built independently from two person graphs."""
    G1 = survey.person_graph("pre", relation, symmetrize="union")
    G2 = survey.person_graph("post", relation, symmetrize="union")
    org = dict(G1.nodes(data="organisation"))
    rows = []
    for u, v in sorted({tuple(sorted(e)) for e in G1.edges()} | {tuple(sorted(e)) for e in G2.edges()}):
        a, b = G1.has_edge(u, v), G2.has_edge(u, v)
        rows.append({"source": u, "target": v,
                     "status": "stable" if a and b else "new" if b else "lost",
                     "cross_boundary": org[u] != org[v],
                     "organisation_source": org[u], "organisation_target": org[v]})
    people = pd.DataFrame({"name": dict(G1.nodes(data="name")), "organisation": org})
    for wave, G in (("before", G1), ("after", G2)):
        table = sn.node_table(G)
        for m in ("degree", "external_ties", "ei", "betweenness"):
            people[f"{m}_{wave}"] = table[m]
    bd = {"before": sn.block_density(G1), "after": sn.block_density(G2)}
    bd["change"] = bd["after"] - bd["before"]
    orgs = pd.DataFrame(index=pd.Index(sn.group_order(G1), name="organisation"))
    for wave, G in (("before", G1), ("after", G2)):
        e = sn.ei_index(G, level="group")
        orgs[f"external_ties_{wave}"] = e["E"]
        orgs[f"ei_{wave}"] = e["ei"]
    c = types.SimpleNamespace(survey=survey, before="pre", after="post", relation=relation,
                              graphs={"before": G1, "after": G2}, ties=pd.DataFrame(rows),
                              people=people, organisations=orgs, block_density=bd)
    c.layout = lambda seed=0: sn.group_layout(nx.compose(G1, G2), seed=seed)
    return c


def make_comparison(survey):
    if hasattr(sn, "compare_waves"):
        return sn.compare_waves(survey, "pre", "post", relation="knows", symmetrize="union",
                                n_permutations=19, seed=3)
    return _minimal_comparison(survey)


@pytest.fixture(scope="module")
def comparison(survey):
    return make_comparison(survey)


def _collection(ax, gid):
    found = [c for c in ax.collections if c.get_gid() == gid]
    assert len(found) == 1, f"expected one collection {gid!r}, found {len(found)}"
    return found[0]


def _hex(rgba_rows):
    return [to_hex(c, keep_alpha=False).upper() for c in rgba_rows]


def _snapshot(G):
    return (copy.deepcopy(dict(G.nodes(data=True))), copy.deepcopy(list(G.edges(data=True))),
            dict(G.graph))


# ---------------------------------------------------------------- plot_network
def test_network_draws_every_person_in_the_shared_colours(survey):
    G = survey.person_graph("pre", "knows")
    colours = sn.organisation_colors(survey)
    ax = sn.plot_network(G)
    people = _collection(ax, "people")
    assert len(people.get_offsets()) == survey.people.shape[0] == 26
    expected = [colours[G.nodes[n]["organisation"]].upper() for n in G]
    assert _hex(people.get_facecolors()) == expected
    legend = ax.get_legend()
    assert legend.get_title().get_text() == "Organisation"
    assert [t.get_text() for t in legend.get_texts()] == sn.group_order(survey)
    assert [to_hex(h.get_markerfacecolor()).upper() for h in legend.legend_handles] == [
        c.upper() for c in colours.values()]


def test_network_positions_follow_the_seeded_group_layout(survey):
    G = survey.person_graph("post", "knows")
    pos = sn.group_layout(G, seed=4)
    xy = _collection(sn.plot_network(G, seed=4), "people").get_offsets()
    np.testing.assert_allclose(xy, [pos[n] for n in G])
    again = _collection(sn.plot_network(G, seed=4, ax=plt.figure().gca()), "people").get_offsets()
    np.testing.assert_array_equal(xy, again)
    other = _collection(sn.plot_network(G, seed=5, ax=plt.figure().gca()), "people").get_offsets()
    assert not np.allclose(xy, other)


def test_network_ties_within_take_the_organisation_colour_and_across_are_dark(survey):
    G = survey.person_graph("post", "knows", symmetrize="union")
    colours = sn.organisation_colors(survey)
    ax = sn.plot_network(G)
    ties = _collection(ax, "ties")
    segs = ties.get_segments()
    assert len(segs) == G.number_of_edges()
    pos = sn.group_layout(G, seed=0)
    where = {tuple(np.round(p, 9)): n for n, p in pos.items()}
    cross = 0
    for seg, colour in zip(segs, _hex(ties.get_colors()), strict=True):
        u, v = (where[tuple(np.round(p, 9))] for p in seg)
        ou, ov = G.nodes[u]["organisation"], G.nodes[v]["organisation"]
        want = NEUTRAL if ou != ov else line_colour(colours[ou])
        cross += ou != ov
        assert colour == want.upper()
    assert 0 < cross < len(segs)
    # stronger ties are drawn wider
    widths = ties.get_linewidths()
    assert len(set(np.round(widths, 6))) > 1


def test_network_directed_ties_are_arrows(survey):
    G = survey.person_graph("pre", "advice")
    ax = sn.plot_network(G, label=False)
    arrows = [p for p in ax.patches if p.get_gid() == "ties"]
    assert len(arrows) == G.number_of_edges()
    assert not [t for t in ax.texts if t.get_gid() == "label"]


def test_network_labels_names_initials_pseudonyms(survey):
    G = survey.person_graph("pre", "knows")
    names = [t.get_text() for t in sn.plot_network(G).texts if t.get_gid() == "label"]
    assert sorted(names) == sorted(survey.people["name"])
    ax = sn.plot_network(G, label="initials", ax=plt.figure().gca())
    got = sorted(t.get_text() for t in ax.texts if t.get_gid() == "label")
    plain = [initials(n) for n in survey.people["name"]]
    assert plain.count("OM") == 2  # Owen Marchbank, Oluwaseun Marlowe: numbered apart
    assert got == sorted(["OM1" if t == "OM" and k < plain.index("OM") + 1 else
                          "OM2" if t == "OM" else t for k, t in enumerate(plain)])
    ax = sn.plot_network(G, label="pseudonym", ax=plt.figure().gca())
    got = sorted(t.get_text() for t in ax.texts if t.get_gid() == "label")
    assert got == [f"P{i:02d}" for i in range(1, 27)]
    ax = sn.plot_network(G, label="role", ax=plt.figure().gca())
    assert sorted(t.get_text() for t in ax.texts if t.get_gid() == "label") == sorted(
        survey.people["role"])


def test_initials_skip_titles_and_keep_text():
    assert initials("Dr Amina Khan") == "AK"
    assert initials("Prof. Jean-Luc O'Neill") == "JLO"
    assert initials("NA") == "N"


def test_network_size_by_betweenness_orders_marker_areas(survey):
    G = survey.person_graph("post", "knows", symmetrize="union")
    ax = sn.plot_network(G, size_by="betweenness")
    sizes = _collection(ax, "people").get_sizes()
    btw = nx.betweenness_centrality(G, normalized=False)
    values = np.array([btw[n] for n in G])
    assert np.argmax(sizes) == np.argmax(values)
    order = np.argsort(values, kind="stable")
    assert np.all(np.diff(sizes[order]) >= -1e-9)
    # a Series (e.g. a node_table column) works the same
    ax2 = sn.plot_network(G, size_by=pd.Series(btw), ax=plt.figure().gca())
    np.testing.assert_allclose(_collection(ax2, "people").get_sizes(), sizes)


def test_network_marks_non_respondents(survey):
    G = survey.person_graph("pre", "knows")
    people = _collection(sn.plot_network(G), "people")
    edges = _hex(people.get_edgecolors())
    silent = [i for i, n in enumerate(G) if not G.nodes[n]["responded"]]
    assert len(silent) == 2
    assert {edges[i] for i in silent} == {"#111111"}
    faces = _hex(people.get_facecolors())
    yellow = "#F0E442"  # the palest colour of the sample: a darker rim of its own hue
    # a fill with under 3:1 contrast on white gets a rim of its own hue (WCAG 1.4.11)
    pale = {i for i in range(len(faces)) if contrast_ratio(faces[i]) < 3}
    assert {edges[i] for i in range(len(edges)) if i not in set(silent) | pale} == {"#FFFFFF"}
    assert all(contrast_ratio(edges[i]) >= 3 for i in pale - set(silent))
    rims = {edges[i] for i in range(len(edges)) if i not in silent and faces[i] == yellow}
    assert len(rims) == 1 and rims != {"#FFFFFF"}
    rim = rims.pop()
    r, g, b = (int(rim[k:k + 2], 16) / 255 for k in (1, 3, 5))
    assert 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.6 and r > b  # dark enough, still yellowish


def test_network_never_mutates_the_graph(survey):
    G = survey.person_graph("post", "knows")
    before = _snapshot(G)
    sn.plot_network(G, size_by="betweenness", label="initials")
    assert _snapshot(G) == before


def test_network_bad_input_is_loud(survey):
    G = survey.person_graph("pre", "knows")
    with pytest.raises(sn.InputError):
        sn.plot_network(survey.people)
    with pytest.raises(sn.InputError, match="not a node attribute"):
        sn.plot_network(G, label="shoe_size")
    with pytest.raises(sn.InputError, match="measures"):
        sn.plot_network(G, size_by="charisma")
    with pytest.raises(sn.InputError, match="no position"):
        sn.plot_network(G, pos={"S01": (0.0, 0.0)})


def test_network_stays_readable_at_a_few_hundred_people():
    rng = np.random.default_rng(7)
    G = nx.Graph()
    orgs = [f"Org {k}" for k in range(8)]
    for i in range(320):
        G.add_node(f"{i:03d}", organisation=orgs[i % 8], name=f"Person {i:03d}")
    nodes = list(G)
    for _ in range(900):
        u, v = rng.choice(nodes, 2, replace=False)
        G.add_edge(u, v)
    ax = sn.plot_network(G, size_by="degree", max_labels=25)
    labels = [t for t in ax.texts if t.get_gid() == "label"]
    assert 0 < len(labels) <= 25
    ties = _collection(ax, "ties")
    assert ties.get_alpha() < 0.5
    assert len(_collection(ax, "people").get_offsets()) == 320
    assert [t.get_text() for t in ax.get_legend().get_texts()] == orgs


# ---------------------------------------------------------------- before/after
def test_before_after_highlights_new_and_fades_lost_ties(comparison):
    fig = sn.plot_before_after(comparison)
    maps = [ax for ax in fig.axes if any(c.get_gid() == "people" for c in ax.collections)]
    assert len(maps) == 2
    before, after = maps
    status = comparison.ties["status"]
    n_new, n_lost, n_stable = (int((status == s).sum()) for s in ("new", "lost", "stable"))
    assert n_new > 0 and n_lost > 0
    assert len(_collection(before, "ties-before").get_segments()) == n_stable + n_lost
    new = _collection(after, "ties-new")
    stable = _collection(after, "ties-stable")
    lost = _collection(after, "ties-lost")
    assert len(new.get_segments()) == n_new
    assert len(stable.get_segments()) == n_stable
    assert len(lost.get_segments()) == n_lost
    # highlight style: thicker, opaque, haloed; lost ties dashed and fainter
    assert new.get_linewidths().min() > 1.8 * stable.get_linewidths().max()
    assert new.get_alpha() == 1.0 and new.get_path_effects()
    assert lost.get_linestyles()[0][1] is not None
    assert stable.get_linestyles()[0][1] is None
    assert lost.get_alpha() <= stable.get_alpha()


def test_before_after_cross_boundary_ties_are_distinguishable(comparison):
    fig = sn.plot_before_after(comparison)
    after = fig.axes[1]
    new = _collection(after, "ties-new")
    ties = comparison.ties[comparison.ties["status"] == "new"]
    colours = _hex(new.get_colors())
    n_cross = int(ties["cross_boundary"].sum())
    assert colours.count(NEUTRAL.upper()) == n_cross
    internal = ties[~ties["cross_boundary"].astype(bool)]
    org_colours = sn.organisation_colors(comparison.survey)
    assert sorted(c for c in colours if c != NEUTRAL.upper()) == sorted(
        line_colour(org_colours[o]).upper() for o in internal["organisation_source"])


def test_before_after_one_layout_for_both_panels(comparison):
    fig = sn.plot_before_after(comparison, seed=2)
    a, b = (_collection(ax, "people") for ax in fig.axes[:2])
    assert len(a.get_offsets()) == len(b.get_offsets()) == 26
    np.testing.assert_array_equal(a.get_offsets(), b.get_offsets())
    pos = comparison.layout(seed=2)
    np.testing.assert_allclose(a.get_offsets(), [pos[n] for n in comparison.graphs["before"]])
    colours = sn.organisation_colors(comparison.survey)
    org_legend = [lg for lg in fig.legends if lg.get_title().get_text() == "Organisation"]
    assert [t.get_text() for t in org_legend[0].get_texts()] == list(colours)
    assert _hex(a.get_facecolors()) == [
        colours[o].upper() for o in nx.get_node_attributes(comparison.graphs["before"],
                                                            "organisation").values()]


def test_before_after_does_not_mutate(comparison):
    ties = comparison.ties.copy()
    snaps = [_snapshot(comparison.graphs[w]) for w in ("before", "after")]
    sn.plot_before_after(comparison, size_by="betweenness", label="initials")
    pd.testing.assert_frame_equal(comparison.ties, ties)
    assert [_snapshot(comparison.graphs[w]) for w in ("before", "after")] == snaps


def test_before_after_sizes_share_one_scale(comparison):
    fig = sn.plot_before_after(comparison, size_by="degree")
    s1, s2 = (_collection(ax, "people").get_sizes() for ax in fig.axes[:2])
    d1 = comparison.people["degree_before"].reindex(list(comparison.graphs["before"])).to_numpy()
    d2 = comparison.people["degree_after"].reindex(list(comparison.graphs["after"])).to_numpy()
    # one scale: the person with the highest degree in either wave has the largest marker
    both_v, both_s = np.concatenate([d1, d2]), np.concatenate([s1, s2])
    assert both_s[np.argmax(both_v)] == both_s.max()
    assert np.all(np.diff(both_s[np.argsort(both_v, kind="stable")]) >= -1e-9)


def test_before_after_needs_a_comparison(survey):
    with pytest.raises(sn.InputError, match="WaveComparison"):
        sn.plot_before_after(survey.person_graph("pre", "knows"))


def test_tie_dyads_collapse_nominations_to_pairs():
    from senatenet.draw.network import _tie_dyads

    ties = pd.DataFrame({
        "source": ["a", "b", "a", "c", "d"], "target": ["b", "a", "c", "a", "e"],
        "status": ["stable", "new", "lost", "new", "lost"],
        "cross_boundary": [False, False, True, True, True]})
    got = {frozenset((r.source, r.target)): r.status for r in _tie_dyads(ties).itertuples()}
    # a-b tied in both waves; a-c: a named c before, c named a after -> still tied
    assert got == {frozenset("ab"): "stable", frozenset("ac"): "stable",
                   frozenset("de"): "lost"}


def test_before_after_on_a_directed_comparison_draws_pairs(survey):
    c = sn.compare_waves(survey, "pre", "post", relation="knows", n_permutations=9, seed=1)
    assert c.graphs["before"].is_directed()
    fig = sn.plot_before_after(c, label=False)
    U1 = c.graphs["before"].to_undirected()
    U2 = c.graphs["after"].to_undirected()
    e1 = {frozenset(e) for e in U1.edges()}
    e2 = {frozenset(e) for e in U2.edges()}
    assert len(_collection(fig.axes[0], "ties-before").get_segments()) == len(e1)
    assert len(_collection(fig.axes[1], "ties-new").get_segments()) == len(e2 - e1)
    assert len(_collection(fig.axes[1], "ties-lost").get_segments()) == len(e1 - e2)
    assert len(_collection(fig.axes[1], "ties-stable").get_segments()) == len(e1 & e2)
    assert f"{len(e2)} pairs tied" in fig.axes[1].get_title(loc="left")


def _label_boxes(ax):
    fig = ax.figure
    fig.draw_without_rendering()  # lays out and places text; no pixels needed
    renderer = fig.canvas.get_renderer()
    return [t.get_window_extent(renderer) for t in ax.texts if t.get_gid() == "label"]


@pytest.mark.parametrize("label", ["name", "initials"])
def test_sample_labels_do_not_overlap_and_stay_inside(survey, label):
    G = survey.person_graph("post", "knows")
    ax = sn.plot_network(G, size_by="betweenness", label=label)
    boxes = _label_boxes(ax)
    assert len(boxes) == 26
    overlaps = [(i, j) for i in range(26) for j in range(i + 1, 26) if boxes[i].overlaps(boxes[j])]
    assert overlaps == []
    frame = ax.get_window_extent()
    assert all(frame.x0 - 1 <= b.x0 and b.x1 <= frame.x1 + 1 and frame.y0 - 1 <= b.y0
               and b.y1 <= frame.y1 + 1 for b in boxes)


def test_network_size_by_any_node_table_column(survey):
    G = survey.person_graph("post", "knows")
    ax = sn.plot_network(G, size_by="constraint", label=False)
    sizes = _collection(ax, "people").get_sizes()
    constraint = sn.node_table(G)["constraint"].reindex(list(G)).to_numpy()
    ok = np.isfinite(constraint)
    assert np.argmax(np.where(ok, constraint, -np.inf)) == np.argmax(np.where(ok, sizes, -np.inf))


def test_size_key_matches_the_drawn_markers(survey):
    G = survey.person_graph("post", "knows", symmetrize="union")
    ax = sn.plot_network(G, size_by="degree", label=False)
    sizes = _collection(ax, "people").get_sizes()
    degree = dict(G.degree())
    key = [lg for lg in ax.artists if lg is not ax.get_legend()][0]
    entries = {t.get_text(): h for t, h in zip(key.get_texts(), key.legend_handles, strict=True)}
    lo, hi = min(degree.values()), max(degree.values())
    assert entries[f"degree {lo}"].get_markersize() ** 2 == pytest.approx(sizes.min())
    assert entries[f"degree {hi}"].get_markersize() ** 2 == pytest.approx(sizes.max())


def test_directed_without_arrows_draws_one_line_per_pair(survey):
    G = survey.person_graph("post", "knows")
    assert G.number_of_edges() > 150  # above the arrow threshold
    ties = _collection(sn.plot_network(G, label=False), "ties")
    assert len(ties.get_segments()) == G.to_undirected().number_of_edges()
    arrows = sn.plot_network(G, label=False, arrows=True, ax=plt.figure().gca())
    assert len([p for p in arrows.patches if p.get_gid() == "ties"]) == G.number_of_edges()


def test_pair_line_width_is_the_stronger_direction():
    G = nx.DiGraph()
    G.add_edge("a", "b", strength=1.0)
    G.add_edge("b", "a", strength=5.0)
    G.add_edge("b", "c", strength=1.0)
    nx.set_node_attributes(G, {"a": "X", "b": "X", "c": "Y"}, "organisation")
    ax = sn.plot_network(G, arrows=False, seed=1)
    ties = _collection(ax, "ties")
    pos = sn.group_layout(G, seed=1)
    width = {}
    for seg, w in zip(ties.get_segments(), ties.get_linewidths(), strict=True):
        ends = frozenset(n for n, p in pos.items() for q in seg if np.allclose(p, q))
        width[ends] = w
    assert width[frozenset("ab")] > width[frozenset("bc")]


def test_before_after_stays_readable_when_hundreds_of_ties_are_new():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the simulated cohort's own warnings
        tables = sn.generate_sample(
            seed=7, organisations=[(f"Trust {k}", "provider", 25) for k in range(6)])
        big = sn.read_survey(tables["roster"], tables["ties"], respondents=tables["respondents"])
        c = sn.compare_waves(big, "pre", "post", relation="collaborate", n_permutations=0)
    fig = sn.plot_before_after(c, max_labels=20)
    after = fig.axes[1]
    new, stable = _collection(after, "ties-new"), _collection(after, "ties-stable")
    assert len(new.get_segments()) > 400
    assert new.get_alpha() < 1.0 and not new.get_path_effects()  # no solid mass
    assert new.get_alpha() >= stable.get_alpha()  # still the strongest layer
    assert new.get_linewidths().min() > stable.get_linewidths().max()
    assert len([t for t in after.texts if t.get_gid() == "label"]) <= 20


def test_titles_name_the_wave_and_relation(survey, comparison):
    G = survey.person_graph("post", "advice")
    assert sn.plot_network(G, label=False).get_title(loc="left") == "Wave post \u00b7 relation: advice"
    ax = sn.plot_network(G, label=False, title="")
    assert ax.get_title(loc="left") == ax.get_title() == ""
    ax = sn.plot_network(G, label=False, title="Mine")
    assert ax.get_title(loc="left") == "Mine" and ax.get_title() == ""
    bare = nx.Graph([("a", "b")])
    assert sn.plot_network(bare, label=False).get_title(loc="left") == ""
    fig = sn.plot_before_after(comparison, label=False)
    firsts = [ax.get_title(loc="left").splitlines()[0] for ax in fig.axes]
    assert firsts == ["Before (pre) \u00b7 relation: knows", "After (post) \u00b7 relation: knows"]


def test_non_respondent_outline_thins_with_marker_size():
    """Small markers on big maps get a thinner dark outline (else black dots)."""
    G = nx.Graph()
    G.add_nodes_from(range(400), organisation="X", responded=True)
    G.nodes[0]["responded"] = False
    people = _collection(sn.plot_network(G, label=False, legend=False), "people")
    small = people.get_linewidths()
    area = people.get_sizes()[0]  # every marker has the base area here
    assert small[0] == pytest.approx(max(0.6, 0.09 * np.sqrt(area)))
    H = nx.Graph()
    H.add_nodes_from(range(20), organisation="X", responded=True)
    H.nodes[0]["responded"] = False
    big = _collection(sn.plot_network(H, label=False, legend=False), "people").get_linewidths()
    assert big[0] == pytest.approx(1.3) and small[0] < big[0]
    assert big[1] == small[1] == pytest.approx(0.9)


@pytest.mark.parametrize("orgs", [6, 16])
def test_tie_key_never_covers_an_organisation_name(orgs):
    """Beside the organisation legend when it fits, else under it; always inside
    what the figure saves (a legend clipped to the axes would vanish)."""
    G = nx.Graph()
    for k in range(orgs):
        G.add_nodes_from((f"{k}-{i}", {"organisation": f"NHS organisation with a long name {k}"})
                          for i in range(4))
        G.add_edge(f"{k}-0", f"{k}-1", strength=1.0)
        G.add_edge(f"{k}-1", f"{(k + 1) % orgs}-2", strength=3.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # more organisations than colours
        ax = sn.plot_network(G, size_by="degree", label=False)
    fig = ax.figure
    fig.draw_without_rendering()  # lays out and places text; no pixels needed
    (key,) = [a for a in ax.artists if a.get_gid() == "tie-key"]
    box = key.get_window_extent()
    assert len(key.get_texts()) >= 4
    assert not any(box.overlaps(t.get_window_extent()) for t in ax.get_legend().get_texts())
    saved = fig.get_tightbbox().transformed(fig.dpi_scale_trans)
    assert saved.y0 <= box.y0 + 1 and box.x1 <= saved.x1 + 1


def test_before_after_labels_the_same_people_in_both_panels():
    """On a big map only some people get a label; they are the same people in
    both panels (the largest in either wave), so a reader can find them again."""
    tables = sn.generate_sample(seed=7, organisations=[(f"Trust {k}", "provider", 25)
                                                       for k in range(4)])
    s = sn.read_survey(tables["roster"], tables["ties"], respondents=tables["respondents"])
    c = sn.compare_waves(s, "pre", "post", relation="advice", n_permutations=0)
    fig = sn.plot_before_after(c, label="id", max_labels=12)
    shown = [{t.get_text() for t in ax.texts if t.get_gid() == "label"} for ax in fig.axes[:2]]
    assert 0 < len(shown[0]) <= 12 and 0 < len(shown[1]) <= 12
    both = shown[0] & shown[1]
    assert len(both) >= 0.6 * max(len(shown[0]), len(shown[1]))
    G1, G2 = c.graphs["before"], c.graphs["after"]
    top = max(G1, key=lambda v: (max(G1.degree(v), G2.degree(v)), -list(G1).index(v)))
    assert top in both


def test_pale_organisation_has_the_same_rim_in_map_and_legend(survey):
    G = survey.person_graph("pre", "knows")
    ax = sn.plot_network(G, label=False)
    people = _collection(ax, "people")
    faces, edges = _hex(people.get_facecolors()), _hex(people.get_edgecolors())
    legend = {t.get_text(): h for t, h in zip(ax.get_legend().get_texts(),
                                              ax.get_legend().legend_handles, strict=True)}
    colours = sn.organisation_colors(survey)
    for org, colour in colours.items():
        rims = {e for f, e, n in zip(faces, edges, G, strict=True)
                if f == colour.upper() and G.nodes[n]["responded"]}
        assert rims == {to_hex(legend[org].get_markeredgecolor()).upper()}
        # white unless the fill has under 3:1 contrast on white (WCAG 1.4.11)
        assert (rims == {"#FFFFFF"}) == (contrast_ratio(colour) >= 3)


def _label_nearest_is_own(ax) -> list[bool]:
    """For each name label: is its own marker the nearest one to the text?"""
    fig = ax.figure
    fig.draw_without_rendering()  # lays out and places text; no pixels needed
    people = _collection(ax, "people")
    xy = ax.transData.transform(people.get_offsets())
    rad = np.sqrt(people.get_sizes()) / 2 * fig.dpi / 72
    out = []
    for t in ax.texts:
        if t.get_gid() != "label":
            continue
        b = t.get_window_extent()
        gap = np.hypot(np.maximum(np.maximum(b.x0 - xy[:, 0], xy[:, 0] - b.x1), 0),
                       np.maximum(np.maximum(b.y0 - xy[:, 1], xy[:, 1] - b.y1), 0)) - rad
        own = np.argmin(np.hypot(*(xy - ax.transData.transform([t.xy])[0]).T))
        out.append(bool(np.delete(gap, own).min() >= gap[own]))
    return out


def test_sample_labels_sit_nearest_their_own_person(survey):
    """A name nearer someone else's marker reads as theirs (7 of 208 labels did
    on these maps before labels kept clear of other people)."""
    verdicts = []
    for relation in ("advice", "knows"):
        c = sn.compare_waves(survey, "pre", "post", relation=relation, n_permutations=0)
        fig = sn.plot_before_after(c, size_by="degree")
        verdicts += _label_nearest_is_own(fig.axes[0]) + _label_nearest_is_own(fig.axes[1])
        plt.close("all")
        for wave in ("pre", "post"):
            verdicts += _label_nearest_is_own(sn.plot_network(survey.person_graph(wave, relation)))
            plt.close("all")
    assert len(verdicts) == 8 * 26 and all(verdicts)


def test_repeated_initials_are_numbered_the_same_in_map_and_chart(survey, comparison):
    from senatenet.draw._common import number_repeats

    assert number_repeats(["AB", "CD", "AB", "AB"]) == ["AB1", "CD", "AB2", "AB3"]
    G = comparison.graphs["after"]
    ax = sn.plot_network(G, label="initials")
    on_map = {t.get_text() for t in ax.texts if t.get_gid() == "label"}
    assert len(on_map) == G.number_of_nodes()  # everyone told apart
    chart = sn.plot_change(comparison, "degree", label="initials", ax=plt.figure().gca())
    assert {t.get_text() for t in chart.get_yticklabels()} == on_map


def test_long_and_control_character_names_are_shortened_for_display(tmp_path):
    long_name = "Dr " + "Verylongname " * 250
    G = nx.Graph([("a", "b")])
    nx.set_node_attributes(G, {"a": long_name, "b": "Tab\x0bName"}, "name")
    nx.set_node_attributes(G, {"a": "Org\x01 A", "b": "Org B"}, "organisation")
    before = _snapshot(G)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = sn.plot_network(G, label="name")
        ax.figure.savefig(tmp_path / "long.svg")
    texts = [t.get_text() for t in ax.texts]
    assert any(t.startswith("Dr Verylongname") and t.endswith("\u2026") and len(t) <= 60
               for t in texts)
    assert "Tab\ufffdName" in texts
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Org\ufffd A" in legend
    svg = (tmp_path / "long.svg").read_text(encoding="utf-8")
    assert "\x0b" not in svg and "\x01" not in svg
    assert _snapshot(G) == before


def test_dense_maps_keep_ties_as_an_image_in_vector_files(survey, tmp_path):
    # thousands of ties: the tie lines become one image in SVG, people stay vector
    from senatenet.draw._common import RASTER_TIES_ABOVE

    G = nx.gnm_random_graph(150, RASTER_TIES_ABOVE + 500, seed=1)
    nx.set_node_attributes(G, {v: f"Org {v % 5}" for v in G}, "organisation")
    ax = sn.plot_network(G, label=False)
    ties = [c for c in ax.collections if c.get_gid() == "ties"]
    assert ties and all(c.get_rasterized() for c in ties)
    svg = sn.save_figure(ax, tmp_path / "dense", formats="svg", dpi=72)[0].read_text()
    assert svg.count("<image") == 1 and 'id="ties"' not in svg
    plt.close("all")
    ax = sn.plot_network(survey.person_graph("post", "advice"), arrows=False)  # vector
    ties = [c for c in ax.collections if c.get_gid() == "ties"]
    assert ties and not any(c.get_rasterized() for c in ties)
    svg = sn.save_figure(ax, tmp_path / "sparse", formats="svg")[0].read_text()
    assert "<image" not in svg and 'id="ties"' in svg
    plt.close("all")
