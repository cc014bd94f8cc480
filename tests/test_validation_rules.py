"""Each validation rule on a small bad file: what is reported, where, and what is done."""

from __future__ import annotations

import pandas as pd
import pytest

import senatenet as sn
from senatenet.errors import InputError, SurveyError

ROSTER = """person_id,name,organisation
p1,Ann,Org A
p2,Bo,Org A
p3,Cy,Org B
"""
TIES = """wave,respondent,alter,relation,strength
pre,p1,p2,knows,1
pre,p2,p3,knows,2
"""


def files(tmp_path, roster=ROSTER, ties=TIES, respondents=None):
    (tmp_path / "roster.csv").write_text(roster, encoding="utf-8")
    (tmp_path / "ties.csv").write_text(ties, encoding="utf-8")
    out = {"roster": tmp_path / "roster.csv", "ties": tmp_path / "ties.csv"}
    if respondents is not None:
        (tmp_path / "resp.csv").write_text(respondents, encoding="utf-8")
        out["respondents"] = tmp_path / "resp.csv"
    return out


def read(tmp_path, **kw):
    waves = kw.pop("waves", None)
    strict = kw.pop("strict", False)
    f = files(tmp_path, **kw)
    return sn.read_survey(f["roster"], f["ties"], respondents=f.get("respondents"),
                          waves=waves, strict=strict)


def found(survey, check):
    """Validation lines of one rule, as (severity, file, row, column, value, action)."""
    v = survey.validation
    v = v[v["check"].eq(check)]
    return [
        (r.severity, r.file, None if pd.isna(r.row) else int(r.row),
         r.column if isinstance(r.column, str) else None,
         r.value if isinstance(r.value, str) else None, r.action)
        for r in v.itertuples()
    ]


def with_respondents(ties=TIES):
    return {"ties": ties, "respondents": "wave,person_id\npre,p1\npre,p2\n"}


# ------------------------------------------------------------- unusable input


@pytest.mark.parametrize("table, header, column", [
    ("roster", "person_id,name\np1,Ann\n", "organisation"),
    ("roster", "name,organisation\nAnn,A\n", "person_id"),
    ("ties", "wave,respondent\npre,p1\n", "alter"),
    ("ties", "respondent,alter\np1,p2\n", "wave"),
    ("respondents", "wave\npre\n", "person_id"),
])
def test_missing_required_column_raises_naming_file_and_column(tmp_path, table, header,
                                                              column):
    kw = {table: header}
    if table == "respondents":
        kw = with_respondents() | kw
    with pytest.raises(InputError) as err:
        read(tmp_path, **kw)
    assert err.value.column == column
    assert err.value.file == {"roster": "roster.csv", "ties": "ties.csv",
                              "respondents": "resp.csv"}[table]
    assert f"no {column!r} column" in str(err.value)


@pytest.mark.parametrize("table", ["roster", "ties"])
def test_empty_files_raise(tmp_path, table):
    with pytest.raises(InputError, match=f"file '{table}.csv'.*empty"):
        read(tmp_path, **{table: ""})
    header = {"roster": "person_id,organisation\n", "ties": "wave,respondent,alter\n"}
    with pytest.raises(InputError, match=f"file '{table}.csv'.*no data rows"):
        read(tmp_path, **{table: header[table]})


# ----------------------------------------------------------------- roster rules


def test_blank_person_id_is_dropped(tmp_path):
    s = read(tmp_path, roster=ROSTER + ",Dee,Org B\n")
    assert found(s, "blank_id") == [("error", "roster.csv", 5, "person_id", "", "dropped")]
    assert list(s.people.index) == ["p1", "p2", "p3"]


def test_duplicate_person_id_keeps_the_first(tmp_path):
    s = read(tmp_path, roster=ROSTER + "p2,Bob Two,Org B\n")
    assert found(s, "duplicate_person_id") == [
        ("error", "roster.csv", 5, "person_id", "p2", "dropped")]
    assert "first at row 3" in s.validation["problem"].iloc[0]
    assert s.people.loc["p2", "name"] == "Bo"


def test_person_without_organisation_is_kept_in_a_placeholder_group(tmp_path):
    s = read(tmp_path, roster=ROSTER + "p4,Dee,\n")
    assert found(s, "no_organisation") == [
        ("warning", "roster.csv", 5, "organisation", "", "changed")]
    assert s.people.loc["p4", "organisation"] == "(no organisation)"
    assert s.person_graph("pre").nodes["p4"]["organisation"] == "(no organisation)"


def test_organisation_spellings_merged_only_for_case_and_spaces_by_default(tmp_path):
    roster = ("person_id,organisation\n1,leeds ccg\n2,Leeds CCG\n3,Leeds  CCG.\n"
              "4,Leeds CCG\n5,St James's\n6,st. james’s\n7,St Jamess\n8,Trust\n"
              "9,PC\n10,PC*\n")
    ties = "wave,respondent,alter\npre,1,2\n"
    s = read(tmp_path, roster=roster, ties=ties)
    assert s.people["organisation"].tolist() == [
        "Leeds CCG", "Leeds CCG", "Leeds  CCG.", "Leeds CCG",
        "St James's", "st. james’s", "St Jamess", "Trust", "PC", "PC*"]
    assert found(s, "organisation_spelling") == [
        ("warning", "roster.csv", 2, "organisation", "leeds ccg", "merged")]
    problem = s.validation.set_index("row").loc[2, "problem"]
    assert "merged into 'Leeds CCG'" in problem
    suggested = s.validation[s.validation["check"] == "possible_duplicate_organisation"]
    assert sorted(suggested["value"]) == ["Leeds CCG, Leeds  CCG.", "PC, PC*",
                                          "St James's, st. james’s, St Jamess"]
    assert set(suggested["severity"]) == {"info"}


def test_organisation_suggestions_merged_on_request(tmp_path):
    roster = ("person_id,organisation\n1,leeds ccg\n2,Leeds CCG\n3,Leeds  CCG.\n"
              "4,Leeds CCG\n5,St James's\n6,st. james’s\n7,St Jamess\n8,Trust\n")
    f = files(tmp_path, roster=roster, ties="wave,respondent,alter\npre,1,2\n")
    s = sn.read_survey(f["roster"], f["ties"], merge_organisations="similar")
    assert s.people["organisation"].tolist() == [
        "Leeds CCG", "Leeds CCG", "Leeds CCG", "Leeds CCG",
        "St James's", "St James's", "St James's", "Trust"]
    assert found(s, "organisation_spelling") == [
        ("warning", "roster.csv", 2, "organisation", "leeds ccg", "merged"),
        ("warning", "roster.csv", 4, "organisation", "Leeds  CCG.", "merged"),
        ("warning", "roster.csv", 7, "organisation", "st. james’s", "merged"),
        ("warning", "roster.csv", 8, "organisation", "St Jamess", "merged"),
    ]
    none = sn.read_survey(f["roster"], f["ties"], merge_organisations="none")
    assert none.people["organisation"].nunique() == 7
    assert found(none, "organisation_spelling") == []


def test_organisation_spelling_tie_goes_to_first_appearance(tmp_path):
    roster = "person_id,organisation\n1,NHS trust\n2,NHS Trust\n"
    s = read(tmp_path, roster=roster, ties="wave,respondent,alter\npre,1,2\n")
    assert s.people["organisation"].tolist() == ["NHS trust", "NHS trust"]


def test_participant_values(tmp_path):
    roster = ("person_id,organisation,participant\n1,A,Yes\n2,A,0\n3,B,\n4,B,maybe\n")
    s = read(tmp_path, roster=roster, ties="wave,respondent,alter\npre,1,2\n")
    assert s.people["participant"].tolist() == [True, False, pd.NA, pd.NA]
    assert found(s, "participant_value") == [
        ("warning", "roster.csv", 5, "participant", "maybe", "changed")]


def test_whitespace_around_ids_is_trimmed_and_reported(tmp_path):
    s = read(tmp_path, roster="person_id,name,organisation\n p1 ,Ann,Org A\np2,Bo ,Org A\n",
             ties="wave,respondent,alter\npre ,p1,p2\n")
    assert list(s.people.index) == ["p1", "p2"]
    assert s.waves == ("pre",)
    assert found(s, "whitespace_trimmed") == [
        ("info", "roster.csv", 2, "person_id", " p1 ", "changed"),
        ("info", "roster.csv", 3, "name", "Bo ", "changed"),
        ("info", "ties.csv", 2, "wave", "pre ", "changed"),
    ]


# ------------------------------------------------------------------ ties rules


def test_blank_cells_in_ties_are_dropped(tmp_path):
    s = read(tmp_path, ties=TIES + ",p1,p3,knows,1\npre,,p3,knows,1\npre,p1,,knows,1\n"
             "pre,p3,p1,,1\n")
    got = {(row, column) for _, _, row, column, _, _ in
           found(s, "blank_wave") + found(s, "blank_respondent") + found(s, "blank_alter")
           + found(s, "blank_relation")}
    assert got == {(4, "wave"), (5, "respondent"), (6, "alter"), (7, "relation")}
    assert len(s.ties) == 2


def test_unknown_respondent_or_alter_is_dropped(tmp_path):
    s = read(tmp_path, ties=TIES + "pre,p9,p1,knows,1\npre,p1,Zed,knows,1\n")
    assert found(s, "unknown_person") == [
        ("error", "ties.csv", 4, "respondent", "p9", "dropped"),
        ("error", "ties.csv", 5, "alter", "Zed", "dropped"),
    ]


def test_names_resolve_to_ids_and_ids_take_precedence(tmp_path):
    roster = "person_id,name,organisation\np1,Ann,A\np2,Bo,A\np3,p3,B\n"
    ties = "wave,respondent,alter\npre,Ann,Bo\npre,Ann,p3\npre,p2,Ann\n"
    s = read(tmp_path, roster=roster, ties=ties)
    assert s.ties[["respondent", "alter"]].values.tolist() == [
        ["p1", "p2"], ["p1", "p3"], ["p2", "p1"]]
    lines = found(s, "name_resolved")
    assert [(row, col, value) for _, _, row, col, value, _ in lines] == [
        (2, "respondent", "Ann"), (2, "alter", "Bo"), (4, "alter", "Ann")]
    assert "(2 row(s))" in s.validation.query("check == 'name_resolved'")["problem"].iloc[0]


def test_ambiguous_names_are_dropped_not_guessed(tmp_path):
    # "Ann" names two people; "p2" is the id of p2 and the name of p3
    roster = "person_id,name,organisation\np1,Ann,A\np2,Bo,A\np3,p2,B\np4,Ann,B\n"
    ties = "wave,respondent,alter\npre,Ann,p3\npre,p1,p2\npre,p1,p4\n"
    s = read(tmp_path, roster=roster, ties=ties)
    assert found(s, "ambiguous_person") == [
        ("error", "ties.csv", 2, "respondent", "Ann", "dropped"),
        ("error", "ties.csv", 3, "alter", "p2", "dropped"),
    ]
    assert s.ties[["respondent", "alter"]].values.tolist() == [["p1", "p4"]]
    assert {r[2] for r in found(s, "shared_name")} == {2, 5}
    assert found(s, "name_is_other_id") == [
        ("warning", "roster.csv", 4, "name", "p2", "kept")]


def test_self_nomination_is_dropped(tmp_path):
    s = read(tmp_path, ties=TIES + "pre,p1,Ann,knows,1\n")
    assert found(s, "self_nomination") == [
        ("error", "ties.csv", 4, "alter", "Ann", "dropped")]


def test_duplicate_nominations_keep_the_first(tmp_path):
    ties = TIES + "pre,p1,p2,knows,1\npre,p1,Bo,knows,5\npre,p1,p2,advice,3\npost,p1,p2,knows,2\n"
    s = read(tmp_path, ties=ties)
    assert found(s, "duplicate_nomination") == [
        ("warning", "ties.csv", 4, "alter", "p2", "dropped"),
        ("error", "ties.csv", 5, "alter", "Bo", "dropped"),
    ]
    kept = s.ties.set_index(["wave", "respondent", "alter", "relation"])["strength"]
    assert kept[("pre", "p1", "p2", "knows")] == 1.0
    assert len(s.ties) == 4  # other relation and other wave are not duplicates


def test_strength_rules(tmp_path):
    ties = (TIES + "pre,p1,p3,knows,\npre,p3,p1,knows,often\npre,p3,p2,knows,-1\n"
            "pre,p2,p1,knows,0\npre,p3,Ann,knows,inf\npre,p3,Bo,knows,2.5\n")
    s = read(tmp_path, ties=ties)
    assert found(s, "blank_strength") == [("info", "ties.csv", 4, "strength", "", "changed")]
    assert found(s, "non_numeric_strength") == [
        ("error", "ties.csv", 5, "strength", "often", "dropped"),
        ("error", "ties.csv", 8, "strength", "inf", "dropped")]
    assert found(s, "negative_strength") == [
        ("error", "ties.csv", 6, "strength", "-1", "dropped")]
    assert found(s, "zero_strength") == [("warning", "ties.csv", 7, "strength", "0", "kept")]
    assert s.ties.set_index("source_row")["strength"].to_dict() == {
        2: 1.0, 3: 2.0, 4: 1.0, 7: 0.0, 9: 2.5}


def test_absent_strength_and_relation_columns_default(tmp_path):
    s = read(tmp_path, ties="wave,respondent,alter\npre,p1,p2\n")
    assert s.ties[["relation", "strength"]].values.tolist() == [["tie", 1.0]]
    assert found(s, "default_strength") == [("info", "ties.csv", None, None, None, "kept")]
    assert len(found(s, "default_relation")) == 1
    s = read(tmp_path, ties="wave,respondent,alter,relation\npre,p1,p2,\n")
    assert s.relations == ("tie",)


def test_ties_from_non_respondents_are_kept_with_a_warning(tmp_path):
    s = read(tmp_path, **with_respondents(TIES + "pre,p3,p1,knows,1\n"))
    assert found(s, "tie_from_non_respondent") == [
        ("warning", "ties.csv", 4, "respondent", "p3", "kept")]
    assert len(s.ties) == 3 and "p3" not in s.responded("pre")


def test_respondents_inferred_without_a_respondents_table(tmp_path):
    s = read(tmp_path)
    assert s.respondents_inferred
    assert found(s, "respondents_inferred") == [
        ("warning", "ties.csv", None, None, None, "inferred")]
    assert s.responded("pre") == {"p1", "p2"}


def test_respondents_table_rules(tmp_path):
    resp = "wave,person_id\npre,p1\npre,Bo\npre,p1\npre,p9\n,p3\npost,p3\n"
    s = read(tmp_path, ties=TIES, respondents=resp)
    assert found(s, "duplicate_respondent") == [
        ("info", "resp.csv", 4, "person_id", "p1", "dropped")]
    assert found(s, "unknown_person") == [
        ("error", "resp.csv", 5, "person_id", "p9", "dropped")]
    assert found(s, "blank_wave") == [("error", "resp.csv", 6, "wave", "", "dropped")]
    assert s.waves == ("pre", "post")  # first appearance: ties, then respondents
    assert s.responded("post") == {"p3"} and s.responded("pre") == {"p1", "p2"}
    assert not s.respondents_inferred


def test_waves_given_by_the_caller(tmp_path):
    ties = TIES + "Pre,p1,p3,knows,1\npost,p3,p1,knows,1\n"
    s = read(tmp_path, ties=ties, waves=["post", "pre", "follow-up"])
    assert s.waves == ("post", "pre", "follow-up")
    assert found(s, "unknown_wave") == [("error", "ties.csv", 4, "wave", "Pre", "dropped")]
    assert found(s, "empty_wave") == [
        ("warning", "ties.csv", None, None, "follow-up", "kept")]
    with pytest.raises(InputError, match="strings"):
        read(tmp_path, waves=[1.5])
    with pytest.raises(InputError, match="waves= is empty"):
        read(tmp_path, waves=[])  # not a survey whose every row is dropped


def test_wave_labels_stay_text(tmp_path):
    s = read(tmp_path, ties="wave,respondent,alter\n2012-03,p1,p2\n01,p2,p1\n1,p1,p3\n")
    assert s.waves == ("2012-03", "01", "1")


# ---------------------------------------------------------- strict and totals


def test_strict_raises_survey_error_listing_places(tmp_path):
    with pytest.raises(SurveyError) as err:
        read(tmp_path, ties=TIES + "pre,p1,p1,knows,1\npre,p1,p9,knows,1\n", strict=True)
    msg = str(err.value)
    assert "2 error(s)" in msg
    assert "file 'ties.csv', row 4, column 'alter', value 'p1': self-nomination" in msg
    assert "row 5, column 'alter', value 'p9': unknown alter" in msg
    assert set(err.value.problems["severity"]) == {"error", "warning"}


def test_strict_accepts_warnings_only(tmp_path):
    s = read(tmp_path, roster=ROSTER + "p4,Dee,org b\n", strict=True)
    assert set(s.validation["severity"]) == {"warning"}


def test_no_tie_row_is_lost_silently(tmp_path):
    ties = ("wave,respondent,alter,relation,strength\n"
            "pre,p1,p2,knows,1\npre,p1,p2,knows,1\n,p1,p2,knows,1\npre,p1,p1,knows,1\n"
            "pre,p1,zz,knows,1\npre,p1,p3,knows,x\npre,p2,p3,knows,-2\n\n"
            "pre,p3,p2,knows,\npre,Ann,Cy,advice,4\n")
    s = read(tmp_path, ties=ties)
    data_rows = set(range(2, 12))
    v = s.validation[s.validation["file"].eq("ties.csv")]
    dropped = set(v.loc[v["action"].eq("dropped"), "row"].astype(int))
    kept = set(s.ties["source_row"])
    assert kept.isdisjoint(dropped)
    assert kept | dropped == data_rows
    assert set(v.loc[v["action"].eq("changed"), "row"].astype(int)) == {10, 11}


def test_validation_report_columns_and_summary(tmp_path):
    s = read(tmp_path, ties=TIES + "pre,p1,p1,knows,1\n")
    assert tuple(s.validation.columns) == sn.VALIDATION_COLUMNS
    assert s.validation["row"].dtype == "Int64"
    summary = s.validation_summary()
    assert summary.to_dict("records")[0] == {
        "severity": "error", "check": "self_nomination", "action": "dropped", "count": 1}
    assert "1 errors, 1 warnings" in repr(s)


def test_a_roster_without_any_usable_person_is_unusable(tmp_path):
    with pytest.raises(SurveyError, match="no usable person") as err:
        read(tmp_path, roster="person_id,organisation\n,A\n  ,B\n")
    problems = err.value.problems
    assert problems.loc[problems["check"].eq("blank_id"), "row"].tolist() == [2, 3]


def test_wave_order_is_first_appearance_in_the_file_even_when_rows_are_dropped(tmp_path):
    ties = "wave,respondent,alter\npre,p1,p1\npost,p1,p2\npre,p2,p3\n"
    s = read(tmp_path, ties=ties)  # the first 'pre' row is a dropped self-nomination
    assert s.waves == ("pre", "post")


def test_a_wave_only_in_the_respondents_table_is_reported(tmp_path):
    s = read(tmp_path, respondents="wave,person_id\npre,p1\nPost,p2\n")
    assert s.waves[-1] == "Post"
    assert found(s, "empty_wave") == [
        ("warning", "resp.csv", None, None, "Post", "kept")]


def test_extra_roster_columns_that_the_graphs_overwrite_are_reported(tmp_path):
    roster = "person_id,name,organisation,responded,Kind\np1,A,X,no,GP\np2,B,X,yes,GP\n"
    s = read(tmp_path, roster=roster, ties="wave,respondent,alter\npre,p1,p2\n")
    assert found(s, "reserved_column") == [
        ("warning", "roster.csv", None, "responded", None, "kept")]
    assert s.people["responded"].tolist() == ["no", "yes"]  # the roster's own values
    assert s.person_graph("pre").nodes["p1"]["responded"] is True


def test_wave_and_relation_labels_differing_only_in_case_are_reported(tmp_path):
    ties = TIES + "Pre,p1,p3,Knows,1\n"
    s = read(tmp_path, ties=ties)
    assert "Pre" in s.waves and "Knows" in s.relations  # kept apart, never merged
    assert found(s, "similar_wave") == [
        ("warning", "ties.csv", None, "wave", "pre, Pre", "kept")]
    assert found(s, "similar_relation") == [
        ("warning", "ties.csv", None, "relation", "knows, Knows", "kept")]
    given = read(tmp_path, ties=ties, waves=["pre", "post"])
    assert found(given, "similar_wave") == [] and found(given, "unknown_wave")


def test_unknown_people_get_a_hint_but_are_never_guessed(tmp_path):
    roster = "person_id,name,organisation\n001,Ann Archer,X\np2,Bo,Y\n"
    ties = "wave,respondent,alter\npre,1,p2\npre,Dr ANN ARCHER,p2\npre,Zed,p2\n"
    s = read(tmp_path, roster=roster, ties=ties)
    v = s.validation[s.validation["check"] == "unknown_person"]
    assert v["row"].tolist() == [2, 3, 4]  # all dropped, hints or not
    assert v["problem"].str.contains("did you mean").tolist() == [True, True, False]
    assert "did you mean '001' (Ann Archer)?" in v["problem"].iloc[1]
    assert len(s.ties) == 0


def test_respondents_table_with_a_responded_column(tmp_path):
    resp = "wave,person_id,Answered\npre,p1,yes\npre,p2,No\npre,p3,maybe\n"
    s = read(tmp_path, respondents=resp)
    assert s.responded("pre") == frozenset({"p1"})
    assert found(s, "column_renamed")[0][4] == "Answered"
    assert found(s, "not_responded") == [("info", "resp.csv", 3, "responded", "No", "dropped")]
    assert found(s, "responded_value") == [
        ("error", "resp.csv", 4, "responded", "maybe", "dropped")]
