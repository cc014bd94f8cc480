"""Logistic regression by Newton-Raphson, with model-based and dyadic-cluster
(Aronow, Samii & Assenova 2015) covariance matrices."""

from __future__ import annotations

import numpy as np

__all__: list[str] = []


def _sigmoid(eta: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * eta))


def fit_logit(X: np.ndarray, y: np.ndarray, *, tol: float = 1e-12, max_iter: int = 100,
              start: np.ndarray | None = None):
    """Maximise sum y*eta - log(1 + exp(eta)), eta = X @ beta (from ``start``,
    default 0).

    Returns ``beta, cov, loglik, converged, separated``; ``cov`` is the inverse
    Fisher information (NaN when singular). ``separated`` flags coefficients
    that ran off to infinity (no finite maximum: quasi-complete separation).
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n, p = X.shape
    beta = np.zeros(p) if start is None else np.array(start, dtype=float)
    converged = False
    eta = X @ beta
    ll_old = float(np.sum(y * eta - np.logaddexp(0.0, eta)))
    for _ in range(max_iter):
        eta = X @ beta
        mu = _sigmoid(eta)
        w = mu * (1 - mu)
        grad = X.T @ (y - mu)
        info = (X * w[:, None]).T @ X
        try:
            step = np.linalg.solve(info, grad)
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(info, grad, rcond=None)[0]
        # step-halving keeps the log-likelihood increasing
        for _half in range(30):
            new = beta + step
            eta_new = X @ new
            ll = float(np.sum(y * eta_new - np.logaddexp(0.0, eta_new)))
            if ll >= ll_old - 1e-12:
                break
            step = step / 2
        else:  # no step increases the log-likelihood: at the maximum, or stuck
            converged = bool(np.max(np.abs(grad)) < 1e-6 * max(1.0, n))
            break
        beta = new
        if np.max(np.abs(step)) < tol * (1 + np.max(np.abs(beta))) or abs(ll - ll_old) < 1e-15:
            converged = True
            ll_old = ll
            break
        ll_old = ll
    eta = X @ beta
    mu = _sigmoid(eta)
    w = mu * (1 - mu)
    info = (X * w[:, None]).T @ X
    try:
        cov = np.linalg.inv(info)
        if not np.all(np.isfinite(cov)) or np.linalg.cond(info) > 1e12:
            raise np.linalg.LinAlgError
    except np.linalg.LinAlgError:
        cov = np.full((p, p), np.nan)
    separated = np.abs(beta) > 15
    return beta, cov, float(ll_old), converged, separated


def dyadic_cluster_cov(X, y, beta, bread, senders, receivers) -> np.ndarray:
    """Dyadic-cluster-robust sandwich covariance (Aronow, Samii & Assenova 2015).

    Scores of any two dyads that share a person may be correlated:
    meat = sum_k S_k S_k^T - sum_{pairs {i,j}} T_ij T_ij^T, where S_k sums the
    scores of every dyad involving person k and T_ij the scores of the (one or
    two) dyads between i and j, so that each pair of dyads sharing a person is
    counted once. Multiplied by the small-sample factor G/(G-1), G = number of
    people.
    """
    X = np.asarray(X, dtype=float)
    mu = _sigmoid(X @ beta)
    scores = X * (y - mu)[:, None]
    senders = np.asarray(senders)
    receivers = np.asarray(receivers)
    people = int(max(senders.max(), receivers.max())) + 1
    p = X.shape[1]
    S = np.zeros((people, p))
    np.add.at(S, senders, scores)
    np.add.at(S, receivers, scores)
    lo = np.minimum(senders, receivers)
    hi = np.maximum(senders, receivers)
    key = lo.astype(np.int64) * people + hi
    _, inv = np.unique(key, return_inverse=True)
    T = np.zeros((inv.max() + 1, p))
    np.add.at(T, inv, scores)
    meat = S.T @ S - T.T @ T
    G = np.unique(np.concatenate([senders, receivers])).size
    if G > 1:
        meat *= G / (G - 1)
    return bread @ meat @ bread.T
