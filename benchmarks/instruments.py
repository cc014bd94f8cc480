"""Timing of instrument generation and of reading a tool's export back.

Run ``python benchmarks/instruments.py``. Prints seconds per task and the ratio to
its target (below 1 is within target). Target (issue 16): a roster of 300 people
generates all formats in under 2 s.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import senatenet as sn

TARGETS = {"generate all formats, 300 people, 2 relations": 2.0,
           "read a REDCap export, 300 x 300, 2 relations": 5.0}


def roster(n: int) -> pd.DataFrame:
    return pd.DataFrame({"person_id": [f"{k:04d}" for k in range(n)],
                         "name": [f"Person {k}" for k in range(n)],
                         "organisation": [f"Org {k % 12}" for k in range(n)]})


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    r = roster(args.n)
    rels = {"advice": "How often do you ask each of these colleagues for advice?",
            "trust": "Whom would you trust with a sensitive problem?"}
    results = {}
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "ins"
        results["generate all formats, 300 people, 2 relations"] = best(
            lambda: sn.make_instrument(r, rels, out=out), args.repeat)
        book = sn.load_codebook(out)
        rng = np.random.default_rng(0)
        cols = {"record_id": [str(k + 1) for k in range(args.n)],
                "resp_id": [p["redcap_choice"] for p in book["people"]]}
        for rel in book["relations"]:
            for field in rel["redcap_fields"].values():
                cols[field] = np.where(rng.random(args.n) < 0.05,
                                       rng.integers(1, 7, args.n).astype(str), "")
        export = Path(d) / "redcap_raw.csv"
        pd.DataFrame(cols).to_csv(export, index=False)
        results["read a REDCap export, 300 x 300, 2 relations"] = best(
            lambda: sn.read_survey_export(export, instrument=out, wave="pre", roster=r),
            args.repeat)
        sizes = {p.name: p.stat().st_size for p in out.iterdir()}
    width = max(map(len, TARGETS))
    for task, secs in results.items():
        print(f"{task:<{width}}  {secs:7.3f} s  target {TARGETS[task]:.1f} s  "
              f"ratio {secs / TARGETS[task]:.2f}")
    print("files:", ", ".join(f"{k} {v / 1024:.0f} KiB" for k, v in sorted(sizes.items())))


if __name__ == "__main__":
    main()
