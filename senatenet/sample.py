"""The bundled sample: a fictional Leeds-like clinical senate and a comparison cohort.

Everything here is invented. The **senate** is 26 senior doctors in six
organisations of the fictional city of Calderford (three clinical commissioning
groups, an acute teaching trust, a community trust and a mental-health trust),
surveyed before (``pre``, March) and after (``post``, December) a leadership
programme. The **comparison** cohort is 40 doctors in seven organisations of the
fictional city of Brackenmoor, surveyed at the same two waves with no programme.

Each cohort has three relations, ``knows``, ``advice`` and ``collaborate``, with a
strength from 1 to 5 (how often: 1 = rarely or never, 2 = a few times a year,
3 = monthly, 4 = weekly, 5 = daily), and a respondents file listing who answered
in each wave (two or three people per wave did not).

The files in ``data/sample/`` (shipped in the wheel as ``senatenet/sample_data``)
were written by :func:`write_sample` with the default seeds; a test checks that
they still are. Researchers can simulate their own cohorts with another ``seed``
or ``programme_effect``.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError

__all__ = [
    "SAMPLE_SEEDS",
    "generate_sample",
    "write_sample",
    "sample_paths",
    "load_sample",
    "load_comparison_sample",
    "generate_follow_up",
]

#: Default seed of each cohort; the committed files were generated with these.
SAMPLE_SEEDS: dict[str, int] = {"senate": 2012, "comparison": 21, "follow-up": 2027}

WAVES = ("pre", "post")
RELATIONS = ("knows", "advice", "collaborate")
FILES = ("roster", "ties", "respondents")

# (organisation, sector, kind, roles) -- the first role is the organisation's head.
_SENATE_ORGS = [
    ("Calderford North CCG", "commissioner", "ccg", 5),
    ("Calderford West CCG", "commissioner", "ccg", 4),
    ("Calderford South and East CCG", "commissioner", "ccg", 4),
    ("Calderford Teaching Hospitals NHS Trust", "provider", "acute", 5),
    ("Calderford Community Healthcare NHS Trust", "provider", "community", 4),
    ("Calderford and Wharfeby Partnership NHS Foundation Trust", "provider", "mental", 4),
]
_SENATE_NAMES = [
    "Imogen Thistlewood", "Farid Ashcombe", "Nkechi Brambleton", "Owen Marchbank",
    "Priya Hollinsworth", "Declan Fairweather", "Ingrid Sallowby", "Tomasz Wenlock",
    "Ruth Okafor-Lindley", "Hamish Carrowmore", "Leila Pembridge", "Conrad Winterbourne",
    "Yasmin Quarrendon", "Margaret Athelney", "Kwame Rosebury", "Sian Treverrow",
    "Benedict Orrell", "Aisha Fenwright", "Patrick Dunsmore", "Helena Vossberg",
    "Samir Kettlewell", "Freya Lanchester", "Oluwaseun Marlowe", "Catriona Beckwith",
    "Jonah Ellery", "Meera Saltonstall",
]
_COMPARISON_ORGS = [
    ("Brackenmoor City CCG", "commissioner", "ccg", 6),
    ("Brackenmoor Vale CCG", "commissioner", "ccg", 5),
    ("Brackenmoor Royal Infirmary NHS Foundation Trust", "provider", "acute", 7),
    ("Brackenmoor General Hospital NHS Trust", "provider", "acute", 6),
    ("Brackenmoor Community Services NHS Trust", "provider", "community", 6),
    ("Brackenmoor Minds NHS Foundation Trust", "provider", "mental", 5),
    ("Brackenmoor Children's Hospital NHS Trust", "provider", "children", 5),
]
_COMPARISON_NAMES = [
    "Alys Brightwater", "Bartholomew Quince", "Chidi Farrowdale", "Delphine Acresby",
    "Eamon Stollery", "Fatima Hurstwood", "Gideon Pellow", "Hana Moorcroft",
    "Idris Calloway", "Juno Ravensworth", "Kofi Ambleside", "Lorna Tiverton",
    "Magnus Heatherley", "Noor Castleby", "Orla Fenchurch", "Piers Wimbourne",
    "Qamar Lidstone", "Rosalind Dewhurst", "Stellan Brockley", "Tamsin Greave",
    "Usman Holloway", "Verity Ashdown", "Wilfred Nantes", "Ximena Corrie",
    "Yusuf Penhallow", "Zara Whitcombe", "Ansel Merriweather", "Bronwen Tally",
    "Caspian Rudd", "Dilys Okonedo", "Ezra Fallowfield", "Greta Sandling",
    "Hugo Larkspur", "Isla Duckett", "Jasper Wyndham", "Kirsty Blenkin",
    "Lionel Ardagh", "Mirela Voss", "Nathaniel Crabtree", "Ottilie Barrow",
]
_ROLES = {
    "ccg": ("clinical chair", "clinical lead"),
    "acute": ("medical director", "associate medical director", "clinical director",
              "clinical lead"),
    "community": ("medical director", "associate medical director", "clinical lead"),
    "mental": ("medical director", "associate medical director", "clinical director",
               "clinical lead"),
    "children": ("medical director", "associate medical director", "clinical lead"),
    "generic": ("lead", "member"),
}
_SPECIALTIES = {
    "ccg": ("general practice",),
    "acute": ("cardiology", "emergency medicine", "anaesthetics", "renal medicine",
              "geriatric medicine", "general surgery", "oncology"),
    "community": ("community paediatrics", "palliative care", "rehabilitation medicine",
                  "community geriatrics", "sexual health", "dermatology"),
    "mental": ("general adult psychiatry", "old age psychiatry", "liaison psychiatry",
               "child and adolescent psychiatry", "forensic psychiatry"),
    "children": ("paediatrics", "neonatology", "paediatric surgery",
                 "paediatric oncology", "paediatric cardiology"),
    "generic": ("unspecified",),
}
# Cohort settings: non-respondents per wave and the default programme effect.
_COHORTS = {
    "senate": dict(orgs=_SENATE_ORGS, names=_SENATE_NAMES, prefix="S",
                   cohort="senate", participant=True, nonresponse=(2, 3),
                   programme_effect=0.18),
    "comparison": dict(orgs=_COMPARISON_ORGS, names=_COMPARISON_NAMES, prefix="C",
                       cohort="comparison", participant=False, nonresponse=(3, 3),
                       programme_effect=0.0),
}


FOLLOW_UP = "follow-up"
FOLLOW_UP_WAVES = ("pre", "post", FOLLOW_UP)
#: The leaver (a medical director who left after the programme) and the joiner
#: (her successor, surveyed at follow-up only) of the follow-up sample.
_LEAVER = "S14"
_JOINER = {"person_id": "S27", "name": "Rhiannon Castellane",
           "organisation": "Calderford Teaching Hospitals NHS Trust",
           "role": "medical director", "sector": "provider", "specialty": "renal medicine",
           "cohort": "senate", "participant": False}


def _check_cohort(cohort: str) -> dict:
    if cohort == FOLLOW_UP:
        return _COHORTS["senate"]
    if cohort not in _COHORTS:
        raise InputError(
            f"unknown sample cohort {cohort!r}; choose one of {sorted(_COHORTS)}"
        )
    return _COHORTS[cohort]


def _custom(spec: dict, organisations) -> dict:
    """The cohort settings with the caller's organisations and generic names."""
    orgs = []
    for item in organisations:
        try:
            name, sector, size = item
            size = int(size)
        except (TypeError, ValueError):
            raise InputError(
                "organisations must be (name, sector, size) triples, got " f"{item!r}"
            ) from None
        if size < 1:
            raise InputError(f"organisation {name!r} needs at least one person")
        kind = {"commissioner": "ccg", "provider": "acute"}.get(sector, "generic")
        orgs.append((str(name), str(sector), kind, size))
    n = sum(o[3] for o in orgs)
    if len(orgs) < 2:
        raise InputError("a simulated cohort needs at least two organisations")
    width = max(2, len(str(n)))
    names = [f"Person {k + 1:0{width}d}" for k in range(n)]
    nonresponse = tuple(min(k, n // 4) for k in spec["nonresponse"])
    return dict(spec, orgs=orgs, names=names, nonresponse=nonresponse)


def _roster(spec: dict) -> pd.DataFrame:
    rows, k = [], 0
    width = max(2, len(str(len(spec["names"]))))
    for organisation, sector, kind, size in spec["orgs"]:
        roles, specialties = _ROLES[kind], _SPECIALTIES[kind]
        for j in range(size):
            role = roles[0] if j == 0 else roles[1 + (j - 1) % (len(roles) - 1)]
            rows.append({
                "person_id": f"{spec['prefix']}{k + 1:0{width}d}",
                "name": spec["names"][k],
                "organisation": organisation,
                "role": role,
                "sector": sector,
                "specialty": specialties[j % len(specialties)],
                "cohort": spec["cohort"],
                "participant": spec["participant"],
            })
            k += 1
    return pd.DataFrame(rows)


def _strength(rng: np.random.Generator, low: int, high: int) -> int:
    """A strength drawn uniformly from ``low..high`` (only ``rng.random`` is used,
    whose stream numpy keeps stable)."""
    return low + min(int(rng.random() * (high - low + 1)), high - low)


def _before(rng, org, head, sector):
    """Undirected relationships ``{relation: {(i, j): strength}}`` before."""
    pre: dict[str, dict] = {"knows": {}, "collaborate": {}}
    n = len(org)
    for i in range(n):
        for j in range(i + 1, n):
            same = org[i] == org[j]
            if same:
                p_know = 0.8
            elif head[i] and head[j]:
                p_know = 0.35  # heads meet at city-wide boards
            else:
                p_know = 0.03 if sector[i] == sector[j] else 0.02
            u = rng.random(4)
            if u[0] < p_know:
                s = _strength(rng, 3, 5) if same else _strength(rng, 1, 3)
                pre["knows"][i, j] = s
                if u[1] < (0.45 if same else 0.3):
                    pre["collaborate"][i, j] = s if same else max(s - 1, 1)
    return pre


def _after(rng, org, pre, effect):
    """Relationships after: most persist (0.92), within-organisation churn keeps
    its level, and the programme adds cross-organisation ties (``effect``)."""
    post: dict[str, dict] = {"knows": {}, "collaborate": {}}
    n = len(org)
    for i in range(n):
        for j in range(i + 1, n):
            same = org[i] == org[j]
            u = rng.random(4)
            if (i, j) in pre["knows"]:
                if u[0] >= 0.92:
                    continue
                post["knows"][i, j] = min(5, max(1, pre["knows"][i, j] + _strength(rng, -1, 1)))
                if (i, j) in pre["collaborate"]:
                    if u[1] < 0.85:
                        post["collaborate"][i, j] = pre["collaborate"][i, j]
                elif u[1] < (0.18 if same else 0.09 + effect):
                    post["collaborate"][i, j] = _strength(rng, 2, 4)
            elif u[2] < (0.32 if same else 0.004 + effect):
                # new ties: as strong as old ones, programme ties a little stronger
                post["knows"][i, j] = (
                    _strength(rng, 3, 5) if same
                    else _strength(rng, 2, 4) if effect > 0 else _strength(rng, 1, 3)
                )
                if u[3] < (0.45 if same else (0.5 if effect > 0 else 0.3)):
                    post["collaborate"][i, j] = _strength(rng, 2, 4)
    return post


def _report(rng, wave, relation, latent, rows):
    """Undirected relationships to directed nominations: each side reports with
    probability 0.9, its strength jittered by up to one step."""
    for (i, j), s in latent.items():
        for a, b in ((i, j), (j, i)):
            if rng.random() < 0.9:
                rows.append((wave, a, b, relation, min(5, max(1, s + _strength(rng, -1, 1)))))


def _advice(rng, wave, org, knows, knows_pre, asked_pre, effect, rows):
    """Directed advice seeking along known ties (i asks j); returns who asked whom.

    Before: asked with probability 0.5 within and 0.35 across organisations.
    After: 0.85 if asked before; on other old ties the rate that keeps the share
    stable, plus ``effect`` across organisations; on new cross-organisation ties
    0.55 when there is a programme.
    """
    asked = set()
    for i, j in knows:
        same = org[i] == org[j]
        for a, b in ((i, j), (j, i)):
            p = 0.5 if same else 0.35
            if wave == "post":
                if (a, b) in asked_pre:
                    p = 0.85
                elif (i, j) in knows_pre:
                    p = p * 0.15 / (1 - p) + (0 if same else effect)
                elif not same and effect > 0:
                    p = 0.55
            if rng.random() < p:
                asked.add((a, b))
                rows.append((wave, a, b, "advice", _strength(rng, 1, 4)))
    return asked


def generate_sample(
    cohort: str = "senate",
    *,
    seed: int | None = None,
    programme_effect: float | None = None,
    organisations: Sequence[tuple[str, str, int]] | None = None,
) -> dict[str, pd.DataFrame]:
    """Simulate one cohort of the bundled sample (or a cohort of your own).

    The model, per pair of people: before the programme, two doctors in the
    same organisation know each other with probability 0.8 (strength 3-5),
    organisation heads (clinical chairs, medical directors) meet across
    organisations with probability 0.35, and other cross-organisation pairs with
    0.02-0.03 (strength 1-3). A relationship persists to the second wave with
    probability 0.92 (strength jittered by one step); untied pairs in one
    organisation become tied with probability 0.32, which keeps the
    within-organisation level stable, and untied cross-organisation pairs with
    ``0.004 + programme_effect``. ``collaborate`` (undirected) and ``advice``
    (directed, i asks j) ride on ``knows``, and the programme also raises their
    cross-organisation rates. Each side reports a relationship with probability
    0.9, so reports are not always reciprocated. A fixed number of people per
    wave (senate 2 then 3, comparison 3 and 3) do not respond: they stay on the
    roster, are absent from the respondents table and have no outgoing ties in
    that wave. Each stage draws from its own random stream, so the first wave
    does not depend on ``programme_effect``.

    Parameters
    ----------
    cohort : {"senate", "comparison"}
        Which fictional cohort: the 26-person senate or the 40-person comparison.
    seed : int, optional
        Random seed; defaults to ``SAMPLE_SEEDS[cohort]``, which produced the
        bundled files.
    programme_effect : float, optional
        Extra probability that an untied cross-organisation pair becomes tied by
        the second wave; defaults to 0.18 for the senate and 0 for the
        comparison cohort.
    organisations : sequence of (name, sector, size), optional
        Simulate your own cohort: these organisations instead of the cohort's,
        with people called ``Person 01``, ``Person 02``... The first person of
        each organisation is its head (``clinical chair`` for sector
        ``commissioner``, ``medical director`` for ``provider``, else ``lead``).
        The cohort's other settings (ids, ``participant``, non-response, at most
        a quarter of the people) are kept.

    Returns
    -------
    dict of DataFrame
        ``roster`` (``person_id, name, organisation, role, sector, specialty,
        cohort, participant``), ``ties`` (``wave, respondent, alter, relation,
        strength``; ids are person ids, strength an int 1-5) and
        ``respondents`` (``wave, person_id``), in the layout
        :func:`senatenet.read_survey` reads.

    References
    ----------
    .. [1] Hoppe, B. and Reinelt, C. (2010). Social network analysis and the
       evaluation of leadership networks. *The Leadership Quarterly* 21, 600-619.

    Examples
    --------
    >>> from senatenet import generate_sample
    >>> s = generate_sample("senate")
    >>> len(s["roster"]), sorted(s["ties"]["wave"].unique())
    (26, ['post', 'pre'])
    """
    spec = _check_cohort(cohort)
    if organisations is not None:
        spec = _custom(spec, organisations)
    seed = SAMPLE_SEEDS[cohort] if seed is None else int(seed)
    effect = spec["programme_effect"] if programme_effect is None else float(programme_effect)
    if not 0 <= effect <= 0.985:
        raise InputError(f"programme_effect must be between 0 and 0.985, got {effect}")
    roster = _roster(spec)
    n = len(roster)
    org = roster["organisation"].tolist()
    sector = roster["sector"].tolist()
    head = [role in ("clinical chair", "medical director", "lead") for role in roster["role"]]

    # Independent streams, so the first wave does not depend on programme_effect.
    streams = np.random.SeedSequence(seed).spawn(5)
    pre = _before(np.random.default_rng(streams[0]), org, head, sector)
    post = _after(np.random.default_rng(streams[1]), org, pre, effect)
    rows: list[tuple] = []
    asked: set = set()
    for k, (wave, latent) in enumerate((("pre", pre), ("post", post))):
        rng = np.random.default_rng(streams[2 + k])
        _report(rng, wave, "knows", latent["knows"], rows)
        _report(rng, wave, "collaborate", latent["collaborate"], rows)
        asked = _advice(rng, wave, org, latent["knows"], pre["knows"], asked, effect, rows)

    rng = np.random.default_rng(streams[4])
    silent = {}
    for wave, k in zip(WAVES, spec["nonresponse"], strict=True):
        order = np.argsort(rng.random(n), kind="stable")
        silent[wave] = set(order[:k].tolist())
    rows = [r for r in rows if r[1] not in silent[r[0]]]
    ids = roster["person_id"].tolist()
    rows.sort(key=lambda r: (WAVES.index(r[0]), r[1], RELATIONS.index(r[3]), r[2]))
    ties = pd.DataFrame(
        [(w, ids[a], ids[b], rel, int(s)) for w, a, b, rel, s in rows],
        columns=["wave", "respondent", "alter", "relation", "strength"],
    )
    respondents = pd.DataFrame(
        [(w, ids[i]) for w in WAVES for i in range(n) if i not in silent[w]],
        columns=["wave", "person_id"],
    )
    return {"roster": roster, "ties": ties, "respondents": respondents}


def generate_follow_up(*, seed: int | None = None) -> dict[str, pd.DataFrame]:
    """The senate sample with a third wave twelve months on, one leaver and one joiner.

    Waves ``pre`` and ``post`` are exactly those of ``generate_sample("senate")``.
    At ``follow-up``, per relation and pair of people tied at ``post`` (either
    direction), the tie lasts with probability 0.9 if it already existed at
    ``pre``, 0.85 if it formed during the programme inside one organisation
    and 0.6 if it formed across organisations (programme ties decay faster,
    as in Boda et al. 2020); a lasting tie keeps its ``post`` nominations.
    Untied pairs form a tie with probability 0.08 inside an organisation and
    0.01 across (each side reports it with probability 0.9). The medical
    director of the teaching trust (``S14``) left after ``post``
    (``last_wave = post``); her successor ``S27`` joined before the
    follow-up (``first_wave = follow-up``, not a programme participant), and
    names and is named by colleagues there. Three members do not respond at
    follow-up.

    Parameters
    ----------
    seed : int, optional
        Seed of the follow-up wave (default ``SAMPLE_SEEDS["follow-up"]``).

    Returns
    -------
    dict of DataFrame
        ``roster`` (the senate's columns plus ``first_wave`` and
        ``last_wave``), ``ties`` and ``respondents``, as
        :func:`generate_sample`.

    References
    ----------
    .. [1] Boda, Z., Elmer, T., Vörös, A. & Stadtfeld, C. (2020). Short-term
       and long-term effects of a social network intervention on friendships
       among university students. *Scientific Reports* 10, 2889.

    Examples
    --------
    >>> from senatenet import generate_follow_up
    >>> s = generate_follow_up()
    >>> len(s["roster"]), list(s["ties"]["wave"].unique())
    (27, ['pre', 'post', 'follow-up'])
    """
    base = generate_sample("senate")
    seed = SAMPLE_SEEDS[FOLLOW_UP] if seed is None else int(seed)
    rng = np.random.default_rng(seed)
    roster = pd.concat([base["roster"], pd.DataFrame([_JOINER])], ignore_index=True)
    roster["first_wave"] = np.where(roster["person_id"].eq(_JOINER["person_id"]), FOLLOW_UP, "")
    roster["last_wave"] = np.where(roster["person_id"].eq(_LEAVER), "post", "")
    org = dict(zip(roster["person_id"], roster["organisation"], strict=True))
    ids = roster["person_id"].tolist()
    members = [p for p in ids if p != _LEAVER]
    ties = base["ties"]
    rows = []
    for relation in RELATIONS:
        t = ties[ties["relation"].eq(relation)]
        by_pair: dict[tuple, dict] = {}
        for wave in ("pre", "post"):
            for r in t[t["wave"].eq(wave)].itertuples(index=False):
                key = tuple(sorted((r.respondent, r.alter)))
                by_pair.setdefault(key, {}).setdefault(wave, []).append(r)
        for key in sorted(by_pair):
            if _LEAVER in key or "post" not in by_pair[key]:
                continue
            same = org[key[0]] == org[key[1]]
            p = 0.9 if "pre" in by_pair[key] else (0.85 if same else 0.6)
            if rng.random() < p:
                rows.extend((FOLLOW_UP, r.respondent, r.alter, relation, int(r.strength))
                            for r in by_pair[key]["post"])
        tied = set(by_pair)
        for a_i, a in enumerate(members):
            for b in members[a_i + 1:]:
                key = tuple(sorted((a, b)))
                same = org[a] == org[b]
                new_person = _JOINER["person_id"] in key
                p = (0.6 if same else 0.15) if new_person else (0.08 if same else 0.01)
                if key in tied and "post" in by_pair[key] or rng.random() >= p:
                    continue
                strength = _strength(rng, 2, 4)
                for x, y in ((a, b), (b, a)):
                    if rng.random() < (0.9 if relation != "advice" else 0.5):
                        rows.append((FOLLOW_UP, x, y, relation, strength))
    order = np.argsort(rng.random(len(members)), kind="stable")
    silent = {members[i] for i in order[:3].tolist()} - {_JOINER["person_id"]}
    rows = [r for r in rows if r[1] not in silent]
    rows.sort(key=lambda r: (r[1], RELATIONS.index(r[3]), r[2]))
    follow = pd.DataFrame(rows, columns=["wave", "respondent", "alter", "relation", "strength"])
    resp = pd.DataFrame([(FOLLOW_UP, p) for p in members if p not in silent],
                        columns=["wave", "person_id"])
    return {
        "roster": roster,
        "ties": pd.concat([ties, follow], ignore_index=True),
        "respondents": pd.concat([base["respondents"], resp], ignore_index=True),
    }


def write_sample(
    directory: str | Path,
    cohorts: tuple[str, ...] = ("senate", "comparison"),
    *,
    seed: int | None = None,
    programme_effect: float | None = None,
) -> dict[str, dict[str, Path]]:
    """Write :func:`generate_sample` output as CSV files, one folder per cohort.

    Writes ``<directory>/<cohort>/roster.csv``, ``ties.csv`` and
    ``respondents.csv`` (UTF-8, ``\\n`` line ends, ``participant`` as
    ``true``/``false``). With the defaults this reproduces ``data/sample``.

    Parameters
    ----------
    directory : str or Path
        Where to write; created if needed.
    cohorts : tuple of str
        Which cohorts to write; ``"follow-up"`` writes
        :func:`generate_follow_up` (``seed`` then seeds its third wave).
    seed, programme_effect : optional
        Passed to :func:`generate_sample` for every cohort.

    Returns
    -------
    dict
        ``{cohort: {"roster": Path, "ties": Path, "respondents": Path}}``.

    References
    ----------
    .. [1] RFC 4180, Common Format and MIME Type for CSV Files.

    Examples
    --------
    >>> import tempfile
    >>> from senatenet import write_sample
    >>> with tempfile.TemporaryDirectory() as d:
    ...     paths = write_sample(d, ("senate",))
    ...     sorted(p.name for p in paths["senate"].values())
    ['respondents.csv', 'roster.csv', 'ties.csv']
    """
    written: dict[str, dict[str, Path]] = {}
    for cohort in cohorts:
        tables = (generate_follow_up(seed=seed) if cohort == FOLLOW_UP else
                  generate_sample(cohort, seed=seed, programme_effect=programme_effect))
        folder = Path(directory) / cohort
        folder.mkdir(parents=True, exist_ok=True)
        written[cohort] = {}
        for name in FILES:
            df = tables[name].copy()
            if "participant" in df:
                df["participant"] = df["participant"].map({True: "true", False: "false"})
            path = folder / f"{name}.csv"
            df.to_csv(path, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
            written[cohort][name] = path
    return written


def _sample_root() -> Path:
    here = Path(__file__).resolve().parent
    for root in (here / "sample_data", here.parent / "data" / "sample"):
        if (root / "senate" / "roster.csv").is_file():
            return root
    raise InputError(
        "the bundled sample files are missing: looked in "
        f"{here / 'sample_data'} and {here.parent / 'data' / 'sample'}"
    )


def sample_paths(cohort: str = "senate") -> dict[str, Path]:
    """Paths of the bundled sample files of one cohort.

    Looks in the installed package (``senatenet/sample_data``) first and falls
    back to the source tree (``data/sample``), so it works in regular and
    editable installs.

    Parameters
    ----------
    cohort : {"senate", "comparison"}

    Returns
    -------
    dict of Path
        ``{"roster": ..., "ties": ..., "respondents": ...}``.

    References
    ----------
    .. [1] The files' layout is described in ``docs/data-format.md``.

    Examples
    --------
    >>> from senatenet import sample_paths
    >>> sample_paths("senate")["ties"].name
    'ties.csv'
    """
    _check_cohort(cohort)
    root = _sample_root() / cohort
    return {name: root / f"{name}.csv" for name in FILES}


def load_sample(cohort: str = "senate", *, follow_up: bool = False):
    """Read a bundled cohort with :func:`senatenet.read_survey`.

    Parameters
    ----------
    cohort : {"senate", "comparison"}
        ``"senate"``: 26 fictional senior doctors in six organisations, before and
        after a leadership programme. ``"comparison"``: 40 fictional doctors in
        seven organisations of another city, no programme.
    follow_up : bool
        The senate with a third wave, ``follow-up``, twelve months after the
        programme, a medical director who left after ``post`` and her
        successor who joined before the follow-up (see
        :func:`generate_follow_up`; files in ``data/sample/follow-up``). Its
        ``pre`` and ``post`` are those of the senate.

    Returns
    -------
    Survey
        Waves ``("pre", "post")`` (with ``follow_up``: ``("pre", "post",
        "follow-up")``), relations ``knows``, ``advice``, ``collaborate``.

    References
    ----------
    .. [1] Hoppe, B. and Reinelt, C. (2010). Social network analysis and the
       evaluation of leadership networks. *The Leadership Quarterly* 21, 600-619.

    Examples
    --------
    >>> import senatenet as sn
    >>> survey = sn.load_sample()
    >>> survey.waves, len(survey.people)
    (('pre', 'post'), 26)
    """
    from .read.long import read_survey

    if follow_up:
        if cohort != "senate":
            raise InputError("follow_up=True is available for the senate sample only")
        cohort = FOLLOW_UP
    paths = sample_paths(cohort)
    waves = FOLLOW_UP_WAVES if cohort == FOLLOW_UP else WAVES
    return read_survey(
        paths["roster"], paths["ties"], respondents=paths["respondents"], waves=list(waves)
    )


def load_comparison_sample():
    """The comparison cohort: ``load_sample("comparison")``.

    Returns
    -------
    Survey
        40 fictional doctors in seven organisations, no programme.

    References
    ----------
    .. [1] See :func:`load_sample`.

    Examples
    --------
    >>> import senatenet as sn
    >>> len(sn.load_comparison_sample().people)
    40
    """
    return load_sample("comparison")
