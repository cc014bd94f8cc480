"""Parse ergm-style model formulas: ``"edges + nodematch(org) + gwesp(0.5, fixed=TRUE)"``."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError

__all__: list[str] = []

_R_CONSTANTS = {"TRUE": True, "FALSE": False, "T": True, "F": False, "NULL": None}


@dataclass(frozen=True)
class Term:
    """One term of a formula: its name, positional and keyword arguments."""

    name: str
    args: tuple = ()
    kwargs: dict[str, Any] = field(default_factory=dict)

    def text(self) -> str:
        parts = [repr(a) if not isinstance(a, str) else a for a in self.args]
        parts += [f"{k}={v!r}" for k, v in self.kwargs.items()]
        return f"{self.name}({', '.join(parts)})" if parts else self.name


def _value(node: ast.AST, formula: str) -> Any:
    if isinstance(node, ast.Name):
        return _R_CONSTANTS.get(node.id, node.id)
    if isinstance(node, ast.Attribute):  # wealth.x -> "wealth.x"
        return f"{_value(node.value, formula)}.{node.attr}"
    try:
        return ast.literal_eval(node)
    except (ValueError, SyntaxError) as exc:
        raise InputError(
            f"formula {formula!r}: cannot read the argument {ast.unparse(node)!r} "
            "(use a name, a number, a quoted string or TRUE/FALSE)"
        ) from exc


def _terms(node: ast.AST, formula: str) -> list[Term]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _terms(node.left, formula) + _terms(node.right, formula)
    if isinstance(node, ast.Name):
        return [Term(node.id)]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        args = tuple(_value(a, formula) for a in node.args)
        kwargs = {k.arg: _value(k.value, formula) for k in node.keywords if k.arg}
        return [Term(node.func.id, args, kwargs)]
    raise InputError(
        f"formula {formula!r}: {ast.unparse(node)!r} is not a term; write terms "
        "joined by '+', e.g. 'edges + nodematch(organisation)'"
    )


def parse_formula(formula: str | list | tuple) -> list[Term]:
    """Terms of an ergm formula (the left-hand side ``y ~`` is ignored).

    A list or tuple of term strings is accepted as well.
    """
    if isinstance(formula, (list, tuple)):
        out: list[Term] = []
        for part in formula:
            out += parse_formula(part)
        return out
    if not isinstance(formula, str) or not formula.strip():
        raise InputError(f"formula must be a non-empty string, not {formula!r}")
    rhs = formula.split("~", 1)[1] if "~" in formula else formula
    try:
        tree = ast.parse(rhs.strip(), mode="eval")
    except SyntaxError as exc:
        raise InputError(f"formula {formula!r} cannot be read: {exc.msg}") from exc
    return _terms(tree.body, formula)
