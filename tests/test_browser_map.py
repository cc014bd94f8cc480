"""The saved interactive map in headless Chromium, opened from file:// offline."""

from __future__ import annotations

import json
import time

import networkx as nx
import pytest
from browser import launch
from test_interactive import PAYLOADS, fake_comparison, small_graph

import senatenet as sn

pytestmark = pytest.mark.browser

READY = "window.senatenetMap && window.senatenetMap.ready"


@pytest.fixture(scope="module")
def chromium():
    with launch() as browser:
        yield browser


def open_map(chromium, m, path):
    m.save(path)
    return chromium.open(path, ready=READY)


def assert_clean(page):
    assert page.console_errors() == []
    assert page.requests() == []
    assert page.alerts() == []


def visible_edges(page) -> set[str]:
    return set(page.run("return senatenetMap.visibleEdgeIds()"))


def click(page, css: str) -> None:
    page.driver.find_element("css selector", css).click()


def test_survey_map_loads_offline_and_switches_waves(chromium, tmp_path):
    survey = sn.load_sample()
    m = sn.interactive_map(survey, size_by="degree", physics=False)
    page = open_map(chromium, m, tmp_path / "survey.html")
    assert page.run("return senatenetMap.nodes.length") == len(survey.people)
    assert page.run("return senatenetMap.edges.length") == len(m.network.edges)
    post = visible_edges(page)
    expected_post = {
        e["id"] for e in m.network.edges if "post" in e.get("views", ["post"])
    }
    assert post == expected_post
    click(page, "input[name=sn-view][value='0']")  # the "pre" radio button
    assert page.run("return senatenetMap.state.view") == "pre"
    pre = visible_edges(page)
    expected_pre = {
        e["id"] for e in m.network.edges if "pre" in e.get("views", ["pre"])
    }
    assert pre == expected_pre
    assert pre != post
    # every person keeps their position when the view changes
    before = page.run("return senatenetMap.network.getPositions()")
    page.run("senatenetMap.setView('post')")
    assert page.run("return senatenetMap.network.getPositions()") == before
    assert "people" in page.run(
        "return document.getElementById('sn-status').textContent"
    )
    assert_clean(page)


def test_comparison_difference_view(chromium, tmp_path):
    comp = fake_comparison()
    m = sn.interactive_map(comp, size_by="degree", physics=False)
    page = open_map(chromium, m, tmp_path / "comparison.html")
    status = {e["id"]: e["status"] for e in m.network.edges}
    assert visible_edges(page) == set(status)  # difference: every tie
    colours = page.run(
        "var out = {}; senatenetMap.edges.forEach(function (e) {"
        " out[e.id] = [e.color, e.dashes]; }); return out;"
    )
    lost = next(i for i, s in status.items() if s == "lost")
    new = next(i for i, s in status.items() if s == "new")
    assert colours[lost][1] and not colours[new][1]  # lost ties are dashed
    assert colours[lost][0] != colours[new][0]
    click(page, "input[name=sn-view][value='0']")
    assert visible_edges(page) == {i for i, s in status.items() if s != "new"}
    click(page, "input[name=sn-view][value='1']")
    assert visible_edges(page) == {i for i, s in status.items() if s != "lost"}
    # outside the difference view ties are drawn in their own style again
    drawn = page.run("return senatenetMap.edges.get(arguments[0]).color", new)
    assert drawn == next(e["color"] for e in m.network.edges if e["id"] == new)
    assert_clean(page)


def test_injection_payloads_do_not_execute(chromium, tmp_path):
    G = nx.Graph()
    for i, p in enumerate(PAYLOADS):
        G.add_node(p, name=p, organisation=f"{p} {i}", role=p)
    nodes = list(G)
    G.add_edge(nodes[0], nodes[1], relation=PAYLOADS[1])
    G.add_edge(nodes[1], nodes[2], relation=PAYLOADS[3])
    G.add_edge(nodes[2], nodes[3], relation=PAYLOADS[2])
    m = sn.interactive_map(
        G, size_by="degree", title=PAYLOADS[0] + PAYLOADS[1], physics=False
    )
    page = open_map(chromium, m, tmp_path / "payloads.html")
    assert page.run("return senatenetMap.nodes.length") == len(PAYLOADS)
    assert (
        page.run("return document.querySelectorAll('img, svg, iframe, a').length") == 0
    )
    assert page.run("return document.getElementById('sn-heading').textContent") == (
        PAYLOADS[0] + PAYLOADS[1]
    )
    legend = page.run(
        "return Array.from(document.querySelectorAll('.sn-org-name'))"
        ".map(function (e) { return e.textContent; })"
    )
    assert legend == [f"{p} {i}" for i, p in enumerate(PAYLOADS)]
    # hover each person: the tooltip shows the text, never markup
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    canvas = page.driver.find_element("css selector", "#sn-map canvas")
    for p in PAYLOADS:
        xy = page.run(
            "var n = senatenetMap.network;"
            "var c = n.canvasToDOM(n.getPosition(arguments[0])); return [c.x, c.y];",
            p,
        )
        size = canvas.size
        ActionChains(page.driver).move_to_element_with_offset(
            canvas, int(xy[0] - size["width"] / 2), int(xy[1] - size["height"] / 2)
        ).perform()
        text = page.wait_for(
            "(function (p) { var t = document.getElementById('sn-tip');"
            " return t && !t.hidden &&"
            f" t.textContent.indexOf(p) === 0 ? t.textContent : null; }})({json.dumps(p)})",
            timeout=5,
        )
        assert text.startswith(p)
        # text nodes and line breaks; nothing else may appear
        tags = page.run(
            "return Array.from(document.querySelectorAll('#sn-tip *'))"
            ".map(function (e) { return e.tagName; })"
        )
        assert set(tags) <= {"BR"}
    # the pointer can move onto the tooltip and it stays (WCAG 1.4.13 hoverable)
    tip = page.driver.find_element("css selector", "#sn-tip")
    ActionChains(page.driver).move_to_element(tip).perform()
    time.sleep(1.0)
    assert page.run("return document.getElementById('sn-tip').hidden") is False
    # Escape dismisses it (WCAG 1.4.13 dismissible)
    ActionChains(page.driver).send_keys(Keys.ESCAPE).perform()
    assert page.run("return document.getElementById('sn-tip').hidden") is True
    # it comes back on the person and goes when the pointer leaves (to an
    # empty corner)
    corner = (5 - size["width"] // 2, 5 - size["height"] // 2)
    ActionChains(page.driver).move_to_element_with_offset(canvas, *corner).perform()
    ActionChains(page.driver).move_to_element_with_offset(
        canvas, int(xy[0] - size["width"] / 2), int(xy[1] - size["height"] / 2)
    ).perform()
    page.wait_for("document.getElementById('sn-tip').hidden === false", timeout=5)
    ActionChains(page.driver).move_to_element_with_offset(canvas, *corner).perform()
    page.wait_for("document.getElementById('sn-tip').hidden === true", timeout=5)
    # vis-network's own tooltip, which follows the pointer, never shows
    assert page.run("var t = document.querySelector('div.vis-tooltip');"
                    " return t ? getComputedStyle(t).display : 'none'") == "none"
    page.run("senatenetMap.search(arguments[0])", PAYLOADS[0])
    assert page.run("return senatenetMap.network.getSelectedNodes()") == [PAYLOADS[0]]
    page.run("senatenetMap.setPseudonyms(true); senatenetMap.setView('graph')")
    time.sleep(0.2)
    assert (
        page.run("return document.querySelectorAll('img, svg, iframe, a').length") == 0
    )
    assert_clean(page)


def test_filters_search_and_pseudonyms(chromium, tmp_path):
    survey = sn.load_sample()
    m = sn.interactive_map(survey, wave="post", physics=False, size_by="degree")
    page = open_map(chromium, m, tmp_path / "filters.html")
    org0 = m.meta["organisations"][0]["name"]
    members = {n["id"] for n in m.network.nodes if n["organisation"] == org0}
    click(page, ".sn-org-filter[value='0']")
    shown = set(page.run("return senatenetMap.visibleNodeIds()"))
    assert shown == {n["id"] for n in m.network.nodes} - members
    for e in page.run(
        "return senatenetMap.edges.get({filter: function (e) { return !e.hidden; }})"
    ):
        assert e["from"] not in members and e["to"] not in members
    click(page, "#sn-orgs-all")
    assert len(page.run("return senatenetMap.visibleNodeIds()")) == len(survey.people)
    # relation filter: switch off "knows"
    rel = m.meta["relations"].index("knows")
    click(page, f".sn-relation-filter[value='{rel}']")
    remaining = page.run(
        "return senatenetMap.edges.get({filter: function (e) { return !e.hidden; }})"
        ".map(function (e) { return e.relation; })"
    )
    assert remaining and "knows" not in remaining
    # search by name: type and press Enter
    person = survey.people.index[3]
    name = survey.people.loc[person, "name"]
    box = page.driver.find_element("css selector", "#sn-search")
    box.send_keys(name.lower() + "\n")
    assert page.run("return senatenetMap.network.getSelectedNodes()") == [person]
    assert name in page.run(
        "return document.getElementById('sn-search-result').textContent"
    )
    # their ties are announced: each person tied to them once, with the
    # relations shown ("knows" is filtered out)
    said = page.run("return document.getElementById('sn-selection').textContent")
    shown = page.run(
        "var p = arguments[0];"
        "return senatenetMap.edges.get({filter: function (e) { return !e.hidden &&"
        " (e.from === p || e.to === p); }})"
        ".map(function (e) { return [e.from === p ? e.to : e.from, e.relation]; })",
        person,
    )
    assert shown and "knows" not in said
    for other in {o for o, _ in shown}:
        rels = [r for o, r in shown if o == other]
        entry = survey.people.loc[other, "name"] + " ("
        assert said.count(entry) == 1
        assert ", ".join(sorted(rels, key=m.meta["relations"].index)) in said
    # pseudonyms instead of names
    click(page, "#sn-pseudonyms")
    labels = page.run("return senatenetMap.nodes.map(function (n) { return n.label; })")
    assert labels == [f"P{i + 1:02d}" for i in range(len(survey.people))]
    titles = page.run("return senatenetMap.nodes.map(function (n) { return n.title; })")
    assert not any(name in t for t in titles)
    assert page.run("return document.querySelector('#sn-names option').value") == "P01"
    assert_clean(page)


def test_csp_blocks_network_requests(chromium, tmp_path):
    page = open_map(chromium, sn.interactive_map(small_graph()), tmp_path / "csp.html")
    assert_clean(page)
    page.run(
        "var i = document.createElement('img'); i.src = 'https://example.org/x.png';"
        "document.body.appendChild(i); fetch('https://example.org/y').catch(function () {});"
    )
    time.sleep(0.3)
    errors = " ".join(page.console_errors())
    assert "example.org" in errors and "Content Security Policy" in errors


def test_repr_html_iframe_renders(chromium, tmp_path):
    m = sn.interactive_map(small_graph(), size_by="degree", title=PAYLOADS[0])
    host = tmp_path / "notebook.html"
    host.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>nb</title></head>"
        f"<body>{m._repr_html_()}</body></html>",
        encoding="utf-8",
    )
    page = chromium.open(host)
    page.driver.switch_to.frame(page.driver.find_element("css selector", "iframe"))
    try:
        page.wait_for(READY)
        assert page.run("return senatenetMap.nodes.length") == 5
        assert (
            page.run("return document.getElementById('sn-heading').textContent")
            == PAYLOADS[0]
        )
    finally:
        page.driver.switch_to.default_content()
    assert page.console_errors() == []
    assert page.requests() == []


def test_real_comparison_and_positions_kept_with_physics(chromium, tmp_path):
    survey = sn.load_sample()
    comp = sn.compare_waves(
        survey, "pre", "post", relation="advice", n_permutations=9, seed=1
    )
    m = sn.interactive_map(comp)  # 26 people: physics on (collision only)
    assert m.options["physics"] is True
    page = open_map(chromium, m, tmp_path / "real.html")
    time.sleep(1.0)  # let the (short) stabilisation run
    drawn = page.run("return senatenetMap.network.getPositions()")
    moved = max(
        ((drawn[n["id"]]["x"] - n["x"]) ** 2 + (drawn[n["id"]]["y"] - n["y"]) ** 2)
        ** 0.5
        for n in m.network.nodes
    )
    assert moved < 20  # everyone stays where the shared layout put them
    before = visible_edges(page)
    pairs = {frozenset((r.source, r.target)) for r in comp.ties.itertuples()}
    assert len(before) == len(pairs)  # one line per pair of people
    page.run("senatenetMap.setView('before')")
    assert visible_edges(page) == {
        e["id"] for e in m.network.edges if e["status"] in ("lost", "stable")
    }
    assert_clean(page)


def test_missing_browser_skips_or_fails_under_ci(monkeypatch):
    import browser

    monkeypatch.setattr(browser, "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception, match="Chromium not found"):
        browser.require_browser()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        browser.require_browser()


def test_empty_map_loads(chromium, tmp_path):
    page = open_map(chromium, sn.interactive_map(nx.Graph()), tmp_path / "empty.html")
    assert page.run("return senatenetMap.nodes.length") == 0
    assert_clean(page)


def test_non_respondents_dashed_in_their_wave(chromium, tmp_path):
    survey = sn.load_sample()
    m = sn.interactive_map(survey, size_by="degree", physics=False)
    page = open_map(chromium, m, tmp_path / "respondents.html")
    dashed = (
        "return senatenetMap.nodes.get({filter: function (n) {"
        " return n.shapeProperties && n.shapeProperties.borderDashes; }})"
        ".map(function (n) { return n.id; })"
    )
    for w in survey.waves:
        page.run("senatenetMap.setView(arguments[0])", w)
        assert set(page.run(dashed)) == set(survey.people.index) - survey.responded(w)
    assert_clean(page)


def payload_survey():
    """A survey whose every text field is an injection payload."""
    import pandas as pd

    ids = ["p1", "p2", "p3", "p4"]
    roster = pd.DataFrame(
        {
            "person_id": ids,
            "name": list(PAYLOADS),
            "organisation": [PAYLOADS[0], PAYLOADS[0], PAYLOADS[2], PAYLOADS[3]],
            "role": list(reversed(PAYLOADS)),
        }
    )
    waves = [PAYLOADS[1], PAYLOADS[3]]
    ties = pd.DataFrame(
        {
            "wave": [waves[0], waves[0], waves[1], waves[1]],
            "respondent": ["p1", "p2", "p1", "p3"],
            "alter": ["p2", "p3", "p4", "p4"],
            "relation": [PAYLOADS[2], PAYLOADS[0], PAYLOADS[2], PAYLOADS[0]],
        }
    )
    return sn.read_survey(roster, ties, waves=waves)


def test_survey_payloads_in_every_field_do_not_execute(chromium, tmp_path):
    survey = payload_survey()
    m = sn.interactive_map(survey, size_by="degree", title=PAYLOADS[1], physics=False)
    for p in PAYLOADS:
        assert p not in m.html
    page = open_map(chromium, m, tmp_path / "survey_payloads.html")
    assert page.run("return senatenetMap.nodes.length") == 4
    texts = page.run(
        "return Array.from(document.querySelectorAll('#sn-views label,"
        " #sn-relations label, .sn-org-name')).map(function (e) {"
        " return e.textContent.trim(); })"
    )
    assert set(texts) == {
        f"Wave {survey.waves[0]}",
        f"Wave {survey.waves[1]}",
        *survey.relations,
        PAYLOADS[0],
        PAYLOADS[2],
        PAYLOADS[3],
    }
    click(page, "input[name=sn-view][value='0']")
    click(page, ".sn-relation-filter[value='0']")
    page.run("senatenetMap.search(arguments[0])", PAYLOADS[3])
    click(page, "#sn-pseudonyms")
    assert (
        page.run("return document.querySelectorAll('img, svg, iframe, a').length") == 0
    )
    assert_clean(page)
