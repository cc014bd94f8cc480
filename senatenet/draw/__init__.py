"""Draw: shared colours and layout, static matplotlib figures, the interactive map."""

from .blocks import *  # noqa: F403
from .brokers import *  # noqa: F403
from .change import *  # noqa: F403
from .cohorts import *  # noqa: F403
from .colors import *  # noqa: F403
from .interactive import *  # noqa: F403
from .layout import *  # noqa: F403
from .models import *  # noqa: F403
from .network import *  # noqa: F403
from .org import *  # noqa: F403
from .save import *  # noqa: F403
