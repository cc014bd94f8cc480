"""plot_trajectory and plot_waves on the hand-computed three-wave fixture."""

from __future__ import annotations

import pytest

import senatenet as sn
from senatenet.errors import InputError


@pytest.fixture(scope="module")
def survey(project_root):
    folder = project_root / "tests" / "fixtures" / "three_waves"
    return sn.read_survey(folder / "roster.csv", folder / "ties.csv",
                          respondents=folder / "respondents.csv",
                          waves=["pre", "post", "follow-up"])


def test_plot_trajectory_draws_values_intervals_and_the_programme(survey):
    import matplotlib.pyplot as plt

    tr = sn.trajectory(survey)
    _, given = plt.subplots()
    ax = sn.plot_trajectory(tr, "cross_boundary_density", ax=given)
    assert ax is given
    line = next(a for a in ax.lines if a.get_gid() == "values")
    assert list(line.get_ydata()) == pytest.approx([3 / 9, 4 / 11, 4 / 11])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["pre", "post", "follow-up"]
    bars = ax.containers[0]  # the error bars: one interval per wave
    segments = bars.lines[2][0].get_segments()
    assert len(segments) == 3
    assert all(lo[1] <= y <= hi[1] for (lo, hi), y in zip(segments, line.get_ydata(),
                                                           strict=True))
    assert [t.get_text() for t in ax.texts if t.get_text() == "programme"] == ["programme"]
    with pytest.raises(InputError, match="unknown measure"):
        sn.plot_trajectory(tr, "nope")
    with pytest.raises(InputError, match="needs a Trajectory"):
        sn.plot_trajectory(survey)


def test_plot_waves_counts_new_and_lost_among_members_of_both_waves(survey):
    fig = sn.plot_waves(survey, label="id")
    titles = [ax.get_title(loc="left").splitlines() for ax in fig.axes[:3]]
    assert titles[0][1] == "6 members, 5 ties, 3 across organisations"
    # pre -> post: new a3-b1, a1-a3, a2-b1; lost a2-b2 (b3's and c1's ties neither)
    assert titles[1][2] == "3 new, 1 lost since pre"
    assert titles[2][2] == "2 new, 2 lost since post"
    new = [c for c in fig.axes[1].collections if c.get_gid() == "ties-new"][0]
    assert len(new.get_segments()) == 3
    with pytest.raises(InputError, match="at least two waves"):
        sn.plot_waves(survey, ["pre"])
