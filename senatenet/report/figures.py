"""Saving report figures (PNG + SVG) and embedding them in the page."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .html import png_data_uri

__all__: list[str] = []

#: PNG resolution of saved figures (the embedded copy is the same image).
DPI = 130


def as_figure(obj: Any) -> Figure:
    """The Figure behind what a plotting function returned (Figure, Axes, array)."""
    if isinstance(obj, Figure):
        return obj
    if hasattr(obj, "figure") and isinstance(obj.figure, Figure):
        return obj.figure
    flat = np.ravel(np.asarray(obj, dtype=object))
    if flat.size and hasattr(flat[0], "figure"):
        return flat[0].figure
    raise TypeError(f"cannot find a matplotlib Figure in {type(obj).__name__}")


def save_report_figure(
    obj: Any, name: str, folder: Path, *, alt: str, caption: str
) -> dict[str, Any]:
    """Write ``folder/name.png`` and ``folder/name.svg`` and describe the embed.

    SVG text is kept as text (``svg.fonttype = "none"``) so it stays
    searchable and small; no metadata beyond the software name is written.
    """
    fig = as_figure(obj)
    folder.mkdir(parents=True, exist_ok=True)
    meta_png = {"Software": "senatenet (matplotlib)"}
    buf = io.BytesIO()
    fig.savefig(
        buf,
        format="png",
        dpi=DPI,
        bbox_inches="tight",
        facecolor="white",
        metadata=meta_png,
    )
    png = buf.getvalue()
    (folder / f"{name}.png").write_bytes(png)
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "senatenet"}):
        fig.savefig(
            folder / f"{name}.svg",
            format="svg",
            bbox_inches="tight",
            facecolor="white",
            metadata={"Creator": "senatenet (matplotlib)", "Date": None},
        )
    plt.close(fig)
    src, width, height = png_data_uri(png)
    # Show at most 1040 CSS pixels wide; the PNG keeps its full resolution.
    scale = min(1.0, 1040 / width) if width else 1.0
    return {
        "name": name,
        "src": src,
        "alt": alt,
        "caption": caption,
        "width": int(round(width * scale)),
        "height": int(round(height * scale)),
    }


def masked_block_density(
    blocks: dict[str, pd.DataFrame], colors: dict[str, str] | None = None
) -> Figure:
    """Before / after / change heatmaps where suppressed cells are hatched grey.

    Used instead of the standard block-density figure when ``suppress_below``
    hides cells, so that no suppressed number is drawn.
    """
    panels = [
        ("before", "Before", "Blues"),
        ("after", "After", "Blues"),
        ("change", "Change", "RdBu"),
    ]
    n = len(blocks["before"])
    size = max(3.6, 0.55 * n + 2.0)
    fig, axes = plt.subplots(1, 3, figsize=(3 * size, size), constrained_layout=True)
    vmax = np.nanmax(
        [np.nanmax(np.abs(blocks[k].to_numpy(float))) for k in ("before", "after")]
        + [1e-9]
    )
    cmax = np.nanmax([np.nanmax(np.abs(blocks["change"].to_numpy(float))), 1e-9])
    for ax, (key, title, cmap) in zip(axes, panels, strict=True):
        df = blocks[key].astype(float)
        data = df.to_numpy()
        masked = np.ma.masked_invalid(data)
        cm = plt.get_cmap(cmap).with_extremes(bad="#e0e0e0")
        lim = (-cmax, cmax) if key == "change" else (0, vmax)
        ax.imshow(masked, cmap=cm, vmin=lim[0], vmax=lim[1])
        for i in range(data.shape[0]):
            for j in range(data.shape[1]):
                v = data[i, j]
                text = (
                    "–"
                    if np.isnan(v)
                    else (f"{v:+.2f}" if key == "change" else f"{v:.2f}")
                )
                ax.text(j, i, text, ha="center", va="center", fontsize=8)
                if np.isnan(v):
                    ax.add_patch(
                        plt.Rectangle(
                            (j - 0.5, i - 0.5),
                            1,
                            1,
                            fill=False,
                            hatch="///",
                            edgecolor="#9e9e9e",
                            lw=0,
                        )
                    )
        labels = [str(x) for x in df.index]
        ax.set_xticks(
            range(len(df.columns)),
            [str(x) for x in df.columns],
            rotation=60,
            ha="right",
            fontsize=8,
        )
        ax.set_yticks(
            range(len(labels)),
            labels if key == "before" else [""] * len(labels),
            fontsize=8,
        )
        ax.set_title(title)
    fig.suptitle(
        "Density of ties within and between organisations (hatched: suppressed)"
    )
    return fig
