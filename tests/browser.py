"""A small headless-Chromium harness for testing senatenet's HTML outputs.

Opens a local HTML file from ``file://`` with networking disabled and records
what the page did: console errors, uncaught JavaScript errors, Content-Security-
Policy violations, ``alert``/``confirm``/``prompt`` calls (so that an injection
payload such as ``<img src=x onerror=alert(1)>`` is detected instead of blocking
the browser) and every network request the page attempted.

Usage in a test module::

    import pytest
    from browser import launch

    pytestmark = pytest.mark.browser

    @pytest.fixture(scope="module")
    def chromium():
        with launch() as b:
            yield b

    def test_page(chromium, tmp_path):
        page = chromium.open(path_to_html, ready="window.senatenetMap")
        assert page.run("return document.title") == "..."
        assert page.console_errors() == []
        assert page.requests() == []

Chromium and chromedriver are the Debian packages (``/usr/bin/chromium``,
``/usr/bin/chromedriver``; override with ``SENATENET_CHROMIUM`` and
``SENATENET_CHROMEDRIVER``). Selenium Manager is never used, so nothing is
downloaded. The probe is not injected into sandboxed ``srcdoc`` iframes, where
Chromium ignores ``alert`` silently; test injection on the standalone page.
When either is missing the test is skipped with the reason, except
under ``CI=true``, where it fails.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

__all__ = ["CHROMIUM", "CHROMEDRIVER", "Browser", "Page", "launch", "require_browser"]

CHROMIUM = os.environ.get("SENATENET_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("SENATENET_CHROMEDRIVER", "/usr/bin/chromedriver")

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--no-default-browser-check",
    "--metrics-recording-only",
    # belt and braces: even if the page tried, nothing could resolve or connect
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
)

# Runs in every frame before the page's own scripts.
_PROBE = r"""
(function () {
  var w = window;
  w.__senatenetProbe = {alerts: [], errors: [], csp: []};
  var record = function (kind) {
    return function (message) {
      w.__senatenetProbe.alerts.push(kind + ":" + String(message));
      return kind === "confirm" ? false : null;
    };
  };
  w.alert = record("alert");
  w.confirm = record("confirm");
  w.prompt = record("prompt");
  w.addEventListener("error", function (e) {
    var t = e.target;
    if (t && t !== w && t.tagName) {  // a resource (img, script, link) failed
      w.__senatenetProbe.errors.push("failed to load <" + t.tagName.toLowerCase() +
        "> " + String(t.src || t.href || ""));
    } else {
      w.__senatenetProbe.errors.push(String(e.message || e.type) +
        (e.filename ? " (" + e.filename + ":" + e.lineno + ")" : ""));
    }
  }, true);
  w.addEventListener("unhandledrejection", function (e) {
    w.__senatenetProbe.errors.push("unhandled rejection: " + String(e.reason));
  });
  document.addEventListener("securitypolicyviolation", function (e) {
    w.__senatenetProbe.csp.push(e.violatedDirective + " " + e.blockedURI);
  });
})();
"""


def require_browser() -> None:
    """Skip (or fail under ``CI=true``) when Chromium or chromedriver is missing."""
    problems = []
    try:
        import selenium  # noqa: F401
    except ImportError:
        problems.append("the selenium package is not installed")
    for what, path in (("Chromium", CHROMIUM), ("chromedriver", CHROMEDRIVER)):
        if not (Path(path).is_file() or shutil.which(path)):
            problems.append(f"{what} not found at {path}")
    if problems:
        reason = "browser tests need headless Chromium: " + "; ".join(problems)
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason + " (CI=true: browser tests are required)")
        pytest.skip(reason)


class Page:
    """One loaded page: run JavaScript and inspect what happened."""

    def __init__(self, browser: Browser, url: str) -> None:
        self.browser = browser
        self.url = url

    @property
    def driver(self):
        return self.browser.driver

    def run(self, script: str, *args):
        """Run JavaScript in the page (use ``return`` to get a value back)."""
        return self.driver.execute_script(script, *args)

    def wait_for(self, condition: str, timeout: float = 20.0):
        """Wait until the JavaScript expression ``condition`` is truthy; return it."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.run(
                f"try {{ return ({condition}); }} catch (e) {{ return null; }}"
            )
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"{condition!r} still false after {timeout} s; "
                    f"errors: {self.console_errors()}"
                )
            time.sleep(0.05)

    def alerts(self) -> list[str]:
        """``alert``/``confirm``/``prompt`` calls made by the page (top frame).

        Raises RuntimeError in a frame the probe could not reach (e.g. a
        sandboxed ``srcdoc`` iframe, where modal dialogs are blocked anyway).
        """
        calls = self.run("var p = window.__senatenetProbe; return p ? p.alerts : null;")
        if calls is None:
            raise RuntimeError("the alert probe is not installed in this frame")
        return list(calls)

    def console_errors(self) -> list[str]:
        """Console errors, uncaught exceptions and CSP violations so far."""
        self.browser._drain_logs()
        probe = self.run(
            "var p = window.__senatenetProbe || {errors: [], csp: []};"
            "return p.errors.concat(p.csp.map(function (c) { return 'CSP: ' + c; }));"
        )
        return list(self.browser._console) + list(probe or [])

    def requests(self) -> list[str]:
        """URLs of every request attempted except the page itself and ``data:``.

        Conservative: Chromium reports an image request here even when the
        Content-Security-Policy then blocks it (see :meth:`console_errors`).
        The probe is not installed in a sandboxed ``srcdoc`` iframe: check
        blocked requests there with a ``securitypolicyviolation`` listener.
        """
        self.browser._drain_logs()
        return [
            u
            for u in self.browser._requests
            if u != self.url and not u.startswith(("data:", "blob:"))
        ]

    def screenshot(self, path: str | os.PathLike) -> Path:
        """Save a PNG of the viewport and return its path."""
        path = Path(path)
        self.driver.save_screenshot(str(path))
        return path


class Browser:
    """A headless Chromium driven by Selenium, with networking switched off."""

    def __init__(self, width: int = 1280, height: int = 860) -> None:
        require_browser()
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self._profile = tempfile.mkdtemp(prefix="senatenet-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={self._profile}")
        options.add_argument(f"--window-size={width},{height}")
        options.set_capability(
            "goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"}
        )
        options.set_capability("unhandledPromptBehavior", "ignore")
        try:
            self.driver = webdriver.Chrome(
                service=Service(CHROMEDRIVER), options=options
            )
        except Exception:
            shutil.rmtree(self._profile, ignore_errors=True)
            raise
        self.driver.execute_cdp_cmd("Network.enable", {})
        self.driver.execute_cdp_cmd(
            "Network.emulateNetworkConditions",
            {
                "offline": True,
                "latency": 0,
                "downloadThroughput": 0,
                "uploadThroughput": 0,
            },
        )
        self.driver.execute_cdp_cmd(
            "Page.addScriptToEvaluateOnNewDocument", {"source": _PROBE}
        )
        self._console: list[str] = []
        self._requests: list[str] = []

    def _drain_logs(self) -> None:
        for entry in self.driver.get_log("browser"):
            if entry.get("level") == "SEVERE":
                self._console.append(entry.get("message", ""))
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") == "Network.requestWillBeSent":
                self._requests.append(message["params"]["request"]["url"])

    def open(
        self,
        path: str | os.PathLike,
        ready: str | None = None,
        timeout: float = 30.0,
    ) -> Page:
        """Load a local file from ``file://``; wait for ``ready`` (a JS expression)."""
        url = Path(path).resolve().as_uri()
        self._drain_logs()  # forget the previous page
        self._console.clear()
        self._requests.clear()
        self.driver.get(url)
        page = Page(self, url)
        if ready:
            page.wait_for(ready, timeout)
        return page

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.driver.quit()
        shutil.rmtree(self._profile, ignore_errors=True)


@contextlib.contextmanager
def launch(width: int = 1280, height: int = 860) -> Iterator[Browser]:
    """A :class:`Browser` closed on exit (skips or fails when Chromium is absent)."""
    browser = Browser(width, height)
    try:
        yield browser
    finally:
        browser.close()
