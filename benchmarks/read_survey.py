"""Benchmark: reading, validating and building graphs for 30,000 people, 240,000 ties.

Target (issue 2): reading and building take a few seconds at most. Prints each
step's time (best of ``--repeat``), its ratio to the target, and the ratio of
``read_survey`` to a bare ``pandas.read_csv`` of the same files (the cost of the
validation). Never fails.

Run:  .venv/bin/python benchmarks/read_survey.py [--people 30000] [--ties 240000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

import senatenet as sn

READ_TARGET_S = 3.0
GRAPH_TARGET_S = 2.0


def make_files(folder: Path, people: int, ties: int, seed: int = 1) -> dict[str, Path]:
    """Roster, ties (two waves, one relation) and respondents CSV files."""
    rng = np.random.default_rng(seed)
    ids = np.array([f"P{i:06d}" for i in range(people)])
    orgs = rng.choice([f"Organisation {k}" for k in range(60)], people)
    pd.DataFrame({"person_id": ids, "name": [f"Person {i}" for i in range(people)],
                  "organisation": orgs}).to_csv(folder / "roster.csv", index=False)
    src = rng.integers(0, people, ties)
    dst = (src + rng.integers(1, people, ties)) % people
    pd.DataFrame({"wave": rng.choice(["pre", "post"], ties), "respondent": ids[src],
                  "alter": ids[dst], "relation": "knows",
                  "strength": rng.integers(1, 6, ties)}).to_csv(folder / "ties.csv",
                                                                 index=False)
    answered = rng.random((2, people)) < 0.9
    pd.DataFrame({"wave": np.repeat(["pre", "post"], people)[answered.ravel()],
                  "person_id": np.tile(ids, 2)[answered.ravel()]}).to_csv(
        folder / "respondents.csv", index=False)
    return {k: folder / f"{k}.csv" for k in ("roster", "ties", "respondents")}


def best(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=30_000)
    ap.add_argument("--ties", type=int, default=240_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        f = make_files(Path(tmp), args.people, args.ties)
        bare, _ = best(lambda: [pd.read_csv(p, dtype=str, keep_default_na=False)
                                for p in f.values()], args.repeat)
        read, survey = best(lambda: sn.read_survey(f["roster"], f["ties"],
                                                   respondents=f["respondents"]),
                            args.repeat)
    print(survey)
    rows = [("read_survey (3 CSV files)", read, READ_TARGET_S)]
    for label, kw in [
        ("person_graph directed", {}),
        ("person_graph union + reconstruct", {"symmetrize": "union",
                                              "missing": "reconstruct"}),
        ("person_graph panel", {"missing": "panel"}),
    ]:
        t, _ = best(lambda kw=kw: survey.person_graph("pre", **kw), args.repeat)
        rows.append((label, t, GRAPH_TARGET_S))
    pre = survey.ties[survey.ties["wave"].eq("pre")]
    edges = list(zip(pre["respondent"].tolist(), pre["alter"].tolist(),
                     pre["strength"].tolist(), strict=True))
    nodes = survey.people.index.tolist()

    def bare_networkx():
        G = nx.DiGraph()
        G.add_nodes_from(nodes)
        G.add_weighted_edges_from(edges, weight="strength")
        return G

    floor, _ = best(bare_networkx, args.repeat)
    t, _ = best(lambda: survey.org_graph("pre"), args.repeat)
    rows.append(("org_graph", t, GRAPH_TARGET_S))
    print(f"{'step':36} {'seconds':>8} {'target':>7} {'ratio':>6}")
    for label, t, target in rows:
        print(f"{label:36} {t:8.3f} {target:7.1f} {t / target:6.2f}")
    print(f"read_survey / bare pandas.read_csv: {read / bare:.1f}x "
          f"({bare:.3f} s for read_csv alone)")
    print(f"person_graph directed / bare networkx build of the same edges: "
          f"{rows[1][1] / floor:.2f}x ({floor:.3f} s for networkx alone)")


if __name__ == "__main__":
    main()
