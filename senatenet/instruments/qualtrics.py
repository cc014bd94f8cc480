"""Qualtrics survey file (``.qsf``) and Advanced TXT of a roster instrument.

A QSF is JSON: ``SurveyEntry`` (name, language, status) and ``SurveyElements``
(blocks ``BL``, flow ``FL``, one ``SQ`` per question, plus the ``QC`` question
count). The respondent question (``QID1``, a drop-down, export tag ``resp``) is
alone in the first block; each relation is one ``Matrix``/``Likert``/
``SingleAnswer`` question in its own block, with the roster as choices (choice
id = roster position) and the scale as answers (answer id = scale code). Choice
display logic hides the row whose choice id the respondent chose in ``QID1``.
Qualtrics exports each row as ``<DataExportTag>_<choice id>`` with ImportId
``QID<n>_<choice id>``, which is what the reader relies on.

References: Qualtrics support, "Importing and exporting surveys" (QSF, TXT
Simple/Advanced format) and "Data export options" (three header rows, ImportId).
"""

from __future__ import annotations

import json
from typing import Any

__all__: list[str] = []

QSF = "qualtrics.qsf"
TXT = "qualtrics_advanced.txt"


def _validation() -> dict:
    return {"Settings": {"ForceResponse": "OFF", "ForceResponseType": "ON", "Type": "None"}}


def _hide_self(choice: str, resp_qid: str, label: str) -> dict:
    locator = f"q://{resp_qid}/SelectableChoice/{choice}"
    return {"0": {"0": {"LogicType": "Question", "QuestionID": resp_qid,
                        "QuestionIsInLoop": "no", "ChoiceLocator": locator,
                        "Operator": "NotSelected", "QuestionIDFromLocator": resp_qid,
                        "LeftOperand": locator, "Type": "Expression",
                        "Description": f"If {label} Is Not Selected"},
                  "Type": "If"},
            "Type": "BooleanExpression", "inPage": False}


def qsf(book: dict[str, Any]) -> dict[str, Any]:
    """The survey file as a dict (``json.dumps`` it to get the ``.qsf``)."""
    tool = book["tools"]["qualtrics"]
    rq = tool["respondent_qid"]
    people = book["people"]
    points = book["scale"]["points"]
    sid = "SV_senatenet"
    resp_choices = {p["qualtrics_choice"]: {"Display": p["label"]} for p in people}
    elements = []
    blocks = [{"Type": "Default", "Description": "Respondent", "ID": "BL_resp",
               "BlockElements": [{"Type": "Question", "QuestionID": rq}]}]
    questions = [{"Element": "SQ", "PrimaryAttribute": rq, "SecondaryAttribute":
                  book["respondent_question"][:99], "TertiaryAttribute": None,
                  "Payload": {"QuestionText": book["respondent_question"],
                              "DataExportTag": tool["respondent_tag"],
                              "QuestionType": "MC", "Selector": "DL",
                              "Configuration": {"QuestionDescriptionOption": "UseText"},
                              "QuestionDescription": book["respondent_question"],
                              "Choices": resp_choices,
                              "ChoiceOrder": [p["qualtrics_choice"] for p in people],
                              "Validation": {"Settings": {"ForceResponse": "ON",
                                                          "ForceResponseType": "ON",
                                                          "Type": "None"}},
                              "Language": [], "QuestionID": rq,
                              "DataVisibility": {"Private": False, "Hidden": False}}}]
    for k, rel in enumerate(book["relations"]):
        qid = rel["qualtrics_qid"]
        blocks.append({"Type": "Standard", "SubType": "", "Description": rel["name"],
                       "ID": f"BL_q{k + 1}",
                       "BlockElements": [{"Type": "Question", "QuestionID": qid}]})
        rows = {}
        for p in people:
            rows[p["qualtrics_choice"]] = {
                "Display": p["label"],
                "DisplayLogic": _hide_self(p["qualtrics_choice"], rq, p["label"])}
        questions.append({
            "Element": "SQ", "PrimaryAttribute": qid,
            "SecondaryAttribute": rel["question"][:99], "TertiaryAttribute": None,
            "Payload": {
                "QuestionText": rel["question"], "DataExportTag": rel["qualtrics_tag"],
                "QuestionType": "Matrix", "Selector": "Likert",
                "SubSelector": "SingleAnswer",
                "Configuration": {"QuestionDescriptionOption": "UseText",
                                  "TextPosition": "inline", "ChoiceColumnWidth": 25,
                                  "RepeatHeaders": "none", "WhiteSpace": "OFF",
                                  "MobileFirst": True},
                "QuestionDescription": rel["question"],
                "Choices": rows, "ChoiceOrder": [p["qualtrics_choice"] for p in people],
                "Answers": {pt["code"]: {"Display": pt["label"]} for pt in points},
                "AnswerOrder": [pt["code"] for pt in points],
                "RecodeValues": {pt["code"]: pt["code"] for pt in points},
                "ChoiceDataExportTags": False,
                "Validation": _validation(), "Language": [], "QuestionID": qid,
                "DataVisibility": {"Private": False, "Hidden": False}}})
    elements.append({"SurveyID": sid, "Element": "BL", "PrimaryAttribute": "Survey Blocks",
                     "SecondaryAttribute": None, "TertiaryAttribute": None,
                     "Payload": blocks})
    flow = [{"Type": "EmbeddedData", "FlowID": "FL_1",
             "EmbeddedData": [{"Description": tool["id_field"], "Type": "Recipient",
                               "Field": tool["id_field"], "VariableType": "String",
                               "DataVisibility": [], "AnalyzeText": False}]}]
    flow += [{"Type": "Block" if b["Type"] != "Default" else "Standard", "ID": b["ID"],
              "FlowID": f"FL_{k + 2}", "Autofill": []} for k, b in enumerate(blocks)]
    elements.append({"SurveyID": sid, "Element": "FL", "PrimaryAttribute": "Survey Flow",
                     "SecondaryAttribute": None, "TertiaryAttribute": None,
                     "Payload": {"Type": "Root", "FlowID": "FL_0", "Flow": flow,
                                 "Properties": {"Count": len(flow) + 1}}})
    elements.append({"SurveyID": sid, "Element": "QC", "PrimaryAttribute": "Survey Question Count",
                     "SecondaryAttribute": str(len(questions)), "TertiaryAttribute": None,
                     "Payload": None})
    for q in questions:
        q["SurveyID"] = sid
    elements.extend(questions)
    return {"SurveyEntry": {"SurveyID": sid, "SurveyName": book["title"],
                            "SurveyDescription": None, "SurveyOwnerID": "",
                            "SurveyBrandID": "", "DivisionID": None,
                            "SurveyLanguage": "EN", "SurveyActiveResponseSet": "RS_senatenet",
                            "SurveyStatus": "Inactive", "SurveyStartDate": "0000-00-00 00:00:00",
                            "SurveyExpirationDate": "0000-00-00 00:00:00",
                            "SurveyCreationDate": "", "CreatorID": "",
                            "LastModified": "", "LastAccessed": "0000-00-00 00:00:00",
                            "LastActivated": "0000-00-00 00:00:00", "Deleted": None},
            "SurveyElements": elements}


def _txt_line(text: str) -> str:
    return " ".join(str(text).split())


def advanced_txt(book: dict[str, Any]) -> str:
    """The Advanced TXT import file (fallback when a QSF cannot be imported).

    It has no display logic: respondents are asked to skip their own name, and a
    self-nomination is dropped when reading (with a validation line).
    """
    tool = book["tools"]["qualtrics"]
    lines = ["[[AdvancedFormat]]", "", "[[Block:Respondent]]", "",
             "[[Question:MC:Dropdown]]", f"[[ID:{tool['respondent_tag']}]]",
             _txt_line(book["respondent_question"]), "[[Choices]]"]
    lines += [_txt_line(p["label"]) for p in book["people"]]
    for rel in book["relations"]:
        lines += ["", f"[[Block:{rel['qualtrics_tag']}]]", "", "[[Question:Matrix]]",
                  f"[[ID:{rel['qualtrics_tag']}]]",
                  _txt_line(rel["question"]) + " (Please skip your own name.)",
                  "[[Choices]]"]
        lines += [_txt_line(p["label"]) for p in book["people"]]
        lines += ["[[Answers]]"] + [_txt_line(pt["label"]) for pt in book["scale"]["points"]]
    return "\n".join(lines) + "\n"


def write_files(book: dict[str, Any]) -> dict[str, bytes]:
    """``{file name: bytes}``: the QSF and the Advanced TXT."""
    return {QSF: json.dumps(qsf(book), indent=1, ensure_ascii=False).encode("utf-8"),
            TXT: advanced_txt(book).encode("utf-8")}


def export_headers(book: dict[str, Any]) -> dict[str, list[tuple[str, Any]]]:
    """Headers of Qualtrics' exports: ``tag`` (row 1, ``advice_3``), ``importid``
    (row 3, ``QID2_3``) and ``label`` (row 2, ``question - row``)."""
    tool = book["tools"]["qualtrics"]
    tag = [(tool["respondent_tag"], ("respondent",)), (tool["id_field"], ("person_id",))]
    imp = [(tool["respondent_qid"], ("respondent",)), (tool["id_field"], ("person_id",))]
    lab = [(_txt_line(book["respondent_question"]), ("respondent",))]
    for rel in book["relations"]:
        for p in book["people"]:
            target = (rel["name"], p["person_id"])
            tag.append((f"{rel['qualtrics_tag']}_{p['qualtrics_choice']}", target))
            imp.append((f"{rel['qualtrics_qid']}_{p['qualtrics_choice']}", target))
            lab.append((f"{_txt_line(rel['question'])} - {_txt_line(p['label'])}", target))
    return {"tag": tag, "importid": imp, "label": lab}


METADATA = {
    "startdate", "enddate", "status", "ipaddress", "progress", "duration (in seconds)",
    "finished", "recordeddate", "responseid", "recipientlastname", "recipientfirstname",
    "recipientemail", "externalreference", "externaldatareference", "locationlatitude",
    "locationlongitude", "distributionchannel", "userlanguage", "q_recaptchascore",
    "q_relevantidduplicate", "q_relevantidduplicatescore", "q_relevantidfraudscore",
    "q_relevantidlaststartdate", "q_url",
}
