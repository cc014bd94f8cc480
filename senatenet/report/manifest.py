"""The run manifest: what produced a report, so that anyone can reproduce it.

The manifest records the senatenet, Python and dependency versions, every option
and seed, and the SHA-256 of each input file (FIPS 180-4), so a reader can check
that a report was made from exactly these files with exactly these settings.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
from collections.abc import Mapping
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["file_sha256", "package_versions", "run_manifest", "write_manifest"]

#: Distributions whose versions are recorded.
DEPENDENCIES = (
    "networkx",
    "numpy",
    "pandas",
    "scipy",
    "matplotlib",
    "pyvis",
    "jinja2",
    "openpyxl",
    "rapidfuzz",
    "igraph",
)


def file_sha256(path: str | os.PathLike, *, chunk: int = 1 << 20) -> str:
    """SHA-256 of a file's bytes, as 64 lowercase hex digits.

    References
    ----------
    .. [1] NIST (2015). FIPS 180-4, Secure Hash Standard.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
    >>> _ = p.write_bytes(b"abc")
    >>> file_sha256(p)[:16]
    'ba7816bf8f01cfea'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def package_versions() -> dict[str, str | None]:
    """Installed versions of senatenet, Python and its dependencies (None if absent).

    References
    ----------
    .. [1] Python Packaging Authority. Core metadata specifications, field ``Version``;
       read with :func:`importlib.metadata.version`.

    Examples
    --------
    >>> v = package_versions()
    >>> sorted(k for k in ("senatenet", "python", "networkx") if v[k])
    ['networkx', 'python', 'senatenet']
    """
    out: dict[str, str | None] = {"python": platform.python_version()}
    for dist in ("senatenet", *DEPENDENCIES):
        try:
            out[dist] = version(dist)
        except PackageNotFoundError:
            out[dist] = None
    return out


def _jsonable(value: Any) -> Any:
    """Options as plain JSON: paths to str, numpy scalars to Python, tuples to lists."""
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float) and value != value:
        return None
    if value is pd.NA or value is None:
        return None
    if isinstance(value, str | int | float | bool):
        return value
    return repr(value)


def run_manifest(
    *,
    options: Mapping[str, Any],
    seeds: Mapping[str, Any] | None = None,
    inputs: Mapping[str, Any] | None = None,
    privacy: Mapping[str, Any] | None = None,
    outputs: Mapping[str, str] | None = None,
    command: list[str] | None = None,
) -> dict[str, Any]:
    """Assemble the manifest of one run.

    Parameters
    ----------
    options : mapping
        Every option of the run (waves, relation, thresholds, policies, ...).
    seeds : mapping, optional
        Every seed used, by step.
    inputs : mapping, optional
        Per input (``"roster"``, ``"ties"``, ...): a file path (hashed here) or a
        dict with ``file`` and ``sha256``. Only file names are recorded, never
        folders, which may contain people's names.
    privacy : mapping, optional
        Pseudonymisation (key fingerprint, never the key) and suppression.
    outputs : mapping, optional
        Output file -> sha256.
    command : list of str, optional
        The command line, when run from ``senatenet report``.

    Returns
    -------
    dict
        JSON-serialisable, with keys ``created``, ``versions``, ``platform``,
        ``command``, ``options``, ``seeds``, ``inputs``, ``privacy``, ``outputs``.

    References
    ----------
    .. [1] Sandve, G. K., Nekrutenko, A., Taylor, J. & Hovig, E. (2013). Ten simple
       rules for reproducible computational research. PLoS Comput Biol 9(10): e1003285.

    Examples
    --------
    >>> m = run_manifest(options={"before": "pre", "after": "post"}, seeds={"qap": 0})
    >>> m["options"]["before"], m["seeds"]["qap"], "networkx" in m["versions"]
    ('pre', 0, True)
    """
    files: dict[str, Any] = {}
    for name, src in (inputs or {}).items():
        if isinstance(src, Mapping):
            files[name] = _jsonable(src)
        elif isinstance(src, str | os.PathLike) and Path(src).is_file():
            files[name] = {"file": Path(src).name, "sha256": file_sha256(src)}
        else:
            files[name] = {"file": None if src is None else str(src), "sha256": None}
    return {
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "versions": package_versions(),
        "platform": platform.platform(),
        "command": list(command) if command else None,
        "options": _jsonable(dict(options)),
        "seeds": _jsonable(dict(seeds or {})),
        "inputs": files,
        "privacy": _jsonable(dict(privacy or {})),
        "outputs": dict(outputs or {}),
    }


def write_manifest(manifest: Mapping[str, Any], path: str | os.PathLike) -> Path:
    """Write a manifest as indented UTF-8 JSON and return the path.

    Parameters
    ----------
    manifest : mapping
        What :func:`run_manifest` returns (values that JSON cannot hold, such as
        numpy numbers and paths, are converted).
    path : str or path-like
        Where to write it.

    Returns
    -------
    pathlib.Path

    References
    ----------
    .. [1] Sandve, G. K., Nekrutenko, A., Taylor, J. & Hovig, E. (2013). Ten simple
       rules for reproducible computational research. PLoS Comput Biol 9(10): e1003285.

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "manifest.json"
    >>> path = write_manifest({"seed": 1, "options": {"relation": "advice"}}, target)
    >>> json.loads(path.read_text(encoding="utf-8"))["options"]
    {'relation': 'advice'}
    """
    path = Path(path)
    path.write_text(
        json.dumps(_jsonable(manifest), indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    return path
