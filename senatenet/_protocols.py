"""What the drawing and report layers need from a survey and a comparison.

A leaf module: :mod:`senatenet.draw` recognises a
:class:`~senatenet.WaveComparison` or a :class:`~senatenet.Survey` by these
explicit protocols (checked with ``isinstance``) instead of scattered
``hasattr`` tests, and needs no import of the classes themselves. Any object
with these attributes (a stand-in built in a test, say) is drawn the same way.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

__all__ = ["ComparisonLike", "SurveyLike", "TrajectoryLike"]


@runtime_checkable
class ComparisonLike(Protocol):
    """A two-wave comparison: ``before``/``after`` wave labels, ``graphs``
    (``{"before": G1, "after": G2}``) and the dyad table ``ties``."""

    before: str
    after: str
    graphs: Any
    ties: Any


@runtime_checkable
class SurveyLike(Protocol):
    """A survey: a ``people`` roster table and ``person_graph(wave, ...)``."""

    people: Any

    def person_graph(self, *args: Any, **kwargs: Any) -> Any: ...


@runtime_checkable
class TrajectoryLike(Protocol):
    """Several waves followed together (:class:`~senatenet.Trajectory`): the
    ``survey``, its ``waves`` in order, ``options`` (the tie options) and the
    ``transitions`` table."""

    survey: Any
    waves: Any
    options: Any
    transitions: Any
