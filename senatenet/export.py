"""Exports: GraphML and GEXF for Gephi, Excel-safe CSV and XLSX, node and edge tables.

Graph files keep every node: an attribute value the format cannot hold (``None``,
NaN) is left out for that node only (both formats treat an absent value as
missing), and an attribute whose values mix types is written as text. Ids stay
text: ``"007"`` is written and read back as ``"007"``.

Tables are written so that opening them in a spreadsheet runs nothing: a text
cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
prefixed with ``'`` in CSV (the OWASP "CSV injection" defence), and stored as a
text cell (never a formula) in XLSX.
"""

from __future__ import annotations

import datetime
import itertools
import json
import math
import numbers
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import SubElement

import networkx as nx
import numpy as np
import pandas as pd

from .errors import InputError

__all__ = [
    "write_graphml",
    "write_gexf",
    "to_excel_safe",
    "write_csv",
    "write_xlsx",
    "node_table_frame",
    "edge_table_frame",
]

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
# GEXF writer keys that networkx reads as structure, not as attributes.
_GEXF_RESERVED_NODE = {"id", "pid", "start", "end", "spells", "slices", "viz", "parents"}
_GEXF_RESERVED_EDGE = {"id", "key", "type", "label", "start", "end", "spells", "slices",
                       "viz", "weight"}
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


# --- attribute clean-up ------------------------------------------------------


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float | np.floating) and math.isnan(value)


def _plain(value: Any) -> Any:
    """numpy scalars to Python scalars; containers to JSON text."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, list | tuple | set | frozenset | dict):
        if isinstance(value, set | frozenset):
            value = sorted(value, key=str)
        return json.dumps(value, default=str, ensure_ascii=False)
    return value


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    return "str"


def _clean_xml_text(text: str) -> str:
    """XML 1.0 cannot hold most control characters: write them as ``\\xNN``."""
    return _ILLEGAL_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _clean_records(records: list[dict]) -> list[dict]:
    """Drop missing values and give every key a single type across records."""
    plain = [{k: _plain(v) for k, v in r.items() if not _is_missing(v)} for r in records]
    kinds: dict[str, set[str]] = {}
    for r in plain:
        for k, v in r.items():
            kinds.setdefault(k, set()).add(_kind(v))
    for k, found in kinds.items():
        if found <= {"bool"} or found <= {"int"}:
            continue
        to_float = found <= {"int", "float"}
        for r in plain:
            if k in r:
                r[k] = float(r[k]) if to_float else _clean_xml_text(str(r[k]))
    return plain


def _export_copy(G: nx.Graph) -> nx.Graph:
    """A copy of ``G`` with clean attributes and text node ids (``G`` untouched)."""
    nodes = list(G.nodes)
    ids = [n if isinstance(n, str) else str(n) for n in nodes]
    if len(set(ids)) != len(ids):
        raise InputError("two nodes have the same id once written as text")
    H = G.__class__()
    H.graph.update(_clean_records([dict(G.graph)])[0])
    mapping = dict(zip(nodes, ids, strict=True))
    node_attrs = _clean_records([dict(d) for _, d in G.nodes(data=True)])
    H.add_nodes_from(zip(ids, node_attrs, strict=True))
    if G.is_multigraph():
        edges = list(G.edges(keys=True, data=True))
        attrs = _clean_records([dict(e[3]) for e in edges])
        H.add_edges_from(
            (mapping[u], mapping[v], k, a) for (u, v, k, _), a in zip(edges, attrs, strict=True)
        )
    else:
        edges = list(G.edges(data=True))
        attrs = _clean_records([dict(e[2]) for e in edges])
        H.add_edges_from(
            (mapping[u], mapping[v], a) for (u, v, _), a in zip(edges, attrs, strict=True)
        )
    return H


def _target(path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


# --- graph files -------------------------------------------------------------


def write_graphml(G: nx.Graph, path: str | Path) -> Path:
    """Write a graph as GraphML, keeping every node, with ids as text.

    Graph, node and edge attributes are written with their types (boolean,
    integer, double, string). A value GraphML cannot hold (``None``, NaN) is left
    out for that element only (GraphML reads an absent value as missing); an
    attribute that mixes types is written as text; lists and dicts as JSON text.

    Parameters
    ----------
    G : networkx graph
        Not modified.
    path : str or Path
        The ``.graphml`` file; its folder is created if needed.

    Returns
    -------
    Path
        The file written.

    References
    ----------
    .. [1] Brandes, U., Eiglsperger, M., Lerner, J. and Pich, C. (2013). Graph
       markup language (GraphML). In R. Tamassia (ed.), *Handbook of Graph
       Drawing and Visualization*, 517-541. CRC Press.

    Examples
    --------
    >>> import tempfile, networkx as nx
    >>> from senatenet import write_graphml
    >>> G = nx.DiGraph()
    >>> G.add_node("007", organisation="North", cohort=None)
    >>> G.add_edge("007", "NA", strength=3.0)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     H = nx.read_graphml(write_graphml(G, f"{d}/g.graphml"))
    >>> sorted(H.nodes), H.nodes["007"]
    (['007', 'NA'], {'organisation': 'North'})
    """
    path = _target(path)
    nx.write_graphml(_export_copy(G), path, encoding="utf-8")
    return path


def write_gexf(
    G: nx.Graph,
    path: str | Path,
    *,
    label: str | None = "name",
    weight: str | None = "strength",
) -> Path:
    """Write a graph as GEXF 1.2 for Gephi, keeping every node, ids as text.

    Attribute values are cleaned as in :func:`write_graphml`. Gephi shows each
    node's ``label``: the ``label`` node attribute when present, else the
    attribute named by ``label`` (the person's name), else the id. The edge
    attribute named by ``weight`` is also written as the GEXF edge weight, which
    Gephi's layouts use. Attribute names that GEXF reserves for structure (node
    ``id``, ``pid``, ``start``, ``end``, ``viz``...; edge ``id``, ``type``,
    ``label``, ``weight``...) are written with a trailing underscore (``id_``)
    so they are kept as data rather than misread.

    Parameters
    ----------
    G : networkx graph
        Not modified.
    path : str or Path
        The ``.gexf`` file; its folder is created if needed.
    label : str or None
        Node attribute used as Gephi's label.
    weight : str or None
        Edge attribute used as the GEXF weight.

    Returns
    -------
    Path
        The file written.

    References
    ----------
    .. [1] GEXF Working Group (2009-2022). GEXF File Format, version 1.2
       (``https://gexf.net``).

    Examples
    --------
    >>> import tempfile, networkx as nx
    >>> from senatenet import write_gexf
    >>> G = nx.Graph()
    >>> G.add_node("007", name="Ada", responded=None)
    >>> G.add_edge("007", "NA", strength=2.0)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     H = nx.read_gexf(write_gexf(G, f"{d}/g.gexf"))
    >>> sorted(H.nodes), H.nodes["007"]["label"], H.edges["007", "NA"]["weight"]
    (['007', 'NA'], 'Ada', 2.0)
    """
    path = _target(path)
    H = _export_copy(G)
    for _, data in H.nodes(data=True):
        for key in _GEXF_RESERVED_NODE & set(data):
            data[f"{key}_"] = data.pop(key)
        if "label" not in data and label is not None and label in data:
            data["label"] = data[label]
    for *_, data in H.edges(data=True):
        for key in _GEXF_RESERVED_EDGE & set(data):
            data[f"{key}_"] = data.pop(key)
        if weight is not None and isinstance(data.get(weight), numbers.Real):
            data["weight"] = float(data[weight])
    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(encoding="utf-8", version="1.2draft")
    meta = writer.xml.find("meta")
    meta.attrib.pop("lastmodifieddate", None)  # same graph, same file
    if H.graph:  # how the network was built: wave, relation, options
        description = "; ".join(f"{k}={v}" for k, v in H.graph.items())
        SubElement(meta, "description").text = _clean_xml_text(description)
    writer.add_graph(H)
    writer.write(path)
    return path


# --- tables ------------------------------------------------------------------


def _neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_DANGEROUS):
        return "'" + value
    return value


def _neutralise_index(index: pd.Index) -> pd.Index:
    if isinstance(index, pd.MultiIndex):
        if len(index) == 0:
            return index
        return pd.MultiIndex.from_tuples(
            [tuple(_neutralise(v) for v in t) for t in index],
            names=[_neutralise(n) for n in index.names],
        )
    if index.dtype == object or pd.api.types.is_string_dtype(index):
        return pd.Index([_neutralise(v) for v in index], name=_neutralise(index.name))
    return index.rename(_neutralise(index.name))


def to_excel_safe(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells cannot run as spreadsheet formulas.

    Every *text* value (cells, column names, index values; categorical
    columns become object columns) that starts with
    ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``,
    which spreadsheets show as text. Numbers stay numbers: ``-3`` stored as a
    number is not touched, whereas the text ``"-3"`` is prefixed.

    Parameters
    ----------
    df : DataFrame
        Not modified.

    Returns
    -------
    DataFrame
        Same shape, index and dtypes except that neutralised text gained ``'``.

    References
    ----------
    .. [1] OWASP Foundation. CSV Injection.
       ``https://owasp.org/www-community/attacks/CSV_Injection``

    Examples
    --------
    >>> import pandas as pd
    >>> from senatenet import to_excel_safe
    >>> df = pd.DataFrame({"name": ["=HYPERLINK(1)", "Ada"], "change": [-2, 3]})
    >>> to_excel_safe(df)
                 name  change
    0  '=HYPERLINK(1)      -2
    1             Ada       3
    """
    out = df.copy()
    for col in range(out.shape[1]):
        s = out.iloc[:, col]
        if isinstance(s.dtype, pd.CategoricalDtype):
            s = s.astype(object)  # categories may hold text too
        if s.dtype == object or pd.api.types.is_string_dtype(s):
            out.isetitem(col, s.map(_neutralise, na_action="ignore"))
    out.columns = _neutralise_index(out.columns)
    out.index = _neutralise_index(out.index)
    return out


def _keep_index(df: pd.DataFrame, index: bool | None) -> bool:
    if index is not None:
        return index
    return not (isinstance(df.index, pd.RangeIndex) and df.index.name is None)


def write_csv(df: pd.DataFrame, path: str | Path, *, index: bool | None = None) -> Path:
    """Write a DataFrame as a CSV file that is safe to open in Excel.

    Cells go through :func:`to_excel_safe`; the file is UTF-8 with a byte-order
    mark (so Excel reads accents correctly) and ``\\n`` line ends.

    Parameters
    ----------
    df : DataFrame
        Not modified.
    path : str or Path
        The ``.csv`` file; its folder is created if needed.
    index : bool, optional
        Write the index as the first column(s). By default the index is written
        unless it is an unnamed ``RangeIndex``.

    Returns
    -------
    Path
        The file written.

    References
    ----------
    .. [1] OWASP Foundation. CSV Injection.
       ``https://owasp.org/www-community/attacks/CSV_Injection``

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> from senatenet import write_csv
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = write_csv(pd.DataFrame({"note": ["@SUM(A1)"]}), f"{d}/t.csv")
    ...     p.read_text(encoding="utf-8-sig")
    "note\\n'@SUM(A1)\\n"
    """
    path = _target(path)
    to_excel_safe(df).to_csv(
        path, index=_keep_index(df, index), encoding="utf-8-sig", lineterminator="\n"
    )
    return path


_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _sheet_title(name: str, used: set[str]) -> str:
    title = _SHEET_BAD.sub("_", str(name)).strip("'")[:31] or "Sheet"
    base, k = title, 2
    while title.lower() in used:
        suffix = f" ({k})"
        title, k = base[: 31 - len(suffix)] + suffix, k + 1
    used.add(title.lower())
    return title


def _xlsx_text(value: str) -> str:
    """Control characters XLSX cannot store, written as ``\\xNN``."""
    return _ILLEGAL_XLSX.sub(lambda m: f"\\x{ord(m.group()):02x}", value)


def _xlsx_value(value: Any) -> Any:
    if type(value) is str:  # most cells: straight to the clean-up
        return _xlsx_text(value)
    if _is_missing(value):
        return None
    value = _plain(value)
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return _xlsx_text(value if isinstance(value, str) else str(value))


def write_xlsx(
    sheets: Mapping[str, pd.DataFrame], path: str | Path, *, index: bool | None = None
) -> Path:
    """Write DataFrames to one Excel workbook, one sheet each, formulas impossible.

    Text is stored as text cells exactly as written: a name like ``=1+1`` is the
    text ``=1+1``, never a formula (it is marked with Excel's quote prefix so it
    stays text when edited). Numbers, booleans and dates keep their types
    (infinity, which Excel cannot hold, is the text ``inf``); missing values
    are empty cells; the header row is bold and frozen. Sheet names are made
    legal for Excel (at most 31 characters, no ``[]:*?/\\``, unique). Control
    characters that XLSX cannot store are written as ``\\xNN``; a text longer
    than an Excel cell holds (32,767 characters) raises :class:`InputError`
    rather than being cut. The file's creation date is fixed, so the same
    tables give the same bytes. Written with XlsxWriter [2]_.

    Parameters
    ----------
    sheets : mapping of str to DataFrame
        Sheet name to table, in order. Not modified.
    path : str or Path
        The ``.xlsx`` file; its folder is created if needed.
    index : bool, optional
        Write each index as the first column(s); default as in :func:`write_csv`.

    Returns
    -------
    Path
        The file written.

    References
    ----------
    .. [1] ECMA-376, Office Open XML File Formats, Part 1 (SpreadsheetML), 5th
       edition (2016).
    .. [2] McNamara, J. XlsxWriter: a Python module for writing Excel 2007+
       XLSX files. ``https://xlsxwriter.readthedocs.io``

    Examples
    --------
    >>> import tempfile, openpyxl, pandas as pd
    >>> from senatenet import write_xlsx
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = write_xlsx({"people": pd.DataFrame({"name": ["=1+1"]})}, f"{d}/t.xlsx")
    ...     cell = openpyxl.load_workbook(p)["people"]["A2"]
    >>> cell.value, cell.data_type
    ('=1+1', 's')
    """
    # XlsxWriter (BSD) writes a workbook about twice as fast as openpyxl; its
    # write_string never makes a formula, whatever the text
    import xlsxwriter

    if not sheets:
        raise InputError("write_xlsx needs at least one sheet")
    path = _target(path)
    wb = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,  # rows go to disk as they are written
            "remove_timezone": True,  # Excel has no time zones
            "default_date_format": "yyyy-mm-dd hh:mm:ss",
        },
    )
    wb.set_properties({"created": _FIXED_CREATED})  # same bytes for the same tables
    bold = wb.add_format({"bold": True})
    quoted = wb.add_format({"quote_prefix": True})
    bold_quoted = wb.add_format({"bold": True, "quote_prefix": True})
    used: set[str] = set()
    for name, df in sheets.items():
        ws = wb.add_worksheet(_sheet_title(name, used))
        ws.freeze_panes(1, 0)
        frame = df.reset_index() if _keep_index(df, index) else df
        header = [_xlsx_cell(ws, name, bold, bold_quoted, path, 0, c)
                  for c, name in enumerate(frame.columns)]
        # converted a column at a time (typed columns at numpy speed), written
        # a row at a time (constant_memory flushes each row when the next starts)
        columns = [_xlsx_column(ws, frame.iloc[:, c], quoted, path, c)
                   for c in range(frame.shape[1])]
        for r, row in enumerate(itertools.chain([header], zip(*columns, strict=True))):
            for c, cell in enumerate(row):
                if cell is not None:
                    write, value, fmt = cell
                    write(r, c, value, fmt)
    wb.close()
    return path


#: Creation date written into every workbook (XLSX files hold one; a fixed one
#: keeps a report's files byte-identical between runs, as the manifest records).
_FIXED_CREATED = datetime.datetime(2000, 1, 1)

#: Longest text an Excel cell holds.
_XLSX_MAX_TEXT = 32767


def _xlsx_column(ws, column: pd.Series, quoted, path: Path, c: int) -> list:
    """One column's cells as ``(write, value, format)`` (None: an empty cell), in
    row order. Boolean, integer, float and datetime columns are converted at
    numpy speed; any other column cell by cell (:func:`_xlsx_cell`)."""
    values = column.to_numpy()
    kind = values.dtype.kind
    if kind == "b":
        return [(ws.write_boolean, v, None) for v in values.tolist()]
    if kind in "iu":
        return [(ws.write_number, v, None) for v in values.tolist()]
    if kind == "f":
        finite = np.isfinite(values).tolist()
        return [
            (ws.write_number, v, None) if ok
            else None if v != v  # missing
            else (ws.write_string, str(v), None)  # no infinity in Excel: "inf"
            for v, ok in zip(values.tolist(), finite, strict=True)
        ]
    if kind == "M":
        return [None if pd.isna(v) else (ws.write_datetime, v.to_pydatetime(), None)
                for v in column]
    return [_xlsx_cell(ws, v, None, quoted, path, r, c)
            for r, v in enumerate(column.tolist(), start=1)]


def _xlsx_cell(ws, value, fmt, quoted, path: Path, r: int, c: int):
    """One cell as ``(write, value, format)``, or None when empty: text as text
    (quote-prefixed when it starts like a formula), numbers and booleans with
    their types, infinity as the text ``inf``."""
    value = _xlsx_value(value)
    if value is None:
        return None
    if isinstance(value, str):
        if len(value) > _XLSX_MAX_TEXT:  # Excel would cut it; never silently
            raise InputError(
                f"a text of {len(value)} characters does not fit in an Excel "
                f"cell (at most {_XLSX_MAX_TEXT}); sheet {ws.name!r}",
                file=str(path), row=r + 1, column=str(c + 1),
            )
        return ws.write_string, value, quoted if value.startswith(_DANGEROUS) else fmt
    if isinstance(value, bool):
        return ws.write_boolean, value, fmt
    if isinstance(value, int | float):
        if math.isfinite(value):
            return ws.write_number, value, fmt
        return ws.write_string, str(value), fmt  # never a formula
    return ws.write_datetime, value, fmt


def node_table_frame(G: nx.Graph, *, index_name: str = "node") -> pd.DataFrame:
    """Node attributes as a DataFrame, one row per node in graph order.

    Parameters
    ----------
    G : networkx graph
        Not modified.
    index_name : str
        Name of the index (the node ids, unchanged).

    Returns
    -------
    DataFrame
        Index: node id. Columns: every node attribute, in order of first
        appearance; missing where a node lacks it.

    References
    ----------
    .. [1] Hagberg, A., Schult, D. and Swart, P. (2008). Exploring network
       structure, dynamics, and function using NetworkX. *Proc. SciPy 2008*.

    Examples
    --------
    >>> import networkx as nx
    >>> from senatenet import node_table_frame
    >>> G = nx.Graph()
    >>> G.add_node("007", organisation="North")
    >>> G.add_node("NA", organisation="West", responded=False)
    >>> node_table_frame(G)
         organisation responded
    node
    007         North       NaN
    NA           West     False
    """
    records = [dict(d) for _, d in G.nodes(data=True)]
    columns: dict[str, None] = {}
    for r in records:
        columns.update(dict.fromkeys(r))
    index = pd.Index(list(G.nodes), name=index_name, dtype=object)
    return pd.DataFrame.from_records(records, index=index, columns=list(columns))


def edge_table_frame(G: nx.Graph) -> pd.DataFrame:
    """Edge attributes as a DataFrame, one row per edge in graph order.

    Parameters
    ----------
    G : networkx graph
        Not modified. For multigraphs a ``key`` column follows ``target``.

    Returns
    -------
    DataFrame
        Columns ``source``, ``target`` (node ids, unchanged), then every edge
        attribute in order of first appearance (an attribute named ``source``,
        ``target`` or ``key`` becomes ``edge_source`` etc.). For undirected graphs each edge
        appears once, in networkx's order.

    References
    ----------
    .. [1] Hagberg, A., Schult, D. and Swart, P. (2008). Exploring network
       structure, dynamics, and function using NetworkX. *Proc. SciPy 2008*.

    Examples
    --------
    >>> import networkx as nx
    >>> from senatenet import edge_table_frame
    >>> G = nx.DiGraph()
    >>> G.add_edge("007", "NA", strength=4.0)
    >>> edge_table_frame(G)
      source target  strength
    0    007     NA       4.0
    """
    multi = G.is_multigraph()
    head = ["source", "target"] + (["key"] if multi else [])
    rows, columns = [], {}
    edges = G.edges(keys=True, data=True) if multi else G.edges(data=True)
    for e in edges:
        # an attribute called like a structural column keeps its value as edge_<name>
        data = {(f"edge_{k}" if k in head else k): v for k, v in e[-1].items()}
        columns.update(dict.fromkeys(data))
        rows.append({**dict(zip(head, e[:-1], strict=True)), **data})
    return pd.DataFrame(rows, columns=head + list(columns))
