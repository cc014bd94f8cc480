"""Single-file offline HTML questionnaire of a roster instrument.

For teams with no survey tool: one ``questionnaire.html`` that opens from a
double-click, makes no network request (a Content-Security-Policy forbids it),
and works with a keyboard and a screen reader. The respondent picks their own
name from the roster (a drop-down with a filter box for long rosters); their own
row is then hidden. Each relation is a table of radio buttons (one row per
person, one column per scale point) with a "find a name" filter. "Save my
answers" downloads a CSV file (``instrument, respondent, question, person,
answer``, all codes from the codebook) that :func:`senatenet.read_survey_export`
reads; the same text is also shown for copying if a locked-down PC blocks the
download.

References: W3C, Web Content Accessibility Guidelines (WCAG) 2.2, and the WAI-ARIA
Authoring Practices ("Radio Group" pattern; tables with row and column headers).
"""

from __future__ import annotations

import base64
import hashlib
import html
from typing import Any

__all__: list[str] = []

FILE = "questionnaire.html"
HEADER = ("instrument", "respondent", "question", "person", "answer")
"""Columns of the questionnaire's answer CSV."""

_STYLE = """
html{scroll-padding-top:4rem;scroll-padding-bottom:2rem}
body{font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Arial,sans-serif;color:#1a1a1a;
background:#fff;margin:0}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin:0}
fieldset{border:1px solid #767676;border-radius:4px;margin:1.5rem 0;padding:1rem}
legend{font-weight:600;padding:0 .3rem}
label{font-weight:600}
input[type=search],select{font:inherit;padding:.35rem;border:2px solid #595959;
border-radius:4px;max-width:100%}
select{min-width:18rem}
button{font:inherit;padding:.5rem 1rem;border:2px solid #0b57d0;border-radius:4px;
background:#0b57d0;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#0b57d0}
:focus-visible{outline:3px solid #b3261e;outline-offset:2px}
table{border-collapse:collapse;width:100%;margin-top:.75rem}
th,td{border-bottom:1px solid #c4c4c4;padding:.3rem .4rem;text-align:center}
th[scope=row]{text-align:left;font-weight:normal}
thead th{position:sticky;top:0;background:#f2f2f2;font-size:.9rem}
td input{width:1.4rem;height:1.4rem;margin:0}
tr[hidden]{display:none}
.hint{color:#4d4d4d}
.status{font-weight:600;margin-top:1rem}
textarea{width:100%;font:.85rem monospace}
@media print{button,.filter{display:none}thead th{position:static}}
"""

_SCRIPT = r"""
(function () {
  "use strict";
  var form = document.getElementById("q");
  var resp = document.getElementById("resp");
  var respFilter = document.getElementById("resp-filter");
  var status = document.getElementById("status");
  var meta = document.getElementById("meta");
  var allOptions = Array.prototype.slice.call(resp.options, 1);

  function norm(s) { return s.toLocaleLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, ""); }

  respFilter.addEventListener("input", function () {
    var q = norm(respFilter.value.trim());
    var shown = 0;
    allOptions.forEach(function (o) {
      var ok = !q || norm(o.text).indexOf(q) !== -1;
      o.hidden = !ok; o.disabled = !ok;
      if (ok) { shown += 1; }
    });
    document.getElementById("resp-count").textContent = shown + " of " + allOptions.length + " names shown";
  });

  function hideOwn() {
    var me = resp.value;
    var rows = document.querySelectorAll("tr[data-p]");
    Array.prototype.forEach.call(rows, function (tr) {
      var own = tr.getAttribute("data-p") === me;
      if (own) {
        Array.prototype.forEach.call(tr.querySelectorAll("input"), function (i) { i.checked = false; });
      }
      tr.setAttribute("data-own", own ? "1" : "0");
      applyFilter(tr.closest("fieldset"));
    });
  }
  resp.addEventListener("change", hideOwn);

  function applyFilter(fs) {
    var box = fs.querySelector("input[type=search]");
    var q = box ? norm(box.value.trim()) : "";
    Array.prototype.forEach.call(fs.querySelectorAll("tr[data-p]"), function (tr) {
      var own = tr.getAttribute("data-own") === "1";
      var ok = !q || norm(tr.querySelector("th").textContent).indexOf(q) !== -1;
      tr.hidden = own || !ok;
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("fieldset.rel input[type=search]"), function (box) {
    box.addEventListener("input", function () { applyFilter(box.closest("fieldset")); });
  });
  Array.prototype.forEach.call(document.querySelectorAll("button.clear"), function (b) {
    b.addEventListener("click", function () {
      var box = b.closest("fieldset").querySelector("input[type=search]");
      box.value = ""; applyFilter(b.closest("fieldset")); box.focus();
    });
  });

  function csvCell(s) { return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s; }

  function answers() {
    var lines = [meta.getAttribute("data-header")];
    var me = resp.value;
    var checked = form.querySelectorAll("fieldset.rel input[type=radio]:checked");
    Array.prototype.forEach.call(checked, function (i) {
      var tr = i.closest("tr");
      if (tr.getAttribute("data-p") === me) { return; }
      lines.push([meta.getAttribute("data-instrument"), me, i.getAttribute("data-q"),
                  tr.getAttribute("data-p"), i.value].map(csvCell).join(","));
    });
    return lines.join("\r\n") + "\r\n";
  }
  window.senatenetQuestionnaire = {answers: answers};

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (!resp.value) {
      status.textContent = "Please choose your own name in question 1 first.";
      resp.setAttribute("aria-invalid", "true");
      resp.focus();
      return;
    }
    resp.removeAttribute("aria-invalid");
    var text = answers();
    var n = text.split("\r\n").length - 2;
    var name = "answers-" + resp.value + ".csv";
    document.getElementById("copy").value = text;
    document.getElementById("copy-box").hidden = false;
    var blob = new Blob(["\ufeff" + text], {type: "text/csv;charset=utf-8"});
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    status.textContent = "Saved " + n + " answer(s) as " + name +
      " in your downloads folder. Please send that file to the evaluation team.";
  });
})();
"""


def _sri(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


CSP = (f"default-src 'none'; script-src '{_sri(_SCRIPT)}'; style-src '{_sri(_STYLE)}'; "
       "img-src data:; base-uri 'none'; form-action 'none'")
"""The page's Content-Security-Policy: only its own script and style run."""


def page(book: dict[str, Any]) -> str:
    """The questionnaire page."""
    e = html.escape
    people = book["people"]
    points = book["scale"]["points"]
    title = e(book["title"])
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           '<meta name="referrer" content="no-referrer">',
           f"<title>{title}</title>", f"<style>{_STYLE}</style>", "</head>", "<body>",
           f'<main><h1>{title}</h1>',
           f'<div id="meta" hidden data-instrument="{e(book["roster_sha256"][:16])}" '
           f'data-header="{",".join(HEADER)}"></div>',
           '<p>This questionnaire works offline: nothing you enter leaves this computer '
           "until you send the saved file. Answer each question for every person you "
           "know; leave a row empty if you do not know them.</p>",
           '<form id="q" novalidate>',
           '<fieldset><legend><h2>1. ' + e(book["respondent_question"]) + "</h2></legend>",
           '<p><label for="resp-filter">Filter the list by typing part of your name</label><br>'
           '<input type="search" id="resp-filter" class="filter" autocomplete="off" '
           'aria-describedby="resp-count"> <span id="resp-count" class="hint" '
           f'aria-live="polite">{len(people)} names</span></p>',
           '<p><label for="resp">Your name</label><br><select id="resp" required '
           'aria-required="true"><option value="">Choose your name</option>']
    out += [f'<option value="{e(p["code"])}">{e(p["label"])}</option>' for p in people]
    out.append("</select></p></fieldset>")
    head = "".join(f'<th scope="col" id="c{{q}}-{e(pt["code"])}">{e(pt["label"])}</th>'
                   for pt in points)
    for k, rel in enumerate(book["relations"]):
        q = k + 2
        qc = e(rel["code"])
        out.append(f'<fieldset class="rel" id="rel-{qc}"><legend><h2>{q}. '
                   f'{e(rel["question"])}</h2></legend>')
        out.append(f'<p class="filter"><label for="find-{qc}">Find a name</label> '
                   f'<input type="search" id="find-{qc}" autocomplete="off"> '
                   f'<button type="button" class="clear secondary">Show everyone</button></p>')
        out.append(f'<table><caption class="hint">Your own name is hidden once you have '
                   f'chosen it in question 1.</caption><thead><tr><th scope="col">Person</th>'
                   f'{head.replace("{q}", str(q))}</tr></thead><tbody>')
        cells = []
        for i, p in enumerate(people):
            rid = f"r{q}-{i + 1}"
            radios = "".join(
                f'<td><input type="radio" name="q{q}-{i + 1}" value="{e(pt["code"])}" '
                f'data-q="{qc}" aria-labelledby="{rid} c{q}-{e(pt["code"])}"></td>'
                for pt in points)
            cells.append(f'<tr data-p="{e(p["code"])}"><th scope="row" id="{rid}">'
                         f'{e(p["label"])}</th>{radios}</tr>')
        out.append("".join(cells))
        out.append("</tbody></table></fieldset>")
    out += ['<p><button type="submit">Save my answers</button></p>',
            '<p id="status" class="status" role="status" aria-live="polite"></p>',
            '<div id="copy-box" hidden><label for="copy">If no file was saved, copy this '
            'text into an e-mail to the evaluation team</label>'
            '<textarea id="copy" rows="6" readonly></textarea></div>',
            "</form></main>", f"<script>{_SCRIPT}</script>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


def write_files(book: dict[str, Any]) -> dict[str, bytes]:
    """``{file name: bytes}``: the questionnaire page."""
    return {FILE: page(book).encode("utf-8")}
