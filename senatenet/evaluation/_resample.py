"""Private: seeded batches of random draws, identical on any ``n_jobs``.

Each batch gets its own generator spawned from ``numpy.random.SeedSequence(seed)``
(in batch order), so results do not depend on how batches are scheduled. When
the package-wide resampling engine (``senatenet.resample``) is available this
is the one place to swap it in.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np

__all__: list[str] = []


def seeded_batches(func: Callable[[np.random.Generator, int], np.ndarray], n: int, seed: int,
                   *, batch: int = 200, n_jobs: int | None = 1) -> np.ndarray:
    """Concatenate ``func(rng, size)`` over batches covering ``n`` draws."""
    n = int(n)
    if n <= 0:
        return np.empty((0,))
    sizes = [min(batch, n - k) for k in range(0, n, batch)]
    seqs = np.random.SeedSequence(int(seed)).spawn(len(sizes))
    tasks = [(np.random.default_rng(s), b) for s, b in zip(seqs, sizes, strict=True)]
    jobs = 1 if not n_jobs or n_jobs == 1 else max(1, int(n_jobs))
    if jobs == 1:
        out = [func(rng, b) for rng, b in tasks]
    else:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            out = list(pool.map(lambda t: func(*t), tasks))
    return np.concatenate(out, axis=0)
