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


@pytest.fixture
def figures_not_rendered(monkeypatch):
    """Report figures are drawn (every plotting function runs on the data) but
    not rendered: each is saved as a 1 x 1 PNG and a minimal SVG.

    For end-to-end report tests about wording, tables, folders or options,
    where rendering PNG + SVG (about two thirds of a report build) checks
    nothing; the tests that look at the figure files render them for real.
    Returns the list of Figures drawn.
    """
    import io

    import matplotlib.image
    import numpy as np

    from senatenet.report import figures

    buf = io.BytesIO()
    matplotlib.image.imsave(buf, np.ones((1, 1, 3)), format="png")
    png = buf.getvalue()
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'
    drawn = []

    def render(obj, formats=("png",)):
        import matplotlib.pyplot as plt

        fig = figures.as_figure(obj)
        drawn.append(fig)
        plt.close(fig)
        return png, (svg if "svg" in formats else None)

    monkeypatch.setattr(figures, "render_report_figure", render)
    return drawn


@pytest.fixture(scope="session")
def sample_cohort_report(tmp_path_factory) -> Path:
    """``report.html`` of the sample with its comparison cohort (as in the demo's
    two-wave part), built once per test session for the accessibility and print
    tests."""
    import senatenet as sn
    from senatenet.report import build_report

    out = tmp_path_factory.mktemp("sample-cohort-report")
    build_report(
        sn.load_sample(),
        "pre",
        "post",
        relation="advice",
        out_dir=out,
        comparison_surveys={"Brackenmoor (comparison)": sn.load_sample("comparison")},
        cohort_name="Calderford senate",
        n_permutations=19,
        seed=0,
    )
    return out / "report.html"

