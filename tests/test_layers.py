"""Layers point one way: no module imports from a layer above its own.

Every module of ``senatenet/`` is parsed (``ast``), every ``import`` and
``from ... import`` it contains is collected -- at module level, inside
functions and under ``if TYPE_CHECKING:`` alike -- and each import of a
senatenet module must go to the same layer or a lower one. The order is written
in ``docs/architecture.md`` ("Layers"); ``LAYERS`` below is its executable form.

A module belongs to the layer of its longest listed prefix, so a subpackage
listed once (``senatenet.measures``) covers its modules (``senatenet`` itself
names the package's ``__init__`` only). A module no prefix
covers fails the test: add it (or its package) to ``LAYERS`` and to the table
in ``docs/architecture.md``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "senatenet"

#: Lowest first. A module may import from its own layer and from layers before it.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    # leaf modules: import nothing from senatenet but each other
    (
        "leaf",
        (
            "senatenet.errors",
            "senatenet._version",
            "senatenet.problems",
            "senatenet._protocols",
            "senatenet._lazy",
        ),
    ),
    # parsing files into text tables, matching names, writing files
    ("io", ("senatenet.read.tables", "senatenet.read.names", "senatenet.export")),
    ("validation", ("senatenet.validation",)),
    (
        "survey",
        ("senatenet.spec", "senatenet.survey", "senatenet.graphs", "senatenet.privacy"),
    ),
    # readers that assemble a Survey (long, wide and exchange formats), the
    # bundled sample, and survey instruments built from a roster
    ("readers", ("senatenet.read", "senatenet.sample", "senatenet.instruments")),
    ("measures", ("senatenet.measures", "senatenet.resample", "senatenet.layout")),
    (
        "compare",
        (
            "senatenet.compare",
            "senatenet.models",
            "senatenet.evaluate",
            "senatenet.evaluation",
            "senatenet.trajectory",
        ),
    ),
    ("draw", ("senatenet.draw",)),
    ("report", ("senatenet.report",)),
    ("commands", ("senatenet.commands", "senatenet.cli")),
    # the package itself re-exports everything
    ("api", ("senatenet",)),
]

_RANK = {prefix: i for i, (_, prefixes) in enumerate(LAYERS) for prefix in prefixes}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> int | None:
    """Rank of ``module``'s layer (its longest listed prefix), or None.

    ``senatenet`` itself names the package's ``__init__`` only, not a prefix.
    """
    if module == "senatenet":
        return _RANK["senatenet"]
    parts = module.split(".")
    for n in range(len(parts), 1, -1):
        prefix = ".".join(parts[:n])
        if prefix in _RANK:
            return _RANK[prefix]
    return None


def imports(path: Path, source: str | None = None) -> list[tuple[int, str]]:
    """``(line, module)`` of every senatenet import in the file, anywhere in it."""
    if source is None:
        source = path.read_text(encoding="utf-8")
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source, str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if node.module is None or node.level and layer_of(target) == _RANK.get(
                "senatenet"
            ):
                # ``from . import x`` / ``from .. import x`` name modules (or the
                # package's own re-exports): judge each name
                found += [(node.lineno, f"{target}.{a.name}") for a in node.names]
            else:
                found.append((node.lineno, target))
    return [(line, name) for line, name in found if name.split(".")[0] == "senatenet"]


def _resolve(name: str) -> str:
    """The module an imported dotted name refers to (dropping attribute names)."""
    parts = name.split(".")
    while len(parts) > 1:
        candidate = PACKAGE.parent.joinpath(*parts)
        if candidate.with_suffix(".py").is_file() or (candidate / "__init__.py").is_file():
            return ".".join(parts)
        parts.pop()
    return "senatenet"


MODULES = sorted(PACKAGE.rglob("*.py"))

#: Upward imports being removed on another branch; strict xfail, so the entry
#: must go as soon as the import does.
KNOWN_UPWARD: dict[str, str] = {}


def test_every_module_has_a_layer():
    unknown = [module_name(p) for p in MODULES if layer_of(module_name(p)) is None]
    assert not unknown, (
        f"modules without a layer: {unknown}. Add each (or its package) to LAYERS "
        "in tests/test_layers.py and to the layer table in docs/architecture.md."
    )


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(
            p,
            id=module_name(p),
            marks=pytest.mark.xfail(reason=KNOWN_UPWARD[module_name(p)], strict=True)
            if module_name(p) in KNOWN_UPWARD
            else (),
        )
        for p in MODULES
    ],
)
def test_imports_point_down(path):
    here = layer_of(module_name(path))
    if here is None:
        pytest.skip("no layer (reported by test_every_module_has_a_layer)")
    upward = []
    for line, name in imports(path):
        target = _resolve(name)
        there = layer_of(target)
        if there is None:
            upward.append(f"line {line}: {target} has no layer")
        elif there > here:
            upward.append(
                f"line {line}: imports {target} ({LAYERS[there][0]}) from the "
                f"{LAYERS[here][0]} layer"
            )
    assert not upward, f"{module_name(path)} imports upward:\n" + "\n".join(upward)


def test_layer_table_is_documented(project_root):
    text = (project_root / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = [
        prefix
        for _, prefixes in LAYERS
        for prefix in prefixes
        if f"`{prefix}`" not in text
    ]
    assert not missing, f"docs/architecture.md does not list {missing} in its layers"


def test_the_checker_sees_function_local_and_relative_imports():
    # the parser itself, on the source of a made-up module senatenet/draw/_probe.py
    src = (
        "from ..errors import InputError\n"
        "def f():\n"
        "    from ..report import build_report\n"
        "    from . import layout\n"
        "    import senatenet.compare.waves\n"
    )
    found = [name for _, name in imports(PACKAGE / "draw" / "_probe.py", src)]
    assert found == [
        "senatenet.errors",
        "senatenet.report",
        "senatenet.draw.layout",
        "senatenet.compare.waves",
    ]
    assert layer_of("senatenet.report.sections") > layer_of("senatenet.draw.layout")
    assert layer_of("senatenet.read.long") > layer_of("senatenet.validation")
    assert layer_of("senatenet.read.names") < layer_of("senatenet.validation")
    assert layer_of("senatenet.nowhere") is None

