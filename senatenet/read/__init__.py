"""Read: survey files and exports into tidy tables and a validated :class:`Survey`."""

from .exchange import *
from .long import *
from .names import *
from .tables import *
from .wide import *
