"""``build_report``: the programme report, one offline HTML file and its folder.

The report answers "did our leaders become connected across organisations?"
for a programme lead (pictures first, plain words second) and shows the numbers,
tests, options, seeds and versions for whoever checks. It is assembled from
:func:`~senatenet.compare_waves`, the static figures, the interactive map and
(optionally) :func:`~senatenet.compare_cohorts`.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..draw.colors import organisation_colors
from ..errors import InputError
from ..privacy import (
    key_fingerprint,
    load_key,
    pseudonymise,
    suppress_blocks,
    suppress_small,
)
from . import text as T
from .figures import masked_block_density, save_report_figure
from .html import render_report, table_view
from .manifest import file_sha256, package_versions, run_manifest, write_manifest

__all__ = ["build_report"]

Progress = Callable[[str], None]


def _silent(message: str) -> None:  # default progress: say nothing
    return None


class _Notes:
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


class _Steps:
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


def _check_options(survey, before, after, suppress_below, n_permutations, seed):
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


def _check_comparisons(comparisons: Mapping[str, Any], before, after, relation) -> None:
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


def _resolve_key(key) -> bytes | None:
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


def _check_private_folder(out: Path, key, surveys) -> None:
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


def _org_sizes(survey) -> dict[str, int]:
    orgs = survey.people["organisation"]
    return {
        str(k): int(v)
        for k, v in orgs.value_counts(sort=False).items()
        if isinstance(k, str)
    }


def _network_ei(G) -> pd.Series:
    from ..measures import ei_index

    return ei_index(G, level="network").iloc[0]


def _pairs(ties: pd.DataFrame) -> pd.DataFrame:
    """Ties as unordered pairs of people, as the E-I index counts them.

    On directed data ``ties`` has one row per ordered dyad; a pair is tied in a
    wave when either person named the other (union), so the counts here agree
    with the E-I index's E and I.
    """
    cols = [
        "source",
        "target",
        "organisation_a",
        "organisation_b",
        "cross_boundary",
        "before",
        "after",
    ]
    if not len(ties):  # typed, so that boolean masks still select rows
        return pd.DataFrame(
            {c: pd.Series(dtype=bool if c in cols[4:] else object) for c in cols}
        )
    src, tgt = ties["source"].astype(str), ties["target"].astype(str)
    swap = (src > tgt).to_numpy()
    oa = ties["organisation_source"].astype(str).to_numpy()
    ob = ties["organisation_target"].astype(str).to_numpy()
    frame = pd.DataFrame(
        {
            "source": np.where(swap, tgt, src),
            "target": np.where(swap, src, tgt),
            "organisation_a": np.where(swap, ob, oa),
            "organisation_b": np.where(swap, oa, ob),
            "cross_boundary": ties["cross_boundary"].astype(bool).to_numpy(),
            "before": ties["status"].isin(["stable", "lost"]).to_numpy(),
            "after": ties["status"].isin(["stable", "new"]).to_numpy(),
        }
    )
    return frame.groupby(["source", "target"], sort=False, as_index=False).agg(
        organisation_a=("organisation_a", "first"),
        organisation_b=("organisation_b", "first"),
        cross_boundary=("cross_boundary", "first"),
        before=("before", "any"),
        after=("after", "any"),
    )


def _cross_pairs(pairs: pd.DataFrame) -> pd.DataFrame:
    """Ties between organisations per (unordered) organisation pair."""
    cb = pairs[pairs["cross_boundary"]]
    cols = [
        "organisation_a",
        "organisation_b",
        "before",
        "after",
        "new",
        "lost",
        "change",
    ]
    if not len(cb):
        return pd.DataFrame(columns=cols)
    a, b = cb["organisation_a"].to_numpy(), cb["organisation_b"].to_numpy()
    frame = pd.DataFrame(
        {
            "organisation_a": np.where(a <= b, a, b),
            "organisation_b": np.where(a <= b, b, a),
            "before": cb["before"].astype(int).to_numpy(),
            "after": cb["after"].astype(int).to_numpy(),
            "new": (cb["after"] & ~cb["before"]).astype(int).to_numpy(),
            "lost": (cb["before"] & ~cb["after"]).astype(int).to_numpy(),
        }
    )
    out = (
        frame.groupby(["organisation_a", "organisation_b"], sort=False)[
            ["before", "after", "new", "lost"]
        ]
        .sum()
        .reset_index()
        .sort_values(["after", "new"], ascending=False, kind="stable")
        .reset_index(drop=True)
    )
    out["change"] = out["after"] - out["before"]
    return out[cols]


def _flip_mask(sens: pd.DataFrame) -> np.ndarray:
    """Rows of the sensitivity table whose conclusion differs from the main one."""
    for col in ("flipped", "flip", "conclusion_changed", "changed", "differs", "flag"):
        if col in sens.columns:
            return sens[col].fillna(False).astype(bool).to_numpy()
    bool_cols = [
        c for c in sens.columns if sens[c].dtype == bool and "flip" in str(c).lower()
    ]
    if bool_cols:
        return sens[bool_cols].any(axis=1).to_numpy()
    return np.zeros(len(sens), bool)


_SENS_WORDS = {
    "baseline": "main analysis",
    "symmetrize": "which ties count",
    "min_strength": "minimum strength",
    "missing": "non-respondents",
    "combination": "several choices",
    "cross_boundary_change": "direction of the change in ties between organisations",
    "ei_change": "E-I change significant or not",
    "qap_r": "networks similar or not (QAP)",
    "same_org_coef": "same-organisation effect significant or not (MR-QAP)",
}


def _readable_sensitivity(sens: pd.DataFrame) -> pd.DataFrame:
    """The sensitivity table with its codes in words (a copy, for the page)."""
    out = sens.copy()
    if "variation" in out.columns:
        out["variation"] = out["variation"].map(lambda v: _SENS_WORDS.get(v, v))
    if "what_changed" in out.columns:
        out["what_changed"] = out["what_changed"].map(
            lambda v: (
                "; ".join(_SENS_WORDS.get(x.strip(), x.strip()) for x in v.split(","))
                if isinstance(v, str) and v
                else v
            )
        )
    return out


def _sensitivity_permutations(sens: pd.DataFrame | None) -> str:
    """Say when the sensitivity p-values use fewer permutations than the tests."""
    if sens is None or "n_permutations" not in sens.columns or not len(sens):
        return ""
    r = int(sens["n_permutations"].max())
    return (
        f" Each variant's p-values use {r:,} permutations (the smallest possible "
        f"p-value is {1 / (r + 1):.3f}), so the main-analysis row's p-values can differ "
        "slightly from the tests above."
    )


_REPORT_OUTPUT = re.compile(
    r"report\.html|map\.html|figures/[\w.-]+\.(?:png|svg)|tables/[\w.-]+\.(?:csv|xlsx)"
)


def _remove_previous_outputs(out: Path) -> list[Path]:
    """Delete the files an earlier report wrote into ``out`` (from its manifest).

    Otherwise a named figure of an earlier run (e.g. ``org_network.png``) could
    survive next to a pseudonymised or suppressed report. Only files listed in
    the earlier ``manifest.json`` and lying inside ``out`` are removed.
    """
    manifest = out / "manifest.json"
    if not manifest.is_file():
        return []
    try:
        earlier = json.loads(manifest.read_text(encoding="utf-8"))
        listed = earlier.get("outputs") or {}
        made_by_senatenet = "senatenet" in (earlier.get("versions") or {})
    except (ValueError, OSError, AttributeError, TypeError):
        return []
    if not made_by_senatenet:  # someone else's manifest.json: touch nothing
        return []
    removed = []
    root = out.resolve()
    for rel in listed:
        if not _REPORT_OUTPUT.fullmatch(str(rel)):  # only what a report writes
            continue
        path = (out / str(rel)).resolve()
        if path.is_file() and root in path.parents:
            path.unlink()
            removed.append(path)
    return removed


def _write_tables(tables: Mapping[str, pd.DataFrame], folder: Path) -> dict[str, Path]:
    """Each table as an Excel-safe CSV, and all of them in one XLSX workbook."""
    from .. import export

    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for name, df in tables.items():
        path = folder / f"{name}.csv"
        export.write_csv(df, path)
        written[name] = path
    book = folder / "senatenet-tables.xlsx"
    export.write_xlsx(dict(tables), book)
    written["workbook"] = book
    return written


def build_report(
    survey,
    before: str | None = None,
    after: str | None = None,
    *,
    out_dir: str | os.PathLike,
    relation: str | None = None,
    min_strength: float | None = None,
    symmetrize: str | None = None,
    missing: str = "absent",
    comparison_surveys: Mapping[str, Any] | None = None,
    cohort_name: str = "Programme",
    pseudonymise_key: bytes | str | os.PathLike | None = None,
    suppress_below: int | None = None,
    n_permutations: int = 1000,
    n_random: int = 500,
    seed: int = 0,
    title: str | None = None,
    command: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> Path:
    """Write the programme report for one survey to ``out_dir``.

    Writes ``report.html`` (one self-contained file: figures and the interactive
    map embedded, no network access), ``map.html``, ``figures/`` (PNG and SVG),
    ``tables/`` (Excel-safe CSVs and ``senatenet-tables.xlsx``) and
    ``manifest.json`` (versions, every option, seeds, input file hashes).

    Parameters
    ----------
    survey : Survey
        From :func:`~senatenet.read_survey` or :func:`~senatenet.load_sample`.
    before, after : str, optional
        Wave labels; by default the survey's first and last waves.
    out_dir : path-like
        Output folder (created; existing report files are overwritten).
    relation : str, optional
        The relation to analyse; required when the survey has several.
    min_strength : float, optional
        Keep ties of at least this strength.
    symmetrize : {None, "union", "reciprocal"}
        How nominations become ties: ``None`` keeps who named whom (directed);
        ``"union"``: either person named the other; ``"reciprocal"``: both did.
    missing : {"absent", "reconstruct", "panel"}
        Policy for people who did not answer a wave.
    comparison_surveys : mapping of str to Survey, optional
        Other cohorts (e.g. no programme) for the cohort comparison, by name.
    cohort_name : str
        Name of ``survey``'s cohort in the comparison.
    pseudonymise_key : bytes, str or path-like, optional
        Pseudonymise every output: ``bytes`` is the key itself, a ``str`` or
        path names a key file (:func:`~senatenet.load_key`). Names and ids are
        replaced by HMAC codes (:func:`~senatenet.pseudonymise`) before anything
        is computed, so no output holds a roster name.
    suppress_below : int, optional
        Hide organisation-level counts and rates based on fewer than this many
        people (:func:`~senatenet.suppress_small`).
    n_permutations : int
        Permutations of each test (fewer is faster, p-values coarser).
    n_random : int
        Random networks per cohort in the cohort comparison.
    seed : int
        Seed of every random step (tests, layouts, random graphs).
    title : str, optional
        Page title.
    command : sequence of str, optional
        The command line, recorded in the manifest.
    progress : callable, optional
        Called with a message before and after each slow step.

    Returns
    -------
    Path
        The path of ``report.html``.

    Raises
    ------
    InputError
        Unknown waves, bad options, fewer than two organisations, an
        unreadable key file, or (when pseudonymising) an ``out_dir`` that holds
        the key file or a named survey file.

    References
    ----------
    .. [1] Hoppe, B. & Reinelt, C. (2010). Social network analysis and the
       evaluation of leadership networks. *The Leadership Quarterly* 21, 600–619.

    Examples
    --------
    >>> import senatenet as sn, tempfile
    >>> path = sn.build_report(sn.load_sample(), "pre", "post", relation="advice",
    ...                        out_dir=tempfile.mkdtemp(), n_permutations=99)  # doctest: +SKIP
    >>> path.name  # doctest: +SKIP
    'report.html'
    """
    from ..compare import compare_waves

    before, after = _check_options(
        survey, before, after, suppress_below, n_permutations, seed
    )
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError("the output path exists and is not a folder", file=str(out))
    key = _resolve_key(pseudonymise_key)
    comparisons = dict(comparison_surveys or {})
    if key is not None:
        _check_private_folder(out, pseudonymise_key, [survey, *comparisons.values()])
    _check_comparisons(comparisons, before, after, relation)
    steps = _Steps(progress, 6 + bool(comparisons) + (key is not None))

    # Record the inputs before pseudonymising (which keeps file names only).
    inputs = _inputs(survey, cohort_name)
    for name, other in comparisons.items():
        inputs.update(_inputs(other, name))

    if key is not None:
        steps("Pseudonymising names and ids")
        survey = pseudonymise(survey, key)
        comparisons = {name: pseudonymise(s, key) for name, s in comparisons.items()}

    steps(
        f"Comparing waves {before!r} and {after!r} ({n_permutations} permutations per test)"
    )
    notes: list[str] = []
    with _Notes(notes, steps.progress):
        cmp = compare_waves(
            survey,
            before,
            after,
            relation=relation,
            min_strength=min_strength,
            symmetrize=symmetrize,
            missing=missing,
            n_permutations=n_permutations,
            seed=seed,
        )
    relation = cmp.relation

    steps("Re-running the headline results under other data choices (sensitivity)")
    with _Notes(notes, steps.progress):
        sensitivity = cmp.sensitivity()

    cohort_table = None
    if comparisons:
        from ..compare import compare_cohorts

        steps(
            f"Comparing cohorts: {', '.join([cohort_name, *comparisons])} "
            f"({n_random} random networks each)"
        )
        with _Notes(notes, steps.progress):
            cohort_table = compare_cohorts(
                {cohort_name: survey, **comparisons},
                before=before,
                wave=after,
                relation=relation,
                min_strength=min_strength,
                symmetrize=symmetrize or "union",
                missing=missing,
                n_random=n_random,
                seed=seed,
            )

    content = _Content(
        survey,
        cmp,
        sensitivity,
        cohort_table,
        before,
        after,
        relation,
        symmetrize=symmetrize,
        missing=missing,
        suppress_below=suppress_below,
    )
    content.notes = notes
    content.pseudonymised, content.seed = key is not None, seed

    _remove_previous_outputs(out)
    steps("Drawing the figures")
    figures = content.figures(out / "figures", seed=seed)

    steps("Building the interactive map")
    map_html = content.interactive_map(out / "map.html", title=title)

    steps("Writing tables")
    tables = content.tables()
    written = _write_tables(tables, out / "tables")
    options = {
        "before": before,
        "after": after,
        "relation": relation,
        "min_strength": min_strength,
        "symmetrize": symmetrize,
        "missing": missing,
        "n_permutations": n_permutations,
        "n_random": n_random if comparisons else None,
        "seed": seed,
        "cohort_name": cohort_name,
        "title": title,
        "comparison_cohorts": list(comparisons),
        "suppress_below": suppress_below,
        "pseudonymised": key is not None,
        "comparison_options": dict(getattr(cmp, "options", {}) or {}),
    }
    privacy = {
        "pseudonymised": key is not None,
        "key_fingerprint": key_fingerprint(key) if key is not None else None,
        "suppress_below": suppress_below,
    }
    seeds = {"compare_waves": seed, "sensitivity": seed, "layout": seed}
    if comparisons:
        seeds["compare_cohorts"] = seed
    outputs = {
        str(p.relative_to(out)): file_sha256(p)
        for p in sorted(
            [*written.values(), *(out / "figures").glob("*"), out / "map.html"]
        )
    }
    manifest = run_manifest(
        options=options,
        seeds=seeds,
        inputs=inputs,
        privacy=privacy,
        outputs=outputs,
        command=list(command) if command else None,
    )
    manifest["notes"] = notes
    steps("Writing report.html and manifest.json")
    html = content.render(
        figures=figures,
        map_html=map_html,
        manifest=manifest,
        title=title,
        cohort_name=cohort_name,
        pseudonymised=key is not None,
    )
    report = out / "report.html"
    report.write_text(html, encoding="utf-8")
    manifest["outputs"]["report.html"] = hashlib.sha256(
        html.encode("utf-8")
    ).hexdigest()
    write_manifest(manifest, out / "manifest.json")
    steps.done()
    return report


def _inputs(survey, cohort: str) -> dict[str, Any]:
    sources = dict(getattr(survey, "sources", {}) or {})
    hashes = dict(getattr(survey, "hashes", {}) or {})
    out = {}
    for name, src in sources.items():
        label = f"{cohort}: {name}"
        is_file = isinstance(src, str | os.PathLike) and not str(src).startswith("<")
        out[label] = {
            "file": Path(src).name if is_file else str(src),
            "sha256": hashes.get(name)
            or (file_sha256(src) if is_file and Path(src).is_file() else None),
        }
    return out


class _Content:
    """Everything the report shows, computed once from the comparison."""

    def __init__(
        self,
        survey,
        cmp,
        sensitivity,
        cohort_table,
        before,
        after,
        relation,
        *,
        symmetrize,
        missing,
        suppress_below,
    ) -> None:
        self.survey, self.cmp, self.sensitivity = survey, cmp, sensitivity
        self.cohort_table = cohort_table
        self.before, self.after, self.relation = before, after, relation
        self.symmetrize, self.missing, self.k = symmetrize, missing, suppress_below
        self.sizes = _org_sizes(survey)
        self.small = {g for g, n in self.sizes.items() if self.k and n < self.k}
        self.ei = {w: _network_ei(cmp.graphs[w]) for w in ("before", "after")}
        self.notes: list[str] = []
        self.pseudonymised, self.seed = False, 0
        self.person_pairs = _pairs(cmp.ties)
        self.pairs = _cross_pairs(self.person_pairs)

    # ---- tables ---------------------------------------------------------
    def ei_table(self) -> pd.DataFrame:
        cols = ["E", "I", "ei", "ei_expected", "ei_min", "ei_max", "ei_rescaled"]
        df = pd.DataFrame({w: self.ei[w].reindex(cols) for w in ("before", "after")}).T
        df.index.name = "wave"
        df.index = [self.before, self.after]
        df.index.name = "wave"
        return df.astype(float)

    def response_rates(self) -> pd.DataFrame:
        rr = self.survey.response_rates()
        return suppress_small(
            rr,
            self.k,
            size="people",
            columns=["people", "respondents", "response_rate"],
        )

    def organisations(self) -> pd.DataFrame:
        org = self.cmp.organisations.copy()
        org.insert(0, "people", [self.sizes.get(str(g), 0) for g in org.index])
        return suppress_small(org, self.k, size="people")

    def org_pairs(self) -> pd.DataFrame:
        pairs = self.pairs.copy()
        pairs["suppressed"] = [
            a in self.small or b in self.small
            for a, b in zip(
                pairs["organisation_a"], pairs["organisation_b"], strict=True
            )
        ]
        for col in ("before", "after", "new", "lost", "change"):
            pairs[col] = pairs[col].astype(float)
            pairs.loc[pairs["suppressed"], col] = np.nan
        return pairs

    def blocks(self) -> dict[str, pd.DataFrame]:
        return {
            k: suppress_blocks(v, self.sizes, self.k)
            for k, v in self.cmp.block_density.items()
        }

    def spanners(self) -> pd.DataFrame:
        """People by the change in their ties to other organisations."""
        ppl = self.cmp.people
        cols = [
            c
            for c in (
                "name",
                "organisation",
                "external_ties_before",
                "external_ties_after",
                "external_ties_change",
                "brokerage_before",
                "brokerage_after",
            )
            if c in ppl.columns
        ]
        key = (
            "external_ties_change"
            if "external_ties_change" in ppl.columns
            else cols[-1]
        )
        return ppl[cols].sort_values(key, ascending=False, kind="stable")

    def response_wide(self) -> pd.DataFrame:
        """Response per organisation, one row each, both waves side by side."""
        rr = self.response_rates()
        rows = []
        for org, part in rr.groupby("organisation", sort=False):
            row = {"organisation": org, "people": part["people"].iloc[0]}
            for label, wave in (("before", self.before), ("after", self.after)):
                w = part[part["wave"] == wave]
                row[f"answered {label}"] = (
                    w["respondents"].iloc[0] if len(w) else np.nan
                )
                row[f"rate {label}"] = w["response_rate"].iloc[0] if len(w) else np.nan
            row["suppressed"] = bool(part["suppressed"].any())
            rows.append(row)
        return pd.DataFrame(rows)

    def tables(self) -> dict[str, pd.DataFrame]:
        cmp = self.cmp
        blocks = self.blocks()
        out = {
            "people": cmp.people,
            "organisations": self.organisations(),
            "organisation_pairs": self.org_pairs(),
            "ties": cmp.ties,
            "turnover": cmp.turnover.rename_axis("ties"),
            "summary": cmp.summary,
            "ei": self.ei_table(),
            "block_density_before": blocks["before"],
            "block_density_after": blocks["after"],
            "block_density_change": blocks["change"],
            "tests": cmp.tests,
            "sensitivity": self.sensitivity,
            "response_rates": self.response_rates(),
            "validation": self.survey.validation,
        }
        if self.cohort_table is not None:
            out["cohorts"] = self.cohort_table
        return out

    # ---- figures --------------------------------------------------------
    def figures(self, folder: Path, *, seed: int) -> dict[str, dict]:
        from .. import draw

        cmp, figs = self.cmp, {}
        rel = f"“{self.relation}” ties" if self.relation else "ties"
        figs["before_after"] = save_report_figure(
            draw.plot_before_after(cmp, seed=seed),
            "before_after",
            folder,
            alt=f"Two network maps, before ({self.before}) and after ({self.after}), "
            "people coloured by organisation, new ties highlighted",
            caption=f"{rel.capitalize()} before and after. Same positions in both; "
            "in the right-hand map new ties are drawn thick and lost ties dashed.",
        )
        if self.small:
            figs["block_density"] = save_report_figure(
                masked_block_density(
                    self.blocks(), colors=organisation_colors(self.survey)
                ),
                "block_density",
                folder,
                alt="Heatmaps of tie density within and between organisations, "
                "before, after and change; suppressed cells hatched",
                caption="Density of ties within and between organisations; cells "
                f"involving an organisation of fewer than {self.k} people are hidden.",
            )
        else:
            figs["block_density"] = save_report_figure(
                draw.plot_block_density(cmp),
                "block_density",
                folder,
                alt="Heatmaps of tie density within and between organisations, "
                "before, after and change",
                caption="Density of ties within (diagonal) and between organisations, "
                "before, after and the change (purple: denser, orange: sparser).",
            )
            figs["org_network"] = save_report_figure(
                draw.plot_org_network(cmp),
                "org_network",
                folder,
                alt="Map of organisations: circles sized by people, lines by ties between them",
                caption="Organisations as circles (size: people); line width: ties between them.",
            )
        figs["change"] = save_report_figure(
            draw.plot_change(cmp, measure="external_ties", by="person", top=30),
            "change",
            folder,
            alt="Dumbbell chart of each person's ties outside their organisation, before and after",
            caption="Each person's ties outside their own organisation, before → after "
            "(at most the 30 people whose ties changed most).",
        )
        figs["brokerage"] = save_report_figure(
            draw.plot_brokerage(cmp),
            "brokerage",
            folder,
            alt="Stacked bars of brokerage roles for the top brokers",
            caption="Brokerage roles of the people who broker most (after the programme).",
        )
        if self.cohort_table is not None:
            figs["cohorts"] = save_report_figure(
                draw.plot_cohorts(self.cohort_table),
                "cohorts",
                folder,
                alt="Size-robust measures per cohort against random-graph references",
                caption="Each cohort against random networks of the same size, density "
                "and organisation sizes.",
            )
        return figs

    def interactive_map(self, path: Path, *, title: str | None) -> str:
        from ..draw import interactive_map

        m = interactive_map(
            self.cmp,
            title=title or "Who is connected to whom",
            label="pseudonym" if self.pseudonymised else "name",
            seed=self.seed,
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        m.save(path)
        return m.html

    # ---- words ----------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """Pairs of people tied before/after (union of both directions)."""
        p = self.person_pairs
        cb = p[p["cross_boundary"]]
        return {
            "cb_before": int(cb["before"].sum()),
            "cb_after": int(cb["after"].sum()),
            "cb_new": int((cb["after"] & ~cb["before"]).sum()),
            "cb_lost": int((cb["before"] & ~cb["after"]).sum()),
            "all_before": int(p["before"].sum()),
            "all_after": int(p["after"].sum()),
        }

    def headlines(self, cohort_name: str) -> tuple[list[str], list[dict]]:
        c = self.counts()
        tests = self.cmp.tests
        within, between = T.possible_pairs(self.sizes)
        ei_b, ei_a = float(self.ei["before"]["ei"]), float(self.ei["after"]["ei"])
        exp = float(self.ei["after"]["ei_expected"])
        ei_test = T.test_row(tests, "ei_change_swap")
        qap = T.test_row(tests, "qap_waves")
        mr = T.test_row(tests, f"mrqap_same_{self.cmp.options.get('group', 'organisation')}")
        lines: list[str] = []

        # 1. Ties between organisations, with the E-I change test as uncertainty.
        p_ei = T.p_of(ei_test, "greater")
        # the p-value shown is that of the direction observed (a fall, too)
        fell = ei_test is not None and float(ei_test.get("observed", 0) or 0) < 0
        p_shown = T.p_of(ei_test, "less") if fell else p_ei
        ratio = ""
        if between and c["cb_before"] and c["cb_after"]:
            r = c["cb_after"] / c["cb_before"]
            times = f"{r:.0f}" if r >= 10 else f"{r:.1f}"
            ratio = (
                f"; a tie between two people in different organisations was {times} "
                "times as likely after the programme as before"
            )
        lines.append(
            "Ties between organisations (pairs of people in different organisations "
            f"with a tie) went from {c['cb_before']:,} to "
            f"{c['cb_after']:,}: {T.count_text(c['cb_new'], 'new tie')} and "
            f"{c['cb_lost']:,} lost{ratio} (E-I change test, {T.p_text(p_shown)})."
        )
        # 2. E-I against random mixing (label permutation test of the after wave).
        vs_random = T.test_row(tests, "ei_after_label")
        mixing = ""
        if vs_random is not None:
            side = "less" if ei_a < exp else "greater"
            mixing = f" (label permutation test, {T.p_text(T.p_of(vs_random, side))})"
        described = T.describe_ei(ei_a, exp)
        lines.append(
            f"The E-I index moved from {T.signed(ei_b)} to {T.signed(ei_a)} "
            f"(rescaled: {T.signed(self.ei['before']['ei_rescaled'])} to "
            f"{T.signed(self.ei['after']['ei_rescaled'])}). Random mixing would give "
            + (
                f"{T.signed(exp)}, so after the programme ties were {described}"
                f"{mixing}."
                if described
                else f"{T.signed(exp)}; with no ties in one of the waves the E-I "
                "index is not defined there (– above)."
            )
        )
        # 3. MR-QAP: does the same organisation still predict ties?
        if mr is not None:
            coef = float(mr.get("observed", float("nan")))
            p = T.p_of(mr, "two_sided")
            if not math.isnan(coef):
                lines.append(T.mrqap_sentence(coef, p, str(mr.get("statistic", ""))))
        # 4. Stability.
        if qap is not None:
            r = float(qap.get("observed", float("nan")))
            if math.isnan(r):
                lines.append(
                    "Whether the network after resembles the network before could "
                    "not be measured (QAP correlation not available: a wave has no "
                    f"ties): {c['all_before']:,} ties before, {c['all_after']:,} after."
                )
            else:
                lines.append(
                    "How much the network after resembles the network before: QAP "
                    f"correlation {r:.2f} (1 = the same ties, 0 = unrelated; "
                    f"{T.p_text(T.p_of(qap, 'greater'))}): "
                    f"{c['all_before']:,} ties before, {c['all_after']:,} after."
                )
        # 5. Sensitivity.
        flips = (
            int(_flip_mask(self.sensitivity).sum())
            if self.sensitivity is not None
            else 0
        )
        n_sens = 0 if self.sensitivity is None else len(self.sensitivity)
        if self.sensitivity is not None and "variation" in self.sensitivity:
            n_sens = int((self.sensitivity["variation"] != "baseline").sum())
        if n_sens:
            lines.append(
                "The conclusions held under every other way of preparing the data we "
                f"tried ({n_sens} variants)."
                if not flips
                else f"A conclusion changed under {flips} of the {n_sens} other ways of "
                "preparing the data we tried (highlighted in the sensitivity table): "
                "treat it as fragile."
            )
        # 6. Response.
        lines.append(self.response_sentence())
        # 7. Cohorts.
        if self.cohort_table is not None:
            lines.append(self.cohort_sentence(cohort_name))

        cards = [
            {
                "value": f"{c['cb_before']:,} → {c['cb_after']:,}",
                "label": "ties between organisations",
                "sub": f"{c['cb_new']:,} new, {c['cb_lost']:,} lost",
            },
            {
                "value": f"{T.signed(ei_b)} → {T.signed(ei_a)}",
                "label": "E-I index (−1 inside, +1 between)",
                "sub": f"random mixing: {T.signed(exp)}",
            },
            {
                "value": T.p_text(p_shown).replace("p ", "p\u00a0"),
                "label": "probability of a shift this large by chance alone",
                "sub": "E-I change, permutation test",
            },
            {
                "value": self.response_value(),
                "label": "answered in both waves",
                "sub": f"of {len(self.survey.people)} people on the roster",
            },
        ]
        self.verdict = T.verdict(
            c["cb_before"],
            c["cb_after"],
            p_ei,
            flips,
            self.cmp.options.get("n_permutations"),
            p_fall=T.p_of(ei_test, "less"),
        )
        if not c["all_before"] and not c["all_after"]:
            self.verdict = (
                "Nothing to compare: with these options neither wave has any tie "
                "(check the relation, --min-strength and the missing-data policy)."
            )
        return lines, cards

    def response_value(self) -> str:
        both = self.survey.responded(self.before) & self.survey.responded(self.after)
        return f"{len(both):,}"

    def response_sentence(self) -> str:
        n = len(self.survey.people)
        rb, ra = self.survey.responded(self.before), self.survey.responded(self.after)
        text = (
            f"{len(rb)} of {n} people answered before and {len(ra)} after; "
            f"{len(rb & ra)} answered both times."
        )
        silent = [w for w, r in ((self.before, rb), (self.after, ra)) if not r]
        for wave in silent:
            n_ties = int((self.survey.ties["wave"] == wave).sum())
            text += f" Nobody is listed as answering in wave “{wave}”" + (
                f", yet the ties file has {n_ties:,} nominations in it: check "
                "that the respondents file lists that wave."
                if n_ties
                else "."
            )
        rr = self.response_rates()
        ok = rr[~rr["suppressed"]] if "suppressed" in rr.columns else rr
        ok = ok[~ok["wave"].isin(silent)] if "wave" in ok.columns else ok
        if len(ok):
            low = ok.sort_values("response_rate", kind="stable").iloc[0]
            if float(low["response_rate"]) < 0.75:
                text += (
                    f" Response was lowest in {low['organisation']} "
                    f"({float(low['response_rate']):.0%} in wave {low['wave']}), so its "
                    "connections may be under-counted there."
                )
        return text

    def cohort_sentence(self, cohort_name: str) -> str:
        """Rescaled E-I per cohort against its random-network reference."""
        t = self.cohort_table
        m = "ei_rescaled" if "ei_rescaled" in t.columns else "ei"
        parts = []
        for cohort, row in t.iterrows():
            bit = f"{cohort} {T.signed(float(row[m]))}"
            z = row.get(f"{m}_z")
            if z is not None and not math.isnan(float(z)):
                bit += f" (z = {float(z):+.1f} against random networks)".replace(
                    "-", "\u2212"
                )
            parts.append(bit)
        text = (
            f"In wave “{self.after}”, the rescaled E-I index (size-robust; higher = "
            "more ties across organisations) was: " + "; ".join(parts) + "."
        )
        if cohort_name in t.index and len(t) > 1:
            own = float(t.loc[cohort_name, m])
            others = t.drop(index=cohort_name)[m].astype(float)
            if (own > others).all():
                text += f" Ties crossed organisations more in {cohort_name} than in the comparison."
            elif (own < others).all():
                text += f" Ties crossed organisations less in {cohort_name} than in the comparison."
        return text

    def cohort_view(self) -> pd.DataFrame:
        """Measures as rows, each cohort's value and z-score as columns."""
        t = self.cohort_table
        names = {
            "n": "people",
            "ties": "ties",
            "ei": "E-I",
            "ei_expected": "E-I expected (random mixing)",
            "ei_rescaled": "E-I rescaled",
            "block_contrast": "block contrast (between − within density)",
            "jaccard": "Jaccard (ties kept between waves)",
            "density": "density",
            "centralization_degree": "degree centralization",
        }
        rows = {}
        for m, label in names.items():
            if m not in t.columns:
                continue
            row = {}
            for cohort in t.index:
                row[str(cohort)] = t.loc[cohort, m]
                if f"{m}_z" in t.columns:
                    row[f"{cohort} z"] = t.loc[cohort, f"{m}_z"]
            rows[label] = row
        return pd.DataFrame.from_dict(rows, orient="index")

    # ---- page -----------------------------------------------------------
    def render(
        self, *, figures, map_html, manifest, title, cohort_name, pseudonymised
    ) -> str:
        cmp = self.cmp
        headlines, cards = self.headlines(cohort_name)
        ei = self.ei_table()
        rr_wide = self.response_wide()
        org = self.organisations()
        pairs = self.org_pairs()
        sens = self.sensitivity
        spanners = self.spanners()
        validation = self.survey.validation
        serious = validation
        if len(validation) and "severity" in validation.columns:
            serious = validation[
                validation["severity"].astype(str).isin(["error", "warning"])
            ]
        tables = {
            "ei": table_view(
                ei,
                index="wave",
                columns={
                    "E": "between (E)",
                    "I": "within (I)",
                    "ei": "E-I",
                    "ei_expected": "expected (random mixing)",
                    "ei_min": "lowest possible",
                    "ei_max": "highest possible",
                    "ei_rescaled": "rescaled E-I",
                },
            ),
            "org_pairs": table_view(
                pairs,
                columns={
                    "organisation_a": "organisation",
                    "organisation_b": "and organisation",
                    "before": "ties before",
                    "after": "ties after",
                    "new": "new",
                    "lost": "lost",
                },
                suppressed=pairs["suppressed"].tolist(),
                suppress_columns=("before", "after", "new", "lost"),
                caption="Who connects which organisations: ties between each pair of organisations.",
                max_rows=25,
            ),
            "organisations": table_view(
                org,
                index="organisation",
                columns=[c for c in org.columns if c != "suppressed"],
                kinds={
                    c: (
                        ("pp" if "response_rate" in c else "change")
                        if c.endswith("_change")
                        else "pct"
                        if "response_rate" in c
                        else "signed"
                    )
                    for c in org.columns
                    if "response_rate" in c
                    or c.endswith("_change")
                    or c.startswith("ei_")
                },
                suppressed=org["suppressed"].tolist(),
                suppress_columns=[c for c in org.columns if c != "suppressed"],
            ),
            "spanners": table_view(
                spanners,
                columns={
                    "name": "person",
                    "organisation": "organisation",
                    "external_ties_before": "ties to other organisations, before",
                    "external_ties_after": "after",
                    "external_ties_change": "change",
                    "brokerage_before": "brokerage before",
                    "brokerage_after": "brokerage after",
                },
                caption="People ordered by the change in their ties outside their own organisation.",
                max_rows=15,
            ),
            "tests": table_view(
                cmp.tests,
                columns=[c for c in cmp.tests.columns],
                kinds={"p_greater": "p", "p_less": "p", "p_two_sided": "p"},
            ),
            "sensitivity": None
            if sens is None
            else table_view(
                _readable_sensitivity(sens),
                columns={
                    "variation": "what was varied",
                    "symmetrize": "ties",
                    "min_strength": "min. strength",
                    "missing": "non-respondents",
                    "people": "people",
                    "cross_boundary_before": "ties between orgs before",
                    "cross_boundary_after": "after",
                    "ei_change": "E-I change",
                    "p_ei_change": "p",
                    "same_org_coef": "same-org. effect",
                    "p_same_org": "p",
                    "what_changed": "conclusion that changed",
                },
                kinds={"p_ei_change": "p", "p_same_org": "p"},
                highlight=_flip_mask(sens).tolist(),
                max_rows=60,
            ),
            "response_rates": table_view(
                rr_wide,
                columns=[c for c in rr_wide.columns if c != "suppressed"],
                kinds={"rate before": "pct", "rate after": "pct"},
                suppressed=rr_wide["suppressed"].tolist(),
                suppress_columns=[
                    c
                    for c in rr_wide.columns
                    if c not in ("organisation", "suppressed")
                ],
                note=(
                    f"Organisations with fewer than {self.k} people are suppressed."
                    if self.small
                    else None
                ),
            ),
            "validation": table_view(
                serious,
                columns=[
                    "severity",
                    "file",
                    "row",
                    "column",
                    "value",
                    "problem",
                    "action",
                ],
                max_rows=50,
            )
            if len(serious)
            else None,
            "summary": table_view(cmp.summary, index="measure"),
            "cohorts": None
            if self.cohort_table is None
            else table_view(
                self.cohort_view(),
                index="measure",
                caption="z: how many standard deviations each value lies from random "
                "networks of the same size, density and organisation sizes.",
            ),
            "options": table_view(
                pd.DataFrame(
                    [
                        (k, _opt(v))
                        for k, v in {
                            **manifest["options"],
                            **{f"seed ({k})": v for k, v in manifest["seeds"].items()},
                        }.items()
                    ],
                    columns=["option", "value"],
                )
            ),
            "inputs": table_view(
                pd.DataFrame(
                    [
                        (k, v.get("file"), v.get("sha256"))
                        for k, v in manifest["inputs"].items()
                    ],
                    columns=["input", "file", "sha256"],
                )
            )
            if manifest["inputs"]
            else None,
            "versions": table_view(
                pd.DataFrame(
                    [(k, v or "not installed") for k, v in package_versions().items()],
                    columns=["software", "version"],
                )
            ),
        }
        tb = cmp.turnover
        jac = tb.loc["all", "jaccard"] if "all" in tb.index else float("nan")
        quality = (
            f"The survey lists {len(self.survey.people)} people in "
            f"{len(self.sizes)} organisations. Differences in who answered can look "
            "like change in the network, so read the response rates below first."
        )
        if not math.isnan(float(jac)) and float(jac) < 0.2:
            quality += (
                f" Only {float(jac):.0%} of ties were present in both waves (Jaccard "
                "index below 0.2): the two waves share few ties, so change measures "
                "are unstable."
            )
        privacy_note = None
        if pseudonymised:
            privacy_note = (
                "Names are replaced by codes (pseudonyms). The key that links codes to "
                "people is held separately by the evaluation team."
            )
        if self.small:
            note = (
                f"Numbers about organisations with fewer than {self.k} people are "
                "hidden (shown as “suppressed”)."
            )
            privacy_note = f"{privacy_note} {note}" if privacy_note else note
        created = manifest["created"]
        return render_report(
            {
                "title": title
                or "Did the programme connect leaders across organisations?",
                "subtitle": (
                    f"{cohort_name}: {len(self.survey.people)} people in "
                    f"{len(self.sizes)} organisations, surveyed in wave "
                    f"“{self.before}” (before) and “{self.after}” (after); relation "
                    f"“{self.relation}”."
                ),
                "question": (
                    "Did the people on the programme become more connected to "
                    "colleagues in other organisations? This report compares who "
                    "named whom before and after the programme."
                ),
                "cards": cards,
                "headlines": headlines,
                "verdict": self.verdict,
                "figures": figures,
                "map_html": map_html,
                "tie_meaning": T.tie_meaning(self.relation, self.symmetrize),
                "org_map_note": (
                    "The organisation map is not shown because some organisations are "
                    "below the suppression threshold."
                    if self.small
                    else None
                ),
                "ei_explainer": T.ei_explainer(
                    self.sizes, float(self.ei["after"]["ei_expected"])
                ),
                "broker_explainer": T.BROKER_EXPLAINER,
                "tests_explainer": T.TESTS_EXPLAINER,
                "sensitivity_explainer": T.SENSITIVITY_EXPLAINER
                + _sensitivity_permutations(self.sensitivity),
                "cohorts": None
                if self.cohort_table is None
                else {"text": self.cohort_sentence(cohort_name)},
                "quality_text": quality,
                "notes": self.notes,
                "missing_text": T.missing_text(self.missing),
                "problems": T.problems_summary(self.survey.validation),
                "privacy_note": privacy_note,
                "tables": tables,
                "definitions": T.DEFINITIONS,
                "versions": manifest["versions"],
                "created": created,
            }
        )


def _first(*rows):
    return next((r for r in rows if r is not None), None)


def _opt(v) -> str:
    if v is None:
        return "not set"
    if isinstance(v, list | tuple):
        return ", ".join(map(str, v)) or "none"
    if isinstance(v, dict):
        return "; ".join(f"{k}={_opt(x)}" for k, x in v.items()) or "none"
    return str(v)
