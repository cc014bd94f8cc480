"""Membership columns (first_wave / last_wave, issue 18) read with a wide export or a
network file: validated as read_survey validates them, each line naming the file
and row where the problem is."""

from __future__ import annotations

import pandas as pd
import pytest

import senatenet as sn

ROSTER = ("person_id,name,organisation,first_wave,last_wave\n"
          "a,Ann,X,,\nb,Bo,X,,\nc,Cy,Y,,pre\n")


@pytest.fixture
def roster(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    return path


def _lines(s, check):
    v = s.validation
    return v[v["check"] == check]


def test_wide_export_ties_outside_membership_dropped_naming_export_row(tmp_path, roster):
    # Cy left after "pre": Cy's post row (spreadsheet row 4) names Ann
    post = tmp_path / "post.csv"
    post.write_text("Name,Ann,Bo,Cy\nAnn,,1,\nBo,1,,\nCy,1,,\n", encoding="utf-8")
    s = sn.read_wide_survey(post, roster=roster, respondent_column="Name", wave="post",
                            waves=["pre", "post"])
    assert sorted(zip(s.ties["respondent"], s.ties["alter"], strict=True)) == [
        ("a", "b"), ("b", "a")]
    line = _lines(s, "tie_outside_membership")
    assert len(line) == 1
    assert line["file"].iloc[0] == str(post) and line["row"].iloc[0] == 4
    assert _lines(s, "member_left")["file"].tolist() == ["roster.csv"]


def test_membership_wave_unknown_is_an_error_naming_the_roster_row(roster, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(ROSTER.replace("Y,,pre", "Y,,middle"), encoding="utf-8")
    s = sn.read_ucinet_dl("DL N=3\nLABELS:\na b c\nDATA:\n0 1 1\n1 0 0\n1 1 0\n",
                          roster=bad, wave="pre")
    line = _lines(s, "unknown_membership_wave")
    assert line["severity"].tolist() == ["error"]
    assert (line["file"].iloc[0], line["row"].iloc[0], line["column"].iloc[0]) == \
        ("bad.csv", 4, "last_wave")


@pytest.mark.parametrize("reader", ["dl", "pajek"])
def test_network_file_ties_outside_membership_dropped_naming_file_row(reader, roster,
                                                                      tmp_path):
    # two waves in one file; Cy (left after "pre") nominates Ann in "post"
    if reader == "dl":
        path = tmp_path / "net.dl"
        path.write_text("DL N=3 NM=2\nLABELS:\na b c\nLEVEL LABELS:\npre post\nDATA:\n"
                        "0 1 0\n1 0 0\n1 0 0\n0 1 0\n1 0 0\n1 0 0\n")
        s = sn.read_ucinet_dl(path, roster=roster, matrices_as="waves")
        row = 12  # Cy's row of the second matrix
    else:
        path = tmp_path / "net.paj"
        path.write_text('*Network pre\n*Vertices 3\n1 "a"\n2 "b"\n3 "c"\n*Arcs\n1 2\n2 1\n'
                        '3 1\n*Network post\n*Vertices 3\n1 "a"\n2 "b"\n3 "c"\n*Arcs\n1 2\n'
                        '2 1\n3 1\n')
        s = sn.read_pajek(path, roster=roster, networks_as="waves")
        row = 18  # the arc 3 1 of "post"
    assert s.waves == ("pre", "post")
    kept = s.ties[["wave", "respondent", "alter"]].values.tolist()
    assert ["pre", "c", "a"] in kept and ["post", "c", "a"] not in kept and len(kept) == 5
    out = _lines(s, "tie_outside_membership")
    assert (out["file"].tolist(), out["row"].tolist()) == ([str(path)], [row])


def test_one_wave_network_file_reports_a_membership_wave_it_does_not_have(roster, tmp_path):
    # the roster's "pre" is not a wave of this one-wave matrix: an error line naming the
    # roster row, and Cy counted a member (nothing guessed, nothing dropped silently)
    path = tmp_path / "post.csv"
    path.write_text(",a,b,c\na,0,1,0\nb,1,0,0\nc,1,0,0\n")
    s = sn.read_adjacency_matrix(path, roster=roster, wave="post")
    line = _lines(s, "unknown_membership_wave")
    assert (line["file"].tolist(), line["row"].tolist()) == (["roster.csv"], [4])
    assert ["c", "a"] in s.ties[["respondent", "alter"]].values.tolist()


def test_reader_strengths_are_the_reader_values_not_parsed_text():
    # 0.1 + 0.2 is not 0.3 in binary; the Survey holds exactly the value the file gave
    s = sn.read_pajek('*Vertices 2\n1 a\n2 b\n*Arcs\n1 2 0.30000000000000004\n2 1 1e-300\n')
    assert s.ties["strength"].tolist() == [0.1 + 0.2, 1e-300]
    assert s.ties["strength"].dtype == "float64"
    wide = pd.DataFrame({"Name": ["a", "b"], "a": ["", "2.5"], "b": ["7", ""]})
    roster = pd.DataFrame({"person_id": ["a", "b"], "name": ["a", "b"],
                           "organisation": ["X", "Y"]})
    s = sn.read_wide_survey(wide, roster=roster, respondent_column="Name", wave="1")
    assert s.ties["strength"].tolist() == [7.0, 2.5]


def test_labels_with_spaces_keep_their_values_and_source_rows():
    # madrid.dat (nwcommands) quotes labels with a trailing space; read_survey trims
    # the ids, and each kept tie still takes the file's value and row
    s = sn.read_ucinet_dl('DL N=2\nLABELS:\n"a ","b"\nDATA:\n0 2.5\n1 0\n')
    assert s.ties[["respondent", "alter", "strength", "source_row"]].values.tolist() == [
        ["a", "b", 2.5, 5], ["b", "a", 1.0, 6]]
