"""Survey object and person/organisation/affiliation graphs on hand-computed data.

The tiny fixture (tests/fixtures/foundation/tiny): A = {a1, a2, a3},
B = {b1, b2}, C = {c1}. Wave ``pre``, relation ``knows`` has the arcs
a1->a2 (3), a2->a1 (2), a1->b1 (1), b1->a1 (4), b1->a3 (2), c1->b2 (5),
a2->c1 (1). Respondents: pre {a1, a2, b1, c1}; post {a1, a2, a3, b1, b2}.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

import senatenet as sn
from senatenet.errors import InputError, SenatenetError

TINY = Path(__file__).parent / "fixtures" / "foundation" / "tiny"
PRE_KNOWS = {
    ("a1", "a2"): 3.0, ("a2", "a1"): 2.0, ("a1", "b1"): 1.0, ("b1", "a1"): 4.0,
    ("b1", "a3"): 2.0, ("c1", "b2"): 5.0, ("a2", "c1"): 1.0,
}


@pytest.fixture(scope="module")
def survey() -> sn.Survey:
    return sn.read_survey(TINY / "roster.csv", TINY / "ties.csv",
                          respondents=TINY / "respondents.csv")


def arcs(G) -> dict:
    return {(u, v): d["strength"] for u, v, d in G.edges(data=True)}


def edges(G) -> dict:
    return {frozenset((u, v)): d["strength"] for u, v, d in G.edges(data=True)}


# ---------------------------------------------------------------- Survey API


def test_survey_tables_follow_the_contract(survey):
    assert survey.waves == ("pre", "post")
    assert survey.relations == ("knows", "advice")
    assert list(survey.people.index) == ["a1", "a2", "a3", "b1", "b2", "c1"]
    assert survey.people.index.name == "person_id"
    assert list(survey.people.columns) == [
        "name", "organisation", "role", "sector", "cohort", "participant", "grade"]
    assert survey.people["participant"].tolist() == [True, True, False, True, False, True]
    assert survey.people.loc["a1", "grade"] == "7"  # extra column stays text
    assert list(survey.ties.columns) == [
        "wave", "respondent", "alter", "relation", "strength", "source_row"]
    assert survey.ties["strength"].dtype == "float64"
    assert survey.ties["source_row"].tolist() == list(range(2, 17))
    assert not survey.respondents_inferred
    assert list(survey.respondents.columns) == ["wave", "person_id"]
    assert survey.validation.empty


def test_responded_and_response_rates(survey):
    assert survey.responded("pre") == frozenset({"a1", "a2", "b1", "c1"})
    assert survey.responded("post") == frozenset({"a1", "a2", "a3", "b1", "b2"})
    rates = survey.response_rates()
    assert list(rates.columns) == [
        "wave", "organisation", "people", "respondents", "response_rate"]
    got = {(r.wave, r.organisation): (r.people, r.respondents, r.response_rate)
           for r in rates.itertuples()}
    assert got == {
        ("pre", "Org A"): (3, 2, pytest.approx(2 / 3)),
        ("pre", "Org B"): (2, 1, 0.5), ("pre", "Org C"): (1, 1, 1.0),
        ("post", "Org A"): (3, 3, 1.0), ("post", "Org B"): (2, 2, 1.0),
        ("post", "Org C"): (1, 0, 0.0),
    }
    with pytest.raises(InputError, match="unknown wave 'mid'.*'pre', 'post'"):
        survey.responded("mid")


def test_survey_tables_are_copies(survey):
    people = survey.people
    people.loc["a1", "name"] = "changed"
    ties = survey.ties
    ties.loc[0, "alter"] = "zz"
    survey.sources["roster"] = "x"
    assert survey.people.loc["a1", "name"] == "Ann Archer"
    assert survey.ties.loc[0, "alter"] == "a2"
    assert survey.sources["roster"].endswith("roster.csv")


def test_replace_keeps_everything_else(survey):
    renamed = survey.people.assign(name=[f"Person {i}" for i in range(6)])
    s2 = survey.replace(people=renamed)
    assert s2.people["name"].tolist()[0] == "Person 0"
    assert survey.people["name"].tolist()[0] == "Ann Archer"
    assert s2.waves == survey.waves and s2.relations == survey.relations
    pd.testing.assert_frame_equal(s2.ties, survey.ties)
    pd.testing.assert_frame_equal(s2.respondents, survey.respondents)
    assert s2.sources == survey.sources and s2.hashes == survey.hashes
    assert arcs(s2.person_graph("pre", "knows")) == PRE_KNOWS
    with pytest.raises(TypeError, match="cannot replace"):
        survey.replace(colour="red")
    with pytest.raises(InputError, match="not in people"):
        survey.replace(people=renamed.rename(index={"a1": "x1"}))


def test_repr_and_html_summary_escape_text():
    roster = pd.DataFrame({"person_id": ["p1", "p2"],
                           "organisation": ["<script>alert(1)</script>", "B"]})
    ties = pd.DataFrame({"wave": ["<b>pre</b>"], "respondent": ["p1"], "alter": ["p2"]})
    s = sn.read_survey(roster, ties)
    assert repr(s).startswith("<Survey: 2 people in 2 organisations; waves ['<b>pre</b>']")
    assert "0 errors, 1 warnings" in repr(s)
    html = s._repr_html_()
    assert "<script>" not in html and "<b>pre" not in html
    assert "&lt;b&gt;pre&lt;/b&gt;" in html


def test_survey_constructor_checks_consistency():
    people = pd.DataFrame({"organisation": ["A", "B"]},
                          index=pd.Index(["p1", "p2"], name="person_id"))
    with pytest.raises(InputError, match="not in people: 'p9'"):
        sn.Survey(people, pd.DataFrame({"wave": ["1"], "respondent": ["p1"],
                                        "alter": ["p9"]}))
    with pytest.raises(InputError, match="appear in the data but not in"):
        sn.Survey(people, pd.DataFrame({"wave": ["1"], "respondent": ["p1"],
                                        "alter": ["p2"]}), waves=["2"])
    with pytest.raises(InputError, match="missing wave"):  # not a wave called nan
        sn.Survey(people, pd.DataFrame({"wave": [None], "respondent": ["p1"],
                                        "alter": ["p2"]}))
    with pytest.raises(InputError, match="missing relation"):
        sn.Survey(people, pd.DataFrame({"wave": ["1"], "respondent": ["p1"],
                                        "alter": ["p2"], "relation": [None]}))
    with pytest.raises(InputError, match="to themself"):  # would be a self-loop
        sn.Survey(people, pd.DataFrame({"wave": ["1"], "respondent": ["p1"],
                                        "alter": ["p1"]}))
    with pytest.raises(InputError, match="duplicate tie 'p1' -> 'p2'.*row 3"):
        sn.Survey(people, pd.DataFrame({"wave": ["1", "1"], "respondent": ["p1", "p1"],
                                        "alter": ["p2", "p2"], "strength": [1, 5]}))


# --------------------------------------------------------------- person graph


def test_person_graph_absent_is_the_observed_arcs(survey):
    G = survey.person_graph("pre", "knows")
    assert isinstance(G, nx.DiGraph)
    assert list(G.nodes) == ["a1", "a2", "a3", "b1", "b2", "c1"]  # isolates kept
    assert arcs(G) == PRE_KNOWS
    assert G.nodes["a1"] == {
        "name": "Ann Archer", "organisation": "Org A", "role": "chair",
        "sector": "commissioner", "cohort": "2012", "participant": True, "grade": "7",
        "responded": True}
    assert "role" not in G.nodes["a3"]  # blank roster cell sets no attribute
    assert G.nodes["a3"]["responded"] is False
    assert G.graph == {"wave": "pre", "relation": "knows", "min_strength": None,
                       "symmetrize": None, "missing": "absent", "panel_waves": None,
                       "excluded": []}


def test_person_graph_reconstruct_copies_ties_to_non_respondents(survey):
    # non-respondents in pre: a3 (named by b1, 2) and b2 (named by c1, 5)
    G = survey.person_graph("pre", "knows", missing="reconstruct")
    assert arcs(G) == {**PRE_KNOWS, ("a3", "b1"): 2.0, ("b2", "c1"): 5.0}
    # a respondent's missing reciprocation is NOT reconstructed
    assert not G.has_edge("c1", "a2")


def test_person_graph_symmetrize(survey):
    U = survey.person_graph("pre", "knows", symmetrize="union")
    assert isinstance(U, nx.Graph) and not U.is_directed()
    assert edges(U) == {frozenset(("a1", "a2")): 3.0, frozenset(("a1", "b1")): 4.0,
                        frozenset(("a3", "b1")): 2.0, frozenset(("b2", "c1")): 5.0,
                        frozenset(("a2", "c1")): 1.0}
    R = survey.person_graph("pre", "knows", symmetrize="reciprocal")
    assert edges(R) == {frozenset(("a1", "a2")): 2.0, frozenset(("a1", "b1")): 1.0}
    assert R.number_of_nodes() == 6


def test_person_graph_min_strength(survey):
    G = survey.person_graph("pre", "knows", min_strength=2)
    assert arcs(G) == {k: v for k, v in PRE_KNOWS.items() if v >= 2}
    assert G.graph["min_strength"] == 2.0
    # threshold before symmetrisation: a1-b1 survives union through b1->a1 (4)
    U = survey.person_graph("pre", "knows", min_strength=4, symmetrize="union")
    assert edges(U) == {frozenset(("a1", "b1")): 4.0, frozenset(("b2", "c1")): 5.0}


def test_person_graph_panel(survey):
    G = survey.person_graph("pre", "knows", missing="panel")
    # responded in both waves: a1, a2, b1
    assert list(G.nodes) == ["a1", "a2", "b1"]
    assert G.graph["excluded"] == ["a3", "b2", "c1"]
    assert G.graph["panel_waves"] == ("pre", "post")
    assert arcs(G) == {("a1", "a2"): 3.0, ("a2", "a1"): 2.0, ("a1", "b1"): 1.0,
                       ("b1", "a1"): 4.0}
    P = survey.person_graph("pre", "knows", missing="panel", panel_waves=["pre"])
    assert G.graph["excluded"] == ["a3", "b2", "c1"] and P.graph["excluded"] == ["a3", "b2"]
    assert set(arcs(P)) == {("a1", "a2"), ("a2", "a1"), ("a1", "b1"), ("b1", "a1"),
                            ("a2", "c1")}


def test_person_graph_bad_options_raise_clear_errors(survey):
    with pytest.raises(SenatenetError, match=r"several relations \['knows', 'advice'\]"):
        survey.person_graph("pre")
    with pytest.raises(InputError, match=r"unknown relation 'trust'.*'knows', 'advice'"):
        survey.person_graph("pre", "trust")
    with pytest.raises(InputError, match=r"unknown wave 'Pre'; waves: \['pre', 'post'\]"):
        survey.person_graph("Pre", "knows")
    with pytest.raises(InputError, match="symmetrize"):
        survey.person_graph("pre", "knows", symmetrize="max")
    with pytest.raises(InputError, match="missing must be"):
        survey.person_graph("pre", "knows", missing="impute")
    with pytest.raises(InputError, match="min_strength"):
        survey.person_graph("pre", "knows", min_strength="2")
    with pytest.raises(InputError, match="only with missing='panel'"):
        survey.person_graph("pre", "knows", panel_waves=["pre"])
    with pytest.raises(InputError, match="unknown wave"):
        survey.person_graph("pre", "knows", missing="panel", panel_waves=["mid"])


def test_single_relation_needs_no_relation_argument():
    roster = pd.DataFrame({"person_id": ["p1", "p2"], "organisation": ["A", "B"]})
    ties = pd.DataFrame({"wave": ["1"], "respondent": ["p1"], "alter": ["p2"]})
    G = sn.read_survey(roster, ties).person_graph("1")
    assert G.graph["relation"] == "tie" and list(G.edges) == [("p1", "p2")]


def test_graphs_do_not_change_the_survey(survey):
    before = (survey.people, survey.ties, survey.respondents)
    for missing in ("absent", "reconstruct", "panel"):
        G = survey.person_graph("pre", "knows", missing=missing, symmetrize="union")
        G.nodes[next(iter(G))]["organisation"] = "mutated"
    for a, b in zip(before, (survey.people, survey.ties, survey.respondents), strict=True):
        pd.testing.assert_frame_equal(a, b)


# ---------------------------------------------------------- organisation graph


def test_org_graph_directed_block_densities(survey):
    OG = survey.org_graph("pre", "knows")
    assert list(OG.nodes) == ["Org A", "Org B", "Org C"]
    a, b, c = (OG.nodes[o] for o in OG.nodes)
    # A: a1<->a2 = 2 arcs of 3*2 ordered pairs
    assert (a["people"], a["respondents"], a["internal_ties"], a["internal_pairs"]) == (
        3, 2, 2, 6)
    assert a["internal_density"] == pytest.approx(1 / 3)
    assert (b["internal_ties"], b["internal_pairs"], b["internal_density"]) == (0, 2, 0.0)
    assert c["internal_pairs"] == 0 and math.isnan(c["internal_density"])
    # A-B: a1->b1, b1->a1, b1->a3 = 3 arcs of 2*3*2 = 12 ordered pairs
    assert OG.edges["Org A", "Org B"] == {"ties": 3, "pairs": 12, "density": 0.25}
    assert OG.edges["Org B", "Org C"] == {"ties": 1, "pairs": 4, "density": 0.25}
    assert OG.edges["Org A", "Org C"]["density"] == pytest.approx(1 / 6)
    assert OG.graph["level"] == "organisation" and OG.graph["relation"] == "knows"


def test_org_graph_symmetrized_densities(survey):
    OG = survey.org_graph("pre", "knows", symmetrize="union")
    assert (OG.nodes["Org A"]["internal_ties"], OG.nodes["Org A"]["internal_pairs"]) == (1, 3)
    assert OG.edges["Org A", "Org B"] == {"ties": 2, "pairs": 6, "density": pytest.approx(1 / 3)}
    assert OG.edges["Org B", "Org C"]["density"] == 0.5
    assert OG.edges["Org A", "Org C"]["density"] == pytest.approx(1 / 3)


def test_org_graph_panel_counts_only_panel_people(survey):
    OG = survey.org_graph("pre", "knows", missing="panel")
    assert [OG.nodes[o]["people"] for o in OG] == [2, 1, 0]
    assert OG.edges["Org A", "Org B"]["ties"] == 2
    assert not OG.has_edge("Org A", "Org C")


# ----------------------------------------------------------- affiliation graph


def test_affiliation_graph_is_bipartite_without_key_collisions():
    roster = pd.DataFrame({"person_id": ["A", "b"], "name": ["x", "y"],
                           "organisation": ["A", "A"]})
    ties = pd.DataFrame({"wave": ["1"], "respondent": ["A"], "alter": ["b"]})
    B = sn.read_survey(roster, ties).affiliation_graph()
    assert set(B) == {"person:A", "person:b", "organisation:A"}
    assert nx.is_bipartite(B)
    assert B.nodes["person:A"]["bipartite"] == 0 and B.nodes["person:A"]["person_id"] == "A"
    assert B.nodes["organisation:A"] == {"bipartite": 1, "kind": "organisation",
                                         "organisation": "A", "people": 2}
    assert set(B["organisation:A"]) == {"person:A", "person:b"}


# ---------------------------------------------- reference networks (R sna)


def _cases(reference_dir):
    cases = pd.read_csv(reference_dir / "expected" / "cases.tsv", sep="\t", dtype=str)
    return cases[cases["kind"].eq("single")]


@pytest.mark.reference
def test_graphs_match_sna_reference_networks(reference_dir):
    """Ties, density, dyad census and within-group ties agree with R sna."""
    checked = 0
    for case in _cases(reference_dir).itertuples():
        d = json.loads((reference_dir / "expected" / case.dataset / case.case /
                        "summary.json").read_text())
        spec = d["spec"]
        nodes = pd.read_csv(reference_dir / case.dataset / "nodes.csv", dtype=str,
                            keep_default_na=False)
        ties = pd.read_csv(reference_dir / case.dataset / "ties.csv", dtype=str,
                           keep_default_na=False)
        roster = pd.DataFrame({"person_id": nodes["id"],
                               "organisation": nodes[spec["group_col"]]})
        if "wave" not in ties:
            ties = ties.assign(wave="all")
        s = sn.read_survey(roster, ties.rename(columns={
            "source": "respondent", "target": "alter", "weight": "strength"}))
        G = s.person_graph(spec["wave"] or "all", spec["relation"],
                           symmetrize=None if spec["directed"] else "union")
        assert G.number_of_nodes() == d["n"]
        assert G.number_of_edges() == d["ties"], case.case
        assert nx.density(G) == pytest.approx(d["density"], abs=1e-9)
        if spec["directed"]:
            mutual = sum(1 for u, v in G.edges if u < v and G.has_edge(v, u))
            assert mutual == d["dyad_census"]["mutual"]
        OG = s.org_graph(spec["wave"] or "all", spec["relation"],
                        symmetrize=None if spec["directed"] else "union")
        kind = "out" if spec["directed"] else "undirected"
        whole = d["ei"]["whole"]["arcs" if spec["directed"] else "undirected"]
        for g in d["ei"]["groups"]:
            assert OG.nodes[g["group"]]["people"] == g["size"]
            assert OG.nodes[g["group"]]["internal_ties"] == g[kind]["I"]
        assert sum(t for _, _, t in OG.edges(data="ties")) == whole["E"]
        checked += 1
    assert checked >= 12


def test_affiliation_graph_roster_columns_cannot_clash_with_its_own_attributes():
    roster = pd.DataFrame({"person_id": ["p1"], "organisation": ["A"], "kind": ["GP"],
                           "bipartite": ["yes"]})
    s = sn.read_survey(roster, pd.DataFrame({"wave": ["1"], "respondent": ["p1"],
                                             "alter": ["p1"]}))
    node = s.affiliation_graph().nodes["person:p1"]
    assert (node["kind"], node["bipartite"]) == ("person", 0)


def test_survey_copies_the_tables_it_is_given():
    people = pd.DataFrame({"name": ["Ann", "Bo"], "organisation": ["A", "B"]},
                          index=pd.Index(["p1", "p2"], name="person_id"))
    ties = pd.DataFrame({"wave": ["1"], "respondent": ["p1"], "alter": ["p2"],
                         "strength": [2.0]})
    s = sn.Survey(people, ties)
    people.loc["p1", "organisation"] = "B"
    ties.loc[0, "strength"] = 9.0
    assert s.people.loc["p1", "organisation"] == "A"
    assert s.ties.loc[0, "strength"] == 2.0
    with pytest.raises(InputError, match="strength"):
        sn.Survey(people, ties.assign(strength=["often"]))
    with pytest.raises(InputError, match="finite and >= 0"):
        sn.Survey(people, ties.assign(strength=[-1.0]))


@pytest.mark.parametrize("symmetrize", [None, "union", "reciprocal"])
@pytest.mark.parametrize("missing", ["absent", "reconstruct", "panel"])
def test_org_graph_counts_the_person_graph_ties(survey, symmetrize, missing):
    """org_graph is computed without a person graph; both must agree."""
    for wave in survey.waves:
        opts = {"symmetrize": symmetrize, "missing": missing, "min_strength": 2}
        P = survey.person_graph(wave, "knows", **opts)
        OG = survey.org_graph(wave, "knows", **opts)
        org = dict(P.nodes(data="organisation"))
        counts: dict = {}
        for u, v in P.edges:
            key = frozenset((org[u], org[v]))
            counts[key] = counts.get(key, 0) + 1
        got = {frozenset((a, b)): t for a, b, t in OG.edges(data="ties")}
        got |= {frozenset((o,)): d["internal_ties"] for o, d in OG.nodes(data=True)
                if d["internal_ties"]}
        assert got == counts
        assert sum(d["people"] for _, d in OG.nodes(data=True)) == P.number_of_nodes()
        assert {k: v for k, v in OG.graph.items() if k != "level"} == P.graph


# ------------------------------------------------------------------ subset
PARTICIPANTS = ["a1", "a2", "b1", "c1"]  # participant = true in the tiny roster


def test_subset_keeps_every_tie_among_the_chosen_people(survey):
    sub = survey.subset(PARTICIPANTS)
    assert sub.people.index.tolist() == PARTICIPANTS
    # by hand: pre keeps a1->a2, a2->a1, a1->b1, b1->a1, a2->c1 (knows) and a1->a2
    # (advice); b1->a3 and c1->b2 go. post keeps a1->a2, a1->b1 (knows), b1->a1
    # (advice); a3->c1, b2->b1, b1->b2, a2->b2 go.
    kept = {(w, r, a, rel) for w, r, a, rel in
            sub.ties[["wave", "respondent", "alter", "relation"]].itertuples(index=False)}
    assert kept == {("pre", "a1", "a2", "knows"), ("pre", "a2", "a1", "knows"),
                    ("pre", "a1", "b1", "knows"), ("pre", "b1", "a1", "knows"),
                    ("pre", "a2", "c1", "knows"), ("pre", "a1", "a2", "advice"),
                    ("post", "a1", "a2", "knows"), ("post", "a1", "b1", "knows"),
                    ("post", "b1", "a1", "advice")}
    assert arcs(sub.person_graph("pre", "knows")) == {
        k: v for k, v in PRE_KNOWS.items() if set(k) <= set(PARTICIPANTS)}
    assert sub.responded("pre") == {"a1", "a2", "b1", "c1"}
    assert sub.responded("post") == {"a1", "a2", "b1"}
    assert sub.waves == survey.waves and sub.relations == survey.relations
    assert sub.people.loc["a1", "grade"] == survey.people.loc["a1", "grade"]
    line = sub.validation.iloc[-1]
    assert line["check"] == "subset" and line["severity"] == "info"
    assert line["problem"] == ("subset to 4 of 6 people: 2 people, 6 nominations and "
                               "2 respondent rows left out")
    assert len(sub.validation) == len(survey.validation) + 1


def test_subset_never_changes_the_original_and_keeps_text_ids(survey):
    before = (survey.people.copy(), survey.ties.copy(), survey.validation.copy())
    sub = survey.subset(("b1", "a1", "a1"))  # order and repeats do not matter
    assert sub.people.index.tolist() == ["a1", "b1"]
    pd.testing.assert_frame_equal(survey.people, before[0])
    pd.testing.assert_frame_equal(survey.ties, before[1])
    pd.testing.assert_frame_equal(survey.validation, before[2])
    people = pd.DataFrame({"organisation": ["A", "B", "B"]},
                          index=pd.Index(["007", "7", "NA"], name="person_id"))
    s = sn.Survey(people, pd.DataFrame({"wave": ["1", "1"], "respondent": ["007", "NA"],
                                        "alter": ["NA", "7"]}))
    sub = s.subset(["007", "NA"])
    assert sub.people.index.tolist() == ["007", "NA"]
    assert sub.ties[["respondent", "alter"]].values.tolist() == [["007", "NA"]]


def test_subset_is_loud_on_unknown_or_non_text_ids(survey):
    with pytest.raises(InputError, match="unknown person id.*'zz'"):
        survey.subset(["a1", "zz"])
    with pytest.raises(InputError, match="text"):
        survey.subset(["a1", 7])
    with pytest.raises(InputError, match="no people"):
        survey.subset([])
