"""Writing the report's files: figures (once per format), map, tables, manifest."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from .manifest import file_sha256

__all__: list[str] = []

_REPORT_OUTPUT = re.compile(
    r"report\.html|map\.html|figures/[\w.-]+\.(?:png|svg)|tables/[\w.-]+\.(?:csv|xlsx)"
)


def remove_previous_outputs(out: Path) -> list[Path]:
    """Delete the files an earlier report wrote into ``out`` (from its manifest).

    Otherwise a named figure of an earlier run (e.g. ``org_network.png``) could
    survive next to a pseudonymised or suppressed report. Only files listed in
    the earlier ``manifest.json`` and lying inside ``out`` are removed.
    """
    manifest = out / "manifest.json"
    if not manifest.is_file():
        return []
    try:
        earlier = json.loads(manifest.read_text(encoding="utf-8"))
        listed = earlier.get("outputs") or {}
        made_by_senatenet = "senatenet" in (earlier.get("versions") or {})
    except (ValueError, OSError, AttributeError, TypeError):
        return []
    if not made_by_senatenet:  # someone else's manifest.json: touch nothing
        return []
    removed = []
    root = out.resolve()
    for rel in listed:
        if not _REPORT_OUTPUT.fullmatch(str(rel)):  # only what a report writes
            continue
        path = (out / str(rel)).resolve()
        if path.is_file() and root in path.parents:
            path.unlink()
            removed.append(path)
    return removed


def write_tables(tables: Mapping[str, pd.DataFrame], folder: Path) -> dict[str, Path]:
    """Each table as an Excel-safe CSV, and all of them in one XLSX workbook."""
    from .. import export

    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for name, df in tables.items():
        path = folder / f"{name}.csv"
        export.write_csv(df, path)
        written[name] = path
    book = folder / "senatenet-tables.xlsx"
    export.write_xlsx(dict(tables), book)
    written["workbook"] = book
    return written


def inputs(survey, cohort: str) -> dict[str, Any]:
    sources = dict(getattr(survey, "sources", {}) or {})
    hashes = dict(getattr(survey, "hashes", {}) or {})
    out = {}
    for name, src in sources.items():
        label = f"{cohort}: {name}"
        is_file = isinstance(src, str | os.PathLike) and not str(src).startswith("<")
        out[label] = {
            "file": Path(src).name if is_file else str(src),
            "sha256": hashes.get(name)
            or (file_sha256(src) if is_file and Path(src).is_file() else None),
        }
    return out


def _draw_one(task) -> tuple[bytes, str | None]:
    """Draw one figure and render it to PNG (and SVG) (a task of :func:`draw_figures`)."""
    import matplotlib

    from .figures import REPORT_RC, render_report_figure

    spec, content, seed, formats = task
    with matplotlib.rc_context(REPORT_RC):  # drawing may measure text too
        return render_report_figure(spec.draw(content, seed), formats)


def draw_figures(
    specs, content, folder: Path, *, seed: int, n_jobs: int | None = 1,
    formats: tuple[str, ...] = ("png",),
) -> dict[str, dict]:
    """Draw each :class:`~.sections.FigureSpec` once and save it once per format
    (``folder/<name>.png``, and ``.svg`` when ``formats`` has ``"svg"``);
    returns the embeds by name.

    With ``n_jobs`` other than 1 the figures are drawn in parallel through the
    resampling engine (:func:`senatenet.resample.map_tasks`: joblib processes,
    or a Dask cluster); each worker returns the PNG bytes and SVG text and this
    process writes the files, so the files are the same for every ``n_jobs``.
    """
    from ..resample import map_tasks
    from .figures import write_report_figure

    specs = list(specs)
    rendered = map_tasks(
        _draw_one, [(spec, content, seed, tuple(formats)) for spec in specs],
        n_jobs=n_jobs,
    )
    out = {}
    for spec, (png, svg) in zip(specs, rendered, strict=True):
        alt, caption = spec.text(content)
        out[spec.name] = write_report_figure(
            png, svg, spec.name, folder, alt=alt, caption=caption
        )
    return out


def write_map(content, path: Path, *, title: str | None) -> str:
    """``map.html`` (the interactive before/after map, or with follow-up waves
    one view per wave and per pair of waves); returns its HTML."""
    from ..draw import interactive_map

    follow = getattr(content, "follow_up", None)
    m = interactive_map(
        follow["trajectory"] if follow else content.cmp,  # a view per wave and pair
        title=title or "Who is connected to whom",
        label="pseudonym" if content.pseudonymised else "name",
        seed=content.seed,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    m.save(path)
    return m.html
