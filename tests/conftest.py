"""Shared fixtures: headless matplotlib, closed figures, reference networks."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
REFERENCE_DIR = Path(
    os.environ.get("SENATENET_REFERENCE_DIR", ROOT.parent / "shared" / "reference-networks")
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """``../shared/reference-networks`` (R sna reference values), or skip."""
    if not (REFERENCE_DIR / "expected" / "cases.tsv").is_file():
        pytest.skip(
            f"reference networks not found at {REFERENCE_DIR} "
            "(set SENATENET_REFERENCE_DIR to the shared/reference-networks folder)"
        )
    return REFERENCE_DIR


@pytest.fixture(scope="session")
def project_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def small_comparison():
    """The bundled senate's advice network, pre vs post, with few permutations:
    built once per session for the tests of wording and section content."""
    import senatenet as sn

    return sn.compare_waves(
        sn.load_sample(), "pre", "post", relation="advice", n_permutations=19, seed=3
    )
