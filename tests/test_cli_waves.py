"""The command line with three waves: report --waves and validate's membership lines."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from senatenet.cli import main


@pytest.fixture
def files(project_root):
    folder = project_root / "tests" / "fixtures" / "three_waves"
    return ["--roster", str(folder / "roster.csv"), "--ties", str(folder / "ties.csv"),
            "--respondents", str(folder / "respondents.csv")]


def test_report_waves_writes_the_follow_up_tables(files, tmp_path, capsys, figures_not_rendered):
    out = tmp_path / "out"
    code = main(["report", *files, "--waves", "pre", "post", "follow-up",
                 "--symmetrize", "union", "--permutations", "9", "--power-simulations",
                 "20", "--quiet", "--out", str(out)])
    assert code == 0
    persistence = pd.read_csv(out / "tables" / "persistence.csv")
    row = persistence[persistence["ties"].eq("new during programme")
                      & persistence["boundary"].eq("cross_boundary")].iloc[0]
    assert (row["n"], row["still_present"]) == (2, 1)  # hand-computed, test_trajectory.py
    transitions = pd.read_csv(out / "tables" / "transitions.csv")
    assert transitions[["before", "after", "new", "lost", "stable"]].values.tolist() == [
        ["pre", "post", 3, 1, 3], ["post", "follow-up", 2, 2, 5]]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["options"]["follow_ups"] == ["follow-up"]
    assert (out / "figures" / "trajectory.png").is_file()
    assert figures_not_rendered  # the figures were drawn, on this data


@pytest.mark.parametrize("args, message", [
    (["--waves", "pre"], "at least two waves"),
    (["--before", "pre"], "--before W1 --after W2, or"),
    (["--after", "post"], "--before W1 --after W2, or"),
])
def test_report_wave_options_fail_with_a_message(files, tmp_path, capsys, args, message):
    code = main(["report", *files, *args, "--permutations", "0", "--quiet",
                 "--out", str(tmp_path / "out")])
    assert code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_validate_lists_membership_problems_and_changes(files, capsys):
    assert main(["validate", *files]) == 0
    out = capsys.readouterr().out
    assert "membership: c1 joined in post, b3 not a member from post" in out
    assert "who is not a member then (a member only in wave 'pre')" in out
    assert out.count("tie_from_non_respondent") == 0
    assert "0 error(s), 3 warning(s), 3 note(s)." in out
