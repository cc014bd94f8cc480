"""What changed between two waves: ties, people, organisations, with permutation tests."""

from __future__ import annotations

import html
import warnings
from concurrent.futures import ThreadPoolExecutor

import networkx as nx
import numpy as np
import pandas as pd

from ..errors import InputError
from ..measures import block_density, ei_index, network_summary, node_table
from ._matrix import Progress, _is_missing, p_values, resolve_jobs, run_batches
from .mrqap import mrqap
from .qap import new_seed, qap_test

__all__ = ["compare_waves", "WaveComparison", "ei_change_test", "ei_change_swap_test", "LOW_JACCARD"]

#: Below this wave-to-wave Jaccard index longitudinal models are unreliable
#: (Snijders, van de Bunt & Steglich 2010 advise preferably above 0.3).
LOW_JACCARD = 0.2

PERSON_MEASURES = (
    "degree", "external_ties", "internal_ties", "ei", "betweenness", "constraint", "brokerage",
)
ORG_MEASURES = ("internal_ties", "external_ties", "ei", "response_rate")
TEST_COLUMNS = [
    "test", "statistic", "observed", "p_greater", "p_less", "p_two_sided",
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
        Seed of ``numpy.random.default_rng``; drawn and recorded when None.
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
        Seed of ``numpy.random.default_rng``; drawn and recorded when None.
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

    def ei(tied: np.ndarray) -> np.ndarray:
        L = tied.sum(axis=-1)
        E = (tied & cross).sum(axis=-1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(L > 0, (2.0 * E - L) / np.maximum(L, 1), np.nan)

    combine = np.logical_or if symmetrize == "union" else np.logical_and

    def change(swap: np.ndarray) -> np.ndarray:
        """E-I change for each row of ``swap`` (B, n) bool: True = swap person i."""
        si, sj = swap[:, iu], swap[:, ju]
        before = combine(np.where(si, fwd[1], fwd[0]), np.where(sj, back[1], back[0]))
        after = combine(np.where(si, fwd[0], fwd[1]), np.where(sj, back[0], back[1]))
        return ei(after) - ei(before)

    observed_before = float(ei(combine(fwd[0], back[0])))
    observed_after = float(ei(combine(fwd[1], back[1])))
    observed = observed_after - observed_before
    rng = np.random.default_rng(seed)
    batch = max(1, min(4096, 4_000_000 // max(4 * len(iu) + n, 1)))
    bar = Progress(R, "E-I change (swap)", progress)
    jobs = resolve_jobs(n_jobs)
    chunks = []
    done = 0
    swaps = (rng.random((min(batch, R - k), n)) < 0.5 for k in range(0, R, batch))
    if jobs == 1:
        for s in swaps:
            chunks.append(change(s))
            done += len(s)
            bar.update(done)
    else:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            for part in pool.map(change, swaps):
                chunks.append(part)
                done += len(part)
                bar.update(done)
    bar.close()
    dist = np.concatenate(chunks) if chunks else np.empty(0)
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


class WaveComparison:
    """Everything that changed between two waves; made by :func:`compare_waves`.

    Attributes
    ----------
    survey : Survey
    before, after, relation : str
    options : dict
        Every option, including ``seed``, ``n_permutations``, ``min_strength``,
        ``symmetrize``, ``missing``, ``group``.
    graphs : dict
        ``{"before": G1, "after": G2}``, person graphs on the same people.
    ties : DataFrame
        One row per dyad tied in either wave (ordered pair on a digraph,
        unordered in roster order on a graph): ``source``, ``target``,
        ``status`` (``new``/``lost``/``stable``), ``cross_boundary`` (bool),
        ``organisation_source``, ``organisation_target``, ``strength_before``,
        ``strength_after`` (NaN when absent).
    turnover : DataFrame
        Index ``all``/``cross_boundary``; ``new``, ``lost``, ``stable``,
        ``jaccard`` = stable / (new + lost + stable), ``hamming`` = new + lost.
    summary : DataFrame
        :func:`network_summary` before and after; columns ``before``,
        ``after``, ``change``.
    people : DataFrame
        Index ``person_id``; ``name``, ``organisation`` and ``m_before``,
        ``m_after``, ``m_change`` for m in ``degree, external_ties,
        internal_ties, ei, betweenness, constraint, brokerage``.
    organisations : DataFrame
        Index organisation; ``_before/_after/_change`` of ``internal_ties,
        external_ties, ei, response_rate``.
    block_density : dict
        ``{"before", "after", "change"}`` organisation x organisation tables.
    tests : DataFrame
        One row per test: ``test, statistic, observed, p_greater, p_less,
        p_two_sided, n_permutations, seed, note``.
    mrqap : DataFrame or None
        The full MR-QAP table (see :func:`mrqap`).
    warnings : list of str
        Caveats found while comparing (also issued as Python warnings).
    swap_test, ei_test : dict
        Full results of :func:`ei_change_swap_test` and :func:`ei_change_test`.

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
    - Ties between organisations rose from 7 to 34 (28 new, 1 lost, 6 kept); ties within organisations went from 16 to 16.
    >>> sorted(cmp.block_density)
    ['after', 'before', 'change']
    """

    def __init__(self, **fields) -> None:
        self.__dict__.update(fields)

    def layout(self, seed: int = 0) -> dict:
        """:func:`group_layout` positions on the union of both waves."""
        from ..draw import group_layout

        G1, G2 = self.graphs["before"], self.graphs["after"]
        union = nx.Graph()
        union.add_nodes_from(G1.nodes(data=True))
        union.add_edges_from(G1.edges())
        union.add_edges_from(G2.edges())
        return group_layout(union, self.options["group"], seed=seed)

    def sensitivity(self, **options) -> pd.DataFrame:
        """Headline results under other data choices; see :func:`senatenet.sensitivity`."""
        from .sensitivity import sensitivity

        return sensitivity(self, **options)

    # ---------------------------------------------------------------- words
    def _findings(self) -> list[str]:
        s = self.summary
        t = self.tests.set_index("test")
        cb, every = self.turnover.loc["cross_boundary"], self.turnover.loc["all"]
        ex_b, ex_a = cb["lost"] + cb["stable"], cb["new"] + cb["stable"]
        in_b = every["lost"] + every["stable"] - ex_b
        in_a = every["new"] + every["stable"] - ex_a
        unit = "nominations" if self.graphs["before"].is_directed() else "ties"
        move = (f"rose from {ex_b:.0f} to" if ex_a > ex_b
                else f"fell from {ex_b:.0f} to" if ex_a < ex_b else "stayed at")
        lines = [
            f"{unit.capitalize()} between organisations {move} {ex_a:.0f} "
            f"({cb['new']:.0f} new, {cb['lost']:.0f} lost, {cb['stable']:.0f} kept); "
            f"{unit} within organisations went from {in_b:.0f} to {in_a:.0f}."
        ]
        ei_b, ei_a = s.loc["ei", "before"], s.loc["ei", "after"]
        exp = s.loc["ei_expected", "after"]
        pairs = " (each pair counted once)" if unit == "nominations" else ""
        lines.append(
            f"The E-I index{pairs} moved from {_signed(ei_b)} to {_signed(ei_a)} "
            f"(\u22121: every tie inside an organisation, +1: every tie between). "
            f"Random mixing would give {_signed(exp)}{_lean(ei_a, exp)}."
        )
        R = int(self.options["n_permutations"])
        row = t.loc[_SWAP_TEST] if _SWAP_TEST in t.index else None
        if row is not None and not np.isnan(row["p_greater"]) and row["observed"] != 0:
            up = row["observed"] > 0
            p = row["p_greater"] if up else row["p_less"]
            lines.append(
                f"A shift this large {'towards' if up else 'away from'} ties across "
                f"organisations {'is unlikely by chance' if p < 0.05 else 'could be chance'} "
                f"({p_text(p, R)}; each person's before and after answers swapped at random)."
            )
        if _QAP_TEST in t.index and not np.isnan(t.loc[_QAP_TEST, "observed"]):
            q = t.loc[_QAP_TEST]
            r, p = q["observed"], q["p_greater"]
            if p != p:
                verdict = "Similarity of the networks before and after"
            elif r > 0 and p < 0.05:
                verdict = "The network after partly resembles the one before, more than chance"
            else:
                verdict = "The network after resembles the one before no more than chance would"
            lines.append(f"{verdict}: QAP correlation {_signed(r)} ({p_text(p, R)}).")
        org = [i for i in t.index if i.startswith("MR-QAP: same organisation")]
        if org and not np.isnan(t.loc[org[0], "observed"]):
            m = t.loc[org[0]]
            b, p = m["observed"], m["p_two_sided"]
            if p != p:
                effect = "changed the chance of a tie"
            elif p < 0.05:
                effect = ("still made a tie more likely" if b > 0
                          else "made a tie less likely")
            else:
                effect = "made no clear difference"
            lines.append(
                f"Taking last wave's ties into account, being in the same organisation "
                f"{effect} (MR-QAP: {b * 100:+.1f} percentage points on the chance of a tie, "
                f"{p_text(p, R)})."
            )
        if len(t) and R:
            lines.append(
                f"p-values come from {R:,} random permutations (seed {self.options['seed']}; "
                "the same seed reproduces them); below 0.05 is conventionally read as "
                "more than chance."
            )
        return lines

    def _caveats(self) -> list[str]:
        rates = self.organisations[["response_rate_before", "response_rate_after"]]
        out = []
        for col, wave in (("response_rate_before", self.before), ("response_rate_after", self.after)):
            members = self.survey.members(wave)
            answered = len(self.survey.responded(wave) & members)
            low = rates[col].idxmin() if len(rates) else None
            text = f"Response rate in wave {wave}: {answered}/{len(members)}"
            if low is not None and rates[col].min() < 1:
                text += f" (lowest: {low}, {rates[col].min():.0%})"
            out.append(text + ".")
        out.append("Missing responses: " + _MISSING_TEXT[self.options["missing"]] + ".")
        if self.options["missing"] == "panel":
            excluded = self.graphs["before"].graph.get("excluded", [])
            out.append(f"{len(excluded)} people outside the panel were left out.")
        if getattr(self.survey, "respondents_inferred", False):
            out.append("No list of respondents was given, so respondents are taken to be "
                       "the people who named someone: anyone who answered but named nobody "
                       "counts as a non-respondent.")
        R = int(self.options["n_permutations"])
        if 0 < R < 1000:
            out.append(f"Only {R:,} permutations per test: no p-value can be below "
                       f"{1 / (R + 1):.2g}; use 1,000 or more for reporting.")
        elif R == 0:
            out.append("No permutations were run, so there are no p-values.")
        sym = self.options["symmetrize"]
        ms = self.options["min_strength"]
        out.append(
            f"Relation '{self.relation}'"
            + (f", strength at least {ms:g}" if ms is not None else ", any strength")
            + (", directed nominations" if sym is None else f", {sym} symmetrisation")
            + "."
        )
        out.extend(self.warnings)
        return out

    def __str__(self) -> str:
        head = (
            f"Change between waves {self.before} and {self.after} "
            f"({self.graphs['before'].number_of_nodes()} people, "
            f"{len(self.organisations)} organisations)"
        )
        body = "\n".join(f"- {x}" for x in self._findings())
        cav = "\n".join(f"- {x}" for x in self._caveats())
        return f"{head}\n{body}\nCaveats:\n{cav}"

    def __repr__(self) -> str:
        return (
            f"<WaveComparison {self.before!r} -> {self.after!r}, relation {self.relation!r}, "
            f"{len(self.ties)} dyads, seed {self.options['seed']}>"
        )

    def _repr_html_(self) -> str:
        esc = html.escape
        head = esc(
            f"Change between waves {self.before} and {self.after} "
            f"(relation '{self.relation}')"
        )
        findings = "".join(f"<li>{esc(x)}</li>" for x in self._findings())
        caveats = "".join(f"<li>{esc(x)}</li>" for x in self._caveats())
        tests = self.tests.drop(columns=["note"]).to_html(
            index=False, float_format=lambda v: f"{v:.4g}", escape=True
        )
        turnover = self.turnover.to_html(float_format=lambda v: f"{v:.3g}", escape=True)
        return (
            f"<div><h4>{head}</h4><ul>{findings}</ul>"
            f"<p><b>Caveats</b></p><ul>{caveats}</ul>"
            f"<p><b>Tie turnover</b></p>{turnover}<p><b>Tests</b></p>{tests}</div>"
        )


_QAP_TEST = "QAP correlation between waves"
_SWAP_TEST = "E-I change (after - before), answers swapped between waves"
_EI_TEST = "E-I change (after - before), label permutation"


def p_text(p: float, n_permutations: int) -> str:
    """A permutation p-value in words: ``p = 0.0372``, or at the floor
    1 / (R + 1) ``p < 0.001, the smallest possible with 1,000 permutations``.

    Examples
    --------
    >>> p_text(1 / 1001, 1000)
    'p < 0.001, the smallest possible with 1,000 permutations'
    >>> p_text(0.01, 99), p_text(0.1868, 1000)
    ('p = 0.01, the smallest possible with 99 permutations', 'p = 0.187')
    """
    if p != p:
        return "no permutation test run" if n_permutations == 0 else "p not available"
    floor = 1 / (n_permutations + 1)
    if p <= floor * (1 + 1e-9):
        bound = "p < 0.001" if floor < 0.001 else f"p = {floor:.2g}"
        return f"{bound}, the smallest possible with {n_permutations:,} permutations"
    return f"p = {p:.3g}"


def _lean(ei: float, expected: float) -> str:
    """How the E-I after compares with random mixing, in words (or nothing)."""
    if ei != ei or expected != expected:
        return ""
    if ei < expected - 0.1:
        return ", so ties still lean towards people's own organisations"
    if ei > expected + 0.1:
        return ", so ties now lean across organisations"
    return ", about what is seen now"


def _signed(x: float) -> str:
    return "undefined" if x != x else f"{x:+.2f}".replace("-", "\u2212")


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


def _turnover(ties: pd.DataFrame) -> pd.DataFrame:
    rows = {}
    for name, part in (("all", ties), ("cross_boundary", ties[ties["cross_boundary"]])):
        counts = part["status"].value_counts()
        new, lost, stable = (int(counts.get(k, 0)) for k in ("new", "lost", "stable"))
        total = new + lost + stable
        rows[name] = {"new": new, "lost": lost, "stable": stable,
                      "jaccard": stable / total if total else np.nan, "hamming": new + lost}
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


def _organisations(survey, before, after, G1, G2, group) -> pd.DataFrame:
    g1 = ei_index(G1, group, level="group")
    g2 = ei_index(G2, group, level="group")
    orgs = list(g1.index)
    rates = survey.response_rates().set_index(["wave", "organisation"])["response_rate"]
    out = pd.DataFrame(index=pd.Index(orgs, name=group))
    pairs = {"internal_ties": "I", "external_ties": "E", "ei": "ei"}
    for m in ORG_MEASURES:
        if m == "response_rate":
            b = np.array([rates.get((before, o), np.nan) for o in orgs], dtype=float)
            a = np.array([rates.get((after, o), np.nan) for o in orgs], dtype=float)
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


def compare_waves(
    survey,
    before: str,
    after: str,
    *,
    relation: str | None = None,
    min_strength: float | None = None,
    symmetrize: str | None = None,
    missing: str = "absent",
    n_permutations: int = 1000,
    seed: int | None = None,
    group: str = "organisation",
    n_jobs: int | None = 1,
    progress: bool | None = None,
) -> WaveComparison:
    """Compare two waves of a survey: ties, people, organisations and tests.

    Both person graphs are built with the same options by
    :meth:`Survey.person_graph`; with ``missing="panel"`` the panel is the people
    who answered in both ``before`` and ``after``. Any two waves can be
    compared, adjacent or not. When membership changes (roster columns
    ``first_wave``/``last_wave``, :meth:`Survey.members`), both graphs hold
    only the people who are members in both waves: a pair involving someone
    who joined or left in between is structurally absent, never a new or a
    lost tie (Huisman & Snijders 2003).

    Tests (one row each in ``tests``):

    * ``E-I change (after - before), answers swapped between waves``: see
      :func:`ei_change_swap_test` (each person's two answers exchanged at
      random); the headline test of the change, used in the summary.
    * ``E-I change (after - before), label permutation``: see
      :func:`ei_change_test` (organisation labels shuffled among people, both
      networks fixed); then the same relabelling for each wave alone against
      random mixing.
    * ``QAP correlation between waves``: :func:`qap_test`, Pearson correlation
      of the two adjacency matrices.
    * ``MR-QAP: ...``: OLS :func:`mrqap` of ``after ~ before + same
      organisation`` (``+ same sector`` when every person has a sector and
      there are at least two), double semi-partialling; one row per term,
      ``observed`` is the coefficient and ``p_two_sided`` the ``p_abs`` of its
      t-value.

    Every test uses ``seed`` itself (recorded in each row and in ``options``), so
    any row can be reproduced alone by passing that seed to the function named.

    Parameters
    ----------
    survey : Survey
    before, after : str
        Two of ``survey.waves``.
    relation : str, optional
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
        As :func:`qap_test`.

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
    """
    if before == after:
        raise InputError("before and after must be different waves")
    if int(n_permutations) < 0:
        raise InputError("n_permutations must be >= 0")
    n_permutations = int(n_permutations)
    if seed is None:
        seed = new_seed()
    panel = (before, after) if missing == "panel" else None
    opts = dict(min_strength=min_strength, symmetrize=symmetrize, missing=missing,
                panel_waves=panel, members_of=(before, after))
    G1 = survey.person_graph(before, relation, **opts)
    G2 = survey.person_graph(after, relation, **opts)
    relation = G1.graph.get("relation", relation)
    if list(G1) != list(G2):
        raise InputError("the two waves' graphs are not on the same people")
    caveats: list[str] = []

    ties = _tie_table(G1, G2, group)
    turnover = _turnover(ties)
    jac = turnover.loc["all", "jaccard"]
    if jac == jac and jac < LOW_JACCARD:
        msg = (f"only {jac:.0%} of ties are the same in both waves (Jaccard {jac:.2f} < "
               f"{LOW_JACCARD}): too little stability for longitudinal network models")
        warnings.warn(msg, UserWarning, stacklevel=2)
        caveats.append(msg[0].upper() + msg[1:] + ".")

    s1, s2 = network_summary(G1, group, seed=seed), network_summary(G2, group, seed=seed)
    summary = pd.DataFrame({"before": s1, "after": s2})
    summary["change"] = summary["after"] - summary["before"]
    summary.index.name = "measure"

    bd1, bd2 = block_density(G1, group), block_density(G2, group)
    blocks = {"before": bd1, "after": bd2, "change": bd2 - bd1}

    rows = []
    run = dict(n_jobs=n_jobs, progress=progress)
    D1, D2 = G1, G2
    if symmetrize is not None:  # the swap test exchanges each person's own nominations
        directed = dict(opts, symmetrize=None)
        D1 = survey.person_graph(before, relation, **directed)
        D2 = survey.person_graph(after, relation, **directed)
    swap = ei_change_swap_test(D1, D2, group, symmetrize=symmetrize or "union",
                               n_permutations=n_permutations, seed=seed, **run)
    rows.append({
        "test": _SWAP_TEST, "statistic": "change in E-I", "observed": swap["observed"],
        "p_greater": swap["p_greater"], "p_less": swap["p_less"],
        "p_two_sided": swap["p_two_sided"], "n_permutations": n_permutations, "seed": seed,
        "note": "each person's before and after nominations swapped at random "
                f"(within-person exchange); E-I on {symmetrize or 'union'}-symmetrised ties",
    })
    ei_res = ei_change_test(G1, G2, group, n_permutations=n_permutations, seed=seed, **run)
    rows.append({
        "test": _EI_TEST, "statistic": "change in E-I", "observed": ei_res["observed"],
        "p_greater": ei_res["p_greater"], "p_less": ei_res["p_less"],
        "p_two_sided": ei_res["p_two_sided"], "n_permutations": n_permutations,
        "seed": seed,
        "note": "organisation labels shuffled among people (same shuffle for both "
                "waves), networks fixed; E-I on union-symmetrised ties",
    })
    for wave in ("before", "after"):
        rows.append({
            "test": f"E-I {wave} vs random mixing, label permutation", "statistic": "E-I",
            "observed": ei_res[f"ei_{wave}"], "p_greater": ei_res[f"p_greater_{wave}"],
            "p_less": ei_res[f"p_less_{wave}"], "p_two_sided": np.nan,
            "n_permutations": n_permutations, "seed": seed,
            "note": "same relabellings as the change test; p_less small = more ties "
                    "inside organisations than random mixing",
        })
    if G1.number_of_nodes() >= 3:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            q = qap_test(G1, G2, n_permutations=n_permutations, seed=seed, **run)
        note = "joint row/column permutation of the after network"
        if q.observed != q.observed:
            note = "undefined: a wave has no ties (or every possible tie)"
        rows.append({
            "test": _QAP_TEST, "statistic": "pearson r", "observed": q.observed,
            "p_greater": q.p_greater, "p_less": q.p_less, "p_two_sided": q.p_two_sided,
            "n_permutations": n_permutations, "seed": seed, "note": note,
        })
    mr_table = None
    predictors: dict = {"before": G1}
    labels = {"before": "tie before"}
    for attr, label in ((group, "same organisation"), ("sector", "same sector")):
        ok, why = _attribute_usable(G2, attr)
        if ok:
            predictors[f"same_{attr}"] = attr
            labels[f"same_{attr}"] = label
        elif attr != "sector" or any(not _is_missing(d.get("sector")) for _, d in G2.nodes(data=True)):
            caveats.append(f"MR-QAP: {why}.")
    empty = [w for w, G in ((before, G1), (after, G2)) if G.number_of_edges() == 0]
    if empty:
        caveats.append(f"MR-QAP not run: no ties in wave(s) {', '.join(empty)}.")
    else:
        try:
            mr_table = mrqap(G2, predictors, model="ols", null="dsp",
                             n_permutations=n_permutations, seed=seed, **run)
        except InputError as exc:
            caveats.append(f"MR-QAP not run: {exc}")
    if mr_table is not None:
        formula = "after ~ " + " + ".join(labels[k] for k in predictors)
        for term, r in mr_table.iterrows():
            if term == "intercept":
                continue
            rows.append({
                "test": f"MR-QAP: {labels[term]}", "statistic": "OLS coefficient",
                "observed": r["coef"], "p_greater": r["p_greater"], "p_less": r["p_less"],
                "p_two_sided": r["p_abs"], "n_permutations": n_permutations, "seed": seed,
                "note": f"{formula}; t = {r['statistic']:.3f}; double semi-partialling "
                        "(sna netlm qapspp)",
            })
    tests = pd.DataFrame(rows, columns=TEST_COLUMNS)
    tests["n_permutations"] = tests["n_permutations"].astype(np.int64)
    tests["seed"] = tests["seed"].astype(object)

    options = dict(
        before=before, after=after, relation=relation, min_strength=min_strength,
        symmetrize=symmetrize, missing=missing, n_permutations=n_permutations, seed=seed,
        group=group, panel_waves=panel,
    )
    return WaveComparison(
        survey=survey, before=before, after=after, relation=relation, options=options,
        graphs={"before": G1, "after": G2}, ties=ties, turnover=turnover, summary=summary,
        people=_people(survey, G1, G2, group),
        organisations=_organisations(survey, before, after, G1, G2, group),
        block_density=blocks, tests=tests, mrqap=mr_table, warnings=caveats,
        ei_test=ei_res, swap_test=swap,
    )
