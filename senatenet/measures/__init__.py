"""Measure: cross-boundary connectivity and centrality, as sna and UCINET define them."""

from .blocks import *  # noqa: F403
from .brokerage import *  # noqa: F403
from .centrality import *  # noqa: F403
from .ei import *  # noqa: F403
from .holes import *  # noqa: F403
from .summary import *  # noqa: F403
