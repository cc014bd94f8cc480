"""Cross-sectional exponential-family random graph models (ERGMs).

P(Y = y) = exp(theta' g(y)) / kappa(theta), g(y) the statistics named by an ergm
formula. Fitted by maximum pseudo-likelihood (MPLE; Strauss & Ikeda 1990): a
logistic regression of each dyad on its change statistics. For dyad-independent
models the MPLE is the exact maximum likelihood estimate; for dyad-dependent
terms (mutual, triangle, gwesp, transitiveties) it is a point estimate whose
naive standard errors are too small (van Duijn, Gile & Handcock 2009), so none
are reported; ``method="mle"`` then gives the Monte Carlo MLE (Hummel, Hunter &
Handcock 2012) with standard errors.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from ..errors import InputError
from . import _mcmle
from ._formula import parse_formula
from ._logit import fit_logit
from ._terms import Context, columns

__all__ = ["ergm", "ERGMResult"]

METHODS = ("mple", "mle")
CONTROL = {"sample_size": 1024, "burnin": None, "max_iterations": 30}


@dataclass(frozen=True)
class ERGMResult:
    """A fitted ERGM: tidy estimates, observed statistics and fit details.

    Attributes
    ----------
    estimates : pandas.DataFrame
        One row per statistic, in formula order: ``term`` (ergm's label, e.g.
        ``nodecov.wealth``, ``gwesp.fixed.0.5``), ``estimate``, ``std_error``
        (inverse Fisher information; NaN for pseudo-likelihood fits of
        dyad-dependent models, which have no honest model-based standard error),
        ``ci_low``, ``ci_high`` (95% Wald; NaN with the standard error), ``p``.
    statistics : pandas.Series
        The observed statistics g(y), indexed by term.
    method : str
        ``"mle"`` (exact for a dyad-independent model, Monte Carlo for a
        dyad-dependent one) or ``"mple"`` (pseudo-likelihood).
    dyad_dependent : bool
    loglik : float
        Log-likelihood (log pseudo-likelihood for dyad-dependent MPLE fits; NaN
        for Monte Carlo MLE, which does not estimate it).
    n_dyads : int
    formula, options : str, dict

    References
    ----------
    .. [1] Hunter, D. R., Handcock, M. S., Butts, C. T., Goodreau, S. M. &
       Morris, M. (2008). ergm: A package to fit, simulate and diagnose
       exponential-family models for networks. *Journal of Statistical
       Software* 24(3).

    Examples
    --------
    >>> G = nx.Graph([(0, 1), (1, 2)]); G.add_node(3)
    >>> res = ergm(G, "edges")
    >>> res.estimates[["term", "estimate"]].round(4).to_dict("records")
    [{'term': 'edges', 'estimate': -0.6931}]
    """

    estimates: pd.DataFrame
    statistics: pd.Series
    method: str
    dyad_dependent: bool
    loglik: float
    n_dyads: int
    formula: str
    options: dict = field(default_factory=dict)
    #: what :func:`senatenet.gof` needs to simulate from the fit (private)
    _sampler: dict | None = field(default=None, repr=False, compare=False)

    def simulate(self, n_sim: int = 100, *, seed: int = 0) -> np.ndarray:
        """Networks simulated from the fitted model: an array (n_sim, n, n) of 0/1.

        Independent Metropolis-Hastings chains (one dyad toggled per step) start
        at the observed network and run the fit's burn-in at the estimate
        (``options["burnin"]``; max(1,000, 10 x dyads) for exact and
        pseudo-likelihood fits); each chain gives one network.
        """
        if self._sampler is None or not np.isfinite(self.estimates["estimate"]).all():
            from ..errors import InputError

            raise InputError("this ERGM fit cannot be simulated (infinite estimates)")
        s = self._sampler
        if not isinstance(n_sim, int | np.integer) or n_sim < 1:
            from ..errors import InputError

            raise InputError(f"n_sim must be a whole number >= 1, not {n_sim!r}")
        Y = s["Y"]
        n = len(Y)
        _mcmle.check_memory(int(n_sim), n, s["dependent"], "simulate fewer networks")
        dyads = n * (n - 1) if s["directed"] else n * (n - 1) // 2
        burnin = self.options.get("burnin") or max(1000, 10 * dyads)
        chains = _mcmle.Chains(Y, int(n_sim), s["directed"], s["independent"],
                               s["dependent"], s["observed"])
        chains.run(self.estimates["estimate"].to_numpy(dtype=float), int(burnin),
                   np.random.default_rng(np.random.SeedSequence(seed)))
        return chains.Y.astype(float)

    def describe_method(self) -> str:
        """The estimator in words (and, for Monte Carlo MLE, whether it converged)."""
        if self.method == "mple":
            return ("maximum pseudo-likelihood (point estimates only: no standard "
                    "errors for dyad-dependent terms)" if self.dyad_dependent else
                    "maximum likelihood (exact: dyad-independent model)")
        if not self.dyad_dependent:
            return "maximum likelihood (exact: dyad-independent model)"
        o = self.options
        state = ("converged" if o.get("converged") else
                 f"DID NOT CONVERGE ({o.get('message')}): not maximum likelihood "
                 "estimates")
        return (f"Monte Carlo maximum likelihood (Hummel, Hunter & Handcock 2012 "
                f"stepping; {o.get('sample_size')} simulated networks per iteration, "
                f"{o.get('iterations')} iterations, seed {o.get('seed')}; {state})")

    def summary(self) -> str:
        """The estimates as plain text, with the method stated."""
        loglik = "" if not np.isfinite(self.loglik) else (
            f"\nLog-likelihood: {self.loglik:.4f}")
        return (f"ERGM {self.formula}\nMethod: {self.describe_method()}\n"
                f"Dyads: {self.n_dyads}\n{self.estimates.to_string(index=False)}{loglik}")

    def __repr__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        return (f"<p>ERGM {html.escape(self.formula)} "
                f"({html.escape(self.describe_method())})</p>"
                + self.estimates.to_html(index=False))


def _covariate(name: str, value: Any, nodes: list) -> np.ndarray:
    if isinstance(value, nx.Graph):
        missing = [v for v in nodes if v not in value]
        if missing:
            raise InputError(f"covariates[{name!r}]: nodes {missing[:5]} are not in the graph")
        M = nx.to_numpy_array(value, nodelist=nodes, weight="weight", nonedge=0.0)
        if not value.is_directed():
            M = np.maximum(M, M.T)
        return M
    if isinstance(value, pd.DataFrame):
        try:
            M = value.loc[nodes, nodes].to_numpy(dtype=float)
        except KeyError as exc:
            raise InputError(f"covariates[{name!r}]: the DataFrame's index and columns "
                             "must hold every node of the graph") from exc
        return M
    M = np.asarray(value, dtype=float)
    if M.shape != (len(nodes), len(nodes)):
        raise InputError(f"covariates[{name!r}] must be a graph or a square DataFrame "
                         f"over the graph's nodes (got shape {M.shape})")
    return M


def design(graph: nx.Graph, formula, covariates=None, *, where="formula"):
    """Change-statistic design over all dyads. Returns (columns, ctx, rows, cols)."""
    if not isinstance(graph, nx.Graph):
        raise InputError(f"graph must be a networkx graph, not {type(graph).__name__}")
    if graph.is_multigraph():
        raise InputError("ergm needs a simple graph, not a multigraph")
    nodes = list(graph.nodes)
    if len(nodes) < 3:
        raise InputError(f"an ERGM needs at least 3 nodes (got {len(nodes)})")
    directed = graph.is_directed()
    Y = nx.to_numpy_array(graph, nodelist=nodes, weight=None, nonedge=0.0)
    Y = (Y > 0).astype(float)
    np.fill_diagonal(Y, 0.0)
    attrs = pd.DataFrame([graph.nodes[v] for v in nodes], index=pd.Index(nodes))
    covs = {str(k): _covariate(str(k), v, nodes) for k, v in (covariates or {}).items()}
    ctx = Context(Y, directed, nodes, attrs, covs, where)
    cols = []
    for term in parse_formula(formula):
        cols += columns(term, ctx)
    if directed:
        rows, colidx = np.nonzero(~np.eye(len(nodes), dtype=bool))
    else:
        rows, colidx = np.triu_indices(len(nodes), 1)
    return cols, ctx, rows, colidx


def ergm(
    graph: nx.Graph,
    formula: str,
    *,
    covariates: Mapping[str, Any] | None = None,
    method: str = "mple",
    seed: int = 0,
    control: Mapping[str, Any] | None = None,
) -> ERGMResult:
    """Fit an exponential-family random graph model (ERGM) to one network.

    The model is P(Y = y) = exp(theta' g(y)) / kappa(theta) with g(y) the
    statistics of an ergm formula. Estimation is by maximum pseudo-likelihood
    (Strauss & Ikeda 1990): logit P(Y_ij = 1 | rest) = theta' delta_ij(y), with
    delta_ij the change statistics, fitted as a logistic regression over all
    dyads (i < j for undirected graphs). For dyad-independent models this is
    the exact maximum likelihood estimate, with standard errors from the Fisher
    information. For dyad-dependent terms the MPLE is a point estimate only:
    its standard errors are NaN (van Duijn, Gile & Handcock 2009).

    Terms (ergm's names and definitions): ``edges``; ``nodecov(a)`` (a_i + a_j),
    ``nodeocov(a)``/``nodeicov(a)`` (directed: sender's/receiver's value),
    ``absdiff(a)`` (|a_i - a_j|); ``nodematch(a)`` (same value; ``diff=TRUE``
    one term per level), ``nodemix(a)`` (one term per cell of the mixing matrix
    but the first), ``nodefactor(a)``/``nodeofactor(a)``/``nodeifactor(a)``
    (one per level but the first); ``edgecov(name)`` (W_ij, from
    ``covariates``); ``mutual`` (directed), ``triangle`` (undirected),
    ``gwesp(decay, fixed=TRUE)`` (ergm's OTP shared partners when directed) and
    ``transitiveties``.

    Parameters
    ----------
    graph : networkx.Graph or networkx.DiGraph
        The network; node attributes supply the attribute terms. Not modified.
    formula : str
        ergm syntax, e.g. ``"edges + nodematch(organisation) + gwesp(0.5, fixed=TRUE)"``
        (``fixed=True`` is accepted too; a left-hand side ``y ~`` is ignored).
    covariates : mapping, optional
        ``edgecov`` matrices by name: a graph over the same nodes (edge weight
        or 1), a square DataFrame indexed by node, or an n x n array in node order.
    method : {"mple", "mle"}
        ``"mle"`` is exact for dyad-independent models. For dyad-dependent
        models it is the Monte Carlo MLE (Geyer & Thompson 1992) by the
        stepping algorithm of Hummel, Hunter & Handcock (2012), started at the
        MPLE: networks are simulated at the current estimate by
        Metropolis-Hastings chains (one dyad toggled per step, uniformly:
        ergm's ``randomtoggle`` proposal), the observed statistics are moved
        toward the simulated mean until they lie inside the simulated ones'
        convex hull (step length gamma), and the approximate log-likelihood
        ratio is maximised; when gamma = 1 twice in a row, a final sample four
        times larger gives the estimate and the Fisher information (covariance
        of the simulated statistics), whose inverse gives the standard errors
        (ergm also adds the Monte Carlo error of the estimate; these do not).
        A degenerate model (simulations empty, full or nowhere near the
        observed statistics) or no convergence warns and gives NaN standard
        errors, with ``options["converged"] = False``. Practical to about 100
        people (the chains are vectorised with numpy).
    seed : int
        Seed of the Monte Carlo MLE's simulations (recorded in ``options``); the
        other estimators are deterministic.
    control : mapping, optional
        Monte Carlo MLE settings: ``sample_size`` (simulated networks per
        iteration, default 1024), ``burnin`` (toggles per chain between
        iterations, default max(1000, 10 x dyads)), ``max_iterations`` (30).

    Returns
    -------
    ERGMResult

    Raises
    ------
    InputError
        Unknown term or attribute, missing attribute values, bad covariate.

    References
    ----------
    .. [1] Strauss, D. & Ikeda, M. (1990). Pseudolikelihood estimation for
       social networks. *JASA* 85(409), 204-212.
    .. [2] van Duijn, M. A. J., Gile, K. J. & Handcock, M. S. (2009). A
       framework for the comparison of maximum pseudo-likelihood and maximum
       likelihood estimation of exponential family random graph models.
       *Social Networks* 31(1), 52-62.
    .. [3] Hunter, D. R. & Handcock, M. S. (2006). Inference in curved
       exponential family models for networks. *JCGS* 15(3), 565-583.
    .. [4] Hunter, D. R. (2007). Curved exponential family models for social
       networks. *Social Networks* 29(2), 216-230.
    .. [5] Geyer, C. J. & Thompson, E. A. (1992). Constrained Monte Carlo
       maximum likelihood for dependent data. *JRSS B* 54(3), 657-699.
    .. [6] Hummel, R. M., Hunter, D. R. & Handcock, M. S. (2012). Improving
       simulation-based algorithms for fitting ERGMs. *JCGS* 21(4), 920-939.

    Examples
    --------
    >>> G = nx.Graph([(0, 1), (1, 2), (0, 2), (2, 3)])
    >>> nx.set_node_attributes(G, {0: "A", 1: "A", 2: "B", 3: "B"}, "org")
    >>> res = ergm(G, "edges + nodematch(org)")
    >>> res.estimates["term"].tolist()
    ['edges', 'nodematch.org']
    >>> res.statistics.tolist()
    [4.0, 2.0]
    >>> bool(ergm(G, "edges + triangle").estimates["std_error"].isna().all())
    True
    """
    if method not in METHODS:
        raise InputError(f"method must be one of {list(METHODS)}, not {method!r}")
    settings = _control(control)
    cols, ctx, rows, colidx = design(graph, formula, covariates)
    dependent = any(c.dependent for c in cols)
    X = np.column_stack([c.change[rows, colidx] for c in cols])
    y = ctx.Y[rows, colidx]
    beta, cov, loglik, converged, separated = fit_logit(X, y)
    labels = [c.label for c in cols]
    extra: dict[str, Any] = {}
    observed = np.array([c.observed for c in cols])
    independent = [(k, c.change) for k, c in enumerate(cols) if not c.dependent]
    dependents = [(k, _dependent(c)) for k, c in enumerate(cols) if c.dependent]
    if dependent and method == "mle":
        if not np.isfinite(beta).all() or any(separated):
            raise InputError("the pseudo-likelihood estimate, the Monte Carlo MLE's "
                             "starting point, is infinite for "
                             f"{[lab for lab, b in zip(labels, beta, strict=True) if not np.isfinite(b)] or labels}: "
                             "the model cannot be fitted to this network")
        fitted = _mcmle.fit(ctx.Y, ctx.directed, observed, independent, dependents,
                            beta, seed=seed, **settings)
        beta, se, loglik, converged = (fitted.theta, np.sqrt(np.diag(fitted.cov)),
                                       np.nan, fitted.converged)
        extra = {"estimator": "Monte Carlo MLE (Hummel, Hunter & Handcock 2012)",
                 "iterations": fitted.iterations, "step_lengths": fitted.gammas,
                 "sample_size": fitted.sample_size, "burnin": fitted.burnin,
                 "acceptance": fitted.acceptance, "message": fitted.message}
    elif dependent:
        se = np.full(len(cols), np.nan)
    else:
        se = np.sqrt(np.diag(cov))
        se = np.where(separated, np.nan, se)
        beta = np.where(separated, np.sign(beta) * np.inf, beta)
    from scipy.special import ndtr  # 2 * norm.sf(|z|) = 2 * ndtr(-|z|)

    z = beta / se
    est = pd.DataFrame({
        "term": labels,
        "estimate": beta,
        "std_error": se,
        "ci_low": beta - 1.959963984540054 * se,
        "ci_high": beta + 1.959963984540054 * se,
        "p": 2 * ndtr(-np.abs(z)),
    })
    return ERGMResult(
        estimates=est,
        statistics=pd.Series([c.observed for c in cols], index=pd.Index(labels, name="term"),
                             name="observed"),
        method="mle" if (not dependent or method == "mle") else "mple",
        dyad_dependent=dependent,
        loglik=loglik,
        n_dyads=int(len(y)),
        formula=formula if isinstance(formula, str) else " + ".join(formula),
        options={"method": method, "seed": seed, "converged": bool(converged),
                 "separated": [lab for lab, s in zip(labels, separated, strict=False) if s],
                 **extra},
        _sampler={"Y": ctx.Y, "directed": ctx.directed, "observed": observed,
                  "independent": independent, "dependent": dependents},
    )


def _control(control: Mapping[str, Any] | None) -> dict:
    settings = dict(CONTROL)
    for key, value in (control or {}).items():
        if key not in CONTROL:
            raise InputError(f"control: unknown setting {key!r}; settings: {list(CONTROL)}")
        if value is not None and (not isinstance(value, int | np.integer)
                                  or isinstance(value, bool) or value < 1):
            raise InputError(f"control[{key!r}] must be a whole number >= 1, not {value!r}")
        settings[key] = value
    if settings["sample_size"] is not None and settings["sample_size"] < 10:
        raise InputError("control['sample_size'] must be at least 10")
    return settings


def _dependent(column) -> _mcmle.Dependent:
    if column.label in ("mutual", "triangle"):
        return _mcmle.Dependent(column.label)
    return _mcmle.Dependent("gwesp", float(column.decay or 0.0))
