"""What changed between two waves: ties, people, organisations, with permutation tests."""

from __future__ import annotations

import html
import warnings
from dataclasses import dataclass, field, replace
from functools import cached_property, partial
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from ..errors import InputError
from ..graphs import _relation, person_graph, tie_spec
from ..layout import group_layout
from ..measures import block_density, ei_index, network_summary, node_table
from ..resample import map_batches
from ..spec import TieSpec
from . import _format as fmt
from ._matrix import Progress, _is_missing, p_values, run_batches
from .findings import Finding, Findings
from .mrqap import mrqap
from .qap import new_seed, qap_test
from .sensitivity import sensitivity

__all__ = ["compare_waves", "WaveComparison", "ei_change_test", "ei_change_swap_test",
           "LOW_JACCARD", "TEST_IDS"]

#: Below this wave-to-wave Jaccard index longitudinal models are unreliable
#: (Snijders, van de Bunt & Steglich 2010 advise preferably above 0.3).
LOW_JACCARD = 0.2

PERSON_MEASURES = (
    "degree", "external_ties", "internal_ties", "ei", "betweenness", "constraint", "brokerage",
)
ORG_MEASURES = ("internal_ties", "external_ties", "ei", "response_rate")
TEST_COLUMNS = [
    "test_id", "test", "statistic", "observed", "p_greater", "p_less", "p_two_sided",
    "n_permutations", "seed", "note",
]
_MISSING_TEXT = {
    "absent": "non-respondents' own nominations are unknown and counted as no tie "
              "(they can still be named by others), which understates their ties",
    "reconstruct": "a non-respondent's tie to j is taken from j's nomination of them "
                   "(reconstruction, Huisman 2009)",
    "panel": "only people who answered in both waves are analysed (balanced panel)",
}


def _edge_codes(G: nx.Graph, codes: np.ndarray):
    """Undirected (union) edge endpoints as node positions, each edge once."""
    index = {v: i for i, v in enumerate(G)}
    pairs = {tuple(sorted((index[u], index[v]))) for u, v in G.edges() if u != v}
    if not pairs:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    arr = np.array(sorted(pairs), dtype=np.int64)
    return arr[:, 0], arr[:, 1]


def ei_change_test(
    G1: nx.Graph,
    G2: nx.Graph,
    group: str = "organisation",
    *,
    n_permutations: int = 1000,
    seed: int | None = None,
    n_jobs: int | None = 1,
    progress: bool | None = None,
) -> dict:
    """Label-permutation test of the change in the whole-network E-I index.

    The statistic is ``EI(G2) - EI(G1)``, Krackhardt & Stern's E-I on the
    union-symmetrised graphs (each edge once; ``EI = (E - I) / (E + I)``).
    **What is permuted:** the organisation labels are shuffled among the people
    (one random permutation applied to both waves), while both networks stay
    exactly as observed. The null hypothesis is that organisation membership is
    unrelated to where ties are and how they changed; the test asks whether the
    observed shift towards (or away from) ties across organisations is larger
    than relabelling people at random would produce. Both graphs must be on
    the same people. Because both networks enter the null hypothesis, a
    network before that is strongly organised by organisation makes even a
    one-tie shift look significant; :func:`ei_change_swap_test` tests the
    change alone and is the headline test of :func:`compare_waves`.

    Parameters
    ----------
    G1, G2 : networkx graph
        Before and after, on the same node set; nodes carry ``group``.
    group : str
        Node attribute with the organisation (a missing value raises).
    n_permutations : int
    seed : int, optional
        Seed of the resampling engine (:mod:`senatenet.resample`); drawn and
        recorded when None.
    n_jobs, progress
        As for :func:`qap_test`.

    Returns
    -------
    dict
        ``observed`` (the change), ``ei_before``, ``ei_after``, ``p_greater``,
        ``p_less``, ``p_two_sided`` ((k + 1) / (R + 1); two-sided about the
        permutation mean), ``null_mean``, ``distribution``, ``n_permutations``,
        ``seed``, and the same test for each wave alone against random mixing
        (``p_greater_before`` ... ``p_less_after``).

    References
    ----------
    Krackhardt, D. & Stern, R. N. (1988). Informal networks and organizational
    crises: an experimental simulation. Social Psychology Quarterly 51(2),
    123-140.
    Borgatti, S. P., Everett, M. G. & Freeman, L. C. (2002). UCINET for Windows,
    E-I Index (permutation test of the whole-network index).

    Examples
    --------
    >>> import networkx as nx
    >>> G1 = nx.Graph([(0, 1), (2, 3), (4, 5)])
    >>> G2 = nx.Graph([(0, 1), (1, 2), (3, 4), (5, 0)])
    >>> nx.set_node_attributes(G1, {i: "AABBCC"[i] for i in range(6)}, "organisation")
    >>> nx.set_node_attributes(G2, {i: "AABBCC"[i] for i in range(6)}, "organisation")
    >>> res = ei_change_test(G1, G2, n_permutations=200, seed=1)
    >>> res["ei_before"], res["ei_after"], res["observed"]
    (-1.0, 0.5, 1.5)
    """
    if set(G1) != set(G2):
        raise InputError("the two waves must be on the same people")
    labels = []
    for v, data in G1.nodes(data=True):
        value = data.get(group)
        if _is_missing(value):
            raise InputError(f"person {v!r} has no {group!r} value", column=group)
        labels.append(str(value))
    _, codes = np.unique(np.array(labels, dtype=object), return_inverse=True)
    codes = codes.astype(np.int64)
    if seed is None:
        seed = new_seed()
    u1, v1 = _edge_codes(G1, codes)
    order2 = {v: i for i, v in enumerate(G1)}
    pairs2 = {tuple(sorted((order2[a], order2[b]))) for a, b in G2.edges() if a != b}
    arr2 = np.array(sorted(pairs2), dtype=np.int64).reshape(-1, 2)
    u2, v2 = arr2[:, 0], arr2[:, 1]
    L1, L2 = len(u1), len(u2)

    def ei(E, L):
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(L > 0, (2.0 * E - L) / np.maximum(L, 1), np.nan)

    E1 = int((codes[u1] != codes[v1]).sum())
    E2 = int((codes[u2] != codes[v2]).sum())
    ei1, ei2 = float(ei(E1, L1)), float(ei(E2, L2))
    n = len(codes)

    def func(perms):
        c = np.take(codes, perms)
        e1 = np.count_nonzero(np.take(c, u1, axis=1) != np.take(c, v1, axis=1), axis=1)
        e2 = np.count_nonzero(np.take(c, u2, axis=1) != np.take(c, v2, axis=1), axis=1)
        return np.column_stack([ei(e1, L1), ei(e2, L2)])

    R = int(n_permutations)
    if R and n >= 2:
        dist = run_batches(func, n, R, seed, batch=max(1, 4_000_000 // max(L1 + L2 + n, 1)),
                           n_jobs=n_jobs, progress=progress, label="E-I change")
    else:
        dist = np.empty((0, 2))
    change = dist[:, 1] - dist[:, 0] if len(dist) else np.empty(0)
    observed = ei2 - ei1
    centre = float(np.mean(change)) if len(change) else 0.0
    out = {
        "observed": observed, "ei_before": ei1, "ei_after": ei2,
        "n_permutations": R, "seed": seed, "distribution": change, "null_mean": centre,
    }
    if R:
        g, le, two = p_values(change, observed, centre)
        out.update(p_greater=float(g), p_less=float(le), p_two_sided=float(two))
        for k, (name, obs) in enumerate((("before", ei1), ("after", ei2))):
            gk, lk, _ = p_values(dist[:, k], obs, 0.0)
            out[f"p_greater_{name}"], out[f"p_less_{name}"] = float(gk), float(lk)
    else:
        for key in ("p_greater", "p_less", "p_two_sided", "p_greater_before",
                    "p_less_before", "p_greater_after", "p_less_after"):
            out[key] = np.nan
    return out


def _coin_flips(rng: np.random.Generator, size: int, n: int) -> np.ndarray:
    """``size`` rows of ``n`` fair coin flips (True = swap that person's answers)."""
    return rng.random((size, n)) < 0.5


def _group_codes(G: nx.Graph, group: str) -> np.ndarray:
    labels = []
    for v, data in G.nodes(data=True):
        value = data.get(group)
        if _is_missing(value):
            raise InputError(f"person {v!r} has no {group!r} value", column=group)
        labels.append(str(value))
    return np.unique(np.array(labels, dtype=object), return_inverse=True)[1].astype(np.int64)


def ei_change_swap_test(
    G1: nx.Graph,
    G2: nx.Graph,
    group: str = "organisation",
    *,
    symmetrize: str = "union",
    n_permutations: int = 1000,
    seed: int | None = None,
    n_jobs: int | None = 1,
    progress: bool | None = None,
) -> dict:
    """Test of the change in E-I that swaps each person's answers between waves.

    The statistic is ``EI(G2) - EI(G1)``, Krackhardt & Stern's E-I on the
    symmetrised graphs (each pair once; ``EI = (E - I) / (E + I)``).
    **What is permuted:** for each person independently, with probability 1/2,
    their nominations before and after are exchanged (row i of the two
    adjacency matrices); the graphs are then symmetrised (``"union"``: a tie
    when either named the other; ``"reciprocal"``: when both did). The null
    hypothesis is that nobody's answers changed systematically between the
    waves, so each person's two answers are exchangeable (a paired,
    within-person randomisation test; Good 2005, ch. 3). The null
    distribution is symmetric around 0.

    Unlike :func:`ei_change_test`, which shuffles organisation labels and so
    also rejects when the *before* network is strongly organised by
    organisation, this test is about the change alone: one new tie is never
    significant, however inward-looking the network was before. Persons whose
    answers are the same in both waves contribute nothing to the null
    distribution, as in any paired test. Someone who answered in one wave
    only has an empty row in the other and is swapped like everyone else, so
    a change in who answered can look like a change in ties; the balanced
    panel (``missing="panel"`` in :func:`compare_waves`) removes them.

    Parameters
    ----------
    G1, G2 : networkx graph
        Before and after on the same people, rows = each person's own
        nominations (directed graphs; an undirected tie counts as named by
        both). Nodes carry ``group``.
    group : str
        Node attribute with the organisation (a missing value raises).
    symmetrize : {"union", "reciprocal"}
    n_permutations : int
    seed : int, optional
        Seed of the resampling engine (:mod:`senatenet.resample`); drawn and
        recorded when None.
    n_jobs, progress
        As :func:`qap_test`.

    Returns
    -------
    dict
        ``observed``, ``ei_before``, ``ei_after``, ``p_greater``, ``p_less``,
        ``p_two_sided`` ((k + 1) / (R + 1); NaN without permutations),
        ``n_permutations``, ``seed``, ``distribution``, ``undefined`` (number
        of swaps leaving a wave without ties, counted as at least as extreme).

    References
    ----------
    Krackhardt, D. & Stern, R. N. (1988). Informal networks and organizational
    crises. Social Psychology Quarterly 51(2), 123-140.
    Good, P. I. (2005). Permutation, Parametric and Bootstrap Tests of
    Hypotheses, 3rd ed. Springer (paired designs: exchange within each unit).

    Examples
    --------
    >>> import networkx as nx
    >>> G1 = nx.DiGraph([(0, 1), (2, 3), (4, 5)])
    >>> G2 = nx.DiGraph([(0, 1), (2, 3), (4, 5), (1, 2)])
    >>> nx.set_node_attributes(G1, {i: "AABBCC"[i] for i in range(6)}, "organisation")
    >>> nx.set_node_attributes(G2, {i: "AABBCC"[i] for i in range(6)}, "organisation")
    >>> res = ei_change_swap_test(G1, G2, n_permutations=200, seed=1)
    >>> res["ei_before"], res["ei_after"], res["p_greater"] > 0.3  # one new tie: chance
    (-1.0, -0.5, True)
    """
    if set(G1) != set(G2):
        raise InputError("the two waves must be on the same people")
    if symmetrize not in ("union", "reciprocal"):
        raise InputError(f"symmetrize must be 'union' or 'reciprocal', not {symmetrize!r}")
    R = int(n_permutations)
    if R < 0:
        raise InputError("n_permutations must be >= 0")
    if seed is None:
        seed = new_seed()
    codes = _group_codes(G1, group)
    nodes = list(G1)
    index = {v: i for i, v in enumerate(nodes)}
    n = len(nodes)
    A = np.zeros((2, n, n), dtype=bool)
    for w, G in enumerate((G1, G2)):
        for u, v in G.edges():
            if u != v:
                A[w, index[u], index[v]] = True
                if not G.is_directed():
                    A[w, index[v], index[u]] = True
    # only pairs tied in some wave in some direction can ever be tied
    iu, ju = np.nonzero(np.triu(A.any(axis=0) | A.any(axis=0).T, 1))
    cross = codes[iu] != codes[ju]
    fwd, back = A[:, iu, ju], A[:, ju, iu]  # (2, P): i named j / j named i

    combine = np.logical_or if symmetrize == "union" else np.logical_and
    counts = _swap_counts(fwd, back, iu, ju, cross, n, combine)

    def change(swap: np.ndarray) -> np.ndarray:
        """E-I change for each row of ``swap`` (B, n) bool: True = swap person i."""
        L0, E0, L1, E1 = counts(swap)
        return _ei(L1, E1) - _ei(L0, E0)

    L0, E0, L1, E1 = counts(np.zeros((1, n), dtype=bool))  # nobody swapped
    observed_before, observed_after = float(_ei(L0, E0)[0]), float(_ei(L1, E1)[0])
    observed = observed_after - observed_before
    batch = max(1, min(4096, 4_000_000 // max(4 * len(iu) + n, 1)))
    bar = Progress(R, "E-I change (swap)", progress)
    dist = map_batches(change, partial(_coin_flips, n=n), R, seed, batch=batch,
                       n_jobs=n_jobs, on_done=bar.update)
    bar.close()
    undefined = int(np.isnan(dist).sum())
    out = {
        "observed": observed, "ei_before": observed_before, "ei_after": observed_after,
        "n_permutations": R, "seed": seed, "distribution": dist, "undefined": undefined,
        "symmetrize": symmetrize,
    }
    if R and observed == observed:
        # an undefined permuted change counts as at least as extreme (conservative)
        filled = np.where(np.isnan(dist), np.inf, dist)
        g = p_values(filled, observed, 0.0)[0]
        le = p_values(np.where(np.isnan(dist), -np.inf, dist), observed, 0.0)[1]
        two = p_values(filled, observed, 0.0)[2]
        out.update(p_greater=float(g), p_less=float(le), p_two_sided=float(two))
    else:
        out.update(p_greater=np.nan, p_less=np.nan, p_two_sided=np.nan)
    return out


def _ei(L: np.ndarray, E: np.ndarray) -> np.ndarray:
    """E-I index (E - I) / (E + I) = (2E - L) / L from L ties of which E cross
    groups; NaN without ties."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(L > 0, (2.0 * E - L) / np.maximum(L, 1), np.nan)


def _swap_counts(fwd, back, iu, ju, cross, n, combine):
    """A function of a batch of swaps ``S`` ((B, n) bool, True = person i's two
    answers exchanged) giving the tie counts of :func:`ei_change_swap_test`:
    ``(L_before, E_before, L_after, E_after)``, all ties and ties across
    groups, each of shape (B,).

    Pair p = (i, j) is tied before the swaps exactly when
    ``t_p(s_i, s_j) = combine(fwd[s_i]_p, back[s_j]_p)`` (``fwd[w]``: i named j
    in wave w; ``back[w]``: j named i), and after them when
    ``t_p(1 - s_i, 1 - s_j)``. On {0, 1}^2, t_p is bilinear:
    ``t_p(a, b) = c_p + u_p a + v_p b + q_p a b``, so a weighted count of tied
    pairs is a constant, plus a linear form in s, plus the quadratic form
    ``s' Q s`` with Q sparse (one entry per pair): two sparse products per
    batch instead of a dozen passes over every (permutation, pair). The counts
    are sums of small integers, exact in floating point, so they equal the
    pair-by-pair counts.
    """
    import scipy.sparse as sp

    t = np.array([[combine(fwd[a], back[b]) for b in (0, 1)] for a in (0, 1)],
                 dtype=float)  # t[a, b, p]
    c, u, v = t[0, 0], t[1, 0] - t[0, 0], t[0, 1] - t[0, 0]
    q = t[1, 1] - t[1, 0] - t[0, 1] + t[0, 0]
    weights = (np.ones(len(iu)), cross.astype(float))  # all ties, across groups
    const = [float(w @ c) for w in weights]
    lin = [np.bincount(iu, weights=w * u, minlength=n)
           + np.bincount(ju, weights=w * v, minlength=n) for w in weights]
    Q = sp.hstack([sp.csr_array((w * q, (iu, ju)), shape=(n, n)) for w in weights]).tocsr()
    qcol = np.asarray(Q.sum(axis=0)).ravel()  # 1' Q

    def counts(swap: np.ndarray):
        S = swap.astype(float)
        T = 1.0 - S
        SQ = np.asarray(S @ Q)  # (B, 2n): s' Q for both weightings
        out = []
        for k in (0, 1):
            SQk, q1 = SQ[:, k * n:(k + 1) * n], qcol[k * n:(k + 1) * n]
            before = const[k] + S @ lin[k] + (SQk * S).sum(axis=1)
            after = const[k] + T @ lin[k] + ((q1 - SQk) * T).sum(axis=1)
            out.append((before, after))
        (L0, L1), (E0, E1) = out
        return L0, E0, L1, E1

    return counts


_QAP_TEST = "QAP correlation between waves"
_SWAP_TEST = "E-I change (after - before), answers swapped between waves"
_EI_TEST = "E-I change (after - before), label permutation"

#: Stable ids of the rows of ``WaveComparison.tests`` (MR-QAP rows are
#: ``mrqap_<term>``, e.g. ``mrqap_before``, ``mrqap_same_organisation``).
TEST_IDS = ("ei_change_swap", "ei_change_label", "ei_before_label", "ei_after_label",
            "qap_waves")


def _tie_table(G1, G2, group) -> pd.DataFrame:
    directed = G1.is_directed()
    order = {v: i for i, v in enumerate(G1)}

    def key(u, v):
        return (u, v) if directed or order[u] <= order[v] else (v, u)

    s1 = {key(u, v): d.get("strength", 1.0) for u, v, d in G1.edges(data=True) if u != v}
    s2 = {key(u, v): d.get("strength", 1.0) for u, v, d in G2.edges(data=True) if u != v}
    dyads = sorted(set(s1) | set(s2), key=lambda p: (order[p[0]], order[p[1]]))
    org = {v: d.get(group) for v, d in G1.nodes(data=True)}
    rows = []
    for u, v in dyads:
        status = "stable" if (u, v) in s1 and (u, v) in s2 else "lost" if (u, v) in s1 else "new"
        rows.append((u, v, status, org[u] != org[v], org[u], org[v],
                     s1.get((u, v), np.nan), s2.get((u, v), np.nan)))
    cols = ["source", "target", "status", "cross_boundary", "organisation_source",
            "organisation_target", "strength_before", "strength_after"]
    out = pd.DataFrame(rows, columns=cols)
    out["cross_boundary"] = out["cross_boundary"].astype(bool)
    for c in ("strength_before", "strength_after"):
        out[c] = out[c].astype(float)
    for c in ("source", "target", "status", "organisation_source", "organisation_target"):
        out[c] = out[c].astype(object)
    return out


def _pair_table(ties: pd.DataFrame, nodes: list, directed: bool) -> pd.DataFrame:
    """Unordered pairs of people tied in either wave (either direction), from the
    dyad table: ``source``, ``target`` (roster order), ``cross_boundary``,
    ``organisation_source``, ``organisation_target``, ``before``, ``after``
    (bool: tied in that wave), ``status``, ``nominations_before``,
    ``nominations_after`` (0-2 on a directed graph, else 0-1)."""
    cols = ["source", "target", "cross_boundary", "organisation_source",
            "organisation_target", "before", "after", "status",
            "nominations_before", "nominations_after"]
    if not len(ties):
        out = pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
        for c in ("cross_boundary", "before", "after"):
            out[c] = out[c].astype(bool)
        for c in ("nominations_before", "nominations_after"):
            out[c] = out[c].astype(np.int64)
        return out
    order = {v: i for i, v in enumerate(nodes)}
    src, tgt = ties["source"].to_numpy(dtype=object), ties["target"].to_numpy(dtype=object)
    swap = np.array([order[a] > order[b] for a, b in zip(src, tgt, strict=True)], dtype=bool)
    frame = pd.DataFrame({
        "source": np.where(swap, tgt, src), "target": np.where(swap, src, tgt),
        "cross_boundary": ties["cross_boundary"].to_numpy(bool),
        "organisation_source": np.where(swap, ties["organisation_target"],
                                        ties["organisation_source"]),
        "organisation_target": np.where(swap, ties["organisation_source"],
                                        ties["organisation_target"]),
        "nominations_before": ties["strength_before"].notna().to_numpy(np.int64),
        "nominations_after": ties["strength_after"].notna().to_numpy(np.int64),
        "_order": [(order[a], order[b]) for a, b in zip(src, tgt, strict=True)],
    })
    frame["_key"] = [min(o) * len(nodes) + max(o) for o in frame["_order"]]
    grouped = frame.groupby("_key", sort=True)
    out = grouped.agg(
        source=("source", "first"), target=("target", "first"),
        cross_boundary=("cross_boundary", "first"),
        organisation_source=("organisation_source", "first"),
        organisation_target=("organisation_target", "first"),
        nominations_before=("nominations_before", "sum"),
        nominations_after=("nominations_after", "sum"),
    ).reset_index(drop=True)
    out["before"] = out["nominations_before"] > 0
    out["after"] = out["nominations_after"] > 0
    out["status"] = np.where(out["before"] & out["after"], "stable",
                             np.where(out["before"], "lost", "new")).astype(object)
    for c in ("source", "target", "organisation_source", "organisation_target"):
        out[c] = out[c].astype(object)
    out["cross_boundary"] = out["cross_boundary"].astype(bool)
    return out[cols]


def _turnover(ties: pd.DataFrame, unit: str = "nominations") -> pd.DataFrame:
    rows = {}
    for name, part in (("all", ties), ("cross_boundary", ties[ties["cross_boundary"]])):
        counts = part["status"].value_counts()
        new, lost, stable = (int(counts.get(k, 0)) for k in ("new", "lost", "stable"))
        total = new + lost + stable
        rows[name] = {"new": new, "lost": lost, "stable": stable,
                      "jaccard": stable / total if total else np.nan, "hamming": new + lost,
                      "unit": unit}
    return pd.DataFrame.from_dict(rows, orient="index")


def _people(survey, G1, G2, group) -> pd.DataFrame:
    t1, t2 = node_table(G1, group), node_table(G2, group)
    nodes = list(G1)
    roster = survey.people
    out = pd.DataFrame(index=pd.Index(nodes, name="person_id"))
    out["name"] = roster["name"].reindex(nodes).to_numpy(dtype=object)
    out["organisation"] = [G1.nodes[v].get(group) for v in nodes]
    for m in PERSON_MEASURES:
        b, a = t1[m].reindex(nodes).to_numpy(float), t2[m].reindex(nodes).to_numpy(float)
        out[f"{m}_before"], out[f"{m}_after"], out[f"{m}_change"] = b, a, a - b
    return out


def _group_response_rates(survey, wave: str, group: str) -> dict:
    """Response rate per value of ``group`` over the roster (keys: value and its text)."""
    if group == "organisation":
        r = survey.response_rates()
        r = r[r["wave"] == wave]
        return dict(zip(r["organisation"], r["response_rate"], strict=True))
    people = survey.people
    if group not in people.columns:
        return {}
    people = people[people.index.isin(list(survey.members(wave)))]
    answered = people.index.isin(list(survey.responded(wave)))
    out = {}
    for value, part in pd.Series(answered, index=people.index).groupby(
            people[group].astype(object).to_numpy(), sort=False, dropna=True):
        rate = float(part.mean()) if len(part) else np.nan
        out[value] = rate
        out[str(value)] = rate
    return out


def _organisations(survey, before, after, G1, G2, group) -> pd.DataFrame:
    g1 = ei_index(G1, group, level="group")
    g2 = ei_index(G2, group, level="group")
    orgs = list(g1.index)
    rates = {w: _group_response_rates(survey, w, group) for w in (before, after)}
    out = pd.DataFrame(index=pd.Index(orgs, name=group))
    pairs = {"internal_ties": "I", "external_ties": "E", "ei": "ei"}
    for m in ORG_MEASURES:
        if m == "response_rate":
            b = np.array([rates[before].get(o, np.nan) for o in orgs], dtype=float)
            a = np.array([rates[after].get(o, np.nan) for o in orgs], dtype=float)
        else:
            b = g1[pairs[m]].reindex(orgs).to_numpy(float)
            a = g2[pairs[m]].reindex(orgs).to_numpy(float)
        out[f"{m}_before"], out[f"{m}_after"], out[f"{m}_change"] = b, a, a - b
    return out


def _attribute_usable(G: nx.Graph, attribute: str) -> tuple[bool, str]:
    values = [d.get(attribute) for _, d in G.nodes(data=True)]
    missing = sum(_is_missing(v) for v in values)
    if missing:
        return False, f"{attribute} left out: {missing} people have no value"
    if len({str(v) for v in values}) < 2:
        return False, f"{attribute} left out: everyone has the same value"
    return True, ""


def _nan(x) -> float | None:
    try:
        x = float(x)
    except (TypeError, ValueError):
        return None
    return None if x != x else x


@dataclass(frozen=True, eq=False)
class WaveComparison:
    """Everything that changed between two waves; made by :func:`compare_waves`.

    One frozen result: it holds the inputs (survey, waves, :class:`TieSpec`,
    group, permutations, seed) and computes every table from them **once**, on
    first use, caching it (the person graphs are built once; the dyad table is
    built once from them; turnover, pairs, people, organisations, block
    density, tests and findings derive from those). It can be pickled (caches
    included), e.g. to send it to a Dask worker.

    Attributes
    ----------
    survey : Survey
    before, after : str
    spec : TieSpec
        The tie specification, relation resolved (``relation`` is
        ``spec.relation``).
    group : str
        Node attribute of the organisation.
    n_permutations, seed : int
    options : dict
        Every option, including ``seed``, ``n_permutations``, ``min_strength``,
        ``symmetrize``, ``missing``, ``group``, ``panel_waves``.
    graphs : dict
        ``{"before": G1, "after": G2}``, person graphs on the same people.
    ties : DataFrame
        The dyad table, one row per dyad tied in either wave (ordered pair =
        a nomination on a digraph; unordered pair in roster order on a
        graph): ``source``, ``target``, ``status`` (``new``/``lost``/``stable``),
        ``cross_boundary`` (bool), ``organisation_source``,
        ``organisation_target``, ``strength_before``, ``strength_after`` (NaN
        when absent).
    pairs : DataFrame
        Pairs of people tied in either wave (a tie in either direction), each
        pair once: ``source``, ``target``, ``cross_boundary``,
        ``organisation_source``, ``organisation_target``, ``before``,
        ``after`` (bool), ``status``, ``nominations_before``,
        ``nominations_after``. On a symmetrised comparison the same pairs as
        ``ties``.
    unit : str
        What a row of ``ties`` counts: ``"nominations"`` (directed) or
        ``"pairs"``.
    turnover : DataFrame
        Of ``ties`` (so in ``unit``): index ``all``/``cross_boundary``;
        ``new``, ``lost``, ``stable``, ``jaccard`` = stable / (new + lost +
        stable), ``hamming`` = new + lost, ``unit``.
    pair_turnover : DataFrame
        The same of ``pairs`` (``unit`` is always ``"pairs"``).
    summary : DataFrame
        :func:`network_summary` before and after; columns ``before``,
        ``after``, ``change``.
    people : DataFrame
        Index ``person_id``; ``name``, ``organisation`` and ``m_before``,
        ``m_after``, ``m_change`` for m in ``degree, external_ties,
        internal_ties, ei, betweenness, constraint, brokerage``.
    organisations : DataFrame
        Index organisation (the ``group`` values); ``_before/_after/_change``
        of ``internal_ties, external_ties, ei, response_rate``.
    block_density : dict
        ``{"before", "after", "change"}`` organisation x organisation tables.
    tests : DataFrame
        One tidy row per test: ``test_id`` (stable: ``ei_change_swap``,
        ``ei_change_label``, ``ei_before_label``, ``ei_after_label``,
        ``qap_waves``, ``mrqap_<term>``), ``test`` (display text),
        ``statistic``, ``observed``, ``p_greater``, ``p_less``,
        ``p_two_sided``, ``n_permutations``, ``seed``, ``note``.
    mrqap : DataFrame or None
        The full MR-QAP table (see :func:`mrqap`).
    warnings : list of str
        Caveats found while comparing (the low-stability one is also issued as
        a Python warning by :func:`compare_waves`).
    swap_test, ei_test : dict
        Full results of :func:`ei_change_swap_test` and :func:`ei_change_test`.
    qap : QAPResult or None
        Full result of :func:`qap_test` between the waves.
    findings : Findings
        The facts in words and numbers (see :mod:`senatenet.compare.findings`),
        rendered by ``str``, ``_repr_html_`` and the report.

    References
    ----------
    Krackhardt, D. & Stern, R. N. (1988). Informal networks and organizational
    crises. Social Psychology Quarterly 51(2), 123-140.

    Examples
    --------
    >>> import senatenet as sn
    >>> cmp = sn.compare_waves(sn.load_sample(), "pre", "post", relation="collaborate",
    ...                        symmetrize="union", n_permutations=99, seed=1)
    >>> print(str(cmp).splitlines()[1])
    - Ties between organisations rose from 7 to 34 pairs of people (28 new, 1 lost, 6 kept; a pair of people in different organisations with a tie, each pair counted once); pairs within organisations went from 16 to 16.
    >>> cmp.findings.get("ei_change").unit, list(cmp.tests["test_id"][:2])
    ('E-I', ['ei_change_swap', 'ei_change_label'])
    >>> sorted(cmp.block_density)
    ['after', 'before', 'change']
    """

    survey: Any
    before: str
    after: str
    spec: TieSpec
    group: str = "organisation"
    n_permutations: int = 1000
    seed: int = 0
    n_jobs: int | None = field(default=1, repr=False)
    progress: bool | None = field(default=None, repr=False)

    # ------------------------------------------------------------ inputs
    @property
    def relation(self) -> str | None:
        """The relation compared (``spec.relation``)."""
        return self.spec.relation

    @cached_property
    def options(self) -> dict:
        """Every option of the comparison as a plain dict."""
        s = self.spec
        return dict(
            before=self.before, after=self.after, relation=s.relation,
            min_strength=s.min_strength, symmetrize=s.symmetrize, missing=s.missing,
            n_permutations=int(self.n_permutations), seed=self.seed, group=self.group,
            panel_waves=s.panel_waves,
        )

    @property
    def _run(self) -> dict:
        return dict(n_jobs=self.n_jobs, progress=self.progress)

    # ------------------------------------------------------------ graphs
    @cached_property
    def graphs(self) -> dict:
        """``{"before": G1, "after": G2}`` built once with :attr:`spec`."""
        both = (self.before, self.after)  # joiners and leavers: structurally absent
        G1 = person_graph(self.survey, self.before, spec=self.spec, members_of=both)
        G2 = person_graph(self.survey, self.after, spec=self.spec, members_of=both)
        if list(G1) != list(G2):
            raise InputError("the two waves' graphs are not on the same people")
        return {"before": G1, "after": G2}

    @cached_property
    def nominations(self) -> dict:
        """Directed person graphs (each person's own nominations) for the swap
        test; the same objects as :attr:`graphs` when not symmetrised."""
        if self.spec.symmetrize is None:
            return self.graphs
        directed = self.spec.replace(symmetrize=None)
        both = (self.before, self.after)
        return {"before": person_graph(self.survey, self.before, spec=directed,
                                       members_of=both),
                "after": person_graph(self.survey, self.after, spec=directed,
                                      members_of=both)}

    # ------------------------------------------------------------ tables
    @property
    def unit(self) -> str:
        """What a row of :attr:`ties` counts: ``"nominations"`` or ``"pairs"``."""
        return "nominations" if self.graphs["before"].is_directed() else "pairs"

    @cached_property
    def ties(self) -> pd.DataFrame:
        """The dyad table (see the class docstring)."""
        return _tie_table(self.graphs["before"], self.graphs["after"], self.group)

    @cached_property
    def pairs(self) -> pd.DataFrame:
        """Pairs of people tied in either wave, each pair once."""
        return _pair_table(self.ties, list(self.graphs["before"]),
                           self.graphs["before"].is_directed())

    @cached_property
    def turnover(self) -> pd.DataFrame:
        """New, lost and kept rows of :attr:`ties` (in :attr:`unit`)."""
        return _turnover(self.ties, self.unit)

    @cached_property
    def pair_turnover(self) -> pd.DataFrame:
        """New, lost and kept pairs (each pair once)."""
        return _turnover(self.pairs.drop(columns=["before", "after"]), "pairs")

    @cached_property
    def summary(self) -> pd.DataFrame:
        """:func:`network_summary` of both waves and the change."""
        G1, G2 = self.graphs["before"], self.graphs["after"]
        s1 = network_summary(G1, self.group, seed=self.seed)
        s2 = network_summary(G2, self.group, seed=self.seed)
        summary = pd.DataFrame({"before": s1, "after": s2})
        summary["change"] = summary["after"] - summary["before"]
        summary.index.name = "measure"
        return summary

    @cached_property
    def block_density(self) -> dict:
        """Block densities before, after and their change."""
        bd1 = block_density(self.graphs["before"], self.group)
        bd2 = block_density(self.graphs["after"], self.group)
        return {"before": bd1, "after": bd2, "change": bd2 - bd1}

    @cached_property
    def people(self) -> pd.DataFrame:
        """Person measures before, after and their change."""
        return _people(self.survey, self.graphs["before"], self.graphs["after"], self.group)

    @cached_property
    def organisations(self) -> pd.DataFrame:
        """Organisation (group) measures before, after and their change."""
        return _organisations(self.survey, self.before, self.after, self.graphs["before"],
                              self.graphs["after"], self.group)

    # ------------------------------------------------------------ tests
    @cached_property
    def swap_test(self) -> dict:
        """:func:`ei_change_swap_test` on each person's own nominations."""
        D = self.nominations
        return ei_change_swap_test(D["before"], D["after"], self.group,
                                   symmetrize=self.spec.symmetrize or "union",
                                   n_permutations=int(self.n_permutations), seed=self.seed,
                                   **self._run)

    @cached_property
    def ei_test(self) -> dict:
        """:func:`ei_change_test` (label permutation)."""
        return ei_change_test(self.graphs["before"], self.graphs["after"], self.group,
                              n_permutations=int(self.n_permutations), seed=self.seed,
                              **self._run)

    @cached_property
    def qap(self):
        """:func:`qap_test` between the waves (None with fewer than 3 people)."""
        G1, G2 = self.graphs["before"], self.graphs["after"]
        if G1.number_of_nodes() < 3:
            return None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return qap_test(G1, G2, n_permutations=int(self.n_permutations), seed=self.seed,
                            **self._run)

    @cached_property
    def _mrqap_run(self) -> tuple:
        """(table or None, predictor labels, caveats) of ``after ~ before + same group (+ sector)``."""
        return self._mrqap_table()

    def _mrqap_table(self, permute: tuple[str, ...] | None = None) -> tuple:
        """As :attr:`_mrqap_run`, with only the terms in ``permute`` (those that
        are in the model) given permutation p-values (see :func:`mrqap`)."""
        G1, G2 = self.graphs["before"], self.graphs["after"]
        caveats: list[str] = []
        predictors: dict = {"before": G1}
        labels = {"before": "tie before"}
        for attr, label in ((self.group, "same organisation"), ("sector", "same sector")):
            ok, why = _attribute_usable(G2, attr)
            if ok and f"same_{attr}" not in predictors:
                predictors[f"same_{attr}"] = attr
                labels[f"same_{attr}"] = label
            elif not ok and (attr != "sector" or any(
                    not _is_missing(d.get("sector")) for _, d in G2.nodes(data=True))):
                caveats.append(f"MR-QAP: {why}.")
        empty = [w for w, G in ((self.before, G1), (self.after, G2))
                 if G.number_of_edges() == 0]
        table = None
        if empty:
            caveats.append(f"MR-QAP not run: no ties in wave(s) {', '.join(empty)}.")
        else:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", RuntimeWarning)
                    table = mrqap(G2, predictors, model="ols", null="dsp",
                                  n_permutations=int(self.n_permutations), seed=self.seed,
                                  permute=None if permute is None else
                                  [t for t in permute if t in predictors],
                                  **self._run)
            except InputError as exc:
                caveats.append(f"MR-QAP not run: {exc}")
        return table, labels, caveats

    @property
    def mrqap(self) -> pd.DataFrame | None:
        """The full MR-QAP table, or None when it could not be run."""
        return self._mrqap_run[0]

    @cached_property
    def warnings(self) -> list[str]:
        """Caveats found while comparing (low stability, MR-QAP terms left out)."""
        out = []
        jac = self.turnover.loc["all", "jaccard"]
        if jac == jac and jac < LOW_JACCARD:
            msg = _low_jaccard_message(jac)
            out.append(msg[0].upper() + msg[1:] + ".")
        out.extend(self._mrqap_run[2])
        return out

    @cached_property
    def tests(self) -> pd.DataFrame:
        """One tidy row per test (see the class docstring)."""
        R, seed = int(self.n_permutations), self.seed
        sym = self.spec.symmetrize
        swap, ei_res = self.swap_test, self.ei_test
        rows = [{
            "test_id": "ei_change_swap", "test": _SWAP_TEST, "statistic": "change in E-I",
            "observed": swap["observed"], "p_greater": swap["p_greater"],
            "p_less": swap["p_less"], "p_two_sided": swap["p_two_sided"],
            "n_permutations": R, "seed": seed,
            "note": "each person's before and after nominations swapped at random "
                    f"(within-person exchange); E-I on {sym or 'union'}-symmetrised ties",
        }, {
            "test_id": "ei_change_label", "test": _EI_TEST, "statistic": "change in E-I",
            "observed": ei_res["observed"], "p_greater": ei_res["p_greater"],
            "p_less": ei_res["p_less"], "p_two_sided": ei_res["p_two_sided"],
            "n_permutations": R, "seed": seed,
            "note": "organisation labels shuffled among people (same shuffle for both "
                    "waves), networks fixed; E-I on union-symmetrised ties",
        }]
        for wave in ("before", "after"):
            rows.append({
                "test_id": f"ei_{wave}_label",
                "test": f"E-I {wave} vs random mixing, label permutation", "statistic": "E-I",
                "observed": ei_res[f"ei_{wave}"], "p_greater": ei_res[f"p_greater_{wave}"],
                "p_less": ei_res[f"p_less_{wave}"], "p_two_sided": np.nan,
                "n_permutations": R, "seed": seed,
                "note": "same relabellings as the change test; p_less small = more ties "
                        "inside organisations than random mixing",
            })
        q = self.qap
        if q is not None:
            note = "joint row/column permutation of the after network"
            if q.observed != q.observed:
                note = "undefined: a wave has no ties (or every possible tie)"
            rows.append({
                "test_id": "qap_waves", "test": _QAP_TEST, "statistic": "pearson r",
                "observed": q.observed, "p_greater": q.p_greater, "p_less": q.p_less,
                "p_two_sided": q.p_two_sided, "n_permutations": R, "seed": seed,
                "note": note,
            })
        table, labels, _ = self._mrqap_run
        if table is not None:
            formula = "after ~ " + " + ".join(labels[k] for k in labels if k in table.index)
            for term, r in table.iterrows():
                if term == "intercept":
                    continue
                rows.append({
                    "test_id": f"mrqap_{term}", "test": f"MR-QAP: {labels[term]}",
                    "statistic": "OLS coefficient", "observed": r["coef"],
                    "p_greater": r["p_greater"], "p_less": r["p_less"],
                    "p_two_sided": r["p_abs"], "n_permutations": R, "seed": seed,
                    "note": f"{formula}; t = {r['statistic']:.3f}; double semi-partialling "
                            "(sna netlm qapspp)",
                })
        tests = pd.DataFrame(rows, columns=TEST_COLUMNS)
        tests["n_permutations"] = tests["n_permutations"].astype(np.int64)
        tests["seed"] = tests["seed"].astype(object)
        return tests

    def test(self, test_id: str) -> pd.Series | None:
        """The row of :attr:`tests` with this ``test_id`` (None when not run)."""
        t = self.tests
        hit = t[t["test_id"] == test_id]
        return None if hit.empty else hit.iloc[0]

    # ------------------------------------------------------------ other views
    def layout(self, seed: int = 0) -> dict:
        """:func:`group_layout` positions on the union of both waves (computed
        once per seed; a new dict each call)."""
        cache = self.__dict__.setdefault("_layouts", {})
        if seed not in cache:
            G1, G2 = self.graphs["before"], self.graphs["after"]
            union = nx.Graph()
            union.add_nodes_from(G1.nodes(data=True))
            union.add_edges_from(G1.edges())
            union.add_edges_from(G2.edges())
            cache[seed] = group_layout(union, self.group, seed=seed)
        return dict(cache[seed])

    def sensitivity(self, **options) -> pd.DataFrame:
        """Headline results under other data choices; see :func:`senatenet.sensitivity`."""
        return sensitivity(self, **options)

    def variant(self, spec: TieSpec, **changes) -> WaveComparison:
        """The same comparison under another :class:`TieSpec`; nothing is computed
        yet, except that the directed graphs of each person's own nominations
        are shared (not rebuilt; graphs are never modified) when this comparison
        has built them and ``spec`` differs at most in how ties are symmetrised."""
        if spec.missing == "panel" and spec.panel_waves is None:
            spec = spec.replace(panel_waves=(self.before, self.after))
        other = replace(self, spec=spec, **changes)
        built = self.__dict__.get("nominations")
        if built is None and self.spec.symmetrize is None:
            built = self.__dict__.get("graphs")
        same_people = set(changes) <= {"n_permutations", "seed", "n_jobs", "progress"}
        if built is not None and same_people and (
                spec.replace(symmetrize=None) == self.spec.replace(symmetrize=None)):
            other.__dict__["nominations"] = built  # the cached_property's slot
            if spec.symmetrize is None:
                other.__dict__["graphs"] = built
        return other

    # ------------------------------------------------------------ words
    @cached_property
    def findings(self) -> Findings:
        """The findings, produced once from the results."""
        return Findings(_findings(self) + _caveats(self))

    def _findings(self) -> list[str]:
        return [f.sentence for f in self.findings if f.role != "caveat"]

    def _caveats(self) -> list[str]:
        return [f.sentence for f in self.findings if f.role == "caveat"]

    @property
    def headline(self) -> str:
        """First line of ``str(cmp)``."""
        return (
            f"Change between waves {self.before} and {self.after} "
            f"({self.graphs['before'].number_of_nodes()} people, "
            f"{len(self.organisations)} {_groups_word(self.group)})"
        )

    def __str__(self) -> str:
        return f"{self.headline}\n{self.findings.as_text()}"

    def __repr__(self) -> str:
        return (
            f"<WaveComparison {self.before!r} -> {self.after!r}, relation {self.relation!r}, "
            f"{len(self.ties)} dyads, seed {self.seed}>"
        )

    def _repr_html_(self) -> str:
        esc = html.escape
        head = esc(
            f"Change between waves {self.before} and {self.after} "
            f"(relation '{self.relation}')"
        )
        tests = self.tests.drop(columns=["note"]).to_html(
            index=False, float_format=lambda v: f"{v:.4g}", escape=True
        )
        turnover = self.turnover.to_html(float_format=lambda v: f"{v:.3g}", escape=True)
        return (
            f"<div><h4>{head}</h4>{self.findings.as_html()}"
            f"<p><b>Tie turnover ({esc(self.unit)})</b></p>{turnover}"
            f"<p><b>Tests</b></p>{tests}</div>"
        )


def _groups_word(group: str) -> str:
    """``organisations``, or e.g. ``sector groups`` when comparing by another attribute."""
    return "organisations" if group == "organisation" else f"{group} groups"


def _low_jaccard_message(jac: float) -> str:
    return (f"only {jac:.0%} of ties are the same in both waves (Jaccard {jac:.2f} < "
            f"{LOW_JACCARD}): too little stability for longitudinal network models")


def _findings(cmp: WaveComparison) -> list[Finding]:
    """The descriptive and tested findings (see :mod:`senatenet.compare.findings`)."""
    out: list[Finding] = []
    s = cmp.summary
    R = int(cmp.n_permutations)
    groups = _groups_word(cmp.group)
    pt = cmp.pair_turnover
    cb, every = pt.loc["cross_boundary"], pt.loc["all"]
    ex_b, ex_a = cb["lost"] + cb["stable"], cb["new"] + cb["stable"]
    in_b = every["lost"] + every["stable"] - ex_b
    in_a = every["new"] + every["stable"] - ex_a
    move = (f"rose from {ex_b:.0f} to" if ex_a > ex_b
            else f"fell from {ex_b:.0f} to" if ex_a < ex_b else "stayed at")
    out.append(Finding(
        "cross_boundary_pairs",
        f"Ties between {groups} {move} {fmt.count(ex_a, 'pairs')} of people "
        f"({cb['new']:.0f} new, {cb['lost']:.0f} lost, {cb['stable']:.0f} kept; a pair "
        f"of people in different {groups} with a tie, each pair counted once); "
        f"pairs within {groups} went from {in_b:.0f} to {in_a:.0f}.",
        value=float(ex_a - ex_b), unit="pairs", before=float(ex_b), after=float(ex_a),
        role="descriptive",
    ))
    if cmp.unit == "nominations":
        tv = cmp.turnover
        nb, na = tv.loc["cross_boundary"], tv.loc["all"]
        nx_b, nx_a = nb["lost"] + nb["stable"], nb["new"] + nb["stable"]
        ni_b = na["lost"] + na["stable"] - nx_b
        ni_a = na["new"] + na["stable"] - nx_a
        move = (f"rose from {nx_b:.0f} to" if nx_a > nx_b
                else f"fell from {nx_b:.0f} to" if nx_a < nx_b else "stayed at")
        out.append(Finding(
            "cross_boundary_nominations",
            f"Nominations between {groups} {move} {nx_a:.0f} "
            f"({nb['new']:.0f} new, {nb['lost']:.0f} lost, {nb['stable']:.0f} kept; a "
            "nomination is one person naming another, so a pair can count twice); "
            f"nominations within {groups} went from {ni_b:.0f} to {ni_a:.0f}.",
            value=float(nx_a - nx_b), unit="nominations", before=float(nx_b),
            after=float(nx_a), role="descriptive",
        ))
    ei_b, ei_a = s.loc["ei", "before"], s.loc["ei", "after"]
    exp = s.loc["ei_expected", "after"]
    out.append(Finding(
        "ei_index",
        f"The E-I index (each pair counted once) moved from {fmt.signed(ei_b)} to "
        f"{fmt.signed(ei_a)} (\u22121: every tie inside an organisation, +1: every tie "
        f"between). Random mixing would give {fmt.signed(exp)}{fmt.lean(ei_a, exp)}.",
        value=_nan(ei_a - ei_b), unit="E-I", before=_nan(ei_b), after=_nan(ei_a),
        role="descriptive",
    ))
    row = cmp.test("ei_change_swap")
    if row is not None and row["observed"] == row["observed"]:
        up = row["observed"] >= 0
        p = row["p_greater"] if up else row["p_less"]
        if row["observed"] != 0 and p == p:
            text = (f"A shift this large {'towards' if up else 'away from'} ties across "
                    f"organisations {'is unlikely by chance' if p < 0.05 else 'could be chance'} "
                    f"(E-I change {fmt.signed(row['observed'])}, {fmt.p_text(p, R)}; each "
                    "person's before and after answers swapped at random).")
        elif row["observed"] == 0:
            text = "The E-I index did not change (E-I change 0.00)."
        else:
            text = (f"The E-I index changed by {fmt.signed(row['observed'])} "
                    f"({fmt.p_text(p, R)}).")
        out.append(Finding("ei_change", text, value=_nan(row["observed"]), unit="E-I",
                           before=_nan(ei_b), after=_nan(ei_a), p=_nan(p), role="primary"))
    q = cmp.test("qap_waves")
    if q is not None and q["observed"] == q["observed"]:
        r, p = q["observed"], q["p_greater"]
        if p != p:
            verdict = "Similarity of the networks before and after"
        elif r > 0 and p < 0.05:
            verdict = "The network after partly resembles the one before, more than chance"
        else:
            verdict = "The network after resembles the one before no more than chance would"
        out.append(Finding("qap_waves", f"{verdict}: QAP correlation {fmt.signed(r)} "
                           f"({fmt.p_text(p, R)}).", value=float(r), unit="pearson r",
                           p=_nan(p), role="secondary"))
    m = cmp.test(f"mrqap_same_{cmp.group}")
    if m is not None and m["observed"] == m["observed"]:
        b, p = m["observed"], m["p_two_sided"]
        if p != p:
            effect = "changed the chance of a tie"
        elif p < 0.05:
            effect = "still made a tie more likely" if b > 0 else "made a tie less likely"
        else:
            effect = ("showed no clear difference, which is not evidence that it made "
                      "none")
        out.append(Finding(
            "mrqap_same_organisation",
            f"Taking last wave's ties into account, being in the same organisation "
            f"{effect} (MR-QAP: {b * 100:+.1f} percentage points on the chance of a tie, "
            f"{fmt.p_text(p, R)}).",
            value=float(b), unit="share", p=_nan(p), role="secondary",
        ))
    if len(cmp.tests) and R:
        out.append(Finding(
            "permutations",
            f"p-values come from {R:,} random permutations (seed {cmp.seed}; the same "
            "seed reproduces them); below 0.05 is conventionally read as more than chance.",
            value=float(R), unit="permutations", role="descriptive",
        ))
    return out


def _caveats(cmp: WaveComparison) -> list[Finding]:
    out: list[Finding] = []
    rates = cmp.organisations[["response_rate_before", "response_rate_after"]]
    for col, key, wave in (("response_rate_before", "before", cmp.before),
                           ("response_rate_after", "after", cmp.after)):
        people = cmp.survey.members(wave)  # outside membership: not in the denominator
        answered = len(cmp.survey.responded(wave) & people)
        text = f"Response rate in wave {wave}: {answered}/{len(people)}"
        known = rates[col].dropna()
        if len(known) and known.min() < 1:
            text += f" (lowest: {known.idxmin()}, {known.min():.0%})"
        out.append(Finding(f"caveat_response_{key}", text + ".",
                           value=answered / len(people) if len(people) else None,
                           unit="share", role="caveat"))
    missing = cmp.spec.missing
    out.append(Finding("caveat_nonresponse", "Missing responses: " + _MISSING_TEXT[missing]
                       + ".", role="caveat"))
    if missing == "panel":
        excluded = cmp.graphs["before"].graph.get("excluded", [])
        out.append(Finding("caveat_panel",
                           f"{len(excluded)} people outside the panel were left out.",
                           value=float(len(excluded)), unit="people", role="caveat"))
    if getattr(cmp.survey, "respondents_inferred", False):
        out.append(Finding(
            "caveat_inferred_respondents",
            "No list of respondents was given, so respondents are taken to be the people "
            "who named someone: anyone who answered but named nobody counts as a "
            "non-respondent.", role="caveat"))
    R = int(cmp.n_permutations)
    if 0 < R < 1000:
        out.append(Finding(
            "caveat_few_permutations",
            f"Only {R:,} permutations per test: no p-value can be below "
            f"{1 / (R + 1):.2g}; use 1,000 or more for reporting.",
            value=float(R), unit="permutations", role="caveat"))
    elif R == 0:
        out.append(Finding("caveat_no_permutations",
                           "No permutations were run, so there are no p-values.",
                           value=0.0, unit="permutations", role="caveat"))
    sym, ms = cmp.spec.symmetrize, cmp.spec.min_strength
    out.append(Finding(
        "caveat_spec",
        f"Relation '{cmp.relation}'"
        + (f", strength at least {ms:g}" if ms is not None else ", any strength")
        + (", directed nominations" if sym is None else f", {sym} symmetrisation")
        + (f"; counts are of {cmp.unit}" if cmp.unit == "nominations" else "")
        + ".", role="caveat"))
    for i, text in enumerate(cmp.warnings):
        fid = ("caveat_low_stability" if "Jaccard" in text
               else "caveat_mrqap_not_run" if text.startswith("MR-QAP not run")
               else f"caveat_mrqap_{i}")
        out.append(Finding(fid, text, role="caveat"))
    return out


def compare_waves(
    survey,
    before: str,
    after: str,
    *,
    relation: str | TieSpec | None = None,
    min_strength: float | None = None,
    symmetrize: str | None = None,
    missing: str = "absent",
    n_permutations: int = 1000,
    seed: int | None = None,
    group: str = "organisation",
    n_jobs: int | None = 1,
    progress: bool | None = None,
    spec: TieSpec | None = None,
) -> WaveComparison:
    """Compare two waves of a survey: ties, people, organisations and tests.

    Both person graphs are built once with the same :class:`TieSpec` by
    :func:`person_graph`; with ``missing="panel"`` the panel is the people who
    answered in both ``before`` and ``after``. Every table of the result is
    computed once from them (see :class:`WaveComparison`). Any two waves can be
    compared, adjacent or not. When membership changes (roster columns
    ``first_wave``/``last_wave``, :meth:`Survey.members`), both graphs hold
    only the people who are members in both waves: a pair involving someone
    who joined or left in between is structurally absent, never a new or a
    lost tie (Huisman & Snijders 2003).

    Tests (one row each in ``tests``, found by ``test_id``):

    * ``ei_change_swap`` (``E-I change (after - before), answers swapped
      between waves``): see :func:`ei_change_swap_test` (each person's two
      answers exchanged at random); the headline test of the change.
    * ``ei_change_label`` (``E-I change (after - before), label
      permutation``): see :func:`ei_change_test` (organisation labels shuffled
      among people, both networks fixed); then ``ei_before_label`` and
      ``ei_after_label``, the same relabelling for each wave alone against
      random mixing.
    * ``qap_waves`` (``QAP correlation between waves``): :func:`qap_test`,
      Pearson correlation of the two adjacency matrices.
    * ``mrqap_<term>`` (``MR-QAP: ...``): OLS :func:`mrqap` of ``after ~ before
      + same organisation`` (``+ same sector`` when every person has a sector
      and there are at least two), double semi-partialling; one row per term
      (``mrqap_before``, ``mrqap_same_organisation``, ``mrqap_same_sector``),
      ``observed`` is the coefficient and ``p_two_sided`` the ``p_abs`` of its
      t-value.

    Every test uses ``seed`` itself (recorded in each row and in ``options``), so
    any row can be reproduced alone by passing that seed to the function named.
    Results are identical for every ``n_jobs`` and joblib backend (see
    :mod:`senatenet.resample`).

    Parameters
    ----------
    survey : Survey
    before, after : str
        Two of ``survey.waves``.
    relation : str or TieSpec, optional
        Required when the survey has several relations.
    min_strength, symmetrize, missing
        As :meth:`Survey.person_graph`.
    n_permutations : int
        Permutations per test (default 1000).
    seed : int, optional
        Drawn and recorded when None.
    group : str
        Node attribute of the organisation.
    n_jobs, progress
        As for :func:`qap_test`.
    spec : TieSpec, optional
        The tie options as one value; keywords given as well override it.

    Returns
    -------
    WaveComparison

    Warns
    -----
    UserWarning
        When the Jaccard index of all ties between the waves is below 0.2
        (too little stability for longitudinal network models).

    References
    ----------
    Krackhardt, D. & Stern, R. N. (1988). Informal networks and organizational
    crises. Social Psychology Quarterly 51(2), 123-140.
    Dekker, D., Krackhardt, D. & Snijders, T. A. B. (2007). Sensitivity of
    MRQAP tests to collinearity and autocorrelation conditions.
    Psychometrika 72(4), 563-581.
    Snijders, T. A. B., van de Bunt, G. G. & Steglich, C. E. G. (2010).
    Introduction to stochastic actor-based models for network dynamics.
    Social Networks 32(1), 44-60 (the Jaccard index between waves).
    Huisman, M. & Snijders, T. A. B. (2003). Statistical analysis of
    longitudinal network data with changing composition. Sociological Methods
    & Research 32(2), 253-287.

    Examples
    --------
    >>> import senatenet as sn
    >>> cmp = sn.compare_waves(sn.load_sample(), "pre", "post", relation="collaborate",
    ...                        symmetrize="union", n_permutations=99, seed=1)
    >>> cmp.turnover.loc["cross_boundary", ["new", "lost", "stable"]].tolist()
    [28, 1, 6]
    >>> same = sn.compare_waves(sn.load_sample(), "pre", "post", n_permutations=99, seed=1,
    ...                         spec=sn.TieSpec("collaborate", symmetrize="union"))
    >>> same.tests.equals(cmp.tests)
    True
    """
    if before == after:
        raise InputError("before and after must be different waves")
    for w in (before, after):
        if w not in survey.waves:
            raise InputError(f"unknown wave {w!r}; waves: {list(survey.waves)}")
    if int(n_permutations) < 0:
        raise InputError("n_permutations must be >= 0")
    if seed is None:
        seed = new_seed()
    spec = tie_spec(relation, spec, min_strength=min_strength, symmetrize=symmetrize,
                    missing=missing)
    spec = spec.replace(relation=_relation(survey, spec.relation))
    if spec.missing == "panel" and spec.panel_waves is None:
        spec = spec.replace(panel_waves=(before, after))
    cmp = WaveComparison(survey=survey, before=before, after=after, spec=spec, group=group,
                         n_permutations=int(n_permutations), seed=seed, n_jobs=n_jobs,
                         progress=progress)
    # compute eagerly, once, so errors and the low-stability warning come from here
    cmp.ties  # noqa: B018
    jac = cmp.turnover.loc["all", "jaccard"]
    if jac == jac and jac < LOW_JACCARD:
        warnings.warn(_low_jaccard_message(jac), UserWarning, stacklevel=2)
    cmp.tests  # noqa: B018
    return cmp
