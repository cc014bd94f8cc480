"""Draw: shared colours and layout, static matplotlib figures, the interactive map."""

from .colors import *
from .interactive import *
from .layout import *
from .network import *
