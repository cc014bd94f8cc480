"""``build_report``: the programme report, one offline HTML file and its folder.

The report answers "did our leaders become connected across organisations?"
for a programme lead (pictures first, plain words second) and shows the numbers,
tests, options, seeds and versions for whoever checks. It is assembled from
:func:`~senatenet.compare_waves`, the static figures, the interactive map and
(optionally) :func:`~senatenet.compare_cohorts`.
"""

from __future__ import annotations

import hashlib
import math
import os
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

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
    if not isinstance(seed, int | np.integer):
        raise InputError(f"seed must be a whole number, not {seed!r}")
    return before, after


def _resolve_key(key) -> bytes | None:
    if key is None:
        return None
    if isinstance(key, bytes):
        return key
    return load_key(key)


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


def _cross_pairs(ties: pd.DataFrame) -> pd.DataFrame:
    """Ties between organisations per (unordered) organisation pair."""
    cb = ties[ties["cross_boundary"].astype(bool)]
    if not len(cb):
        return pd.DataFrame(
            columns=[
                "organisation_a",
                "organisation_b",
                "before",
                "after",
                "new",
                "lost",
            ]
        )
    a = cb["organisation_source"].astype(str)
    b = cb["organisation_target"].astype(str)
    lo = np.where(a <= b, a, b)
    hi = np.where(a <= b, b, a)
    frame = pd.DataFrame(
        {"organisation_a": lo, "organisation_b": hi, "status": cb["status"].to_numpy()}
    )
    out = (
        frame.assign(
            before=frame["status"].isin(["stable", "lost"]).astype(int),
            after=frame["status"].isin(["stable", "new"]).astype(int),
            new=(frame["status"] == "new").astype(int),
            lost=(frame["status"] == "lost").astype(int),
        )
        .groupby(["organisation_a", "organisation_b"], sort=False)[
            ["before", "after", "new", "lost"]
        ]
        .sum()
        .reset_index()
        .sort_values(["after", "new"], ascending=False, kind="stable")
        .reset_index(drop=True)
    )
    out["change"] = out["after"] - out["before"]
    return out


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
        Unknown waves, bad options, or an unreadable key file.

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
    steps = _Steps(progress, 7 if comparisons else 6)

    # Record the inputs before pseudonymising (which keeps file names only).
    inputs = _inputs(survey, cohort_name)
    for name, other in comparisons.items():
        inputs.update(_inputs(other, name))

    if key is not None:
        steps("Pseudonymising names and ids")
        survey = pseudonymise(survey, key)
        comparisons = {name: pseudonymise(s, key) for name, s in comparisons.items()}
    else:
        steps.total -= 1

    steps(
        f"Comparing waves {before!r} and {after!r} ({n_permutations} permutations per test)"
    )
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
    sensitivity = cmp.sensitivity()

    cohort_table = None
    if comparisons:
        from ..compare import compare_cohorts

        steps(f"Comparing cohorts: {', '.join([cohort_name, *comparisons])}")
        cohort_table = compare_cohorts(
            {cohort_name: survey, **comparisons},
            wave=after,
            relation=relation,
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

    steps("Drawing the figures")
    figures = content.figures(out / "figures", seed=seed)

    steps("Building the interactive map")
    map_html = content.interactive_map(out / "map.html", title=title)

    steps("Writing tables, manifest and report.html")
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
        "seed": seed,
        "cohort_name": cohort_name,
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
        self.pairs = _cross_pairs(cmp.ties)

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
                "constraint_before",
                "constraint_after",
            )
            if c in ppl.columns
        ]
        key = (
            "external_ties_change"
            if "external_ties_change" in ppl.columns
            else cols[-1]
        )
        return ppl[cols].sort_values(key, ascending=False, kind="stable")

    def tables(self) -> dict[str, pd.DataFrame]:
        cmp = self.cmp
        blocks = self.blocks()
        out = {
            "people": cmp.people,
            "organisations": self.organisations(),
            "organisation_pairs": self.org_pairs(),
            "ties": cmp.ties,
            "turnover": cmp.turnover,
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
                masked_block_density(self.blocks()),
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
                "before, after and the change (red: fewer, blue: more).",
            )
            figs["org_network"] = save_report_figure(
                draw.plot_org_network(cmp),
                "org_network",
                folder,
                alt="Map of organisations: circles sized by people, lines by ties between them",
                caption="Organisations as circles (size: people); line width: ties between them.",
            )
        figs["change"] = save_report_figure(
            draw.plot_change(cmp, measure="external_ties", by="person"),
            "change",
            folder,
            alt="Dumbbell chart of each person's ties outside their organisation, before and after",
            caption="Each person's ties outside their own organisation, before → after.",
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

        m = interactive_map(self.cmp, title=title or "Who is connected to whom")
        path.parent.mkdir(parents=True, exist_ok=True)
        m.save(path)
        return m.html

    # ---- words ----------------------------------------------------------
    def counts(self) -> dict[str, int]:
        t = self.cmp.ties
        cb = t[t["cross_boundary"].astype(bool)]
        s = cb["status"]
        return {
            "cb_before": int(s.isin(["stable", "lost"]).sum()),
            "cb_after": int(s.isin(["stable", "new"]).sum()),
            "cb_new": int((s == "new").sum()),
            "cb_lost": int((s == "lost").sum()),
            "all_before": int(t["status"].isin(["stable", "lost"]).sum()),
            "all_after": int(t["status"].isin(["stable", "new"]).sum()),
        }

    def headlines(self, cohort_name: str) -> tuple[list[str], list[dict]]:
        c = self.counts()
        tests = self.cmp.tests
        within, between = T.possible_pairs(self.sizes)
        ei_b, ei_a = float(self.ei["before"]["ei"]), float(self.ei["after"]["ei"])
        exp = float(self.ei["after"]["ei_expected"])
        ei_test = T.find_test(tests, "e-i") or T.find_test(tests, "ei")
        qap = T.find_test(tests, "qap", exclude=("mr",))
        mr = T.find_test(tests, "mr", "organisation") or T.find_test(tests, "mr")
        lines: list[str] = []

        # 1. Ties between organisations, with the E-I change test as uncertainty.
        p_ei = T.p_of(ei_test, "greater")
        ratio = ""
        if between and c["cb_before"]:
            r = c["cb_after"] / c["cb_before"]
            ratio = (
                f"; a tie between two people in different organisations was {r:.1f} "
                "times as likely after the programme as before"
            )
        lines.append(
            f"Ties between organisations went from {c['cb_before']:,} to "
            f"{c['cb_after']:,}: {T.count_text(c['cb_new'], 'new tie')} and "
            f"{c['cb_lost']:,} lost{ratio} (E-I change test, {T.p_text(p_ei)})."
        )
        # 2. E-I against random mixing.
        lines.append(
            f"The E-I index moved from {T.signed(ei_b)} to {T.signed(ei_a)} "
            f"(rescaled: {T.signed(self.ei['before']['ei_rescaled'])} to "
            f"{T.signed(self.ei['after']['ei_rescaled'])}). Random mixing would give "
            f"{T.signed(exp)}, so after the programme ties were "
            f"{T.describe_ei(ei_a, exp)}."
        )
        # 3. MR-QAP: does the same organisation still predict ties?
        if mr is not None:
            coef = float(mr.get("observed", float("nan")))
            p = T.p_of(mr, "two_sided")
            if not math.isnan(coef):
                direction = (
                    "still more likely to form ties"
                    if coef > 0 and p is not None and p < 0.05
                    else "no more likely than others to form ties"
                    if p is None or p >= 0.05
                    else "less likely to form ties"
                )
                lines.append(
                    "Taking existing ties into account, people in the same organisation "
                    f"were {direction} after the programme (MR-QAP same-organisation "
                    f"coefficient {coef:+.3f}, {T.p_text(p)})."
                )
        # 4. Stability.
        if qap is not None:
            r = float(qap.get("observed", float("nan")))
            lines.append(
                f"The network after resembles the network before (QAP correlation "
                f"{r:.2f}, {T.p_text(T.p_of(qap, 'greater'))}): "
                f"{c['all_before']:,} ties before, {c['all_after']:,} after."
            )
        # 5. Sensitivity.
        flips = (
            int(_flip_mask(self.sensitivity).sum())
            if self.sensitivity is not None
            else 0
        )
        n_sens = 0 if self.sensitivity is None else len(self.sensitivity)
        if n_sens:
            lines.append(
                "The conclusions held under every other way of preparing the data we "
                f"tried ({n_sens} variants)."
                if not flips
                else f"{T.count_text(flips, 'result')} of {n_sens} changed under another "
                "way of preparing the data (highlighted in the sensitivity table): "
                "treat those as fragile."
            )
        # 6. Response.
        lines.append(self.response_sentence())
        # 7. Cohorts.
        if self.cohort_table is not None:
            lines.append(self.cohort_sentence(cohort_name))

        cards = [
            {
                "value": f"{c['cb_before']} → {c['cb_after']}",
                "label": "ties between organisations",
                "sub": f"{c['cb_new']} new, {c['cb_lost']} lost",
            },
            {
                "value": f"{T.signed(ei_b)} → {T.signed(ei_a)}",
                "label": "E-I index (−1 inside, +1 between)",
                "sub": f"random mixing: {T.signed(exp)}",
            },
            {
                "value": T.p_text(p_ei).replace("p ", "p\u00a0"),
                "label": "chance of a shift this large by chance",
                "sub": "E-I change permutation test",
            },
            {
                "value": self.response_value(),
                "label": "answered in both waves",
                "sub": f"of {len(self.survey.people)} people on the roster",
            },
        ]
        return lines, cards

    def response_value(self) -> str:
        both = self.survey.responded(self.before) & self.survey.responded(self.after)
        return f"{len(both)}"

    def response_sentence(self) -> str:
        n = len(self.survey.people)
        rb, ra = self.survey.responded(self.before), self.survey.responded(self.after)
        text = (
            f"{len(rb)} of {n} people answered before and {len(ra)} after; "
            f"{len(rb & ra)} answered both times."
        )
        rr = self.response_rates()
        ok = rr[~rr["suppressed"]] if "suppressed" in rr.columns else rr
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
        t = self.cohort_table
        parts = []
        for cohort, row in t.iterrows():
            ei = row.get("ei_rescaled", row.get("ei"))
            z = row.get("ei_rescaled_z", row.get("ei_z"))
            if ei is None:
                continue
            bit = f"{cohort}: E-I {T.signed(float(ei))}"
            if z is not None and not math.isnan(float(z)):
                bit += f" (z = {float(z):+.1f} against random networks)"
            parts.append(bit)
        return (
            f"Compared with other cohorts in wave {self.after!r}: "
            + "; ".join(parts)
            + "."
            if parts
            else "See the cohort comparison below."
        )

    # ---- page -----------------------------------------------------------
    def render(
        self, *, figures, map_html, manifest, title, cohort_name, pseudonymised
    ) -> str:
        cmp = self.cmp
        headlines, cards = self.headlines(cohort_name)
        ei = self.ei_table()
        pct_cols = {"response_rate": "pct"}
        rr = self.response_rates()
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
                    "organisation_b": "organisation",
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
                    c: "pct"
                    for c in org.columns
                    if "response_rate" in c and "change" not in c
                },
                suppressed=org["suppressed"].tolist(),
                suppress_columns=[c for c in org.columns if c != "suppressed"],
            ),
            "spanners": table_view(
                spanners,
                columns=list(spanners.columns),
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
            else table_view(sens, highlight=_flip_mask(sens).tolist(), max_rows=60),
            "response_rates": table_view(
                rr,
                columns=[
                    "wave",
                    "organisation",
                    "people",
                    "respondents",
                    "response_rate",
                ],
                kinds=pct_cols,
                suppressed=rr["suppressed"].tolist(),
                suppress_columns=("people", "respondents", "response_rate"),
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
            else table_view(self.cohort_table, index="cohort"),
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
                "sensitivity_explainer": T.SENSITIVITY_EXPLAINER,
                "cohorts": None
                if self.cohort_table is None
                else {"text": self.cohort_sentence(cohort_name)},
                "quality_text": quality,
                "missing_text": T.missing_text(self.missing),
                "problems": T.problems_summary(self.survey.validation),
                "privacy_note": privacy_note,
                "tables": tables,
                "definitions": T.DEFINITIONS,
                "versions": manifest["versions"],
                "created": created,
            }
        )


def _opt(v) -> str:
    if v is None:
        return "not set"
    if isinstance(v, list | tuple):
        return ", ".join(map(str, v)) or "none"
    if isinstance(v, dict):
        return "; ".join(f"{k}={_opt(x)}" for k, x in v.items()) or "none"
    return str(v)
