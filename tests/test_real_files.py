"""Real public files (tests/fixtures/real/, see SOURCES.md) read tie for tie.

The expectation for each file is computed by another program that reads the
format (python-igraph's DL and Pajek readers; networkx's Pajek reader), never by
senatenet's readers. A tie that senatenet does not keep (a self-loop, a negative
value, a repeated pair) must each have a line in the validation report.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

import senatenet as sn
from senatenet.errors import InputError

REAL = Path(__file__).parent / "fixtures" / "real"
ONE_MODE = sorted(p for p in (REAL / "igraph").iterdir()
                  if p.name not in ("pajek_bip2.net",))


def _read(path: Path):
    return sn.read_ucinet_dl(path) if path.suffix == ".dl" else sn.read_pajek(path)


def _igraph_ties(path: Path) -> dict[tuple[str, str], list[float]]:
    """Every tie igraph reads, keyed by casefolded labels (UCINET ignores case)."""
    ig = pytest.importorskip("igraph")
    g = ig.Graph.Read_DL(str(path), directed=True) if path.suffix == ".dl" else \
        ig.Graph.Read_Pajek(str(path))
    attrs = g.vs.attributes()
    names = g.vs["name"] if "name" in attrs else g.vs["id"] if "id" in attrs else \
        [str(v + 1) for v in range(g.vcount())]
    names = [str(x).casefold() for x in names]
    weights = g.es["weight"] if "weight" in g.es.attributes() else [1.0] * g.ecount()
    # igraph gives NaN to an edge without a value; in DL and Pajek that is a tie of 1
    weights = [1.0 if w != w else w for w in weights]
    out: dict[tuple[str, str], list[float]] = {}
    for e, w in zip(g.es, weights, strict=True):
        pairs = [(e.source, e.target)]
        if not g.is_directed() and e.source != e.target:
            pairs.append((e.target, e.source))
        for a, b in pairs:
            out.setdefault((names[a], names[b]), []).append(float(w))
    return out


@pytest.mark.parametrize("path", ONE_MODE, ids=lambda p: p.name)
def test_one_mode_file_read_tie_for_tie(path):
    expected = _igraph_ties(path)
    s = _read(path)
    got = {(a.casefold(), b.casefold()): v for a, b, v in
           zip(s.ties["respondent"], s.ties["alter"], s.ties["strength"], strict=True)}
    keep = {k: v[0] for k, v in expected.items() if k[0] != k[1] and v[0] > 0}
    assert got == pytest.approx(keep)
    checks = list(s.validation["check"])
    loops = sum(len(v) for k, v in expected.items() if k[0] == k[1] and v[0] > 0)
    negative = sum(1 for k, v in expected.items() for w in v if w < 0)
    repeated = sum(len(v) - 1 for v in expected.values())
    assert checks.count("self_nomination") == loops
    assert checks.count("negative_strength") == negative
    assert checks.count("duplicate_nomination") == repeated
    people = {p.casefold() for p in s.people.index}
    assert {a for a, _ in expected} | {b for _, b in expected} <= people


def test_pajek_file_agrees_with_networkx():
    # networkx cannot read karate.net (a *Vertices line without vertex lines), so
    # only LINKS.NET is compared with it; igraph covers karate.net above.
    path = REAL / "igraph" / "LINKS.NET"
    G = nx.read_pajek(path)
    s = _read(path)
    pairs = {(str(u), str(v)) for u, v, d in G.edges(data=True)
             if u != v and float(d.get("weight", 1.0)) > 0}
    if not G.is_directed():
        pairs |= {(v, u) for u, v in pairs}
    assert set(zip(s.ties["respondent"], s.ties["alter"], strict=True)) == pairs


def test_case_differences_in_embedded_labels_read_as_ucinet_reads_them():
    # fullmatrix4.dl: column labels "larry lin pat russ", row labels "Larry Lin Pat Russ"
    s = sn.read_ucinet_dl(REAL / "igraph" / "fullmatrix4.dl")
    assert sorted(s.people.index) == ["david", "larry", "lin", "pat", "russ"]


def test_two_mode_pajek_file_refused_naming_file_row_and_what_is_needed():
    with pytest.raises(InputError) as err:
        sn.read_pajek(REAL / "igraph" / "pajek_bip2.net")
    text = str(err.value)
    assert "pajek_bip2.net" in text and "row 1" in text
    assert "two-mode" in text and "projected to one mode" in text


def test_links_net_reports_what_it_ignores():
    s = sn.read_pajek(REAL / "igraph" / "LINKS.NET")
    checks = list(s.validation["check"])
    assert checks.count("pajek_arc_extra") == 7
    assert checks.count("pajek_vertex_extra") == 4
