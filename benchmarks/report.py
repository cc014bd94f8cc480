"""CPU seconds of the whole job: ``senatenet report``, ``senatenet demo``, a
300-person report, and ``import senatenet``, with a breakdown by stage.

Each run happens in a fresh Python process (so imports are counted, as a user
pays them); CPU time is user + system of that process and its children. The
stage breakdown comes from the report's numbered progress messages: the CPU
time between one step's start and the next is charged to that step ("read" is
everything before the first step: imports and reading the files).

Usage: ``.venv/bin/python benchmarks/report.py [--only report demo big import]
[--repeat N] [--jobs N]``. The numbers are noisy on a shared machine:
``--repeat 2`` runs each job twice and shows the lower. Runs use Python's
bytecode cache even when ``PYTHONDONTWRITEBYTECODE`` is set (as an installed
package would).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

STAGES = {  # progress label prefix -> stage
    "Pseudonymising": "read",
    "Comparing waves": "compare",
    "Evaluating": "evaluate",
    "Re-running": "compare",
    "Comparing cohorts": "compare",
    "Drawing the figures": "figures",
    "Building the interactive map": "map",
    "Writing tables": "write",
    "Writing report.html": "html",
}

CHILD = r"""
import json, resource, sys, time
def cpu():
    a = resource.getrusage(resource.RUSAGE_SELF)
    b = resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime
t0, w0 = cpu(), time.perf_counter()
marks = []
_real = sys.stderr
class Tap:
    def write(self, text):
        for line in text.splitlines():
            if line.startswith("["):
                marks.append((line.split("] ", 1)[1].rstrip(" ."), cpu() - t0))
        return _real.write(text)
    def flush(self):
        _real.flush()
sys.stderr = Tap()
from senatenet.cli import main
code = main(ARGV)
sys.stderr = _real
print("@@" + json.dumps({"code": code, "total": cpu() - t0, "marks": marks,
                        "wall": time.perf_counter() - w0}))
"""


def child_env() -> dict[str, str]:
    """The environment of the measured runs: with Python's bytecode cache, as an
    installed package has (``PYTHONDONTWRITEBYTECODE=1`` would compile every
    senatenet module on every import, about 0.4 CPU s more)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run(argv: list[str]) -> dict:
    src = CHILD.replace("ARGV", repr(argv))
    out = subprocess.run(
        [sys.executable, "-c", src], capture_output=True, text=True, check=False,
        env=child_env(),
    )
    line = [x for x in out.stdout.splitlines() if x.startswith("@@")]
    if not line:
        raise SystemExit(f"run failed: {argv}\n{out.stderr[-2000:]}")
    return json.loads(line[0][2:])


def stages(result: dict) -> dict[str, float]:
    out = {"read": 0.0}
    marks = result["marks"]
    out["read"] = marks[0][1] if marks else result["total"]
    for i, (label, start) in enumerate(marks):
        end = marks[i + 1][1] if i + 1 < len(marks) else result["total"]
        stage = next((v for k, v in STAGES.items() if label.startswith(k)), "other")
        out[stage] = out.get(stage, 0.0) + end - start
    return out


def show(name: str, result: dict, target: float | None) -> None:
    parts = ", ".join(f"{k} {v:.2f}" for k, v in stages(result).items())
    goal = f" (target <= {target:g})" if target else ""
    print(f"{name}: {result['total']:.2f} CPU s{goal}; {parts}; "
          f"wall {result.get('wall', float('nan')):.1f} s")


def import_cost() -> None:
    src = textwrap.dedent(
        """
        import resource
        def cpu():
            r = resource.getrusage(resource.RUSAGE_SELF)
            return r.ru_utime + r.ru_stime
        t = cpu(); import pandas, networkx; a = cpu() - t
        t = cpu(); import senatenet; b = cpu() - t
        import sys
        heavy = [m for m in ("scipy", "matplotlib", "jinja2", "openpyxl",
                             "rapidfuzz", "pyvis") if m in sys.modules]
        print(f"import pandas+networkx {a:.3f} CPU s; import senatenet adds "
              f"{b:.3f} (target <= 0.25); heavy modules loaded: {heavy or 'none'}")
        """
    )
    # the first import writes the bytecode cache; measure the second
    subprocess.run([sys.executable, "-c", "import senatenet"], check=True, env=child_env())
    subprocess.run([sys.executable, "-c", src], check=True, env=child_env())


def machine_speed() -> None:
    """CPU seconds of a fixed pure-Python loop (5,000,000 additions): the same
    machine gave 0.54 to 1.33 s on different days, so report times are only
    comparable between runs with similar loop times."""
    src = ("import resource\n"
           "r = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_utime\n"
           "t = r(); s = 0\n"
           "for i in range(5_000_000): s += i\n"
           "print(f'machine speed: 5,000,000-iteration Python loop {r() - t:.2f} CPU s')")
    subprocess.run([sys.executable, "-c", src], check=True, env=child_env())


def big_survey(folder: Path, people: int = 300) -> dict[str, Path]:
    import senatenet as sn

    per = people // 10
    orgs = [(f"Org {i}", "acute" if i % 2 else "primary", per) for i in range(10)]
    tables = sn.generate_sample("senate", seed=3, organisations=orgs)
    paths = {}
    for name, df in tables.items():
        path = folder / f"{name}.csv"
        df.to_csv(path, index=False)
        paths[name] = path
    return paths


def best(argv: list[str], repeat: int) -> dict:
    """The run with the least CPU time of ``repeat`` runs (a busy machine only
    ever adds time)."""
    runs = [run(argv) for _ in range(max(repeat, 1))]
    return min(runs, key=lambda r: r["total"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="+", default=["import", "report", "demo", "big"])
    ap.add_argument("--repeat", type=int, default=1,
                    help="runs per job; the lowest CPU time is shown")
    ap.add_argument("--jobs", type=int, default=None,
                    help="pass --jobs N to the runs (default: the CLI's default). "
                    "CPU time then misses the joblib workers (still alive when the "
                    "run ends); compare wall times")
    args = ap.parse_args()
    import senatenet as sn

    jobs = [] if args.jobs is None else ["--jobs", str(args.jobs)]
    tmp = Path(tempfile.mkdtemp(prefix="senatenet-bench-"))
    machine_speed()
    if "import" in args.only:
        import_cost()
    if "report" in args.only:
        f = sn.sample_paths("senate")
        argv = ["report", "--roster", str(f["roster"]), "--ties", str(f["ties"]),
                "--respondents", str(f["respondents"]), "--before", "pre",
                "--after", "post", "--relation", "advice", "--out", str(tmp / "r")]
        show("senatenet report (bundled senate, 1000 permutations)",
             best(argv + jobs, args.repeat), 5)
    if "demo" in args.only:
        show("senatenet demo", best(["demo", "--out", str(tmp / "d"), *jobs],
                                    args.repeat), 12)
    if "big" in args.only:
        files = big_survey(tmp)
        argv = ["report", "--roster", str(files["roster"]), "--ties",
                str(files["ties"]), "--respondents", str(files["respondents"]),
                "--before", "pre", "--after", "post", "--relation", "advice",
                "--out", str(tmp / "b")]
        show("senatenet report (300 people, 1000 permutations)",
             best(argv + jobs, args.repeat), 15)


if __name__ == "__main__":
    main()
