"""Saving report figures (PNG, and SVG on request) and embedding them in the page."""

from __future__ import annotations

import io
import re
import struct
import zlib
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

#: The tEXt of every report PNG.
PNG_SOFTWARE = "senatenet (matplotlib)"

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
    import matplotlib.pyplot as plt

    fig = as_figure(obj)
    fig.patch.set_facecolor("white")
    if fig.get_layout_engine() is not None:
        # Render once per format: one Agg draw lays the figure out and paints the
        # PNG (encoded from the canvas buffer, as savefig would), then the layout
        # is frozen so that the SVG is drawn once more, without a layout pass.
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        fig.set_dpi(DPI)
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        # opaque RGB (no alpha channel), encoded as savefig would but without
        # PIL's per-row filter search (see encode_png)
        png = encode_png(np.asarray(canvas.buffer_rgba())[..., :3], dpi=DPI)
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
            metadata={"Software": PNG_SOFTWARE},
            pil_kwargs={"compress_level": PNG_COMPRESSION},
        )
        png = buf.getvalue()
    if "svg" not in formats:
        plt.close(fig)
        return png, None
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
    return png, _XML_INVALID.sub("\ufffd", svg.getvalue())


def encode_png(rgb: np.ndarray, *, dpi: float) -> bytes:
    """An 8-bit RGB image (rows top to bottom) as PNG bytes.

    The file holds the image (IHDR, one IDAT), its resolution (pHYs) and the
    software name (tEXt). Every row uses PNG filter type 0 ("None") and the
    data is deflated at :data:`PNG_COMPRESSION`: report figures are flat
    colour, where filtering gains nothing (the files come out about 5% smaller
    than PIL's), while PIL tries all five filters on every row of an RGB image,
    which cost three times the compression itself (0.38 against 0.12 CPU s for
    the senate report's five figures).

    References
    ----------
    .. [1] ISO/IEC 15948:2004 (W3C PNG Specification, Second Edition),
       sections 5 (datastream), 9 (filtering) and 11 (chunk specifications).

    Examples
    --------
    >>> import numpy as np
    >>> png = encode_png(np.zeros((2, 3, 3), dtype=np.uint8), dpi=100)
    >>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n", png[16:24].hex()
    (True, '0000000300000002')
    """
    rgb = np.asarray(rgb)
    if rgb.dtype != np.uint8 or rgb.ndim != 3 or rgb.shape[2] != 3:
        raise ValueError("encode_png needs an (height, width, 3) uint8 array")
    height, width = rgb.shape[:2]
    rows = np.empty((height, 1 + 3 * width), dtype=np.uint8)
    rows[:, 0] = 0  # filter type None
    rows[:, 1:] = rgb.reshape(height, 3 * width)
    per_metre = round(dpi / 0.0254)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    return b"".join([
        b"\x89PNG\r\n\x1a\n",
        chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),
        chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
        chunk(b"tEXt", b"Software\x00" + PNG_SOFTWARE.encode("latin-1")),
        chunk(b"IDAT", zlib.compress(rows, PNG_COMPRESSION)),
        chunk(b"IEND", b""),
    ])


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
