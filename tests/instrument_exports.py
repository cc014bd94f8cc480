"""Write survey-tool exports of a generated instrument, as each tool writes them.

Each writer reads the tool's *generated import file* (not the codebook), plays the
tool's part (what a respondent sees and which column each answer lands in) and
writes the export in the tool's documented export format:

- REDCap "CSV (raw data)" and "CSV (labels)" exports: one column per field in
  data-dictionary order, the record id first, ``redcap_survey_identifier`` and
  ``<form>_timestamp`` after it for surveys, ``<form>_complete`` last (labels:
  "Record ID", "Survey Identifier", "Survey Timestamp", field labels, "Complete?");
  fields hidden by branching logic are blank. (REDCap Help & FAQ, "Data Exports".)
- Qualtrics "CSV" and "Excel" downloads: three header rows (export tags, question
  text with " - " and the row text, ImportId JSON), the standard metadata columns
  first; matrix rows ``<DataExportTag>_<choice id>``, numeric values (recode
  values) or choice text. (Qualtrics support, "Data Export Options".)
- LimeSurvey response export: ``id, submitdate, lastpage, startlanguage, seed``
  then questions; "question code" headings ``Q[SQ]`` with answer codes, or "full
  question text" headings ``text [row]`` with full answers. (LimeSurvey Manual,
  "Export responses".)
- Microsoft Forms "Open results in Excel": ``ID, Start time, Completion time,
  Email, Name``, then one column per question, one per Likert statement headed by
  the statement, answers as option text.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd

Answers = dict[str, dict[str, dict[str, int]]]
"""{respondent label: {question index: {person label: scale position (1-based)}}}"""


def random_answers(labels: list[str], n_questions: int, n_points: int, rng, *,
                   fill: float = 0.3, self_answers: bool = False) -> Answers:
    """Random answers by a random subset of respondents (positions are 1-based)."""
    out: Answers = {}
    for me in labels:
        if rng.random() < 0.25:
            continue  # did not answer
        out[me] = {}
        for q in range(n_questions):
            row = {}
            for other in labels:
                if (other != me or self_answers) and rng.random() < fill:
                    row[other] = int(rng.integers(1, n_points + 1))
            out[me][q] = row
    return out


def expected_ties(answers: Answers, book: dict, *, drop_self: bool = True) -> set:
    """{(respondent id, alter id, relation, strength)} that the answers mean."""
    pid = {p["label"]: p["person_id"] for p in book["people"]}
    rels = [r["name"] for r in book["relations"]]
    values = [p["value"] for p in book["scale"]["points"]]
    out = set()
    for me, qs in answers.items():
        for q, row in qs.items():
            for other, pos in row.items():
                if values[pos - 1] > 0 and not (drop_self and other == me):
                    out.add((pid[me], pid[other], rels[q], values[pos - 1]))
    return out


def _csv(rows: list[list[str]], *, quote_all: bool = False, bom: bool = True) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n",
                   quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8-sig" if bom else "utf-8")


def _xlsx(rows: list[list[str]], path: Path, sheet: str = "Sheet1") -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for i, r in enumerate(rows):
        for j, c in enumerate(r):
            if c != "":
                cell = ws.cell(row=i + 1, column=j + 1, value=c)
                cell.data_type = "s"  # text as the tools write it, never a formula
    wb.save(path)
    return path


# --------------------------------------------------------------------- REDCap
def redcap_export(folder: Path, answers: Answers, *, labels: bool) -> Path:
    # REDCap shows "|" (its choice separator) as "/", as the dictionary says
    answers = {me.replace("|", "/"): {q: {o.replace("|", "/"): v for o, v in row.items()}
                                      for q, row in qs.items()} for me, qs in answers.items()}
    dd = pd.read_csv(folder / "redcap_dictionary.csv", dtype=str, keep_default_na=False,
                     encoding="utf-8-sig")
    fields = dd.to_dict("records")
    form = fields[0]["Form Name"]

    def parse(ch):
        return [tuple(x.strip().split(", ", 1)) for x in ch.split(" | ")]

    resp = next(f for f in fields if f["Field Type"] == "dropdown")
    resp_code = {html.unescape(lab): code for code, lab in parse(resp["Choices, Calculations, OR Slider Labels"])}
    groups: list[list[dict]] = []
    for f in fields:
        if f["Matrix Group Name"]:
            if not groups or groups[-1][0]["Matrix Group Name"] != f["Matrix Group Name"]:
                groups.append([])
            groups[-1].append(f)
    if labels:
        head = ["Record ID", "Survey Identifier", "Survey Timestamp",
                html.unescape(resp["Field Label"])]
        head += [html.unescape(f["Field Label"]) for g in groups for f in g]
        head += ["Complete?"]
    else:
        head = [fields[0]["Variable / Field Name"], "redcap_survey_identifier",
                f"{form}_timestamp", resp["Variable / Field Name"]]
        head += [f["Variable / Field Name"] for g in groups for f in g]
        head += [f"{form}_complete"]
    rows = [head]
    for k, (me, qs) in enumerate(answers.items()):
        code = resp_code[me]
        row = [str(k + 1), "", f"2026-03-0{1 + k % 9} 10:{k % 60:02d}:00",
               me if labels else code]  # REDCap writes the choice label, unescaped
        for q, g in enumerate(groups):
            for f in g:
                name = html.unescape(f["Field Label"])
                if name.startswith("'"):
                    name = name[1:]
                hidden = f["Branching Logic (Show field only if...)"] == \
                    f"[{resp['Variable / Field Name']}] <> '{code}'"
                pos = qs.get(q, {}).get(name)
                if hidden or pos is None:
                    row.append("")
                else:
                    choices = parse(f["Choices, Calculations, OR Slider Labels"])
                    c, lab = choices[pos - 1]
                    row.append(lab if labels else c)
        row.append("Complete" if labels else "2")
        rows.append(row)
    path = folder / f"redcap_{'labels' if labels else 'raw'}.csv"
    path.write_bytes(_csv(rows, bom=False))
    return path


# ------------------------------------------------------------------ Qualtrics
def qualtrics_export(folder: Path, answers: Answers, *, excel: bool,
                     choice_text: bool = False) -> Path:
    qsf = json.loads((folder / "qualtrics.qsf").read_text(encoding="utf-8"))
    sqs = [e["Payload"] for e in qsf["SurveyElements"] if e["Element"] == "SQ"]
    resp = next(p for p in sqs if p["QuestionType"] == "MC")
    mats = [p for p in sqs if p["QuestionType"] == "Matrix"]
    embedded = [f["Field"] for el in qsf["SurveyElements"] if el["Element"] == "FL"
                for fl in el["Payload"]["Flow"] if fl["Type"] == "EmbeddedData"
                for f in fl["EmbeddedData"]]
    meta = [("StartDate", "Start Date", '{"ImportId":"startDate","timeZone":"Europe/London"}'),
            ("EndDate", "End Date", '{"ImportId":"endDate","timeZone":"Europe/London"}'),
            ("Status", "Response Type", '{"ImportId":"status"}'),
            ("IPAddress", "IP Address", '{"ImportId":"ipAddress"}'),
            ("Progress", "Progress", '{"ImportId":"progress"}'),
            ("Duration (in seconds)", "Duration (in seconds)", '{"ImportId":"duration"}'),
            ("Finished", "Finished", '{"ImportId":"finished"}'),
            ("RecordedDate", "Recorded Date", '{"ImportId":"recordedDate","timeZone":"Europe/London"}'),
            ("ResponseId", "Response ID", '{"ImportId":"_recordId"}'),
            ("DistributionChannel", "Distribution Channel", '{"ImportId":"distributionChannel"}'),
            ("UserLanguage", "User Language", '{"ImportId":"userLanguage"}')]
    r1 = [m[0] for m in meta] + [resp["DataExportTag"]]
    r2 = [m[1] for m in meta] + [resp["QuestionText"]]
    r3 = [m[2] for m in meta] + [json.dumps({"ImportId": resp["QuestionID"]})]
    for m in mats:
        for c in m["ChoiceOrder"]:
            r1.append(f"{m['DataExportTag']}_{c}")
            r2.append(f"{m['QuestionText']} - {m['Choices'][c]['Display']}")
            r3.append(json.dumps({"ImportId": f"{m['QuestionID']}_{c}"}))
    for f in embedded:
        r1.append(f)
        r2.append(f)
        r3.append(json.dumps({"ImportId": f}))
    rows = [r1, r2, r3]
    by_label = {v["Display"]: k for k, v in resp["Choices"].items()}
    for k, (me, qs) in enumerate(answers.items()):
        cid = by_label[me]
        row = ["2026-03-01 10:00:00", "2026-03-01 10:05:00", "0", "", "100", "300", "1",
               "2026-03-01 10:05:00", f"R_{k:015d}", "anonymous", "EN",
               me if choice_text else cid]
        for q, m in enumerate(mats):
            for c in m["ChoiceOrder"]:
                choice = m["Choices"][c]
                shown = True
                logic = choice.get("DisplayLogic")
                if logic:  # the row is hidden when its locator's choice was selected
                    cond = logic["0"]["0"]
                    sel = cond["ChoiceLocator"].rsplit("/", 1)[1]
                    shown = not (cond["Operator"] == "NotSelected" and sel == cid)
                pos = qs.get(q, {}).get(choice["Display"])
                if not shown or pos is None:
                    row.append("")
                else:
                    aid = m["AnswerOrder"][pos - 1]
                    row.append(m["Answers"][aid]["Display"] if choice_text
                               else m["RecodeValues"][aid])
        row += [""] * len(embedded)
        rows.append(row)
    if excel:
        return _xlsx(rows, folder / "qualtrics_export.xlsx")
    path = folder / "qualtrics_export.csv"
    path.write_bytes(_csv(rows))
    return path


# ----------------------------------------------------------------- LimeSurvey
def limesurvey_export(folder: Path, answers: Answers, *, full: bool) -> Path:
    text = (folder / "limesurvey_structure.txt").read_text(encoding="utf-8-sig")
    rows_in = list(csv.DictReader(io.StringIO(text), delimiter="\t"))
    questions = []
    for r in rows_in:
        if r["class"] == "Q":
            questions.append({"q": r, "sq": [], "a": []})
        elif r["class"] == "SQ":
            questions[-1]["sq"].append(r)
        elif r["class"] == "A" and questions:
            questions[-1]["a"].append(r)
    resp, arrays = questions[0], questions[1:]
    code_of = {a["text"]: a["name"] for a in resp["a"]}
    if full:
        head = ["Response ID", "Date submitted", "Last page", "Start language", "Seed",
                resp["q"]["text"]]
        head += [f"{q['q']['text']} [{s['text']}]" for q in arrays for s in q["sq"]]
    else:
        head = ["id", "submitdate", "lastpage", "startlanguage", "seed", resp["q"]["name"]]
        head += [f"{q['q']['name']}[{s['name']}]" for q in arrays for s in q["sq"]]
    rows = [head]
    for k, (me, qs) in enumerate(answers.items()):
        code = code_of[me]
        row = [str(k + 1), "2026-03-01 10:05:00", "2", "en", str(1000 + k),
               me if full else code]
        for qi, q in enumerate(arrays):
            for s in q["sq"]:
                hidden = s["relevance"] == f"{resp['q']['name']}.NAOK != '{code}'"
                pos = qs.get(qi, {}).get(s["text"])
                if hidden or pos is None:
                    row.append("")
                else:
                    a = q["a"][pos - 1]
                    row.append(a["text"] if full else a["name"])
        rows.append(row)
    path = folder / f"limesurvey_results_{'full' if full else 'code'}.csv"
    path.write_bytes(_csv(rows, quote_all=True))
    return path


# ------------------------------------------------------------ Microsoft Forms
class _Lists(HTMLParser):
    def __init__(self):
        super().__init__()
        self.lists: list[list[str]] = []
        self.items: list[str] = []
        self._in_ol = self._in_li = False

    def handle_starttag(self, tag, attrs):
        if tag == "ol":
            self._in_ol = True
            self.lists.append([])
        elif tag == "li":
            self._in_li = True
            self.items.append("")
            if self._in_ol:
                self.lists[-1].append("")

    def handle_endtag(self, tag):
        if tag == "ol":
            self._in_ol = False
        elif tag == "li":
            self._in_li = False

    def handle_data(self, data):
        if self._in_li:
            self.items[-1] += data
            if self._in_ol:
                self.lists[-1][-1] += data


def msforms_export(folder: Path, answers: Answers, *, self_answers: bool = True) -> Path:
    p = _Lists()
    p.feed((folder / "msforms_build_sheet.html").read_text(encoding="utf-8"))
    texts = [i for i in p.items if i.startswith("Question text: ")]
    scale = next(i for i in p.items if i.startswith("Options (columns)"))
    scale = scale.split(": ", 1)[1].split(" | ")
    roster, likerts = p.lists[0], p.lists[1:]
    head = ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time",
            texts[0].split(": ", 1)[1]]
    head += [s for stmts in likerts for s in stmts]
    rows = [head]
    for k, (me, qs) in enumerate(answers.items()):
        row = [str(k + 1), "3/1/26 10:00:00", "3/1/26 10:05:00", "anonymous", "", "", me]
        for q, stmts in enumerate(likerts):
            for s in stmts:
                pos = qs.get(q, {}).get(s)
                row.append("" if pos is None or (s == me and not self_answers)
                           else scale[pos - 1])
        rows.append(row)
    assert roster == [r for r in roster]  # the drop-down options are the roster
    return _xlsx(rows, folder / "msforms_results.xlsx", sheet="Form1")


def html_labels(folder: Path) -> list[str]:
    """Roster labels as the HTML questionnaire shows them."""
    text = (folder / "questionnaire.html").read_text(encoding="utf-8")
    return [html.unescape(m) for m in re.findall(r'<option value="P\d+">([^<]*)</option>', text)]
