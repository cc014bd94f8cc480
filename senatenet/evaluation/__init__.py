"""Evaluation designs: did the programme, rather than time, connect people?

``senatenet.evaluate`` detects the design (single cohort, comparison cohort,
participants vs non-participants), estimates cross-boundary tie formation,
persistence and mixing with person-level jackknife intervals, and states a
verdict from a written decision table (``docs/interpreting-results.md``).
"""

from . import estimands as _e
from . import evaluation as _ev
from . import intervals as _i
from . import power as _p
from . import simulate as _s
from . import verdict as _v
from .estimands import *
from .evaluation import *
from .intervals import *
from .power import *
from .simulate import *
from .verdict import *

__all__ = [*_e.__all__, *_ev.__all__, *_i.__all__, *_p.__all__, *_s.__all__, *_v.__all__]
