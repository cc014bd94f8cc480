"""Models of networks and tie change: ERGM (MPLE/MLE), formation and persistence
(separable temporal ERGM, conditional MLE), SAOM (method of moments), fit checks."""
# ruff: noqa: F403

from .describe import *
from .ergm import *
from .gof import *
from .saom import *
from .tie_change import *
