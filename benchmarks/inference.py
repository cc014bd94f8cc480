"""Speed of the permutation tests against the targets of issue 4.

Run: ``.venv/bin/python benchmarks/inference.py``. Prints each timing as CPU time
(``time.process_time``) and wall-clock time, best of a few runs, its target and the
ratio of the CPU time to the target (below 1 = within target). Not a test: machines
differ, and a busy machine (several processes per core) inflates every number,
wall-clock times most; the load average is printed first.

QAP at n = 300 is timed at several densities and for valued ties (integer
strengths 1-5 and continuous values), since the work per permutation depends on
how many cells differ from each matrix's most common value.
"""

from __future__ import annotations

import os
import time
import warnings

import networkx as nx
import numpy as np

import senatenet as sn


def best_of(func, repeat=3):
    """Best (CPU seconds, wall seconds) over ``repeat`` runs."""
    cpu, wall = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        func()
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start)
    return min(cpu), min(wall)


def _fmt(seconds):
    return f"{seconds * 1e6:8.1f} us" if seconds < 1e-3 else f"{seconds * 1e3:8.1f} ms"


def report(label, seconds, target, per=1):
    cpu, wall = seconds[0] / per, seconds[1] / per
    print(f"{label:<58} cpu {_fmt(cpu)}  wall {_fmt(wall)}   target {_fmt(target)}"
          f"   ratio {cpu / target:5.2f}")


def valued(G, seed, integer):
    """``G`` with a ``strength`` on every edge: integers 1-5 or continuous."""
    rng = np.random.default_rng(seed)
    H = G.copy()
    values = rng.integers(1, 6, H.number_of_edges()) if integer else rng.random(H.number_of_edges())
    nx.set_edge_attributes(H, dict(zip(H.edges, values.tolist(), strict=True)), "strength")
    return H


def main() -> None:
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    senate = sn.load_sample()
    G1 = senate.person_graph("pre", "collaborate")
    G2 = senate.person_graph("post", "collaborate")
    R = 10_000
    t = best_of(lambda: sn.qap_test(G1, G2, n_permutations=R, seed=1, progress=False))
    report("QAP, 26-person senate, 10,000 permutations", t, 0.5)

    R = 2000
    for density in (0.05, 0.2, 0.5, 0.9):
        A = nx.gnp_random_graph(300, density, seed=1, directed=True)
        B = nx.gnp_random_graph(300, density, seed=2, directed=True)
        t = best_of(lambda A=A, B=B: sn.qap_test(A, B, n_permutations=R, seed=1, progress=False), 2)
        report(f"QAP, n = 300, density {density}: per permutation", t, 50e-6, R)
    A = nx.gnp_random_graph(300, 0.2, seed=1)
    B = nx.gnp_random_graph(300, 0.2, seed=2)
    t = best_of(lambda: sn.qap_test(A, B, n_permutations=R, seed=1, progress=False), 2)
    report("QAP, n = 300, density 0.2, undirected: per permutation", t, 50e-6, R)
    for integer, density in ((True, 0.2), (False, 0.2), (False, 1.0)):
        A = valued(nx.gnp_random_graph(300, density, seed=1, directed=True), 1, integer)
        B = valued(nx.gnp_random_graph(300, density, seed=2, directed=True), 2, integer)
        t = best_of(lambda A=A, B=B: sn.qap_test(
            A, B, n_permutations=R, seed=1, weight="strength", progress=False), 2)
        kind = "strengths 1-5" if integer else "continuous"
        report(f"QAP, n = 300, density {density}, {kind}: per permutation", t, 50e-6, R)

    nx.set_node_attributes(G2, dict(G1.nodes(data="organisation")), "organisation")
    for model in ("ols", "logit"):
        t = best_of(lambda model=model: sn.mrqap(
            G2, {"before": G1, "same_org": "organisation"}, model=model,
            n_permutations=1000, seed=1, progress=False))
        report(f"MR-QAP {model}, DSP, senate, 3 terms x 1,000 permutations", t, 1.0)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = best_of(lambda: sn.compare_waves(senate, "pre", "post", relation="collaborate",
                                             symmetrize="union", n_permutations=1000, seed=1), 2)
        report("compare_waves on the sample, 1,000 permutations per test", t, 5.0)
        cmp = sn.compare_waves(senate, "pre", "post", relation="collaborate",
                               symmetrize="union", n_permutations=100, seed=1)
        t = best_of(lambda: cmp.sensitivity(n_permutations=200), 2)
        report("sensitivity() on the sample, 200 permutations per row", t, 5.0)
        other = sn.load_comparison_sample()
        t = best_of(lambda: sn.compare_cohorts({"a": senate, "b": other}, wave="post",
                                               relation="collaborate", n_random=500, seed=1), 2)
        report("compare_cohorts, sample cohorts, 500 random graphs each", t, 5.0)


if __name__ == "__main__":
    main()
