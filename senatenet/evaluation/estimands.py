"""Estimands of cross-boundary tie change: formation, persistence, net change and
the mixing log odds ratio, for one cohort, two cohorts or dyad types.

Every estimand here is a ratio of sums over dyads (pairs of people), which is
what lets :mod:`senatenet.evaluation.intervals` delete one person at a time
(the person-level jackknife) without rebuilding any graph. The public functions
take networkx graphs; :func:`senatenet.evaluate` uses the same kernels on
arrays.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from ..compare._jackknife import log_odds_ratio, total
from ..errors import InputError

__all__ = [
    "ESTIMANDS",
    "cross_boundary_formation",
    "cross_boundary_persistence",
    "cross_boundary_change",
    "mixing_log_odds_ratio",
    "participant_formation",
]

#: The estimands :func:`senatenet.evaluate` reports, and which may be primary.
ESTIMANDS = {
    "cross_boundary_formation": "share of cross-organisation pairs not tied before "
                                "that are tied after",
    "cross_boundary_persistence": "share of cross-organisation ties before that are "
                                  "still there after",
    "cross_boundary_change": "net change in the share of cross-organisation pairs "
                             "that are tied (after minus before)",
    "mixing_log_odds_ratio": "log odds ratio of a tie within versus between "
                             "organisations (positive = organisation-bound)",
}


# ------------------------------------------------------------------ kernels
def ratio(num, den):
    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def k_formation(A0, A1, M, red):
    """Share of dyads in ``M`` untied in ``A0`` that are tied in ``A1``."""
    return ratio(red(M * (1 - A0) * A1), red(M * (1 - A0)))


def k_persistence(A0, A1, M, red):
    """Share of dyads in ``M`` tied in ``A0`` that are still tied in ``A1``."""
    return ratio(red(M * A0 * A1), red(M * A0))


def k_change(A0, A1, M, red):
    """Density of ``A1`` minus density of ``A0`` over the dyads in ``M``."""
    return ratio(red(M * (A1 - A0)), red(M))


def k_log_odds_ratio(A, W, B, red):
    """log[(a d) / (b c)]: a, b tied / untied within (``W``), c, d between (``B``).

    Haldane-Anscombe: 0.5 is added to every cell when any cell is 0.
    """
    a, b = red(W * A), red(W * (1 - A))
    c, d = red(B * A), red(B * (1 - A))
    ok = (np.asarray(red(W)) > 0) & (np.asarray(red(B)) > 0)
    return log_odds_ratio(a, b, c, d, ok)


KERNELS = {
    "cross_boundary_formation": k_formation,
    "cross_boundary_persistence": k_persistence,
    "cross_boundary_change": k_change,
}


# ------------------------------------------------------------------ graphs
def _arrays(G0, G1, group):
    nodes = list(G0)
    if G1 is not None and set(G1) != set(nodes):
        raise InputError("the two waves must be on the same people")
    labels = []
    for v in nodes:
        value = G0.nodes[v].get(group)
        if value is None or value != value:
            raise InputError(f"person {v!r} has no {group!r} value", column=group)
        labels.append(str(value))
    lab = np.array(labels, dtype=object)
    off = ~np.eye(len(nodes), dtype=bool)
    same = lab[:, None] == lab[None, :]
    directed = G0.is_directed()

    def matrix(G):
        A = nx.to_numpy_array(G, nodelist=nodes, weight=None)
        np.fill_diagonal(A, 0.0)
        return A

    A0 = matrix(G0)
    A1 = matrix(G1) if G1 is not None else None
    scale = 1.0 if directed else 0.5
    return nodes, A0, A1, (off & ~same).astype(float), (off & same).astype(float), scale


def cross_boundary_formation(G_before: nx.Graph, G_after: nx.Graph,
                             group: str = "organisation") -> float:
    """Share of cross-organisation dyads not tied before that are tied after.

    With :math:`Y^t_{ij}` the tie indicator at wave t and :math:`x_{ij} = 1`
    when i and j are in different organisations,

    .. math:: F = \\frac{\\sum x_{ij}(1 - Y^0_{ij}) Y^1_{ij}}{\\sum x_{ij}(1 - Y^0_{ij})},

    summed over ordered pairs for directed graphs and over unordered pairs for
    undirected ones. It is the pair-level formation rate ("pairs at risk") of
    the tie-change literature: unlike the E-I index it does not move when the
    number of within-organisation ties changes, and, compared between a
    programme and a comparison group, it is a difference in differences at the
    level of pairs at risk.

    Parameters
    ----------
    G_before, G_after : networkx graph
        The same people in both waves; nodes carry ``group``.
    group : str
        Node attribute naming the organisation.

    Returns
    -------
    float
        NaN when no cross-organisation pair was untied before.

    References
    ----------
    .. [1] Snijders, T. A. B., van de Bunt, G. G. & Steglich, C. E. G. (2010).
       Introduction to stochastic actor-based models for network dynamics.
       *Social Networks* 32(1), 44-60 (tie creation versus maintenance).
    .. [2] Krivitsky, P. N. & Handcock, M. S. (2014). A separable model for
       dynamic networks. *JRSS B* 76(1), 29-46 (formation and dissolution).

    Examples
    --------
    >>> import networkx as nx
    >>> G0 = nx.Graph([(0, 1), (2, 3)]); G0.add_nodes_from(range(4))
    >>> G1 = nx.Graph([(0, 1), (2, 3), (1, 2)]); G1.add_nodes_from(range(4))
    >>> for G in (G0, G1):
    ...     nx.set_node_attributes(G, dict(zip(range(4), "AABB")), "organisation")
    >>> cross_boundary_formation(G0, G1)  # 1 of the 4 cross pairs formed
    0.25
    """
    _, A0, A1, cross, _, scale = _arrays(G_before, G_after, group)
    return float(k_formation(A0, A1, cross, lambda Q: total(Q, scale)))


def cross_boundary_persistence(G_before: nx.Graph, G_after: nx.Graph,
                               group: str = "organisation") -> float:
    """Share of cross-organisation ties before that are still there after.

    .. math:: P = \\frac{\\sum x_{ij} Y^0_{ij} Y^1_{ij}}{\\sum x_{ij} Y^0_{ij}}

    This is retention, not the Jaccard index (which divides by the ties in
    either wave and so falls whenever many ties are new).

    Parameters
    ----------
    G_before, G_after : networkx graph
    group : str

    Returns
    -------
    float
        NaN when there was no cross-organisation tie before.

    References
    ----------
    .. [1] Krivitsky, P. N. & Handcock, M. S. (2014). A separable model for
       dynamic networks. *JRSS B* 76(1), 29-46.
    .. [2] Boda, Z., Elmer, T., Vörös, A. & Stadtfeld, C. (2020). Short-term
       and long-term effects of a social network intervention on friendships
       among university students. *Scientific Reports* 10, 2889.

    Examples
    --------
    >>> import networkx as nx
    >>> G0 = nx.Graph([(0, 2), (1, 3)]); G1 = nx.Graph([(0, 2)]); G1.add_nodes_from(range(4))
    >>> for G in (G0, G1):
    ...     nx.set_node_attributes(G, dict(zip(range(4), "AABB")), "organisation")
    >>> cross_boundary_persistence(G0, G1)
    0.5
    """
    _, A0, A1, cross, _, scale = _arrays(G_before, G_after, group)
    return float(k_persistence(A0, A1, cross, lambda Q: total(Q, scale)))


def cross_boundary_change(G_before: nx.Graph, G_after: nx.Graph,
                          group: str = "organisation") -> float:
    """Net change in cross-organisation density: tied share after minus before.

    .. math:: \\Delta = \\frac{\\sum x_{ij} (Y^1_{ij} - Y^0_{ij})}{\\sum x_{ij}}

    It equals formation among pairs untied before minus loss among pairs tied
    before, each weighted by its share of pairs. With one cohort only this is
    the quantity whose zero means "no change" (reporting noise alone forms and
    dissolves ties, so a formation rate has no zero point).

    Parameters
    ----------
    G_before, G_after : networkx graph
    group : str

    Returns
    -------
    float

    References
    ----------
    .. [1] Wasserman, S. & Faust, K. (1994). *Social Network Analysis*, §4.5
       (density) and §8.2 (densities of blocks). Cambridge University Press.

    Examples
    --------
    >>> import networkx as nx
    >>> G0 = nx.Graph(); G0.add_nodes_from(range(4))
    >>> G1 = nx.Graph([(0, 2)]); G1.add_nodes_from(range(4))
    >>> for G in (G0, G1):
    ...     nx.set_node_attributes(G, dict(zip(range(4), "AABB")), "organisation")
    >>> cross_boundary_change(G0, G1)
    0.25
    """
    _, A0, A1, cross, _, scale = _arrays(G_before, G_after, group)
    return float(k_change(A0, A1, cross, lambda Q: total(Q, scale)))


def mixing_log_odds_ratio(G: nx.Graph, group: str = "organisation") -> float:
    """Log odds ratio of a tie within versus between organisations.

    With a, b the tied and untied pairs within organisations and c, d those
    between, :math:`\\log\\frac{a d}{b c}` (0.5 is added to every cell when one
    is empty; Haldane-Anscombe). It is the ``orwg`` segregation index of
    Bojanowski & Corten (2014) and Moody's (2001) odds-ratio view of homophily:
    it compares the *chance* of a tie inside and across organisations, so it
    does not move when ties simply become more numerous at unchanged
    preferences, which E-I does when within-organisation pairs are nearly all
    tied.

    Parameters
    ----------
    G : networkx graph
    group : str

    Returns
    -------
    float
        Positive when ties are more likely inside organisations; NaN without
        both kinds of pair.

    References
    ----------
    .. [1] Moody, J. (2001). Race, school integration, and friendship
       segregation in America. *American Journal of Sociology* 107(3), 679-716.
    .. [2] Bojanowski, M. & Corten, R. (2014). Measuring segregation in social
       networks. *Social Networks* 39, 14-32.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([(0, 1), (2, 3), (1, 2)])
    >>> nx.set_node_attributes(G, dict(zip(range(4), "AABB")), "organisation")
    >>> round(mixing_log_odds_ratio(G), 3)  # log(2.5 * 3.5 / (0.5 * 1.5))
    2.457
    """
    _, A, _, cross, within, scale = _arrays(G, None, group)
    return float(k_log_odds_ratio(A, within, cross, lambda Q: total(Q, scale)))


PAIR_TYPES = ("participant-participant", "non-participant-non-participant",
              "participant-non-participant")


def pair_groups(participant: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Dyad masks (participant pairs, non-participant pairs, mixed pairs) from 0/1
    participation labels; works on batches of labels (last axis = people)."""
    p = np.asarray(participant, dtype=float)
    q = 1.0 - p
    pp = p[..., :, None] * p[..., None, :]
    nn = q[..., :, None] * q[..., None, :]
    return pp, nn, 1.0 - pp - nn


def pair_masks(participant: np.ndarray, cross: np.ndarray) -> dict[str, np.ndarray]:
    """Cross-organisation dyad masks by participation (works on label batches)."""
    return {name: M * cross for name, M in zip(PAIR_TYPES, pair_groups(participant),
                                               strict=True)}


def participant_formation(G_before: nx.Graph, G_after: nx.Graph,
                          group: str = "organisation",
                          participant: str = "participant") -> pd.DataFrame:
    """Cross-organisation formation by pair type: participants, non-participants
    and mixed pairs (spillover).

    For a roster mixing programme participants and non-participants, the
    formation rate of :func:`cross_boundary_formation` is computed separately
    for cross-organisation pairs of two participants, of two non-participants,
    and of one of each. Participant minus non-participant formation removes
    change common to everyone in the same organisations and period; mixed
    pairs show spillover (Aronow & Samii 2017 call such effects exposure
    through the network).

    Parameters
    ----------
    G_before, G_after : networkx graph
    group : str
    participant : str
        Boolean node attribute; every person needs one.

    Returns
    -------
    pandas.DataFrame
        Index ``pair_type`` (participant-participant,
        non-participant-non-participant, participant-non-participant);
        columns ``formation`` and ``at_risk`` (pairs untied before).

    References
    ----------
    .. [1] Aronow, P. M. & Samii, C. (2017). Estimating average causal effects
       under general interference. *Annals of Applied Statistics* 11(4),
       1912-1947.

    Examples
    --------
    >>> import networkx as nx
    >>> G0 = nx.Graph(); G0.add_nodes_from(range(4))
    >>> G1 = nx.Graph([(0, 1)]); G1.add_nodes_from(range(4))
    >>> for G in (G0, G1):
    ...     nx.set_node_attributes(G, dict(zip(range(4), "ABAB")), "organisation")
    ...     nx.set_node_attributes(G, dict(zip(range(4), [True, True, False, False])),
    ...                            "participant")
    >>> participant_formation(G0, G1)["formation"].tolist()
    [1.0, 0.0, 0.0]
    """
    nodes, A0, A1, cross, _, scale = _arrays(G_before, G_after, group)
    flags = []
    for v in nodes:
        value = G_before.nodes[v].get(participant)
        if value is None or value != value:
            raise InputError(f"person {v!r} has no {participant!r} value",
                             column=participant)
        flags.append(bool(value))
    red = lambda Q: total(Q, scale)  # noqa: E731
    rows = []
    for name, M in pair_masks(np.array(flags), cross).items():
        rows.append({"pair_type": name, "formation": float(k_formation(A0, A1, M, red)),
                     "at_risk": float(red(M * (1 - A0)))})
    return pd.DataFrame(rows).set_index("pair_type")
