"""The problem record shared by every layer: the columns of a validation line.

A leaf module (it imports nothing from senatenet) so that the readers, the
validation rules and the survey can all build validation lines without
importing each other. :mod:`senatenet.validation` re-exports these names.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

__all__ = ["VALIDATION_COLUMNS", "SEVERITIES", "problems_frame"]

VALIDATION_COLUMNS = (
    "severity", "file", "row", "column", "value", "problem", "action", "check",
)
SEVERITIES = ("error", "warning", "info")


def problems_frame(records: Iterable[dict | pd.DataFrame] = ()) -> pd.DataFrame:
    """Assemble validation lines (dicts or DataFrames) into a validation report.

    Parameters
    ----------
    records : iterable of dict or pandas.DataFrame
        Each with some of the :data:`VALIDATION_COLUMNS`; absent ones are missing.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`VALIDATION_COLUMNS`; ``row`` is a nullable integer.

    References
    ----------
    .. [1] Wickham, H. (2014). Tidy data. *Journal of Statistical Software*
       59(10), 1–23. doi:10.18637/jss.v059.i10

    Examples
    --------
    >>> problems_frame([{"severity": "error", "file": "ties.csv", "row": 4,
    ...                  "problem": "self-nomination", "action": "dropped"}])
    ...     # doctest: +NORMALIZE_WHITESPACE
      severity      file  row column value          problem   action check
    0    error  ties.csv    4    NaN   NaN  self-nomination  dropped   NaN
    """
    parts: list[pd.DataFrame] = []
    dicts: list[dict] = []
    for rec in records:  # keep the given order; consecutive dicts form one chunk
        if isinstance(rec, pd.DataFrame):
            if dicts:
                parts.append(pd.DataFrame.from_records(dicts))
                dicts = []
            if len(rec):
                parts.append(rec)
        else:
            dicts.append(rec)
    if dicts:
        parts.append(pd.DataFrame.from_records(dicts))
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    out = pd.DataFrame(index=pd.RangeIndex(len(frame)))
    for col in VALIDATION_COLUMNS:
        values = frame[col] if col in frame.columns else pd.Series(np.nan, index=out.index)
        if col == "row":
            out[col] = pd.array(pd.to_numeric(values, errors="coerce"), dtype="Int64")
        else:
            out[col] = values.astype("object").where(values.notna(), np.nan).astype("str")
            out.loc[values.isna().to_numpy(), col] = np.nan
    return out
