"""Goodness-of-fit figure for fitted network models."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_gof"]

_TITLES = {"indegree": "Indegree", "outdegree": "Outdegree",
           "esp": "Edgewise shared partners", "distance": "Geodesic distance"}


def plot_gof(gof, statistic: str = "indegree", *, ax: Axes | None = None) -> Axes:
    """Observed vs simulated distribution of one goodness-of-fit statistic.

    The grey band is the middle 95% of the simulated networks, the grey line
    their mean and the black dots (joined) the observed network, as in R
    ergm's ``plot(gof(...))`` (Hunter, Goodreau & Handcock 2008).

    Parameters
    ----------
    gof : GOFResult
        From :func:`senatenet.gof`.
    statistic : {"indegree", "outdegree", "esp", "distance"}
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    References
    ----------
    .. [1] Hunter, D. R., Goodreau, S. M. & Handcock, M. S. (2008).
       Goodness of fit of social network models. *Journal of the American
       Statistical Association* 103(481), 248-258.

    Examples
    --------
    >>> import senatenet as sn
    >>> survey = sn.load_sample()
    >>> fit = sn.gof(sn.tie_change_model(survey, "pre", "post", spec="advice"), n_sim=10)
    >>> ax = plot_gof(fit, "outdegree")
    >>> ax.get_title()
    'Outdegree'
    """
    import matplotlib.pyplot as plt

    from ..errors import InputError

    if statistic not in _TITLES:
        raise InputError(f"statistic must be one of {list(_TITLES)}, not {statistic!r}")
    t = gof.table[gof.table["statistic"] == statistic]
    used = (t["observed"] > 0) | (t["sim_high"] > 0)
    last = int(np.flatnonzero(used.to_numpy())[-1]) + 1 if used.any() else len(t)
    t = t.iloc[: max(last, 2)]
    x = np.arange(len(t))
    labels = ["NR" if not np.isfinite(v) else str(int(v)) for v in t["value"]]
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 3.2))
    ax.fill_between(x, t["sim_low"], t["sim_high"], color="#d0d0d0", step=None,
                    label="simulated, middle 95%")
    ax.plot(x, t["sim_mean"], color="#7a7a7a", lw=1.5, label="simulated mean")
    ax.plot(x, t["observed"], color="black", marker="o", ms=4, lw=1, label="observed")
    step = max(1, len(x) // 12)
    ax.set_xticks(x[::step])
    ax.set_xticklabels(labels[::step])
    ax.set_title(_TITLES[statistic])
    ax.set_xlabel("value (NR = not reachable)" if statistic == "distance" else "value")
    ax.set_ylabel("ordered pairs" if statistic == "distance" else
                  "ties" if statistic == "esp" else "people")
    ax.legend(frameon=False, fontsize=8)
    return ax
