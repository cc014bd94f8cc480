"""Library exceptions. User-facing errors name the file, row and column."""

from __future__ import annotations

__all__ = ["SenatenetError", "InputError", "SurveyError"]


class SenatenetError(Exception):
    """Base class of every error senatenet raises on purpose.

    The command line turns these into a message and exit code 2, never a traceback.
    """


class InputError(SenatenetError, ValueError):
    """Unusable input: a missing file, an unreadable table, a missing column.

    Parameters
    ----------
    message : str
        What is wrong, in plain words.
    file, row, column : optional
        Where: the file name, the spreadsheet row (header = row 1) and the column.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.file, self.row, self.column = file, row, column
        where = ", ".join(
            part
            for part in (
                f"file {file!r}" if file is not None else "",
                f"row {row}" if row is not None else "",
                f"column {column!r}" if column is not None else "",
            )
            if part
        )
        self.message = message
        super().__init__(f"{where}: {message}" if where else message)


class SurveyError(SenatenetError, ValueError):
    """Validation found errors and ``strict=True`` was asked for.

    ``problems`` holds the validation report (a DataFrame with columns
    ``severity, file, row, column, value, problem, action``); the message lists
    the first problems with their file, row and column.
    """

    def __init__(self, message: str, problems=None) -> None:
        self.problems = problems
        super().__init__(message)
