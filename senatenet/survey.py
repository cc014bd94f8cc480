"""The :class:`Survey`: validated people, ties and respondents across waves."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from .errors import InputError
from .graphs import affiliation_graph, org_graph, person_graph
from .spec import TieSpec
from .validation import DEFAULT_RELATION, problems_frame, validation_summary

__all__ = ["Survey"]

PEOPLE_COLUMNS = ("name", "organisation", "role", "sector", "cohort", "participant")
MEMBERSHIP_COLUMNS = ("first_wave", "last_wave")
_FIELDS = ("people", "ties", "respondents", "waves", "relations", "validation",
           "sources", "hashes", "respondents_inferred")


class Survey:
    """Validated roster survey data: people, nominations and respondents by wave.

    Usually made by :func:`senatenet.read_survey`. The tables are returned as
    copies, so changing them never changes the survey; use :meth:`replace` to
    derive a modified survey.

    Parameters
    ----------
    people : pandas.DataFrame
        Index ``person_id`` (str, unique); column ``organisation`` required;
        ``name``, ``role``, ``sector``, ``cohort`` (str or missing) and
        ``participant`` (bool or missing) are added as missing when absent. Extra
        columns become node attributes. Optional ``first_wave`` and ``last_wave``
        (wave labels; blank = from the first / to the last wave) give each
        person's membership over time (see :meth:`members`).
    ties : pandas.DataFrame
        Columns ``wave``, ``respondent``, ``alter`` (person ids), optional
        ``relation`` (default ``"tie"``), ``strength`` (default 1.0) and
        ``source_row`` (default: position + 2).
    respondents : pandas.DataFrame, optional
        Columns ``wave``, ``person_id``. When ``None``, respondents are inferred
        from the ties (everyone who nominated someone) and
        ``respondents_inferred`` is ``True``.
    waves, relations : sequence of str, optional
        Stored order; default first appearance in the ties (then respondents).
    validation : pandas.DataFrame, optional
        The validation report (see :mod:`senatenet.validation`).
    sources, hashes : dict, optional
        Where each table came from, and the sha256 of each input file.
    respondents_inferred : bool, optional
        Default ``respondents is None``.

    Attributes
    ----------
    people, ties, respondents, validation : pandas.DataFrame (copies)
    waves, relations : tuple of str
    respondents_inferred : bool
    sources, hashes : dict (copies)

    Raises
    ------
    InputError
        When the tables are inconsistent: a tie names an unknown person, names
        its own respondent, or repeats a (wave, respondent, alter, relation); or
        a ``first_wave``/``last_wave`` is not one of the waves, or a first wave
        comes after the last.

    References
    ----------
    .. [1] Wasserman, S. & Faust, K. (1994). *Social Network Analysis: Methods
       and Applications*, ch. 2 (actors, relations, waves). Cambridge University
       Press.

    Examples
    --------
    >>> people = pd.DataFrame({"organisation": ["A", "A", "B"]},
    ...                       index=pd.Index(["p1", "p2", "p3"], name="person_id"))
    >>> ties = pd.DataFrame({"wave": ["pre", "pre"], "respondent": ["p1", "p2"],
    ...                      "alter": ["p2", "p3"]})
    >>> s = Survey(people, ties)
    >>> s.waves, s.relations, sorted(s.responded("pre"))
    (('pre',), ('tie',), ['p1', 'p2'])
    """

    def __init__(
        self,
        people: pd.DataFrame,
        ties: pd.DataFrame,
        respondents: pd.DataFrame | None = None,
        *,
        waves: Iterable[str] | None = None,
        relations: Iterable[str] | None = None,
        validation: pd.DataFrame | None = None,
        sources: Mapping[str, str] | None = None,
        hashes: Mapping[str, str] | None = None,
        respondents_inferred: bool | None = None,
    ) -> None:
        self._people = _people_table(people)
        self._ties = _ties_table(ties, self._people)
        if respondents_inferred is None:
            respondents_inferred = respondents is None
        if respondents is None:
            respondents = (
                self._ties[["wave", "respondent"]]
                .drop_duplicates()
                .rename(columns={"respondent": "person_id"})
            )
        self._respondents = _respondents_table(respondents, self._people)
        self._respondents_inferred = bool(respondents_inferred)
        seen = _unique(self._ties["wave"], self._respondents["wave"])
        self._waves = _order("wave", waves, seen)
        self._relations = _order(
            "relation", relations, _unique(self._ties["relation"])
        )
        self._validation = (
            problems_frame([]) if validation is None else problems_frame([validation])
        )
        self._sources = dict(sources or {})
        self._hashes = dict(hashes or {})
        self._responded = {
            w: frozenset(g.to_numpy(dtype=object).tolist()) for w, g in
            self._respondents.groupby("wave", sort=False)["person_id"]
        }
        self._span = _membership(self._people, self._waves)

    # ------------------------------------------------------------------ tables
    @property
    def people(self) -> pd.DataFrame:
        """People (copy): index ``person_id``, roster order."""
        return self._people.copy()

    @property
    def ties(self) -> pd.DataFrame:
        """Retained nominations (copy): ``wave, respondent, alter, relation,
        strength, source_row``."""
        return self._ties.copy()

    @property
    def respondents(self) -> pd.DataFrame:
        """Who answered in each wave (copy): ``wave, person_id``."""
        return self._respondents.copy()

    @property
    def respondents_inferred(self) -> bool:
        """Whether respondents were inferred from the ties (no respondents table)."""
        return self._respondents_inferred

    @property
    def waves(self) -> tuple[str, ...]:
        """Wave labels in their stored order."""
        return self._waves

    @property
    def relations(self) -> tuple[str, ...]:
        """Relation labels in their stored order."""
        return self._relations

    @property
    def validation(self) -> pd.DataFrame:
        """The validation report (copy); see :mod:`senatenet.validation`."""
        return self._validation.copy()

    @property
    def sources(self) -> dict[str, str]:
        """Where each table came from: a path or ``"<DataFrame>"``."""
        return dict(self._sources)

    @property
    def hashes(self) -> dict[str, str]:
        """sha256 of each input file read from disk."""
        return dict(self._hashes)

    # ----------------------------------------------------------------- queries
    def responded(self, wave: str) -> frozenset[str]:
        """Person ids of the respondents in ``wave``."""
        self._check_wave(wave)
        return self._responded.get(wave, frozenset())

    def members(self, wave: str) -> frozenset[str]:
        """Person ids of the members of the group in ``wave``.

        A person is a member from their ``first_wave`` to their ``last_wave``
        (roster columns; blank or absent = from the first / to the last wave).
        Outside that span they are neither a respondent nor a non-respondent:
        their ties there are structurally absent (never lost or new), and they
        are left out of that wave's graphs and denominators, as in the
        treatment of composition change by Huisman & Snijders [1]_ and RSiena's
        ``sienaCompositionChange``.

        References
        ----------
        .. [1] Huisman, M. & Snijders, T. A. B. (2003). Statistical analysis of
           longitudinal network data with changing composition. *Sociological
           Methods & Research* 32(2), 253–287.

        Examples
        --------
        >>> people = pd.DataFrame({"organisation": ["A", "A", "B"],
        ...                        "first_wave": ["", "2", ""], "last_wave": ["1", "", ""]},
        ...                       index=pd.Index(["p1", "p2", "p3"], name="person_id"))
        >>> ties = pd.DataFrame({"wave": ["1", "2"], "respondent": ["p1", "p2"],
        ...                      "alter": ["p3", "p3"]})
        >>> s = Survey(people, ties)
        >>> sorted(s.members("1")), sorted(s.members("2"))
        (['p1', 'p3'], ['p2', 'p3'])
        """
        self._check_wave(wave)
        k = self._waves.index(wave)
        first, last = self._span
        return frozenset(self._people.index[(first <= k) & (last >= k)].tolist())

    def membership_changes(self) -> pd.DataFrame:
        """Who joined and who left, wave by wave.

        Returns
        -------
        pandas.DataFrame
            One row per person and change, in wave order: ``wave``,
            ``person_id``, ``name``, ``organisation``, ``change`` (``"joined"``:
            first member in this wave; ``"left"``: a member in the previous wave,
            no longer in this one). Empty when nobody joined or left.

        References
        ----------
        .. [1] Huisman, M. & Snijders, T. A. B. (2003). Statistical analysis of
           longitudinal network data with changing composition. *Sociological
           Methods & Research* 32(2), 253–287.

        Examples
        --------
        >>> people = pd.DataFrame({"organisation": ["A", "B"], "last_wave": ["1", ""]},
        ...                       index=pd.Index(["p1", "p2"], name="person_id"))
        >>> s = Survey(people, pd.DataFrame({"wave": ["1", "2"], "respondent": ["p1", "p2"],
        ...                                  "alter": ["p2", "p1"]}).iloc[[0]],
        ...            waves=["1", "2"])
        >>> s.membership_changes()[["wave", "person_id", "change"]].values.tolist()
        [['2', 'p1', 'left']]
        """
        first, last = self._span
        rows = []
        for k, wave in enumerate(self._waves):
            for change, mask in (("joined", first == k), ("left", last == k - 1)):
                if k == 0:
                    continue
                for pid in self._people.index[mask]:
                    rows.append((wave, pid, self._people.at[pid, "name"],
                                 self._people.at[pid, "organisation"], change))
        out = pd.DataFrame(rows, columns=["wave", "person_id", "name", "organisation",
                                          "change"])
        return out.astype({"wave": "str", "person_id": "str", "organisation": "str",
                           "change": "str"})

    def response_rates(self) -> pd.DataFrame:
        """Response rate per organisation per wave.

        Differential response between organisations can mimic a change in
        boundary crossing, so read these next to every result [1]_. Only the
        members of each wave count (see :meth:`members`).

        Returns
        -------
        pandas.DataFrame
            One row per wave and organisation (roster order): ``wave``,
            ``organisation``, ``people`` (members in that wave), ``respondents``,
            ``response_rate`` (respondents / people; NaN with no members).

        References
        ----------
        .. [1] Smith, J. A., Morgan, J. H. & Moody, J. (2021). Network sampling
           coverage III: imputation of missing network data under different
           network and missing data conditions. *Social Networks* 68, 148–178.

        Examples
        --------
        >>> people = pd.DataFrame({"organisation": ["A", "A", "B"]},
        ...                       index=pd.Index(["p1", "p2", "p3"], name="person_id"))
        >>> s = Survey(people, pd.DataFrame({"wave": ["1"], "respondent": ["p1"],
        ...                                  "alter": ["p3"]}))
        >>> s.response_rates()[["organisation", "response_rate"]].values.tolist()
        [['A', 0.5], ['B', 0.0]]
        """
        org = self._people["organisation"]
        orgs = _unique(org)
        parts = []
        for wave in self._waves:
            members = self.members(wave)
            inside = org[org.index.isin(members)]
            size = inside.value_counts().reindex(orgs, fill_value=0)
            who = inside[inside.index.isin(self._responded.get(wave, frozenset()))]
            n = who.value_counts().reindex(orgs, fill_value=0)
            parts.append(pd.DataFrame({
                "wave": wave, "organisation": orgs, "people": size.to_numpy(),
                "respondents": n.to_numpy(),
            }))
        cols = ["wave", "organisation", "people", "respondents"]
        out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)
        out = out.astype({"wave": "str", "organisation": "str", "people": "int64",
                          "respondents": "int64"})
        with np.errstate(invalid="ignore", divide="ignore"):
            out["response_rate"] = out["respondents"] / out["people"].where(
                out["people"] > 0)
        return out

    def validation_summary(self) -> pd.DataFrame:
        """Counts of validation lines by ``severity``, ``check`` and ``action``."""
        return validation_summary(self._validation)

    # ------------------------------------------------------------------ graphs
    def person_graph(
        self,
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
        """Person network of one wave; ``relation`` may be a :class:`TieSpec`.

        See :func:`senatenet.person_graph`.
        """
        return person_graph(self, wave, relation, min_strength=min_strength,
                            symmetrize=symmetrize, missing=missing,
                            panel_waves=panel_waves, spec=spec, members_of=members_of)

    def org_graph(self, wave: str, relation: str | TieSpec | None = None,
                  **options: Any) -> nx.Graph:
        """Organisation network; see :func:`senatenet.org_graph`."""
        return org_graph(self, wave, relation, **options)

    def affiliation_graph(self) -> nx.Graph:
        """Bipartite person–organisation graph; see :func:`senatenet.affiliation_graph`."""
        return affiliation_graph(self)

    # ------------------------------------------------------------------- misc
    def replace(self, **changes: Any) -> Survey:
        """A new survey with some fields replaced, everything else kept.

        Parameters
        ----------
        **changes
            Any of ``people``, ``ties``, ``respondents``, ``waves``, ``relations``,
            ``validation``, ``sources``, ``hashes``, ``respondents_inferred``.

        Examples
        --------
        >>> people = pd.DataFrame({"name": ["Ann", "Bo"], "organisation": ["A", "B"]},
        ...                       index=pd.Index(["p1", "p2"], name="person_id"))
        >>> s = Survey(people, pd.DataFrame({"wave": ["1"], "respondent": ["p1"],
        ...                                  "alter": ["p2"]}))
        >>> s2 = s.replace(people=s.people.assign(name=["Person 1", "Person 2"]))
        >>> s2.people["name"].tolist(), s.people["name"].tolist()
        (['Person 1', 'Person 2'], ['Ann', 'Bo'])
        """
        unknown = set(changes) - set(_FIELDS)
        if unknown:
            raise TypeError(f"cannot replace {sorted(unknown)}; fields: {list(_FIELDS)}")
        fields = {f: getattr(self, f) for f in _FIELDS}
        fields.update(changes)
        return Survey(
            fields.pop("people"), fields.pop("ties"), fields.pop("respondents"), **fields
        )

    def subset(self, people: Iterable[str]) -> Survey:
        """A new survey restricted to some people, keeping every tie among them.

        The roster rows, respondents (per wave) and membership columns of the
        chosen people are kept as they are; a nomination is kept when both its
        respondent and its alter are chosen, whatever its wave, relation or
        strength. Waves and relations keep their order (also those left with
        no tie). The validation report is the original one plus one ``info``
        line (check ``subset``, action ``dropped``) saying how many people,
        nominations and respondent rows were left out. The original survey is
        not changed.

        Use it to analyse a subgroup on its own, e.g. the programme's
        participants (``survey.people.query("participant")``). Ties between a
        chosen and a left-out person are gone from the subset, so its numbers
        describe the subgroup's internal network, not its members' whole
        networks.

        Parameters
        ----------
        people : iterable of str
            Person ids (text, as in ``survey.people.index``; ``"007"`` is not
            ``7``). Order and repeats do not matter: the subset keeps the
            roster order.

        Returns
        -------
        Survey

        Raises
        ------
        InputError
            When an id is not in the roster (the message lists them), an id is
            not text, or no person is chosen.

        References
        ----------
        .. [1] Wasserman, S. & Faust, K. (1994). *Social Network Analysis:
           Methods and Applications*, §2.3 (subgroups and the actor set).
           Cambridge University Press.

        Examples
        --------
        >>> people = pd.DataFrame({"organisation": ["A", "A", "B"],
        ...                        "participant": [True, True, False]},
        ...                       index=pd.Index(["007", "p2", "p3"], name="person_id"))
        >>> ties = pd.DataFrame({"wave": ["pre", "pre", "pre"],
        ...                      "respondent": ["007", "p2", "p3"],
        ...                      "alter": ["p2", "p3", "007"]})
        >>> s = Survey(people, ties)
        >>> sub = s.subset(s.people.index[s.people["participant"]])
        >>> sub.people.index.tolist(), sub.ties[["respondent", "alter"]].values.tolist()
        (['007', 'p2'], [['007', 'p2']])
        >>> sub.validation["problem"].iloc[-1]
        'subset to 2 of 3 people: 1 person, 2 nominations and 1 respondent row left out'
        >>> len(s.people)  # the original is unchanged
        3
        """
        if isinstance(people, str):
            people = [people]
        chosen = list(dict.fromkeys(people))
        not_text = [p for p in chosen if not isinstance(p, str)]
        if not_text:
            raise InputError(
                f"person ids are text; got {not_text[:5]!r} (e.g. write '007', not 7)")
        unknown = [p for p in chosen if p not in self._people.index]
        if unknown:
            shown = ", ".join(repr(p) for p in unknown[:10])
            more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
            raise InputError(f"subset: {len(unknown)} unknown person id(s): {shown}{more}")
        if not chosen:
            raise InputError("subset: no people chosen")
        keep = self._people.index.isin(chosen)
        new_people = self._people.loc[keep].copy()
        ties_keep = (self._ties["respondent"].isin(chosen)
                     & self._ties["alter"].isin(chosen))
        new_ties = self._ties.loc[ties_keep].reset_index(drop=True)
        resp_keep = self._respondents["person_id"].isin(chosen)
        new_resp = self._respondents.loc[resp_keep].reset_index(drop=True)
        n_people = int((~keep).sum())
        n_ties = int((~ties_keep).sum())
        n_resp = int((~resp_keep).sum())

        def count(k: int, one: str, many: str) -> str:
            return f"{k:,} {one if k == 1 else many}"

        line = {
            "severity": "info", "file": "<subset>", "row": None, "column": None,
            "value": None, "action": "dropped", "check": "subset",
            "problem": (f"subset to {len(new_people):,} of {len(self._people):,} people: "
                        f"{count(n_people, 'person', 'people')}, "
                        f"{count(n_ties, 'nomination', 'nominations')} and "
                        f"{count(n_resp, 'respondent row', 'respondent rows')} left out"),
        }
        return Survey(
            new_people, new_ties, new_resp, waves=self._waves, relations=self._relations,
            validation=problems_frame([self._validation, line]), sources=self._sources,
            hashes=self._hashes, respondents_inferred=self._respondents_inferred,
        )

    def _check_wave(self, wave: str) -> None:
        if wave not in self._waves:
            raise InputError(f"unknown wave {wave!r}; waves: {list(self._waves)}")

    def _counts(self) -> dict[str, int]:
        sev = self._validation["severity"].value_counts()
        return {s: int(sev.get(s, 0)) for s in ("error", "warning", "info")}

    def __repr__(self) -> str:
        c = self._counts()
        orgs = self._people["organisation"].nunique()
        return (
            f"<Survey: {len(self._people)} people in {orgs} organisations; "
            f"waves {list(self._waves)}; relations {list(self._relations)}; "
            f"{len(self._ties)} ties; validation: {c['error']} errors, "
            f"{c['warning']} warnings, {c['info']} info>"
        )

    def _repr_html_(self) -> str:
        c = self._counts()
        rows = [
            ("people", len(self._people)),
            ("organisations", self._people["organisation"].nunique()),
            ("waves", ", ".join(self._waves)),
            ("relations", ", ".join(self._relations)),
            ("ties", len(self._ties)),
            ("respondents", "inferred from ties" if self._respondents_inferred
             else "from respondents table"),
            ("validation", f"{c['error']} errors, {c['warning']} warnings, "
             f"{c['info']} info"),
        ]
        body = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
            f"<td style='text-align:left'>{html.escape(str(v))}</td></tr>"
            for k, v in rows
        )
        return f"<table><caption>senatenet Survey</caption>{body}</table>"


def _unique(*series: pd.Series) -> list[str]:
    """Distinct values in order of first appearance."""
    values = [s.to_numpy(dtype=object) for s in series]
    return list(pd.unique(np.concatenate(values))) if values else []


def _order(what: str, given: Iterable[str] | None, seen: list[str]) -> tuple[str, ...]:
    if given is None:
        return tuple(seen)
    if isinstance(given, str):
        given = [given]
    order = []
    for w in given:
        if not isinstance(w, (str, int, np.integer)) or isinstance(w, bool):
            raise InputError(f"{what} labels must be strings, not {type(w).__name__}")
        order.append(str(w))
    if len(set(order)) != len(order):
        raise InputError(f"duplicate {what} in {order}")
    missing = [w for w in seen if w not in order]
    if missing:
        raise InputError(f"{what}s {missing} appear in the data but not in {order}")
    return tuple(order)


def _membership(people: pd.DataFrame, waves: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Positions of each person's first and last wave (blank = first / last)."""
    n = len(people)
    span = []
    for col, default in zip(MEMBERSHIP_COLUMNS, (0, max(len(waves) - 1, 0)), strict=True):
        pos = np.full(n, default, dtype=np.int64)
        if col in people.columns:
            values = people[col].to_numpy(dtype=object)
            for i, v in enumerate(values.tolist()):
                if _is_blank(v):
                    continue
                v = str(v).strip()
                if v not in waves:
                    raise InputError(
                        f"person {people.index[i]!r} has {col} {v!r}, which is not one of "
                        f"the waves {list(waves)}", column=col)
                pos[i] = waves.index(v)
        span.append(pos)
    bad = span[0] > span[1]
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(f"person {people.index[i]!r} has a first_wave after their "
                         "last_wave", column="first_wave")
    return span[0], span[1]


def _is_blank(value: Any) -> bool:
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float) and np.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


def _people_table(people: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(people, pd.DataFrame):
        raise InputError("people must be a pandas DataFrame indexed by person_id")
    people = people.copy()
    if "person_id" in people.columns and people.index.name != "person_id":
        people = people.set_index("person_id")
    if "organisation" not in people.columns:
        raise InputError("people has no 'organisation' column", column="organisation")
    if people["organisation"].isna().any():
        raise InputError("people has a missing organisation", column="organisation")
    ids = pd.Index(people.index.astype("str"), name="person_id", dtype="str")
    if ids.duplicated().any():
        raise InputError(f"duplicate person_id {ids[ids.duplicated()][0]!r}",
                         column="person_id")
    people.index = ids
    people["organisation"] = people["organisation"].astype("str")
    for col in PEOPLE_COLUMNS:
        if col not in people.columns:
            people[col] = (pd.Series(pd.NA, index=ids, dtype="boolean")
                           if col == "participant"
                           else pd.Series(np.nan, index=ids, dtype="str"))
    extra = [c for c in people.columns if c not in PEOPLE_COLUMNS]
    return people[list(PEOPLE_COLUMNS) + extra]


def _ties_table(ties: pd.DataFrame, people: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(ties, pd.DataFrame):
        raise InputError("ties must be a pandas DataFrame")
    for col in ("wave", "respondent", "alter"):
        if col not in ties.columns:
            raise InputError(f"ties has no {col!r} column", column=col)
    n = len(ties)
    try:
        strength = (pd.to_numeric(ties["strength"]).to_numpy(dtype="float64")
                    if "strength" in ties else np.ones(n))
        rows = (ties["source_row"].to_numpy(dtype="int64") if "source_row" in ties
                else np.arange(2, n + 2, dtype="int64"))
    except (TypeError, ValueError) as exc:
        raise InputError(f"ties strength and source_row must be numbers: {exc}") from None
    if not np.isfinite(strength).all() or (strength < 0).any():
        raise InputError("ties strength must be finite and >= 0", column="strength")
    out = pd.DataFrame({
        "wave": ties["wave"].astype("str").to_numpy(),
        "respondent": ties["respondent"].astype("str").to_numpy(),
        "alter": ties["alter"].astype("str").to_numpy(),
        "relation": (ties["relation"].astype("str").to_numpy() if "relation" in ties
                     else np.full(n, DEFAULT_RELATION, dtype=object)),
        "strength": strength,
        "source_row": rows,
    })
    out = out.astype({"wave": "str", "respondent": "str", "alter": "str",
                      "relation": "str"})
    for col in ("wave", "relation"):
        if out[col].isna().any():
            raise InputError(f"ties has a missing {col}", column=col)
    for col in ("respondent", "alter"):
        bad = ~out[col].isin(people.index)
        if bad.any():
            raise InputError(f"ties name a person not in people: {out[col][bad].iloc[0]!r}",
                             column=col)
    self_tie = out["respondent"].eq(out["alter"])
    if self_tie.any():  # read_survey drops and reports these; a Survey never holds them
        raise InputError(f"a tie from {out['respondent'][self_tie].iloc[0]!r} to themself "
                         f"(ties row {int(out['source_row'][self_tie].iloc[0])})",
                         column="alter")
    dup = out.duplicated(["wave", "respondent", "alter", "relation"])
    if dup.any():
        first = out[dup].iloc[0]
        raise InputError(f"duplicate tie {first['respondent']!r} -> {first['alter']!r} in "
                         f"wave {first['wave']!r}, relation {first['relation']!r} (ties row "
                         f"{int(first['source_row'])})", column="alter")
    return out


def _respondents_table(resp: pd.DataFrame, people: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(resp, pd.DataFrame):
        raise InputError("respondents must be a pandas DataFrame")
    for col in ("wave", "person_id"):
        if col not in resp.columns:
            raise InputError(f"respondents has no {col!r} column", column=col)
    out = pd.DataFrame({
        "wave": resp["wave"].astype("str").to_numpy(),
        "person_id": resp["person_id"].astype("str").to_numpy(),
    }).astype("str").drop_duplicates(ignore_index=True)
    if out["wave"].isna().any():
        raise InputError("respondents has a missing wave", column="wave")
    bad = ~out["person_id"].isin(people.index)
    if bad.any():
        raise InputError(
            f"respondents name a person not in people: {out['person_id'][bad].iloc[0]!r}",
            column="person_id",
        )
    return out
