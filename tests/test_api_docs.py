"""The public API is documented: numpydoc docstrings with References and Examples,
and docs/api.md is generated from them and current."""

from __future__ import annotations

import importlib.util
import inspect
from pathlib import Path

import pytest

import senatenet

ROOT = Path(__file__).resolve().parents[1]
PUBLIC = [
    name
    for name in senatenet.__all__
    if name != "__version__"
    and (inspect.isfunction(getattr(senatenet, name)) or inspect.isclass(getattr(senatenet, name)))
]
# Exceptions and plain data containers document their fields, not a method with examples.
NO_EXAMPLES_NEEDED = {"SenatenetError", "InputError", "SurveyError", "Table", "WideTables"}


@pytest.mark.parametrize("name", PUBLIC)
def test_public_callable_has_numpydoc_docstring(name):
    doc = inspect.getdoc(getattr(senatenet, name)) or ""
    assert len(doc) > 40, f"{name} has no real docstring"
    if name in NO_EXAMPLES_NEEDED:
        return
    assert "Examples\n--------" in doc and ">>>" in doc, f"{name}: no doctested Examples section"
    assert "References\n----------" in doc, f"{name}: no References section"


def test_api_page_is_current():
    spec = importlib.util.spec_from_file_location("make_api", ROOT / "docs" / "make_api.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    current = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    assert current == module.render(), "docs/api.md is stale: run python docs/make_api.py"


def test_api_page_lists_every_public_name():
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    missing = [n for n in senatenet.__all__ if n != "__version__" and f"`{n}`" not in text]
    assert not missing
