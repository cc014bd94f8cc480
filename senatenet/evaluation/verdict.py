"""The written decision table: which claim a design and its results support.

The same table is printed in ``docs/interpreting-results.md``; a test checks
each row. A claim is chosen from the design, the primary estimate's interval
and p-value, and the balanced-panel check, in this order (first match wins):

====  ==================================  =======================================  ==============================
row   design                              condition                                claim
====  ==================================  =======================================  ==============================
1     any                                 primary estimate or interval undefined   inconclusive
2     any                                 balanced panel disagrees (sign, or       inconclusive
                                          whether the interval excludes 0)
3     comparison cohort / participants    interval excludes 0 and p < alpha        programme effect
4     comparison cohort / participants    interval includes 0 and p >= alpha       no clear programme effect
5     single cohort                       interval excludes 0 and p < alpha        change, not attributable
6     single cohort                       interval includes 0 and p >= alpha       no clear change
7     any                                 interval and test disagree               inconclusive
====  ==================================  =======================================  ==============================

A single cohort never yields "programme effect": without a comparison, time,
history, reactivity and changes in who answered are not separable from the
programme. A null result is reported with its interval and the minimum
detectable effect, never as "made no difference" (Lakens 2017).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

__all__ = ["CLAIMS", "DESIGNS", "DECISION_TABLE", "decide_claim", "Verdict"]

CLAIMS = ("programme effect", "no clear programme effect", "change, not attributable",
          "no clear change", "inconclusive")
DESIGNS = ("single cohort", "comparison cohort", "participants vs non-participants")

#: (row, designs, condition, claim) -- the rows of the table above.
DECISION_TABLE = (
    (1, "any", "primary estimate or interval undefined", "inconclusive"),
    (2, "any", "balanced panel disagrees in sign or in whether the interval excludes 0",
     "inconclusive"),
    (3, "comparison cohort / participants vs non-participants",
     "interval excludes 0 and p < alpha", "programme effect"),
    (4, "comparison cohort / participants vs non-participants",
     "interval includes 0 and p >= alpha", "no clear programme effect"),
    (5, "single cohort", "interval excludes 0 and p < alpha", "change, not attributable"),
    (6, "single cohort", "interval includes 0 and p >= alpha", "no clear change"),
    (7, "any", "interval and test disagree", "inconclusive"),
)


def _finite(*xs) -> bool:
    return all(x is not None and isinstance(x, (int, float)) and math.isfinite(x) for x in xs)


def excludes_zero(ci_low: float, ci_high: float) -> bool:
    return ci_low > 0 or ci_high < 0


def decide_claim(design: str, estimate: float, ci_low: float, ci_high: float, p: float,
                 *, panel_agrees: bool | None = True, alpha: float = 0.05) -> tuple[str, int]:
    """Apply the decision table: the claim and the number of the row that fired.

    Parameters
    ----------
    design : {"single cohort", "comparison cohort", "participants vs non-participants"}
    estimate, ci_low, ci_high, p : float
        The primary estimand's contrast (programme - comparison, participants -
        non-participants, or a single cohort's change), its interval and
        p-value.
    panel_agrees : bool or None
        Whether the balanced-panel estimate agrees in sign and in whether its
        interval excludes 0; None when the check could not be made (not a
        disagreement).
    alpha : float
        Significance level matching the interval (0.05 for 95%).

    Returns
    -------
    (str, int)
        The claim (one of :data:`CLAIMS`) and the decision-table row.

    References
    ----------
    .. [1] Shadish, W. R., Cook, T. D. & Campbell, D. T. (2002). *Experimental
       and Quasi-Experimental Designs for Generalized Causal Inference*, ch. 4-5
       (designs without and with comparison groups). Houghton Mifflin.
    .. [2] Lakens, D. (2017). Equivalence tests. *Social Psychological and
       Personality Science* 8(4), 355-362.

    Examples
    --------
    >>> decide_claim("single cohort", 0.1, 0.05, 0.15, 0.001)
    ('change, not attributable', 5)
    >>> decide_claim("comparison cohort", 0.1, 0.05, 0.15, 0.001, panel_agrees=False)
    ('inconclusive', 2)
    """
    if design not in DESIGNS:
        raise ValueError(f"design must be one of {list(DESIGNS)}, not {design!r}")
    if not _finite(estimate, ci_low, ci_high, p):
        return "inconclusive", 1
    if panel_agrees is False:
        return "inconclusive", 2
    excl, sig = excludes_zero(ci_low, ci_high), p < alpha
    if excl != sig:
        return "inconclusive", 7
    if design == "single cohort":
        return ("change, not attributable", 5) if excl else ("no clear change", 6)
    return ("programme effect", 3) if excl else ("no clear programme effect", 4)


@dataclass(frozen=True)
class Verdict:
    """What the evaluation claims, for which design, on which estimate.

    Attributes
    ----------
    claim : str
        One of :data:`CLAIMS`.
    design : str
        One of :data:`DESIGNS`.
    primary : dict
        ``estimand``, ``group``, ``estimate``, ``ci_low``, ``ci_high``, ``p``
        (and ``unit``).
    sentence : str
        The claim in plain words, starting with it, with the interval.
    caveats : list of str
        Why the claim is limited (design, non-response, power).
    row : int
        The decision-table row that fired.
    minimum_detectable_effect : float or None
        Shown beside a null or inconclusive result.

    References
    ----------
    .. [1] Shadish, W. R., Cook, T. D. & Campbell, D. T. (2002). *Experimental
       and Quasi-Experimental Designs for Generalized Causal Inference*.
       Houghton Mifflin.

    Examples
    --------
    >>> v = Verdict("no clear change", "single cohort", {"estimate": 0.0}, "No clear change.")
    >>> v.to_dict()["claim"]
    'no clear change'
    """

    claim: str
    design: str
    primary: dict
    sentence: str
    caveats: list = field(default_factory=list)
    row: int = 0
    minimum_detectable_effect: float | None = None

    def to_dict(self) -> dict:
        """The manifest's ``verdict`` object (JSON-ready)."""
        def clean(x):
            if isinstance(x, float) and not math.isfinite(x):
                return None
            return x

        keys = ("estimand", "group", "estimate", "ci_low", "ci_high", "p")
        primary = {k: clean(self.primary.get(k)) for k in keys if k in self.primary}
        return {"design": self.design, "claim": self.claim, "primary": primary,
                "sentence": self.sentence, "caveats": list(self.caveats),
                "decision_row": self.row,
                "minimum_detectable_effect": clean(self.minimum_detectable_effect)}

    def __str__(self) -> str:
        lines = [self.sentence]
        lines += [f"- {c}" for c in self.caveats]
        return "\n".join(lines)
