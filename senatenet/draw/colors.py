"""One organisation -> colour mapping shared by every figure, map and report.

The palette is Okabe & Ito's colour-blind-safe set (without black, which is kept
for text and edges), continued by Paul Tol's "muted" scheme; beyond 15
organisations colours repeat and a warning says so. The first eight colours stay
apart (CIE76 distance above 15) for readers with simulated protan, deutan or
tritan vision (Machado et al. 2009; tested); with more organisations, rely on the
legend and labels as well as colour.

References
----------
Okabe, M. & Ito, K. (2008). Color Universal Design (CUD): how to make figures and
presentations that are friendly to colorblind people. https://jfly.uni-koeln.de/color/
Tol, P. (2021). Colour Schemes. SRON technical note SRON/EPS/TN/09-002.
Machado, G. M., Oliveira, M. M. & Fernandes, L. A. F. (2009). A physiologically-based
model for simulation of color vision deficiency. IEEE TVCG 15(6), 1291-1298.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping

from ..layout import group_order

__all__ = ["CATEGORICAL_PALETTE", "organisation_colors", "group_order"]

#: Okabe-Ito (7, black omitted) followed by Tol "muted" (8 of 9; pale grey omitted).
CATEGORICAL_PALETTE: tuple[str, ...] = (
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#F0E442",  # yellow
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#332288",  # indigo
    "#88CCEE",  # cyan
    "#44AA99",  # teal
    "#117733",  # green
    "#999933",  # olive
    "#DDCC77",  # sand
    "#CC6677",  # rose
    "#882255",  # wine
)


def organisation_colors(
    data, group: str = "organisation", *, palette: Iterable[str] | None = None
) -> dict[str, str]:
    """Map each organisation (group label) to a hex colour.

    Parameters
    ----------
    data : networkx graph, Survey, or iterable of labels
        Where the organisations come from; see :func:`group_order`.
    group : str
        Node attribute (or roster column) holding the organisation.
    palette : iterable of str, optional
        Colours to use instead of :data:`CATEGORICAL_PALETTE`.

    Returns
    -------
    dict
        ``{organisation: "#rrggbb"}`` in :func:`group_order` order. The same
        input always gives the same mapping, so every output agrees.

    References
    ----------
    .. [1] Okabe, M. & Ito, K. (2008). Color Universal Design (CUD): how to make figures
       and presentations that are friendly to colorblind people.
    .. [2] Tol, P. (2021). Colour Schemes. SRON technical note SRON/EPS/TN/09-002.

    Examples
    --------
    >>> organisation_colors(["CCG North", "Acute Trust", "CCG North"])
    {'CCG North': '#E69F00', 'Acute Trust': '#56B4E9'}
    """
    if isinstance(data, Mapping) and all(isinstance(v, str) for v in data.values()):
        return {str(k): v for k, v in data.items()}  # already a mapping
    colours = tuple(palette) if palette is not None else CATEGORICAL_PALETTE
    groups = group_order(data, group)
    if len(groups) > len(colours):
        warnings.warn(
            f"{len(groups)} organisations but {len(colours)} distinct colours: "
            "colours repeat; use labels or the legend to tell them apart.",
            stacklevel=2,
        )
    return {g: colours[i % len(colours)] for i, g in enumerate(groups)}
