"""Timings of the wide-export reader, name matching and the exchange formats.

Run ``python benchmarks/readers.py``. Prints seconds per task and the ratio to
its target (below 1 is within target). Targets are for an ordinary laptop.
"""

from __future__ import annotations

import random
import string
import tempfile
import time
from pathlib import Path

import pandas as pd

import senatenet as sn

TARGETS = {  # seconds
    "wide export 300 x 300, 2 questions": 5.0,
    "match 2,000 noisy names / 5,000 roster": 5.0,
    "DL write+read 1,000 people, 20,000 ties": 5.0,
    "Pajek write+read 1,000 people, 20,000 ties": 5.0,
}


def roster(n: int, rng: random.Random) -> pd.DataFrame:
    def word() -> str:
        return "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(4, 9)))

    names = [f"Dr {word().title()} {word().title()}" for _ in range(n)]
    return pd.DataFrame({"person_id": [f"{k:05d}" for k in range(n)], "name": names,
                         "organisation": [f"Org {k % 12}" for k in range(n)]})


def timed(label: str, func) -> None:
    start = time.perf_counter()
    func()
    took = time.perf_counter() - start
    print(f"{label:45s} {took:7.2f} s   ratio to target {took / TARGETS[label]:.2f}")


def main() -> None:
    rng = random.Random(0)
    people = roster(300, rng)
    labels = ["Never", "Monthly", "Weekly", "Daily", ""]
    data = {"Who": people["person_id"]}
    for q in ("Q1", "Q2"):
        for name in people["name"]:
            data[f"{q}_[{name}]"] = [rng.choice(labels) for _ in range(len(people))]
    export = pd.DataFrame(data)
    timed("wide export 300 x 300, 2 questions", lambda: sn.read_wide_survey(
        export, roster=people, respondent_column="Who", relation={"Q1": "a", "Q2": "b"},
        scale="frequency", wave="1"))

    big = roster(5000, rng)

    def typo(name: str) -> str:
        k = rng.randrange(4, len(name))
        return name[:k] + rng.choice(string.ascii_lowercase) + name[k + 1:]

    names = [typo(n) if rng.random() < 0.5 else n.upper() for n in big["name"][:2000]]
    timed("match 2,000 noisy names / 5,000 roster", lambda: sn.match_names(names, big))

    people = roster(1000, rng)
    ids = people["person_id"].tolist()
    ties = pd.DataFrame({"wave": "1", "respondent": [rng.choice(ids) for _ in range(20000)],
                         "alter": [rng.choice(ids) for _ in range(20000)],
                         "relation": "advice", "strength": 1})
    ties = ties[ties["respondent"] != ties["alter"]].drop_duplicates(
        ["respondent", "alter"])
    survey = sn.read_survey(people, ties)
    with tempfile.TemporaryDirectory() as d:
        timed("DL write+read 1,000 people, 20,000 ties", lambda: sn.read_ucinet_dl(
            sn.write_ucinet_dl(survey, Path(d) / "b.dl", format="edgelist1"), roster=people,
            relation="advice"))
        timed("Pajek write+read 1,000 people, 20,000 ties", lambda: sn.read_pajek(
            sn.write_pajek(survey, Path(d) / "b.net"), roster=people, relation="advice"))


if __name__ == "__main__":
    main()
