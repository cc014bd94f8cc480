"""Report: the single-file offline programme report and its run manifest."""

from .build import *  # noqa: F403
from .manifest import *  # noqa: F403
