"""Privacy controls: keyed pseudonyms and small-number suppression.

Network surveys are not anonymous by construction: respondents name colleagues,
and maps expose individuals (Borgatti & Molina 2003). senatenet offers two
controls, applied before any output is written:

* **Pseudonymisation.** Every person id and name is replaced by a code derived
  from a keyed hash, HMAC-SHA256 (RFC 2104) of the person id under a secret key
  read from a key file, e.g. ``"P-3F9A2C"``. The same key and the same person id
  give the same code in every wave, run and output; without the key the codes
  cannot be linked back to people by recomputing hashes of guessed ids.
* **Suppression.** Organisation-level counts and rates based on fewer than ``k``
  people are hidden (statistical disclosure control by a threshold rule,
  Hundepool et al. 2012, ch. 5).

Pseudonymised data is still personal data (organisation and role may
re-identify someone); see ``docs/privacy.md`` for what to share with whom.

References
----------
Krawczyk, H., Bellare, M. & Canetti, R. (1997). HMAC: Keyed-Hashing for Message
Authentication. RFC 2104.
Borgatti, S. P. & Molina, J. L. (2003). Ethical and strategic issues in
organizational social network analysis. *J. Applied Behavioral Science* 39(3).
Hundepool, A. et al. (2012). *Statistical Disclosure Control*. Wiley.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError

__all__ = [
    "load_key",
    "write_key",
    "key_fingerprint",
    "pseudonym",
    "pseudonym_map",
    "pseudonymise",
    "scrub_text",
    "suppress_small",
    "suppress_blocks",
]

#: Minimum key length in bytes (after stripping surrounding whitespace).
MIN_KEY_BYTES = 16
#: Roster columns kept by :func:`pseudonymise` by default; others are dropped.
DEFAULT_KEEP = ("organisation", "role", "sector", "cohort", "participant")
_DOMAIN = b"senatenet/person/v1\x00"


def load_key(path: str | os.PathLike) -> bytes:
    """Read a pseudonymisation key from a file.

    The file's bytes, with surrounding whitespace stripped (so a trailing newline
    added by an editor does not change the codes), are the key.

    Parameters
    ----------
    path : path-like
        The key file. Keep it out of any folder you share.

    Returns
    -------
    bytes

    Raises
    ------
    InputError
        When the file is missing, unreadable, or shorter than 16 bytes.

    References
    ----------
    .. [1] Krawczyk, H., Bellare, M. & Canetti, R. (1997). HMAC: Keyed-Hashing for
       Message Authentication. RFC 2104.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "key.txt"
    >>> _ = p.write_text("correct horse battery staple 2012\\n")
    >>> load_key(p)
    b'correct horse battery staple 2012'
    """
    path = Path(path)
    try:
        data = path.read_bytes().strip()
    except FileNotFoundError:
        raise InputError(
            "key file not found; create one with "
            '`python -c "import secrets; print(secrets.token_hex(32))" > KEYFILE` '
            "and keep it private",
            file=str(path),
        ) from None
    except OSError as exc:
        raise InputError(
            f"cannot read key file: {exc.strerror}", file=str(path)
        ) from None
    if len(data) < MIN_KEY_BYTES:
        raise InputError(
            f"key file holds {len(data)} bytes; at least {MIN_KEY_BYTES} are needed "
            "(use a long random key)",
            file=str(path),
        )
    return data


def write_key(path: str | os.PathLike, *, overwrite: bool = False) -> Path:
    """Write a new random key (64 hexadecimal characters) to ``path``.

    Refuses to overwrite an existing file unless ``overwrite=True``: losing a
    key means codes from earlier runs can no longer be reproduced.

    References
    ----------
    .. [1] Krawczyk, H., Bellare, M. & Canetti, R. (1997). HMAC: Keyed-Hashing for
       Message Authentication. RFC 2104.
    .. [2] Python Software Foundation. ``secrets`` -- Generate secure random numbers
       for managing secrets (PEP 506).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = write_key(pathlib.Path(tempfile.mkdtemp()) / "key.txt")
    >>> len(load_key(p))
    64
    """
    path = Path(path)
    if path.exists() and not overwrite:
        raise InputError("key file already exists; not overwriting it", file=str(path))
    path.write_text(secrets.token_hex(32) + "\n", encoding="ascii")
    return path


def _check_key(key: bytes | str) -> bytes:
    if isinstance(key, str):
        key = key.encode("utf-8")
    if not isinstance(key, bytes) or len(key) < MIN_KEY_BYTES:
        raise InputError(
            f"the pseudonymisation key must be at least {MIN_KEY_BYTES} bytes"
        )
    return key


def key_fingerprint(key: bytes | str) -> str:
    """A short fingerprint of the key, safe to record in a manifest.

    It is ``HMAC-SHA256(key, "senatenet/fingerprint")`` truncated to 12 hex
    digits: two runs with the same fingerprint used the same key, and the key
    cannot be recovered from it.

    References
    ----------
    .. [1] Krawczyk, H., Bellare, M. & Canetti, R. (1997). HMAC: Keyed-Hashing for
       Message Authentication. RFC 2104.
    .. [2] NIST (2015). FIPS 180-4, Secure Hash Standard.

    Examples
    --------
    >>> key_fingerprint(b"0123456789abcdef") == key_fingerprint("0123456789abcdef")
    True
    """
    digest = hmac.new(_check_key(key), b"senatenet/fingerprint", hashlib.sha256)
    return digest.hexdigest()[:12].upper()


def _digest(person_id: str, key: bytes) -> str:
    msg = _DOMAIN + str(person_id).encode("utf-8")
    return hmac.new(key, msg, hashlib.sha256).hexdigest().upper()


def pseudonym(
    person_id: str, key: bytes | str, *, length: int = 6, prefix: str = "P-"
) -> str:
    """The code for one person: ``prefix`` + the first ``length`` hex digits of
    HMAC-SHA256(key, person id).

    The id is hashed as text exactly as written (``"007"`` and ``"7"`` differ).

    Parameters
    ----------
    person_id : str
    key : bytes or str
        At least 16 bytes; see :func:`load_key`.
    length : int
        Hex digits kept (4 to 64).
    prefix : str

    Returns
    -------
    str

    References
    ----------
    .. [1] Krawczyk, Bellare & Canetti (1997). HMAC. RFC 2104.

    Examples
    --------
    >>> key = b"an example key, keep yours secret"
    >>> code = pseudonym("007", key)
    >>> code.startswith("P-"), len(code), code == pseudonym("007", key)
    (True, 8, True)
    >>> code == pseudonym("7", key)
    False
    """
    if not 4 <= length <= 64:
        raise ValueError("length must be between 4 and 64")
    return prefix + _digest(person_id, _check_key(key))[:length]


def pseudonym_map(
    person_ids: Iterable[str], key: bytes | str, *, length: int = 6, prefix: str = "P-"
) -> dict[str, str]:
    """Codes for many people, guaranteed distinct.

    Each person gets :func:`pseudonym` (``length`` hex digits). When two people
    would share a code (likely only in rosters of thousands), the colliding codes
    are lengthened two digits at a time until they differ; everyone else keeps
    the short code, so codes stay stable across runs.

    Returns
    -------
    dict
        person id -> code, in the order given.

    References
    ----------
    .. [1] Krawczyk, H., Bellare, M. & Canetti, R. (1997). HMAC: Keyed-Hashing for
       Message Authentication. RFC 2104.
    .. [2] Information Commissioner's Office (2022). Pseudonymisation (draft anonymisation
       guidance, chapter 3).

    Examples
    --------
    >>> m = pseudonym_map(["a", "b", "NA"], b"an example key, keep yours secret")
    >>> len(set(m.values())), list(m)
    (3, ['a', 'b', 'NA'])
    """
    key = _check_key(key)
    ids = list(dict.fromkeys(str(p) for p in person_ids))
    full = {p: _digest(p, key) for p in ids}
    size = {p: length for p in ids}
    while True:
        codes: dict[str, list[str]] = {}
        for p in ids:
            codes.setdefault(full[p][: size[p]], []).append(p)
        clashes = [ps for ps in codes.values() if len(ps) > 1]
        if not clashes:
            break
        for ps in clashes:
            for p in ps:
                if size[p] >= 64:  # pragma: no cover - a SHA-256 collision
                    raise RuntimeError("HMAC-SHA256 collision")
                size[p] += 2
    return {p: prefix + full[p][: size[p]] for p in ids}


def scrub_text(text, replacements: Mapping[str, str]):
    """Replace every occurrence of the keys of ``replacements`` in ``text``.

    Longer keys are replaced first and matches are whole words (not inside a
    longer word), so a name and an id that is part of it are both handled.
    Non-text values (None, NaN, numbers) are returned unchanged.

    References
    ----------
    .. [1] Information Commissioner's Office (2022). Pseudonymisation (draft anonymisation
       guidance, chapter 3).

    Examples
    --------
    >>> scrub_text("Dr Ann Lee named Ann Leeming", {"Ann Lee": "P-1", "Ann Leeming": "P-2"})
    'Dr P-1 named P-2'
    """
    if not isinstance(text, str) or not text or not replacements:
        return text
    keys = sorted((k for k in replacements if k), key=len, reverse=True)
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(k) for k in keys) + r")(?!\w)"
    )
    return pattern.sub(lambda m: replacements[m.group(0)], text)


def _identity_replacements(
    people: pd.DataFrame, codes: Mapping[str, str]
) -> dict[str, str]:
    out: dict[str, str] = {}
    names = people["name"] if "name" in people.columns else pd.Series(dtype=object)
    for pid, code in codes.items():
        out[pid] = code
        name = names.get(pid) if len(names) else None
        if isinstance(name, str) and name.strip():
            out[name] = code
            out[name.strip()] = code
    return out


def pseudonymise(
    survey, key: bytes | str, *, keep: Iterable[str] = DEFAULT_KEEP, length: int = 6
):
    """A copy of a survey in which every person is known only by a code.

    * ``people``: the index (person id) and ``name`` become the code
      (:func:`pseudonym_map`), also stored in a ``pseudonym`` column (which the
      maps and figures use for ``label="pseudonym"``); roster columns not in
      ``keep`` (e.g. e-mail, grade) are dropped, except the membership
      columns ``first_wave``/``last_wave`` (wave labels), which are kept.
    * ``ties`` and ``respondents``: person ids become codes.
    * ``validation``: ids and names in ``value`` and ``problem`` become codes;
      any other ``value`` (e.g. a misspelt name that matched nobody) is
      replaced by ``"[redacted]"``.
    * ``sources``: file paths are reduced to file names.

    The survey passed in is not changed.

    Parameters
    ----------
    survey : Survey
    key : bytes or str
        The secret key (:func:`load_key`).
    keep : iterable of str
        Roster columns to keep besides ``name``.
    length : int
        Hex digits per code (see :func:`pseudonym`).

    Returns
    -------
    Survey
        With an extra attribute ``pseudonymised = key_fingerprint(key)`` when
        the Survey class allows it.

    References
    ----------
    .. [1] Krawczyk, Bellare & Canetti (1997). HMAC. RFC 2104.

    Examples
    --------
    >>> import senatenet as sn
    >>> s = sn.load_sample()  # doctest: +SKIP
    >>> p = pseudonymise(s, b"an example key, keep yours secret")  # doctest: +SKIP
    >>> p.people["name"].iloc[0].startswith("P-")  # doctest: +SKIP
    True
    """
    key = _check_key(key)
    people = survey.people
    codes = pseudonym_map(people.index.astype(str), key, length=length)
    repl = _identity_replacements(people, codes)

    # membership (first_wave/last_wave) is never identifying and changes results
    kept = [c for c in people.columns if c in {*keep, "first_wave", "last_wave"}]
    new_people = people[kept].copy()
    new_people.insert(0, "name", [codes[str(p)] for p in people.index])
    new_people.index = pd.Index(
        [codes[str(p)] for p in people.index], name=people.index.name
    )
    new_people = new_people[["name", *kept]]
    new_people["pseudonym"] = new_people["name"]  # used by maps and figures

    def recode(col: pd.Series) -> pd.Series:
        return col.map(lambda v: codes.get(v, v) if isinstance(v, str) else v)

    ties = survey.ties.copy()
    for col in ("respondent", "alter"):
        if col in ties.columns:
            ties[col] = recode(ties[col])
    respondents = survey.respondents.copy()
    if "person_id" in respondents.columns:
        respondents["person_id"] = recode(respondents["person_id"])

    validation = survey.validation.copy()
    if len(validation):
        allowed = set(codes.values()) | _safe_labels(survey)
        text_repl = dict(repl)
        if "value" in validation.columns:
            scrubbed = validation["value"].map(lambda v: _scrub_value(v, repl, allowed))
            # a redacted value (e.g. a misspelt name) is redacted in the messages too
            for raw, new in zip(validation["value"], scrubbed, strict=True):
                if new == "[redacted]" and isinstance(raw, str) and raw.strip():
                    text_repl.setdefault(raw.strip(), "[redacted]")
            validation["value"] = scrubbed
        for col in ("problem", "action"):
            if col in validation.columns:
                validation[col] = validation[col].map(
                    lambda t: scrub_text(t, text_repl)
                )
    sources = {
        k: (
            Path(v).name
            if isinstance(v, str | os.PathLike) and not str(v).startswith("<")
            else v
        )
        for k, v in dict(getattr(survey, "sources", {}) or {}).items()
    }
    changes = dict(
        people=new_people,
        ties=ties,
        respondents=respondents,
        validation=validation,
        sources=sources,
    )
    return survey.replace(**changes)


def _safe_labels(survey) -> set[str]:
    """Labels that identify no one: organisations, waves, relations, column names."""
    safe: set[str] = set(map(str, getattr(survey, "waves", ()) or ()))
    safe |= set(map(str, getattr(survey, "relations", ()) or ()))
    people = survey.people
    for col in ("organisation", "sector", "cohort"):
        if col in people.columns:
            safe |= {v for v in people[col].tolist() if isinstance(v, str)}
    safe |= {str(c) for c in people.columns} | {str(c) for c in survey.ties.columns}
    return safe


_NUMBER = re.compile(r"^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$")


def _scrub_value(value, repl: Mapping[str, str], allowed: set[str]):
    if not isinstance(value, str) or not value.strip():
        return value
    for v in (value, value.strip()):
        if v in repl:
            return repl[v]
        if v in allowed:
            return value
    if _NUMBER.match(value):
        return value
    return "[redacted]"


def suppress_small(
    table: pd.DataFrame,
    k: int | None,
    *,
    size: str = "people",
    columns: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Hide counts and rates in rows based on fewer than ``k`` people.

    A threshold rule of statistical disclosure control [1]_: in every row whose
    ``size`` column is below ``k``, the ``columns`` (default: every numeric
    column, including ``size`` itself) are set to NaN, and the boolean column
    ``suppressed`` marks the row. ``k=None`` or ``k <= 1`` suppresses nothing
    but still adds the column.

    Parameters
    ----------
    table : DataFrame
        One row per organisation (or organisation and wave).
    k : int or None
        The threshold.
    size : str
        The column holding the number of people each row is based on.
    columns : iterable of str, optional
        Columns to hide.

    Returns
    -------
    DataFrame
        A copy; the input is not changed.

    References
    ----------
    .. [1] Hundepool, A. et al. (2012). *Statistical Disclosure Control*. Wiley, ch. 5.

    Examples
    --------
    >>> t = pd.DataFrame({"people": [8, 3], "response_rate": [0.75, 1.0]},
    ...                  index=["Trust A", "CCG B"])
    >>> suppress_small(t, 5)
             people  response_rate  suppressed
    Trust A       8           0.75       False
    CCG B      <NA>            NaN        True
    """
    if size not in table.columns:
        raise InputError(
            f"suppression needs a column {size!r} with the number of people"
        )
    out = table.copy()
    n = pd.to_numeric(out[size], errors="coerce")
    mask = (
        (n < k).fillna(False).to_numpy(bool)
        if k is not None and k > 1
        else np.zeros(len(out), bool)
    )
    if columns is None:
        columns = [
            c
            for c in out.columns
            if pd.api.types.is_numeric_dtype(out[c]) and out[c].dtype != bool
        ]
    for col in columns:
        if mask.any():
            if pd.api.types.is_integer_dtype(out[col]):
                # counts stay whole numbers ("5", not "5.0") with a missing value
                out[col] = out[col].astype("Int64")
            out.loc[mask, col] = np.nan
    out["suppressed"] = mask
    return out


def suppress_blocks(
    blocks: pd.DataFrame, sizes: Mapping[str, int], k: int | None
) -> pd.DataFrame:
    """Hide organisation × organisation cells that involve an organisation of
    fewer than ``k`` people.

    A block density between organisations A and B describes ties of A's and B's
    members; when either group is small, it describes a few identifiable people,
    so the cell is set to NaN (the rule of [1]_ applied to the smallest
    contributing group). Rows and columns are organisations.

    Returns
    -------
    DataFrame
        A copy with suppressed cells as NaN.

    References
    ----------
    .. [1] Hundepool, A. et al. (2012). *Statistical Disclosure Control*. Wiley, ch. 5.

    Examples
    --------
    >>> b = pd.DataFrame([[0.5, 0.1], [0.1, 1.0]], index=["A", "B"], columns=["A", "B"])
    >>> suppress_blocks(b, {"A": 6, "B": 2}, 5)
         A   B
    A  0.5 NaN
    B  NaN NaN
    """
    out = blocks.astype(float).copy()
    if k is None or k <= 1:
        return out
    small = {g for g, n in sizes.items() if n < k}
    for g in out.index:
        if g in small:
            out.loc[g, :] = np.nan
    for g in out.columns:
        if g in small:
            out.loc[:, g] = np.nan
    return out
