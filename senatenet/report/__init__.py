"""Report: the single-file offline programme report."""

from .build import *
