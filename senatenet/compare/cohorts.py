"""Compare cohorts of different sizes fairly: size-robust measures and random baselines."""

from __future__ import annotations

import warnings
from collections.abc import Mapping

import networkx as nx
import numpy as np
import pandas as pd

from ..errors import InputError
from ..resample import map_batches
from ._matrix import _is_missing
from .qap import new_seed

__all__ = ["compare_cohorts", "COHORT_MEASURES", "SIZE_RATIO_WARNING"]

#: Measures compared with random graphs (each gives m, m_random_mean, m_random_sd, m_z).
COHORT_MEASURES = ("density", "ei", "ei_rescaled", "block_contrast",
                   "centralization_degree", "jaccard")
#: Warn when the largest cohort is at least this many times the smallest.
SIZE_RATIO_WARNING = 1.5


def _pairs(n: int) -> tuple[np.ndarray, np.ndarray]:
    return np.triu_indices(n, k=1)


def _edge_index(G: nx.Graph, index: dict) -> np.ndarray:
    """Sorted indices of G's undirected edges among the n(n-1)/2 pairs."""
    n = len(index)
    out = set()
    for u, v in G.edges():
        i, j = index[u], index[v]
        if i == j:
            continue
        i, j = min(i, j), max(i, j)
        out.add(i * n - i * (i + 1) // 2 + (j - i - 1))
    return np.array(sorted(out), dtype=np.int64)


def _measures(edges: np.ndarray, same: np.ndarray, pu: np.ndarray, pv: np.ndarray,
              n: int) -> dict[str, np.ndarray]:
    """Measures of a batch of undirected graphs given as pair-index arrays (B, m)."""
    B, m = edges.shape
    P = len(same)
    n_in = same.sum()
    n_ex = P - n_in
    inside = same[edges].sum(axis=1).astype(float) if m else np.zeros(B)
    E = m - inside
    out: dict[str, np.ndarray] = {"density": np.full(B, m / P if P else np.nan)}
    with np.errstate(invalid="ignore", divide="ignore"):
        ei = np.where(m > 0, (E - inside) / max(m, 1), np.nan)
        hi = 1.0 if n_ex >= m else (2 * n_ex - m) / m
        lo = -1.0 if n_in >= m else (m - 2 * n_in) / m
        out["ei"] = ei
        out["ei_rescaled"] = (np.where(hi > lo, 2 * (ei - lo) / (hi - lo) - 1, np.nan)
                              if m else np.full(B, np.nan))
        within = inside / n_in if n_in else np.full(B, np.nan)
        between = E / n_ex if n_ex else np.full(B, np.nan)
        out["block_contrast"] = within - between
    deg = np.zeros((B, n))
    if m:
        rows = np.repeat(np.arange(B), m)
        np.add.at(deg, (rows, pu[edges].ravel()), 1)
        np.add.at(deg, (rows, pv[edges].ravel()), 1)
    tmax = (n - 1) * (n - 2)
    out["centralization_degree"] = (
        (deg.max(axis=1, keepdims=True) - deg).sum(axis=1) / tmax if tmax else np.full(B, np.nan)
    )
    return out


def _random_edges(rng, P: int, m: int, R: int) -> np.ndarray:
    """R uniform random m-subsets of P pairs (Erdos-Renyi G(n, m)), shape (R, m)."""
    if m == 0:
        return np.zeros((R, 0), dtype=np.int64)
    keys = rng.random((R, P))
    return np.argpartition(keys, m - 1, axis=1)[:, :m] if m < P else np.tile(np.arange(P), (R, 1))


class _RandomCohort:
    """Draw and measure random graphs for one cohort (picklable for workers)."""

    def __init__(self, same, pu, pv, n, P, m, m0):
        self.same, self.pu, self.pv, self.n, self.P, self.m, self.m0 = same, pu, pv, n, P, m, m0

    def draw(self, rng: np.random.Generator, size: int):
        r1 = _random_edges(rng, self.P, self.m, size)
        r0 = None if self.m0 is None else _random_edges(rng, self.P, self.m0, size)
        return r1, r0

    def __call__(self, drawn) -> np.ndarray:
        r1, r0 = drawn
        size = len(r1)
        rand = _measures(r1, self.same, self.pu, self.pv, self.n)
        if r0 is None:
            rand["jaccard"] = np.full(size, np.nan)
        else:
            mark = np.zeros((size, self.P), dtype=np.int8)
            np.put_along_axis(mark, r0, 1, axis=1)
            both = (np.take_along_axis(mark, r1, axis=1).sum(axis=1) if self.m
                    else np.zeros(size))
            either = self.m0 + self.m - both
            with np.errstate(invalid="ignore", divide="ignore"):
                rand["jaccard"] = np.where(either > 0, both / np.maximum(either, 1), np.nan)
        return np.column_stack([rand[k] for k in COHORT_MEASURES])


def compare_cohorts(
    cohorts: Mapping[str, object],
    *,
    wave: str | None = None,
    before: str | None = None,
    relation: str | None = None,
    min_strength: float | None = None,
    symmetrize: str = "union",
    missing: str = "absent",
    n_random: int = 500,
    seed: int | None = None,
    group: str = "organisation",
    n_jobs: int | None = 1,
) -> pd.DataFrame:
    """Cohorts side by side on size-robust measures, each against random graphs.

    Raw density and centralization shrink as networks grow, so they cannot be
    compared across cohorts of different sizes. Each cohort's network (one
    wave, one relation, symmetrised) is therefore compared with ``n_random``
    uniform random graphs with the **same people, organisation sizes and number
    of ties** (Erdos-Renyi G(n, m), seeded); ``m_z = (m - mean) / sd`` says how
    unusual the cohort is for its own size and composition. Measures:

    * ``density``: ties / possible pairs (identical in the random graphs, so
      its z is NaN; shown for reference only).
    * ``ei``: Krackhardt & Stern's E-I, ``(E - I) / (E + I)``; ``ei_expected``
      (random mixing, ``(E* - I*) / (E* + I*)`` over possible pairs) is a
      column; ``ei_rescaled`` maps E-I to [-1, 1] given the attainable range
      for this many ties (see :func:`ei_index`).
    * ``block_contrast``: density of ties within organisations minus density
      between organisations (pooled over all within / between pairs).
    * ``centralization_degree``: Freeman degree centralization.
    * ``jaccard``: ties present in both ``before`` and ``wave`` / ties in
      either (when ``before`` is given or the survey has exactly two waves and
      ``wave`` is the second); the random baseline draws both waves
      independently with their tie counts.

    With the number of ties fixed, E-I, rescaled E-I and block contrast are
    all linear in the number of ties inside organisations, so their z-scores
    coincide (block contrast with the opposite sign); each is shown on its own
    scale for reading.

    Parameters
    ----------
    cohorts : dict
        ``{name: Survey}``, e.g. ``{"Leeds": survey_a, "Comparison": survey_b}``.
    wave : str, optional
        The wave compared (default: each survey's last wave).
    before : str, optional
        Earlier wave for the Jaccard index.
    relation, min_strength, missing
        As :meth:`Survey.person_graph`.
    symmetrize : {"union", "reciprocal"}
        The cohort graphs are undirected.
    n_random : int
        Random graphs per cohort (default 500).
    seed : int, optional
        Seed of every cohort's random graphs (each cohort starts afresh from
        it; batches of random graphs get ``SeedSequence(seed).spawn`` streams,
        see :mod:`senatenet.resample`); drawn when None. Recorded in the
        ``seed`` column.
    group : str
        Node attribute of the organisation.
    n_jobs : int or None
        Workers for the random graphs (results identical for every value).

    Returns
    -------
    pandas.DataFrame
        Index ``cohort``; columns ``n``, ``ties``, ``organisations``,
        ``ei_expected`` and, for each measure m of :data:`COHORT_MEASURES`,
        ``m``, ``m_random_mean``, ``m_random_sd``, ``m_z``; then ``wave``,
        ``seed`` and ``n_random``.

    Warns
    -----
    UserWarning
        When the largest cohort has at least 1.5 times as many people as the
        smallest: raw density and centralization are then not comparable.

    References
    ----------
    Anderson, B. S., Butts, C. & Carley, K. (1999). The interaction of size and
    density with graph-level indices. Social Networks 21(3), 239-267.
    Krackhardt, D. & Stern, R. N. (1988). Informal networks and organizational
    crises. Social Psychology Quarterly 51(2), 123-140.
    Erdos, P. & Renyi, A. (1959). On random graphs I. Publicationes
    Mathematicae 6, 290-297.

    Examples
    --------
    >>> import senatenet as sn, warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     table = sn.compare_cohorts(
    ...         {"Senate": sn.load_sample(), "Comparison": sn.load_comparison_sample()},
    ...         wave="post", relation="collaborate", n_random=50, seed=1)
    >>> table["n"].tolist()
    [26, 40]
    """
    if not cohorts:
        raise InputError("compare_cohorts needs at least one cohort")
    if symmetrize not in ("union", "reciprocal"):
        raise InputError("symmetrize must be 'union' or 'reciprocal' for cohort comparison")
    if int(n_random) < 2:
        raise InputError("n_random must be at least 2")
    if seed is None:
        seed = new_seed()
    rows = []
    for name, survey in cohorts.items():
        w = wave if wave is not None else survey.waves[-1]
        b = before
        if b is None and len(survey.waves) == 2 and w == survey.waves[-1]:
            b = survey.waves[0]
        panel = tuple(x for x in (b, w) if x is not None) if missing == "panel" else None
        opts = dict(min_strength=min_strength, symmetrize=symmetrize, missing=missing,
                    panel_waves=panel, members_of=tuple(x for x in (b, w) if x is not None))
        try:
            G = survey.person_graph(w, relation, **opts)
            G0 = survey.person_graph(b, relation, **opts) if b is not None else None
        except InputError as exc:  # say which cohort
            raise InputError(f"cohort {name!r}: {exc.message}", file=exc.file, row=exc.row,
                             column=exc.column) from None
        nodes = list(G)
        n = len(nodes)
        if n < 3:
            raise InputError(f"cohort {name!r}: at least 3 people are needed")
        labels = [G.nodes[v].get(group) for v in nodes]
        if any(_is_missing(x) for x in labels):
            raise InputError(f"cohort {name!r}: some people have no {group!r}", column=group)
        labels = np.array([str(x) for x in labels], dtype=object)
        index = {v: i for i, v in enumerate(nodes)}
        pu, pv = _pairs(n)
        same = labels[pu] == labels[pv]
        P = len(same)
        edges = _edge_index(G, index)
        m = len(edges)
        R = int(n_random)
        observed = {key: float(v[0]) for key, v in _measures(edges[None, :], same, pu, pv, n).items()}
        n_in = int(same.sum())
        row = {"cohort": name, "n": n, "ties": m, "organisations": len(set(labels)),
               "ei_expected": (P - 2 * n_in) / P if P else np.nan}
        m0 = None
        if G0 is not None:
            e0 = _edge_index(G0, index)
            m0 = len(e0)
            union = len(np.union1d(e0, edges))
            observed["jaccard"] = len(np.intersect1d(e0, edges)) / union if union else np.nan
        else:
            observed["jaccard"] = np.nan
        # the random graphs run through the resampling engine: seeded batches,
        # identical for every n_jobs and backend
        batch = max(1, 2_000_000 // max(P, 1))
        task = _RandomCohort(same, pu, pv, n, P, m, m0)
        table = map_batches(task, task.draw, R, int(seed), batch=batch, n_jobs=n_jobs)
        if R == 0:
            table = np.empty((0, len(COHORT_MEASURES)))
        rand = {key: table[:, i] for i, key in enumerate(COHORT_MEASURES)}
        for key in COHORT_MEASURES:
            values = rand[key]
            ok = values[~np.isnan(values)]
            mean = float(ok.mean()) if len(ok) else np.nan
            sd = float(ok.std(ddof=1)) if len(ok) > 1 else np.nan
            if sd == sd and sd <= 1e-12 * max(1.0, abs(mean)):
                sd = 0.0  # constant across random graphs (e.g. density): rounding noise
            row[key] = observed[key]
            row[f"{key}_random_mean"] = mean
            row[f"{key}_random_sd"] = sd
            row[f"{key}_z"] = (observed[key] - mean) / sd if sd and sd == sd else np.nan
        row.update(wave=w, seed=seed, n_random=R)
        rows.append(row)
    out = pd.DataFrame(rows).set_index("cohort")
    sizes = out["n"]
    if len(sizes) > 1 and sizes.max() >= SIZE_RATIO_WARNING * sizes.min():
        warnings.warn(
            f"cohort sizes differ a lot ({sizes.min()} to {sizes.max()} people): raw "
            "density and centralization fall as networks grow, so compare their z-scores "
            "and the E-I / block-contrast columns, not the raw values",
            UserWarning, stacklevel=2,
        )
    out.attrs.update(relation=relation, symmetrize=symmetrize, min_strength=min_strength,
                     missing=missing, seed=seed, n_random=int(n_random), group=group)
    return out
