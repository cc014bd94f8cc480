"""Calibration of the verdict: simulated null scenarios rarely yield "programme
effect"; a real effect of the sample's size usually does.

Seeded and small enough for CI. The simulation models are documented in
``docs/evaluation.md`` (``simulate_panel``) and in ``senatenet.sample``
(``generate_sample``). With 100 replicates each (scratch runs while
writing these tests) the rates were: same trend 1%, fixed network with selective
baseline non-response 0%, participants changing like non-participants 0% (with
organisations of 8), the
sample's effect 100%.
"""

from __future__ import annotations

import pytest

import senatenet as sn

P_ORGS = [5, 4, 4, 5, 4, 4]           # the sample senate's organisation sizes
C_ORGS = [6, 5, 7, 6, 6, 5, 5]        # the comparison cohort's


def survey(tables):
    return sn.Survey(tables["roster"].set_index("person_id"), tables["ties"],
                     tables["respondents"])


def rate(make, replicates):
    claims = [make(k).verdict.claim for k in range(replicates)]
    return claims.count("programme effect") / replicates


def same_trend(k):
    """Both cohorts get the same +0.1 formation trend; the true effect is 0."""
    p = survey(sn.generate_sample("senate", seed=100 + k, programme_effect=0.1))
    c = survey(sn.generate_sample("comparison", seed=500 + k, programme_effect=0.1))
    return sn.evaluate(p, "pre", "post", relation="knows", comparison=c, n_power=0)


def selective_baseline_nonresponse(k):
    """One fixed network per cohort; in the programme cohort the most outward-looking
    fifth skip the baseline, in the comparison cohort a random fifth."""
    p = survey(sn.simulate_panel(P_ORGS, seed=2 * k, fixed=True, selective=True,
                                 response=(0.8, 1.0), baseline_cross=0.15))
    c = survey(sn.simulate_panel(C_ORGS, seed=2 * k + 1, fixed=True, response=(0.8, 1.0),
                                 baseline_cross=0.15, programme=False, prefix="C"))
    return sn.evaluate(p, "before", "after", comparison=c, n_power=0)


def participants_change_alike(k):
    """Half of each organisation takes part; everyone's cross-organisation formation
    rises by the same 0.05."""
    d = sn.simulate_panel([6, 6, 6, 6, 6, 6], seed=k, participants=0.5, effect=0.0,
                          formation_cross=0.05)
    return sn.evaluate(survey(d), "before", "after", n_power=0, n_permutations=99, seed=k)


def sample_effect(k):
    """The sample generator's own programme effect (0.18) against no programme."""
    p = survey(sn.generate_sample("senate", seed=100 + k))
    c = survey(sn.generate_sample("comparison", seed=500 + k))
    return sn.evaluate(p, "pre", "post", relation="knows", comparison=c, n_power=0)


@pytest.mark.parametrize("scenario, replicates", [
    (same_trend, 30),
    (selective_baseline_nonresponse, 25),
    (participants_change_alike, 25),
])
def test_null_scenarios_rarely_claim_a_programme_effect(scenario, replicates):
    assert rate(scenario, replicates) <= 0.10


def test_a_real_effect_of_the_samples_size_is_usually_found():
    assert rate(sample_effect, 30) >= 0.80
