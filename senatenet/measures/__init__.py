"""Measure: cross-boundary connectivity and centrality, as sna and UCINET define them."""

from .blocks import *
from .brokerage import *
from .centrality import *
from .ei import *
from .holes import *
from .summary import *
