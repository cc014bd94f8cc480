"""Labelled adjacency matrices (CSV, XLSX, DataFrame): reader."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ._assemble import (
    _Net,
    _survey,
)
from .names import (
    ENCODING_NOTE,
)
from .wide import _raw_rows

if TYPE_CHECKING:
    from ..survey import Survey

__all__ = ['read_adjacency_matrix']

def _parse_matrix(source: Any, sheet: Any) -> _Net:
    rows, file, encoding = _raw_rows(source, sheet)
    net = _Net(file)
    if encoding:
        net.note("encoding", "warning", ENCODING_NOTE, "changed")
    cols = [c.strip() for c in rows[0][1:]]
    while cols and not cols[-1]:
        cols.pop()
    labels = []
    for k, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            net.note("blank_row", "info", "blank row", "dropped", row=k)
            continue
        lab = row[0].strip()
        if not lab:
            raise InputError("a matrix row has no label", file=file, row=k, column="A")
        labels.append(lab)
        extra = [c for c in row[1 + len(cols):] if c.strip()]
        if extra:
            raise InputError("values beyond the last labelled column", file=file, row=k)
        for j, value in enumerate(row[1:1 + len(cols)]):
            net.cells.append((0, lab, cols[j], value, k))
    def numeric(x: str) -> bool:
        try:
            float(x)
        except ValueError:
            return False
        return True

    for what, seq in (("row", labels), ("column", cols)):
        dup = sorted({x for x in seq if seq.count(x) > 1})
        a1 = rows[0][0].strip() if rows[0] else ""
        if (dup or numeric(a1)) and all(numeric(x) for x in labels) and all(
                numeric(x) for x in cols):
            raise InputError("the matrix has no labels: row 1 must hold the column labels "
                             "and column A the row labels (cell A1 blank), the same "
                             "people in both; here both hold numbers and repeat",
                             file=file, row=1, column="A")
        if dup:
            raise InputError(f"duplicate {what} labels: {dup}", file=file)
    a1 = rows[0][0].strip() if rows[0] else ""
    if labels and all(numeric(x) for x in labels) and not any(numeric(x) for x in cols):
        # row 1 names the people, column A holds numbers: the rows are unlabelled
        # (a header of n names over n columns of values, as R's write.csv(row.names=FALSE))
        raise InputError(f"column A holds numbers ({labels[:3]}...), not row labels: "
                         "each row needs its person's label in column A, the same "
                         "people as the column labels of row 1"
                         + (f"; cell A1 ({a1!r}) is then the blank corner above "
                            "them, so row 1 has one name too many" if a1 else ""),
                         file=file, row=2, column="A")
    if set(labels) != set(cols):
        only_r, only_c = sorted(set(labels) - set(cols)), sorted(set(cols) - set(labels))
        raise InputError(f"the matrix is not square with matching labels (rows only: "
                         f"{only_r}, columns only: {only_c})", file=file)
    if labels != cols:
        net.note("matrix_order", "info", "column labels are in a different order from row "
                 "labels; matched by label", "kept")
    net.labels = labels
    net.layers = [None]
    return net



def read_adjacency_matrix(
    source: Any,
    *,
    roster: Any = None,
    wave: str = "1",
    relation: str = "tie",
    sheet: str | int | None = None,
    threshold: float = 90.0,
    aliases: Any = None,
    strict: bool = False,
) -> Survey:
    """Read a square, labelled adjacency matrix (CSV, XLSX or DataFrame).

    Row 1 holds the column labels (cell A1 is ignored), column A the row labels;
    cell (i, j) is the strength of the tie from row i to column j. Blank and 0
    are no tie; other values must be numbers > 0 (else reported and dropped);
    diagonal values are self-nominations (reported, dropped). Row and column
    labels must be the same set (any order); labels stay text.

    Parameters
    ----------
    source : path or DataFrame
        The matrix. A DataFrame is taken as written to a sheet: its column
        names are row 1 and its first column holds the row labels.
    roster : path or DataFrame, optional
        People and organisations; labels are matched to ``person_id`` exactly,
        then ignoring case, then by name (:func:`senatenet.match_names`). Without
        it the labels are the people, in organisation ``"(no organisation)"``.
    wave, relation : str
        Labels given to the ties.
    sheet : str or int, optional
        XLSX sheet.
    threshold, aliases
        Name matching, see :func:`senatenet.match_names`.
    strict : bool
        Raise :class:`senatenet.SurveyError` when the report has an error.

    Returns
    -------
    Survey
        Every label is a respondent of the wave.

    Raises
    ------
    InputError
        Unusable input (not square, duplicate labels, unreadable file).
    SurveyError
        With ``strict=True`` when the report has an error, or when no tie at all
        could be read (``problems`` holds the report). The same holds for the
        other exchange readers.

    References
    ----------
    .. [1] Wasserman, S. & Faust, K. (1994). *Social Network Analysis*, ch. 3.5
       (sociomatrices).

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"": ["007", "NA"], "007": ["0", "2"], "NA": ["1", ""]})
    >>> s = read_adjacency_matrix(m, wave="pre", relation="advice")
    >>> s.ties[["respondent", "alter", "strength"]].values.tolist()
    [['007', 'NA', 1.0], ['NA', '007', 2.0]]
    """
    net = _parse_matrix(source, sheet)
    return _survey(net, roster=roster, waves_or_relations="waves", wave=wave,
                   relation=relation, threshold=threshold, aliases=aliases, strict=strict,
                   source=source)


