"""Benchmark: interactive map of 5,000 people and 40,000 ties.

Targets (issue 6): building the map in under 3 s, and a quick first drawn frame
when the saved page is opened in headless Chromium. Prints the numbers and their
ratio to the target; never fails.

Run:  .venv/bin/python benchmarks/interactive.py [--people 5000] [--ties 40000]
      [--orgs 12] [--no-browser] [--pyvis N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx
import numpy as np

import senatenet as sn

BUILD_TARGET_S = 3.0
FIRST_DRAW_TARGET_S = 3.0


def make_graph(people: int, ties: int, orgs: int = 12, seed: int = 1) -> nx.Graph:
    """People in ``orgs`` organisations; 70% of ties inside an organisation."""
    rng = np.random.default_rng(seed)
    org = rng.integers(0, orgs, size=people)
    G = nx.Graph()
    for i in range(people):
        G.add_node(
            f"{i:05d}",
            name=f"Person {i}",
            organisation=f"Organisation {org[i]:02d}",
            role="Consultant",
        )
    members = [np.flatnonzero(org == k) for k in range(orgs)]
    ids = list(G)
    while G.number_of_edges() < ties:
        u = int(rng.integers(people))
        if rng.random() < 0.7:
            v = int(rng.choice(members[org[u]]))
        else:
            v = int(rng.integers(people))
        if u != v:
            G.add_edge(ids[u], ids[v], strength=float(rng.integers(1, 6)))
    return G


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--ties", type=int, default=40000)
    parser.add_argument("--orgs", type=int, default=12, help="organisations")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument(
        "--pyvis",
        type=int,
        default=0,
        metavar="N",
        help="also time pyvis's own Network.from_nx on the first N people (slow)",
    )
    args = parser.parse_args()

    G = make_graph(args.people, args.ties, orgs=args.orgs)
    print(f"graph: {G.number_of_nodes()} people, {G.number_of_edges()} ties")

    t = time.perf_counter()
    m = sn.interactive_map(G, size_by="degree")
    build = time.perf_counter() - t
    t = time.perf_counter()
    page = m.html
    render = time.perf_counter() - t
    total = build + render
    print(f"build  interactive_map(size_by='degree'): {build:6.2f} s")
    print(f"render .html ({len(page) / 1e6:.1f} MB):               {render:6.2f} s")
    print(
        f"build + render: {total:.2f} s = {total / BUILD_TARGET_S:.2f} x the "
        f"{BUILD_TARGET_S:.0f} s target"
    )
    print(f"physics in the browser: {m.options['physics']}")
    t = time.perf_counter()
    sn.interactive_map(G)
    print(
        f"build with the default size_by='betweenness' (all of node_table): "
        f"{time.perf_counter() - t:.2f} s"
    )

    if args.pyvis:
        from pyvis.network import Network

        sub = G.subgraph(list(G)[: args.pyvis]).copy()
        t = time.perf_counter()
        sn.interactive_map(sub, size_by="degree")
        ours = time.perf_counter() - t
        t = time.perf_counter()
        Network().from_nx(sub.copy())  # from_nx changes its input: give it a copy
        theirs = time.perf_counter() - t
        print(
            f"{sub.number_of_nodes()} people, {sub.number_of_edges()} ties: "
            f"interactive_map {ours:.2f} s, pyvis from_nx {theirs:.2f} s "
            f"(pyvis / ours = {theirs / ours:.1f})"
        )

    if args.no_browser:
        return
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from browser import launch  # the test harness: file://, network off

    with tempfile.TemporaryDirectory() as tmp:
        path = m.save(Path(tmp) / "big.html")
        with launch() as browser:
            t = time.perf_counter()
            loaded = browser.open(
                path, ready="window.senatenetMap && senatenetMap.ready", timeout=120
            )
            wall = time.perf_counter() - t
            timing = loaded.run("return senatenetMap.timing")
            switch = loaded.run(
                "var t = performance.now(); senatenetMap.setOrganisationVisible(0, false);"
                "return performance.now() - t;"
            )
            errors = loaded.console_errors()
            requests = loaded.requests()
    first = timing["firstDraw"] / 1000
    print(
        f"chromium: data parsed and DataSets built at {timing['parsed'] / 1000:.2f} s, "
        f"network created at {timing['created'] / 1000:.2f} s, "
        f"first drawn frame at {first:.2f} s after navigation "
        f"({first / FIRST_DRAW_TARGET_S:.2f} x the {FIRST_DRAW_TARGET_S:.0f} s target); "
        f"wall time to ready {wall:.2f} s"
    )
    print(f"hiding one organisation (filter) took {switch / 1000:.2f} s")
    print(f"console errors: {len(errors)}, network requests: {len(requests)}")


if __name__ == "__main__":
    main()
