"""Private: a cohort's two waves as aligned numpy arrays for the evaluation."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputError
from ..graphs import nomination_matrix

__all__: list[str] = []


@dataclass(frozen=True)
class CohortArrays:
    """Directed nominations of two waves on one node order.

    ``X0``/``X1`` are 0/1 float matrices (row = respondent) after the strength
    threshold and the missing-data policy; ``org`` integer organisation codes;
    ``participant`` a bool array or None (no usable column); ``responded0/1``
    who answered in each wave; ``symmetrize`` how the analysed graph is made.
    """

    ids: tuple
    org: np.ndarray
    org_labels: tuple
    participant: np.ndarray | None
    X0: np.ndarray
    X1: np.ndarray
    responded0: np.ndarray
    responded1: np.ndarray
    symmetrize: str | None

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def directed(self) -> bool:
        return self.symmetrize is None

    def masks(self) -> dict[str, np.ndarray]:
        """Off-diagonal dyads, cross-organisation and within-organisation (float)."""
        off = ~np.eye(self.n, dtype=bool)
        same = self.org[:, None] == self.org[None, :]
        return {"all": off.astype(float), "cross": (off & ~same).astype(float),
                "within": (off & same).astype(float)}

    def analysed(self, X: np.ndarray) -> np.ndarray:
        return analyse(X, self.symmetrize)

    def subset(self, keep: np.ndarray) -> CohortArrays:
        idx = np.flatnonzero(keep)
        return CohortArrays(
            ids=tuple(self.ids[i] for i in idx), org=self.org[idx],
            org_labels=self.org_labels,
            participant=None if self.participant is None else self.participant[idx],
            X0=self.X0[np.ix_(idx, idx)], X1=self.X1[np.ix_(idx, idx)],
            responded0=self.responded0[idx], responded1=self.responded1[idx],
            symmetrize=self.symmetrize)


def analyse(X: np.ndarray, symmetrize: str | None) -> np.ndarray:
    """The analysed tie matrix from directed nominations (works on batches)."""
    if symmetrize is None:
        return X
    T = np.swapaxes(X, -1, -2)
    return np.maximum(X, T) if symmetrize == "union" else np.minimum(X, T)


def participant_flags(people: pd.DataFrame) -> np.ndarray | None:
    """The roster's ``participant`` column as bools, or None when any is missing."""
    col = people.get("participant", None)
    if col is None or col.isna().any():
        return None
    return col.astype(bool).to_numpy()


def cohort_arrays(survey, before: str, after: str, *, relation: str | None,
                  min_strength: float | None, symmetrize: str | None,
                  missing: str, group: str = "organisation") -> CohortArrays:
    """Arrays of ``survey`` for the two waves under one tie definition.

    Only people who are members in both waves are kept (roster
    ``first_wave``/``last_wave``; Huisman & Snijders 2003).
    ``missing="panel"`` keeps the people who answered in both waves (the
    balanced panel); ``"absent"`` and ``"reconstruct"`` are
    :meth:`Survey.person_graph`'s policies.
    """
    if before == after:
        raise InputError(f"before and after are the same wave {before!r}")
    policy = "absent" if missing == "panel" else missing
    # only people who are members in both waves (roster first_wave/last_wave):
    # a joiner's ties are never "new", a leaver's never "lost"
    # the directed graphs' adjacency matrices, made without building the graphs
    opts = dict(min_strength=min_strength, missing=policy, members_of=(before, after))
    ids0, X0 = nomination_matrix(survey, before, relation, **opts)
    ids1, X1 = nomination_matrix(survey, after, relation, **opts)
    people = survey.people
    members = survey.members(before) & survey.members(after)
    people = people[people.index.isin(list(members))]
    ids = list(people.index)
    if not (list(ids0) == ids == list(ids1)):  # pragma: no cover - same definition
        raise InputError("the two waves' networks are not on the same people")
    if group not in people.columns:
        raise InputError(f"the roster has no {group!r} column", column=group)
    labels = people[group]
    if labels.isna().any():
        raise InputError(f"some people have no {group!r}", column=group)
    org_labels, org = np.unique(labels.astype(str).to_numpy(dtype=object),
                                return_inverse=True)
    r0 = np.isin(ids, list(survey.responded(before)))
    r1 = np.isin(ids, list(survey.responded(after)))
    out = CohortArrays(ids=tuple(ids), org=org.astype(np.int64),
                       org_labels=tuple(org_labels), participant=participant_flags(people),
                       X0=X0, X1=X1, responded0=r0, responded1=r1, symmetrize=symmetrize)
    if missing == "panel":
        out = out.subset(r0 & r1)
    return out
