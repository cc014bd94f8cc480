"""Parameter and return descriptions shared by the static figures (written once).

Used as ``func.__doc__ = func.__doc__.format(**DOCS)``, like seaborn's
``_docstrings`` module.
"""

from __future__ import annotations

DOCS: dict[str, str] = {
    "group": """group : str
        Node attribute naming the organisation (default ``"organisation"``).""",
    "colors": """colors : dict, optional
        ``{organisation: colour}``; by default :func:`organisation_colors` of the
        data, the mapping shared by every figure, the interactive map and the
        report.""",
    "pos": """pos : dict, optional
        ``{node: (x, y)}``; by default :func:`group_layout` with ``seed``.""",
    "seed": """seed : int
        Seed of the default layout; the same seed gives the same picture.""",
    "label": """label : bool, str or dict
        Node labels: ``True`` or ``"name"`` (the ``name`` attribute, else the id),
        ``"initials"`` (initials of the name, titles such as "Dr" skipped;
        repeated initials numbered in node order, OM1, OM2),
        ``"pseudonym"`` (the ``pseudonym`` attribute, else codes P01, P02, ... in
        node order), ``"id"``, any other node attribute name, a ``{node: text}``
        mapping, or ``False`` for none. Above ``max_labels`` people only the
        largest (by ``size_by``, else degree) are labelled.""",
    "size_by": """size_by : str, dict or Series, optional
        Node area by a measure: a node attribute, ``"degree"``, ``"in_degree"``,
        ``"out_degree"``, ``"betweenness"`` (raw counts, as sna), any column of
        :func:`node_table`, or ``{node: value}``. ``None`` gives equal sizes.""",
    "ax": """ax : matplotlib.axes.Axes, optional
        Axes to draw on. By default the current Axes when nothing is drawn on
        it yet (e.g. after ``plt.subplots()``), otherwise a new, suitably sized
        figure, so two calls never draw one map over another.""",
    "returns_ax": """matplotlib.axes.Axes
        The Axes containing the plot, for further tweaking.""",
    "returns_fig": """matplotlib.figure.Figure
        The figure holding the panels (``fig.axes``), for further tweaking.""",
}
