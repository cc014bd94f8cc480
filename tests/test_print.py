"""``report.html`` printed to A4 portrait from headless Chromium (issue 17, item 4).

The bundled senate's report, built as ``senatenet demo`` builds it (with the
comparison cohort, fewer permutations and random networks), is laid out with
print media emulated and printed with ``Page.printToPDF`` using the page's own
``@page`` size and margins, as the browser's "Save as PDF" does. Checked: no
element wider than the page, figures and table rows never split, table headers
repeated, the map replaced by a note, navigation hidden, a one-page summary,
running title and page numbers in the margins, at most 12 pages.
"""

from __future__ import annotations

import base64
import re

import pytest
from browser import launch

pytestmark = pytest.mark.browser

#: A4 portrait and the report's @page margins (top, right/left, bottom), mm.
A4_MM = (210.0, 297.0)
MARGINS_MM = (15.0, 13.0, 16.0)
PX_PER_MM = 96 / 25.4
PAGE_WIDTH_PX = round(A4_MM[0] * PX_PER_MM)  # 794 CSS px
CONTENT_WIDTH_PX = (A4_MM[0] - 2 * MARGINS_MM[1]) * PX_PER_MM
CONTENT_HEIGHT_PX = (A4_MM[1] - MARGINS_MM[0] - MARGINS_MM[2]) * PX_PER_MM
MAX_PAGES = 12


@pytest.fixture(scope="module")
def report(sample_cohort_report):
    """The sample report with its comparison cohort (shared, see conftest)."""
    return sample_cohort_report


@pytest.fixture(scope="module")
def chromium():
    with launch() as b:
        yield b


def _print_media(page, width: float) -> None:
    page.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    page.driver.execute_cdp_cmd("Emulation.setScrollbarsHidden", {"hidden": True})
    page.driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {
            "width": int(width),
            "height": round(A4_MM[1] * PX_PER_MM),
            "deviceScaleFactor": 1,
            "mobile": False,
        },
    )


def _reset(page) -> None:
    page.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    page.driver.execute_cdp_cmd("Emulation.setScrollbarsHidden", {"hidden": False})
    page.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.fixture
def printed(chromium, report):
    """The report open with print media emulated at the width of A4 paper."""
    page = chromium.open(report)
    _print_media(page, PAGE_WIDTH_PX)
    yield page
    _reset(page)


_TOO_WIDE = """
var limit = arguments[0], out = [];
document.querySelectorAll('body *').forEach(function (e) {
  var r = e.getBoundingClientRect();
  if (r.width > 0 && (r.right > limit + 0.5 || r.left < -0.5 ||
                      e.scrollWidth > e.clientWidth + 1 &&
                      getComputedStyle(e).overflowX !== 'visible')) {
    out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
             (e.className && e.className.baseVal === undefined ? '.' + e.className : '') +
             ' [' + Math.round(r.left) + ', ' + Math.round(r.right) + ']');
  }
});
return out.slice(0, 20);
"""


def test_nothing_is_wider_than_a4(chromium, report):
    page = chromium.open(report)
    try:
        # the paper's width, and the printable width between the @page margins
        for width in (PAGE_WIDTH_PX, CONTENT_WIDTH_PX):
            _print_media(page, width)
            limit = page.run("return document.documentElement.clientWidth")
            assert limit <= width
            assert page.run("return document.documentElement.scrollWidth") <= limit
            assert page.run(_TOO_WIDE, limit) == [], f"too wide at {width:.0f} px"
    finally:
        _reset(page)


def test_print_hides_navigation_and_replaces_the_map(printed):
    page = printed
    assert page.run("return getComputedStyle(document.querySelector('nav.toc')).display") == "none"
    frames = page.run(
        "return Array.from(document.querySelectorAll('iframe'))"
        ".map(function (f) { return getComputedStyle(f).display; })"
    )
    assert frames and set(frames) == {"none"}
    note = page.run(
        "return getComputedStyle(document.querySelector('.mapwrap'), '::after').content"
    )
    assert "map.html" in note and "on screen" in note
    # the static picture of the same network is printed
    assert page.run(
        "var f = document.getElementById('fig-before_after');"
        "return f && getComputedStyle(f).display !== 'none' && f.getBoundingClientRect().height > 0"
    )


def test_figures_and_rows_never_split_and_headers_repeat(printed):
    page = printed
    figures = page.run(
        """return Array.from(document.querySelectorAll('figure')).map(function (f) {
             var s = getComputedStyle(f);
             return [f.id, s.breakInside, f.getBoundingClientRect().height,
                     f.querySelector('img').getBoundingClientRect().height];
           });"""
    )
    assert len(figures) >= 5
    for fid, brk, height, img in figures:
        assert brk == "avoid", fid
        assert 0 < img <= height < CONTENT_HEIGHT_PX, fid  # fits on one page whole
    tables = page.run(
        """return Array.from(document.querySelectorAll('main table')).map(function (t) {
             var h = t.querySelector('thead'), r = t.querySelector('tbody tr');
             return [h ? getComputedStyle(h).display : null,
                     r ? getComputedStyle(r).breakInside : null];
           });"""
    )
    assert tables
    for head, row in tables:
        assert head == "table-header-group"
        assert row in ("avoid", None)
    # headings stay with what follows them
    assert set(
        page.run(
            "return Array.from(document.querySelectorAll('main h2, main h3'))"
            ".map(function (h) { return getComputedStyle(h).breakAfter; })"
        )
    ) == {"avoid"}


def test_wide_tables_wrap_into_readable_columns(chromium, report):
    page = chromium.open(report)
    try:
        _print_media(page, CONTENT_WIDTH_PX)  # laid out as on the paper
        for table in ("table-tests-tests", "table-tests-sensitivity",
                      "table-boundaries-organisations"):
            lines = page.run(
                """var t = document.getElementById(arguments[0]);
                   if (!t) return null;
                   var worst = 0;
                   t.querySelectorAll('td').forEach(function (c) {
                     var s = getComputedStyle(c);
                     var h = c.clientHeight - parseFloat(s.paddingTop) -
                             parseFloat(s.paddingBottom);
                     worst = Math.max(worst, h / parseFloat(s.lineHeight));
                   });
                   return worst;""",
                table,
            )
            assert lines is not None, table
            # no cell wraps into a tall narrow column (the tests table did, at 10+)
            assert lines <= 6.5, (table, lines)
    finally:
        _reset(page)


def test_summary_fits_on_the_first_page(chromium, report):
    page = chromium.open(report)
    try:
        _print_media(page, CONTENT_WIDTH_PX)  # laid out as on the paper
        after, bottom = page.run(
            "var s = document.getElementById('summary');"
            "return [getComputedStyle(s).breakAfter,"
            " s.getBoundingClientRect().bottom + window.scrollY];"
        )
        assert after == "page"
        assert bottom <= CONTENT_HEIGHT_PX
    finally:
        _reset(page)


def test_page_size_title_and_page_numbers_in_the_margins(printed, report):
    rules = printed.run(
        """var out = [];
           for (const sheet of document.styleSheets) {
             for (const r of sheet.cssRules) {
               if (r.type === CSSRule.PAGE_RULE && r.selectorText === '') {
                 var boxes = {};
                 for (const m of (r.cssRules || [])) boxes[m.name] = m.style.content;
                 out.push([r.style.size, r.style.margin, boxes]);
               }
             }
           }
           return out;"""
    )
    assert len(rules) == 1
    size, margin, boxes = rules[0]
    assert size.lower() in ("a4", "a4 portrait"), size  # portrait is the default
    assert margin == "15mm 13mm 16mm"
    assert "counter(page)" in boxes["bottom-right"]
    assert "counter(pages)" in boxes["bottom-right"]
    title = printed.run("return document.title")
    assert boxes["top-left"] == '"' + title + '"'


def _pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


def test_pdf_is_a4_and_at_most_12_pages(chromium, report):
    page = chromium.open(report)
    pdf = page.driver.execute_cdp_cmd(
        "Page.printToPDF",
        {"preferCSSPageSize": True, "printBackground": True},
    )
    data = base64.b64decode(pdf["data"])
    assert data.startswith(b"%PDF")
    n = _pdf_pages(data)
    assert 1 <= n <= MAX_PAGES, f"{n} pages"
    # every page is A4 portrait: 595 x 842 points
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert len(boxes) == n
    for w, h in boxes:
        assert float(w) == pytest.approx(595.9, abs=1.5)
        assert float(h) == pytest.approx(841.9, abs=1.5)


def test_page_counter_counts_pages():
    # the counter used above, on a hand-made minimal PDF of two pages
    fake = b"1 0 obj << /Type /Pages /Kids [2 0 R 3 0 R] >> 2 0 obj << /Type /Page >>"
    fake += b" 3 0 obj <</Type/Page/Parent 1 0 R>>"
    assert _pdf_pages(fake) == 2
