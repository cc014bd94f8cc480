"""Heavy libraries loaded on first use, so that ``import senatenet`` stays quick.

``sp = lazy_module("scipy.sparse")`` binds a stand-in that imports
:mod:`scipy.sparse` the first time an attribute is looked up (``sp.csr_array``)
and then behaves as the module. scipy, matplotlib, jinja2, openpyxl, rapidfuzz
and pyvis load only when a function that needs them runs.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

__all__ = ["lazy_module"]


class _LazyModule:
    """Stands for a module until an attribute is first looked up."""

    __slots__ = ("_name", "_module")

    def __init__(self, name: str) -> None:
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_module", None)

    def _load(self) -> ModuleType:
        module = self._module
        if module is None:
            module = importlib.import_module(self._name)
            object.__setattr__(self, "_module", module)
        return module

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._load(), attr)

    def __dir__(self) -> list[str]:
        return dir(self._load())

    def __repr__(self) -> str:
        state = "loaded" if self._module is not None else "not loaded yet"
        return f"<lazy module {self._name!r} ({state})>"


def lazy_module(name: str) -> Any:
    """A stand-in for module ``name`` that imports it on first attribute access.

    Parameters
    ----------
    name : str
        Dotted module name, e.g. ``"scipy.sparse"``.

    Returns
    -------
    object
        Behaves as the module for attribute access (``sp.csr_array(...)``).

    Examples
    --------
    >>> m = lazy_module("json")
    >>> m.dumps([1])
    '[1]'
    """
    return _LazyModule(name)
