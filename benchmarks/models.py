"""Speed of the tie-change models against the targets of issue 14.

Run: ``.venv/bin/python benchmarks/models.py [--saom] [--s50]``. Prints CPU and
wall-clock seconds, the target and the ratio (below 1 = within target). Not a
test: a busy machine inflates every number; the load average is printed first.

- formation + persistence (tie_change_model) at 300 people: target < 1 s
- the same with 99 DSP permutations (no target: what the option costs)
- the report section "What explains the new ties" on the senate pooled with
  its comparison sample (99 permutations; no target: a share of the report)
- MPLE with gwesp (ergm) at 300 people: target < 5 s
- ``--mcmle``: the Monte Carlo MLE of a directed ERGM with gwesp on the
  senate's advice network (no target; about half a minute)
- ``--saom``: the SAOM on the bundled senate (26 people, 2 waves, 6 effects,
  RSiena's default n3 = 1000) on 2 threads: target < 120 s (needs cusna)
- ``--s50``: the mean of five seeded SAOM fits on RSiena's s50 against the
  tolerances in ../shared/reference-models/s50_saom (slow: minutes per fit)
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

import senatenet as sn

ROOT = Path(__file__).resolve().parents[1]


def timed(func):
    start, start_cpu = time.perf_counter(), time.process_time()
    out = func()
    return out, time.process_time() - start_cpu, time.perf_counter() - start


def report(label, cpu, wall, target):
    print(f"{label:<58} cpu {cpu:7.2f} s  wall {wall:7.2f} s  target {target:5.0f} s  "
          f"ratio {cpu / target:5.2f}")


def synthetic_survey(n=300, orgs=15, seed=1):
    rng = np.random.default_rng(seed)
    ids = [f"P{i:03d}" for i in range(n)]
    org = rng.integers(0, orgs, n)
    people = pd.DataFrame({"organisation": [f"O{o}" for o in org],
                           "participant": rng.random(n) < 0.5},
                          index=pd.Index(ids, name="person_id"))
    same = org[:, None] == org[None, :]
    p0 = np.where(same, 0.25, 0.01)
    A0 = rng.random((n, n)) < p0
    A1 = np.where(A0, rng.random((n, n)) < 0.8, rng.random((n, n)) < p0 / 2)
    rows = []
    for w, A in (("pre", A0), ("post", A1)):
        np.fill_diagonal(A, False)
        i, j = np.nonzero(A)
        rows.append(pd.DataFrame({"wave": w, "respondent": np.array(ids)[i],
                                  "alter": np.array(ids)[j]}))
    return sn.Survey(people, pd.concat(rows, ignore_index=True))


def main(argv):
    print(f"load average: {os.getloadavg()}")
    survey = synthetic_survey()
    terms = ("edges", "nodematch(organisation)", "participants", "reciprocated_before",
             "shared_partners_before")
    sn.tie_change_model(survey, "pre", "post", terms=terms)  # warm-up
    m, cpu, wall = timed(lambda: sn.tie_change_model(survey, "pre", "post", terms=terms))
    report(f"formation + persistence, 300 people ({int(m.pairs.pairs_used.sum())} pairs)",
           cpu, wall, 1)
    m, cpu, wall = timed(lambda: sn.tie_change_model(survey, "pre", "post", terms=terms,
                                                     n_permutations=99, seed=1))
    print(f"{'... with 99 DSP permutations':<58} cpu {cpu:7.2f} s  wall {wall:7.2f} s")
    pooled = lambda: sn.tie_change_model(  # noqa: E731
        sn.load_sample(), "pre", "post", spec="advice",
        comparison=sn.load_comparison_sample(), n_permutations=99, seed=1)
    m, cpu, wall = timed(pooled)
    print(f"{'report section: senate + comparison, 99 DSP permutations':<58} "
          f"cpu {cpu:7.2f} s  wall {wall:7.2f} s")
    G = sn.person_graph(survey, "pre") if hasattr(sn, "person_graph") else None
    G = nx.DiGraph(G)
    r, cpu, wall = timed(lambda: sn.ergm(
        G, "edges + nodematch(organisation) + mutual + gwesp(0.5, fixed=TRUE)"))
    report(f"MPLE with gwesp, 300 people ({G.number_of_edges()} ties)", cpu, wall, 5)
    if "--mcmle" in argv:
        Gs = sn.load_sample().person_graph("post", "advice", min_strength=2)
        formula = "edges + nodematch(organisation) + mutual + gwesp(0.5, fixed=TRUE)"
        r, cpu, wall = timed(lambda: sn.ergm(Gs, formula, method="mle", seed=1))
        print(r.summary())
        print(f"{'Monte Carlo MLE, senate advice (post), 4 terms':<58} "
              f"cpu {cpu:7.2f} s  wall {wall:7.2f} s")
    if "--saom" in argv:
        effects = ("density", "recip", "transTrip", "sameX(organisation)", "sameX(sector)",
                   "inPop")
        res, cpu, wall = timed(lambda: sn.saom(sn.load_sample(), relation="advice",
                                               effects=effects, seed=1, n_jobs=2))
        print(res.summary())
        report("SAOM, senate advice, 6 effects, n3 = 1000, 2 threads (wall)", wall, wall, 120)
    if "--s50" in argv:
        sys.path.insert(0, str(ROOT / "tests"))
        from test_models_saom import NETS_DIR, s50_survey

        ref = json.loads((ROOT.parent / "shared" / "reference-models" / "s50_saom"
                          / "rsiena_reference.json").read_text())
        survey = s50_survey(NETS_DIR / "s50")
        fits = []
        for seed in range(1, 6):
            res, cpu, wall = timed(lambda seed=seed: sn.saom(
                survey, effects=("density", "recip", "transTrip", "altX(smoke1)",
                                 "egoX(smoke1)", "simX(smoke1)"), seed=seed, n_jobs=2))
            print(f"seed {seed}: wall {wall:.0f} s, tconv_max {res.tconv_max:.3f}")
            fits.append(res.estimates)
        est = np.mean([f["estimate"] for f in fits], axis=0)
        se = np.mean([f["std_error"] for f in fits], axis=0)
        tol = ref["tolerance"]
        for k, name in enumerate(ref["effects"]):
            rate = k < 2
            ok_e = abs(est[k] - ref["estimates"][k]) <= tol["rates" if rate else "objective"]
            ok_s = abs(se[k] - ref["std_errors"][k]) <= tol["se_rates" if rate else
                                                            "se_objective"]
            print(f"{name:<22} mean {est[k]:8.4f} (RSiena {ref['estimates'][k]:8.4f}) "
                  f"{'ok' if ok_e else 'OUT'}; se {se[k]:.4f} "
                  f"(RSiena {ref['std_errors'][k]:.4f}) {'ok' if ok_s else 'OUT'}")


if __name__ == "__main__":
    main(sys.argv[1:])
