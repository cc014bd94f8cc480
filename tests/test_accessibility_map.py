"""The interactive map against WCAG 2.2 AA, in headless Chromium (issue 17).

axe-core (tests/axe.py) checks the WCAG 2.0/2.1/2.2 A and AA rules on
``map.html`` on its own, on the map inside ``report.html`` (run inside its
frame) and on ``InteractiveMap._repr_html_``. The keyboard tests send real key
presses through WebDriver and read the result back from the vis network
(``getViewPosition``, ``getScale``, ``getSelectedNodes``) and from the page's
live regions. The sample map is built once per module from the session's
``small_comparison`` (the bundled senate's advice ties, pre vs post).
"""

from __future__ import annotations

import unicodedata

import networkx as nx
import pytest
from axe import axe_violations
from browser import launch
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from test_interactive import small_graph

import senatenet as sn

pytestmark = pytest.mark.browser

READY = "window.senatenetMap && window.senatenetMap.ready"


@pytest.fixture(scope="module")
def chromium():
    with launch() as browser:
        yield browser


@pytest.fixture(scope="module")
def sample_map(small_comparison):
    return sn.interactive_map(small_comparison, physics=False)


@pytest.fixture(scope="module")
def sample_path(sample_map, tmp_path_factory):
    return sample_map.save(tmp_path_factory.mktemp("a11ymap") / "map.html")


@pytest.fixture
def page(chromium, sample_path):
    """The sample map, freshly loaded (tests change its view and names)."""
    return chromium.open(sample_path, ready=READY)


@pytest.fixture(scope="module")
def names(small_comparison) -> dict[str, str]:
    return small_comparison.survey.people["name"].to_dict()


def keys(page, *sequence) -> None:
    ActionChains(page.driver).send_keys(*sequence).perform()


def focused(page) -> str:
    return page.run(
        "var e = document.activeElement; return e.id ||"
        " (e.classList.contains('vis-network') ? 'vis-network' : '') ||"
        " e.getAttribute('aria-label') || e.className || e.tagName;"
    )


def view(page) -> tuple[float, float, float]:
    v = page.run(
        "var n = senatenetMap.network, p = n.getViewPosition();"
        "return [p.x, p.y, n.getScale()];"
    )
    return tuple(v)


def text_of(page, css: str) -> str:
    return page.run("return document.querySelector(arguments[0]).textContent", css)


# ---------------------------------------------------------------------- axe-core


def test_axe_map_html_has_no_wcag_violations(page):
    assert axe_violations(page) == []
    # and in the states a user reaches: several matches listed, a person
    # selected, the table shown in place of the picture
    page.run("senatenetMap.search('an')")
    assert page.run("return document.querySelectorAll('#sn-matches button').length") > 1
    page.run("document.getElementById('sn-table-toggle').click()")
    assert page.run("return document.querySelectorAll('#sn-table tbody tr').length") > 0
    assert axe_violations(page) == []
    assert page.console_errors() == []
    assert page.requests() == []


def test_axe_repr_html_has_no_wcag_violations(chromium, tmp_path):
    m = sn.interactive_map(small_graph(), size_by="degree", title="Notebook map")
    host = tmp_path / "notebook.html"
    host.write_text(
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<title>Notebook</title></head><body><main>"
        f"{m._repr_html_()}</main></body></html>",
        encoding="utf-8",
    )
    page = chromium.open(host)
    page.driver.switch_to.frame(page.driver.find_element("css selector", "iframe"))
    try:
        page.wait_for(READY)
    finally:
        page.driver.switch_to.default_content()
    assert axe_violations(page) == []
    assert axe_violations(page, frame="iframe") == []
    assert page.requests() == []


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("a11yreport")
    return sn.build_report(
        sn.load_sample(), out_dir=out, relation="advice", n_permutations=9,
        seed=1,
    )


def test_axe_map_inside_report_and_legend_above_the_fold(chromium, report):
    page = chromium.open(report, ready="document.readyState === 'complete'")
    # scrolled into view: Chromium does not paint off-screen frames
    page.run("document.getElementById('map-frame').scrollIntoView()")
    page.driver.switch_to.frame(page.driver.find_element("id", "map-frame"))
    try:
        page.wait_for(READY)
        # the line-style legend is in the first screen of the panel
        legend, height = page.run(
            "var r = document.getElementById('sn-edge-legend').getBoundingClientRect();"
            "return [[r.top, r.bottom], window.innerHeight];"
        )
        assert legend[0] >= 0 and legend[1] <= height, (legend, height)
    finally:
        page.driver.switch_to.default_content()
    assert axe_violations(page, frame="#map-frame") == []
    assert page.console_errors() == []
    assert page.requests() == []


# ------------------------------------------------------------- targets and layout


def test_every_control_is_at_least_24_pixels(page):
    page.run("senatenetMap.search('an')")  # the list of matches has buttons too
    sizes = page.run(
        "return Array.from(document.querySelectorAll('input, button, [role=button],"
        " [tabindex]')).filter(function (e) { return e.offsetParent !== null; })"
        ".map(function (e) { var r = e.getBoundingClientRect();"
        " return [e.id || e.getAttribute('aria-label') || e.className, r.width, r.height]; });"
    )
    assert len(sizes) > 15  # radios, search, checkboxes, buttons, map, navigation
    small = [s for s in sizes if s[1] < 24 or s[2] < 24]
    assert small == []
    labels = {s[0] for s in sizes}
    assert {"Zoom in", "Zoom out", "Pan up", "Fit the whole map to the window"} <= labels


def test_counts_stay_on_one_line_beside_long_organisation_names(chromium, tmp_path):
    G = nx.Graph()
    long_name = "Calderford and Wharfeby Partnership NHS Foundation Trust " * 3
    for i in range(10):
        G.add_node(f"a{i}", organisation=long_name.strip(), name=f"Person {i}")
    G.add_node("b", organisation="North", name="Someone")
    G.add_edges_from(("b", f"a{i}") for i in range(10))
    m = sn.interactive_map(G, size_by="degree", physics=False)
    m.save(tmp_path / "long.html")
    page = chromium.open(tmp_path / "long.html", ready=READY)
    counts = page.run(
        "return Array.from(document.querySelectorAll('#sn-organisations .sn-count'))"
        ".map(function (e) { var r = document.createRange();"
        " r.selectNodeContents(e.firstChild);"
        " return [e.firstChild.textContent, r.getClientRects().length]; });"
    )
    assert counts == [["10", 1], ["1", 1]]


def test_reflows_to_320_pixels_without_horizontal_scrolling(page):
    driver = page.driver
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 320, "height": 640, "deviceScaleFactor": 1, "mobile": False},
    )
    try:
        page.wait_for("window.innerWidth === 320")
        widths = page.run(
            "var m = document.getElementById('sn-main').getBoundingClientRect();"
            "return [document.documentElement.scrollWidth, m.width, m.height];"
        )
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    scroll, map_width, map_height = widths
    assert scroll <= 320  # WCAG 1.4.10: no scrolling in two dimensions
    assert map_width >= 300 and map_height >= 320  # the map below the controls


# ----------------------------------------------------------------------- keyboard


def test_tab_order_reaches_every_control_with_a_visible_focus(page):
    page.run("document.activeElement.blur(); window.scrollTo(0, 0);")
    order, outlines = [], set()
    for _ in range(30):
        keys(page, Keys.TAB)
        order.append(focused(page))
        outlines.add(
            page.run(
                "var s = getComputedStyle(document.activeElement);"
                "return s.outlineStyle + ' ' + s.outlineWidth;"
            )
        )
        if order[-1] == "Fit the whole map to the window":
            break
    expected = [
        "sn-search", "sn-find", "sn-pseudonyms", "sn-orgs-all", "sn-orgs-none",
        "sn-table-toggle", "sn-fit", "vis-network", "Pan up", "Pan down", "Pan left",
        "Pan right", "Zoom in", "Zoom out", "Fit the whole map to the window",
    ]
    where = [order.index(e) for e in expected]
    assert where == sorted(where), order
    assert order[0] == "INPUT"  # the view radio group comes first
    assert order.count("sn-org-filter") == 6  # one checkbox per organisation
    assert outlines == {"solid 3px"}  # every focused control shows a 3 px outline


def test_arrow_keys_and_plus_minus_move_and_zoom_the_map(page):
    page.run("document.activeElement.blur();")
    while focused(page) != "vis-network":  # Tab to the map, as a user would
        keys(page, Keys.TAB)
    # each press moves the view by one fixed step (80 screen pixels, or a zoom
    # by 1.25), however long the key is held down before it comes up
    x0, y0, s0 = view(page)
    keys(page, Keys.ARROW_RIGHT)
    x1, y1, s1 = view(page)
    assert (x1, y1, s1) == pytest.approx((x0 + 80 / s0, y0, s0))
    keys(page, Keys.ARROW_DOWN)
    assert view(page) == pytest.approx((x1, y1 + 80 / s1, s1))
    keys(page, Keys.ARROW_LEFT, Keys.ARROW_UP)
    assert view(page) == pytest.approx((x0, y0, s0))
    keys(page, "+")
    assert view(page)[2] == pytest.approx(s1 * 1.25)
    keys(page, "-", "-")
    assert view(page)[2] == pytest.approx(s1 * 1.25 * 0.8 * 0.8)
    # a key held for many frames (with no auto-repeat) is still one step
    s2 = view(page)[2]
    ActionChains(page.driver).key_down("+").pause(0.3).key_up("+").perform()
    assert view(page)[2] == pytest.approx(s2 * 1.25)
    # the navigation buttons: Tab to "Zoom in", press Enter, then Space
    while focused(page) != "Zoom in":
        keys(page, Keys.TAB)
    before = view(page)[2]
    keys(page, Keys.ENTER)
    middle = view(page)[2]
    keys(page, Keys.SPACE)
    assert before < middle < view(page)[2]
    assert page.console_errors() == []


def test_n_and_p_step_through_people_and_escape_clears(page, names):
    page.run("document.activeElement.blur();")
    while focused(page) != "vis-network":
        keys(page, Keys.TAB)
    first, second = sorted(names, key=names.get)[:2]

    def selected():
        return page.run("return senatenetMap.network.getSelectedNodes()")

    keys(page, "n")
    assert selected() == [first]
    assert text_of(page, "#sn-selection").startswith(names[first] + " (")
    keys(page, "n")
    assert selected() == [second]
    keys(page, "p")
    assert selected() == [first]
    keys(page, Keys.ESCAPE)
    assert selected() == [] and text_of(page, "#sn-selection") == ""
    assert focused(page) == "vis-network"  # the keys never moved the focus


def test_views_and_filters_by_keyboard(page, sample_map):
    page.run("document.activeElement.blur();")
    keys(page, Keys.TAB)  # the checked radio: the change view
    assert page.run("return senatenetMap.state.view") == "difference"
    keys(page, Keys.ARROW_UP)  # the radio group moves to "after"
    assert page.run("return senatenetMap.state.view") == "after"
    assert "After" in text_of(page, "#sn-status")
    while focused(page) != "sn-org-filter":
        keys(page, Keys.TAB)
    keys(page, Keys.SPACE)  # the first organisation off
    org0 = sample_map.meta["organisations"][0]["name"]
    members = {n["id"] for n in sample_map.network.nodes if n["organisation"] == org0}
    shown = set(page.run("return senatenetMap.visibleNodeIds()"))
    assert shown == {n["id"] for n in sample_map.network.nodes} - members
    assert "1 organisation is hidden" in text_of(page, "#sn-status")


def ties_of(m, person: str) -> set[str]:
    """People tied to ``person`` in the map's change view (every tie shows)."""
    out = set()
    for e in m.network.edges:
        if person in (e["from"], e["to"]):
            out.add(e["to"] if e["from"] == person else e["from"])
    return out


def test_misspelt_search_with_enter_selects_and_announces_ties(page, sample_map, names):
    assert names["S06"] == "Declan Fairweather"  # the bundled roster
    box = page.driver.find_element("css selector", "#sn-search")
    box.click()
    box.send_keys("Declan Fairwether" + Keys.ENTER)  # one letter missing
    assert page.run("return senatenetMap.network.getSelectedNodes()") == ["S06"]
    # the view moves to them (an animation of 0.4 s)
    page.wait_for(
        "(function () { var n = senatenetMap.network, p = n.getViewPosition(),"
        " q = n.getPosition('S06'); return Math.hypot(p.x - q.x, p.y - q.y) < 5 &&"
        " n.getScale() > 1.1; })()",
        timeout=10,
    )
    assert "Declan Fairweather" in text_of(page, "#sn-search-result")
    said = text_of(page, "#sn-selection")
    assert page.run("return document.getElementById('sn-selection')"
                    ".getAttribute('aria-live')") == "polite"
    partners = ties_of(sample_map, "S06")
    assert said.startswith(f"Declan Fairweather (Calderford West CCG): {len(partners)} ties")
    assert all(names[p] in said for p in partners)
    # what the tooltip tells a mouse user is said too (role, measures)
    title = next(n for n in sample_map.network.nodes if n["id"] == "S06")["title"]
    assert all(line in said for line in title.split("\n")[1:])
    statuses = {
        e["status"] for e in sample_map.network.edges if "S06" in (e["from"], e["to"])
    }
    for status, word in (("new", "New"), ("lost", "Lost"), ("stable", "Kept")):
        assert (f"{word} tie" in said) == (status in statuses)


def test_search_is_partial_case_and_accent_insensitive(page, names):
    def find(text):
        return page.run("return senatenetMap.findPeople(arguments[0])", text)

    assert find("FAIRWEATH") == ["S06"]
    assert find("d\u00e9clan") == ["S06"]  # accent typed, none in the name
    assert find("fairwether declan") == ["S06"]  # words in another order, a typo
    assert find("Fairweathr") == ["S06"]
    assert find("Zebedee Quux") == []
    # several matches of a fragment: every name containing it, in roster order
    fragment = "ell"
    expected = [
        p for p, n in names.items()
        if fragment in unicodedata.normalize("NFD", n).lower()
    ]
    assert len(expected) > 1
    assert find(fragment) == expected


def test_enter_on_a_listed_match_selects_that_person(page, names):
    page.run("senatenetMap.search('ell')")
    buttons = page.driver.find_elements("css selector", "#sn-matches button")
    assert len(buttons) > 1
    target = buttons[1].text
    person = next(p for p, n in names.items() if target.startswith(n + " ("))
    page.run("arguments[0].focus()", buttons[1])
    keys(page, Keys.ENTER)
    assert page.run("return senatenetMap.network.getSelectedNodes()") == [person]
    assert text_of(page, "#sn-selection").startswith(names[person] + " (")


def test_show_pseudonyms_after_a_search_leaves_no_real_name_on_screen(page, names):
    box = page.driver.find_element("css selector", "#sn-search")
    box.send_keys("declan" + Keys.ENTER)
    page.driver.find_element("css selector", "#sn-table-toggle").click()
    visible = page.run("return document.body.innerText")
    assert "Declan Fairweather" in visible  # names shown before the toggle
    page.driver.find_element("css selector", "#sn-pseudonyms").click()
    screen = page.run(
        "return document.body.innerText + ' ' + Array.from(document.querySelectorAll("
        "'input')).map(function (e) { return e.value; }).join(' ')"
    )
    leaked = [n for n in names.values() if n in screen]
    assert leaked == []
    assert "P06 (Calderford West CCG)" in text_of(page, "#sn-search-result")
    assert text_of(page, "#sn-selection").startswith("P06 (Calderford West CCG):")
    assert page.run("return document.getElementById('sn-search').value") == "P06"
    # and back: the names return everywhere, the pseudonyms go
    page.driver.find_element("css selector", "#sn-pseudonyms").click()
    assert text_of(page, "#sn-selection").startswith("Declan Fairweather (")
    assert "P06" not in page.run("return document.body.innerText")


# ------------------------------------------------------------ text alternatives


def test_table_lists_who_is_connected_to_whom_for_the_view_shown(page, sample_map):
    edges = sample_map.network.edges
    org = {n["id"]: n["organisation"] for n in sample_map.network.nodes}
    page.run("document.getElementById('sn-table-toggle').click()")
    assert page.run("return document.getElementById('sn-table-panel').hidden") is False
    assert page.run("return document.getElementById('sn-map').inert") is True
    header = page.run(
        "return Array.from(document.querySelectorAll('#sn-table thead th'))"
        ".map(function (e) { return [e.textContent, e.scope]; })"
    )
    assert [h[1] for h in header] == ["col"] * len(header)
    assert header[-1][0] == "Change (new, lost or kept)"

    def column(i):
        return page.run(
            "var i = arguments[0];"
            "return Array.from(document.querySelectorAll('#sn-table tbody tr'))"
            ".map(function (r) { return r.cells[i].textContent; })", i
        )

    words = {"new": "new", "lost": "lost", "stable": "kept"}
    expected = sorted(words[e["status"]] for e in edges)
    assert sorted(column(6)) == expected  # every tie once, with its change
    cross = sum(org[e["from"]] != org[e["to"]] for e in edges)
    assert column(4).count("yes") == cross
    # the strength in each wave, as the tie's tooltip gives it
    strengths = sorted(
        line.removeprefix("Strength: ")
        for e in edges
        for line in e["title"].split("\n")
        if line.startswith("Strength: ")
    )
    assert len(strengths) == len(edges) and sorted(column(5)) == strengths
    # the view changes: before shows the lost and kept ties, without a change column
    page.run("senatenetMap.setView('before')")
    assert len(column(0)) == sum(e["status"] != "new" for e in edges)
    assert len(page.run("return document.querySelectorAll('#sn-table thead th')")) == 6
    # the filter changes: an organisation off drops its ties
    page.run("senatenetMap.setView('difference'); senatenetMap.setOrganisationVisible(0, false)")
    org0 = sample_map.meta["organisations"][0]["name"]
    assert len(column(0)) == sum(
        org[e["from"]] != org0 and org[e["to"]] != org0 for e in edges
    )
    page.run("document.getElementById('sn-table-toggle').click()")
    assert page.run("return document.getElementById('sn-table-panel').hidden") is True
    assert page.run("return document.getElementById('sn-map').inert") is False


def test_summary_says_what_the_map_shows(page, sample_map):
    edges = sample_map.network.edges
    org = {n["id"]: n["organisation"] for n in sample_map.network.nodes}
    cross = sum(org[e["from"]] != org[e["to"]] for e in edges)
    count = {s: sum(e["status"] == s for e in edges) for s in ("new", "lost", "stable")}
    people = len(sample_map.network.nodes)
    assert text_of(page, "#sn-status") == (
        f"Showing Change: new, lost and stable ties: {people} of {people} people and "
        f"{len(edges)} ties ({cross} between organisations). Of these ties "
        f"{count['new']} are new, {count['lost']} lost and {count['stable']} kept."
    )
    described = page.run(
        "return document.querySelector('#sn-map .vis-network').getAttribute('aria-describedby')"
    )
    assert described.split() == ["sn-status", "sn-keys"]


def test_tie_status_is_a_line_style_as_well_as_a_colour(page):
    dashes = page.run(
        "var out = {}; senatenetMap.edges.forEach(function (e) {"
        " out[e.status] = JSON.stringify(e.dashes); }); return out;"
    )
    assert len(set(dashes.values())) == 3  # new, lost and kept: three line styles
    assert dashes["new"] == "false"
    legend = page.run(
        "return ['sn-new', 'sn-lost', 'sn-stable'].map(function (c) {"
        " return getComputedStyle(document.querySelector('.sn-line.' + c)).borderTopStyle; })"
    )
    assert legend == ["solid", "dashed", "dotted"]
