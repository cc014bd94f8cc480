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


def _with_joiner_and_leaver() -> sn.Survey:
    """The senate with S26 leaving after 'pre' and S25 joining at 'post'."""
    s = sn.load_sample()
    people = s.people.copy()
    people["first_wave"], people["last_wave"] = "", ""
    people.loc["S26", "last_wave"] = "pre"
    people.loc["S25", "first_wave"] = "post"
    resp = pd.DataFrame([(w, p) for w in s.waves for p in s.responded(w)],
                        columns=["wave", "person_id"])
    return sn.Survey(people, s.ties, resp, waves=list(s.waves))


def test_composition_intervals_and_absent_rows_by_hand():
    people = pd.DataFrame({"organisation": ["A", "A", "B", "B"],
                           "first_wave": ["", "2", "", ""], "last_wave": ["", "", "1", "2"]},
                          index=pd.Index(["p1", "p2", "p3", "p4"], name="person_id"))
    ties = pd.DataFrame({"wave": ["1", "1", "2", "2", "3"],
                         "respondent": ["p1", "p3", "p1", "p2", "p1"],
                         "alter": ["p3", "p1", "p2", "p1", "p4"]})
    s = sn.Survey(people, ties, waves=["1", "2", "3"])
    # p2 joins at wave 2, p3 leaves after wave 1, p4 leaves after wave 2
    assert sn.saom_composition(s) == [[1, 3], [2, 3], [1, 1], [1, 2]]
    assert sn.saom_composition(s, ["2", "3"]) == [[1, 2], [1, 2], [], [1, 1]]
    W = sn.saom_data(s)
    assert np.isnan(W[0][1]).sum() == 3 and np.isnan(W[0][:, 1]).sum() == 3  # p2, wave 1
    assert np.isnan(W[1][2]).sum() == 3 and np.isnan(W[2][3]).sum() == 3
    # everyone in every wave: no composition change
    assert sn.saom_composition(sn.load_sample()) is None


def test_composition_change_is_passed_to_the_estimator():
    pytest.importorskip("cusna")
    s = _with_joiner_and_leaver()
    res = sn.saom(s, relation="advice", effects=("density", "recip"), algorithm=SHORT,
                  seed=2)
    comp = res.options["composition"]
    assert comp[24] == [2, 2] and comp[25] == [1, 1] and comp[0] == [1, 2]
    assert any("composition change: 2 people joined or left" in w for w in res.warnings)
    # pairs with S25 or S26 are neither new nor lost in the Jaccard index
    t = s.ties[(s.ties.relation == "advice")]
    keep = ~t.respondent.isin(["S25", "S26"]) & ~t.alter.isin(["S25", "S26"])
    both = s.responded("pre") & s.responded("post")
    pre = {(a, b) for a, b in t[keep & t.wave.eq("pre")][["respondent", "alter"]].values
           if a in both}
    post = {(a, b) for a, b in t[keep & t.wave.eq("post")][["respondent", "alter"]].values
            if a in both}
    j = res.jaccard.iloc[0]
    assert (j.kept, j.new, j.lost) == (len(pre & post), len(post - pre), len(pre - post))
