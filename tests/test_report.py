"""``senatenet report`` / ``build_report``: every output file, offline, private, safe."""

from __future__ import annotations

import contextlib
import csv
import html
import io
import json
import re
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

import senatenet as sn
from senatenet.cli import main
from senatenet.report.manifest import file_sha256

PERMUTATIONS = "19"  # enough to exercise every test; p-values are coarse
POWER = "10"  # simulations for the minimum detectable effect (coarse, fast)

# ---- a second dataset with other organisations, made here -----------------

OTHER_PEOPLE = [
    # id, name, organisation, role
    ("h1", "Gwendolyn Harrowgate", "Harbour Hospital", "medical director"),
    ("h2", "Ptolemy Fensworth", "Harbour Hospital", "clinical director"),
    ("h3", "Rosamund Keld", "Harbour Hospital", "clinical lead"),
    ("h4", "Barnaby Wolstenholme", "Harbour Hospital", "clinical lead"),
    ("v1", "Ottoline Scarisbrick", "Valley CCG", "clinical chair"),
    ("v2", "Lucan Threlkeld", "Valley CCG", "clinical lead"),
    ("v3", "<img src=x onerror=alert(1)>", "Valley CCG", "clinical lead"),
    ("v4", '=HYPERLINK("http://evil.example")', "Valley CCG", "clinical lead"),
    ("007", "Marigold Ashpenny", "Moor Hospice", "medical director"),
    ("NA", "Cuthbert Pendragon", "Moor Hospice", "clinical lead"),
]
SAFE_NAMES = [n for _, n, _, _ in OTHER_PEOPLE if n.replace(" ", "").isalpha()]
OTHER_TIES = {
    "2019-03": [
        ("h1", "h2"),
        ("h2", "h3"),
        ("h3", "h4"),
        ("h4", "h1"),
        ("v1", "v2"),
        ("v2", "v3"),
        ("v3", "v4"),
        ("007", "NA"),
        ("NA", "007"),
        ("h1", "v1"),
    ],
    "2020-01": [
        ("h1", "h2"),
        ("h2", "h3"),
        ("h3", "h4"),
        ("v1", "v2"),
        ("v2", "v3"),
        ("007", "NA"),
        ("h1", "v1"),
        ("h2", "v2"),
        ("v1", "007"),
        ("NA", "h3"),
        ("h4", "v4"),
        ("v3", "NA"),
        ("h3", "Marigold Ashpenny"),
        ("v2", "Lucan Threlkeldd"),
    ],  # a misspelt, unknown name
}


@pytest.fixture(scope="module")
def other_files(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("other-data")
    pd.DataFrame(
        OTHER_PEOPLE, columns=["person_id", "name", "organisation", "role"]
    ).to_csv(d / "people.csv", index=False)
    rows = [
        {
            "wave": w,
            "respondent": a,
            "alter": b,
            "relation": "works with",
            "strength": 1,
        }
        for w, ties in OTHER_TIES.items()
        for a, b in ties
    ]
    pd.DataFrame(rows).to_csv(d / "ties.csv", index=False)
    resp = [
        {"wave": w, "person_id": p}
        for w in OTHER_TIES
        for p, *_ in OTHER_PEOPLE
        if not (w == "2020-01" and p == "v4")  # v4 did not answer after
    ]
    pd.DataFrame(resp).to_csv(d / "answered.csv", index=False)
    (d / "secret.key").write_text("an-example-key-for-tests-only-0123456789\n")
    return {
        "roster": d / "people.csv",
        "ties": d / "ties.csv",
        "respondents": d / "answered.csv",
        "key": d / "secret.key",
    }


def _run(args: list[str], capsys) -> tuple[int, str, str]:
    code = main(["report", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def _other_args(files, out: Path) -> list[str]:
    return [
        "--roster",
        files["roster"],
        "--ties",
        files["ties"],
        "--respondents",
        files["respondents"],
        "--before",
        "2019-03",
        "--after",
        "2020-01",
        "--permutations",
        PERMUTATIONS,
        "--power-simulations",
        POWER,
        "--out",
        out,
    ]


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample-report")
    senate, comparison = sn.sample_paths("senate"), sn.sample_paths("comparison")
    code = main(
        [
            "report",
            "--roster",
            str(senate["roster"]),
            "--ties",
            str(senate["ties"]),
            "--respondents",
            str(senate["respondents"]),
            "--before",
            "pre",
            "--after",
            "post",
            "--relation",
            "advice",
            "--compare-with",
            str(comparison["roster"]),
            str(comparison["ties"]),
            str(comparison["respondents"]),
            "--compare-name",
            "Brackenmoor",
            "--cohort-name",
            "Calderford senate",
            "--permutations",
            PERMUTATIONS,
            "--seed",
            "7",
            "--svg",
            "--quiet",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    return out


@pytest.fixture(scope="module")
def private_report(other_files, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("private-report")
    args = [
        "report",
        *map(str, _other_args(other_files, out)),
        "--pseudonymise",
        "--key-file",
        str(other_files["key"]),
        "--suppress-below",
        "3",
        "--quiet",
    ]
    assert main(args) == 0
    return out


@pytest.fixture(scope="module")
def named_run(other_files, tmp_path_factory) -> tuple[Path, str, str]:
    out = tmp_path_factory.mktemp("named-report")
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(["report", *map(str, _other_args(other_files, out))])
    assert code == 0, stderr.getvalue()
    return out, stdout.getvalue(), stderr.getvalue()


@pytest.fixture(scope="module")
def named_report(named_run) -> Path:
    return named_run[0]


@pytest.fixture(scope="module")
def library_run(other_files, tmp_path_factory):
    """``build_report`` called directly, pseudonymised with the same key."""
    out = tmp_path_factory.mktemp("library-report")
    survey = sn.read_survey(
        other_files["roster"],
        other_files["ties"],
        respondents=other_files["respondents"],
    )
    people, ties = survey.people.copy(), survey.ties.copy()
    path = sn.build_report(
        survey,
        "2019-03",
        "2020-01",
        out_dir=out,
        n_permutations=int(PERMUTATIONS),
        pseudonymise_key=sn.load_key(other_files["key"]),
        suppress_below=3,
        n_power=int(POWER),
    )
    return survey, people, ties, path


# ---- every output file ----------------------------------------------------

FIGURES = ("before_after", "block_density", "change", "brokerage")


def test_encode_png_round_trips_every_pixel_and_records_dpi_and_software():
    from senatenet.report.figures import encode_png

    rng = np.random.default_rng(5)
    for shape in [(1, 1, 3), (37, 53, 3), (200, 3, 3)]:
        rgb = rng.integers(0, 256, shape, dtype=np.uint8)
        with Image.open(io.BytesIO(encode_png(rgb, dpi=130))) as image:
            image.load()
            assert image.mode == "RGB" and image.size == (shape[1], shape[0])
            assert np.array_equal(np.asarray(image), rgb)
            assert image.info["Software"] == "senatenet (matplotlib)"
            assert [round(d, 2) for d in image.info["dpi"]] == [130.0, 130.0]
    # a strided view (the canvas buffer without its alpha channel) is read right
    rgba = rng.integers(0, 256, (9, 11, 4), dtype=np.uint8)
    with Image.open(io.BytesIO(encode_png(rgba[..., :3], dpi=72))) as image:
        assert np.array_equal(np.asarray(image), rgba[..., :3])
    for bad in (rgba, rgba[..., :3].astype(float), rgba[0]):
        with pytest.raises(ValueError, match="uint8"):
            encode_png(bad, dpi=72)


def test_report_figure_png_is_the_drawn_canvas():
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from senatenet.report.figures import DPI, render_report_figure

    def figure():
        fig, ax = plt.subplots(figsize=(3, 2), layout="constrained")
        ax.plot([0, 1, 2], [2, 0, 1], color="#8a2be2")
        ax.set_title("Ties <before> & after")
        return fig

    png, svg = render_report_figure(figure())
    assert svg is None
    fig = figure()
    fig.patch.set_facecolor("white")
    fig.set_dpi(DPI)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    expected = np.asarray(canvas.buffer_rgba())[..., :3]
    plt.close(fig)
    with Image.open(io.BytesIO(png)) as image:
        assert np.array_equal(np.asarray(image), expected)


def _check_outputs(out: Path, *, cohorts: bool, svg: bool) -> None:
    for name in ("report.html", "map.html", "manifest.json"):
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name
    for fig in (*FIGURES, *(("cohorts",) if cohorts else ())):
        png = out / "figures" / f"{fig}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", fig
        with Image.open(png) as image:  # decodes whole, opaque, at the report's dpi
            image.load()
            assert image.mode == "RGB" and round(image.info["dpi"][0]) == 130, fig
        if svg:  # --svg
            assert b"<svg" in (out / "figures" / f"{fig}.svg").read_bytes()[:2000], fig
    if not svg:  # PNG only by default
        assert not list((out / "figures").glob("*.svg"))
    formats = json.loads((out / "manifest.json").read_text())["options"]
    assert formats["figure_formats"] == (["png", "svg"] if svg else ["png"])
    tables = out / "tables"
    expected = {
        "people",
        "organisations",
        "organisation_pairs",
        "ties",
        "turnover",
        "summary",
        "ei",
        "block_density_before",
        "block_density_after",
        "block_density_change",
        "tests",
        "evaluation",
        "sensitivity",
        "response_rates",
        "validation",
        "tie_change",
        "tie_change_estimates",
        "tie_change_pairs",
    } | ({"cohorts"} if cohorts else set())
    assert {p.stem for p in tables.glob("*.csv")} == expected
    for path in tables.glob("*.csv"):
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
        assert rows, path.name  # at least a header
    with zipfile.ZipFile(tables / "senatenet-tables.xlsx") as book:
        sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/sheet")]
        assert len(sheets) == len(expected)


def test_sample_report_writes_every_output(sample_report):
    _check_outputs(sample_report, cohorts=True, svg=True)


def test_sample_report_explains_the_new_ties_against_the_comparison(sample_report):
    page = (sample_report / "report.html").read_text(encoding="utf-8")
    assert '<section id="tie-change"' in page or 'id="tie-change"' in page
    assert ("A pair in different organisations was " in page
            and "as likely to form a tie during the programme as in the comparison "
            "group" in page)
    table = pd.read_csv(sample_report / "tables" / "tie_change.csv", encoding="utf-8-sig")
    assert "programme" in set(table["term"])


def test_other_organisations_report_writes_every_output(named_report):
    _check_outputs(named_report, cohorts=False, svg=False)
    people = pd.read_csv(
        named_report / "tables" / "people.csv", dtype=str, keep_default_na=False
    )
    assert {"Harbour Hospital", "Valley CCG", "Moor Hospice"} == set(
        people["organisation"]
    )


def test_manifest_records_versions_options_seeds_and_input_hashes(sample_report):
    m = json.loads((sample_report / "manifest.json").read_text(encoding="utf-8"))
    assert m["versions"]["senatenet"] == sn.__version__
    for dist in ("networkx", "numpy", "pandas", "matplotlib", "pyvis"):
        assert m["versions"][dist]
    assert m["options"]["before"] == "pre" and m["options"]["after"] == "post"
    assert m["options"]["relation"] == "advice"
    assert m["options"]["n_permutations"] == int(PERMUTATIONS)
    assert m["options"]["comparison_cohorts"] == ["Brackenmoor"]
    assert m["options"]["primary_estimand"] == "cross_boundary_formation"
    # the default threshold follows the sample's 1-5 frequency scale, and says so
    assert m["options"]["min_strength"] == 2.0
    assert "rarely or never" in m["options"]["min_strength_reason"]
    assert set(m["seeds"].values()) == {7}
    senate = sn.sample_paths("senate")
    inputs = m["inputs"]
    assert inputs["Calderford senate: ties"]["sha256"] == file_sha256(senate["ties"])
    assert inputs["Calderford senate: roster"]["file"] == "roster.csv"
    assert "Brackenmoor: roster" in inputs
    # outputs listed with their hashes
    assert m["outputs"]["map.html"] == file_sha256(sample_report / "map.html")
    assert m["outputs"]["report.html"] == file_sha256(sample_report / "report.html")


# ---- offline and safe -------------------------------------------------------

EXTERNAL = re.compile(
    r"""(?:\b(?:src|href|action|poster|data|formaction|srcset)\s*=\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:url\(\s*["']?\s*(?:https?:)?//)|(?:@import)""",
    re.IGNORECASE,
)


@pytest.mark.parametrize("which", ["sample_report", "named_report", "private_report"])
def test_report_has_no_external_reference(which, request):
    out = request.getfixturevalue(which)
    for name in ("report.html", "map.html"):
        page = (out / name).read_text(encoding="utf-8")
        assert not EXTERNAL.findall(page), name
        assert "<link" not in page.lower()
        assert not re.search(r"<script[^>]*\bsrc\s*=", page, re.I)
        assert 'http-equiv="Content-Security-Policy"' in page
        csp = re.search(
            r'http-equiv="Content-Security-Policy" content="([^"]+)"', page
        ).group(1)
        assert "default-src 'none'" in html.unescape(csp)
    # the report's own images are all embedded
    report = (out / "report.html").read_text(encoding="utf-8")
    srcs = re.findall(r'<img[^>]*\ssrc="([^"]*)"', report)
    assert srcs and all(s.startswith("data:image/png;base64,") for s in srcs)


def test_survey_text_is_escaped_everywhere(named_report):
    payload = "<img src=x onerror=alert(1)>"
    for name in ("report.html", "map.html"):
        page = (named_report / name).read_text(encoding="utf-8")
        assert payload not in page, name
    report = (named_report / "report.html").read_text(encoding="utf-8")
    # outside the map's srcdoc attribute, the name appears escaped once
    outside = re.sub(r'srcdoc="[^"]*"', "", report)
    assert html.escape(payload, quote=False) in outside
    assert "onerror=alert(1)>" not in report


def test_csv_tables_are_excel_safe(named_report):
    text = (named_report / "tables" / "people.csv").read_text(encoding="utf-8-sig")
    cells = [c for row in csv.reader(text.splitlines()) for c in row]
    assert '\'=HYPERLINK("http://evil.example")' in cells
    assert not any(
        c.startswith(("=", "+", "-", "@")) and not _is_number(c) for c in cells
    )


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_headline_numbers_agree_with_the_tables(sample_report):
    report = html.unescape((sample_report / "report.html").read_text(encoding="utf-8"))
    ei = pd.read_csv(sample_report / "tables" / "ei.csv", index_col=0)
    before, after = int(ei.loc["pre", "E"]), int(ei.loc["post", "E"])
    card = re.search(r'<div class="value">(.*?)</div>', report, re.S).group(1)
    assert card == f"{before} → {after}"
    assert before < after  # the sample's story: more ties between organisations
    assert f"from {before} to {after}" in report
    # the primary estimate's card and the evaluation table agree
    ev = pd.read_csv(sample_report / "tables" / "evaluation.csv")
    prim = ev[ev["role"].eq("primary")].iloc[0]
    assert ev["role"].iloc[0] == "primary"
    assert f"{100 * prim['estimate']:+.1f} points".replace("-", "−") in report
    # the label-permutation E-I change test left the tables (kept in the API)
    tests = pd.read_csv(sample_report / "tables" / "tests.csv")
    assert "ei_change_label" not in set(tests["test_id"])
    assert {"role", "p_holm"} <= set(tests.columns)
    # who connects which organisations: the pair counts add up to E
    pairs = pd.read_csv(sample_report / "tables" / "organisation_pairs.csv")
    assert pairs["before"].sum() == before and pairs["after"].sum() == after
    assert (pairs["organisation_a"] != pairs["organisation_b"]).all()
    assert (pairs["change"] == pairs["after"] - pairs["before"]).all()


def _numbers(text: str) -> list[str]:
    return [
        n.replace("−", "-").replace(",", "")
        for n in re.findall(r"[−+-]?\d[\d,]*(?:\.\d+)?", text)
    ]


def test_str_of_the_comparison_and_the_report_give_the_same_numbers(sample_report):
    # the same inputs and options as the sample_report fixture's command
    files = sn.sample_paths("senate")
    survey = sn.read_survey(files["roster"], files["ties"], respondents=files["respondents"])
    m = json.loads((sample_report / "manifest.json").read_text(encoding="utf-8"))
    cmp = sn.compare_waves(survey, "pre", "post", relation="advice",
                           min_strength=m["options"]["min_strength"],
                           n_permutations=int(PERMUTATIONS), seed=7)
    printed = str(cmp).split("Caveats:")[0]
    said = [line[2:] for line in printed.splitlines() if line.startswith("- ")]
    assert len(said) >= 5
    page = html.unescape((sample_report / "report.html").read_text(encoding="utf-8"))
    # the summary's descriptive findings (then the report's own sentences), and
    # the tests section's test results: together str(cmp)'s findings, in order
    summary, tests = re.findall(r'<ul class="findings">(.*?)</ul>', page, re.S)

    def items(block):
        return [re.sub(r"<.*?>", "", li).strip()
                for li in re.findall(r"<li>(.*?)</li>", block, re.S)]

    n = 1  # the count of ties between organisations; the rest follow the tests' words
    shown = items(summary)[:n] + items(tests)
    assert len(shown) == len(said)
    for sentence, item in zip(said, shown, strict=True):
        assert _numbers(item) == _numbers(sentence), (sentence, item)
    # and the summary cards and verdict use the same pair counts
    pairs = cmp.findings.get("cross_boundary_pairs")
    assert f"{pairs.before:,.0f} → {pairs.after:,.0f}" in page


def test_the_first_sentence_is_the_evaluations_verdict(sample_report):
    # the same inputs and options as the sample_report fixture's command
    files, other = sn.sample_paths("senate"), sn.sample_paths("comparison")
    survey = sn.read_survey(files["roster"], files["ties"], respondents=files["respondents"])
    comparison = sn.read_survey(other["roster"], other["ties"],
                                respondents=other["respondents"])
    ev = sn.evaluate(survey, "pre", "post", relation="advice", comparison=comparison,
                     n_permutations=int(PERMUTATIONS), seed=7)
    page = (sample_report / "report.html").read_text(encoding="utf-8")
    summary = page[page.index('<section id="summary">'):]
    first = re.search(r"<p[^>]*>(.*?)</p>", summary, re.S).group(1)
    assert html.unescape(first) == ev.verdict.sentence
    assert _numbers(html.unescape(first)) == _numbers(ev.verdict.sentence)
    for caveat in ev.verdict.caveats:
        assert caveat in html.unescape(page)
    m = json.loads((sample_report / "manifest.json").read_text(encoding="utf-8"))
    assert m["verdict"] == json.loads(json.dumps(ev.verdict.to_dict()))
    assert {"design", "claim", "primary", "caveats"} <= set(m["verdict"])
    assert set(m["verdict"]["primary"]) >= {"estimand", "estimate", "ci_low", "ci_high", "p"}


def test_report_detects_the_design(sample_report, named_report):
    # --compare-with: the comparison-cohort design; a roster of participants only
    # and no comparison: a single cohort, which never claims a programme effect
    with_comparison = json.loads((sample_report / "manifest.json").read_text(encoding="utf-8"))
    assert with_comparison["verdict"]["design"] == "comparison cohort"
    assert with_comparison["options"]["design"] == "comparison cohort"
    alone = json.loads((named_report / "manifest.json").read_text(encoding="utf-8"))
    assert alone["verdict"]["design"] == "single cohort"
    assert alone["verdict"]["claim"] != "programme effect"
    # strength 1 only: no frequency scale, so every nomination counts
    assert alone["options"]["min_strength"] is None
    # not a clear result: the minimum detectable effect is stated beside it
    if alone["verdict"]["claim"] in ("inconclusive", "no clear change"):
        page = (named_report / "report.html").read_text(encoding="utf-8")
        assert "inimum detectable effect" in page or "could not reliably" in page


def test_validation_problems_are_summarised_at_the_top(named_report, sample_report):
    report = (named_report / "report.html").read_text(encoding="utf-8")
    alert = report.find('id="validation-alert"')
    assert 0 < alert < report.find('id="summary"')
    assert "unknown alter" in report
    clean = (sample_report / "report.html").read_text(encoding="utf-8")
    assert 'id="validation-alert"' not in clean


# ---- privacy ----------------------------------------------------------------


def _png_text(data: bytes) -> bytes:
    """The text chunks (tEXt, zTXt, iTXt) of a PNG: where words can hide in it."""
    chunks, pos = [], 8
    while pos + 8 <= len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"zTXt":
            body = zlib.decompress(body.split(b"\0", 1)[1][1:])
        if kind in (b"tEXt", b"zTXt", b"iTXt"):
            chunks.append(body)
        pos += 12 + length
    return b"\n".join(chunks)


def _output_texts(out: Path) -> dict[str, str]:
    """Every output file as text: HTML/CSV/JSON/SVG as is, XLSX unzipped, PNG text
    chunks; embedded base64 images are left out of the HTML (they are the PNGs)."""
    texts = {}
    for path in out.rglob("*"):
        if path.is_dir():
            continue
        data = path.read_bytes()
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as book:
                data = b"\n".join(book.read(n) for n in book.namelist())
        elif path.suffix == ".png":
            data = _png_text(data)
        text = data.decode("utf-8", errors="replace")
        texts[str(path.relative_to(out))] = re.sub(
            r"data:image/png;base64,[A-Za-z0-9+/=]+", "", text
        )
    return texts


def test_pseudonymised_outputs_contain_no_roster_name(private_report, other_files):
    texts = _output_texts(private_report)
    assert any(k.endswith(".png") for k in texts) and any(
        k.endswith(".xlsx") for k in texts
    )
    words = set(SAFE_NAMES) | {n.split()[-1] for n in SAFE_NAMES} | {"Threlkeldd"}
    for file, text in texts.items():
        for word in words:
            assert word not in text, f"{word!r} found in {file}"
        assert "evil.example" not in text, file
    # the codes are the keyed HMACs, the same in every table
    key = sn.load_key(other_files["key"])
    people = pd.read_csv(
        private_report / "tables" / "people.csv", dtype=str, keep_default_na=False
    )
    codes = sn.pseudonym_map([p for p, *_ in OTHER_PEOPLE], key)
    assert set(people.iloc[:, 0]) == set(codes.values())
    m = json.loads((private_report / "manifest.json").read_text())
    assert m["privacy"]["key_fingerprint"] == sn.key_fingerprint(key)
    assert key.decode() not in "".join(texts.values())


def test_pseudonyms_are_stable_across_runs(private_report, library_run):
    # the command and the library, run separately with the same key
    path = library_run[3]
    a = pd.read_csv(
        private_report / "tables" / "ties.csv", dtype=str, keep_default_na=False
    )
    b = pd.read_csv(
        path.parent / "tables" / "ties.csv", dtype=str, keep_default_na=False
    )
    cols = ["source", "target", "status"]
    pd.testing.assert_frame_equal(a[cols], b[cols])
    pa = pd.read_csv(private_report / "tables" / "people.csv", dtype=str)
    pb = pd.read_csv(path.parent / "tables" / "people.csv", dtype=str)
    assert pa.iloc[:, 0].tolist() == pb.iloc[:, 0].tolist()


def test_suppression_hides_small_organisations(private_report):
    rr = pd.read_csv(
        private_report / "tables" / "response_rates.csv",
        dtype=str,
        keep_default_na=False,
    )
    hospice = rr[rr["organisation"] == "Moor Hospice"]
    assert len(hospice) == 2 and (hospice["suppressed"] == "True").all()
    assert (hospice[["people", "respondents", "response_rate"]] == "").all().all()
    other = rr[rr["organisation"] != "Moor Hospice"]
    assert (other["response_rate"] != "").all()
    blocks = pd.read_csv(
        private_report / "tables" / "block_density_after.csv", index_col=0
    )
    assert (
        blocks.loc["Moor Hospice"].isna().all() and blocks["Moor Hospice"].isna().all()
    )
    assert (
        blocks.loc["Valley CCG", "Harbour Hospital"]
        == blocks.loc["Valley CCG", "Harbour Hospital"]
    )
    orgs = pd.read_csv(private_report / "tables" / "organisations.csv", index_col=0)
    assert orgs.loc["Moor Hospice", "suppressed"]
    assert orgs.loc["Moor Hospice"].drop("suppressed").isna().all()
    assert not orgs.loc["Valley CCG"].drop("suppressed").isna().any()
    pairs = pd.read_csv(private_report / "tables" / "organisation_pairs.csv")
    hospice = (pairs["organisation_a"] == "Moor Hospice") | (
        pairs["organisation_b"] == "Moor Hospice"
    )
    assert hospice.any() and pairs.loc[hospice, "suppressed"].all()
    assert pairs.loc[hospice, ["before", "after", "new", "lost"]].isna().all().all()
    report = (private_report / "report.html").read_text(encoding="utf-8")
    assert "suppressed" in report
    assert not (private_report / "figures" / "org_network.png").exists()


def test_files_of_an_earlier_report_are_removed(tmp_path):
    from senatenet.report.build import _remove_previous_outputs

    (tmp_path / "figures").mkdir()
    old = tmp_path / "figures" / "org_network.png"
    old.write_bytes(b"named figure")
    mine = tmp_path / "notes.txt"
    mine.write_text("the user's own file")
    outside = tmp_path.parent / f"{tmp_path.name}-outside.txt"
    outside.write_text("not ours")
    (tmp_path / "manifest.json").write_text(
        json.dumps(
            {
                "versions": {"senatenet": sn.__version__},
                "outputs": {"figures/org_network.png": "x", f"../{outside.name}": "y"},
            }
        )
    )
    assert _remove_previous_outputs(tmp_path) == [old.resolve()]
    assert not old.exists() and mine.exists() and outside.exists()


# ---- bad input ----------------------------------------------------------------


@pytest.mark.parametrize(
    "change, message",
    [
        ({"--ties": "missing.csv"}, "missing.csv"),
        ({"--after": "2031"}, "2031"),
        ({"--suppress-below": "0"}, "suppress-below"),
        ({"--pseudonymise": None}, "--key-file"),
        ({"--compare-with": "only-one.csv"}, "--compare-with"),
        ({"--key-file": "nokey.txt", "--pseudonymise": None}, "key file"),
    ],
)
def test_bad_input_gives_a_message_and_exit_2(
    change, message, other_files, tmp_path, capsys
):
    args = [str(a) for a in _other_args(other_files, tmp_path / "out")]
    for flag, value in change.items():
        if flag in args:
            args[args.index(flag) + 1] = (
                str(tmp_path / value) if value.endswith(".csv") else value
            )
        else:
            args += [flag] + ([str(tmp_path / value)] if value else [])
    code, out, err = _run(args, capsys)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


@pytest.mark.parametrize("formats", [("pdf",), "jpeg", ("png", "svg", "eps")])
def test_unknown_figure_formats_are_refused_before_any_work(formats, tmp_path):
    with pytest.raises(sn.InputError, match="figure_formats must be among"):
        sn.build_report(sn.load_sample(), "pre", "post", relation="advice",
                        out_dir=tmp_path / "out", figure_formats=formats)
    assert not (tmp_path / "out").exists()


def test_comparison_cohort_without_the_waves_is_refused(other_files, tmp_path, capsys):
    comparison = sn.sample_paths("comparison")
    args = [
        *_other_args(other_files, tmp_path),
        "--compare-with",
        comparison["roster"],
        comparison["ties"],
        "--compare-name",
        "Brackenmoor",
    ]
    code, _, err = _run(args, capsys)
    assert code == 2 and "comparison cohort 'Brackenmoor' has no wave '2019-03'" in err
    assert "Traceback" not in err


def test_several_relations_need_relation(tmp_path, capsys):
    senate = sn.sample_paths("senate")
    code, _, err = _run(
        [
            "--roster",
            senate["roster"],
            "--ties",
            senate["ties"],
            "--before",
            "pre",
            "--after",
            "post",
            "--out",
            tmp_path,
        ],
        capsys,
    )
    assert code == 2 and "--relation" in err and "Traceback" not in err
    assert not (tmp_path / "report.html").exists()


def test_progress_goes_to_stderr_and_the_path_to_stdout(named_run):
    out, stdout, stderr = named_run
    assert "[1/" in stderr and "done in" in stderr
    assert "validation error" in stderr  # the misspelt name
    assert str(out / "report.html") in stdout


def test_build_report_leaves_the_survey_unchanged(library_run, tmp_path):
    survey, people, ties, path = library_run
    assert path.name == "report.html" and path.is_file()
    pd.testing.assert_frame_equal(survey.people, people)
    pd.testing.assert_frame_equal(survey.ties, ties)
    with pytest.raises(sn.InputError, match="not in the survey"):
        sn.build_report(survey, "pre", "post", out_dir=tmp_path)


# ---- in a browser -------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium():
    from browser import launch

    with launch(width=1280, height=900) as browser:
        yield browser


@pytest.mark.browser
@pytest.mark.parametrize("which", ["sample_report", "named_report", "private_report"])
def test_report_opens_offline_in_chromium(which, request, chromium):
    out = request.getfixturevalue(which)
    people = len(pd.read_csv(out / "tables" / "people.csv"))
    page = chromium.open(
        out / "report.html", ready="document.readyState === 'complete'"
    )
    widths = page.run(
        "return Array.from(document.images).map(i => [i.alt, i.complete, i.naturalWidth]);"
    )
    assert len(widths) >= 4
    assert all(ok and w > 0 for _, ok, w in widths), widths
    assert page.alerts() == []
    # the embedded map: a sandboxed srcdoc iframe holding the vis network
    # (scrolled into view: Chromium does not paint off-screen frames)
    page.run("document.getElementById('map-frame').scrollIntoView()")
    page.driver.switch_to.frame(page.driver.find_element("id", "map-frame"))
    page.wait_for("!!(window.senatenetMap && window.senatenetMap.network)")
    assert page.run("return window.senatenetMap.nodes.length") == people
    painted = (
        "(function () { var c = document.querySelector('canvas'); if (!c) return 0;"
        " var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        " var n = 0; for (var i = 3; i < d.length; i += 4) if (d[i]) n++; return n; })()"
    )
    assert page.wait_for(f"{painted} > 1000")  # pixels painted on the map's canvas
    page.driver.switch_to.default_content()
    assert page.console_errors() == []
    assert page.requests() == []
