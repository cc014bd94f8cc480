"""Three waves in headless Chromium: the trajectory map and the report's follow-up section.

Uses the hand-computed fixture ``tests/fixtures/three_waves`` (see
``tests/test_trajectory.py`` for the numbers): pre -> post has 3 new, 1 lost
and 3 stable pairs among the members of both waves; the leaver b3 and the
joiner c1 never appear in that change view.
"""

from __future__ import annotations

import pytest
from browser import launch

import senatenet as sn

pytestmark = pytest.mark.browser

READY = "window.senatenetMap && window.senatenetMap.ready"
WAVES = ["pre", "post", "follow-up"]


@pytest.fixture(scope="module")
def chromium():
    with launch() as browser:
        yield browser


@pytest.fixture(scope="module")
def survey(project_root):
    folder = project_root / "tests" / "fixtures" / "three_waves"
    return sn.read_survey(folder / "roster.csv", folder / "ties.csv",
                          respondents=folder / "respondents.csv", waves=WAVES)


def test_trajectory_map_has_a_view_per_wave_and_per_pair_of_waves(chromium, survey, tmp_path):
    m = sn.interactive_map(sn.trajectory(survey), size_by="degree", physics=False)
    path = tmp_path / "waves.html"
    m.save(path)
    page = chromium.open(path, ready=READY)
    keys = page.run("return senatenetMap.meta.views.map(function (v) { return v.key; })")
    assert keys == ["pre", "post", "follow-up", "pre \u2192 post",
                    "pre \u2192 follow-up", "post \u2192 follow-up"]
    assert page.run("return senatenetMap.nodes.length") == 7  # everyone, joiner included
    ends = {e["id"]: {e["from"], e["to"]} for e in m.network.edges}
    # the same positions in every view
    before = page.run("return senatenetMap.network.getPositions()")
    page.run("senatenetMap.setView('pre \u2192 post')")
    shown = set(page.run("return senatenetMap.visibleEdgeIds()"))
    assert len(shown) == 7  # 3 new + 1 lost + 3 stable
    assert not any(ends[e] & {"b3", "c1"} for e in shown)
    statuses = page.run(
        "return senatenetMap.edges.get().filter(function (e) { return !e.hidden; })"
        ".map(function (e) { return e.statuses['pre \u2192 post']; })")
    assert sorted(statuses) == ["lost", "new", "new", "new", "stable", "stable", "stable"]
    legend = page.run("return Array.from(document.querySelectorAll('.sn-diff-legend'))"
                      ".map(function (e) { return e.classList.contains('sn-hidden'); })")
    assert legend and not any(legend)
    # the text alternative: the same seven ties, each with its change in words
    page.run("document.getElementById('sn-table-toggle').click()")
    changes = page.run(
        "return Array.from(document.querySelectorAll('#sn-table tbody tr'))"
        ".map(function (r) { return r.cells[6].textContent; })")
    assert sorted(changes) == ["kept", "kept", "kept", "lost", "new", "new", "new"]
    assert "Of these ties 3 are new, 1 lost and 3 kept." in page.run(
        "return document.getElementById('sn-status').textContent")
    page.run("document.getElementById('sn-table-toggle').click()")
    page.run("senatenetMap.setView('follow-up')")
    assert len(page.run("return senatenetMap.visibleEdgeIds()")) == 7
    after = page.run("return senatenetMap.network.getPositions()")
    assert before == after
    page.run("senatenetMap.setView('post \u2192 follow-up')")
    shown = set(page.run("return senatenetMap.visibleEdgeIds()"))
    assert len(shown) == 9  # 2 new + 2 lost + 5 stable, c1's ties included
    assert page.console_errors() == []
    assert page.requests() == []
    assert page.alerts() == []


def test_report_on_three_waves_shows_persistence_offline(chromium, survey, tmp_path):
    path = sn.build_report(survey, waves=WAVES, out_dir=tmp_path / "out",
                           symmetrize="union", n_permutations=19, n_power=20, seed=1)
    page = chromium.open(path)
    assert page.run("return !!document.getElementById('follow-up')")
    text = page.run("return document.getElementById('follow-up').innerText")
    assert ("Of the 2 cross-organisation ties formed during the programme "
            "(pre \u2192 post), 1 was still there at follow-up") in text
    img = page.run("var i = document.querySelector('#fig-trajectory img');"
                   "return i.complete && i.naturalWidth > 0")
    assert img
    rows = page.run("return Array.from(document.querySelectorAll('#persistence-table tbody tr'))"
                    ".map(function (r) { return r.innerText; })")
    assert len(rows) == 6
    assert page.run("return !!document.getElementById('map-frame')")
    quality = page.run("return document.getElementById('quality').innerText")
    assert "Cy Joiner joined in wave \u201cpost\u201d" in quality
    assert page.console_errors() == []
    assert page.requests() == []
