"""Instruments: roster questionnaires for survey tools, and reading their exports back."""

from .instrument import *
from .read_export import *
