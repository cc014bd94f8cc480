"""The report's section registry and wording, from a precomputed comparison.

No file is written and no figure drawn: each test reads a ReportContent built
once from the session's small comparison, so these run in milliseconds.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import senatenet as sn
from senatenet.report import sections as S
from senatenet.report.content import ReportContent
from senatenet.report.html import render_report

TEMPLATES = Path(S.__file__).parent / "templates"


def _content(cmp, *, cohort_table=None, suppress_below=None) -> ReportContent:
    c = ReportContent(
        cmp.survey,
        cmp,
        None,
        cohort_table,
        cmp.before,
        cmp.after,
        cmp.relation,
        symmetrize=None,
        missing="absent",
        suppress_below=suppress_below,
    )
    c.cohort_name = "Calderford senate"
    return c


@pytest.fixture(scope="module")
def content(small_comparison) -> ReportContent:
    return _content(small_comparison)


def test_registry_ids_templates_and_navigation(content):
    ids = [s.id for s in S.SECTIONS]
    assert len(ids) == len(set(ids))
    for s in S.SECTIONS:
        assert (TEMPLATES / s.template).is_file(), s.template
        assert s.nav
    # the comparison-group section appears only with a cohort table
    assert "cohorts" not in [s.id for s in S.active(content)]
    page = render_report(
        {
            "title": "t",
            "subtitle": "s",
            "sections": [],
            "map_html": "",
            "problems": None,
            "privacy_note": None,
            "versions": {"senatenet": "x"},
            "created": "now",
        }
    )
    assert '<nav class="toc"' in page  # the frame renders with no section at all


def test_figures_and_exports_are_declared_once(content):
    names = [f.name for f in S.figure_specs(content)]
    assert names == ["before_after", "org_network", "block_density", "change",
                     "brokerage"]
    tables = S.exports(content)
    assert set(tables) == {
        "ties", "turnover", "people", "organisations", "organisation_pairs", "ei",
        "block_density_before", "block_density_after", "block_density_change",
        "tests", "response_rates", "validation", "summary",
        "tie_change", "tie_change_estimates", "tie_change_pairs",
    }  # no sensitivity table was given, so none is exported


def test_suppression_swaps_the_figures(small_comparison):
    c = _content(small_comparison, suppress_below=5)
    assert c.small
    names = [f.name for f in S.figure_specs(c)]
    assert "org_network" not in names and names.count("block_density") == 1
    assert [f for f in S.figure_specs(c) if f.name == "block_density"][0].when(c)
    alt, caption = [f for f in S.figure_specs(c) if f.name == "block_density"][0].text(c)
    assert "hatched" in alt and "fewer than 5 people" in caption


def test_what_we_found_says_the_findings_of_the_comparison(content, small_comparison):
    ctx = S.summary_context(content)
    findings = [f.sentence for f in small_comparison.findings if f.role != "caveat"]
    assert ctx["headlines"][: len(findings)] == findings
    # the report's own response sentence follows; response caveats are not repeated
    assert any("answered before" in line for line in ctx["headlines"])
    assert not any(line.startswith("Response rate in wave") for line in ctx["caveats"])
    pairs = small_comparison.findings.get("cross_boundary_pairs")
    assert ctx["cards"][0]["value"] == f"{pairs.before:,.0f} → {pairs.after:,.0f}"
    assert ctx["verdict"]


def test_every_section_context_renders(content):
    content.manifest = {"options": {"seed": 3}, "seeds": {"compare_waves": 3},
                        "inputs": {}}
    rendered = S.render_sections(content, figures={})
    assert [r["id"] for r in rendered] == [s.id for s in S.active(content)]
    page = render_report(
        {
            "title": "t",
            "subtitle": "s",
            "sections": rendered,
            "map_html": "",
            "problems": None,
            "privacy_note": None,
            "versions": {"senatenet": "x"},
            "created": "now",
        }
    )
    for s in rendered:
        assert f'<section id="{s["id"]}">' in page and f'href="#{s["id"]}"' in page
    assert "What we found" in page and "Options and seeds" in page


def test_quality_text(content):
    q = S.quality_context(content)
    assert q["quality_text"].startswith("The survey lists 26 people in 6 organisations")
    assert q["response_rates"]["rows"]


def test_a_new_section_is_one_registry_entry(content, monkeypatch, tmp_path):
    # a section with its own words, table and export, added in one place
    import pandas as pd

    extra = S.Section(
        "extra",
        "Extra",
        context=lambda c: {"words": f"{len(c.survey.people)} people"},
        exports=lambda c: {"extra": pd.DataFrame({"a": [1]})},
    )
    monkeypatch.setattr(S, "SECTIONS", [*S.SECTIONS, extra])
    assert "extra" in S.exports(content)
    assert S.render_sections(content, {})[-1]["words"] == "26 people"


def test_numbers_are_text_in_sentences():
    # the number extractor used by the str(cmp) == report test
    assert _numbers("from −0.71 to +0.28 (p = 0.05, 1,000 permutations)") == [
        "-0.71", "+0.28", "0.05", "1000"
    ]


def _numbers(text: str) -> list[str]:
    return [
        n.replace("−", "-").replace(",", "")
        for n in re.findall(r"[−+-]?\d[\d,]*(?:\.\d+)?", text)
    ]


def test_sn_namespace_keeps_build_report():
    assert callable(sn.build_report)
