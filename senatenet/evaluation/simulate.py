"""A small, documented simulator of a two-wave roster survey, used for power
(:func:`senatenet.minimum_detectable_effect`) and for the calibration tests.

The model is dyad-independent on purpose (it is the simplest model under which
the estimands have a known true value):

1. **Before.** Each unordered pair is tied with probability ``baseline_within``
   (same organisation) or ``baseline_cross`` (different organisations).
2. **After.** A tie persists with probability ``persistence``; an untied pair
   forms a tie with probability ``formation_within`` or ``formation_cross``,
   plus ``effect`` when the pair is *exposed*: every cross-organisation pair of
   a programme cohort, or of two participants in a mixed roster. ``fixed=True``
   copies the first wave instead (no change at all).
3. **Reports.** Each side of a tie names the other with probability
   ``reporting`` (so reports are not always reciprocated).
4. **Non-response.** In each wave a share ``1 - response`` of people do not
   answer (their nominations are lost; others can still name them). With
   ``selective=True`` the baseline non-respondents are the people with the most
   cross-organisation ties, the pattern that fakes an increase.

Without ``effect`` the expected formation rate is the same in every group, so
any "programme effect" claim is a false positive; with it, the true formation
difference between exposed and unexposed cross-organisation pairs is
``effect``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import InputError
from ._arrays import CohortArrays

__all__ = ["simulate_panel"]


def _sizes(organisations) -> list[int]:
    try:
        sizes = [int(s) for s in organisations]
    except (TypeError, ValueError):
        raise InputError(f"organisations must be a list of sizes, got {organisations!r}") from None
    if len(sizes) < 2 or min(sizes) < 1:
        raise InputError("at least two organisations of at least one person are needed")
    return sizes


def _draw(rng, sizes, *, participants, baseline_within, baseline_cross, persistence,
          formation_within, formation_cross, effect, reporting, response, selective,
          fixed, programme):
    org = np.repeat(np.arange(len(sizes)), sizes)
    n = len(org)
    if participants is None:
        part = np.full(n, bool(programme))
    else:
        part = np.zeros(n, dtype=bool)
        for g in range(len(sizes)):  # a share of each organisation takes part
            idx = np.flatnonzero(org == g)
            k = int(round(participants * len(idx)))
            part[rng.permutation(idx)[:k]] = True
    same = org[:, None] == org[None, :]
    iu = np.triu_indices(n, k=1)
    s = same[iu]
    y0 = rng.random(len(s)) < np.where(s, baseline_within, baseline_cross)
    if fixed:
        y1 = y0.copy()
    else:
        exposed = ~s & (part[iu[0]] & part[iu[1]] if participants is not None
                        else np.full(len(s), bool(programme)))
        form = np.where(s, formation_within, formation_cross) + effect * exposed
        u = rng.random(len(s))
        y1 = np.where(y0, u < persistence, u < np.clip(form, 0, 1))

    def nominations(y):
        A = np.zeros((n, n))
        A[iu] = y
        A = A + A.T
        return A * (rng.random((n, n)) < reporting)

    X0, X1 = nominations(y0), nominations(y1)
    r = []
    for wave, rate in enumerate(response):
        k = int(round((1 - rate) * n))
        if wave == 0 and selective:
            A = np.zeros((n, n))
            A[iu] = y0 & ~s
            A = A + A.T
            order = np.lexsort((rng.random(n), -A.sum(axis=1)))
        else:
            order = rng.permutation(n)
        resp = np.ones(n, dtype=bool)
        resp[order[:k]] = False
        r.append(resp)
    X0[~r[0]] = 0.0
    X1[~r[1]] = 0.0
    return org, part, X0, X1, r[0], r[1]


def simulate_arrays(rng, organisations, *, symmetrize="union", **model) -> CohortArrays:
    """One simulated cohort as :class:`CohortArrays` (the fast path for power)."""
    sizes = _sizes(organisations)
    org, part, X0, X1, r0, r1 = _draw(rng, sizes, **_model(model))
    return CohortArrays(ids=tuple(range(len(org))), org=org,
                        org_labels=tuple(range(len(sizes))), participant=part, X0=X0,
                        X1=X1, responded0=r0, responded1=r1, symmetrize=symmetrize)


def _model(model: dict) -> dict:
    out = dict(participants=None, baseline_within=0.6, baseline_cross=0.05, persistence=0.85,
               formation_within=0.3, formation_cross=0.01, effect=0.0, reporting=0.9,
               response=(0.9, 0.9), selective=False, fixed=False, programme=True)
    unknown = set(model) - set(out)
    if unknown:
        raise InputError(f"unknown simulation settings {sorted(unknown)}")
    out.update(model)
    for key in ("baseline_within", "baseline_cross", "persistence", "formation_within",
                "formation_cross", "reporting"):
        if not 0 <= float(out[key]) <= 1:
            raise InputError(f"{key} must be a probability, got {out[key]!r}")
    if not -1 <= float(out["effect"]) <= 1:
        raise InputError(f"effect must be between -1 and 1, got {out['effect']!r}")
    if out["participants"] is not None and not 0 < out["participants"] < 1:
        raise InputError("participants must be a share strictly between 0 and 1")
    response = out["response"]
    response = (response, response) if np.isscalar(response) else tuple(response)
    if len(response) != 2 or not all(0 < float(x) <= 1 for x in response):
        raise InputError(f"response must be one rate or two rates in (0, 1], got {response!r}")
    out["response"] = response
    return out


def simulate_panel(
    organisations: Sequence[int],
    *,
    seed: int = 0,
    prefix: str = "P",
    participants: float | None = None,
    programme: bool = True,
    baseline_within: float = 0.6,
    baseline_cross: float = 0.05,
    persistence: float = 0.85,
    formation_within: float = 0.3,
    formation_cross: float = 0.01,
    effect: float = 0.0,
    reporting: float = 0.9,
    response: float | tuple[float, float] = (0.9, 0.9),
    selective: bool = False,
    fixed: bool = False,
) -> dict[str, pd.DataFrame]:
    """Simulate a two-wave roster survey with a known programme effect.

    The model is described in the module docstring: dyad-independent ties,
    persistence and formation by pair type, an ``effect`` added to the
    formation probability of exposed cross-organisation pairs, imperfect
    reporting and (optionally selective) non-response.

    Parameters
    ----------
    organisations : sequence of int
        People per organisation.
    seed : int
        Seed of ``numpy.random.default_rng``.
    prefix : str
        Person ids are ``prefix`` + number, organisations ``Org 1``, ``Org 2``...
    participants : float, optional
        Share of each organisation taking part (a mixed roster); None makes
        everyone ``participant = programme``.
    programme : bool
        Whether the cohort is exposed (ignored when ``participants`` is set).
    baseline_within, baseline_cross, persistence, formation_within,
    formation_cross, effect, reporting : float
        Probabilities of the model (``effect`` may be negative).
    response : float or (float, float)
        Response rate per wave.
    selective : bool
        Baseline non-respondents are the most cross-connected people.
    fixed : bool
        The second wave's relationships are the first wave's.

    Returns
    -------
    dict of DataFrame
        ``roster`` (``person_id, organisation, participant``), ``ties`` (``wave``
        in ``before``/``after``, ``respondent``, ``alter``, ``relation`` =
        ``tie``, ``strength`` = 3) and ``respondents``, ready for
        :class:`senatenet.Survey`.

    References
    ----------
    .. [1] Stadtfeld, C., Snijders, T. A. B., Steglich, C. & van Duijn, M.
       (2020). Statistical power in longitudinal network studies. *Sociological
       Methods & Research* 49(4), 1103-1132.

    Examples
    --------
    >>> tables = simulate_panel([5, 5, 5], seed=1, effect=0.2)
    >>> len(tables["roster"]), sorted(tables["ties"]["wave"].unique())
    (15, ['after', 'before'])
    """
    sizes = _sizes(organisations)
    model = _model(dict(participants=participants, programme=programme,
                        baseline_within=baseline_within, baseline_cross=baseline_cross,
                        persistence=persistence, formation_within=formation_within,
                        formation_cross=formation_cross, effect=effect, reporting=reporting,
                        response=response, selective=selective, fixed=fixed))
    rng = np.random.default_rng(int(seed))
    org, part, X0, X1, r0, r1 = _draw(rng, sizes, **model)
    n = len(org)
    width = max(2, len(str(n)))
    ids = [f"{prefix}{i + 1:0{width}d}" for i in range(n)]
    roster = pd.DataFrame({"person_id": ids,
                           "organisation": [f"Org {g + 1}" for g in org],
                           "participant": part})
    rows = []
    for wave, X in (("before", X0), ("after", X1)):
        a, b = np.nonzero(X)
        rows += [(wave, ids[i], ids[j], "tie", 3) for i, j in zip(a, b, strict=True)]
    ties = pd.DataFrame(rows, columns=["wave", "respondent", "alter", "relation", "strength"])
    respondents = pd.DataFrame(
        [(w, ids[i]) for w, r in (("before", r0), ("after", r1)) for i in np.flatnonzero(r)],
        columns=["wave", "person_id"])
    return {"roster": roster, "ties": ties, "respondents": respondents}
