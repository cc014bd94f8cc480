"""Speed of senatenet's measures against straightforward networkx loops and igraph.

Builds organisation-structured digraphs (organisations of about 50 people, mean
out-degree about 8, 70% of ties inside the organisation) at n = 30, 300, 3,000
and 30,000 and prints, per measure, senatenet's time, the loop's time and their
ratio (and igraph's where it has the measure).

Times are CPU seconds (``time.process_time``), best of ``--repeat`` runs.

Targets (issue 3): at n = 30,000, E-I (each level), block density, brokerage and
constraint + effective size each under 0.5 s and >= 20x faster than the loop;
``node_table`` at n = 3,000 within 2x of igraph.

The "(read graph to arrays)" row times the conversion of the networkx graph to
a sparse matrix that every measure starts with: no exact method reading a
networkx graph can beat it, so loop time / this time bounds each ratio.

Run: ``.venv/bin/python benchmarks/measures.py [--sizes 30 300 3000 30000]``.
The loops also check that both implementations give the same numbers.
"""

from __future__ import annotations

import argparse
import os
import time
import warnings
from collections import defaultdict

import networkx as nx
import numpy as np

import senatenet as sn
from senatenet.measures._matrix import adjacency

try:
    import igraph
except ImportError:  # pragma: no cover - optional
    igraph = None


def org_digraph(n: int, out_degree: int = 8, org_size: int = 50, seed: int = 0):
    """Random digraph whose ties mostly stay inside organisations."""
    rng = np.random.default_rng(seed)
    k = max(2, round(n / org_size))
    org = rng.integers(0, k, n)
    members = [np.flatnonzero(org == g) for g in range(k)]
    m = n * out_degree
    src = rng.integers(0, n, m)
    dst = rng.integers(0, n, m)
    within = rng.random(m) < 0.7
    for g in range(k):
        sel = within & (org[src] == g)
        if len(members[g]):
            dst[sel] = members[g][rng.integers(0, len(members[g]), sel.sum())]
    G = nx.DiGraph()
    G.add_nodes_from(
        (f"p{i:05d}", {"organisation": f"org{org[i]:03d}"}) for i in range(n)
    )
    keep = src != dst
    G.add_edges_from(
        (f"p{s:05d}", f"p{t:05d}") for s, t in zip(src[keep], dst[keep], strict=True)
    )
    return G


def best(f, repeat: int) -> tuple[float, object]:
    """Best CPU time of ``repeat`` runs (process time: less sensitive to a busy machine)."""
    times, out = [], None
    for _ in range(repeat):
        start = time.process_time()
        out = f()
        times.append(time.process_time() - start)
    return min(times), out


# --- straightforward networkx loops (what a user would write) ---------------------


def loop_ei_network(G, group="organisation"):
    g = nx.get_node_attributes(G, group)
    U = G.to_undirected()
    E = sum(g[u] != g[v] for u, v in U.edges())
    return E, U.number_of_edges() - E


def loop_ei_group(G, group="organisation"):
    g = nx.get_node_attributes(G, group)
    U = G.to_undirected()
    groups = defaultdict(lambda: [0, 0])
    for u, v in U.edges():
        if g[u] == g[v]:
            groups[g[u]][1] += 1
        else:
            groups[g[u]][0] += 1
            groups[g[v]][0] += 1
    return dict(groups)


def loop_ei_node(G, group="organisation"):
    g = nx.get_node_attributes(G, group)
    U = G.to_undirected()
    nodes = {}
    for u in U:
        ext = sum(g[u] != g[v] for v in U[u])
        nodes[u] = (ext, len(U[u]) - ext)
    return nodes


def loop_block_density(G, group="organisation"):
    g = nx.get_node_attributes(G, group)
    size = defaultdict(int)
    for v in G:
        size[g[v]] += 1
    ties = defaultdict(int)
    for u, v in G.edges():
        ties[g[u], g[v]] += 1
    return {
        (a, b): ties[a, b] / (size[a] * size[b] - (size[a] if a == b else 0))
        for a in size
        for b in size
        if size[a] * size[b] - (size[a] if a == b else 0) > 0
    }


def loop_brokerage(G, group="organisation"):
    g = nx.get_node_attributes(G, group)
    out = {}
    for j in G:
        counts = [0] * 5
        for i in G.pred[j]:
            for k in G.succ[j]:
                if i == k or G.has_edge(i, k):
                    continue
                if g[i] == g[j] == g[k]:
                    counts[0] += 1
                elif g[i] == g[k]:
                    counts[1] += 1
                elif g[i] == g[j]:
                    counts[2] += 1
                elif g[j] == g[k]:
                    counts[3] += 1
                else:
                    counts[4] += 1
        out[j] = counts
    return out


def loop_holes(G):
    def z(a, b):
        return G.has_edge(a, b) + G.has_edge(b, a)

    nbrs = {v: set(G.pred[v]) | set(G.succ[v]) for v in G}
    total = {v: sum(z(v, u) for u in nbrs[v]) for v in G}
    top = {v: max((z(v, u) for u in nbrs[v]), default=0) for v in G}
    out = {}
    for i in G:
        if not nbrs[i]:
            out[i] = (np.nan, np.nan)
            continue
        C = ES = 0.0
        for j in nbrs[i]:
            p_ij = z(i, j) / total[i]
            indirect = sum(
                z(i, q) / total[i] * z(q, j) / total[q] for q in nbrs[i] if q != j
            )
            C += (p_ij + indirect) ** 2
            ES += 1 - sum(
                z(i, q) / total[i] * z(j, q) / top[j] for q in nbrs[i] if q != j
            )
        out[i] = (C, ES)
    return out


# --- igraph equivalents --------------------------------------------------------


def to_igraph(G):
    index = {v: i for i, v in enumerate(G)}
    return igraph.Graph(
        n=len(index), edges=[(index[u], index[v]) for u, v in G.edges()], directed=True
    )


def igraph_node_table(g):
    with warnings.catch_warnings():  # igraph warns on disconnected graphs
        warnings.simplefilter("ignore", RuntimeWarning)
        return _igraph_node_table(g)


def _igraph_node_table(g):
    return [
        g.degree(mode="in"),
        g.degree(mode="out"),
        g.betweenness(directed=True),
        g.closeness(mode="out"),
        g.harmonic_centrality(mode="out", normalized=True),
        g.eigenvector_centrality(directed=True),
        g.pagerank(),
        g.constraint(),
    ]


# --- checks --------------------------------------------------------------------


def check(G, results, loops) -> None:
    """Fail loudly when senatenet and a loop disagree."""
    nodes = list(G)
    net = results["ei_network"].iloc[0]
    assert (net["E"], net["I"]) == loops["ei_network"]
    grp = results["ei_group"]
    for label, (ext, inside) in loops["ei_group"].items():
        assert (grp.loc[label, "E"], grp.loc[label, "I"]) == (ext, inside)
    node = results["ei_node"]
    per_node = loops["ei_node"]
    assert [tuple(per_node[v]) for v in nodes] == list(
        zip(node["E"], node["I"], strict=True)
    )
    bd = results["block"]
    for (a, b), value in loops["block"].items():
        assert abs(bd.loc[a, b] - value) < 1e-12
    br = results["brokerage"].to_numpy()[:, :5]
    assert np.array_equal(
        br, np.array([loops["brokerage"][v] for v in nodes], dtype=float)
    )
    holes = results["holes"]
    want = np.array([loops["holes"][v] for v in nodes])
    got = holes[["constraint", "effective_size"]].to_numpy()
    assert np.allclose(got, want, equal_nan=True, atol=1e-9)


def run(sizes, repeat, loop_max):
    print(
        f"igraph: {'python-igraph ' + igraph.__version__ if igraph else 'not installed'}"
    )
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    header = f"{'n':>6} {'ties':>7} {'measure':<24} {'senatenet s':>11} {'loop s':>9} {'loop/sn':>8} {'igraph s':>9} {'sn/igraph':>9}"
    print(header)
    print("-" * len(header))
    for n in sizes:
        G = org_digraph(n)
        m = G.number_of_edges()
        measures = {
            "ei_network": ("E-I network", lambda G=G: sn.ei_index(G), loop_ei_network),
            "ei_group": (
                "E-I group",
                lambda G=G: sn.ei_index(G, level="group"),
                loop_ei_group,
            ),
            "ei_node": (
                "E-I node",
                lambda G=G: sn.ei_index(G, level="node"),
                loop_ei_node,
            ),
            "block": (
                "block density",
                lambda G=G: sn.block_density(G),
                loop_block_density,
            ),
            "brokerage": ("brokerage", lambda G=G: sn.brokerage(G), loop_brokerage),
            "holes": (
                "constraint + eff. size",
                lambda G=G: sn.structural_holes(G),
                loop_holes,
            ),
        }
        # every exact measure must first read the graph: its cost bounds the ratios
        t_read, _ = best(lambda G=G: adjacency(G), repeat)
        print(f"{n:>6} {m:>7} {'(read graph to arrays)':<24} {t_read:>11.4f}")
        results, loops = {}, {}
        for key, (label, fast, loop) in measures.items():
            t_sn, results[key] = best(fast, repeat)
            t_loop = ratio = np.nan
            if loop is not None and n <= loop_max:
                loop_repeat = repeat if n <= 3000 else 1
                t_loop, loops[key] = best(lambda loop=loop, G=G: loop(G), loop_repeat)
                ratio = t_loop / t_sn
            t_ig = np.nan
            if key == "holes" and igraph is not None:
                g = to_igraph(G)
                t_ig, _ = best(g.constraint, repeat)
            print(
                f"{n:>6} {m:>7} {label:<24} {t_sn:>11.4f} {t_loop:>9.3f} {ratio:>8.1f} "
                f"{t_ig:>9.4f} {t_sn / t_ig if t_ig == t_ig else np.nan:>9.2f}"
            )
        if len(loops) == 6:
            check(G, results, loops)
        if n <= 3000:
            t_sn, _ = best(lambda G=G: sn.node_table(G), repeat)
            t_ig = t_conv = np.nan
            if igraph is not None:
                t_conv, g = best(lambda G=G: to_igraph(G), repeat)
                t_ig, _ = best(lambda g=g: igraph_node_table(g), repeat)
            print(
                f"{n:>6} {m:>7} {'node_table':<24} {t_sn:>11.4f} {'':>9} {'':>8} "
                f"{t_ig:>9.4f} {t_sn / t_ig:>9.2f}   (igraph + conversion "
                f"{t_ig + t_conv:.4f} s: ratio {t_sn / (t_ig + t_conv):.2f})"
            )
            t_sum, _ = best(lambda G=G: sn.network_summary(G), 1)
            print(f"{n:>6} {m:>7} {'network_summary':<24} {t_sum:>11.4f}")
        else:
            print(
                f"{n:>6} {m:>7} node_table / network_summary skipped: all-pairs paths, O(n m)"
            )
    print(
        "loops and senatenet agree on every value checked (E-I, blocks, brokerage, holes)"
    )
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[30, 300, 3000, 30000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--loop-max", type=int, default=30000, help="skip the (slow) loops above this n"
    )
    args = parser.parse_args()
    run(args.sizes, args.repeat, args.loop_max)


if __name__ == "__main__":
    main()
