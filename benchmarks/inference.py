"""Speed of the permutation tests against the targets of issue 4.

Run: ``.venv/bin/python benchmarks/inference.py``. Prints each timing (best of a few
runs), its target and the ratio (below 1 = within target). Not a test: machines
differ, and a busy machine (several processes per core) inflates every number.
"""

from __future__ import annotations

import time
import warnings

import networkx as nx

import senatenet as sn


def best_of(func, repeat=3):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def _fmt(seconds):
    return f"{seconds * 1e6:8.1f} us" if seconds < 1e-3 else f"{seconds * 1e3:8.1f} ms"


def report(label, seconds, target):
    print(f"{label:<58} {_fmt(seconds)}   target {_fmt(target)}   ratio {seconds / target:5.2f}")


def main() -> None:
    senate = sn.load_sample()
    G1 = senate.person_graph("pre", "collaborate")
    G2 = senate.person_graph("post", "collaborate")
    R = 10_000
    t = best_of(lambda: sn.qap_test(G1, G2, n_permutations=R, seed=1, progress=False))
    report("QAP, 26-person senate, 10,000 permutations", t, 0.5)

    for density in (0.05, 0.2):
        A = nx.gnp_random_graph(300, density, seed=1, directed=True)
        B = nx.gnp_random_graph(300, density, seed=2, directed=True)
        R = 2000
        t = best_of(lambda A=A, B=B, R=R: sn.qap_test(A, B, n_permutations=R, seed=1, progress=False), 2)
        report(f"QAP, n = 300, density {density}: per permutation", t / R, 50e-6)

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
