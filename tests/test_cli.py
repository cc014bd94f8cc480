"""The command line: demo, validate and export, every exit code, no tracebacks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx
import openpyxl
import pandas as pd
import pytest

import senatenet as sn
from senatenet.cli import main


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def bad_survey(tmp_path):
    """A roster with text ids ("007", "NA"), a duplicate id, and ties with an
    unknown alter, a self-nomination and a non-numeric strength."""
    roster = _write(tmp_path / "roster.csv",
                    "person_id,name,organisation\n"
                    "007,Ada,North\nNA,=HYPERLINK(\"evil\"),West\n003,Cy,West\n003,Dup,West\n")
    ties = _write(tmp_path / "ties.csv",
                  "wave,respondent,alter,relation,strength\n"
                  "pre,007,NA,knows,3\npre,007,ZZZ,knows,2\npre,NA,NA,knows,1\n"
                  "post,007,NA,knows,abc\npost,NA,007,knows,2\n")
    return roster, ties


@pytest.fixture
def clean_survey(tmp_path):
    roster = _write(tmp_path / "roster.csv",
                    "person_id,name,organisation\n007,Ada,North\nNA,Bo\x07b,West\n")
    ties = _write(tmp_path / "ties.csv",
                  "wave,respondent,alter,relation,strength\n"
                  "pre,007,NA,knows,3\npost,NA,007,knows,2\n")
    respondents = _write(tmp_path / "respondents.csv",
                         "wave,person_id\npre,007\npre,NA\npost,007\npost,NA\n")
    return roster, ties, respondents


def _sample_args():
    paths = sn.sample_paths("senate")
    return ["--roster", str(paths["roster"]), "--ties", str(paths["ties"]),
            "--respondents", str(paths["respondents"])]


# --- demo ----------------------------------------------------------------------


def test_demo_writes_outputs_and_says_where(tmp_path, capsys, figures_not_rendered):
    root = tmp_path / "demo"
    assert main(["demo", "--out", str(root), "--seed", "5"]) == 0
    printed = capsys.readouterr().out
    out = root / "exports"
    assert str(root.resolve()) in printed
    # the programme report with the comparison cohort sits at the top of --out
    for name in ("report.html", "map.html", "manifest.json"):
        assert (root / name).is_file(), name
    assert str((root / "report.html").resolve()) in printed
    assert ("Report: the advice network, waves pre, post, follow-up (comparison cohort "
            "design).") in printed
    html = (root / "report.html").read_text(encoding="utf-8")
    assert "Brackenmoor" in html and "Calderford senate" in html
    # the comparison-cohort design and the follow-up wave are both shown
    assert '<section id="follow-up">' in html
    assert (root / "tables" / "persistence.csv").is_file()
    for name in ("tables/validation.csv", "tables/response_rates.csv",
                 "exports/network_summary.csv", "exports/senatenet-sample.xlsx",
                 "exports/networks/people_pre_knows.graphml",
                 "exports/networks/people_post_advice.gexf",
                 "exports/networks/organisations_post_collaborate.graphml",
                 "exports/tables/people_post_knows.csv",
                 "exports/tables/ties_pre_advice.csv"):
        assert (root / name).is_file(), name
    # each file once: no second manifest, validation report or response rates
    for name in ("manifest.json", "validation.csv", "response_rates.csv"):
        assert not (out / name).exists(), name
    # every file written is printed, and listed (with its hash) in the manifest
    written = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    listed = [line.strip() for line in printed.splitlines() if line.startswith("  ")]
    assert set(written) <= set(listed), set(written) - set(listed)
    assert f"Wrote {len(written)} files" in printed
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["outputs"]) == set(written) - {"manifest.json"}
    assert "Brackenmoor" in json.dumps(manifest)
    assert manifest["seeds"]["demo"] == 5 and manifest["seeds"]["compare_waves"] == 5
    assert manifest["options"]["demo"]["graph_options"]["missing"] == "absent"
    assert manifest["options"]["demo"]["report"] == "report.html"
    assert manifest["verdict"]["design"] == "comparison cohort"
    assert manifest["options"]["follow_ups"] == ["follow-up"]
    assert f"Verdict: {manifest['verdict']['sentence']}" in printed
    assert {"Calderford senate: roster", "Calderford senate: ties",
            "Calderford senate: respondents"} <= set(manifest["inputs"])
    assert all(len(v["sha256"]) == 64 for v in manifest["inputs"].values())
    assert "networkx" in manifest["versions"]

    survey = sn.load_sample()
    G = nx.read_graphml(out / "networks" / "people_post_knows.graphml")
    assert set(G.nodes) == set(survey.people.index)
    assert G.number_of_edges() == survey.person_graph("post", "knows").number_of_edges()

    people = pd.read_csv(out / "tables" / "people_post_knows.csv", dtype=str,
                         keep_default_na=False, encoding="utf-8-sig")
    assert people["person_id"].tolist() == list(survey.people.index)
    assert {"organisation", "responded", "degree", "ei", "brokerage"} <= set(people.columns)

    summary = pd.read_csv(out / "network_summary.csv", encoding="utf-8-sig")
    assert len(summary) == len(survey.waves) * len(survey.relations)
    knows = summary[summary["relation"] == "knows"].set_index("wave")
    assert knows.loc["post", "ei"] > knows.loc["pre", "ei"]
    assert "Before -> after" in printed

    wb = openpyxl.load_workbook(out / "senatenet-sample.xlsx", read_only=True)
    assert {"people", "ties", "validation", "network summary"} <= set(wb.sheetnames)
    wb.close()
    assert figures_not_rendered  # the figures were drawn, on this data


def test_demo_refuses_a_file_as_output_folder(tmp_path, capsys):
    target = _write(tmp_path / "taken.txt", "x")
    assert main(["demo", "--out", str(target)]) == 2
    err = capsys.readouterr().err
    assert "not a folder" in err and "Traceback" not in err


def test_demo_rejects_a_non_integer_seed(tmp_path, capsys):
    assert main(["demo", "--out", str(tmp_path), "--seed", "abc"]) == 2
    assert "invalid int value" in capsys.readouterr().err


# --- validate -------------------------------------------------------------------


def test_validate_clean_sample_exits_0(capsys):
    assert main(["validate", *_sample_args()]) == 0
    out = capsys.readouterr().out
    assert "26 people in 6 organisations" in out
    assert "No problems found." in out and "0 error(s)" in out


def test_validate_errors_exit_1_with_rows_and_columns(bad_survey, capsys):
    roster, ties = bad_survey
    assert main(["validate", "--roster", str(roster), "--ties", str(ties)]) == 1
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    header = next(line for line in lines if line.startswith("severity"))
    assert header.split() == ["severity", "file", "row", "column", "value", "action",
                              "problem"]
    dup = next(line for line in lines if "duplicate person_id" in line)
    assert dup.split()[:5] == ["error", "roster.csv", "5", "person_id", "003"]
    assert any("ZZZ" in line and "ties.csv" in line for line in lines)
    assert "errors found" in captured.err and "Traceback" not in captured.err


def test_validate_warnings_exit_0_but_1_when_strict(clean_survey, capsys):
    roster, ties, _ = clean_survey  # no respondents file: inferred, with a warning
    args = ["validate", "--roster", str(roster), "--ties", str(ties)]
    assert main(args) == 0
    assert "1 warning(s)" in capsys.readouterr().out
    assert main([*args, "--strict"]) == 1
    assert "warnings (--strict)" in capsys.readouterr().err


def test_validate_strict_passes_clean_input(clean_survey, capsys):
    roster, ties, respondents = clean_survey
    assert main(["validate", "--roster", str(roster), "--ties", str(ties),
                 "--respondents", str(respondents), "--strict"]) == 0


def test_validate_escapes_control_characters_for_the_terminal(tmp_path, capsys):
    roster = _write(tmp_path / "r.csv", "person_id,name,organisation\n1,A,X\n1,B\x1b[31m,X\n")
    ties = _write(tmp_path / "t.csv", "wave,respondent,alter\npre,1,1\n")
    main(["validate", "--roster", str(roster), "--ties", str(ties)])
    out = capsys.readouterr().out
    assert "\x1b" not in out


def test_validate_writes_the_report(bad_survey, tmp_path, capsys):
    roster, ties = bad_survey
    args = ["validate", "--roster", str(roster), "--ties", str(ties)]
    assert main([*args, "--out", str(tmp_path / "report.csv")]) == 1
    report = pd.read_csv(tmp_path / "report.csv", dtype=str, keep_default_na=False,
                         encoding="utf-8-sig")
    assert (report["severity"] == "error").sum() == 4
    assert main([*args, "--out", str(tmp_path / "report.xlsx")]) == 1
    wb = openpyxl.load_workbook(tmp_path / "report.xlsx")
    assert wb.sheetnames == ["validation"]


@pytest.mark.parametrize("case", ["missing_file", "missing_column", "empty_ties"])
def test_validate_unusable_input_exits_2(tmp_path, capsys, case):
    roster = _write(tmp_path / "roster.csv", "person_id,name,organisation\n1,A,X\n")
    ties = _write(tmp_path / "ties.csv", "wave,respondent,alter\npre,1,1\n")
    if case == "missing_file":
        roster = tmp_path / "nope.csv"
    elif case == "missing_column":
        roster = _write(tmp_path / "roster.csv", "id,name\n1,A\n")
    else:
        ties = _write(tmp_path / "ties.csv", "")
    assert main(["validate", "--roster", str(roster), "--ties", str(ties)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("senatenet validate: error:") and "Traceback" not in err


@pytest.mark.parametrize("argv", [
    ["report", "--roster", "r.csv", "--ties", "t.csv", "--out", "o",
     "--min-strength", "weekly"],               # a number, all or auto
    ["report", "--roster", "r.csv", "--ties", "t.csv", "--out", "o",
     "--primary", "e_i_change"],                # not an estimand
    ["validate", "--roster", "r.csv"],          # --ties missing
    ["validate", "--ties", "t.csv"],            # --roster missing
    ["no-such-command"],
    [],
])
def test_usage_errors_exit_2(argv, capsys):
    assert main(argv) == 2
    assert capsys.readouterr().err


def test_help_and_version_exit_0(capsys):
    assert main(["--version"]) == 0
    assert "senatenet" in capsys.readouterr().out
    assert main(["validate", "--help"]) == 0
    assert "--strict" in capsys.readouterr().out


# --- export ---------------------------------------------------------------------


def test_export_graphml_writes_each_relation(tmp_path, capsys):
    out = tmp_path / "exp"
    assert main(["export", *_sample_args(), "--wave", "post", "--out", str(out)]) == 0
    files = sorted(p.name for p in out.iterdir())
    assert files == ["person_post_advice.graphml", "person_post_collaborate.graphml",
                     "person_post_knows.graphml"]
    G = nx.read_graphml(out / "person_post_advice.graphml")
    expected = sn.load_sample().person_graph("post", "advice")
    assert set(G.edges) == set(expected.edges)
    assert "person_post_knows.graphml" in capsys.readouterr().out


def test_export_csv_keeps_text_ids_and_neutralises_formulas(bad_survey, tmp_path, capsys):
    roster, ties = bad_survey
    out = tmp_path / "exp"
    code = main(["export", "--roster", str(roster), "--ties", str(ties), "--wave", "pre",
                 "--relation", "knows", "--format", "csv", "--out", str(out)])
    assert code == 0
    assert "validation error(s)" in capsys.readouterr().err
    nodes = pd.read_csv(out / "person_pre_knows_nodes.csv", dtype=str,
                        keep_default_na=False, encoding="utf-8-sig")
    assert nodes["person_id"].tolist() == ["007", "NA", "003"]
    assert nodes.loc[1, "name"] == "'=HYPERLINK(\"evil\")"
    edges = pd.read_csv(out / "person_pre_knows_edges.csv", dtype=str,
                        keep_default_na=False, encoding="utf-8-sig")
    assert edges[["source", "target"]].values.tolist() == [["007", "NA"]]


def test_export_options_gexf_xlsx_and_organisations(tmp_path):
    base = ["export", *_sample_args(), "--wave", "pre", "--relation", "knows"]
    assert main([*base, "--format", "gexf", "--symmetrize", "union",
                 "--min-strength", "3", "--out", str(tmp_path)]) == 0
    G = nx.read_gexf(tmp_path / "person_pre_knows.gexf")
    expected = sn.load_sample().person_graph("pre", "knows", symmetrize="union",
                                             min_strength=3)
    assert not G.is_directed() and G.number_of_edges() == expected.number_of_edges()
    assert main([*base, "--format", "xlsx", "--level", "organisation",
                 "--out", str(tmp_path)]) == 0
    wb = openpyxl.load_workbook(tmp_path / "organisation_pre_knows.xlsx")
    assert wb.sheetnames == ["nodes", "edges"]
    assert wb["nodes"].max_row == 7  # header + six organisations


@pytest.mark.parametrize("extra,message", [
    (["--wave", "mid"], "wave 'mid' is not in the survey"),
    (["--wave", "pre", "--relation", "friendship"],
     "relation 'friendship' is not in the survey"),
])
def test_export_unknown_wave_or_relation_exits_2(tmp_path, capsys, extra, message):
    out = tmp_path / "exp"
    assert main(["export", *_sample_args(), *extra, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not out.exists()


def test_export_refuses_a_file_as_output_folder(tmp_path, capsys):
    target = _write(tmp_path / "taken.txt", "x")
    assert main(["export", *_sample_args(), "--wave", "pre", "--out", str(target)]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_export_bad_format_is_a_usage_error(tmp_path, capsys):
    assert main(["export", *_sample_args(), "--wave", "pre", "--format", "pdf",
                 "--out", str(tmp_path)]) == 2
    assert "invalid choice" in capsys.readouterr().err


# --- the installed console script -------------------------------------------------


def test_console_script_runs_without_traceback(tmp_path):
    """The installed script, with a console that cannot encode the names."""
    script = Path(sys.executable).parent / "senatenet"
    if not script.exists():
        found = shutil.which("senatenet")
        if found is None:
            pytest.skip("the senatenet console script is not installed")
        script = Path(found)
    roster = _write(tmp_path / "roster.csv",
                    "person_id,name,organisation\n007,Zoë,North\n007,Łukasz,North\n")
    ties = _write(tmp_path / "ties.csv", "wave,respondent,alter\npre,007,Zoë Ł\n")
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    done = subprocess.run(
        [str(script), "validate", "--roster", str(roster), "--ties", str(ties)],
        capture_output=True, text=True, timeout=120, env=env,
    )
    assert done.returncode == 1
    assert "duplicate person_id" in done.stdout
    assert "Zo\\xeb \\u0141" in done.stdout  # shown escaped, not a crash
    assert "Traceback" not in done.stderr


def test_validate_and_match_never_overwrite_an_input_file(clean_survey, capsys):
    roster, ties, respondents = clean_survey
    before = roster.read_bytes()
    for out in (roster, ties, respondents):
        assert main(["validate", "--roster", str(roster), "--ties", str(ties),
                     "--respondents", str(respondents), "--out", str(out)]) == 2
        assert "is an input file" in capsys.readouterr().err
    assert main(["match", "--roster", str(roster), "--names", str(roster),
                 "--out", str(roster)]) == 2
    assert "is an input file" in capsys.readouterr().err
    assert roster.read_bytes() == before


@pytest.mark.parametrize("command", ["validate", "export", "demo"])
def test_a_folder_given_as_a_file_and_an_unwritable_out_exit_2(clean_survey, tmp_path,
                                                               capsys, command):
    roster, ties, _ = clean_survey
    inputs = ["--roster", str(roster), "--ties", str(ties)]
    extra = {"validate": [], "export": ["--wave", "pre"], "demo": []}[command]
    if command != "demo":
        assert main([command, "--roster", str(tmp_path), "--ties", str(ties), *extra,
                     "--out", str(tmp_path / "o")]) == 2
        assert "a folder, not a roster file" in capsys.readouterr().err
    argv = [command, *(inputs if command != "demo" else []), *extra,
            "--out", str(roster / "below-a-file")]  # cannot be created
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"senatenet {command}: error:") and "Traceback" not in err


# ------------------------------------------------------------ network files in place of tidy ties
_PAJ = ('*Network pre\n*Vertices 3\n1 "a"\n2 "b"\n3 "c"\n*Arcs\n1 2\n2 3\n'
        '*Network post\n*Vertices 3\n1 "a"\n2 "b"\n3 "c"\n*Arcs\n1 3\n3 2\n'
        '*Partition org\n*Vertices 3\n1\n1\n2\n')


def test_validate_reads_a_pajek_project_with_its_partition_as_organisation(tmp_path, capsys):
    paj = _write(tmp_path / "net.paj", _PAJ)
    assert main(["validate", "--ties", str(paj), "--group", "org",
                 "--matrices-as", "waves"]) == 0
    out = capsys.readouterr().out
    assert "3 people in 2 organisations; 4 nominations kept; waves: pre, post" in out


def test_validate_detects_dl_by_content_and_matrix_by_layout(tmp_path, capsys):
    dl = _write(tmp_path / "net.txt", "DL N=2\nLABELS:\na b\nDATA:\n0 1\n1 0\n")
    assert main(["validate", "--ties", str(dl), "--wave-label", "pre"]) == 0
    assert "2 nominations kept; waves: pre" in capsys.readouterr().out
    matrix = _write(tmp_path / "m.csv", ",a,b,c\na,0,1,0\nb,0,0,1\nc,1,0,0\n")
    roster = _write(tmp_path / "r.csv", "person_id,name,organisation,team\n"
                    "a,A,X,t1\nb,B,X,t2\nc,C,Y,t2\n")
    assert main(["validate", "--ties", str(matrix), "--roster", str(roster),
                 "--group", "team"]) == 0
    assert "3 people in 2 organisations; 3 nominations kept" in capsys.readouterr().out


def test_export_and_report_accept_a_network_file(tmp_path, capsys, figures_not_rendered):
    paj = _write(tmp_path / "net.paj", _PAJ)
    out = tmp_path / "exported"
    assert main(["export", "--ties", str(paj), "--group", "org", "--matrices-as", "waves",
                 "--wave", "post", "--out", str(out)]) == 0
    G = nx.read_graphml(out / "person_post_tie.graphml")
    assert sorted(G.edges()) == [("a", "c"), ("c", "b")]
    rep = tmp_path / "rep"
    assert main(["report", "--ties", str(paj), "--group", "org", "--matrices-as", "waves",
                 "--before", "pre", "--after", "post", "--out", str(rep),
                 "--permutations", "20", "--power-simulations", "20"]) == 0
    assert (rep / "report.html").is_file()
    assert figures_not_rendered  # the figures were drawn, on this data


def test_cli_network_file_problems_exit_2_naming_the_file(tmp_path, capsys):
    two = _write(tmp_path / "two.net", "*Vertices 3 1\n1 a\n2 b\n3 c\n*Edges\n1 2\n")
    assert main(["validate", "--ties", str(two)]) == 2
    assert "two.net" in capsys.readouterr().err
    ties = _write(tmp_path / "ties.csv", "wave,respondent,alter,relation,strength\n")
    assert main(["validate", "--ties", str(ties)]) == 2
    assert "--roster is required" in capsys.readouterr().err
