"""Accessibility of the report page and the notebook displays (issue 17, items 1 and 3).

axe-core (WCAG 2.0/2.1/2.2 A and AA rule sets, see ``tests/axe.py``) runs on
``report.html`` (the page; the map inside its frame is tested with the map)
and on every ``_repr_html_`` of senatenet except the interactive map's, each
written to a small page. The figures' alt text is checked against the
comparison's own tables, its escaping against a hostile organisation name, and
the colours the figures draw against the page (WCAG 1.4.11, 3:1).
"""

from __future__ import annotations

import ast
import dataclasses
import html
import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_report_sections import _content

import senatenet as sn
from senatenet.report import alt_text as A
from senatenet.report import sections as S
from senatenet.report.content import ReportContent
from senatenet.report.html import _environment, css_string

PACKAGE = Path(sn.__file__).parent
HOSTILE = "<img src=x onerror=alert(1)>"


# ---- shared fixtures ------------------------------------------------------------


@pytest.fixture(scope="module")
def report(sample_cohort_report) -> Path:
    """The sample report with its comparison cohort (shared, see conftest)."""
    return sample_cohort_report


@pytest.fixture(scope="module")
def content(small_comparison) -> ReportContent:
    return _content(small_comparison)


class _Figures(HTMLParser):
    """Each <figure>: its id, the <img> alt, the caption text and its links."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: list[dict] = []
        self._in_caption = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "figure":
            self.figures.append({"id": a.get("id"), "alt": None, "caption": "", "links": []})
        elif self.figures and tag == "img" and self.figures[-1]["alt"] is None:
            self.figures[-1]["alt"] = a.get("alt")
        elif tag == "figcaption":
            self._in_caption = True
        elif tag == "a" and self._in_caption:
            self.figures[-1]["links"].append(a.get("href"))

    def handle_endtag(self, tag):
        if tag == "figcaption":
            self._in_caption = False

    def handle_data(self, data):
        if self._in_caption:
            self.figures[-1]["caption"] += data


def _figures(page: str) -> list[dict]:
    p = _Figures()
    p.feed(page)
    return p.figures


# ---- item 3: alt text written from the data --------------------------------------


def _numbers(text: str) -> list[str]:
    return re.findall(r"\d[\d,]*(?:\.\d+)?", text)


def test_every_figure_has_alt_text_from_its_data_and_a_link_to_its_numbers(report):
    page = report.read_text(encoding="utf-8")
    figures = _figures(page)
    names = {f["id"].removeprefix("fig-") for f in figures}
    assert {"before_after", "org_network", "block_density", "change", "brokerage",
            "cohorts"} <= names
    for f in figures:
        alt, caption = f["alt"], f["caption"]
        assert alt and len(alt) > 80, f["id"]
        assert alt.strip() not in caption, f["id"]  # not the caption again
        assert len(_numbers(alt)) >= 3, (f["id"], alt)  # says the main numbers
        # a link to the table with its numbers on the page, and the CSV files
        assert len(f["links"]) == 1, f["id"]
        assert re.fullmatch(r"#table-[a-z-]+-[a-z_]+", f["links"][0]), f["links"]
        assert f'id="{f["links"][0][1:]}"' in page, f["links"]
        files = re.findall(r"tables/[a-z_]+\.csv", caption)
        assert files, f["id"]
        for name in files:
            assert (report.parent / name).is_file(), name


def test_before_after_alt_says_the_comparisons_counts(content, small_comparison):
    cmp = small_comparison
    alt = A.before_after(content)
    pairs = cmp.findings.get("cross_boundary_pairs")
    ties = cmp.ties
    # pairs of people in different organisations: count each unordered pair once
    key = ties[["source", "target"]].apply(lambda r: tuple(sorted(r)), axis=1)
    cross = ties.assign(pair=key)[ties["cross_boundary"]]
    had = cross.groupby("pair")["strength_before"].apply(lambda s: s.notna().any())
    has = cross.groupby("pair")["strength_after"].apply(lambda s: s.notna().any())
    new, lost = int((has & ~had).sum()), int((had & ~has).sum())
    assert (int(had.sum()), int(has.sum())) == (pairs.before, pairs.after)
    sizes = cmp.survey.people["organisation"].value_counts()
    n = int(sizes.sum())
    possible = n * (n - 1) // 2 - int((sizes * (sizes - 1) // 2).sum())
    assert f"Before: {int(pairs.before):,} of {possible:,} possible pairs" in alt
    assert f"after: {int(pairs.after):,}" in alt
    assert f"{new:,} cross-organisation ties are new and {lost:,} w" in alt


def test_other_alt_texts_say_the_comparisons_numbers(content, small_comparison):
    cmp = small_comparison
    people = cmp.people
    # change: the person who gained most ties to other organisations
    top = people.sort_values("external_ties_change", ascending=False, kind="stable").iloc[0]
    alt = A.change(content)
    assert (
        f"{top['name']} ({top['organisation']}) {top['external_ties_before']:.0f} to "
        f"{top['external_ties_after']:.0f}" in alt
    )
    gained = int((people["external_ties_change"] > 0).sum())
    assert f"{gained:,} gained such ties" in alt
    # brokerage: the top broker after
    top = people.sort_values("brokerage_after", ascending=False, kind="stable").iloc[0]
    assert f"{top['name']} ({top['organisation']}) {top['brokerage_after']:.0f}" in (
        A.brokerage(content)
    )
    # block density: mean of the diagonal before and after, from the cached tables
    alt = A.block_density(content)
    for wave, word in (("before", "before"), ("after", "after")):
        d = np.diag(cmp.block_density[wave].to_numpy(dtype=float)).mean()
        assert f"{d:.2f} {word}" in alt
    # organisation map: the pair of organisations with most ties after
    ties = cmp.ties[cmp.ties["cross_boundary"] & cmp.ties["strength_after"].notna()]
    orgs = ties[["organisation_source", "organisation_target"]].apply(
        lambda r: tuple(sorted(r)), axis=1
    )
    pair_people = ties[["source", "target"]].apply(lambda r: tuple(sorted(r)), axis=1)
    per_org_pair = (
        pd.DataFrame({"orgs": orgs, "people": pair_people})
        .drop_duplicates()
        .groupby("orgs")
        .size()
    )
    most = int(per_org_pair.max())
    assert f"{most} after" in A.org_network(content)


def test_cohort_alt_says_each_cohorts_change_with_intervals(small_comparison):
    table = pd.DataFrame(
        {"cross_boundary_formation": [0.167, 0.001],
         "cross_boundary_formation_low": [0.106, 0.0],
         "cross_boundary_formation_high": [0.227, 0.004],
         "cross_boundary_persistence": [0.8, 0.9],
         "cross_boundary_persistence_low": [0.6, 0.7],
         "cross_boundary_persistence_high": [0.95, 1.0],
         "mixing_log_odds_ratio_change": [-2.58, 0.35],
         "mixing_log_odds_ratio_change_low": [-4.0, -0.5],
         "mixing_log_odds_ratio_change_high": [-1.1, 1.2]},
        index=pd.Index(["Programme", HOSTILE], name="cohort"),
    )
    alt = A.cohorts(_content(small_comparison, cohort_table=table))
    assert "Programme: formation 17% (11% to 23%), persistence 80% (60% to 95%)" in alt
    assert "mixing log odds ratio \u22122.58 (\u22124.00 to \u22121.10)" in alt
    assert f"{HOSTILE}: formation 0% (0% to 0%)" in alt
    assert "each of 2 groups' change" in alt
    assert "random" not in alt


def test_suppressed_organisations_are_not_named_in_alt_text(small_comparison):
    c = _content(small_comparison, suppress_below=5)
    assert c.small
    for name in ("change", "brokerage"):
        alt = A.ALT[name](c)
        for org in c.small:
            assert f"({org})" not in alt, name


def test_cross_pairs_by_hand():
    # A = {a1, a2, a3}, B = {b1, b2}: 3 x 2 = 6 pairs across; 10 - 3 - 1 = 6
    assert A.cross_pairs_possible({"A": 3, "B": 2}) == 6
    assert A.cross_pairs_possible({"A": 4}) == 0


def test_every_figure_spec_uses_alt_text_from_data():
    specs = [v for v in vars(S).values() if isinstance(v, S.FigureSpec)]
    assert specs
    for spec in specs:
        assert spec.alt is A.ALT[spec.name], spec.name
        anchor, files = A.FIGURE_DATA[spec.name]
        assert files and (anchor is None or anchor.startswith("table-"))


def test_alt_text_and_title_are_escaped():
    env = _environment()
    macro = env.from_string(
        '{% from "_macros.html.j2" import figure %}{{ figure(f) }}'
    )
    f = {"name": "change", "src": "data:image/png;base64,AA==", "alt": f"a {HOSTILE} b",
         "caption": HOSTILE, "width": 10, "height": 10}
    page = macro.render(f=f)
    assert "<img src=x" not in page
    assert _figures(page)[0]["alt"] == f"a {HOSTILE} b"  # the attribute reads as written
    # the running title in the @page margin box: a CSS string that cannot break out
    raw = HOSTILE + '"; } body { display:none } </style><script>'
    css = css_string(raw)
    assert re.fullmatch(r'"[A-Za-z0-9 \\]*"', css)
    assert "<" not in css and "}" not in css
    decoded = re.sub(r"\\([0-9a-f]{6})", lambda m: chr(int(m.group(1), 16)), css[1:-1])
    assert decoded == raw


def test_hostile_organisation_name_in_alt_text_is_escaped_in_the_page(small_comparison):
    people = small_comparison.survey.people.copy()
    org = people["organisation"].iloc[0]
    people.loc[people["organisation"] == org, "organisation"] = HOSTILE
    survey = sn.Survey(people, small_comparison.survey.ties, small_comparison.survey.respondents)
    cmp = sn.compare_waves(survey, "pre", "post", relation="advice", n_permutations=0)
    c = _content(cmp)
    alts = {name: fn(c) for name, fn in A.ALT.items() if name not in ("cohorts", "trajectory")}
    assert any(HOSTILE in a for a in alts.values())  # the name is said, as written
    env = _environment()
    macro = env.from_string('{% from "_macros.html.j2" import figure %}{{ figure(f) }}')
    for name, alt in alts.items():
        page = macro.render(
            f={"name": name, "src": "data:,", "alt": alt, "caption": "c", "width": 1,
               "height": 1}
        )
        assert "<img src=x" not in page and "onerror=alert" not in page.replace(
            html.escape(HOSTILE, quote=True), ""
        )
        assert _figures(page)[0]["alt"] == alt


# ---- graphical contrast (WCAG 1.4.11: 3:1 against the white page) -----------------


def _luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    rgb = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str = "#ffffff") -> float:
    """WCAG 2 contrast ratio (L1 + 0.05) / (L2 + 0.05)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_contrast_formula_by_hand():
    assert contrast("#000000") == pytest.approx(21.0)
    assert contrast("#ffffff") == pytest.approx(1.0)
    assert contrast("#777777") == pytest.approx(4.48, abs=0.01)  # WCAG's known value


def test_figure_marks_stand_out_from_the_page():
    from matplotlib.colors import to_hex

    from senatenet.draw._common import NEUTRAL, line_colour, rim_colour
    from senatenet.draw.colors import CATEGORICAL_PALETTE

    assert contrast(NEUTRAL) >= 4.5  # ties across organisations, text
    for c in CATEGORICAL_PALETTE:
        # a marker is seen by its fill or, for a pale fill, by its darker rim
        rim = rim_colour(c)
        best = max(contrast(c), contrast(to_hex(rim)) if rim != "white" else 1.0)
        assert best >= 3.0, (c, rim, best)
        # ties within an organisation are drawn in its colour, darkened when pale
        assert contrast(line_colour(c)) >= 3.0, c


# ---- item 1: axe-core on the page and the notebook displays ----------------------


@pytest.fixture(scope="module")
def chromium():
    from browser import launch

    with launch() as b:
        yield b


@pytest.mark.browser
def test_report_page_has_no_axe_violations(chromium, report):
    from axe import axe_violations

    page = chromium.open(report)
    assert axe_violations(page) == []


def _displays(small_comparison) -> dict[str, object]:
    """One object of every class with a ``_repr_html_`` (the map is tested with
    the map), each small and cheap."""
    import networkx as nx

    cmp = small_comparison
    saom_fields = {f.name for f in dataclasses.fields(sn.SAOMResult)}
    saom_values = {
        "estimates": pd.DataFrame(
            {"effect": ["rate period 1", f"sameX({HOSTILE})"], "estimate": [3.1, 0.4],
             "std_error": [0.5, 0.2], "t_ratio": [0.02, -0.05]}
        ),
        "targets": pd.Series([70.0, 12.0]),
        "tconv_max": 0.15,
        "jaccard": pd.DataFrame({"new": [60], "lost": [10], "jaccard": [0.3]}),
        "status": "diagnostic",
        "warnings": [f"short run {HOSTILE}"],
        "options": {},
    }
    # a fitted SAOM needs the optional estimation engine: a made-up result
    saom = sn.SAOMResult(**{k: v for k, v in saom_values.items() if k in saom_fields})
    three = sn.load_sample(follow_up=True)
    return {
        "WaveComparison": cmp,
        "Findings": cmp.findings,
        "Survey": cmp.survey,
        "QAPResult": sn.qap_test(
            cmp.graphs["before"], cmp.graphs["after"], n_permutations=9, seed=1
        ),
        "Trajectory": sn.trajectory(three, spec={"relation": "advice"}, n_boot=10),
        "Evaluation": sn.evaluate(
            cmp.survey, "pre", "post", relation="advice", n_permutations=9, n_power=0
        ),
        "TieChangeModel": sn.tie_change_model(cmp.survey, "pre", "post", spec="advice"),
        "ERGMResult": sn.ergm(nx.karate_club_graph(), "edges + triangle"),
        "SAOMResult": saom,
    }


def _classes_with_repr_html() -> set[str]:
    found = set()
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(f, ast.FunctionDef) and f.name == "_repr_html_"
                for f in node.body
            ):
                found.add(node.name)
    return found


@pytest.mark.browser
def test_notebook_displays_have_no_axe_violations(chromium, small_comparison, tmp_path):
    from axe import axe_violations

    displays = _displays(small_comparison)
    covered = {type(o).__name__ for o in displays.values()}
    assert _classes_with_repr_html() - {"InteractiveMap"} <= covered
    failures = {}
    for name, obj in displays.items():
        body = obj._repr_html_()
        path = tmp_path / f"{name}.html"
        path.write_text(
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f"<title>{name}</title></head><body><main>{body}</main></body></html>",
            encoding="utf-8",
        )
        page = chromium.open(path)
        assert page.alerts() == [], name  # hostile text stays text
        violations = axe_violations(page)
        if violations:
            failures[name] = violations
    assert failures == {}
