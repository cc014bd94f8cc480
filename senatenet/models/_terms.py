"""Change statistics of ergm terms (Hunter, Handcock, Butts, Goodreau & Morris 2008).

For a dyad (i, j) the change statistic is g(y with the tie) - g(y without it),
both computed from the observed network y with the tie (i, j) set as stated.
Every function returns an n x n matrix over dyads (only off-diagonal entries,
and for undirected networks only i < j, are used), its label(s) as R ergm
names them and the observed statistic g(y).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputError
from ._formula import Term

__all__: list[str] = []

DYAD_INDEPENDENT = {
    "edges", "nodematch", "nodemix", "nodecov", "nodeocov", "nodeicov", "absdiff",
    "nodefactor", "nodeofactor", "nodeifactor", "edgecov",
}
DYAD_DEPENDENT = {"mutual", "triangle", "gwesp", "transitiveties"}
KNOWN = DYAD_INDEPENDENT | DYAD_DEPENDENT


@dataclass
class Column:
    label: str
    change: np.ndarray  # n x n change statistics
    observed: float
    dependent: bool
    decay: float | None = None  # gwesp's decay (0 for transitiveties)


@dataclass
class Context:
    Y: np.ndarray            # 0/1 adjacency (float), diagonal 0
    directed: bool
    nodes: list
    attrs: pd.DataFrame      # one row per node, in node order
    covariates: dict         # name -> n x n array
    where: str = "formula"

    @property
    def n(self) -> int:
        return self.Y.shape[0]

    def observed(self, change: np.ndarray) -> float:
        """g(y) of a dyad-independent term: the sum of its change statistics over ties."""
        Y = self.Y if self.directed else np.triu(self.Y, 1)
        return float((change * Y).sum())


def _attr(ctx: Context, term: Term) -> pd.Series:
    if not term.args:
        raise InputError(f"{ctx.where}: {term.name}() needs an attribute name, "
                         f"e.g. {term.name}(organisation)")
    name = str(term.args[0])
    if name not in ctx.attrs.columns:
        raise InputError(f"{ctx.where}: {term.name}({name}): no attribute {name!r}; "
                         f"attributes: {sorted(map(str, ctx.attrs.columns))}")
    col = ctx.attrs[name]
    missing = col.isna()
    if missing.any():
        who = [str(x) for x in col.index[missing][:5]]
        raise InputError(f"{ctx.where}: {term.name}({name}): attribute {name!r} is "
                         f"missing for {int(missing.sum())} people (e.g. {who}); "
                         "ergm terms need a value for everyone")
    return col


def _numeric(ctx: Context, term: Term) -> np.ndarray:
    col = _attr(ctx, term)
    try:
        return pd.to_numeric(col.astype(object).map(
            lambda v: float(v) if isinstance(v, (bool, np.bool_)) else v
        ), errors="raise").to_numpy(dtype=float)
    except (ValueError, TypeError) as exc:
        raise InputError(f"{ctx.where}: {term.name}({term.args[0]}) needs a numeric "
                         f"attribute; {term.args[0]!r} has text values") from exc


def _levels(col: pd.Series) -> list:
    vals = list(pd.unique(col))
    try:
        return sorted(vals)
    except TypeError:
        return sorted(vals, key=str)


def _fmt(v) -> str:
    if isinstance(v, (bool, np.bool_)):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _decay_label(x: float) -> str:
    return f"{float(x):g}"


def columns(term: Term, ctx: Context) -> list[Column]:
    """The change-statistic column(s) of one term."""
    name = term.name
    n = ctx.n
    ones = np.ones((n, n))
    if name not in KNOWN:
        raise InputError(f"{ctx.where}: unknown term {name!r}; available: {sorted(KNOWN)}")
    if name == "edges":
        return [Column("edges", ones, ctx.observed(ones), False)]
    if name in ("nodecov", "nodeocov", "nodeicov", "absdiff"):
        a = _numeric(ctx, term)
        if name == "nodecov":
            ch = a[:, None] + a[None, :]
        elif name == "nodeocov":
            ch = np.repeat(a[:, None], n, axis=1)
        elif name == "nodeicov":
            ch = np.repeat(a[None, :], n, axis=0)
        else:
            power = float(term.kwargs.get("pow", term.args[1] if len(term.args) > 1 else 1))
            ch = np.abs(a[:, None] - a[None, :]) ** power
        if name in ("nodeocov", "nodeicov") and not ctx.directed:
            raise InputError(f"{ctx.where}: {name} is for directed networks; use nodecov")
        label = f"{name}.{term.args[0]}"
        if name == "absdiff" and float(term.kwargs.get("pow", 1)) != 1:
            label = f"absdiff{_decay_label(term.kwargs['pow'])}.{term.args[0]}"
        return [Column(label, ch, ctx.observed(ch), False)]
    if name == "nodematch":
        col = _attr(ctx, term).to_numpy(dtype=object)
        same = (col[:, None] == col[None, :]).astype(float)
        diff = bool(term.kwargs.get("diff", False))
        if not diff:
            return [Column(f"nodematch.{term.args[0]}", same, ctx.observed(same), False)]
        out = []
        for lev in _levels(pd.Series(col)):
            ch = same * (col == lev)[:, None]
            out.append(Column(f"nodematch.{term.args[0]}.{_fmt(lev)}", ch,
                              ctx.observed(ch), False))
        return out
    if name in ("nodefactor", "nodeofactor", "nodeifactor"):
        if name != "nodefactor" and not ctx.directed:
            raise InputError(f"{ctx.where}: {name} is for directed networks; use nodefactor")
        col = _attr(ctx, term)
        levels = _levels(col)
        vals = col.to_numpy(dtype=object)
        out = []
        for lev in levels[1:]:  # ergm's default base = 1 drops the first level
            ind = (vals == lev).astype(float)
            if name == "nodefactor":
                ch = ind[:, None] + ind[None, :]
            elif name == "nodeofactor":
                ch = np.repeat(ind[:, None], n, axis=1)
            else:
                ch = np.repeat(ind[None, :], n, axis=0)
            out.append(Column(f"{name}.{term.args[0]}.{_fmt(lev)}", ch,
                              ctx.observed(ch), False))
        return out
    if name == "nodemix":
        col = _attr(ctx, term)
        levels = _levels(col)
        vals = col.to_numpy(dtype=object)
        cells = []
        for jb, b in enumerate(levels):  # column-major, as ergm enumerates the mixing matrix
            for ia, a in enumerate(levels):
                if not ctx.directed and ia > jb:
                    continue
                cells.append((a, b))
        out = []
        for a, b in cells[1:]:  # ergm 4's default levels2 = -1 drops the first cell
            ch = ((vals == a)[:, None] & (vals == b)[None, :]).astype(float)
            if not ctx.directed:
                ch = np.maximum(ch, ch.T)
            out.append(Column(f"mix.{term.args[0]}.{_fmt(a)}.{_fmt(b)}", ch,
                              ctx.observed(ch), False))
        return out
    if name == "edgecov":
        if not term.args:
            raise InputError(f"{ctx.where}: edgecov() needs a covariate name")
        key = str(term.args[0])
        if key not in ctx.covariates:
            raise InputError(f"{ctx.where}: edgecov({key}): pass the matrix as "
                             f"covariates={{{key!r}: graph or square DataFrame}}")
        W = ctx.covariates[key]
        return [Column(f"edgecov.{key}", W, ctx.observed(W), False)]
    # ---------------------------------------------------------- dyad-dependent
    Y = ctx.Y
    if name == "mutual":
        if not ctx.directed:
            raise InputError(f"{ctx.where}: mutual is for directed networks")
        return [Column("mutual", Y.T.copy(), float((Y * Y.T).sum() / 2), True)]
    if name == "triangle":
        if ctx.directed:
            raise InputError(f"{ctx.where}: triangle is implemented for undirected "
                             "networks; for directed networks use transitiveties or "
                             "gwesp(decay, fixed=TRUE)")
        sp = Y @ Y
        return [Column("triangle", sp, float(np.trace(sp @ Y) / 6), True)]
    if name in ("gwesp", "transitiveties"):
        if name == "gwesp":
            if not term.args and "decay" not in term.kwargs:
                raise InputError(f"{ctx.where}: gwesp needs a decay, e.g. "
                                 "gwesp(0.5, fixed=TRUE)")
            decay = float(term.kwargs.get("decay", term.args[0] if term.args else 0))
            fixed = term.kwargs.get("fixed", term.args[1] if len(term.args) > 1 else False)
            if not fixed:
                raise InputError(f"{ctx.where}: gwesp with a free decay (curved ERGM) "
                                 "is not supported; write gwesp(decay, fixed=TRUE)")
            label = f"gwesp.fixed.{_decay_label(decay)}"
        else:
            decay, label = 0.0, "transitiveties"
        ch, obs = _gwesp(Y, decay, ctx.directed)
        return [Column(label, ch, obs, True, decay)]
    raise AssertionError(name)  # pragma: no cover


def _gwesp(Y: np.ndarray, decay: float, directed: bool):
    """Change statistics and value of gwesp(decay, fixed) (ergm's OTP for directed).

    g(y) = e^a sum_edges {1 - (1 - e^-a)^sp(edge)}; with r = 1 - e^-a the change
    of toggling (i, j) on is e^a (1 - r^sp_ij) plus r^(sp-1) for each edge whose
    shared-partner count the new tie raises (Hunter 2007; Snijders et al. 2006).
    decay = 0 gives transitiveties (edges with at least one shared partner).
    """
    r = 1.0 - np.exp(-decay)
    ea = np.exp(decay)
    sp = Y @ Y  # OTP two-paths i->k->j (directed) or shared partners (undirected)
    with np.errstate(divide="ignore", invalid="ignore"):
        R0 = Y * np.power(r, sp)
        R1 = Y * np.power(r, np.maximum(sp - 1, 0))
    direct = ea * (1 - np.power(r, sp))
    if directed:
        # edges i->h with j->h gain partner j; edges g->j with g->i gain partner i
        free = R0 @ Y.T + Y.T @ R0
        tied = R1 @ Y.T + Y.T @ R1
        value = float((Y * direct).sum())
    else:
        free = R0 @ Y + Y @ R0
        tied = R1 @ Y + Y @ R1
        value = float(np.triu(Y * direct, 1).sum())
    change = direct + np.where(Y > 0, tied, free)
    return change, value


def wave_adjacency(survey, wave: str, relation: str, min_strength) -> np.ndarray:
    """0/1 nominations of ``relation`` in ``wave``, roster order (row = sender)."""
    ids = survey.people.index
    t = survey.ties
    t = t[t["wave"].eq(wave) & t["relation"].eq(relation)]
    if min_strength is not None:
        t = t[t["strength"] >= float(min_strength)]
    A = np.zeros((len(ids), len(ids)))
    A[ids.get_indexer(t["respondent"]), ids.get_indexer(t["alter"])] = 1.0
    return A


def pair_covariate(name: str, value, ids: pd.Index) -> np.ndarray:
    """A dyadic covariate as an n x n matrix in roster order, from a matrix, a
    square DataFrame indexed by person id, or a pair table (a, b, value)."""
    n = len(ids)
    if isinstance(value, pd.DataFrame) and value.shape[1] == 3 and not (
        value.shape[0] == n and set(map(str, value.columns)) == set(ids)
    ):
        a, b, w = (value.iloc[:, k] for k in range(3))
        ia = ids.get_indexer(a.astype(str))
        ib = ids.get_indexer(b.astype(str))
        bad = np.flatnonzero((ia < 0) | (ib < 0))
        if bad.size:
            raise InputError(f"covariates[{name!r}]: row {int(bad[0]) + 1} names a person "
                             f"not on the roster ({a.iloc[bad[0]]!r} -> {b.iloc[bad[0]]!r})")
        M = np.zeros((n, n))
        M[ia, ib] = pd.to_numeric(w, errors="raise").to_numpy(dtype=float)
        return M
    if isinstance(value, pd.DataFrame):
        try:
            return value.loc[list(ids), list(ids)].to_numpy(dtype=float)
        except KeyError as exc:
            raise InputError(f"covariates[{name!r}]: a square DataFrame must be indexed "
                             "by every person id (rows and columns)") from exc
    M = np.asarray(value, dtype=float)
    if M.shape != (n, n):
        raise InputError(f"covariates[{name!r}]: expected an {n} x {n} matrix in roster "
                         f"order, a square DataFrame or a pair table; got shape {M.shape}")
    return M


def choose_relation(survey, relation, how: str) -> str:
    """``relation``, or the survey's only relation; ``how`` says how to choose."""
    relations = list(survey.relations)
    if relation is None:
        if len(relations) != 1:
            raise InputError(f"the survey has several relations {relations}; choose one "
                             f"with {how}")
        return relations[0]
    if relation not in relations:
        raise InputError(f"unknown relation {relation!r}; relations: {relations}")
    return relation
