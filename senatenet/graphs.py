"""Person, organisation and affiliation graphs built from a :class:`Survey`."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any, Protocol

import networkx as nx
import numpy as np
import pandas as pd

from .errors import InputError
from .spec import MISSING, SYMMETRIZE, TieSpec  # noqa: F401 (re-exported)

__all__ = ["person_graph", "org_graph", "affiliation_graph"]


class Survey(Protocol):
    """What the graph builders read from a :class:`senatenet.Survey` (no import
    of survey.py here, so that graphs.py stays below it)."""

    _people: pd.DataFrame
    _ties: pd.DataFrame

    @property
    def people(self) -> pd.DataFrame: ...
    @property
    def waves(self) -> tuple[str, ...]: ...
    @property
    def relations(self) -> tuple[str, ...]: ...
    def responded(self, wave: str) -> frozenset[str]: ...
    def members(self, wave: str) -> frozenset[str]: ...


def tie_spec(relation: str | TieSpec | None = None, spec: TieSpec | None = None,
             **options: Any) -> TieSpec:
    """One :class:`TieSpec` from a spec and/or the keyword options (private helper).

    ``relation`` may itself be a ``TieSpec`` (``person_graph(wave, spec)``);
    keywords other than their defaults override the spec's fields.
    """
    if isinstance(relation, TieSpec):
        if spec is not None and spec != relation:
            raise InputError("give the TieSpec once (as relation or as spec=), not both")
        spec, relation = relation, None
    return TieSpec.make(spec, relation=relation, **options)


def _relation(survey: Survey, relation: str | None) -> str | None:
    relations = survey.relations
    if relation is not None and not isinstance(relation, str):
        relation = TieSpec(relation=relation).relation  # one name, or a clear error
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


def _changes_membership(survey) -> bool:
    """Whether the roster gives membership columns (then graphs record it)."""
    return any(c in survey._people.columns for c in ("first_wave", "last_wave"))


def _members_of(survey, wave, members_of) -> tuple[str, ...]:
    """The waves whose membership defines the node set (default: ``wave``)."""
    if members_of is None:
        return (wave,)
    members_of = [members_of] if isinstance(members_of, str) else list(members_of)
    bad = [w for w in members_of if w not in survey.waves]
    if bad:
        raise InputError(f"unknown wave(s) {bad} in members_of; waves: {list(survey.waves)}")
    return tuple(members_of)


def _options(survey, wave, spec: TieSpec):
    """Check ``spec`` against ``survey``: (relation, min_strength, panel_waves)."""
    if wave not in survey.waves:
        raise InputError(f"unknown wave {wave!r}; waves: {list(survey.waves)}")
    relation = _relation(survey, spec.relation)
    panel_waves = spec.panel_waves
    if panel_waves is not None:
        bad = [w for w in panel_waves if w not in survey.waves]
        if bad:
            raise InputError(f"unknown wave(s) {bad} in panel_waves; waves: "
                             f"{list(survey.waves)}")
        panel_waves = list(panel_waves)
    if spec.missing == "panel" and panel_waves is None:
        panel_waves = list(survey.waves)
    return relation, spec.min_strength, panel_waves


def _network(survey, wave, relation, min_strength, symmetrize, missing, panel_waves,
             members_of=None):
    """The person network as arrays, before any networkx object is made.

    Returns ``keep`` (bool per roster person), ``responded`` (bool per roster
    person, this wave), ``member`` (bool per roster person: a member in every
    wave of ``members_of``) and ``edges``: a DataFrame of roster positions
    ``u``, ``v`` and ``strength`` (arcs u->v, or edges u < v when symmetrised).
    """
    ids = survey._people.index
    n = len(ids)
    ties = survey._ties
    sel = ties[ties["wave"].eq(wave).to_numpy() & ties["relation"].eq(relation).to_numpy()]
    u = ids.get_indexer(sel["respondent"]).astype(np.int64)
    v = ids.get_indexer(sel["alter"]).astype(np.int64)
    w = sel["strength"].to_numpy(dtype=float)
    if min_strength is not None:
        ok = w >= min_strength
        u, v, w = u[ok], v[ok], w[ok]
    responded = ids.isin(list(survey.responded(wave)))
    if missing == "reconstruct":
        back = ~responded[v]  # j named a non-respondent i: add i -> j
        u, v, w = (np.concatenate([u, v[back]]), np.concatenate([v, u[back]]),
                   np.concatenate([w, w[back]]))
        first = ~pd.Series(u * n + v).duplicated(keep="first").to_numpy()  # observed first
        u, v, w = u[first], v[first], w[first]
    member = np.ones(n, dtype=bool)
    for wv in (wave,) if members_of is None else members_of:
        member &= ids.isin(list(survey.members(wv)))
    keep = np.ones(n, dtype=bool)
    if missing == "panel":
        for wv in panel_waves:
            keep &= ids.isin(list(survey.responded(wv)))
    keep &= member
    if not keep.all():  # ties of people left out are structurally absent
        ok = keep[u] & keep[v]
        u, v, w = u[ok], v[ok], w[ok]
    edges = pd.DataFrame({"u": u, "v": v, "strength": w})
    if symmetrize is not None:
        lo, hi = np.minimum(u, v), np.maximum(u, v)
        grouped = pd.DataFrame({"u": lo, "v": hi, "strength": w}).groupby(
            lo * n + hi, sort=False)
        if symmetrize == "union":
            edges = grouped.agg(u=("u", "first"), v=("v", "first"), strength=("strength", "max"))
        else:
            agg = grouped.agg(u=("u", "first"), v=("v", "first"),
                              strength=("strength", "min"), k=("strength", "size"))
            edges = agg[agg["k"].eq(2)].drop(columns="k")
    return keep, responded, member, edges.reset_index(drop=True)


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
    relation: str | TieSpec | None = None,
    *,
    min_strength: float | None = None,
    symmetrize: str | None = None,
    missing: str = "absent",
    panel_waves: Iterable[str] | None = None,
    spec: TieSpec | None = None,
    members_of: Iterable[str] | None = None,
) -> nx.DiGraph | nx.Graph:
    """The person network of one wave and one relation.

    Every roster person who is a member in the wave (see
    :meth:`Survey.members`; everyone when the roster has no ``first_wave`` /
    ``last_wave``) is a node (isolates and non-respondents included), with
    the roster attributes that are not blank (``name``, ``organisation``,
    ``role``, ...) and ``responded`` (bool: answered in this wave). An arc i→j
    means i named j; its ``strength`` is the nomination's strength.

    Parameters
    ----------
    survey : Survey
    wave : str
        One of ``survey.waves``.
    relation : str or TieSpec, optional
        One of ``survey.relations``; required when there are several. A
        :class:`TieSpec` here (``person_graph(survey, wave, spec)``) gives every
        option at once.
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
    spec : TieSpec, optional
        All of the above as one value; keywords given as well override it.
    members_of : sequence of str, optional
        Keep only people who are members in every one of these waves (default:
        ``(wave,)``). A comparison of two waves passes both, so a pair
        involving someone who joined or left is structurally absent in both
        graphs, never counted as a new or lost tie [3]_.

    Returns
    -------
    networkx.DiGraph or networkx.Graph
        ``G.graph`` records ``wave``, ``relation``, ``min_strength``,
        ``symmetrize``, ``missing``, ``panel_waves``, ``excluded`` (person ids
        removed by the panel policy, else empty) and, when the roster has
        membership columns, ``members_of`` and ``non_members`` (person ids left
        out as not members).

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
    .. [3] Huisman, M. & Snijders, T. A. B. (2003). Statistical analysis of
       longitudinal network data with changing composition. *Sociological
       Methods & Research* 32(2), 253–287.

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
    spec = tie_spec(relation, spec, min_strength=min_strength, symmetrize=symmetrize,
                    missing=missing, panel_waves=panel_waves)
    symmetrize, missing = spec.symmetrize, spec.missing
    relation, min_strength, panel_waves = _options(survey, wave, spec)
    members_of = _members_of(survey, wave, members_of)
    keep, responded, member, edges = _network(
        survey, wave, relation, min_strength, symmetrize, missing, panel_waves, members_of)
    people = survey.people
    ids = people.index.to_numpy(dtype=object)
    G = nx.DiGraph() if symmetrize is None else nx.Graph()
    G.graph.update(
        wave=wave, relation=relation, min_strength=min_strength, symmetrize=symmetrize,
        missing=missing, panel_waves=tuple(panel_waves) if panel_waves else None,
        excluded=ids[~keep & member].tolist(),
    )
    if _changes_membership(survey):
        G.graph.update(members_of=members_of, non_members=ids[~member].tolist())
    nodes = _node_attributes(people[keep])
    for (_, attrs), r in zip(nodes, responded[keep].tolist(), strict=True):
        attrs["responded"] = r
    G.add_nodes_from(nodes)
    G.add_weighted_edges_from(
        zip(ids[edges["u"].to_numpy()].tolist(), ids[edges["v"].to_numpy()].tolist(),
            edges["strength"].to_numpy(dtype=float).tolist(), strict=True),
        weight="strength",
    )
    return G


def nomination_matrix(survey: Survey, wave: str, relation: str | None = None, *,
                      min_strength: float | None = None, missing: str = "absent",
                      members_of: Iterable[str] | None = None):
    """``(ids, X)``: the nodes of the directed :func:`person_graph` with these
    options (roster order) and its 0/1 adjacency matrix (``X[i, j] = 1`` when
    i named j, zero diagonal), made from the same arrays without building the
    graph (a private helper of the evaluation; ``missing`` is ``"absent"`` or
    ``"reconstruct"``)."""
    spec = tie_spec(relation, None, min_strength=min_strength, symmetrize=None,
                    missing=missing)
    relation, min_strength, panel_waves = _options(survey, wave, spec)
    members_of = _members_of(survey, wave, members_of)
    keep, _, _, edges = _network(survey, wave, relation, min_strength, None,
                                 spec.missing, panel_waves, members_of)
    kept = np.flatnonzero(keep)
    where = np.full(len(keep), -1, dtype=np.int64)
    where[kept] = np.arange(len(kept))
    X = np.zeros((len(kept), len(kept)))
    X[where[edges["u"].to_numpy()], where[edges["v"].to_numpy()]] = 1.0
    np.fill_diagonal(X, 0.0)
    return survey.people.index[kept], X


def org_graph(
    survey: Survey,
    wave: str,
    relation: str | TieSpec | None = None,
    *,
    spec: TieSpec | None = None,
    **options: Any,
) -> nx.Graph:
    """The organisation network: person ties counted between organisations.

    Counts the ties of ``person_graph(survey, wave, relation, **options)``
    (computed directly, without building that graph). Nodes are all roster
    organisations in roster order, so the node set is the same in every wave,
    with ``people`` (n_k, people in the person graph, which
    ``missing="panel"`` may reduce to 0), ``respondents`` (of them, who answered
    this wave), ``internal_ties``, ``internal_pairs`` and ``internal_density``. An edge k–l (k ≠ l) exists when
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
    spec : TieSpec, optional
        The tie options as one value (or pass it as ``relation``).
    **options
        ``min_strength``, ``symmetrize``, ``missing``, ``panel_waves``,
        ``members_of``. Only members count in ``people`` and the densities.

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
    unknown = set(options) - {"min_strength", "symmetrize", "missing", "panel_waves",
                              "members_of"}
    if unknown:
        raise InputError(f"unknown option(s) {sorted(unknown)} for org_graph")
    members_of = _members_of(survey, wave, options.pop("members_of", None))
    spec = tie_spec(relation, spec, **options)
    opts = {"symmetrize": spec.symmetrize, "missing": spec.missing}
    relation, min_strength, panel_waves = _options(survey, wave, spec)
    keep, responded, member, edges = _network(
        survey, wave, relation, min_strength, opts["symmetrize"], opts["missing"],
        panel_waves, members_of)
    code, orgs = pd.factorize(survey._people["organisation"].to_numpy(dtype=object))
    k = len(orgs)
    size = np.bincount(code[keep], minlength=k)
    resp = np.bincount(code[keep & responded], minlength=k)
    a, b = code[edges["u"].to_numpy()], code[edges["v"].to_numpy()]
    within = np.bincount(a[a == b], minlength=k)
    lo, hi = np.minimum(a, b)[a != b], np.maximum(a, b)[a != b]
    between = pd.Series(lo * k + hi).value_counts(sort=False)
    directed = opts["symmetrize"] is None
    G = nx.Graph()
    G.graph.update(
        wave=wave, relation=relation, min_strength=min_strength,
        symmetrize=opts["symmetrize"], missing=opts["missing"],
        panel_waves=tuple(panel_waves) if panel_waves else None,
        excluded=survey._people.index[~keep & member].tolist(), level="organisation",
    )
    if _changes_membership(survey):
        G.graph.update(members_of=members_of,
                       non_members=survey._people.index[~member].tolist())
    for i, o in enumerate(orgs.tolist()):
        n = int(size[i])
        pairs = n * (n - 1) if directed else n * (n - 1) // 2
        G.add_node(o, people=n, respondents=int(resp[i]), internal_ties=int(within[i]),
                   internal_pairs=pairs,
                   internal_density=int(within[i]) / pairs if pairs else math.nan)
    for key, t in sorted(between.items()):
        i, j = divmod(int(key), k)
        pairs = int(size[i] * size[j] * (2 if directed else 1))
        G.add_edge(orgs[i], orgs[j], ties=int(t), pairs=pairs, density=int(t) / pairs)
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
        G.add_node(f"person:{pid}", **{**attrs, "bipartite": 0, "kind": "person",
                                        "person_id": pid})
        G.add_edge(f"person:{pid}", f"organisation:{attrs['organisation']}")
    return G
