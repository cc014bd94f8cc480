"""Evaluation designs: did the programme, rather than time, connect people?

``senatenet.evaluate`` detects the design (single cohort, comparison cohort,
participants vs non-participants), estimates cross-boundary tie formation,
persistence and mixing with person-level jackknife intervals, and states a
verdict from a written decision table (``docs/interpreting-results.md``).
"""

from .estimands import *
from .evaluation import *
from .intervals import *
from .power import *
from .simulate import *
from .verdict import *
