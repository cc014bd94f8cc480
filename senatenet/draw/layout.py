"""Re-export of :func:`senatenet.layout.group_layout` (the algorithm lives below
the compare layer so that results can lay themselves out without drawing code)."""

from ..layout import group_layout

__all__ = ["group_layout"]
