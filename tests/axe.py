"""Run axe-core (the accessibility engine of the browser dev tools) in a page.

axe-core is installed from the npm registry, never bundled: ``.ci/run`` puts it
in ``~/.cache/senatenet/axe`` (``npm install --prefix ~/.cache/senatenet/axe
axe-core@4``). Set ``SENATENET_AXE`` to another ``axe.min.js`` if you have one.
When it is missing the test is skipped with the reason, except under
``CI=true``, where it fails. The script is injected through WebDriver, so the
page's Content-Security-Policy does not need to allow it, and nothing is
fetched from the network.

Usage::

    from axe import axe_violations, WCAG_AA

    page = chromium.open(path, ready=...)
    assert axe_violations(page) == []                 # the page
    assert axe_violations(page, frame="iframe") == []  # inside its frame
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

__all__ = ["WCAG_AA", "axe_script", "axe_violations", "require_axe"]

#: The rule sets checked: WCAG 2.0, 2.1 and 2.2, levels A and AA.
WCAG_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa")

_CANDIDATES = (
    os.environ.get("SENATENET_AXE", ""),
    str(Path(__file__).resolve().parents[1] / "node_modules/axe-core/axe.min.js"),
    str(Path.home() / ".cache/senatenet/axe/node_modules/axe-core/axe.min.js"),
)


def require_axe() -> Path:
    """The path of ``axe.min.js``; skip (fail under ``CI=true``) when absent."""
    for c in _CANDIDATES:
        if c and Path(c).is_file():
            return Path(c)
    reason = (
        "accessibility tests need axe-core: run `npm install --prefix "
        "~/.cache/senatenet/axe axe-core@4` or set SENATENET_AXE to axe.min.js"
    )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason + " (CI=true: accessibility tests are required)")
    pytest.skip(reason)


def axe_script() -> str:
    """The text of ``axe.min.js`` (skips or fails when absent)."""
    return require_axe().read_text(encoding="utf-8")


def _summarise(violations: list[dict]) -> list[dict]:
    return [
        {
            "id": v["id"],
            "impact": v.get("impact"),
            "help": v.get("help"),
            "nodes": [
                {"target": n.get("target"), "summary": n.get("failureSummary")}
                for n in v.get("nodes", [])[:5]
            ],
        }
        for v in violations
    ]


def axe_violations(
    page, *, frame: str | None = None, tags: tuple[str, ...] = WCAG_AA
) -> list[dict]:
    """axe-core's violations for the page (or inside the first ``frame`` match).

    ``page`` is a :class:`browser.Page`. Each violation is summarised as
    ``{"id", "impact", "help", "nodes": [{"target", "summary"}, ...]}`` so
    that a failing assertion prints what to fix.
    """
    driver = page.driver
    source = axe_script()
    if frame is not None:
        from selenium.webdriver.common.by import By

        driver.switch_to.frame(driver.find_element(By.CSS_SELECTOR, frame))
    try:
        driver.execute_script(source + "\n;return true;")
        driver.set_script_timeout(60)
        result = driver.execute_async_script(
            """
            var done = arguments[arguments.length - 1];
            axe.run(document, {runOnly: {type: "tag", values: arguments[0]},
                               iframes: false, resultTypes: ["violations"]})
               .then(function (r) { done(r.violations); })
               .catch(function (e) { done({error: String(e)}); });
            """,
            list(tags),
        )
    finally:
        if frame is not None:
            driver.switch_to.default_content()
    if isinstance(result, dict) and "error" in result:
        raise RuntimeError(f"axe-core failed: {result['error']}")
    return _summarise(result)
