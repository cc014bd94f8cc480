"""senatenet: did a leadership programme connect people across organisations?

The package follows the flow of an evaluation:

read -> validate -> build graphs -> measure -> compare -> draw / report

Everything public is importable from the top level, e.g. ``senatenet.read_survey``.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("senatenet")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

from .errors import *
from .read import *
from .validation import *
from .survey import *
from .graphs import *
from .sample import *
from .export import *
from .privacy import *
from .measures import *
from .compare import *
from .draw import *
from .report import *
