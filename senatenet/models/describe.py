"""Plain-word sentences and a display table for a fitted tie-change model
(the report section "What explains the new ties")."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

__all__ = ["describe_tie_change", "tie_change_table", "tie_change_section"]

SECTION_TITLE = "What explains the new ties"


#: The intervals a tie-change model can carry, by the prefix of their columns.
INTERVAL_METHODS = {"model": ("", "model-based (Wald)"),
                    "robust": ("robust_", "dyadic-cluster robust"),
                    "DSP": ("dsp_", "DSP permutation")}


def _interval(row) -> tuple[float, float, float, str]:
    """The widest of the available 95% intervals (odds-ratio scale) and its p."""
    best = (math.nan, math.nan, math.nan, "none")
    width = -1.0
    for kind, (prefix, _) in INTERVAL_METHODS.items():
        lo, hi = getattr(row, f"{prefix}ci_low", math.nan), getattr(row, f"{prefix}ci_high",
                                                                  math.nan)
        if np.isfinite(lo) and np.isfinite(hi) and hi - lo > width:
            width = hi - lo
            with np.errstate(over="ignore"):
                best = (float(np.exp(lo)), float(np.exp(hi)), getattr(row, f"{prefix}p"),
                        kind)
    return best


def _n(x: float) -> str:
    if not np.isfinite(x):
        return "not estimable"
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def tie_change_table(model, part: str = "formation") -> pd.DataFrame:
    """Odds ratios with 95% intervals for display: the widest interval.

    Parameters
    ----------
    model : TieChangeModel
    part : {"formation", "persistence"}

    Returns
    -------
    pandas.DataFrame
        ``term``, ``odds_ratio``, ``ci_low``, ``ci_high`` (odds-ratio scale; the
        widest of the model-based, dyadic-cluster-robust and -- when the model
        was fitted with ``n_permutations`` -- DSP permutation intervals),
        ``interval`` (which one: ``"model"``, ``"robust"``, ``"DSP"``;
        ``"none"`` when no interval is finite), ``p`` (of that method).

    References
    ----------
    .. [1] Aronow, P. M., Samii, C. & Assenova, V. A. (2015). Cluster-robust
       variance estimation for dyadic data. *Political Analysis* 23(4), 564-577.

    Examples
    --------
    >>> import senatenet as sn
    >>> m = sn.tie_change_model(sn.load_sample(), "pre", "post", spec="advice")
    >>> tie_change_table(m).columns.tolist()
    ['term', 'odds_ratio', 'ci_low', 'ci_high', 'interval', 'p']
    """
    table = getattr(model, part)
    rows = []
    for row in table.itertuples():
        lo, hi, p, kind = _interval(row)
        rows.append({"term": row.term, "odds_ratio": row.odds_ratio, "ci_low": lo,
                     "ci_high": hi, "interval": kind, "p": p})
    return pd.DataFrame(rows, columns=["term", "odds_ratio", "ci_low", "ci_high",
                                       "interval", "p"])


def _subject(term: str, design: str) -> str | None:
    if term.startswith("nodematch.") and ":" not in term:
        attr = term.split(".", 1)[1].replace("_", " ")
        return f"a pair in the same {attr} (compared with a pair in different ones)"
    if term == "reciprocated_before":
        return ("a pair where the other person had already named them "
                "(a nomination waiting to be returned)")
    if term == "shared_partners_before":
        return "each colleague the two already had in common"
    if term == "participants.both":
        return "a pair of two participants (compared with two non-participants)"
    if term == "participants.one":
        return "a pair with one participant (compared with two non-participants)"
    return None


def describe_tie_change(model) -> list[str]:
    """Plain-word sentences for the formation part of a tie-change model.

    Odds ratios come with 95% intervals: the widest of the model-based, the
    dyadic-cluster-robust (Aronow, Samii & Assenova 2015) and, when computed,
    the DSP permutation interval (:func:`tie_change_table`). The
    wording follows the design: with one cohort (everyone a participant) the
    sentences describe which pairs formed ties and say that they cannot show
    the programme caused them; with a comparison cohort pooled with cohort
    interactions, or participants and non-participants, the programme
    contrast is stated as a comparison, "after accounting for" the other terms.

    Parameters
    ----------
    model : TieChangeModel

    Returns
    -------
    list of str

    References
    ----------
    .. [1] Aronow, P. M., Samii, C. & Assenova, V. A. (2015). Cluster-robust
       variance estimation for dyadic data. *Political Analysis* 23(4), 564-577.
    .. [2] Krivitsky, P. N. & Handcock, M. S. (2014). A separable model for
       dynamic networks. *JRSS B* 76(1), 29-46.

    Examples
    --------
    >>> import senatenet as sn
    >>> survey = sn.load_sample()
    >>> lines = describe_tie_change(sn.tie_change_model(survey, "pre", "post",
    ...                                                 spec="advice"))
    >>> "cannot show" in " ".join(lines)
    True
    """
    opts = model.options
    rel, before, after = opts.get("relation"), opts.get("before"), opts.get("after")
    out = []
    pairs = model.pairs
    form = pairs[pairs["part"] == "formation"]
    used, formed = int(form["pairs_used"].sum()), int(form["ties_after"].sum())
    dropped = int(form["dropped_sender_no_response_before"].sum()
                  + form["dropped_sender_no_response_after"].sum())
    tie = "tie" if rel in (None, "tie") else f"{rel} tie"
    both = " (both cohorts together)" if model.design == "comparison" else ""
    out.append(f"Of {used:,} pairs with no {tie} in “{before}”{both}, {formed:,} formed "
               f"one by “{after}”. {dropped:,} pairs were left out because the person naming "
               "did not answer in both waves (missing, not counted as 'no tie').")
    adjust = [t for t in model.formation["term"]
              if t in ("reciprocated_before", "shared_partners_before")]
    adjusted = ""
    if adjust:
        words = {"reciprocated_before": "returned nominations",
                 "shared_partners_before": "shared colleagues"}
        adjusted = ", after accounting for " + " and ".join(words[t] for t in adjust)
    table = tie_change_table(model, "formation")
    for row in table.itertuples():
        if row.term == "edges":
            continue
        interval = (f" ({_n(row.ci_low)} to {_n(row.ci_high)})"
                    if np.isfinite(row.ci_low) else " (interval not estimable)")
        if not np.isfinite(row.odds_ratio) or row.odds_ratio == 0:
            out.append(f"{row.term}: no finite estimate (every pair with this value "
                       "had the same outcome).")
            continue
        if row.term == "programme":
            pair = ("A pair in different organisations"
                    if "nodematch.organisation" in set(table["term"]) else "A pair")
            out.append(
                f"{pair} was {_n(row.odds_ratio)} times"
                f"{interval} as likely to form a tie during the programme as in the "
                f"comparison group{adjusted} (odds ratio, 95% interval).")
            continue
        if row.term.startswith("nodematch.") and row.term.endswith(":programme"):
            attr = row.term.split(".", 1)[1].split(":")[0].replace("_", " ")
            out.append(f"The same-{attr} advantage in forming ties was {_n(row.odds_ratio)} "
                       f"times{interval} as large in the programme cohort as in the "
                       f"comparison group (below 1: the programme cohort formed relatively "
                       f"more ties across {attr}s).")
            continue
        if row.term.endswith(":programme"):
            base = _subject(row.term[: -len(":programme")], model.design)
            if base is not None:
                out.append(f"The odds ratio for {base} was {_n(row.odds_ratio)} "
                           f"times{interval} as large in the programme cohort as in the "
                           "comparison group.")
                continue
        subject = _subject(row.term, model.design)
        if subject is None:
            out.append(f"{row.term}: odds ratio {_n(row.odds_ratio)}{interval}.")
            continue
        where = "In the comparison group, for" if model.design == "comparison" else "For"
        out.append(f"{where} {subject}, the odds of forming a tie were "
                   f"{_n(row.odds_ratio)} times{interval} as high"
                   f"{adjusted if row.term not in adjust else ''}.")
    if model.design == "single cohort":
        out.append("These odds ratios describe which pairs formed ties. With a single "
                   "cohort and no comparison group they cannot show that the programme "
                   "caused the new ties.")
    elif model.design == "participants":
        out.append("Participants and non-participants were compared within one cohort; "
                   "the contrast is causal only if taking part was unrelated to how "
                   "people would otherwise have connected.")
    else:
        out.append("The programme contrast compares two cohorts over the same waves; it "
                   "supports a causal reading only if the cohorts would otherwise have "
                   "changed alike (parallel change).")
    dsp = "dsp_p" in model.formation and model.formation["dsp_p"].notna().any()
    out.append("Each interval is the "
               + ("widest of the model-based, the dyadic-cluster-robust and the DSP "
                  "permutation" if dsp else
                  "wider of the model-based and the dyadic-cluster-robust")
               + " intervals (pairs sharing a person are not independent).")
    return out


def tie_change_section(model) -> dict:
    """Content of the report section "What explains the new ties".

    Parameters
    ----------
    model : TieChangeModel

    Returns
    -------
    dict
        ``title`` (str), ``sentences`` (list of str, from
        :func:`describe_tie_change`), ``formation`` and ``persistence``
        (DataFrames from :func:`tie_change_table`), ``pairs`` (the pair
        counts), ``notes`` (the model's notes) and ``causal`` (True only for a
        comparison-cohort or participant design).

    References
    ----------
    .. [1] Krivitsky, P. N. & Handcock, M. S. (2014). A separable model for
       dynamic networks. *JRSS B* 76(1), 29-46.
    .. [2] Dekker, D., Krackhardt, D. & Snijders, T. A. B. (2007). Sensitivity of
       MRQAP tests to collinearity and autocorrelation conditions.
       *Psychometrika* 72(4), 563-581.

    Examples
    --------
    >>> import senatenet as sn
    >>> s = tie_change_section(sn.tie_change_model(sn.load_sample(), "pre", "post",
    ...                                            spec="advice"))
    >>> s["title"], s["causal"]
    ('What explains the new ties', False)
    """
    return {
        "title": SECTION_TITLE,
        "sentences": describe_tie_change(model),
        "formation": tie_change_table(model, "formation"),
        "persistence": tie_change_table(model, "persistence"),
        "pairs": model.pairs.copy(),
        "notes": list(model.notes),
        "causal": model.design in ("comparison", "participants"),
    }
