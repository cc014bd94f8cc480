"""senatenet: did a leadership programme connect people across organisations?

The package follows the flow of an evaluation:

read -> validate -> build graphs -> measure -> compare -> draw / report

Everything public is importable from the top level, e.g. ``senatenet.read_survey``.
"""

from ._version import __version__

from . import compare, draw, errors, evaluation, export, graphs, measures, privacy
from . import models, read, report, resample, sample, spec, survey, validation
from .errors import *
from .read import *
from .instruments import *
from .validation import *
from .spec import *
from .survey import *
from .graphs import *
from .sample import *
from .export import *
from .privacy import *
from .measures import *
from .compare import *
from .models import *
from .evaluation import *
from .draw import *
from .report import *



def _public_names() -> list[str]:
    import types

    return sorted(
        name
        for name, value in globals().items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    )


__all__ = ["__version__", *_public_names()]
