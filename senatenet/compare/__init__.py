"""Compare: what changed between waves and between cohorts, with permutation tests."""
# ruff: noqa: F403

from .cohorts import *
from .findings import *
from .mrqap import *
from .qap import *
from .sensitivity import *
from .trajectory import *
from .waves import *
