"""Placeholder: filled in by the capability that owns this command."""
