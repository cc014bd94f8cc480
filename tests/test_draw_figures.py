"""Organisation maps, block densities, change, brokerage, cohorts and saving."""

from __future__ import annotations

import warnings

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from test_draw_network import _hex, _snapshot, make_comparison

import senatenet as sn
from senatenet.draw.brokers import ROLE_COLORS
from senatenet.draw.org import _organisation_ties


@pytest.fixture(scope="module")
def survey():
    return sn.load_sample()


@pytest.fixture(scope="module")
def comparison(survey):
    return make_comparison(survey)


def _gid(artists, gid):
    return [a for a in artists if a.get_gid() == gid]


# ---------------------------------------------------------------- organisations
def test_organisation_ties_hand_computed():
    G = nx.DiGraph([("a", "b"), ("b", "a"), ("a", "c"), ("c", "d"), ("d", "e")])
    nx.set_node_attributes(G, {"a": "X", "b": "X", "c": "Y", "d": "Y", "e": "Z", "f": "Z"},
                           "organisation")
    G.add_node("f", organisation="Z")
    H = _organisation_ties(G)
    assert dict(H.nodes(data="people")) == {"X": 2, "Y": 2, "Z": 2}
    assert dict(H.nodes(data="internal_ties")) == {"X": 2, "Y": 1, "Z": 0}
    assert {tuple(sorted(e)): d["ties"] for *e, d in H.edges(data=True)} == {
        ("X", "Y"): 1, ("Y", "Z"): 1}


def test_org_network_agrees_with_survey_org_graph(survey):
    """Two implementations (the figure's and Survey.org_graph) count the same ties."""
    H = survey.org_graph("post", "knows")
    mine = _organisation_ties(survey.person_graph("post", "knows"))
    assert {frozenset((u, v)): d["ties"] for u, v, d in H.edges(data=True)
            if u != v and d["ties"]} == {frozenset((u, v)): d["ties"] for u, v, d in mine.edges(data=True)}
    assert dict(H.nodes(data="people")) == dict(mine.nodes(data="people"))


def test_org_network_draws_organisations_sized_by_people(survey):
    colours = sn.organisation_colors(survey)
    ax = sn.plot_org_network(survey, wave="pre", relation="knows", legend=True)
    marks = _gid(ax.collections, "organisations")[0]
    assert len(marks.get_offsets()) == 6
    assert _hex(marks.get_facecolors()) == [c.upper() for c in colours.values()]
    people = survey.people["organisation"].value_counts()
    sizes = dict(zip(colours, marks.get_sizes(), strict=True))
    biggest = people[people == people.max()].index
    assert all(sizes[o] == max(sizes.values()) for o in biggest)
    H = _organisation_ties(survey.person_graph("pre", "knows"))
    lines = _gid(ax.lines, "org-tie")
    assert len(lines) == H.number_of_edges()
    counts = sorted(int(t.get_text()) for t in _gid(ax.texts, "org-tie-label"))
    assert counts == sorted(d["ties"] for *_, d in H.edges(data=True))
    widths = [ln.get_linewidth() for ln in lines]
    assert max(widths) > min(widths)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(colours)


def test_org_network_before_after_shows_change(comparison):
    fig = sn.plot_org_network(comparison)
    a, b = fig.axes[:2]
    H1 = _organisation_ties(comparison.graphs["before"])
    H2 = _organisation_ties(comparison.graphs["after"])
    texts = sorted(t.get_text() for t in _gid(b.texts, "org-tie-label"))
    want = sorted(
        f"{d['ties']} ({d['ties'] - (H1.edges[u, v]['ties'] if H1.has_edge(u, v) else 0):+d})"
        for u, v, d in H2.edges(data=True))
    assert texts == want
    # one scale for both panels: equal tie counts give equal widths
    w = {}
    for ax, H in ((a, H1), (b, H2)):
        for line, (*_, d) in zip(_gid(ax.lines, "org-tie"), sorted(
                H.edges(data=True), key=lambda e: -e[2]["ties"]), strict=True):
            w.setdefault(d["ties"], set()).add(round(line.get_linewidth(), 9))
    assert all(len(s) == 1 for s in w.values())


def test_org_network_accepts_an_org_graph_and_rejects_junk(survey):
    ax = sn.plot_org_network(survey.org_graph("pre", "knows"))
    assert len(_gid(ax.collections, "organisations")[0].get_offsets()) == 6
    with pytest.raises(sn.InputError, match="wave"):
        sn.plot_org_network(survey)
    with pytest.raises(sn.InputError):
        sn.plot_org_network(survey, wave="mid")
    with pytest.raises(sn.InputError):
        sn.plot_org_network([1, 2, 3])


# ---------------------------------------------------------------- block density
def test_block_density_of_a_graph_matches_the_measure(survey):
    G = survey.person_graph("post", "knows")
    before = _snapshot(G)
    ax = sn.plot_block_density(G)
    table = sn.block_density(G)
    image = ax.images[0]
    np.testing.assert_allclose(np.ma.filled(image.get_array(), np.nan), table.to_numpy())
    assert image.norm.vmin == 0
    labels = sorted(t.get_text() for t in _gid(ax.texts, "cell-label"))
    assert labels == sorted(f"{v:.2f}" for v in table.to_numpy().ravel())
    keys = _gid(ax.patches, "org-key")
    colours = sn.organisation_colors(survey)
    assert [to_hex(p.get_facecolor()).upper() for p in keys[:6]] == [c.upper() for c in colours.values()]
    assert _snapshot(G) == before


def test_block_density_hand_computed():
    G = nx.Graph([("a", "b"), ("b", "c")])
    nx.set_node_attributes(G, {"a": "X", "b": "X", "c": "Y"}, "organisation")
    ax = sn.plot_block_density(G)
    got = np.ma.filled(ax.images[0].get_array(), np.nan)
    np.testing.assert_allclose(got, [[1.0, 0.5], [0.5, np.nan]])
    assert "–" in [t.get_text() for t in _gid(ax.texts, "cell-label")]


def test_block_density_comparison_panels(comparison):
    fig = sn.plot_block_density(comparison)
    heat = [ax for ax in fig.axes if ax.images]
    assert len(heat) == 3
    b, a, c = (ax.images[0] for ax in heat)
    assert b.norm.vmax == a.norm.vmax and b.norm.vmin == a.norm.vmin == 0
    assert c.norm.vmin == -c.norm.vmax
    assert c.get_cmap().name.startswith("PuOr")
    change = comparison.block_density["change"].to_numpy(dtype=float)
    np.testing.assert_allclose(np.ma.filled(c.get_array(), np.nan), change)
    assert np.nanmax(np.abs(change)) == pytest.approx(c.norm.vmax)
    one = sn.plot_block_density(comparison, which="change", ax=plt.figure().gca())
    assert len(one.images) == 1
    with pytest.raises(sn.InputError):
        sn.plot_block_density(comparison, which="during")


# ---------------------------------------------------------------- change
def test_change_dumbbells_per_person(comparison, survey):
    ax = sn.plot_change(comparison, "external_ties")
    people = comparison.people
    after = _gid(ax.collections, "after")[0]
    before = _gid(ax.collections, "before")[0]
    assert len(after.get_offsets()) == len(before.get_offsets()) == 26
    change = people["external_ties_after"] - people["external_ties_before"]
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert [change[people.index[people["name"] == r][0]] for r in rows] == sorted(
        change, reverse=True)
    colours = sn.organisation_colors(survey)
    orgs = [people.loc[people["name"] == r, "organisation"].iloc[0] for r in rows]
    assert _hex(after.get_facecolors()) == [colours[o].upper() for o in orgs]
    np.testing.assert_allclose(after.get_offsets()[:, 0],
                               [people.loc[people["name"] == r, "external_ties_after"].iloc[0]
                                for r in rows])


def test_change_undefined_values_are_reported(comparison):
    ax = sn.plot_change(comparison, "ei", label="initials")
    p = comparison.people
    missing = int((p["ei_before"].isna() | p["ei_after"].isna()).sum())
    assert len(_gid(ax.collections, "before")[0].get_offsets()) == int(p["ei_before"].notna().sum())
    if missing:
        assert f"{missing} undefined" in ax.get_title(loc="left")


def test_change_by_organisation_and_top(comparison):
    ax = sn.plot_change(comparison, "external_ties", by="organisation")
    assert len(ax.get_yticklabels()) == 6
    big = pd.DataFrame({"organisation": ["X"] * 100, "degree_before": np.arange(100.0),
                        "degree_after": np.arange(100.0) * 2})
    ax2 = sn.plot_change(big, "degree", label="id", top=12)
    assert [t.get_text() for t in ax2.get_yticklabels()] == [str(i) for i in range(99, 87, -1)]
    with pytest.raises(sn.InputError, match="measures"):
        sn.plot_change(comparison, "charisma")


# ---------------------------------------------------------------- brokerage
def test_brokerage_bars_equal_the_measure(survey):
    G = survey.person_graph("post", "advice")
    ax = sn.plot_brokerage(G, top=8)
    roles = sn.brokerage(G)
    top = roles["total"].sort_values(ascending=False, kind="stable").index[:8]
    names = dict(G.nodes(data="name"))
    assert [t.get_text() for t in ax.get_yticklabels()] == [names[v] for v in top]
    for role, colour in ROLE_COLORS.items():
        bars = _gid(ax.patches, f"role-{role}")
        assert len(bars) == 8
        np.testing.assert_allclose([b.get_width() for b in bars], roles.loc[top, role])
        assert {to_hex(b.get_facecolor()).upper() for b in bars} == {colour.upper()}
    keys = _gid(ax.collections, "org-key")[0]
    colours = sn.organisation_colors(survey)
    assert _hex(keys.get_facecolors()) == [colours[G.nodes[v]["organisation"]].upper() for v in top]


def test_brokerage_on_a_comparison_marks_the_other_wave(comparison):
    ax = sn.plot_brokerage(comparison, top=5)
    ref = _gid(ax.collections, "reference-total")[0]
    after = sn.brokerage(comparison.graphs["after"])["total"]
    before = sn.brokerage(comparison.graphs["before"])["total"]
    top = after.sort_values(ascending=False, kind="stable").index[:5]
    np.testing.assert_allclose(ref.get_offsets()[:, 0], before[top])
    assert "undirected" in ax.get_title(loc="left")


# ---------------------------------------------------------------- cohorts
@pytest.fixture
def cohort_table():
    with warnings.catch_warnings():  # sizes differ (26 vs 40): expected here
        warnings.simplefilter("ignore", UserWarning)
        return sn.compare_cohorts({"Senate": sn.load_sample(), "Comparison": sn.load_comparison_sample()},
                                  before="pre", wave="post", relation="knows")


def test_cohorts_panels_show_each_estimate_with_its_interval(cohort_table):
    fig = sn.plot_cohorts(cohort_table)
    measures = ["cross_boundary_formation", "cross_boundary_persistence",
                "mixing_log_odds_ratio_change"]
    panels = [ax for ax in fig.axes if _gid(ax.collections, "observed")]
    assert len(panels) == len(measures)
    for ax, m in zip(panels, measures, strict=True):
        obs = _gid(ax.collections, "observed")[0].get_offsets()[:, 1]
        np.testing.assert_allclose(obs, cohort_table[m].astype(float))
        segs = _gid(ax.collections, "interval")[0].get_segments()
        np.testing.assert_allclose([s[:, 1].min() for s in segs], cohort_table[f"{m}_low"])
        np.testing.assert_allclose([s[:, 1].max() for s in segs], cohort_table[f"{m}_high"])
        assert [t.get_text().split("\n")[0] for t in ax.get_xticklabels()] == list(cohort_table.index)
    with pytest.raises(sn.InputError):
        sn.plot_cohorts(cohort_table, measures="charisma")


# ---------------------------------------------------------------- saving
def test_save_figure_writes_each_format_reproducibly(tmp_path, survey):
    ax = sn.plot_network(survey.person_graph("pre", "knows"))
    paths = sn.save_figure(ax, tmp_path / "out" / "network.png", dpi=60)
    assert [p.name for p in paths] == ["network.png", "network.svg", "network.pdf"]
    assert all(p.stat().st_size > 1000 for p in paths)
    assert paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert paths[2].read_bytes()[:5] == b"%PDF-"
    svg = paths[1].read_text()
    assert "<svg" in svg and "href=\"http" not in svg
    first = [p.read_bytes() for p in paths]
    plt.close("all")  # the same data drawn again from scratch
    ax2 = sn.plot_network(survey.person_graph("pre", "knows"))
    again = sn.save_figure(ax2, tmp_path / "again" / "network", dpi=60)
    assert [p.read_bytes() for p in again] == first


def test_save_figure_dpi_scales_the_png(tmp_path):
    import matplotlib.pyplot as plt
    from matplotlib.image import imread

    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([0, 1], [0, 1])
    low = imread(sn.save_figure(fig, tmp_path / "a", formats="png", dpi=50)[0])
    high = imread(sn.save_figure(fig, tmp_path / "b", formats=("png",), dpi=100)[0])
    assert high.shape[1] == pytest.approx(2 * low.shape[1], abs=3)
    with pytest.raises(sn.InputError):
        sn.save_figure(fig, tmp_path / "c", formats=("jpg",))
    with pytest.raises(sn.InputError):
        sn.save_figure("not a figure", tmp_path / "d")


# ---------------------------------------------------------------- hostile text
def _hostile_comparison():
    orgs = ["$\\undefined$ Trust", "_Estates", "A & E <b>x</b>"]
    roster = pd.DataFrame({
        "person_id": [f"{i:03d}" for i in range(9)],
        "name": ["$x^2$", "Dr $ Smith $", "=cmd|' /C calc'!A0", "<img src=x onerror=alert(1)>",
                 "NA", "_lead", "O'Neil \\frac", "Ann", "Bo"],
        "organisation": [orgs[i % 3] for i in range(9)]})
    rows = []
    for wave, pairs in (("$pre$", [(0, 3), (3, 6), (1, 4)]),
                        ("post_$", [(0, 3), (1, 2), (2, 5), (4, 8), (6, 7)])):
        for a, b in pairs:
            rows.append({"wave": wave, "respondent": f"{a:03d}", "alter": f"{b:03d}",
                         "relation": "knows", "strength": "3"})
    survey = sn.read_survey(roster, pd.DataFrame(rows))
    return survey, sn.compare_waves(survey, "$pre$", "post_$", relation="knows",
                                    symmetrize="union", n_permutations=0)


def test_survey_text_is_drawn_literally_never_as_mathtext():
    import io

    from senatenet.draw._common import plain

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a tiny survey: warnings about it are expected
        survey, c = _hostile_comparison()
    G = c.graphs["after"]
    figures = [
        sn.plot_network(G, size_by="degree"),
        sn.plot_before_after(c),
        sn.plot_org_network(c, legend=True),
        sn.plot_block_density(c),
        sn.plot_change(c, "degree"),
        sn.plot_brokerage(c),
    ]
    for obj in figures:
        fig = getattr(obj, "figure", obj)
        fig.savefig(io.BytesIO(), format="png", dpi=40)  # a formula would raise here
    ax = figures[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        plain(o) for o in sn.group_order(survey)]
    labels = {t.get_text() for t in ax.texts if t.get_gid() == "label"}
    assert plain("$x^2$") in labels and "NA" in labels
    assert "\\$pre\\$" in figures[1].axes[0].get_title(loc="left")


def test_no_figure_changes_its_input(survey, comparison, cohort_table):
    G = survey.person_graph("post", "advice")
    people, orgs = comparison.people.copy(), comparison.organisations.copy()
    blocks = {k: v.copy() for k, v in comparison.block_density.items()}
    table = cohort_table.copy()
    graphs = {w: _snapshot(comparison.graphs[w]) for w in ("before", "after")}
    snap = _snapshot(G)
    sn.plot_org_network(G)
    sn.plot_brokerage(G)
    sn.plot_brokerage(comparison)
    sn.plot_block_density(comparison)
    sn.plot_change(comparison, "ei")
    sn.plot_change(comparison, "external_ties", by="organisation")
    sn.plot_change(comparison.people, "degree")
    sn.plot_cohorts(cohort_table)
    sn.plot_org_network(comparison)
    assert _snapshot(G) == snap
    assert {w: _snapshot(comparison.graphs[w]) for w in ("before", "after")} == graphs
    pd.testing.assert_frame_equal(comparison.people, people)
    pd.testing.assert_frame_equal(comparison.organisations, orgs)
    for k, v in blocks.items():
        pd.testing.assert_frame_equal(comparison.block_density[k], v)
    pd.testing.assert_frame_equal(cohort_table, table)


def test_edge_cases_are_drawn_or_refused_loudly():
    empty = nx.Graph()
    for fn in (sn.plot_network, sn.plot_org_network, sn.plot_block_density, sn.plot_brokerage):
        with pytest.raises(sn.InputError, match="no people"):
            fn(empty)
    # no ties, one organisation: drawn, nothing invented
    G = nx.Graph()
    G.add_nodes_from(["a", "b", "c"], organisation="Only")
    ax = sn.plot_network(G)
    assert len(ax.collections[-1].get_offsets()) == 3
    assert not [c for c in ax.collections if c.get_gid() == "ties"]
    ax = sn.plot_brokerage(G, ax=plt.figure().gca())
    assert "nobody brokers" in ax.get_title(loc="left")
    # a person without an organisation is drawn in grey and named in the legend
    G = nx.path_graph(["a", "b", "c"])
    nx.set_node_attributes(G, {"a": "X", "b": "Y"}, "organisation")
    ax = sn.plot_network(G, ax=plt.figure().gca())
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["X", "Y", "(no organisation)"]
    # more organisations than distinct colours: a warning, still one legend entry each
    G = nx.path_graph(40)
    nx.set_node_attributes(G, {i: f"O{i % 20:02d}" for i in range(40)}, "organisation")
    with pytest.warns(UserWarning, match="colours repeat"):
        ax = sn.plot_network(G, label=False, ax=plt.figure().gca())
    assert len(ax.get_legend().get_texts()) == 20


def test_pseudonyms_are_the_same_in_maps_and_charts(survey):
    people = survey.people.assign(pseudonym=[f"Q{i:03d}" for i in range(len(survey.people))])
    pseudo = survey.replace(people=people)
    c = sn.compare_waves(pseudo, "pre", "post", relation="knows", n_permutations=0)
    ax = sn.plot_change(c, "degree", label="pseudonym")
    rows = {t.get_text() for t in ax.get_yticklabels()}
    assert rows == set(people["pseudonym"])
    fig = sn.plot_before_after(c, label="pseudonym")
    assert {t.get_text() for t in fig.axes[0].texts if t.get_gid() == "label"} == rows
    ax = sn.plot_brokerage(c, label="pseudonym", top=5)
    assert {t.get_text() for t in ax.get_yticklabels()} <= rows
    names = set(survey.people["name"])
    for axes in (ax, fig.axes[0], fig.axes[1]):
        assert not names & {t.get_text() for t in axes.texts}


def test_org_network_two_survey_waves_and_clear_errors(survey):
    fig = sn.plot_org_network(survey, wave=("pre", "post"), relation="advice")
    a, b = fig.axes[:2]
    for ax, wave in ((a, "pre"), (b, "post")):
        H = _organisation_ties(survey.person_graph(wave, "advice"))
        total = sum(d["ties"] for *_, d in H.edges(data=True))
        assert ax.get_title(loc="left") == (
            f"Wave {wave} \u00b7 relation: advice\n{total} nominations between organisations")
    with pytest.raises(sn.InputError, match="relation"):
        sn.plot_org_network(survey, wave="pre")


# ---------------------------------------------------------------- import cost
def test_importing_senatenet_does_not_load_matplotlib():
    """pyplot costs about a second: the CLI and library load it only to draw."""
    import subprocess
    import sys

    code = "import sys, senatenet; print(sorted(m for m in sys.modules if m.startswith('matplotlib')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_figure_titles_name_the_relation(survey, comparison):
    note = "\u00b7 relation: knows"
    fig = sn.plot_block_density(comparison)
    assert [a.get_title(loc="left") for a in fig.axes if a.get_title(loc="left")] == [
        f"Before (pre) {note}", f"After (post) {note}", f"Change (pre \u2192 post) {note}"]
    assert sn.plot_change(comparison, "degree").get_title(loc="left").startswith(
        f"Degree (number of ties): pre \u2192 post {note}")
    assert sn.plot_brokerage(comparison).get_title(loc="left").startswith(
        f"Top brokers, after (post) {note}")
    fig = sn.plot_org_network(comparison)
    assert fig.axes[1].get_title(loc="left").startswith(f"After (post) {note}\n")
    G = survey.person_graph("pre", "advice")
    assert sn.plot_block_density(G).get_title(loc="left") == "Wave pre \u00b7 relation: advice"
    table = pd.DataFrame({"n": [26], "cross_boundary_formation": [0.2],
                          "cross_boundary_formation_low": [0.1],
                          "cross_boundary_formation_high": [0.3]}, index=["Senate"])
    table.attrs["relation"] = "advice"
    fig = sn.plot_cohorts(table)
    assert fig.get_suptitle() == "Cohorts compared on their change \u00b7 relation: advice"
    assert "95% interval (person-level jackknife)" in fig.legends[0].get_texts()[1].get_text()


def test_org_labels_stay_below_the_title():
    """Eight organisations with long names: the top organisation's three-line
    label must end inside the axes, under the title."""
    G = nx.Graph()
    names = [f"Leeds Teaching Hospitals NHS Trust number {k}" for k in range(8)]
    for k, name in enumerate(names):
        G.add_nodes_from([(f"{k}-{i}", {"organisation": name}) for i in range(60 - 5 * k)])
    G.add_edges_from((f"{k}-0", f"{(k + 1) % 8}-0") for k in range(8))
    G.graph.update(wave="post", relation="advice")
    _, ax = plt.subplots(figsize=(12, 5.5), layout="constrained")  # height-bound, as a panel
    sn.plot_org_network(G, ax=ax)
    fig = ax.figure
    fig.draw_without_rendering()  # lays out and places text; no pixels needed
    top = ax.get_window_extent().y1
    labels = [t for t in ax.texts if "people" in t.get_text()]
    assert len(labels) == 8
    assert max(t.get_window_extent().y1 for t in labels) <= top + 1
    assert ax.title.get_window_extent().y0 >= top - 1
    assert ax.get_title(loc="left").startswith("Wave post \u00b7 relation: advice")


def test_block_density_digits_follow_the_values():
    sparse = pd.DataFrame([[0.081, 0.004], [0.012, 0.07]], index=["A", "B"], columns=["A", "B"])
    ax = sn.plot_block_density(sparse)
    assert sorted(t.get_text() for t in ax.texts if t.get_text()[:1].isdigit()) == [
        "0.004", "0.012", "0.070", "0.081"]
    dense = sparse * 5
    ax = sn.plot_block_density(dense, ax=plt.figure().gca())
    assert "0.41" in [t.get_text() for t in ax.texts]


def test_every_figure_draws_on_the_axes_it_is_given(survey, comparison):
    """The seaborn contract: ``ax=`` is used and returned (``axes=`` for pairs)."""
    G = survey.person_graph("pre", "knows")
    single = {
        "network": lambda ax: sn.plot_network(G, ax=ax),
        "org": lambda ax: sn.plot_org_network(G, ax=ax),
        "org_comparison": lambda ax: sn.plot_org_network(comparison, wave="after", ax=ax),
        "blocks": lambda ax: sn.plot_block_density(comparison, which="change", ax=ax),
        "change": lambda ax: sn.plot_change(comparison, "degree", ax=ax),
        "brokerage": lambda ax: sn.plot_brokerage(G, ax=ax),
    }
    for name, draw in single.items():
        _, ax = plt.subplots()
        assert draw(ax) is ax, name
    fig, pair = plt.subplots(1, 2)
    assert sn.plot_before_after(comparison, axes=pair, label=False) is fig
    assert all(a.collections for a in pair)
    fig, pair = plt.subplots(1, 2)
    assert sn.plot_org_network(comparison, ax=pair) is fig


def test_block_density_before_and_after_share_one_colour_bar(comparison):
    fig = sn.plot_block_density(comparison)
    panels = [a for a in fig.axes if a.images and a.images[0].get_gid() == "block-density"]
    bars = [a for a in fig.axes if a not in panels]
    assert len(panels) == 3 and len(bars) == 2  # after (for both) and change
    before, after = (p.images[0].norm for p in panels[:2])
    assert (before.vmin, before.vmax) == (after.vmin, after.vmax)
    assert [b.get_ylabel() for b in bars] == ["density, before and after", "change in density"]


def test_same_seed_same_before_after_picture(tmp_path, comparison):
    first = sn.save_figure(sn.plot_before_after(comparison, seed=2), tmp_path / "a", formats=("png",), dpi=40)
    plt.close("all")
    again = sn.save_figure(sn.plot_before_after(comparison, seed=2), tmp_path / "b", formats=("png",), dpi=40)
    plt.close("all")
    other = sn.save_figure(sn.plot_before_after(comparison, seed=3), tmp_path / "c", formats=("png",), dpi=40)
    assert first[0].read_bytes() == again[0].read_bytes() != other[0].read_bytes()


def test_brokerage_legend_names_the_organisation_squares(comparison, survey):
    ax = sn.plot_brokerage(comparison, top=5)
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    square = texts.index("\nsquare before a name: organisation")
    G = comparison.graphs["after"]
    chosen = [t.get_text() for t in ax.get_yticklabels()]
    org_of = {G.nodes[v]["name"]: G.nodes[v]["organisation"] for v in G}
    colours = sn.organisation_colors(survey)
    expected = [g for g in colours if g in {org_of[name] for name in chosen}]
    assert texts[square + 1:] == expected
    handles = ax.get_legend().legend_handles[square + 1:]
    assert [to_hex(h.get_markerfacecolor()).upper() for h in handles] == [
        colours[g].upper() for g in expected]


@pytest.mark.parametrize("module, plot", [("change", "plot_change"),
                                          ("brokers", "plot_brokerage"),
                                          ("blocks", "plot_block_density"),
                                          ("network", "plot_before_after"),
                                          ("network", "plot_network"),
                                          ("org", "plot_org_network")])
def test_titles_put_at_the_top_land_where_matplotlib_would_place_them(
        comparison, monkeypatch, module, plot):
    # title_at_top skips matplotlib's search for the title's place (it measures
    # every tick label); on these charts that search ends at the top: same pixels
    import importlib

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from senatenet.report.figures import as_figure

    data = comparison.graphs["after"] if plot == "plot_network" else comparison

    def pixels():
        fig = as_figure(getattr(sn, plot)(data))
        fig.set_dpi(100)
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        out = np.asarray(canvas.buffer_rgba()).copy()
        plt.close(fig)
        return out

    fixed = pixels()
    mod = importlib.import_module(f"senatenet.draw.{module}")
    monkeypatch.setattr(mod, "title_at_top", lambda ax, title, **kw: ax.set_title(title, **kw))
    assert np.array_equal(fixed, pixels())
