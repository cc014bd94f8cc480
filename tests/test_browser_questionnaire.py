"""The offline HTML questionnaire, filled in by keys and clicks in headless Chromium;
the CSV it saves reads back to the ties that were entered."""

from __future__ import annotations

import time

import pandas as pd
import pytest
from browser import launch

import senatenet

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def chromium():
    with launch() as browser:
        yield browser


def _roster(n: int) -> pd.DataFrame:
    names = ["Ann Lee", "<img src=x onerror=alert(1)>", "Bo Chan", "Siân O'Brien"]
    names += [f"Person {k:03d}" for k in range(len(names), n)]
    return pd.DataFrame({"person_id": [f"{k:03d}" for k in range(n)], "name": names,
                         "organisation": [["Trust", "Council"][k % 2] for k in range(n)]})


def _click(page, css):
    """Scroll the element to the middle of the window (as a person would), click it."""
    el = page.driver.find_element("css selector", css)
    page.run("arguments[0].scrollIntoView({block: 'center'})", el)
    el.click()


def test_fill_in_by_keyboard_and_clicks_and_read_the_csv_back(chromium, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    roster = _roster(40)
    ins = senatenet.make_instrument(roster, {"advice": "How often do you ask for advice?",
                                             "trust": "Whom do you trust?"},
                                    formats=("html",), out=tmp_path / "ins")
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    page = chromium.open(ins.out / "questionnaire.html", ready="window.senatenetQuestionnaire")
    d = page.driver
    d.execute_cdp_cmd("Browser.setDownloadBehavior",
                      {"behavior": "allow", "downloadPath": str(downloads)})
    # saving before choosing a name is refused with a message, focus on the drop-down
    d.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    assert "choose your own name" in d.find_element(By.ID, "status").text
    assert d.switch_to.active_element.get_attribute("id") == "resp"
    # the searchable list: typing filters the roster drop-down
    box = d.find_element(By.ID, "resp-filter")
    box.send_keys("bo ch")
    shown = page.run("return Array.from(document.querySelectorAll('#resp option'))"
                     ".filter(o => o.value && !o.hidden).map(o => o.textContent)")
    assert shown == ["Bo Chan (Trust)"]
    Select(d.find_element(By.ID, "resp")).select_by_visible_text("Bo Chan (Trust)")
    # own row is hidden in every question
    hidden = page.run("return Array.from(document.querySelectorAll('tr[data-p=P003]'))"
                      ".map(tr => tr.hidden)")
    assert hidden == [True, True]
    # keyboard: Tab into the first radio of Ann's row, arrow to "Weekly", Space
    first = d.find_element(By.CSS_SELECTOR, "#rel-advice tr[data-p=P001] input")
    first.send_keys(Keys.SPACE)
    for _ in range(4):
        d.switch_to.active_element.send_keys(Keys.ARROW_RIGHT)
    assert d.switch_to.active_element.get_attribute("value") == "5"  # Weekly
    # clicks: the find box narrows the list, then a click answers
    find = d.find_element(By.ID, "find-trust")
    find.send_keys("person 017")
    visible = page.run("return Array.from(document.querySelectorAll('#rel-trust tr[data-p]'))"
                       ".filter(tr => !tr.hidden).length")
    assert visible == 1
    _click(page, "#rel-trust tr[data-p=P018] input[value='6']")
    _click(page, "#rel-advice tr[data-p=P002] input[value='1']")
    # every radio has an accessible name made of the person and the answer
    label = page.run("var i = document.querySelector('#rel-trust tr[data-p=P018] input:checked');"
                     "return i.getAttribute('aria-labelledby').split(' ')"
                     ".map(id => document.getElementById(id).textContent).join(' ')")
    assert label == "Person 017 (Council) Daily"
    _click(page, "button[type=submit]")
    deadline = time.monotonic() + 15
    while not list(downloads.glob("*.csv")) and time.monotonic() < deadline:
        time.sleep(0.1)
    files = list(downloads.glob("*.csv"))
    assert [f.name for f in files] == ["answers-P003.csv"]
    assert "Saved 3 answer(s)" in d.find_element(By.ID, "status").text
    assert page.console_errors() == [] and page.requests() == [] and page.alerts() == []
    s = senatenet.read_survey_export(downloads, instrument=ins.out / "instrument.json",
                                     wave="pre", roster=roster)
    got = sorted(map(tuple, s.ties[["respondent", "alter", "relation", "strength"]]
                     .values.tolist()))
    assert got == [("002", "000", "advice", 4.0), ("002", "017", "trust", 5.0)]
    assert s.respondents["person_id"].tolist() == ["002"]
    assert (s.validation["severity"] != "error").all()
