"""The tie specification: which nominations make a tie, as one validated value.

Every function that builds a person or organisation graph from a survey takes a
:class:`TieSpec` (or the same options as keywords, which make one). It is a
leaf module: it imports nothing from senatenet but the errors.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

from .errors import InputError

__all__ = ["TieSpec"]

SYMMETRIZE = (None, "union", "reciprocal")
MISSING = ("absent", "reconstruct", "panel")
FIELDS = ("relation", "min_strength", "symmetrize", "missing", "panel_waves")


@dataclass(frozen=True)
class TieSpec:
    """Which nominations count as a tie: relation, strength, symmetrisation, missing data.

    A frozen (immutable, hashable) value validated once when it is made, so a
    bad option fails at once with a clear message instead of deep inside an
    analysis. Accepted by :meth:`Survey.person_graph`, :meth:`Survey.org_graph`,
    :func:`person_graph`, :func:`org_graph`, :func:`compare_waves`,
    :func:`sensitivity` and :func:`build_report`; the keyword options of those
    functions still work and are turned into a ``TieSpec``.

    Parameters
    ----------
    relation : str, optional
        One relation name (e.g. ``"advice"``); ``None`` means the survey's only
        relation. Relations are never merged: a list of several raises
        ``ValueError`` (analyse them one at a time).
    min_strength : float, optional
        Keep nominations with ``strength >= min_strength``.
    symmetrize : {None, "union", "reciprocal"}
        ``None`` keeps directed nominations; ``"union"``: a tie when either
        named the other; ``"reciprocal"``: when both did [1]_.
    missing : {"absent", "reconstruct", "panel"}
        Non-respondents' nominations: counted as no tie, reconstructed from
        the other person's nomination [2]_, or the balanced panel of people who
        answered in every wave of ``panel_waves``.
    panel_waves : sequence of str, optional
        Waves defining the panel; only with ``missing="panel"`` (default: all
        waves, or the two compared waves in :func:`compare_waves`).

    Raises
    ------
    ValueError
        (:class:`InputError`) on any invalid option, naming it.

    References
    ----------
    .. [1] Wasserman, S. & Faust, K. (1994). *Social Network Analysis*, §3.2.
       Cambridge University Press.
    .. [2] Huisman, M. (2009). Imputation of missing network data: some simple
       procedures. *Journal of Social Structure* 10(1).

    Examples
    --------
    >>> spec = TieSpec("advice", min_strength=2, symmetrize="union")
    >>> spec.min_strength, spec.replace(missing="panel").missing
    (2.0, 'panel')
    >>> TieSpec(symmetrize="both")
    Traceback (most recent call last):
    ...
    senatenet.errors.InputError: symmetrize must be one of [None, 'union', 'reciprocal'], not 'both'
    """

    relation: str | None = None
    min_strength: float | None = None
    symmetrize: str | None = None
    missing: str = "absent"
    panel_waves: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        rel = self.relation
        if rel is not None and not isinstance(rel, str):
            if isinstance(rel, Iterable) and not isinstance(rel, (bytes, Mapping)):
                names = list(rel)
                if len(names) == 1 and isinstance(names[0], str):
                    rel = names[0]
                else:
                    raise InputError(
                        f"relation must be one relation name, not {names!r}: relations "
                        "are never merged; analyse one relation at a time "
                        "(e.g. relation='advice')"
                    )
            else:
                raise InputError(f"relation must be a relation name (text), not {rel!r}")
        ms = self.min_strength
        if ms is not None:
            if isinstance(ms, bool) or not isinstance(ms, numbers.Real) or math.isnan(ms):
                raise InputError(f"min_strength must be a number, not {ms!r}")
            ms = float(ms)
        if self.symmetrize not in SYMMETRIZE:
            raise InputError(
                f"symmetrize must be one of {list(SYMMETRIZE)}, not {self.symmetrize!r}")
        if self.missing not in MISSING:
            raise InputError(f"missing must be one of {list(MISSING)}, not {self.missing!r}")
        waves = self.panel_waves
        if waves is not None:
            if self.missing != "panel":
                raise InputError("panel_waves= is used only with missing='panel'")
            waves = (waves,) if isinstance(waves, str) else tuple(waves)
            if not all(isinstance(w, str) for w in waves):
                raise InputError(f"panel_waves must be wave names (text), not {waves!r}")
        object.__setattr__(self, "relation", rel)
        object.__setattr__(self, "min_strength", ms)
        object.__setattr__(self, "panel_waves", waves)

    @classmethod
    def make(cls, spec: TieSpec | None = None, **options: Any) -> TieSpec:
        """``spec`` with ``options`` applied (keywords left at ``None`` ignored
        unless no spec is given), or a new spec from ``options``.

        Examples
        --------
        >>> TieSpec.make(None, relation="advice").relation
        'advice'
        >>> TieSpec.make(TieSpec("advice"), symmetrize="union").symmetrize
        'union'
        """
        unknown = set(options) - set(FIELDS)
        if unknown:
            raise InputError(f"unknown tie option(s) {sorted(unknown)}; options: {list(FIELDS)}")
        if spec is None:
            return cls(**options)
        if not isinstance(spec, TieSpec):
            raise InputError(f"spec must be a TieSpec, not {type(spec).__name__}")
        defaults = {"missing": "absent"}
        given = {k: v for k, v in options.items() if v is not None and v != defaults.get(k)}
        return spec.replace(**given) if given else spec

    def replace(self, **changes: Any) -> TieSpec:
        """A new spec with some fields changed (validated again)."""
        return replace(self, **changes)

    def as_dict(self) -> dict:
        """The fields as a plain dict (for manifests and ``options``)."""
        return asdict(self)

    def describe(self) -> str:
        """The spec in words, e.g. ``relation 'advice', any strength, union symmetrisation``."""
        return (
            (f"relation '{self.relation}'" if self.relation is not None else "the only relation")
            + (f", strength at least {self.min_strength:g}" if self.min_strength is not None
               else ", any strength")
            + (", directed nominations" if self.symmetrize is None
               else f", {self.symmetrize} symmetrisation")
            + f", missing responses: {self.missing}"
        )
