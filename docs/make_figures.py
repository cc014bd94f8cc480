"""Regenerate the images of docs/figures.md from the code shown on that page.

Usage (from the project root): ``.venv/bin/python docs/make_figures.py``

Every ``python`` block of figures.md runs in order in one namespace (as the docs
test does), inside a temporary folder where ``data/`` points at the project's
``data/``. A block preceded by ``<!-- figure: NAME -->`` must leave its figure
current; it is saved as ``docs/images/NAME.png``. So each picture is exactly
what the code above it makes.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
PAGE = DOCS / "figures.md"
IMAGES = DOCS / "images"
BLOCK = re.compile(r"(?:<!--\s*figure:\s*([\w-]+)\s*-->\s*\n)?^```python[^\n]*\n(.*?)^```\s*$",
                   re.M | re.S)
DPI = 96


def blocks(text: str) -> list[tuple[str | None, str, int]]:
    """``(figure name or None, code, line)`` for each python block."""
    return [(m.group(1), m.group(2), text[: m.start(2)].count("\n") + 1)
            for m in BLOCK.finditer(text)]


def main() -> int:
    IMAGES.mkdir(exist_ok=True)
    written = []
    namespace: dict = {"__name__": "docs_figures"}
    here = Path.cwd()
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "data").symlink_to(ROOT / "data", target_is_directory=True)
        os.chdir(tmp)
        try:
            for name, code, line in blocks(PAGE.read_text(encoding="utf-8")):
                if name:
                    plt.close("all")
                exec(compile(code, f"{PAGE}:{line}", "exec"), namespace)  # noqa: S102
                if name:
                    out = IMAGES / f"{name}.png"
                    plt.gcf().savefig(out, dpi=DPI, bbox_inches="tight", facecolor="white",
                                      metadata={"Software": None})
                    written.append(out)
                    plt.close("all")
        finally:
            os.chdir(here)
    for path in written:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
