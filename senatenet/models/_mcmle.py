"""Private: Monte Carlo maximum likelihood for ERGMs (Hummel, Hunter & Handcock 2012).

The sampler is a batch of independent Metropolis-Hastings chains, vectorised
over chains with numpy: each step every chain proposes to toggle one dyad drawn
uniformly (ergm's ``randomtoggle`` proposal, symmetric), computes the change
statistics of the toggle from its current network and accepts with
probability min(1, exp(+-theta' delta)). Chains keep their shared-partner
matrix Y @ Y up to date, so a toggle costs O(n) per chain.

The estimator is the stepping algorithm of Hummel, Hunter & Handcock (2012):
given networks simulated at theta_t, the observed statistics are replaced by
xi = gamma g(y) + (1 - gamma) mean(g(Y*)), with the largest gamma in (0, 1]
whose point (pushed 5% further from the mean) lies inside the convex hull of
the simulated statistics, and theta_{t+1} maximises the Monte Carlo
approximation of the log-likelihood ratio (Geyer & Thompson 1992)

    l(theta) - l(theta_t) ~ (theta - theta_t)' xi - log mean exp((theta - theta_t)' g(Y*)).

When gamma = 1 in two successive iterations a final, larger sample at the
estimate gives the last step and the Fisher information (the covariance of the
statistics), whose inverse gives the standard errors.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

__all__: list[str] = []

#: the hull safety factor of Hummel, Hunter & Handcock (2012)
HULL_FACTOR = 1.05
#: bytes the chains may hold (one network per chain, and its shared-partner counts)
MEMORY_LIMIT = 2 * 2**30


@dataclass(frozen=True)
class Dependent:
    """A dyad-dependent term for the sampler: ``kind`` is "mutual", "triangle"
    or "gwesp" (``decay``; transitiveties is gwesp with decay 0)."""

    kind: str
    decay: float = 0.0


@dataclass
class Fit:
    theta: np.ndarray
    cov: np.ndarray  # inverse Fisher information (NaN when not converged)
    converged: bool
    iterations: int
    gammas: list
    sample_size: int
    burnin: int
    acceptance: float
    message: str


class Chains:
    """``C`` chains of networks, each starting from ``Y`` (0/1, n x n)."""

    def __init__(self, Y: np.ndarray, C: int, directed: bool, independent: list,
                 dependent: list, observed: np.ndarray):
        n = Y.shape[0]
        self.n, self.C, self.directed = n, C, directed
        self.Y = np.repeat(Y[None].astype(np.int8), C, axis=0)
        self.need_sp = any(d.kind in ("triangle", "gwesp") for _, d in dependent)
        sp = (Y @ Y).astype(np.int32)
        self.SP = np.repeat(sp[None], C, axis=0) if self.need_sp else None
        self.independent = independent  # list of (column index, n x n change matrix)
        self.dependent = dependent      # list of (column index, Dependent)
        self.stats = np.repeat(observed[None].astype(float), C, axis=0)
        self.rows = np.arange(C)
        self.accepted = 0
        self.proposed = 0
        self._tables: dict = {}

    def _powers(self, decay: float) -> tuple[np.ndarray, float]:
        """(r^s for s = 0..n, e^decay) with r = 1 - e^-decay."""
        if decay not in self._tables:
            r = 1.0 - np.exp(-decay)
            self._tables[decay] = (np.power(r, np.arange(self.n + 1.0)), float(np.exp(decay)))
        return self._tables[decay]

    def _change(self, i, j, e) -> np.ndarray:
        """Change statistics of adding (i, j) to each chain's network without it."""
        C, rows = self.C, self.rows
        delta = np.empty((C, len(self.independent) + len(self.dependent)))
        lo, hi = (i, j) if self.directed else (np.minimum(i, j), np.maximum(i, j))
        for k, D in self.independent:
            delta[:, k] = D[lo, hi]
        if not self.dependent:
            return delta
        Y = self.Y
        if self.need_sp:
            SP = self.SP
            sp_ij = SP[rows, i, j]
            # partners k of both i and j: the edges whose shared-partner count the
            # new tie raises (undirected: i-k and j-k; directed OTP: i->k with j->k)
            c1, k1 = np.nonzero(Y[rows, i, :] & Y[rows, j, :])
            if self.directed:  # and a->j with a->i
                c2, k2 = np.nonzero(Y[rows, :, i] & Y[rows, :, j])
        for k, term in self.dependent:
            if term.kind == "mutual":
                delta[:, k] = Y[rows, j, i]
            elif term.kind == "triangle":
                delta[:, k] = sp_ij
            else:
                # r^s from a table (s = 0..n); the counts are those without (i, j)
                table, ea = self._powers(term.decay)
                first = SP[c1, i[c1], k1] - e[c1]
                second = (SP[c2, k2, j[c2]] - e[c2]) if self.directed else (
                    SP[c1, j[c1], k1] - e[c1])
                gain = np.bincount(c1, table[first], minlength=C)
                gain += np.bincount(c2 if self.directed else c1, table[second],
                                    minlength=C)
                delta[:, k] = ea * (1.0 - table[sp_ij]) + gain
        return delta

    def step(self, theta: np.ndarray, rng: np.random.Generator) -> None:
        n, rows = self.n, self.rows
        i = rng.integers(n, size=self.C)
        j = rng.integers(n - 1, size=self.C)
        j = j + (j >= i)
        e = self.Y[rows, i, j].astype(np.int32)  # 1: the tie is there (propose removal)
        sign = 1.0 - 2.0 * e
        delta = self._change(i, j, e) * sign[:, None]
        accept = np.log(rng.random(self.C)) < delta @ theta
        self.proposed += self.C
        if not accept.any():
            return
        a = np.flatnonzero(accept)
        ia, ja, s = i[a], j[a], sign[a].astype(np.int32)
        self.accepted += len(a)
        self.stats[a] += delta[a]
        new = (1 - e[a]).astype(np.int8)
        self.Y[a, ia, ja] = new
        if not self.directed:
            self.Y[a, ja, ia] = new
        if self.need_sp:
            SP, Y = self.SP, self.Y
            if self.directed:  # Y @ Y: (x, j) += Y[x, i]; (i, x) += Y[j, x]
                SP[a, :, ja] += s[:, None] * Y[a, :, ia]
                SP[a, ia, :] += s[:, None] * Y[a, ja, :]
            else:
                SP[a, ia, :] += s[:, None] * Y[a, ja, :]
                SP[a, ja, :] += s[:, None] * Y[a, ia, :]
                SP[a, :, ia] = SP[a, ia, :]
                SP[a, :, ja] = SP[a, ja, :]

    def run(self, theta: np.ndarray, steps: int, rng: np.random.Generator) -> np.ndarray:
        for _ in range(steps):
            self.step(theta, rng)
        return self.stats.copy()


def check_memory(chains: int, n: int, dependent: list, advice: str) -> None:
    """Refuse, before allocating, chains that would hold more than
    :data:`MEMORY_LIMIT` bytes."""
    need = chains * n * n * (5 if any(d.kind != "mutual" for _, d in dependent) else 1)
    if need > MEMORY_LIMIT:
        from ..errors import InputError

        raise InputError(f"{chains} simulated networks of {n} people would need "
                         f"{need / 2**30:.1f} GiB; {advice}")


def in_hull(point: np.ndarray, Z: np.ndarray) -> bool:
    """Whether ``point`` is in the convex hull of the rows of ``Z`` (a
    feasibility linear programme: lambda >= 0, sum lambda = 1, Z' lambda = point)."""
    from scipy.optimize import linprog

    S = Z.shape[0]
    A = np.vstack([Z.T, np.ones((1, S))])
    b = np.append(point, 1.0)
    res = linprog(np.zeros(S), A_eq=A, b_eq=b, bounds=(0, None), method="highs")
    return bool(res.status == 0)


def step_length(observed: np.ndarray, Z: np.ndarray) -> float:
    """The largest gamma in (0, 1] whose point gamma g(y) + (1 - gamma) mean,
    pushed by :data:`HULL_FACTOR` from the mean, lies in the hull of ``Z``
    (bisection to 0.01; 0 when no such gamma)."""
    mean = Z.mean(axis=0)

    def ok(g):
        xi = g * observed + (1 - g) * mean
        return in_hull(mean + HULL_FACTOR * (xi - mean), Z)

    if ok(1.0):
        return 1.0
    lo, hi = 0.0, 1.0
    while hi - lo > 0.01:
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if ok(mid) else (lo, mid)
    return lo


def maximise(xi: np.ndarray, Z: np.ndarray, theta0: np.ndarray):
    """theta maximising eta' xi - log mean exp(eta' Z) (eta = theta - theta0),
    by Newton's method with backtracking; returns (theta, weighted covariance)."""
    eta = np.zeros_like(theta0)
    Zc = Z - Z.mean(axis=0)
    xic = xi - Z.mean(axis=0)

    def parts(eta):
        u = Zc @ eta
        m = u.max()
        w = np.exp(u - m)
        total = w.sum()
        value = eta @ xic - (m + np.log(total / len(u)))
        w = w / total
        mean = w @ Zc
        cov = (Zc - mean).T @ ((Zc - mean) * w[:, None])
        return value, xic - mean, cov

    value, grad, cov = parts(eta)
    for _ in range(100):
        try:
            direction = np.linalg.solve(cov, grad)
        except np.linalg.LinAlgError:
            direction = np.linalg.lstsq(cov, grad, rcond=None)[0]
        t = 1.0
        while t > 1e-8:
            new = eta + t * direction
            v, g, c = parts(new)
            if v >= value - 1e-12:
                break
            t /= 2
        eta, value, grad, cov = new, v, g, c
        if np.abs(t * direction).max() < 1e-9:
            break
    return theta0 + eta, cov


def fit(Y: np.ndarray, directed: bool, observed: np.ndarray, independent: list,
        dependent: list, theta0: np.ndarray, *, seed: int, sample_size: int = 1024,
        burnin: int | None = None, max_iterations: int = 30) -> Fit:
    """Monte Carlo MLE from the starting value ``theta0`` (the MPLE)."""
    n = Y.shape[0]
    check_memory(sample_size, n, dependent, "give a smaller control['sample_size'] or use "
                 "method='mple'")
    dyads = n * (n - 1) if directed else n * (n - 1) // 2
    burnin = int(burnin) if burnin is not None else max(1000, 10 * dyads)
    streams = np.random.SeedSequence(seed)
    chains = Chains(Y, sample_size, directed, independent, dependent, observed)
    theta = np.asarray(theta0, dtype=float).copy()
    gammas: list[float] = []
    first = True
    for iteration in range(1, max_iterations + 1):
        rng = np.random.default_rng(streams.spawn(1)[0])
        Z = chains.run(theta, 2 * burnin if first else burnin, rng)
        first = False
        if np.linalg.matrix_rank(Z - Z.mean(axis=0)) < Z.shape[1]:
            return _failed(theta, iteration, gammas, sample_size, burnin, chains,
                           "the simulated statistics do not vary in every direction "
                           "(a degenerate model: simulated networks are empty, full or "
                           "stuck)")
        gamma = step_length(observed, Z)
        gammas.append(gamma)
        if gamma == 0.0:
            return _failed(theta, iteration, gammas, sample_size, burnin, chains,
                           "the observed statistics are outside every step of the "
                           "simulated ones (a degenerate model)")
        xi = gamma * observed + (1 - gamma) * Z.mean(axis=0)
        theta, _ = maximise(xi, Z, theta)
        if len(gammas) >= 2 and gammas[-1] == gammas[-2] == 1.0:
            # final, larger sample at the estimate: last step and information
            rng = np.random.default_rng(streams.spawn(1)[0])
            Zs = [chains.run(theta, burnin, rng)]
            for _ in range(3):
                Zs.append(chains.run(theta, max(burnin // 4, 1), rng))
            Z = np.vstack(Zs)
            if not in_hull(observed, Z):
                continue
            theta, info = maximise(observed, Z, theta)
            try:
                cov = np.linalg.inv(info)
            except np.linalg.LinAlgError:
                cov = np.full(info.shape, np.nan)
            return Fit(theta, cov, True, iteration, gammas, sample_size, burnin,
                       chains.accepted / max(chains.proposed, 1), "converged")
    return _failed(theta, max_iterations, gammas, sample_size, burnin, chains,
                   f"no convergence in {max_iterations} iterations (the step length "
                   "did not reach 1 twice in a row)")


def _failed(theta, iteration, gammas, sample_size, burnin, chains, message) -> Fit:
    warnings.warn(f"Monte Carlo MLE: {message}; estimates are not maximum likelihood "
                  "estimates and have no standard errors", RuntimeWarning, stacklevel=4)
    k = len(theta)
    return Fit(theta, np.full((k, k), np.nan), False, iteration, gammas, sample_size,
               burnin, chains.accepted / max(chains.proposed, 1), message)
