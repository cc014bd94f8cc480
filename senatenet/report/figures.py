"""Saving report figures (PNG, and SVG on request) and embedding them in the page."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .html import png_data_uri

if TYPE_CHECKING:  # matplotlib loads when a report is built, not with senatenet
    from matplotlib.figure import Figure

__all__: list[str] = []

#: PNG resolution of saved figures (the embedded copy is the same image).
DPI = 130

#: zlib level of the PNGs. Report figures are mostly flat colour, so level 1 is
#: about as small as PIL's default (6) and takes about half the encoding time.
PNG_COMPRESSION = 1

#: Matplotlib settings of every report figure. Text is not hinted: hinting
#: fits glyphs to the pixel grid of the saved PNG, but the page shows it scaled
#: (1040 CSS pixels wide on screen, finer in print), so it would not survive,
#: and unhinted text draws about a third faster.
REPORT_RC = {"text.hinting": "no_hinting"}

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def as_figure(obj: Any) -> Figure:
    """The Figure behind what a plotting function returned (Figure, Axes, array)."""
    from matplotlib.figure import Figure

    if isinstance(obj, Figure):
        return obj
    if hasattr(obj, "figure") and isinstance(obj.figure, Figure):
        return obj.figure
    flat = np.ravel(np.asarray(obj, dtype=object))
    if flat.size and hasattr(flat[0], "figure"):
        return flat[0].figure
    raise TypeError(f"cannot find a matplotlib Figure in {type(obj).__name__}")


#: Formats a report can save its figures in; PNG is always written (the page
#: embeds it), SVG on request (``figure_formats``, ``--svg``).
FIGURE_FORMATS = ("png", "svg")


def render_report_figure(
    obj: Any, formats: tuple[str, ...] = ("png",)
) -> tuple[bytes, str | None]:
    """The figure as PNG bytes and, when ``"svg"`` is in ``formats``, SVG text
    (else None), each format rendered once; closes the figure.

    SVG text is kept as text (``svg.fonttype = "none"``) so it stays
    searchable and small; no metadata beyond the software name is written.
    Called inside ``matplotlib.rc_context(REPORT_RC)`` by the report.
    """
    import matplotlib
    import matplotlib.image
    import matplotlib.pyplot as plt

    fig = as_figure(obj)
    meta_png = {"Software": "senatenet (matplotlib)"}
    fig.patch.set_facecolor("white")
    if fig.get_layout_engine() is not None:
        # Render once per format: one Agg draw lays the figure out and paints the
        # PNG (encoded from the canvas buffer, as savefig would), then the layout
        # is frozen so that the SVG is drawn once more, without a layout pass.
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        fig.set_dpi(DPI)
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        buf = io.BytesIO()
        matplotlib.image.imsave(
            buf,
            np.asarray(canvas.buffer_rgba())[..., :3],  # opaque: no alpha channel
            format="png",
            origin="upper",
            dpi=DPI,
            metadata=meta_png,
            pil_kwargs={"compress_level": PNG_COMPRESSION},
        )
        # Drop the layout engine itself (not "none", which leaves a placeholder
        # engine that makes savefig lay the figure out again in a draw pass
        # before the SVG pass).
        fig.set_layout_engine(None)
        bbox = None
    else:
        # no layout engine: "tight" measures the figure, then each format draws
        bbox = "tight"
        buf = io.BytesIO()
        fig.savefig(
            buf,
            format="png",
            dpi=DPI,
            bbox_inches=bbox,
            facecolor="white",
            metadata=meta_png,
            pil_kwargs={"compress_level": PNG_COMPRESSION},
        )
    if "svg" not in formats:
        plt.close(fig)
        return buf.getvalue(), None
    svg = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "senatenet"}):
        fig.savefig(
            svg,
            format="svg",
            bbox_inches=bbox,
            facecolor="white",
            metadata={"Creator": "senatenet (matplotlib)", "Date": None},
        )
    plt.close(fig)
    # survey text is written into the SVG as text; control characters (a
    # vertical tab from an Excel cell, say) are not allowed in XML and would
    # make the whole file unreadable, so they become U+FFFD
    return buf.getvalue(), _XML_INVALID.sub("\ufffd", svg.getvalue())


def write_report_figure(
    png: bytes, svg: str | None, name: str, folder: Path, *, alt: str, caption: str
) -> dict[str, Any]:
    """Write ``folder/name.png`` (and ``folder/name.svg`` when ``svg`` is given)
    and describe the embed."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.png").write_bytes(png)
    if svg is not None:
        (folder / f"{name}.svg").write_text(svg, encoding="utf-8")
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


def masked_block_density(blocks: dict[str, pd.DataFrame], colors=None) -> Figure:
    """Before / after / change heatmaps in which suppressed cells are hatched.

    Used instead of the full block-density figure when ``suppress_below`` hides
    cells, so that no suppressed number is drawn. Each panel is
    :func:`~senatenet.plot_block_density` of the masked table.
    """
    import matplotlib.pyplot as plt

    from ..draw import plot_block_density

    k = len(blocks["before"])
    side = 4.0 + 0.42 * k
    fig, axes = plt.subplots(
        1, 3, figsize=((side + 1.2) * 3, side + 0.6), layout="constrained"
    )
    for ax, (key, title) in zip(
        axes,
        (("before", "Before"), ("after", "After"), ("change", "Change")),
        strict=True,
    ):
        table = blocks[key].astype(float)
        plot_block_density(table, ax=ax, colors=colors)
        ax.set_title(f"{title} (hatched: suppressed)")
        for i, j in zip(*np.nonzero(np.isnan(table.to_numpy())), strict=True):
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
    return fig
