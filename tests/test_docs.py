"""Every code block in docs/ and the README example runs, so the docs cannot rot.

Conventions for Markdown code blocks:

- ``python`` blocks run in order, sharing one namespace per page, in a temporary
  working directory where ``data/`` points at the project's ``data/`` folder.
- ``bash`` blocks: lines starting with ``senatenet`` run in-process through
  :func:`senatenet.cli.main` and must exit 0, unless the line ends with a comment
  ``# exit N``. Other lines must be set-up commands (venv, pip, apt-get, cd), which
  are not run here (CI runs the README's commands for real).
- Any other language (``text``, ``csv``, ``json``...) is data, not code.
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted((ROOT / "docs").glob("*.md"))
FENCE = re.compile(r"^```([\w+-]*)[^\n]*\n(.*?)^```\s*$", re.M | re.S)
SETUP = re.compile(r"^(python3? -m venv|\.?venv/bin/pip|pip |apt-get|cd |source |\. )")


def code_blocks(path: Path) -> list[tuple[str, str, int]]:
    text = path.read_text(encoding="utf-8")
    return [
        (m.group(1).lower(), m.group(2), text[: m.start()].count("\n") + 1)
        for m in FENCE.finditer(text)
    ]


@pytest.fixture
def docs_cwd(tmp_path, monkeypatch):
    (tmp_path / "data").symlink_to(ROOT / "data", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    return tmp_path


def run_page(path: Path) -> int:
    from senatenet.cli import main

    namespace: dict = {"__name__": f"docs_{path.stem}"}
    ran = 0
    for lang, code, line in code_blocks(path):
        where = f"{path.relative_to(ROOT)}:{line}"
        if lang in ("python", "py"):
            exec(compile(code, where, "exec"), namespace)  # noqa: S102
            ran += 1
        elif lang in ("bash", "sh", "shell", "console"):
            for raw in code.splitlines():
                command = raw.strip().removeprefix("$ ")
                if not command or command.startswith("#"):
                    continue
                if command.startswith("senatenet "):
                    expected = 0
                    m = re.search(r"#\s*exit\s+(\d+)\s*$", command)
                    if m:
                        expected = int(m.group(1))
                    argv = shlex.split(command, comments=True)[1:]
                    assert main(argv) == expected, f"{where}: {command}"
                    ran += 1
                else:
                    assert SETUP.match(command), (
                        f"{where}: shell line is neither a senatenet command nor set-up: "
                        f"{command!r}"
                    )
    return ran


@pytest.mark.parametrize("page", DOCS, ids=[p.name for p in DOCS])
def test_docs_page_code_runs(page, docs_cwd, figures_not_rendered):
    run_page(page)


def test_readme_python_example_runs(docs_cwd):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [m.group(2) for m in FENCE.finditer(text) if m.group(1) == "python"]
    assert blocks, "README has a Python example"
    namespace: dict = {}
    for code in blocks:
        exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102
    assert (docs_cwd / "map.html").is_file()


def test_docs_have_runnable_examples():
    pages_with_code = [p for p in DOCS if any(lang == "python" for lang, _, _ in code_blocks(p))]
    assert len(pages_with_code) >= 3, [p.name for p in DOCS]


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "<!-- test-command -->" in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "test-command" in ci and os.access(ROOT / ".ci" / "run", os.X_OK)
