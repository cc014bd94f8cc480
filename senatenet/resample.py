"""One resampling engine: seeded batches of random draws run through joblib.

Every permutation, swap, QAP, MR-QAP, sensitivity variant, cohort and
random-graph loop in senatenet runs through this module, so that results are
**bit-identical** whatever the number of workers or the joblib backend:

1. ``R`` draws are split into batches of a fixed size ``batch`` chosen from
   the problem (never from ``n_jobs``), so the batch layout is the same
   everywhere;
2. batch ``k`` draws from its own generator
   ``numpy.random.default_rng(SeedSequence(seed).spawn(n_batches)[k])``
   (O'Neill 2014; numpy's recommended way to seed parallel streams), so no
   stream depends on which worker runs it or in what order;
3. the batches run through :class:`joblib.Parallel` (loky processes, threads,
   or Dask under ``joblib.parallel_config(backend="dask")``) and the results
   are concatenated in batch order.

``n_jobs=1`` (the default everywhere) runs the batches in a plain loop in
the calling process; ``n_jobs=None`` takes joblib's active configuration
(e.g. a Dask cluster, see ``docs/cluster.md``); ``-1`` uses every core.

The engine's parallelism is across tasks, so each task runs with the BLAS
library (OpenBLAS, MKL) limited to one thread (threadpoolctl, as joblib's
own loky workers do): on the small matrices of one batch, BLAS threads only
wait for each other and spend CPU time doing so (measured: the sensitivity
table of a 300-person report took 5.7 CPU s with two BLAS threads and 3.7 s
with one, in the same wall time; ``benchmarks/README.md``).

References
----------
O'Neill, M. E. (2014). PCG: A family of simple fast space-efficient
statistically good algorithms for random number generation. Harvey Mudd
College HMC-CS-2014-0905 (numpy's ``SeedSequence`` design).
Phipson, B. & Smyth, G. K. (2010). Permutation p-values should never be
zero. Statistical Applications in Genetics and Molecular Biology 9(1).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

__all__ = ["batch_layout", "batch_generators", "map_batches", "map_tasks",
           "permutations"]


def _jobs(n_jobs: int | None) -> int | None:
    """``1`` for a plain loop, else what joblib should get (None = its config)."""
    if n_jobs is None:
        try:
            from joblib.parallel import get_active_backend
        except ImportError:  # pragma: no cover - joblib is a dependency
            return 1
        backend, jobs = get_active_backend()
        name = type(backend).__name__
        if "Dask" in name:
            return None
        return 1 if jobs in (None, 1) else jobs
    if n_jobs == 0:
        return 1
    if n_jobs < 0:
        return -1 if (os.cpu_count() or 1) > 1 else 1
    return int(n_jobs)


def batch_layout(total: int, batch: int) -> list[int]:
    """Sizes of the batches that split ``total`` draws (all ``batch`` but the last).

    Examples
    --------
    >>> batch_layout(10, 4), batch_layout(0, 4)
    ([4, 4, 2], [])
    """
    total, batch = int(total), max(1, int(batch))
    full, rest = divmod(total, batch)
    return [batch] * full + ([rest] if rest else [])


def batch_generators(seed: int | np.random.SeedSequence, n_batches: int
                     ) -> list[np.random.Generator]:
    """One independent generator per batch, spawned from ``seed``.

    Examples
    --------
    >>> a = batch_generators(1, 3)
    >>> b = batch_generators(1, 3)
    >>> [g.integers(100) for g in a] == [g.integers(100) for g in b]
    True
    """
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    return [np.random.default_rng(s) for s in ss.spawn(int(n_batches))]


def map_tasks(func: Callable[[Any], Any], items: Iterable[Any], *,
              n_jobs: int | None = 1, on_done: Callable[[int], None] | None = None
              ) -> list[Any]:
    """``[func(item) for item in items]`` run through joblib, results in order.

    The tasks must not share state: each gets its arguments (pickled when
    they go to another process or a Dask worker) and returns its result.

    Parameters
    ----------
    func : callable
    items : iterable
    n_jobs : int or None
        1 (default): a plain loop here. None: joblib's active configuration
        (e.g. ``joblib.parallel_config(backend="dask")``). -1: all cores.
    on_done : callable, optional
        Called with the index of each finished task, in order (progress bars).

    Returns
    -------
    list

    References
    ----------
    Varoquaux, G. et al. joblib: running Python functions as pipeline jobs
    (``joblib.Parallel``). https://joblib.readthedocs.io

    Examples
    --------
    >>> map_tasks(abs, [-1, 2, -3])
    [1, 2, 3]
    >>> map_tasks(abs, [-1, 2, -3], n_jobs=2)
    [1, 2, 3]
    """
    items = list(items)
    jobs = _jobs(n_jobs)
    out: list[Any] = []
    if jobs == 1 or len(items) <= 1:
        with one_blas_thread():
            for i, item in enumerate(items):
                out.append(func(item))
                if on_done is not None:
                    on_done(i)
        return out
    from joblib import Parallel, delayed

    kwargs = {} if jobs is None else {"n_jobs": jobs}
    parallel = Parallel(return_as="generator", **kwargs)
    tasks = (delayed(_one_thread_task)(func, item) for item in items)
    for i, result in enumerate(parallel(tasks)):
        out.append(result)
        if on_done is not None:
            on_done(i)
    return out


def one_blas_thread():
    """Context in which BLAS (OpenBLAS, MKL, BLIS) uses one thread; restores
    the previous setting on exit (threadpoolctl's ``limit``)."""
    return _blas_controller().limit(limits=1, user_api="blas")


_controller: list = [None, -1]  # threadpoolctl controller, len(sys.modules) at its scan


def _blas_controller():
    """threadpoolctl's view of the loaded BLAS libraries. Finding them reads the
    process's memory map (about 1.5 ms, and a report enters this context about
    50 times), so the scan is kept until a module is imported: libraries load
    with extension modules."""
    import sys

    if _controller[0] is None or _controller[1] != len(sys.modules):
        from threadpoolctl import ThreadpoolController

        _controller[:] = [ThreadpoolController(), len(sys.modules)]
    return _controller[0]


def with_one_blas_thread(func):
    """Decorator: run ``func`` inside :func:`one_blas_thread` (for whole jobs,
    such as a report, made of many small matrix operations)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with one_blas_thread():
            return func(*args, **kwargs)

    return wrapper


def _one_thread_task(func, item):
    """``func(item)`` with one BLAS thread, in whichever worker runs it."""
    with one_blas_thread():
        return func(item)


def _call_batch(args):
    func, draw, rng, size = args
    return func(draw(rng, size))


def map_batches(
    func: Callable[[Any], np.ndarray],
    draw: Callable[[np.random.Generator, int], Any],
    total: int,
    seed: int | np.random.SeedSequence,
    *,
    batch: int,
    n_jobs: int | None = 1,
    on_done: Callable[[int], None] | None = None,
) -> np.ndarray:
    """Run ``func(draw(rng_k, size_k))`` on seeded batches; concatenate in order.

    The batch layout is :func:`batch_layout` ``(total, batch)`` and the
    generators :func:`batch_generators` ``(seed, n_batches)``, neither
    depending on ``n_jobs``, so the result is bit-identical for every
    ``n_jobs`` and backend.

    Parameters
    ----------
    func : callable
        Maps one batch of draws to an array whose first axis has one row per
        draw.
    draw : callable
        ``draw(rng, size)`` makes one batch of random draws.
    total : int
        Number of draws (e.g. permutations).
    seed : int or SeedSequence
    batch : int
        Draws per batch (choose it from the problem size, never from n_jobs).
    n_jobs : int or None
        As :func:`map_tasks`.
    on_done : callable, optional
        Called with the number of draws finished so far.

    Returns
    -------
    numpy.ndarray
        The results of every batch concatenated along axis 0 (empty when
        ``total`` is 0).

    References
    ----------
    O'Neill, M. E. (2014). PCG: a family of simple fast space-efficient
    statistically good algorithms for random number generation.

    Examples
    --------
    >>> draw = lambda rng, size: rng.random(size)
    >>> a = map_batches(lambda x: x * 2, draw, 10, seed=3, batch=4)
    >>> b = map_batches(lambda x: x * 2, draw, 10, seed=3, batch=4, n_jobs=2)
    >>> a.shape, bool((a == b).all())
    ((10,), True)
    """
    sizes = batch_layout(total, batch)
    if not sizes:
        return np.empty((0,))
    rngs = batch_generators(seed, len(sizes))
    done = np.cumsum(sizes)
    callback = None if on_done is None else (lambda i: on_done(int(done[i])))
    parts = map_tasks(_call_batch, [(func, draw, r, s) for r, s in zip(rngs, sizes, strict=True)],
                      n_jobs=n_jobs, on_done=callback)
    return np.concatenate(parts, axis=0)


def _draw_permutations(n: int):
    def draw(rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.permuted(np.broadcast_to(np.arange(n), (size, n)), axis=1)
    return draw


def permutations(
    func: Callable[[np.ndarray], np.ndarray],
    n: int,
    n_permutations: int,
    seed: int | np.random.SeedSequence,
    *,
    batch: int,
    n_jobs: int | None = 1,
    on_done: Callable[[int], None] | None = None,
) -> np.ndarray:
    """Apply ``func`` to seeded batches of uniform random permutations of ``range(n)``.

    ``func`` receives an ``(b, n)`` integer array, one permutation per row;
    see :func:`map_batches` for the seeding and batching contract.

    Parameters
    ----------
    func : callable
    n : int
        Length of each permutation.
    n_permutations : int
    seed : int or SeedSequence
    batch : int
    n_jobs : int or None
    on_done : callable, optional

    Returns
    -------
    numpy.ndarray

    References
    ----------
    Hubert, L. & Schultz, J. (1976). Quadratic assignment as a general data
    analysis strategy. British Journal of Mathematical and Statistical
    Psychology 29, 190-241.

    Examples
    --------
    >>> out = permutations(lambda p: p.sum(axis=1), 4, 5, seed=1, batch=2)
    >>> out.tolist()
    [6, 6, 6, 6, 6]
    """
    return map_batches(func, _draw_permutations(int(n)), n_permutations, seed, batch=batch,
                       n_jobs=n_jobs, on_done=on_done)
