"""``senatenet model``: tidy table on stdout, exit code 2 on bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

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


def test_ergm_of_one_wave(capsys):
    code = main(["model", "ergm", *BASE, "--wave", "post", "--relation", "advice",
                 "--min-strength", "2"])
    out = capsys.readouterr().out
    assert code == 0 and "nodematch.organisation" in out and "mutual" in out
    assert "maximum pseudo-likelihood" in out
    code = main(["model", "ergm", *BASE, "--wave", "pre", "--relation", "knows",
                 "--symmetrize", "union", "--formula", "edges + gwesp(0.5, fixed=TRUE)",
                 "--method", "mle", "--seed", "2", "--sample-size", "256"])
    out = capsys.readouterr().out
    assert code == 0 and "Monte Carlo maximum likelihood" in out and "; converged)" in out
    # edges + triangle is the classic degenerate ERGM: said, never shown as a fit
    with pytest.warns(RuntimeWarning, match="degenerate"):
        code = main(["model", "ergm", *BASE, "--wave", "pre", "--relation", "knows",
                     "--symmetrize", "union", "--formula", "edges + triangle",
                     "--method", "mle", "--seed", "2", "--sample-size", "256",
                     "--burnin", "1000"])
    assert code == 0 and "DID NOT CONVERGE" in capsys.readouterr().out
    assert main(["model", "ergm", *BASE, "--wave", "pre", "--relation", "knows",
                 "--method", "mle", "--sample-size", "0"]) == 2
    assert "sample_size" in capsys.readouterr().err
    assert main(["model", "ergm", *BASE, "--wave", "autumn", "--relation", "advice"]) == 2
    err = capsys.readouterr().err
    assert "autumn" in err and "Traceback" not in err
    assert main(["model", "ergm", *BASE, "--wave", "pre", "--relation", "advice",
                 "--formula", "edges + nodematch(nope)"]) == 2
    assert "no attribute 'nope'" in capsys.readouterr().err
