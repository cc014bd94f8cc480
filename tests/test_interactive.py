"""interactive_map: page content, escaping, offline safety, no mutation (no browser)."""

from __future__ import annotations

import copy
import json
import re
import types

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import senatenet as sn
from senatenet.draw import interactive as im
from senatenet.errors import InputError

PAYLOADS = (
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    "\"'><svg onload=alert(1)>",
    '<a href="javascript:alert(1)">href</a>',
)


def small_graph() -> nx.Graph:
    G = nx.Graph(name="Toy")
    people = [
        ("007", "Ada", "North", "GP"),
        ("NA", "Bo", "North", "Consultant"),
        ("010", "Cy", "South", "Director"),
        ("011", "Di", "South", "Nurse lead"),
        ("012", "Ed", "East", "GP"),
    ]
    for pid, name, org, role in people:
        G.add_node(pid, name=name, organisation=org, role=role)
    G.add_edge("007", "NA", strength=3.0)
    G.add_edge("NA", "010", strength=1.0)
    G.add_edge("010", "011", strength=2.0)
    G.add_edge("011", "012", strength=2.0)
    G.add_edge("NA", "012", strength=1.0)
    return G


def page_data(html: str) -> dict:
    m = re.search(
        r'<script type="application/json" id="sn-data">(.*?)</script>', html, re.S
    )
    assert m, "data block missing"
    return json.loads(m.group(1))


def graph_state(G):
    return (
        type(G),
        copy.deepcopy(dict(G.graph)),
        [(n, copy.deepcopy(d)) for n, d in G.nodes(data=True)],
        [(u, v, copy.deepcopy(d)) for u, v, d in G.edges(data=True)],
    )


# ------------------------------------------------------------------ structure
def measure(lines: list[str], name: str) -> str:
    """The value on a tooltip's line for measure ``name`` ("Name (what it is): value")."""
    found = [
        line.rsplit(": ", 1)[1]
        for line in lines
        if line.startswith(name + ": ") or line.startswith(name + " (")
    ]
    assert len(found) == 1, (name, lines)
    return found[0]


def test_nodes_edges_ids_are_text():
    G = small_graph()
    m = sn.interactive_map(G, size_by="degree")
    assert isinstance(m, sn.InteractiveMap)
    ids = [n["id"] for n in m.network.nodes]
    assert ids == ["007", "NA", "010", "011", "012"]
    assert m.network.node_ids == ids
    assert set(m.network.node_map) == set(ids)
    pairs = {frozenset((e["from"], e["to"])) for e in m.network.edges}
    assert pairs == {frozenset(e) for e in G.edges()}
    data = page_data(m.html)
    assert [n["id"] for n in data["nodes"]] == ids  # "007" not 7, "NA" not null


def test_integer_ids_become_text_and_collisions_are_refused():
    G = nx.Graph([(1, 2)])
    nx.set_node_attributes(G, "X", "organisation")
    m = sn.interactive_map(G, size_by=None)
    assert [n["id"] for n in m.network.nodes] == ["1", "2"]
    G.add_node("1", organisation="X")
    with pytest.raises(InputError, match="same once written as text"):
        sn.interactive_map(G, size_by=None)


def test_does_not_mutate_graph():
    G = small_graph()
    G.graph["weight"] = "w"
    before = graph_state(G)
    m = sn.interactive_map(G, size_by="betweenness", title="T")
    assert m.html  # rendering reads, never writes
    assert graph_state(G) == before


def test_colours_and_positions_follow_shared_helpers():
    G = small_graph()
    m = sn.interactive_map(G, size_by=None, seed=3)
    colours = sn.organisation_colors(G)
    for node in m.network.nodes:
        assert node["color"]["background"] == colours[node["organisation"]]
    assert m.positions == sn.group_layout(G, seed=3)
    # pixels keep the layout's left/right and up/down order of organisations
    xs = {n["id"]: n["x"] for n in m.network.nodes}
    pos = m.positions
    assert (xs["007"] < xs["012"]) == (pos["007"][0] < pos["012"][0])


def test_every_person_outline_has_3_to_1_contrast_with_the_map():
    # WCAG 1.4.11: the palette's 15 colours and pale custom ones alike
    from senatenet.draw._common import contrast_ratio

    G = small_graph()
    orgs = sorted({d["organisation"] for _, d in G.nodes(data=True)})
    pale = dict(zip(orgs, ["#FFFF99", "#F0F0F0", "#E0FFE0", "#FFFFFF"], strict=False))
    for colors in (None, pale):
        m = sn.interactive_map(G, size_by=None, colors=colors)
        for node in m.network.nodes:
            assert contrast_ratio(node["color"]["border"], "#FFFFFF") >= 3, node["color"]
    palette = sn.organisation_colors([f"org {k}" for k in range(15)])
    from senatenet.draw.interactive import _darker

    # the palette's own colours keep their usual outline (35% darker)
    assert _darker("#0072B2") == "#004A74"
    assert min(contrast_ratio(_darker(c), "#FFFFFF") for c in palette.values()) >= 3


def test_tooltip_is_plain_text_with_name_role_organisation_measures():
    m = sn.interactive_map(small_graph(), size_by="betweenness")
    title = next(n for n in m.network.nodes if n["id"] == "NA")["title"]
    lines = title.split("\n")
    assert lines[0] == "Bo"
    assert "Role: Consultant" in lines
    assert "Organisation: North" in lines
    # NA has neighbours 007 (North), 010 and 012 (other organisations)
    assert measure(lines, "Degree") == "3"
    assert measure(lines, "Cross-boundary ties") == "2"
    bet = sn.node_table(small_graph())["betweenness"]["NA"]
    assert measure(lines, "Betweenness") == im._fmt(bet)
    # each measure says what it is (issue 17)
    assert (
        f"Betweenness (how often this person lies on the shortest path between "
        f"two others): {im._fmt(bet)}" in lines
    )


def test_tooltip_explains_every_measure_of_node_table():
    from senatenet.measures.centrality import NODE_COLUMNS, ROLE_COLUMNS

    explained = set(im._MEASURE_HELP)
    assert set(NODE_COLUMNS) - set(ROLE_COLUMNS) <= explained
    assert "brokerage" in explained


def test_size_by_measure_attribute_mapping_and_none():
    G = small_graph()
    deg = dict(G.degree())
    m = sn.interactive_map(G, size_by="degree")
    size = {n["id"]: n["size"] for n in m.network.nodes}
    order = sorted(deg, key=deg.get)
    assert [size[p] for p in order] == sorted(size[p] for p in order)
    assert size["NA"] > size["007"]
    m = sn.interactive_map(G, size_by={p: (5.0 if p == "012" else 1.0) for p in G})
    size = {n["id"]: n["size"] for n in m.network.nodes}
    assert size["012"] == max(size.values()) and len(set(size.values())) == 2
    m = sn.interactive_map(G, size_by=None)
    assert len({n["size"] for n in m.network.nodes}) == 1
    with pytest.raises(InputError, match="size_by"):
        sn.interactive_map(G, size_by="no_such_measure")


def test_physics_default_depends_on_size():
    m = sn.interactive_map(small_graph(), size_by=None)
    assert m.network.options.physics.enabled is True
    big = nx.empty_graph(im.PHYSICS_MAX_NODES + 1)
    nx.set_node_attributes(big, "X", "organisation")
    m = sn.interactive_map(big, size_by=None)
    assert m.network.options.physics.enabled is False
    assert page_data(m.html)["options"]["physics"]["enabled"] is False
    m = sn.interactive_map(small_graph(), size_by=None, physics=False)
    assert page_data(m.html)["options"]["physics"]["enabled"] is False


# ----------------------------------------------------------- offline and safety
def test_page_is_self_contained_and_offline():
    html = sn.interactive_map(small_graph(), size_by="degree").html
    assert html.startswith("<!DOCTYPE html>")
    assert (
        '<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;'
        in html
    )
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.I)
    assert "<link" not in html.lower()
    assert "bootstrap" not in html.lower()
    assert "@import" not in html
    # vis-network is inlined with its licence header
    assert "vis.js is dual licensed under both" in html
    assert "@version 9.1.2" in html


def test_payloads_are_escaped_everywhere():
    G = nx.Graph()
    for i, p in enumerate(PAYLOADS):
        G.add_node(p, name=p, organisation=p + str(i), role=p)
    nodes = list(G)
    G.add_edge(nodes[0], nodes[1], relation=PAYLOADS[1])
    G.add_edge(nodes[2], nodes[3], relation=PAYLOADS[3])
    m = sn.interactive_map(G, size_by="degree", title=PAYLOADS[0] + PAYLOADS[1])
    html = m.html
    for p in PAYLOADS:
        assert p not in html
    assert "<img" not in html and "<svg" not in html.replace("xmlns:svg", "")
    assert html.lower().count("</script") == 3  # data block, vis-network, app
    data = page_data(html)
    assert [n["label"] for n in data["nodes"]] == list(PAYLOADS)
    assert {n["organisation"] for n in data["nodes"]} == {
        p + str(i) for i, p in enumerate(PAYLOADS)
    }
    assert {e["relation"] for e in data["edges"]} == {PAYLOADS[1], PAYLOADS[3]}
    heading = re.search(r'<h1 id="sn-heading">(.*?)</h1>', html).group(1)
    assert heading == (
        "&lt;img src=x onerror=alert(1)&gt;&lt;/script&gt;&lt;script&gt;"
        "alert(1)&lt;/script&gt;"
    )


def test_script_json_escapes_breakouts_and_line_separators():
    value = {"a": "</script><!--", "b": "x\u2028y\u2029z", "c": "&amp;"}
    text = im.script_json(value)
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == value
    with pytest.raises(InputError):
        im.script_json({"x": float("nan")})
    assert json.loads(im.script_json({"n": np.int64(3), "f": np.float32(0.5)})) == {
        "n": 3,
        "f": 0.5,
    }


def test_app_script_never_parses_html():
    app = (im._TEMPLATES / "interactive_map.js").read_text()
    for sink in (
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
    ):
        assert sink not in app


def test_save_writes_only_the_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    m = sn.interactive_map(small_graph(), size_by="degree")
    out = m.save(tmp_path / "map.html")
    assert out == tmp_path / "map.html"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html"]
    assert out.read_text(encoding="utf-8") == m.html
    with pytest.raises(InputError, match="cannot write"):
        m.save(tmp_path / "missing" / "map.html")


def test_repr_html_is_escaped_sandboxed_iframe():
    m = sn.interactive_map(small_graph(), size_by=None, title=PAYLOADS[0])
    frame = m._repr_html_()
    assert frame.startswith("<iframe srcdoc=")
    assert 'sandbox="allow-scripts"' in frame
    assert "allow-same-origin" not in frame
    srcdoc = re.match(r'<iframe srcdoc="([^"]*)"', frame).group(1)
    assert "<" not in srcdoc and '"' not in srcdoc
    assert PAYLOADS[0] not in frame
    assert "InteractiveMap" in repr(m)


def test_customised_network_is_rendered():
    m = sn.interactive_map(small_graph(), size_by=None)
    m.network.heading = "Renamed"
    m.network.nodes[0]["color"] = "#123456"
    m.network.edges[0]["width"] = 9
    m.network.toggle_physics(False)
    m.network.add_node("new", label="Extra", organisation="North")
    data = page_data(m.html)
    assert "<title>Renamed</title>" in m.html
    assert data["nodes"][0]["color"] == "#123456"
    assert data["edges"][0]["width"] == 9
    assert data["options"]["physics"]["enabled"] is False
    assert data["nodes"][-1]["label"] == "Extra"
    m.network.set_options('{"physics": {"enabled": true}}')  # a plain dict now
    assert page_data(m.html)["options"] == {"physics": {"enabled": True}}


def test_bad_inputs_are_loud():
    G = small_graph()
    with pytest.raises(InputError, match="takes a networkx graph"):
        sn.interactive_map(pd.DataFrame())
    with pytest.raises(InputError, match="colour"):
        sn.interactive_map(
            G,
            size_by=None,
            colors={"North": "red;x:url(y)", "South": "#fff", "East": "#000"},
        )
    with pytest.raises(InputError, match="no colour"):
        sn.interactive_map(G, size_by=None, colors={"North": "#fff"})
    with pytest.raises(InputError, match="wave"):
        sn.interactive_map(G, wave="pre")
    with pytest.raises(InputError, match="view"):
        sn.interactive_map(G, size_by=None, view="after")


def test_missing_organisation_gets_grey_and_legend_entry():
    G = small_graph()
    G.add_node("013", name="Fay")
    m = sn.interactive_map(G, size_by=None)
    fay = next(n for n in m.network.nodes if n["id"] == "013")
    assert fay["organisation"] is None
    assert fay["color"]["background"] == im._NO_ORG_COLOUR
    assert "(organisation not recorded)" in m.html


# ------------------------------------------------------------------- pseudonyms
def test_pseudonym_codes_in_roster_order_and_attribute():
    G = small_graph()
    m = sn.interactive_map(G, size_by=None)
    assert [n["alt_label"] for n in m.network.nodes] == [
        "P01",
        "P02",
        "P03",
        "P04",
        "P05",
    ]
    assert all("Ada" not in n["alt_title"] for n in m.network.nodes)
    H = small_graph()
    nx.set_node_attributes(H, {"007": "Falcon"}, "pseudonym")
    m = sn.interactive_map(H, size_by=None)
    assert m.network.nodes[0]["alt_label"] == "Falcon"


def test_label_pseudonym_writes_no_names():
    G = small_graph()
    nx.set_node_attributes(G, {n: f"Qqname{n}" for n in G}, "name")
    m = sn.interactive_map(G, size_by="degree", label="pseudonym")
    html = m.html
    assert "Qqname" not in html  # no name anywhere
    assert [n["label"] for n in m.network.nodes][:2] == ["P01", "P02"]
    assert 'id="sn-pseudonyms"' not in html  # no toggle: there is nothing to toggle to
    assert "alt_label" not in m.network.nodes[0]


# -------------------------------------------------------------------- surveys
def test_survey_views_are_waves_and_ties_match_person_graphs():
    survey = sn.load_sample()
    m = sn.interactive_map(survey, size_by="degree")
    assert [k for k, _ in m.views] == list(survey.waves)
    assert m.meta["view"] == survey.waves[-1]
    assert m.meta["relations"] == list(survey.relations)
    assert len(m.network.nodes) == len(survey.people)
    assert [n["id"] for n in m.network.nodes] == list(survey.people.index)
    expected = set()
    for w in survey.waves:
        for r in survey.relations:
            for u, v in survey.person_graph(w, r).edges():
                expected.add((w, r, frozenset((u, v))))
    got = set()
    for e in m.network.edges:
        for w in e.get("views", survey.waves):
            got.add((w, e["relation"], frozenset((e["from"], e["to"]))))
    assert got == expected
    assert "ties of any relation" in m.html


def test_survey_single_wave_and_relation():
    survey = sn.load_sample()
    m = sn.interactive_map(survey, wave="pre", relation="advice", size_by="degree")
    assert m.views == [("pre", "Wave pre")]
    G = survey.person_graph("pre", "advice")
    assert len(m.network.edges) == G.to_undirected().number_of_edges()
    assert m.meta["relations"] == []
    with pytest.raises(InputError, match="not in the survey"):
        sn.interactive_map(survey, wave="nope")
    with pytest.raises(InputError, match="not in the survey"):
        sn.interactive_map(survey, relation="nope")


def test_survey_is_not_mutated():
    survey = sn.load_sample()
    people, ties = survey.people.copy(), survey.ties.copy()
    assert sn.interactive_map(survey, size_by="betweenness").html
    pd.testing.assert_frame_equal(survey.people, people)
    pd.testing.assert_frame_equal(survey.ties, ties)


# ---------------------------------------------------------------- comparisons
def fake_comparison():
    """A hand-made object following the WaveComparison contract."""
    G1 = small_graph()
    G2 = small_graph()
    G2.remove_edge("NA", "010")  # lost, cross-boundary
    G2.add_edge("007", "011", strength=2.0)  # new, cross-boundary
    rows = []
    for u, v in set(map(frozenset, G1.edges())) | set(map(frozenset, G2.edges())):
        u, v = sorted((u, v))
        in1, in2 = G1.has_edge(u, v), G2.has_edge(u, v)
        rows.append(
            {
                "source": u,
                "target": v,
                "status": "stable" if in1 and in2 else "new" if in2 else "lost",
                "cross_boundary": G1.nodes[u]["organisation"]
                != G1.nodes[v]["organisation"],
                "strength_before": G1.edges[u, v]["strength"] if in1 else np.nan,
                "strength_after": G2.edges[u, v]["strength"] if in2 else np.nan,
            }
        )
    return types.SimpleNamespace(
        before="pre",
        after="post",
        relation="advice",
        graphs={"before": G1, "after": G2},
        ties=pd.DataFrame(rows),
        options={"seed": 0},
    )


def test_comparison_views_statuses_and_visibility():
    comp = fake_comparison()
    m = sn.interactive_map(comp, size_by="degree")
    assert [k for k, _ in m.views] == ["before", "after", "difference"]
    assert m.meta["view"] == "difference"
    by_pair = {frozenset((e["from"], e["to"])): e for e in m.network.edges}
    lost = by_pair[frozenset(("NA", "010"))]
    new = by_pair[frozenset(("007", "011"))]
    stable = by_pair[frozenset(("010", "011"))]
    assert lost["status"] == "lost" and lost["views"] == ["before", "difference"]
    assert new["status"] == "new" and new["views"] == ["after", "difference"]
    assert stable["status"] == "stable" and "views" not in stable
    assert lost["cross_boundary"] and new["cross_boundary"]
    assert not stable["cross_boundary"]
    # sizes follow each view's degree: 007 gains a tie, NA loses one
    sizes = {n["id"]: n["sizes"] for n in m.network.nodes}
    assert sizes["007"]["after"] > sizes["007"]["before"]
    title = next(n for n in m.network.nodes if n["id"] == "007")["title"]
    assert measure(title.split("\n"), "Degree") == "1 \u2192 2"
    assert "1 new (1 cross-boundary)" in m.meta["subtitle"]


def test_comparison_graphs_not_mutated():
    comp = fake_comparison()
    states = {k: graph_state(g) for k, g in comp.graphs.items()}
    ties = comp.ties.copy()
    assert sn.interactive_map(comp).html
    assert {k: graph_state(g) for k, g in comp.graphs.items()} == states
    pd.testing.assert_frame_equal(comp.ties, ties)


def test_real_wave_comparison():
    survey = sn.load_sample()
    comp = sn.compare_waves(
        survey, "pre", "post", relation="advice", n_permutations=9, seed=1
    )
    m = sn.interactive_map(comp, size_by="betweenness", seed=2)
    assert len(m.network.nodes) == len(survey.people)
    assert m.positions == comp.layout(seed=2)
    # one line per pair of people (the comparison lists each direction): tied in
    # a wave when either direction is, as the report counts ties
    waves: dict = {}
    for r in comp.ties.itertuples():
        pair = waves.setdefault(frozenset((r.source, r.target)), [False, False, r.cross_boundary])
        pair[0] |= pd.notna(r.strength_before)
        pair[1] |= pd.notna(r.strength_after)
    status = {(True, True): "stable", (True, False): "lost", (False, True): "new"}
    want = {k: (status[(b, a)], bool(x)) for k, (b, a, x) in waves.items()}
    got = {
        frozenset((e["from"], e["to"])): (e["status"], e["cross_boundary"])
        for e in m.network.edges
    }
    assert len(m.network.edges) == len(want) < len(comp.ties)
    assert got == want
    new_cross = sum(1 for st, x in want.values() if st == "new" and x)
    assert f"{new_cross} cross-boundary" in m.html
    # sizes of each wave follow that wave's betweenness from the comparison
    bet = comp.people["betweenness_after"]
    after = {n["id"]: n["sizes"]["after"] for n in m.network.nodes}
    top, bottom = bet.idxmax(), bet.idxmin()
    assert after[top] > after[bottom]
    assert "Answered the survey: pre " in m.network.nodes[0]["title"]


def test_graph_relations_and_multigraph():
    G = nx.MultiDiGraph()
    for pid, org in (("a", "X"), ("b", "X"), ("c", "Y")):
        G.add_node(pid, organisation=org, name=pid.upper())
    G.add_edge("a", "b", relation="advice", strength=2)
    G.add_edge("b", "a", relation="advice", strength=4)  # same pair: one tie, max
    G.add_edge("a", "b", relation="knows", strength=1)
    G.add_edge("b", "c", relation="knows", strength=3)
    m = sn.interactive_map(G, size_by="degree")
    assert m.meta["relations"] == ["advice", "knows"]
    ties = sorted(
        (e["relation"], e["from"], e["to"], e["title"]) for e in m.network.edges
    )
    assert [t[:3] for t in ties] == [
        ("advice", "a", "b"),
        ("knows", "a", "b"),
        ("knows", "b", "c"),
    ]
    assert "Strength: 4" in ties[0][3].split("\n")
    knows = [e for e in m.network.edges if e["relation"] == "knows"]
    assert any("smooth" in e for e in knows)  # parallel relation drawn curved
    assert measure(m.network.nodes[0]["title"].split("\n"), "Degree") == "2"  # a->b, b->a
    m = sn.interactive_map(G, size_by="degree", relation="knows")
    assert measure(m.network.nodes[0]["title"].split("\n"), "Degree") == "1"  # a->b only
    assert {e["relation"] for e in m.network.edges} == {"knows"}
    assert len(m.network.edges) == 2
    assert 'class="sn-relation-filter"' not in m.html


def test_tooltip_measures_choice_and_unknown():
    G = small_graph()
    nx.set_node_attributes(G, {n: i * 1.5 for i, n in enumerate(G)}, "seniority")
    m = sn.interactive_map(
        G, size_by="seniority", tooltip_measures=["pagerank", "seniority"]
    )
    title = m.network.nodes[1]["title"].split("\n")
    assert "Seniority: 1.5" in title  # an attribute: no explanation to give
    assert measure(title, "Pagerank").startswith("0.")
    sizes = [n["size"] for n in m.network.nodes]
    assert sizes == sorted(sizes)  # seniority grows along the roster
    with pytest.raises(InputError, match="tooltip measure 'nope'"):
        sn.interactive_map(G, size_by=None, tooltip_measures=["nope"])


def test_empty_and_tieless_graphs():
    m = sn.interactive_map(nx.Graph())
    assert m.network.nodes == [] and page_data(m.html)["nodes"] == []
    G = nx.Graph()
    G.add_node("a", organisation="X")
    m = sn.interactive_map(G)
    assert m.meta["subtitle"] == "1 person in 1 organisation. 0 ties, 0 cross-boundary."
    assert measure(m.network.nodes[0]["title"].split("\n"), "Betweenness") == "0"


def test_non_respondents_are_marked_per_wave():
    survey = sn.load_sample()
    m = sn.interactive_map(survey, size_by="degree")
    for node in m.network.nodes:
        for w in survey.waves:
            assert node["responded"][w] == (node["id"] in survey.responded(w))
    assert m.meta["nonrespondents"] == sum(
        not all(n["responded"].values()) for n in m.network.nodes
    )
    assert "Dashed outline" in m.html
    comp = sn.compare_waves(
        survey, "pre", "post", relation="advice", n_permutations=9, seed=1
    )
    m = sn.interactive_map(comp, size_by="degree")
    for node in m.network.nodes:
        r = node["responded"]
        assert r["difference"] == (r["before"] and r["after"])
    assert "Dashed outline" not in sn.interactive_map(small_graph(), size_by=None).html
