"""``senatenet demo``: the main job on the bundled sample.

Validates the fictional senate, builds its networks for every wave and relation,
and writes into ``--out`` (default ``senatenet-output``) the programme report
(``report.html``, ``map.html``, ``figures/``, ``tables/`` -- including the
validation report and response rates -- and ``manifest.json``: the advice
network, before vs after the programme, evaluated against the comparison cohort
(the comparison-cohort design), with the follow-up wave twelve months later),
and under ``exports/``
GraphML and GEXF files, Excel-safe node and edge tables with the node measures
for every wave and relation, a whole-network summary and one Excel workbook.
Each file is written once: the one ``manifest.json`` (versions, seeds, options,
input hashes) lists every file of the folder, exports included, and the command
prints every file it wrote.

The work is a list of steps, ``STEPS``; each takes the :class:`DemoRun` and
records what it wrote with ``run.add(path)``. A new output is one more
function inserted before ``write_manifest``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import InputError

__all__: list[str] = []

DEFAULT_OUT = "senatenet-output"
# Person graphs as surveyed: directed, every strength, non-respondents' ties absent.
GRAPH_OPTIONS = {"min_strength": None, "symmetrize": None, "missing": "absent"}


@dataclass
class DemoRun:
    """What a demo step needs: the survey, the output folder, the seed, and the
    files written so far (paths, in order)."""

    survey: object
    out: Path
    seed: int = 0
    n_jobs: int | None = 1
    root: Path | None = None
    report: Path | None = None
    files: list[Path] = field(default_factory=list)
    summary: pd.DataFrame | None = None

    def add(self, path: Path) -> Path:
        self.files.append(Path(path))
        return Path(path)

    def graphs(self):
        """``(wave, relation, person graph)`` for every wave and relation."""
        for relation in self.survey.relations:
            for wave in self.survey.waves:
                yield wave, relation, self.survey.person_graph(wave, relation, **GRAPH_OPTIONS)


def _person_table(G) -> pd.DataFrame:
    from ..export import node_table_frame
    from ..measures.centrality import node_table

    attrs = node_table_frame(G, index_name="person_id")
    measures = node_table(G)
    return attrs.join(measures.drop(columns=[c for c in measures if c in attrs]))


def write_networks(run: DemoRun) -> None:
    from ..commands.export import safe_name
    from ..export import edge_table_frame, write_csv, write_gexf, write_graphml

    for wave, relation, G in run.graphs():
        stem = f"{safe_name(wave)}_{safe_name(relation)}"
        run.add(write_graphml(G, run.out / "networks" / f"people_{stem}.graphml"))
        run.add(write_gexf(G, run.out / "networks" / f"people_{stem}.gexf"))
        orgs = run.survey.org_graph(wave, relation, **GRAPH_OPTIONS)
        run.add(write_graphml(orgs, run.out / "networks" / f"organisations_{stem}.graphml"))
        run.add(write_csv(_person_table(G), run.out / "tables" / f"people_{stem}.csv"))
        run.add(write_csv(edge_table_frame(G), run.out / "tables" / f"ties_{stem}.csv",
                          index=False))


def write_summary(run: DemoRun) -> None:
    from ..export import write_csv
    from ..measures.summary import network_summary

    rows = []
    for wave, relation, G in run.graphs():
        s = network_summary(G, seed=run.seed)
        rows.append({"relation": relation, "wave": wave, **s.to_dict()})
    summary = pd.DataFrame(rows)
    for column in ("nodes", "ties", "groups", "components", "isolates",
                   "external_ties", "internal_ties"):
        if column in summary:  # counts are whole numbers
            summary[column] = summary[column].astype("Int64")
    run.summary = summary
    run.add(write_csv(run.summary, run.out / "network_summary.csv", index=False))


def write_workbook(run: DemoRun) -> None:
    from ..export import write_xlsx

    survey = run.survey
    sheets = {
        "people": survey.people,
        "ties": survey.ties,
        "respondents": survey.respondents,
        "response rates": survey.response_rates(),
        "validation": survey.validation,
    }
    if run.summary is not None:
        sheets["network summary"] = run.summary
    run.add(write_xlsx(sheets, run.out / "senatenet-sample.xlsx"))


def write_manifest(run: DemoRun) -> None:
    """Add the exports to the report's ``manifest.json`` (one manifest for the
    whole folder): their hashes under ``outputs`` (``exports/...``), the demo's
    options and seed."""
    import json

    from ..report.manifest import file_sha256, run_manifest, write_manifest

    root = run.root or run.out
    path = root / "manifest.json"
    exports = {p.relative_to(root).as_posix(): file_sha256(p) for p in run.files}
    if path.is_file():
        manifest = json.loads(path.read_text(encoding="utf-8"))
    else:  # no report step: a manifest of the exports alone
        manifest = run_manifest(
            options={},
            seeds={},
            inputs={
                name: {"file": Path(str(src)).name, "sha256": run.survey.hashes.get(name)}
                for name, src in run.survey.sources.items()
            },
            outputs={},
            command=["senatenet", "demo"],
        )
    manifest["command"] = ["senatenet", "demo", "--seed", str(run.seed)]
    manifest.setdefault("options", {})["demo"] = {
        "sample": "senate (fictional)",
        "graph_options": GRAPH_OPTIONS,
        "exports": run.out.relative_to(root).as_posix() if run.out != root else ".",
        "report": run.report.relative_to(root).as_posix() if run.report else None,
        "report_sample": "senate with the follow-up wave (fictional), against the "
        "comparison cohort",
    }
    manifest.setdefault("seeds", {})["demo"] = run.seed
    outputs = manifest.setdefault("outputs", {})
    outputs.update(exports)
    write_manifest(manifest, path)
    # every file of the folder, for the listing: the report's and the exports
    run.files = [root / name for name in outputs] + [path]


def write_report(run: DemoRun) -> None:
    """The programme report on the advice network: the comparison-cohort design
    (Brackenmoor, no programme) and the follow-up wave (the senate sample with a
    third wave twelve months later, one medical director who left and her
    successor who joined), so the report shows the evaluation's verdict and
    whether the new ties lasted."""
    from ..report.build import build_report
    from ..sample import load_sample

    root = run.root or run.out
    run.report = build_report(
        load_sample("senate", follow_up=True),
        waves=["pre", "post", "follow-up"],
        relation="advice",
        out_dir=root,
        comparison_surveys={"Brackenmoor (comparison)": load_sample("comparison")},
        cohort_name="Calderford senate",
        seed=run.seed,
        n_jobs=run.n_jobs,
        command=["senatenet", "demo"],
        progress=lambda message: print(message, file=sys.stderr, flush=True),
    )


STEPS: list[Callable[[DemoRun], None]] = [
    write_networks,
    write_summary,
    write_workbook,
    write_report,
    write_manifest,
]


def run_demo(
    out: str | Path = DEFAULT_OUT, *, seed: int = 0, survey=None, n_jobs: int | None = 1
) -> DemoRun:
    """Run every step of the demo into ``out``; returns the :class:`DemoRun`."""
    from ..sample import load_sample

    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {str(out)!r} exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    run = DemoRun(survey=load_sample("senate") if survey is None else survey,
                  out=out / "exports", seed=seed, root=out, n_jobs=n_jobs)
    for step in STEPS:
        step(run)
    return run


def headline(run: DemoRun) -> list[str]:
    """One line per relation: cross-organisation ties and E-I, first to last wave."""
    s = run.summary
    if s is None or not {"external_ties", "ei"} <= set(s.columns):
        return []
    first, last = run.survey.waves[0], run.survey.waves[-1]
    lines = []
    for relation in run.survey.relations:
        a = s[(s["relation"] == relation) & (s["wave"] == first)].iloc[0]
        b = s[(s["relation"] == relation) & (s["wave"] == last)].iloc[0]
        lines.append(
            f"  {relation}: cross-organisation ties {a['external_ties']:.0f} -> "
            f"{b['external_ties']:.0f}; E-I {a['ei']:+.2f} -> {b['ei']:+.2f} "
            f"(random mixing {b.get('ei_expected', float('nan')):+.2f})"
        )
    return lines


def _from_manifest(path: Path) -> tuple[str | None, str | None]:
    """What the report covers (relation, waves, design) and its first sentence,
    from its manifest."""
    import json

    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, None
    options = manifest.get("options") or {}
    waves = [options.get("before"), options.get("after"), *(options.get("follow_ups") or [])]
    covers = None
    if all(isinstance(w, str) for w in waves):
        covers = (f"the {options.get('relation')} network, waves {', '.join(waves)} "
                  f"({options.get('design', 'single cohort')} design)")
    verdict = (manifest.get("verdict") or {}).get("sentence")
    return covers, verdict if isinstance(verdict, str) else None


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "demo",
        help="run the whole job on the bundled fictional sample",
        description="Validate the bundled fictional senate sample, build its "
        "networks for every wave and relation, and write the programme report "
        "(DIR/report.html, with map.html, figures, tables -- the validation "
        "report among them -- and manifest.json; the evaluation uses the fictional "
        "comparison cohort and the report follows the ties to the follow-up wave) "
        "and, under DIR/exports/, GraphML/GEXF files, "
        "Excel-safe tables and measures. Prints every file it wrote.",
    )
    p.add_argument("--out", default=DEFAULT_OUT, metavar="DIR",
                   help=f"output folder (default: {DEFAULT_OUT})")
    p.add_argument("--seed", type=int, default=0, metavar="S",
                   help="seed for every random step (default: 0); recorded in "
                   "manifest.json")
    p.add_argument("--jobs", type=int, default=1, metavar="N",
                   help="processes for the permutation tests (default 1; -1: every "
                   "core); results are identical for every N")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from .validate import console_safe

    console_safe()
    result = run_demo(args.out, seed=args.seed, n_jobs=args.jobs)
    survey = result.survey
    errors = int(survey.validation["severity"].eq("error").sum())
    print(f"Sample: {len(survey.people)} people, {survey.people['organisation'].nunique()} "
          f"organisations, waves {', '.join(survey.waves)} (the exports); "
          f"validation: {len(survey.validation)} line(s), {errors} error(s).")
    lines = headline(result)
    if lines:
        print("Before -> after:")
        print("\n".join(lines))
    root = (result.root or result.out).resolve()
    names = sorted({p.resolve().relative_to(root).as_posix() for p in result.files})
    print(f"Wrote {len(names)} files to {root}:")
    for name in sorted(names, key=lambda n: (n.count("/"), n)):
        print(f"  {name}")
    if result.report is not None:
        covers, verdict = _from_manifest(root / "manifest.json")
        if covers:
            print(f"Report: {covers}.")
        if verdict:
            print(f"Verdict: {verdict}")
        print("The programme report (open it in any browser, offline):")
        print(f"  {result.report.resolve()}")
    sys.stdout.flush()
    return 0
