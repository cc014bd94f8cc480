"""senatenet.saom: RSiena's targets on s50 exactly; a short fit on the senate."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import senatenet as sn
from senatenet.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
MODELS_DIR = Path(os.environ.get("SENATENET_MODELS_DIR", SHARED / "reference-models"))
NETS_DIR = Path(os.environ.get("SENATENET_REFERENCE_DIR", SHARED / "reference-networks"))
SHORT = {"n1": 50, "nD": 50, "nsub": 1, "n2": (10,), "batch2": 32, "n3": 100}


def s50_survey(folder: Path) -> sn.Survey:
    nodes = pd.read_csv(folder / "nodes.csv", dtype={"id": str})
    ties = pd.read_csv(folder / "ties.csv", dtype=str)
    people = nodes.rename(columns={"id": "person_id"}).set_index("person_id")
    people["organisation"] = "school"
    ties = ties.rename(columns={"source": "respondent", "target": "alter"})
    resp = pd.DataFrame([(w, p) for w in ("1", "2", "3") for p in people.index],
                        columns=["wave", "person_id"])
    return sn.Survey(people, ties[["wave", "respondent", "alter", "relation"]], resp,
                     waves=["1", "2", "3"])


def test_s50_targets_equal_rsiena():
    pytest.importorskip("cusna")
    ref_file = MODELS_DIR / "s50_saom" / "rsiena_reference.json"
    if not ref_file.is_file() or not (NETS_DIR / "s50" / "ties.csv").is_file():
        pytest.skip(f"reference models/networks not found under {SHARED}")
    ref = json.loads(ref_file.read_text())
    survey = s50_survey(NETS_DIR / "s50")
    res = sn.saom(survey, effects=("density", "recip", "transTrip", "altX(smoke1)",
                                   "egoX(smoke1)", "simX(smoke1)"),
                  algorithm={**SHORT, "n3": 20})
    np.testing.assert_allclose(res.targets.to_numpy(), ref["targets"], atol=1e-6)
    assert list(res.estimates["effect"][:2]) == ["rate period 1", "rate period 2"]


def test_short_senate_fit_is_reproducible_and_flagged():
    pytest.importorskip("cusna")
    s = sn.load_sample()
    kw = dict(relation="advice", effects=("density", "recip", "sameX(organisation)"),
              algorithm=SHORT, seed=5)
    a = sn.saom(s, **kw)
    b = sn.saom(s, n_jobs=2, **kw)
    pd.testing.assert_frame_equal(a.estimates, b.estimates)
    assert list(a.estimates.columns) == ["effect", "estimate", "std_error", "t_ratio"]
    assert a.jaccard["jaccard"].iloc[0] == pytest.approx(30 / 100)
    # RSiena's rate target: tie changes among pairs observed in both waves
    assert a.targets.iloc[0] == a.jaccard["new"].iloc[0] + a.jaccard["lost"].iloc[0] == 70
    assert a.targets["density"] == 92  # ties at the second wave (observed senders)
    assert a.status in ("finding", "diagnostic")
    g = sn.gof(a)
    assert g.n_sim == SHORT["n3"]
    out = g.table[g.table.statistic == "outdegree"]
    assert out["observed"].sum() == 26 and out["sim_mean"].sum() == pytest.approx(26)


def test_constant_covariate_is_refused():
    pytest.importorskip("cusna")
    with pytest.raises(InputError, match="same value for everyone"):
        sn.saom(sn.load_sample(), relation="advice", effects=("density", "egoX(participant)"))
