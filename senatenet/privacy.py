"""Placeholder: filled in by the capability that owns this module."""

__all__: list[str] = []
