"""Read: survey files and exchange formats into tidy tables and a validated :class:`Survey`.

One module per exchange format, each holding its reader and writer (as networkx's
``readwrite``): :mod:`.ucinet` (DL), :mod:`.pajek`, :mod:`.matrix` (adjacency
matrices), :mod:`.wide` (wide survey exports); GraphML/GEXF and CSV/XLSX writers
are in :mod:`senatenet.export`. :mod:`._assemble` is the assembler they share.
"""

from .long import *
from .matrix import *
from .names import *
from .pajek import *
from .tables import *
from .ucinet import *
from .wide import *
