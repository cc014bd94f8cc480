"""``build_report``: the programme report, one offline HTML file and its folder.

The report answers "did our leaders become connected across organisations?"
for a programme lead (pictures first, plain words second) and shows the numbers,
tests, options, seeds and versions for whoever checks. It is assembled from
:func:`~senatenet.compare_waves`, the static figures, the interactive map and
(optionally) :func:`~senatenet.compare_cohorts`.

This module is the orchestrator: options are checked in :mod:`.options`, what
the report shows is computed once in :mod:`.content`, laid out by the section
registry in :mod:`.sections`, and written by :mod:`.outputs`.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError
from ..evaluation import evaluate
from ..evaluation.evaluation import PRIMARY_CHOICES, default_min_strength
from ..privacy import key_fingerprint, pseudonymise
from ..resample import with_one_blas_thread
from . import sections as S
from . import text as T
from .content import ReportContent
from .html import render_report
from .manifest import file_sha256, run_manifest, write_manifest
from .options import (
    Notes,
    Progress,
    Steps,
    check_comparisons,
    check_options,
    check_private_folder,
    resolve_key,
)
from .outputs import (
    draw_figures,
    remove_previous_outputs,
    write_map,
    write_tables,
)
from .outputs import (
    inputs as _inputs,
)

__all__ = ["build_report"]

# kept for callers of the earlier private name
_remove_previous_outputs = remove_previous_outputs


@with_one_blas_thread  # many small matrices: BLAS threads would only spin
def build_report(
    survey,
    before: str | None = None,
    after: str | None = None,
    *,
    out_dir: str | os.PathLike,
    relation: str | None = None,
    min_strength: float | str | None = "auto",
    symmetrize: str | None = None,
    missing: str = "absent",
    comparison_surveys: Mapping[str, Any] | None = None,
    cohort_name: str = "Programme",
    pseudonymise_key: bytes | str | os.PathLike | None = None,
    suppress_below: int | None = None,
    n_permutations: int = 1000,
    n_random: int | None = None,
    seed: int = 0,
    n_jobs: int | None = 1,
    title: str | None = None,
    command: Sequence[str] | None = None,
    progress: Progress | None = None,
    waves: Sequence[str] | None = None,
    primary: str = "cross_boundary_formation",
    n_power: int = 100,
    figure_formats: Sequence[str] = ("png",),
) -> Path:
    """Write the programme report for one survey to ``out_dir``.

    Writes ``report.html`` (one self-contained file: figures and the interactive
    map embedded, no network access), ``map.html``, ``figures/`` (PNG, and SVG
    on request),
    ``tables/`` (Excel-safe CSVs and ``senatenet-tables.xlsx``) and
    ``manifest.json`` (versions, every option, seeds, input file hashes).

    Parameters
    ----------
    survey : Survey
        From :func:`~senatenet.read_survey` or :func:`~senatenet.load_sample`.
    before, after : str, optional
        Wave labels; by default the survey's first and last waves (with three
        or more waves: the first two, the others being follow-ups).
    out_dir : path-like
        Output folder (created; existing report files are overwritten).
    relation : str, optional
        The relation to analyse; required when the survey has several.
    min_strength : float, None or "auto"
        Keep ties of at least this strength; ``None`` keeps every nomination.
        ``"auto"`` (default) follows the strength scale's meaning
        (:func:`~senatenet.default_min_strength`): on the 1-5 frequency scale,
        1 means "rarely or never", so ties need strength 2 or more. The choice
        and its reason are stated in the report and the manifest.
    symmetrize : {None, "union", "reciprocal"}
        How nominations become ties: ``None`` keeps who named whom (directed);
        ``"union"``: either person named the other; ``"reciprocal"``: both did.
    missing : {"absent", "reconstruct", "panel"}
        Policy for people who did not answer a wave.
    comparison_surveys : mapping of str to Survey, optional
        Other cohorts (e.g. no programme) for the cohort comparison, by name.
    cohort_name : str
        Name of ``survey``'s cohort in the comparison.
    pseudonymise_key : bytes, str or path-like, optional
        Pseudonymise every output: ``bytes`` is the key itself, a ``str`` or
        path names a key file (:func:`~senatenet.load_key`). Names and ids are
        replaced by HMAC codes (:func:`~senatenet.pseudonymise`) before anything
        is computed, so no output holds a roster name.
    suppress_below : int, optional
        Hide organisation-level counts and rates based on fewer than this many
        people (:func:`~senatenet.suppress_small`).
    n_permutations : int
        Permutations of each test (fewer is faster, p-values coarser); the
        sensitivity table's variants use 200, or this number when smaller.
    n_random : None
        Deprecated and ignored (the cohort comparison no longer uses random
        networks); giving it warns (``FutureWarning``).
    seed : int
        Seed of every random step (tests, layouts, power simulations).
    n_jobs : int or None
        Processes for the permutation tests, sensitivity variants and figures (joblib;
        ``-1``: every core). Results are identical for every value.
    title : str, optional
        Page title.
    command : sequence of str, optional
        The command line, recorded in the manifest.
    progress : callable, optional
        Called with a message before and after each slow step.
    waves : sequence of str, optional
        ``[before, after, follow-up, ...]``: the first two define the
        programme, later ones are follow-ups. With a follow-up the report adds
        a trajectory figure, whether ties formed during the programme lasted
        (:meth:`~senatenet.Trajectory.persistence`) and a plain-words finding.
    primary : str
        The declared primary estimand of the evaluation
        (:func:`~senatenet.evaluate`): ``cross_boundary_formation`` (default),
        ``cross_boundary_persistence``, ``cross_boundary_change`` or
        ``mixing_log_odds_ratio``. The report's first sentence states the
        claim the design supports and this estimate with its interval; the
        other results are labelled secondary or descriptive.
    n_power : int
        Simulations per effect size for the minimum detectable effect, shown
        beside a null or inconclusive result (:func:`~senatenet.evaluate`;
        0: not computed).
    figure_formats : sequence of {"png", "svg"}
        Formats of the files in ``figures/``. PNG is always written (the page
        embeds it; it pastes into Word and PowerPoint); add ``"svg"`` for
        vector copies with the text kept as text (for publications). Each
        figure is drawn once and rendered once per format; SVG adds about a
        sixth to the report's time.

    Returns
    -------
    Path
        The path of ``report.html``.

    Raises
    ------
    InputError
        Unknown waves, bad options, fewer than two organisations, an
        unreadable key file, or (when pseudonymising) an ``out_dir`` that holds
        the key file or a named survey file.

    References
    ----------
    .. [1] Hoppe, B. & Reinelt, C. (2010). Social network analysis and the
       evaluation of leadership networks. *The Leadership Quarterly* 21, 600–619.

    Examples
    --------
    >>> import senatenet as sn, tempfile
    >>> path = sn.build_report(sn.load_sample(), "pre", "post", relation="advice",
    ...                        out_dir=tempfile.mkdtemp(), n_permutations=99)  # doctest: +SKIP
    >>> path.name  # doctest: +SKIP
    'report.html'
    """
    from ..compare import compare_waves
    from ..compare.cohorts import warn_n_random
    from . import follow_up as F

    if n_random is not None:
        warn_n_random("n_random")

    before, after, follow_ups, waves_note = F.resolve_waves(survey, before, after, waves)
    before, after = check_options(
        survey, before, after, suppress_below, n_permutations, seed
    )
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError("the output path exists and is not a folder", file=str(out))
    key = resolve_key(pseudonymise_key)
    comparisons = dict(comparison_surveys or {})
    if key is not None:
        check_private_folder(out, pseudonymise_key, [survey, *comparisons.values()])
    check_comparisons(comparisons, before, after, relation)
    relation = _relation(survey, relation)
    given_strength = min_strength
    min_strength, strength_reason = _min_strength(survey, relation, min_strength)
    if not isinstance(n_power, int | np.integer) or isinstance(n_power, bool) or n_power < 0:
        raise InputError(f"n_power must be a whole number >= 0, not {n_power!r}")
    if primary not in PRIMARY_CHOICES:
        raise InputError(f"primary must be one of {list(PRIMARY_CHOICES)}, not {primary!r}")
    formats = _figure_formats(figure_formats)
    design = _design(survey, before, after, comparisons)
    steps = Steps(progress, 7 + bool(comparisons) + (key is not None) + bool(follow_ups))

    # Record the inputs before pseudonymising (which keeps file names only).
    inputs = _inputs(survey, cohort_name)
    for name, other in comparisons.items():
        inputs.update(_inputs(other, name))

    if key is not None:
        steps("Pseudonymising names and ids")
        survey = pseudonymise(survey, key)
        comparisons = {name: pseudonymise(s, key) for name, s in comparisons.items()}

    steps(
        f"Comparing waves {before!r} and {after!r} ({n_permutations} permutations per test)"
    )
    notes: list[str] = [waves_note] if waves_note else []
    with Notes(notes, steps.progress):
        cmp = compare_waves(
            survey,
            before,
            after,
            relation=relation,
            min_strength=min_strength,
            symmetrize=symmetrize,
            missing=missing,
            n_permutations=n_permutations,
            seed=seed,
            n_jobs=n_jobs,
        )
    relation = cmp.relation

    ev_permutations = max(int(n_permutations), MIN_EVALUATION_PERMUTATIONS)
    steps(f"Evaluating the programme ({design}; primary estimand: {primary})")
    with Notes(notes, steps.progress):
        evaluation = evaluate(
            survey,
            before,
            after,
            comparison=list(comparisons.values()) or None,
            design=design,
            primary=primary,
            seed=seed,
            n_permutations=ev_permutations,
            n_jobs=n_jobs,
            n_power=n_power,
            spec={
                "relation": relation,
                # "auto" again, so that the verdict's caveat gives the reason
                "min_strength": "auto" if given_strength == "auto" else min_strength,
                "symmetrize": symmetrize or "union",
                "missing": missing,
            },
        )

    steps("Re-running the headline results under other data choices (sensitivity)")
    with Notes(notes, steps.progress):
        # at most the report's own permutations per test (200 by default)
        sensitivity = cmp.sensitivity(n_permutations=min(200, int(n_permutations)))

    cohort_table = None
    if comparisons:
        from ..compare import compare_cohorts

        steps(
            f"Comparing cohorts on their change: {', '.join([cohort_name, *comparisons])}"
        )
        with Notes(notes, steps.progress):
            cohort_table = compare_cohorts(
                {cohort_name: survey, **comparisons},
                before=before,
                wave=after,
                relation=relation,
                min_strength=min_strength,
                symmetrize=symmetrize or "union",
                missing=missing,
                seed=seed,
                n_jobs=n_jobs,
            )

    content = ReportContent(
        survey,
        cmp,
        sensitivity,
        cohort_table,
        before,
        after,
        relation,
        symmetrize=symmetrize,
        missing=missing,
        suppress_below=suppress_below,
        evaluation=evaluation,
    )
    content.min_strength, content.min_strength_reason = min_strength, strength_reason
    content.notes = notes
    content.pseudonymised, content.seed = key is not None, seed
    content.cohort_name = cohort_name
    content.comparison_surveys = comparisons  # for "What explains the new ties"
    if follow_ups:
        steps(f"Following the waves {', '.join([before, after, *follow_ups])}: "
              "did the new ties last?")
        with Notes(notes, steps.progress):
            content.follow_up = F.follow_up_section(
                survey, before, after, follow_ups, relation=relation,
                min_strength=min_strength, symmetrize=symmetrize, missing=missing,
                seed=seed, comparisons=comparisons, cohort_name=cohort_name)

    remove_previous_outputs(out)
    steps("Drawing the figures")
    figures = draw_figures(S.figure_specs(content), content, out / "figures", seed=seed,
                           n_jobs=n_jobs, formats=formats)

    steps("Building the interactive map")
    map_html = write_map(content, out / "map.html", title=title)

    steps("Writing tables")
    written = write_tables(S.exports(content), out / "tables")
    options = {
        "before": before,
        "after": after,
        "follow_ups": list(follow_ups),
        "relation": relation,
        "min_strength": min_strength,
        "min_strength_reason": strength_reason,
        "symmetrize": symmetrize,
        "missing": missing,
        "design": evaluation.design,
        "primary_estimand": primary,
        "evaluation": {
            "symmetrize": evaluation.spec["symmetrize"],
            "n_permutations": ev_permutations,
            "n_power": n_power,
            "interval": "person-level jackknife, 95%",
            "secondary_p_adjustment": "Holm",
        },
        "n_permutations": n_permutations,
        "seed": seed,
        "figure_formats": list(formats),
        "cohort_name": cohort_name,
        "title": title,
        "comparison_cohorts": list(comparisons),
        "suppress_below": suppress_below,
        "pseudonymised": key is not None,
        "comparison_options": dict(getattr(cmp, "options", {}) or {}),
    }
    privacy = {
        "pseudonymised": key is not None,
        "key_fingerprint": key_fingerprint(key) if key is not None else None,
        "suppress_below": suppress_below,
    }
    seeds = {"compare_waves": seed, "evaluate": seed, "sensitivity": seed, "layout": seed}
    if comparisons:
        seeds["compare_cohorts"] = seed
    outputs = {
        str(p.relative_to(out)): file_sha256(p)
        for p in sorted(
            [*written.values(), *(out / "figures").glob("*"), out / "map.html"]
        )
    }
    manifest = run_manifest(
        options=options,
        seeds=seeds,
        inputs=inputs,
        privacy=privacy,
        outputs=outputs,
        command=list(command) if command else None,
    )
    manifest["verdict"] = evaluation.verdict.to_dict()
    manifest["verdict"]["caveats"] = content.verdict_caveats()  # suppression applied
    manifest["notes"] = notes
    steps("Writing report.html and manifest.json")
    content.manifest = manifest
    html = render_report(_page(content, figures, map_html, manifest, title))
    report = out / "report.html"
    report.write_text(html, encoding="utf-8")
    manifest["outputs"]["report.html"] = hashlib.sha256(
        html.encode("utf-8")
    ).hexdigest()
    write_manifest(manifest, out / "manifest.json")
    steps.done()
    return report


#: The evaluation's permutation test needs at least this many permutations for a
#: p-value that can fall below 0.05 (used when ``n_permutations`` is smaller).
MIN_EVALUATION_PERMUTATIONS = 19


def _figure_formats(formats) -> tuple[str, ...]:
    """PNG first (always), then SVG when asked for."""
    from .figures import FIGURE_FORMATS

    if isinstance(formats, str):
        formats = (formats,)
    unknown = [f for f in formats if f not in FIGURE_FORMATS]
    if unknown:
        raise InputError(
            f"figure_formats must be among {list(FIGURE_FORMATS)}, not {unknown!r}"
        )
    return tuple(f for f in FIGURE_FORMATS if f == "png" or f in formats)


def _relation(survey, relation):
    """The relation analysed (the survey's only one when not given)."""
    if relation is None:
        rels = list(getattr(survey, "relations", ()))
        if len(rels) > 1:
            raise InputError(
                f"the survey has several relations {rels}; choose one with relation= "
                "(--relation); they are never merged"
            )
        return rels[0] if rels else None
    if relation not in tuple(survey.relations):
        raise InputError(
            f"unknown relation {relation!r}; the survey's relations are "
            f"{list(survey.relations)}"
        )
    return relation


def _min_strength(survey, relation, min_strength) -> tuple[float | None, str]:
    """The tie threshold and why: chosen, or following the strength scale."""
    if isinstance(min_strength, str):
        if min_strength != "auto":
            raise InputError(
                f"min_strength must be a number, None or 'auto', not {min_strength!r}"
            )
        value = default_min_strength(survey, relation)
        if value is None:
            return None, ("default: every nomination counts (no 1-5 frequency scale "
                          "with strengths above 1 in the data)")
        return value, ("default: on the 1-5 frequency scale strength 1 means "
                       "'rarely or never', so a tie needs strength 2 or more "
                       "(choose another with --min-strength)")
    if min_strength is None:
        return None, "chosen: every nomination counts"
    return float(min_strength), "chosen"


def _design(survey, before, after, comparisons) -> str:
    """The evaluation design the data allow: a comparison cohort when given,
    else participants vs non-participants when the roster's ``participant``
    column holds both values among the people who were members in both waves,
    else a single cohort."""
    if comparisons:
        return "comparison cohort"
    people = survey.people
    members = getattr(survey, "members", None)
    if members is not None:
        people = people[people.index.isin(members(before) & members(after))]
    part = people["participant"] if "participant" in people.columns else None
    if (part is not None and len(part) and not part.isna().any()
            and part.astype(bool).nunique() == 2):
        return "participants vs non-participants"
    return "single cohort"


def _page(content: ReportContent, figures, map_html, manifest, title) -> dict[str, Any]:
    """The page around the sections: title, alerts, navigation, footer."""
    c = content
    privacy_note = None
    if c.pseudonymised:
        privacy_note = (
            "Names are replaced by codes (pseudonyms). The key that links codes to "
            "people is held separately by the evaluation team."
        )
    if c.small:
        note = (
            f"Numbers about organisations with fewer than {c.k} people are "
            "hidden (shown as “suppressed”)."
        )
        privacy_note = f"{privacy_note} {note}" if privacy_note else note
    return {
        "title": title or "Did the programme connect leaders across organisations?",
        "subtitle": (
            f"{c.cohort_name}: {len(c.survey.people)} people in "
            f"{len(c.sizes)} organisations, surveyed in wave "
            f"“{c.before}” (before) and “{c.after}” (after); relation "
            f"“{c.relation}”."
        ),
        "sections": S.render_sections(c, figures),
        "map_html": map_html,
        "problems": T.problems_summary(c.survey.validation),
        "privacy_note": privacy_note,
        "versions": manifest["versions"],
        "created": manifest["created"],
    }
