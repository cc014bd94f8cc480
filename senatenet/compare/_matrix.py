"""Private helpers: graphs and matrices to aligned numpy arrays, seeded permutations,
progress reporting and p-values shared by the permutation tests."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Sequence

import networkx as nx
import numpy as np
import pandas as pd

from ..errors import InputError
from ..resample import permutations

__all__: list[str] = []

#: relative tolerance when comparing a permuted statistic with the observed one,
#: so that floating-point noise does not decide a tie
TIE_RTOL = 1e-10


def _is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value is pd.NA


def graph_nodes(obj) -> list | None:
    """Node order carried by ``obj`` (graph or labelled DataFrame), else None."""
    if isinstance(obj, nx.Graph):
        return list(obj.nodes)
    if isinstance(obj, pd.DataFrame):
        return list(obj.index)
    return None


def to_matrix(
    obj, nodes: Sequence | None, *, weight: str | None = None, name: str = "input"
) -> tuple[np.ndarray, list | None, bool]:
    """``(matrix, nodes, directed)`` for a graph, square array or square DataFrame.

    Graphs give a binary matrix unless ``weight`` names an edge attribute; the
    node order is ``nodes`` when given, else the graph's own. A DataFrame must
    have the same labels on both axes; an array must be square and, when
    ``nodes`` is given, of that size. ``directed`` is False for an undirected
    graph, otherwise whether the matrix is asymmetric.
    """
    if isinstance(obj, nx.Graph):
        order = list(obj.nodes) if nodes is None else list(nodes)
        have, want = set(obj.nodes), set(order)
        if have != want:
            extra, missing = sorted(map(str, have - want)), sorted(map(str, want - have))
            raise InputError(
                f"{name}: the graphs must be on the same people; "
                f"only in {name}: {extra[:5]}, missing from {name}: {missing[:5]}"
            )
        index = {v: i for i, v in enumerate(order)}
        A = np.zeros((len(order), len(order)))
        if not obj.is_multigraph():  # fast path: one numpy assignment per row
            for u, nbrs in obj.adjacency():
                targets = [index[v] for v in nbrs]
                if weight is None:
                    A[index[u], targets] = 1.0
                    continue
                values = [data.get(weight) for data in nbrs.values()]
                for v, value in zip(nbrs, values, strict=True):
                    if _is_missing(value) and v != u:
                        raise InputError(f"{name}: tie {u!r}-{v!r} has no {weight!r} value")
                try:
                    A[index[u], targets] = np.array(
                        [np.nan if _is_missing(x) else x for x in values], dtype=float
                    )
                except (TypeError, ValueError) as exc:
                    raise InputError(f"{name}: {weight!r} values must be numbers ({exc})") from None
            np.fill_diagonal(A, 0.0)
            return A, order, obj.is_directed()
        for u, v, data in obj.edges(data=True):
            if u == v:
                continue
            if weight is None:
                value = 1.0
            else:
                value = data.get(weight)
                if _is_missing(value):
                    raise InputError(f"{name}: tie {u!r}-{v!r} has no {weight!r} value")
                value = float(value)
            A[index[u], index[v]] = value
            if not obj.is_directed():
                A[index[v], index[u]] = value
        return A, order, obj.is_directed()
    if isinstance(obj, pd.DataFrame):
        if list(obj.index) != list(obj.columns):
            raise InputError(f"{name}: a DataFrame must have the same labels on rows and columns")
        if nodes is not None:
            if set(obj.index) != set(nodes) or len(obj.index) != len(nodes):
                raise InputError(f"{name}: its labels are not the people of the other inputs")
            obj = obj.loc[list(nodes), list(nodes)]
        try:
            A = obj.to_numpy(dtype=float)
        except (TypeError, ValueError) as exc:
            raise InputError(f"{name}: matrix values must be numbers ({exc})") from None
        labels = list(obj.index)
    else:
        try:
            A = np.array(obj, dtype=float)
        except (TypeError, ValueError) as exc:
            raise InputError(f"{name}: expected a graph, a square matrix or DataFrame ({exc})") from None
        labels = None if nodes is None else list(nodes)
        if A.ndim != 2 or A.shape[0] != A.shape[1]:
            raise InputError(f"{name}: expected a square matrix, got shape {A.shape}")
        if nodes is not None and A.shape[0] != len(nodes):
            raise InputError(f"{name}: a {A.shape[0]}x{A.shape[0]} matrix for {len(nodes)} people")
    if np.isnan(A).any():
        raise InputError(f"{name}: the matrix has missing (NaN) cells; fill or remove them")
    A = A.copy()
    np.fill_diagonal(A, 0.0)
    return A, labels, not np.array_equal(A, A.T)


def cell_mask(n: int, directed: bool) -> np.ndarray:
    """Boolean mask of the dyads analysed: off-diagonal cells, or the upper triangle."""
    if directed:
        return ~np.eye(n, dtype=bool)
    return np.triu(np.ones((n, n), dtype=bool), k=1)


def resolve_jobs(n_jobs: int | None) -> int:
    if n_jobs is None or n_jobs == 0:
        return 1
    if n_jobs < 0:
        return max(1, (os.cpu_count() or 1) + 1 + n_jobs)
    return int(n_jobs)


class Progress:
    """A plain stderr progress bar that appears only once work exceeds ``after`` s."""

    def __init__(self, total: int, label: str, enabled: bool | None, after: float = 1.0):
        self.total, self.label, self.enabled, self.after = total, label, enabled, after
        self.start = time.perf_counter()
        self.shown = False
        self.base = 0  # permutations done by earlier stages sharing this bar
        self.last = -1.0

    def update(self, done: int) -> None:
        if self.enabled is False:
            return
        done += self.base
        elapsed = time.perf_counter() - self.start
        if self.enabled is None and elapsed < self.after and not self.shown:
            return
        if elapsed - self.last < 0.2 and done < self.total:
            return
        self.shown, self.last = True, elapsed
        width = 30
        filled = int(width * done / max(self.total, 1))
        sys.stderr.write(
            f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] "
            f"{done}/{self.total} ({elapsed:.1f} s)"
        )
        sys.stderr.flush()

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\n")
            sys.stderr.flush()


def run_batches(
    func: Callable[[np.ndarray], np.ndarray],
    n: int,
    n_permutations: int,
    seed,
    *,
    batch: int,
    n_jobs: int | None,
    progress: bool | None,
    label: str,
    bar: Progress | None = None,
) -> np.ndarray:
    """Apply ``func`` to seeded permutation batches through the resampling engine.

    See :func:`senatenet.resample.permutations`: the batch layout and the
    per-batch seeds (``SeedSequence(seed).spawn``) never depend on ``n_jobs``,
    so neither do the results.
    """
    own_bar = bar is None
    if own_bar:
        bar = Progress(n_permutations, label, progress)
    out = permutations(func, n, n_permutations, seed, batch=max(1, batch), n_jobs=n_jobs,
                       on_done=bar.update)
    if own_bar:
        bar.close()
    else:
        bar.base += int(n_permutations)
    return out


def p_values(dist: np.ndarray, observed, centre=0.0, *, plus_one: bool = True):
    """Permutation p-values ``(greater, less, two_sided)`` along axis 0.

    ``greater`` counts permuted values >= observed, ``less`` <= observed and
    ``two_sided`` |value - centre| >= |observed - centre|. With ``plus_one`` the
    observed labelling counts as one permutation: (k + 1) / (R + 1) (Phipson &
    Smyth 2010); otherwise k / R as in R's sna. Without permutations (R = 0)
    every p-value is NaN.
    """
    dist = np.asarray(dist, dtype=float)
    observed = np.asarray(observed, dtype=float)
    R = dist.shape[0]
    tol = TIE_RTOL * np.maximum(1.0, np.abs(observed))
    ge = (dist >= observed - tol).sum(axis=0)
    le = (dist <= observed + tol).sum(axis=0)
    dev = np.abs(dist - centre)
    obs_dev = np.abs(observed - centre)
    ab = (dev >= obs_dev - TIE_RTOL * np.maximum(1.0, obs_dev)).sum(axis=0)
    if R == 0:  # no permutations, no test (not p = 1)
        conv = [np.full(np.shape(observed), np.nan)] * 3
    elif plus_one:
        conv = [(k + 1) / (R + 1) for k in (ge, le, ab)]
    else:
        conv = [k / R if R else np.nan * k for k in (ge, le, ab)]
    nan = np.isnan(observed)
    return tuple(np.where(nan, np.nan, c) for c in conv)
