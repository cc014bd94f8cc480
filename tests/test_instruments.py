"""Survey instruments: generated files follow each tool's documented rules, and each
tool's export of them reads back to exactly the ties that were answered."""

from __future__ import annotations

import json
import re
import zipfile
from xml.etree import ElementTree

import numpy as np
import pandas as pd
import pytest
from instrument_exports import (
    expected_ties,
    limesurvey_export,
    msforms_export,
    qualtrics_export,
    random_answers,
    redcap_export,
)

import senatenet
from senatenet.cli import main
from senatenet.errors import InputError, SurveyError
from senatenet.instruments import redcap

NAMES = ["Ann Lee", "Bo Chan", "Siân O'Brien", "Smith, Jane", 'Dr "Doc" Who', "Sam Lee",
         "Sam Lee", "<b>Bold</b> & Co", "=HYPERLINK(\"x\")", "Tomás García-López", "A|B Pipe",
         "Wei Chen", "Olu Adeyemi", "Priya Natarajan", "Hannah Brooke", "Marek Nowak",
         "Fiona MacLeod", "Ngozi Akande", "Robin Hale", "Jo Bloggs", "Kim Park", "Lee Kim"]
ORGS = ["Trust", "Council", "GP Federation"]


@pytest.fixture(scope="module")
def roster():
    n = len(NAMES)
    ids = ["007", "NA", *[f"p{k:02d}" for k in range(2, n)]]
    return pd.DataFrame({"person_id": ids, "name": NAMES,
                         "organisation": [ORGS[k % 3] if k != 6 else ORGS[5 % 3]
                                          for k in range(n)],
                         "email": [f"person{k}@example.nhs.uk" for k in range(n)]})


RELATIONS = {"advice": "How often do you ask each of these colleagues for advice about work?",
             "trust": "Whom would you trust with a sensitive problem? <script>x</script>"}


@pytest.fixture
def made(tmp_path, roster):
    ins = senatenet.make_instrument(roster, RELATIONS, out=tmp_path / "ins")
    return ins


# ------------------------------------------------------------------ codebook
def test_codebook_maps_every_person_and_relation_and_holds_no_extra_roster_data(made, roster):
    book = json.loads((made.out / "instrument.json").read_text(encoding="utf-8"))
    assert book == made.codebook
    assert [p["person_id"] for p in book["people"]] == roster["person_id"].tolist()
    assert book["senatenet_version"] == senatenet.__version__
    assert re.fullmatch(r"[0-9a-f]{64}", book["roster_sha256"])
    assert [r["name"] for r in book["relations"]] == list(RELATIONS)
    assert [p["value"] for p in book["scale"]["points"]] == [0, 1, 2, 3, 4, 5]
    text = json.dumps(book)
    assert "example.nhs.uk" not in text  # the e-mail column is not shown, so not kept
    labels = [p["label"] for p in book["people"]]
    assert len(set(labels)) == len(labels)  # the two Sam Lees are told apart
    assert "Sam Lee (GP Federation) [p06]" in labels
    for rel in book["relations"]:
        assert set(rel["redcap_fields"]) == set(roster["person_id"])


def test_scale_from_file_and_bad_scales(tmp_path):
    f = tmp_path / "scale.csv"
    f.write_text("label,value\nNot at all,0\nA little,0.5\nA lot,2\n", encoding="utf-8")
    sc = senatenet.instrument_scale(f)
    assert [(p["code"], p["label"], p["value"]) for p in sc["points"]] == [
        ("1", "Not at all", 0.0), ("2", "A little", 0.5), ("3", "A lot", 2.0)]
    with pytest.raises(InputError, match="unknown scale"):
        senatenet.instrument_scale("sometimes")
    with pytest.raises(InputError, match="twice"):
        senatenet.instrument_scale({"Yes": 1, "yes": 2})
    with pytest.raises(InputError, match=">= 0"):
        senatenet.instrument_scale({"No": 0, "Minus": -1})


def test_roster_problems_are_loud():
    with pytest.raises(InputError, match="appears twice"):
        senatenet.make_instrument(pd.DataFrame({"person_id": ["1", "1"], "name": ["a", "b"]}),
                                  {"a": "q"}, formats=())
    with pytest.raises(InputError, match="person_id"):
        senatenet.make_instrument(pd.DataFrame({"name": ["a", "b"]}), {"a": "q"}, formats=())
    with pytest.raises(InputError, match="unknown format"):
        senatenet.make_instrument(pd.DataFrame({"person_id": ["1", "2"]}), {"a": "q"},
                                  formats=("spss",))


# -------------------------------------------------- REDCap dictionary rules
REDCAP_TYPES = {"text", "notes", "dropdown", "radio", "checkbox", "yesno", "truefalse",
                "calc", "file", "slider", "descriptive", "sql"}


def test_redcap_dictionary_follows_redcaps_documented_rules(made, roster):
    """Rules from REDCap's "Data Dictionary instructions" as encoded in the MIT
    licensed LinkML schema linkml-redcap 0.1.2 (redcap_data_dictionary.yaml):
    field and form names ^[a-z][a-z0-9_]*$, matrix group names and raw choice
    values ^[a-z0-9_]*$, the FieldType enum, 'y' flags; plus the matrix rules
    (contiguous, same type and choices) and at most 26 characters advised."""
    dd = pd.read_csv(made.out / "redcap_dictionary.csv", dtype=str, keep_default_na=False,
                     encoding="utf-8-sig")
    # the 18 columns, in order
    assert list(dd.columns) == list(redcap.COLUMNS) and len(dd.columns) == 18
    assert list(dd.columns)[0] == "Variable / Field Name"
    assert list(dd.columns)[-1] == "Field Annotation"
    # the record id is the first field, a text field
    assert dd.iloc[0]["Variable / Field Name"] == "record_id"
    assert dd.iloc[0]["Field Type"] == "text"
    names = dd["Variable / Field Name"]
    assert names.is_unique
    assert names.str.fullmatch(r"[a-z][a-z0-9_]*").all()
    assert (names.str.len() <= 26).all()  # REDCap advises at most 26 characters
    assert dd["Form Name"].str.fullmatch(r"[a-z][a-z0-9_]*").all()
    assert dd["Field Type"].isin(REDCAP_TYPES).all()
    assert dd["Required Field?"].isin({"", "y"}).all() and dd["Identifier?"].isin({"", "y"}).all()
    # choices: "code, label | code, label", unique codes, on choice fields only
    choice = dd["Field Type"].isin({"radio", "dropdown", "checkbox"})
    item = r"[a-z0-9_]+, [^|]+"  # raw choice values: ^[a-z0-9_]*$
    assert dd.loc[choice, "Choices, Calculations, OR Slider Labels"].str.fullmatch(
        rf"{item}( \| {item})*").all()
    for ch in dd.loc[choice, "Choices, Calculations, OR Slider Labels"]:
        codes = [c.split(", ", 1)[0] for c in ch.split(" | ")]
        assert len(set(codes)) == len(codes)
    assert (dd.loc[~choice, "Choices, Calculations, OR Slider Labels"] == "").all()
    # matrix groups: valid names, contiguous, same type (radio) and identical choices,
    # the matrix header (Section Header) on the group's first field only
    groups = dd["Matrix Group Name"]
    assert groups[groups != ""].str.fullmatch(r"[a-z0-9_]+").all()
    seen = []
    for name in groups:
        if name and (not seen or seen[-1] != name):
            assert name not in seen, f"matrix group {name} is not contiguous"
            seen.append(name)
    assert seen == ["advice", "trust"]
    for name in seen:
        rows = dd[groups == name]
        assert (rows["Field Type"] == "radio").all()
        assert rows["Choices, Calculations, OR Slider Labels"].nunique() == 1
        assert rows["Section Header"].iloc[0] and (rows["Section Header"].iloc[1:] == "").all()
        assert len(rows) == len(roster)
    # branching logic: hides the respondent's own row, referring to a real choice
    resp = dd[dd["Field Type"] == "dropdown"].iloc[0]
    codes = {c.split(", ", 1)[0]: c.split(", ", 1)[1]
             for c in resp["Choices, Calculations, OR Slider Labels"].split(" | ")}
    logic = dd.loc[groups != "", "Branching Logic (Show field only if...)"]
    m = logic.str.extract(r"^\[resp_id\] <> '(\d+)'$")[0]
    assert m.notna().all() and m.isin(codes).all()
    assert (dd.loc[groups != "", "Field Label"].tolist()
            == [redcap.label(p["label"]) for p in made.codebook["people"]] * 2)
    # untrusted text: HTML escaped (REDCap renders labels as HTML), Excel-safe
    text = (made.out / "redcap_dictionary.csv").read_text(encoding="utf-8-sig")
    assert "<b>" not in text and "&lt;b&gt;Bold&lt;/b&gt;" in text
    assert "<script>" not in text
    assert not re.search(r'(^|,)"?[=+@]', text, re.M)


# ------------------------------------------------------------ Qualtrics QSF
def test_qsf_has_the_structure_qualtrics_imports(made, roster):
    qsf = json.loads((made.out / "qualtrics.qsf").read_text(encoding="utf-8"))
    assert set(qsf) == {"SurveyEntry", "SurveyElements"}
    entry = qsf["SurveyEntry"]
    assert entry["SurveyName"] and entry["SurveyLanguage"] == "EN"
    els = qsf["SurveyElements"]
    kinds = [e["Element"] for e in els]
    assert kinds.count("BL") == 1 and kinds.count("FL") == 1 and kinds.count("QC") == 1
    assert all(e["SurveyID"] == entry["SurveyID"] for e in els)
    sqs = {e["PrimaryAttribute"]: e["Payload"] for e in els if e["Element"] == "SQ"}
    assert all(p["QuestionID"] == q for q, p in sqs.items())
    qc = next(e for e in els if e["Element"] == "QC")
    assert int(qc["SecondaryAttribute"]) == len(sqs) == 1 + len(RELATIONS)
    blocks = next(e for e in els if e["Element"] == "BL")["Payload"]
    in_blocks = [b["QuestionID"] for bl in blocks for b in bl["BlockElements"]]
    assert sorted(in_blocks) == sorted(sqs)
    assert sum(bl["Type"] == "Default" for bl in blocks) == 1
    flow = next(e for e in els if e["Element"] == "FL")["Payload"]
    assert flow["Type"] == "Root"
    assert [f["ID"] for f in flow["Flow"] if "ID" in f] == [bl["ID"] for bl in blocks]
    tags = [p["DataExportTag"] for p in sqs.values()]
    assert len(set(tags)) == len(tags)
    resp = sqs["QID1"]
    assert (resp["QuestionType"], resp["Selector"]) == ("MC", "DL")
    for rel, qid in zip(made.codebook["relations"], ["QID2", "QID3"], strict=True):
        p = sqs[qid]
        assert (p["QuestionType"], p["Selector"], p["SubSelector"]) == (
            "Matrix", "Likert", "SingleAnswer")
        assert p["DataExportTag"] == rel["qualtrics_tag"]
        assert p["ChoiceOrder"] == [str(k + 1) for k in range(len(roster))]
        assert set(p["ChoiceOrder"]) == set(p["Choices"]) and set(p["AnswerOrder"]) == set(p["Answers"])
        assert [p["Answers"][a]["Display"] for a in p["AnswerOrder"]] == [
            "Never", "Less than monthly", "Monthly", "Fortnightly", "Weekly", "Daily"]
        for cid, choice in p["Choices"].items():
            cond = choice["DisplayLogic"]["0"]["0"]
            assert cond["ChoiceLocator"] == f"q://QID1/SelectableChoice/{cid}"
            assert cond["Operator"] == "NotSelected" and cid in resp["Choices"]
    txt = (made.out / "qualtrics_advanced.txt").read_text(encoding="utf-8")
    assert txt.startswith("[[AdvancedFormat]]\n")
    assert txt.count("[[Question:Matrix]]") == len(RELATIONS)
    assert txt.count("[[Answers]]") == len(RELATIONS)


def test_limesurvey_structure_rows(made, roster):
    text = (made.out / "limesurvey_structure.txt").read_text(encoding="utf-8-sig")
    lines = [ln.split("\t") for ln in text.rstrip("\n").split("\n")]
    head, rows = lines[0], lines[1:]
    assert head[:5] == ["class", "type/scale", "name", "relevance", "text"]
    assert all(len(r) == len(head) for r in rows)
    rec = [dict(zip(head, r, strict=True)) for r in rows]
    qs = [r for r in rec if r["class"] == "Q"]
    assert [q["type/scale"] for q in qs] == ["!", "F", "F"]
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", q["name"]) for q in qs)
    # each Array: one SQ per roster member, then one A per scale point
    k = rec.index(qs[1])
    sqs = rec[k + 1:k + 1 + len(roster)]
    assert all(r["class"] == "SQ" for r in sqs)
    assert rec[k + 1 + len(roster)]["class"] == "A"
    assert [r["relevance"] for r in sqs][:2] == ["resp.NAOK != 'P001'", "resp.NAOK != 'P002'"]


def test_msforms_build_sheet_is_escaped_offline_and_a_valid_docx(made):
    page = (made.out / "msforms_build_sheet.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page and "Content-Security-Policy" in page
    assert "<script" not in page and "&lt;script&gt;" in page
    assert "&lt;b&gt;Bold&lt;/b&gt;" in page and not re.search(r"(src|href)=", page)
    with zipfile.ZipFile(made.out / "msforms_build_sheet.docx") as z:
        assert {"[Content_Types].xml", "word/document.xml", "word/styles.xml"} <= set(z.namelist())
        doc = ElementTree.fromstring(z.read("word/document.xml"))
    text = "".join(t.text or "" for t in doc.iter(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"))
    assert "<b>Bold</b> & Co" in text and "Weekly" in text


def test_html_questionnaire_is_self_contained(made):
    page = (made.out / "questionnaire.html").read_text(encoding="utf-8")
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not re.search(r"<[^>]+\s(src|href)\s*=", page)  # no resource, no link
    assert "<b>Bold" not in page and "<script>x</script>" not in page
    assert page.count("<script>") == 1


# --------------------------------------------------------------- round trips
WRITERS = {
    "redcap_raw": lambda f, a: redcap_export(f, a, labels=False),
    "redcap_labels": lambda f, a: redcap_export(f, a, labels=True),
    "qualtrics_csv": lambda f, a: qualtrics_export(f, a, excel=False),
    "qualtrics_csv_text": lambda f, a: qualtrics_export(f, a, excel=False, choice_text=True),
    "qualtrics_xlsx": lambda f, a: qualtrics_export(f, a, excel=True),
    "limesurvey_codes": lambda f, a: limesurvey_export(f, a, full=False),
    "limesurvey_full": lambda f, a: limesurvey_export(f, a, full=True),
    "msforms_xlsx": lambda f, a: msforms_export(f, a),
}


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("tool", list(WRITERS))
def test_each_tools_export_reads_back_to_the_answered_ties(tool, seed, made, roster):
    rng = np.random.default_rng(seed)
    book = made.codebook
    labels = [p["label"] for p in book["people"]]
    selfs = tool == "msforms_xlsx"  # Forms cannot hide the own row: some answer it
    answers = random_answers(labels, len(RELATIONS), len(book["scale"]["points"]), rng,
                             self_answers=selfs)
    export = WRITERS[tool](made.out, answers)
    s = senatenet.read_survey_export(export, instrument=made.out / "instrument.json",
                                     wave="pre", roster=roster)
    got = {(r.respondent, r.alter, r.relation, r.strength) for r in s.ties.itertuples()}
    assert got == expected_ties(answers, book)
    pid = {p["label"]: p["person_id"] for p in book["people"]}
    assert set(s.respondents["person_id"]) == {pid[me] for me in answers}
    v = s.validation
    assert (v["severity"] != "error").all(), v[v["severity"] == "error"].to_string()
    assert "export_recognised" in set(v["check"])
    n_self = sum(1 for me, qs in answers.items() for row in qs.values()
                 if me in row and book["scale"]["points"][row[me] - 1]["value"] > 0)
    assert (v["check"] == "self_nomination").sum() == (n_self if selfs else 0)
    # source rows point at the export's rows
    nhead = 3 if tool.startswith("qualtrics") else 1
    assert s.ties["source_row"].min() >= nhead + 1


def test_without_a_roster_the_people_and_organisations_come_from_the_codebook(made):
    answers = {made.codebook["people"][0]["label"]: {0: {made.codebook["people"][1]["label"]: 5}}}
    export = redcap_export(made.out, answers, labels=False)
    s = senatenet.read_survey_export(export, instrument=made.out, wave="w1")
    assert s.people.loc["NA", "organisation"] == "Council"
    assert s.ties[["respondent", "alter", "strength"]].values.tolist() == [["007", "NA", 4.0]]
    assert "no_roster" in set(s.validation["check"])


def test_every_unmappable_column_and_value_is_reported(made, roster):
    book = made.codebook
    p = book["people"]
    raw = pd.DataFrame({
        "record_id": ["1", "2", "3", "4", "5", "6"],
        "resp_id": ["1", "2", "99", "", "1", "3"],
        "advice_001": ["", "6", "3", "3", "", "2"],
        "advice_002": ["5", "", "", "", "4", "maybe"],
        "mystery": ["x", "", "", "", "", ""],
        "network_survey_complete": ["2"] * 6,
    })
    s = senatenet.read_survey_export(raw, instrument=book, wave="pre", roster=roster)
    v = s.validation.set_index("check")
    assert v.loc["unknown_column", "column"] == "mystery"
    assert v.loc["metadata_column", "column"].tolist() == ["record_id", "network_survey_complete"]
    assert v.loc["unknown_respondent", "value"] == "99"
    assert v.loc["blank_respondent", "row"] == 5
    assert v.loc["duplicate_response", "row"] == 2  # person 1 again on row 6: later kept
    assert v.loc["strength_label", "value"] == "maybe"
    assert "missing_person_column" in v.index
    got = s.ties[["respondent", "alter", "strength", "source_row"]].values.tolist()
    assert sorted(got) == sorted([["007", "NA", 3.0, 6], ["NA", "007", 5.0, 3],
                                  ["p02", "007", 1.0, 7]])
    assert p[0]["person_id"] == "007"


def test_other_roster_and_foreign_exports_are_loud(made, roster, tmp_path):
    other = roster.copy()
    other.loc[0, "name"] = "Ann Lee-Smith"
    answers = {made.codebook["people"][1]["label"]: {0: {made.codebook["people"][0]["label"]: 5}}}
    export = redcap_export(made.out, answers, labels=False)
    s = senatenet.read_survey_export(export, instrument=made.out, wave="pre", roster=other)
    assert "roster_changed" in set(s.validation["check"])
    foreign = tmp_path / "other.csv"
    foreign.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="no column of this export"):
        senatenet.read_survey_export(foreign, instrument=made.out, wave="pre")
    empty = pd.DataFrame({"record_id": ["1"], "resp_id": ["1"], "advice_002": [""]})
    with pytest.raises(SurveyError, match="no nomination"):
        senatenet.read_survey_export(empty, instrument=made.out, wave="pre")
    with pytest.raises(InputError, match="JSON"):
        senatenet.read_survey_export(export, instrument=foreign, wave="pre")


def test_two_waves_and_html_answer_files(made, roster, tmp_path):
    folder = tmp_path / "answers"
    folder.mkdir()
    mark = made.codebook["roster_sha256"][:16]
    (folder / "answers-P001.csv").write_text(
        "instrument,respondent,question,person,answer\r\n"
        f"{mark},P001,advice,P002,5\r\n{mark},P001,trust,P003,2\r\n", encoding="utf-8-sig")
    (folder / "answers-P002.csv").write_text(
        f"instrument,respondent,question,person,answer\r\n{mark},P002,advice,P001,1\r\n"
        f"{mark},P002,advice,P009,7\r\n", encoding="utf-8-sig")
    answers = {made.codebook["people"][0]["label"]: {0: {made.codebook["people"][1]["label"]: 3}}}
    export = redcap_export(made.out, answers, labels=True)
    s = senatenet.read_survey_export({"pre": export, "post": folder},
                                     instrument=made.out, roster=roster)
    assert s.waves == ("pre", "post")
    got = sorted(map(tuple, s.ties[["wave", "respondent", "alter", "relation", "strength"]]
                     .values.tolist()))
    assert got == [("post", "007", "NA", "advice", 4.0), ("post", "007", "p02", "trust", 1.0),
                   ("pre", "007", "NA", "advice", 2.0)]
    assert (s.validation["check"] == "strength_label").sum() == 1  # answer code 7
    assert set(s.respondents.query("wave == 'post'")["person_id"]) == {"007", "NA"}


# ----------------------------------------------------------------------- CLI
def test_cli_survey_then_validate_an_export(tmp_path, roster, capsys):
    r = tmp_path / "roster.csv"
    roster.to_csv(r, index=False)
    out = tmp_path / "ins"
    code = main(["survey", "--roster", str(r), "--relation", "advice=How often do you ask?",
                 "--scale", "yes-no", "--format", "redcap,html", "--out", str(out)])
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "instrument.json", "questionnaire.html", "redcap_dictionary.csv"]
    book = json.loads((out / "instrument.json").read_text(encoding="utf-8"))
    answers = {book["people"][0]["label"]: {0: {book["people"][1]["label"]: 2}}}
    export = redcap_export(out, answers, labels=False)
    capsys.readouterr()
    code = main(["validate", "--roster", str(r), "--export", str(export), "--wave", "pre",
                 "--instrument", str(out / "instrument.json")])
    text = capsys.readouterr().out
    assert code == 0, text
    assert "1 nomination kept" in text and "REDCap export" in text
    assert main(["validate", "--roster", str(r), "--export", str(export)]) == 2
    assert main(["validate", "--roster", str(r)]) == 2
    assert main(["survey", "--roster", str(r), "--relation", "advice", "--out",
                 str(tmp_path / "x")]) == 2


def test_cli_report_reads_two_waves_of_exports(tmp_path, roster, made, capsys, figures_not_rendered):
    r = tmp_path / "roster.csv"
    roster.to_csv(r, index=False)
    rng = np.random.default_rng(5)
    labels = [p["label"] for p in made.codebook["people"]]
    pre = qualtrics_export(made.out, random_answers(labels, 2, 6, rng), excel=False)
    (made.out / "pre.csv").write_bytes(pre.read_bytes())
    post = limesurvey_export(made.out, random_answers(labels, 2, 6, rng), full=False)
    code = main(["report", "--roster", str(r), "--export", f"pre={made.out / 'pre.csv'}",
                 "--export", f"post={post}", "--instrument", str(made.out),
                 "--before", "pre", "--after", "post", "--relation", "advice",
                 "--permutations", "10", "--power-simulations", "20", "--quiet",
                 "--out", str(tmp_path / "report")])
    assert code == 0, capsys.readouterr().err
    assert (tmp_path / "report" / "report.html").is_file()
    assert figures_not_rendered  # the figures were drawn, on this data


def test_qualtrics_export_without_the_importid_row(made, roster):
    rng = np.random.default_rng(3)
    labels = [p["label"] for p in made.codebook["people"]]
    answers = random_answers(labels, 2, 6, rng)
    export = qualtrics_export(made.out, answers, excel=False)
    rows = pd.read_csv(export, header=None, dtype=str, keep_default_na=False,
                       encoding="utf-8-sig")
    legacy = rows.drop(index=2)  # the legacy two-row header
    legacy.columns = legacy.iloc[0]
    s = senatenet.read_survey_export(legacy.iloc[1:], instrument=made.codebook, wave="pre",
                                     roster=roster)
    got = {(r.respondent, r.alter, r.relation, r.strength) for r in s.ties.itertuples()}
    assert got == expected_ties(answers, made.codebook)
    assert "2 header rows" in " ".join(s.validation["problem"].dropna())
