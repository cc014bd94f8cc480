"""``senatenet model``: tidy table on stdout, exit code 2 on bad input."""

from __future__ import annotations

from pathlib import Path

from senatenet.cli import main

SENATE = Path(__file__).resolve().parents[1] / "data" / "sample" / "senate"
BASE = ["--roster", str(SENATE / "roster.csv"), "--ties", str(SENATE / "ties.csv"),
        "--respondents", str(SENATE / "respondents.csv")]


def test_tie_change_prints_the_tables(capsys):
    code = main(["model", "tie-change", *BASE, "--before", "pre", "--after", "post",
                 "--relation", "advice", "--terms", "edges + nodematch(organisation)"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Formation (pairs not tied before):" in out and "nodematch.organisation" in out
    assert "cannot show that the programme caused" in out
    assert main(["model", "tie-change", *BASE, "--before", "pre", "--after", "post",
                 "--relation", "advice", "--terms", "edges + nodematch(organisation)",
                 "--permutations", "19", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    assert "dsp_p" in out and "DSP permutations (Dekker" in out
    assert "widest of the model-based, the dyadic-cluster-robust and the DSP" in out


def test_bad_input_exits_2_with_a_message(capsys):
    code = main(["model", "tie-change", *BASE, "--before", "pre", "--after", "post",
                 "--relation", "advice", "--terms", "edges + nodematch(nope)"])
    err = capsys.readouterr().err
    assert code == 2 and "no attribute 'nope'" in err and "Traceback" not in err
    assert main(["model", "tie-change", *BASE, "--before", "pre", "--after", "later",
                 "--relation", "advice"]) == 2
    assert main(["model"]) == 2
