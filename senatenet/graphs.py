"""Person, organisation and affiliation graphs built from a :class:`Survey`."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np
import pandas as pd

from .errors import InputError

if TYPE_CHECKING:
    from .survey import Survey

__all__ = ["person_graph", "org_graph", "affiliation_graph"]

SYMMETRIZE = (None, "union", "reciprocal")
MISSING = ("absent", "reconstruct", "panel")


def _relation(survey: Survey, relation: str | None) -> str | None:
    relations = survey.relations
    if relation is None:
        if len(relations) > 1:
            raise InputError(
                f"the survey has several relations {list(relations)}; choose one with "
                "relation=... (they are never merged silently)"
            )
        return relations[0] if relations else None
    if relation not in relations:
        raise InputError(f"unknown relation {relation!r}; relations: {list(relations)}")
    return relation


def _options(survey, wave, relation, min_strength, symmetrize, missing, panel_waves):
    if wave not in survey.waves:
        raise InputError(f"unknown wave {wave!r}; waves: {list(survey.waves)}")
    relation = _relation(survey, relation)
    if min_strength is not None:
        if isinstance(min_strength, bool) or not isinstance(
            min_strength, (int, float, np.integer, np.floating)
        ) or math.isnan(min_strength):
            raise InputError(f"min_strength must be a number, not {min_strength!r}")
        min_strength = float(min_strength)
    if symmetrize not in SYMMETRIZE:
        raise InputError(f"symmetrize must be one of {list(SYMMETRIZE)}, not {symmetrize!r}")
    if missing not in MISSING:
        raise InputError(f"missing must be one of {list(MISSING)}, not {missing!r}")
    if panel_waves is not None:
        if missing != "panel":
            raise InputError("panel_waves= is used only with missing='panel'")
        panel_waves = [panel_waves] if isinstance(panel_waves, str) else list(panel_waves)
        bad = [w for w in panel_waves if w not in survey.waves]
        if bad:
            raise InputError(f"unknown wave(s) {bad} in panel_waves; waves: "
                             f"{list(survey.waves)}")
    if missing == "panel" and panel_waves is None:
        panel_waves = list(survey.waves)
    return relation, min_strength, panel_waves


def _arcs(survey, wave, relation, min_strength, missing) -> pd.DataFrame:
    """Directed arcs (source, target, strength) after the missing-data policy."""
    ties = survey.ties
    sel = ties[ties["wave"].eq(wave) & ties["relation"].eq(relation)]
    arcs = pd.DataFrame({"source": sel["respondent"].to_numpy(),
                         "target": sel["alter"].to_numpy(),
                         "strength": sel["strength"].to_numpy(dtype=float)})
    if min_strength is not None:
        arcs = arcs[arcs["strength"].ge(min_strength)]
    if missing == "reconstruct":
        responded = survey.responded(wave)
        back = arcs[~arcs["target"].isin(responded)]
        back = pd.DataFrame({"source": back["target"].to_numpy(),
                             "target": back["source"].to_numpy(),
                             "strength": back["strength"].to_numpy()})
        arcs = pd.concat([arcs, back], ignore_index=True)
        arcs = arcs.drop_duplicates(["source", "target"], keep="first")  # observed first
    return arcs.reset_index(drop=True)


def _symmetrize(arcs: pd.DataFrame, how: str) -> pd.DataFrame:
    u = np.where(arcs["source"] < arcs["target"], arcs["source"], arcs["target"])
    v = np.where(arcs["source"] < arcs["target"], arcs["target"], arcs["source"])
    pairs = pd.DataFrame({"u": u, "v": v, "strength": arcs["strength"].to_numpy()})
    grouped = pairs.groupby(["u", "v"], sort=False)["strength"]
    if how == "union":
        edges = grouped.max()
    else:
        agg = grouped.agg(["min", "size"])
        edges = agg.loc[agg["size"].eq(2), "min"]
    edges = edges.rename("strength").reset_index()
    return edges.rename(columns={"u": "source", "v": "target"})


def _node_attributes(people: pd.DataFrame) -> list[tuple[str, dict]]:
    """``(person_id, attributes)`` pairs; blank (missing) roster cells set nothing."""
    attrs: list[dict] = [{} for _ in range(len(people))]
    for col in people.columns:
        values = people[col].to_numpy(dtype=object)
        present = ~pd.isna(values)
        if people[col].dtype == "boolean":
            values = [bool(v) if p else None for v, p in zip(values, present, strict=True)]
        key = str(col)
        for i in np.flatnonzero(present).tolist():
            attrs[i][key] = values[i]
    return list(zip(people.index.to_numpy(dtype=object).tolist(), attrs, strict=True))


def person_graph(
    survey: Survey,
    wave: str,
    relation: str | None = None,
    *,
    min_strength: float | None = None,
    symmetrize: str | None = None,
    missing: str = "absent",
    panel_waves: Iterable[str] | None = None,
) -> nx.DiGraph | nx.Graph:
    """The person network of one wave and one relation.

    Every roster person is a node (isolates and non-respondents included), with
    the roster attributes that are not blank (``name``, ``organisation``,
    ``role``, ...) and ``responded`` (bool: answered in this wave). An arc i→j
    means i named j; its ``strength`` is the nomination's strength.

    Parameters
    ----------
    survey : Survey
    wave : str
        One of ``survey.waves``.
    relation : str, optional
        One of ``survey.relations``; required when there are several.
    min_strength : float, optional
        Keep nominations with ``strength >= min_strength`` (applied before
        reconstruction and symmetrisation).
    symmetrize : {None, "union", "reciprocal"}
        ``None``: a directed graph. ``"union"`` (weak, OR): i–j when i→j or j→i,
        strength the max of the two directions. ``"reciprocal"`` (strong, AND):
        i–j only when both i→j and j→i, strength the min.
    missing : {"absent", "reconstruct", "panel"}
        Non-respondents' nominations are unknown. ``"absent"``: treat them as no
        ties. ``"reconstruct"``: for a non-respondent i, take i→j from an
        observed j→i with the same strength [1]_. ``"panel"``: keep only people
        who responded in every wave of ``panel_waves``; the others are removed
        and listed in ``G.graph["excluded"]``.
    panel_waves : sequence of str, optional
        Waves defining the panel (default all waves); only with ``"panel"``.

    Returns
    -------
    networkx.DiGraph or networkx.Graph
        ``G.graph`` records ``wave``, ``relation``, ``min_strength``,
        ``symmetrize``, ``missing``, ``panel_waves`` and ``excluded``
        (person ids removed by the panel policy, else empty).

    Raises
    ------
    InputError
        Unknown wave or relation, several relations and none chosen, or a bad
        option.

    References
    ----------
    .. [1] Huisman, M. (2009). Imputation of missing network data: some simple
       procedures. *Journal of Social Structure* 10(1).
    .. [2] Wasserman, S. & Faust, K. (1994). *Social Network Analysis*, §3.2
       (symmetrising directed relations). Cambridge University Press.

    Examples
    --------
    >>> import senatenet as sn
    >>> roster = pd.DataFrame({"person_id": ["a", "b", "c"], "organisation": ["X", "X", "Y"]})
    >>> ties = pd.DataFrame({"wave": ["1", "1"], "respondent": ["a", "b"],
    ...                      "alter": ["b", "c"], "strength": ["2", "3"]})
    >>> s = sn.read_survey(roster, ties, respondents=pd.DataFrame(
    ...     {"wave": ["1", "1"], "person_id": ["a", "b"]}))
    >>> sorted(person_graph(s, "1").edges(data="strength"))
    [('a', 'b', 2.0), ('b', 'c', 3.0)]
    >>> sorted(person_graph(s, "1", missing="reconstruct").edges())
    [('a', 'b'), ('b', 'c'), ('c', 'b')]
    >>> G = person_graph(s, "1", symmetrize="union", missing="panel")
    >>> sorted(G.nodes), G.graph["excluded"]
    (['a', 'b'], ['c'])
    """
    relation, min_strength, panel_waves = _options(
        survey, wave, relation, min_strength, symmetrize, missing, panel_waves
    )
    people = survey.people
    responded = survey.responded(wave)
    excluded: list[str] = []
    arcs = _arcs(survey, wave, relation, min_strength, missing)
    if missing == "panel":
        panel = set(people.index)
        for w in panel_waves:
            panel &= survey.responded(w)
        excluded = [p for p in people.index if p not in panel]
        people = people[people.index.isin(panel)]
        arcs = arcs[arcs["source"].isin(panel) & arcs["target"].isin(panel)]
    if symmetrize is None:
        G = nx.DiGraph()
    else:
        G = nx.Graph()
        arcs = _symmetrize(arcs, symmetrize)
    G.graph.update(
        wave=wave, relation=relation, min_strength=min_strength, symmetrize=symmetrize,
        missing=missing, panel_waves=tuple(panel_waves) if panel_waves else None,
        excluded=excluded,
    )
    nodes = _node_attributes(people)
    for pid, attrs in nodes:
        attrs["responded"] = pid in responded
    G.add_nodes_from(nodes)
    G.add_weighted_edges_from(
        zip(arcs["source"].to_numpy(dtype=object).tolist(),
            arcs["target"].to_numpy(dtype=object).tolist(),
            arcs["strength"].to_numpy(dtype=float).tolist(), strict=True),
        weight="strength",
    )
    return G


def org_graph(
    survey: Survey,
    wave: str,
    relation: str | None = None,
    **options,
) -> nx.Graph:
    """The organisation network: person ties counted between organisations.

    Built from ``person_graph(survey, wave, relation, **options)``. Nodes are the
    organisations (all roster organisations, roster order, so the node set is
    the same in every wave) with ``people`` (n_k, people in the person graph,
    which ``missing="panel"`` may reduce to 0), ``respondents`` (of them, who answered this wave), ``internal_ties``,
    ``internal_pairs`` and ``internal_density``. An edge k–l (k ≠ l) exists when
    at least one person tie crosses between them and carries ``ties`` (arcs in
    both directions for a directed person graph, edges when symmetrised),
    ``pairs`` and ``density = ties / pairs``.

    Densities follow UCINET's density by groups [1]_ with the diagonal excluded:
    directed, ``pairs`` is ``2 n_k n_l`` between (so the density is the mean of
    the two directional block densities ``D_kl`` and ``D_lk``) and
    ``n_k (n_k - 1)`` within; symmetrised, ``n_k n_l`` between and
    ``n_k (n_k - 1) / 2`` within. A density with no possible pairs is NaN.

    Parameters
    ----------
    survey : Survey
    wave, relation
        As for :func:`person_graph`.
    **options
        ``min_strength``, ``symmetrize``, ``missing``, ``panel_waves``.

    Returns
    -------
    networkx.Graph
        ``G.graph`` holds the person graph's options and ``level="organisation"``.

    References
    ----------
    .. [1] Borgatti, S. P., Everett, M. G. & Freeman, L. C. (2002). *UCINET for
       Windows: Software for Social Network Analysis*, Network > Cohesion >
       Density > Density by Groups. Analytic Technologies.

    Examples
    --------
    >>> import senatenet as sn
    >>> roster = pd.DataFrame({"person_id": ["a", "b", "c"], "organisation": ["X", "X", "Y"]})
    >>> ties = pd.DataFrame({"wave": ["1"] * 3, "respondent": ["a", "b", "c"],
    ...                      "alter": ["b", "c", "a"]})
    >>> OG = org_graph(sn.read_survey(roster, ties), "1")
    >>> OG.nodes["X"]["internal_density"], OG.edges["X", "Y"]["ties"], OG.edges["X", "Y"]["density"]
    (0.5, 2, 0.5)
    """
    P = person_graph(survey, wave, relation, **options)
    org = nx.get_node_attributes(P, "organisation")
    orgs = list(pd.unique(survey.people["organisation"].to_numpy(dtype=object)))
    size = pd.Series(list(org.values())).value_counts()
    resp = pd.Series([org[n] for n, r in P.nodes(data="responded") if r]).value_counts()
    directed = P.is_directed()
    within: dict[str, int] = dict.fromkeys(orgs, 0)
    between: dict[tuple[str, str], int] = {}
    index = {o: i for i, o in enumerate(orgs)}
    for u, v in P.edges():
        a, b = org[u], org[v]
        if a == b:
            within[a] += 1
        else:
            key = (a, b) if index[a] < index[b] else (b, a)
            between[key] = between.get(key, 0) + 1
    G = nx.Graph()
    G.graph.update(P.graph, level="organisation")
    for o in orgs:
        n = int(size.get(o, 0))
        pairs = n * (n - 1) if directed else n * (n - 1) // 2
        G.add_node(o, people=n, respondents=int(resp.get(o, 0)),
                   internal_ties=within[o], internal_pairs=pairs,
                   internal_density=within[o] / pairs if pairs else math.nan)
    for (a, b), t in between.items():
        pairs = int(size[a] * size[b] * (2 if directed else 1))
        G.add_edge(a, b, ties=t, pairs=pairs, density=t / pairs)
    return G


def affiliation_graph(survey: Survey) -> nx.Graph:
    """The bipartite person–organisation graph.

    Node keys are prefixed so a person and an organisation never collide:
    ``"person:<person_id>"`` (``bipartite=0``, ``kind="person"``, ``person_id``
    and the roster attributes) and ``"organisation:<name>"`` (``bipartite=1``,
    ``kind="organisation"``, ``organisation``, ``people``). Each person is joined
    to their organisation.

    References
    ----------
    .. [1] Breiger, R. L. (1974). The duality of persons and groups. *Social
       Forces* 53(2), 181–190.

    Examples
    --------
    >>> import senatenet as sn
    >>> roster = pd.DataFrame({"person_id": ["a", "b"], "organisation": ["a", "X"]})
    >>> ties = pd.DataFrame({"wave": ["1"], "respondent": ["a"], "alter": ["b"]})
    >>> B = affiliation_graph(sn.read_survey(roster, ties))
    >>> list(B["person:a"]), list(B["person:b"]), B.nodes["organisation:X"]["bipartite"]
    (['organisation:a'], ['organisation:X'], 1)
    """
    people = survey.people
    G = nx.Graph()
    G.graph["level"] = "affiliation"
    counts = people["organisation"].value_counts()
    for o in dict.fromkeys(people["organisation"]):
        G.add_node(f"organisation:{o}", bipartite=1, kind="organisation",
                   organisation=o, people=int(counts[o]))
    for pid, attrs in _node_attributes(people):
        G.add_node(f"person:{pid}", bipartite=0, kind="person", person_id=pid, **attrs)
        G.add_edge(f"person:{pid}", f"organisation:{attrs['organisation']}")
    return G
