"""Report options: checked once, before anything is computed; progress and notes."""

from __future__ import annotations

import os
import time
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError
from ..privacy import load_key

__all__: list[str] = []

Progress = Callable[[str], None]


def _silent(message: str) -> None:  # default progress: say nothing
    return None


class Notes:
    """Collect the warnings of an analysis step: shown in the report, not lost."""

    def __init__(self, notes: list[str], progress: Progress) -> None:
        self.notes, self.progress = notes, progress
        self._cm = warnings.catch_warnings(record=True)

    def __enter__(self):
        self.caught = self._cm.__enter__()
        warnings.simplefilter("always")
        return self

    def __exit__(self, *exc) -> None:
        self._cm.__exit__(*exc)
        for w in self.caught:
            text = str(w.message)
            if text not in self.notes:
                self.notes.append(text)
                self.progress(f"      note: {text}")


class Steps:
    """Numbered progress messages with the time each step took."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.i, self.t0 = progress or _silent, total, 0, None
        self.label = ""

    def __call__(self, label: str) -> None:
        self.done()
        self.i += 1
        self.label, self.t0 = label, time.perf_counter()
        self.progress(f"[{self.i}/{self.total}] {label} ...")

    def done(self) -> None:
        if self.t0 is not None:
            self.progress(f"      done in {time.perf_counter() - self.t0:.1f} s")
            self.t0 = None


def check_options(survey, before, after, suppress_below, n_permutations, seed):
    waves = tuple(getattr(survey, "waves", ()))
    if len(waves) < 2:
        raise InputError(
            f"a report compares two waves, but the survey has {len(waves)}: {list(waves)}"
        )
    before = waves[0] if before is None else str(before)
    after = waves[-1] if after is None else str(after)
    for label, w in (("before", before), ("after", after)):
        if w not in waves:
            raise InputError(
                f"{label} wave {w!r} is not in the survey; its waves are {list(waves)}"
            )
    if before == after:
        raise InputError(f"before and after are the same wave ({before!r})")
    if suppress_below is not None and (
        not isinstance(suppress_below, int | np.integer) or suppress_below < 1
    ):
        raise InputError(
            f"suppress_below must be a whole number >= 1, not {suppress_below!r}"
        )
    if not isinstance(n_permutations, int | np.integer) or n_permutations < 0:
        raise InputError(
            f"n_permutations must be a whole number >= 0, not {n_permutations!r}"
        )
    orgs = survey.people["organisation"]
    if orgs[orgs.map(lambda v: isinstance(v, str) and v != "")].nunique() < 2:
        raise InputError(
            "everyone on the roster is in one organisation (or none is recorded); "
            "the report is about ties between organisations, so it needs at least two"
        )
    if not isinstance(seed, int | np.integer) or isinstance(seed, bool) or seed < 0:
        raise InputError(f"seed must be a whole number >= 0, not {seed!r}")
    return before, after


def check_comparisons(comparisons: Mapping[str, Any], before, after, relation) -> None:
    """Fail fast, naming the cohort, when a comparison lacks a wave or relation."""
    for name, other in comparisons.items():
        waves = tuple(getattr(other, "waves", ()))
        for w in (before, after):
            if w not in waves:
                raise InputError(
                    f"comparison cohort {name!r} has no wave {w!r} (its waves: "
                    f"{list(waves)}); cohorts are compared at the same wave labels"
                )
        if relation is not None and relation not in tuple(other.relations):
            raise InputError(
                f"comparison cohort {name!r} has no relation {relation!r} "
                f"(its relations: {list(other.relations)})"
            )


def resolve_key(key) -> bytes | None:
    if key is None:
        return None
    if isinstance(key, bytes):
        return key
    return load_key(key)


def _inside(path, folder: Path) -> bool:
    try:
        p, root = Path(path).resolve(), folder.resolve()
    except (OSError, TypeError, ValueError):
        return False
    return p == root or root in p.parents


def check_private_folder(out: Path, key, surveys) -> None:
    """A pseudonymised report folder is meant to be shared: refuse to write it
    where it would also hold the secret key or a named survey file."""
    if isinstance(key, str | os.PathLike) and _inside(key, out):
        raise InputError(
            "the key file is inside the output folder, so anyone given the "
            "pseudonymised report would also get the key; keep the key elsewhere "
            "or choose another --out",
            file=str(key),
        )
    for s in surveys:
        for what, source in (getattr(s, "sources", None) or {}).items():
            if (
                isinstance(source, str | os.PathLike)
                and Path(source).is_file()
                and _inside(source, out)
            ):
                raise InputError(
                    f"the {what} file (with real names) is inside the output "
                    "folder of a pseudonymised report; choose another --out",
                    file=str(source),
                )
