"""``senatenet model``: fit a tie-change model, an ERGM of one wave or a SAOM
from survey files and print the tidy table.

Exit codes: 0 fitted, 2 unusable input or usage (a message, never a traceback).
"""

from __future__ import annotations

import argparse
import sys

from .validate import add_input_arguments, console_safe, read_input

__all__: list[str] = []


def register(sub) -> None:
    parser = sub.add_parser(
        "model", help="fit a tie-change (formation/persistence) model, an ERGM or a SAOM",
        description="Fit a model of tie change between waves and print the estimates.")
    kinds = parser.add_subparsers(dest="kind", metavar="KIND")
    tc = kinds.add_parser(
        "tie-change", help="formation and persistence (separable temporal ERGM, CMLE)",
        description="Formation (pairs not tied before) and persistence (pairs tied "
        "before) as logistic regressions (Krivitsky & Handcock 2014). Pairs whose "
        "sender did not respond are missing and counted.")
    add_input_arguments(tc)
    tc.add_argument("--before", required=True, help="earlier wave")
    tc.add_argument("--after", required=True, help="later wave")
    tc.add_argument("--relation", help="relation (required when there are several)")
    tc.add_argument("--min-strength", type=float, help="ties weaker than this are absent")
    tc.add_argument("--terms", default="edges + nodematch(organisation) + "
                    "reciprocated_before + shared_partners_before",
                    help="ergm-style terms joined by '+' (default: %(default)s)")
    tc.add_argument("--comparison-roster", metavar="R", help="comparison cohort roster")
    tc.add_argument("--comparison-ties", metavar="T", help="comparison cohort ties")
    tc.add_argument("--comparison-respondents", metavar="P",
                    help="comparison cohort respondents")
    tc.add_argument("--permutations", type=int, default=0, metavar="N",
                    help="DSP permutations for dependence-respecting intervals beside the "
                    "model-based and dyadic-robust ones (default 0: none; 99-199 usual)")
    tc.add_argument("--seed", type=int, default=0, help="seed of the permutations (default 0)")
    tc.set_defaults(func=_tie_change)
    er = kinds.add_parser(
        "ergm", help="exponential random graph model of one wave (MPLE or Monte Carlo MLE)",
        description="An ERGM of one wave's network, with R ergm's formula syntax and "
        "term names; roster columns are the node attributes. --method mple (default) "
        "is exact for dyad-independent terms and a point estimate otherwise; "
        "--method mle gives the Monte Carlo MLE with standard errors for mutual, "
        "triangle, gwesp and transitiveties.")
    add_input_arguments(er)
    er.add_argument("--wave", required=True, help="the wave to model")
    er.add_argument("--relation", help="relation (required when there are several)")
    er.add_argument("--min-strength", type=float, help="ties weaker than this are absent")
    er.add_argument("--symmetrize", choices=["union", "reciprocal"],
                    help="model undirected ties (default: directed nominations)")
    er.add_argument("--formula", default="edges + nodematch(organisation) + mutual",
                    help="ergm formula (default: %(default)s)")
    er.add_argument("--method", choices=["mple", "mle"], default="mple",
                    help="estimator (default: %(default)s)")
    er.add_argument("--seed", type=int, default=0,
                    help="seed of the Monte Carlo MLE's simulations (default 0)")
    er.add_argument("--sample-size", type=int, metavar="N",
                    help="Monte Carlo MLE: simulated networks per iteration (default 1024)")
    er.add_argument("--burnin", type=int, metavar="N",
                    help="Monte Carlo MLE: toggles per chain between iterations (default "
                    "max(1000, 10 x dyads))")
    er.set_defaults(func=_ergm)
    sa = kinds.add_parser(
        "saom", help="stochastic actor-oriented model (RSiena method of moments; "
        "needs senatenet[models])",
        description="Stochastic actor-oriented model by the method of moments "
        "(Snijders 2001), RSiena effect names, via cusna.")
    add_input_arguments(sa)
    sa.add_argument("--relation", help="relation (required when there are several)")
    sa.add_argument("--min-strength", type=float, help="ties weaker than this are absent")
    sa.add_argument("--effects", nargs="+", default=["density", "recip", "transTrip"],
                    help="RSiena short names, e.g. recip 'sameX(organisation)' "
                    "(default: %(default)s)")
    sa.add_argument("--conditional", action="store_true", help="conditional estimation")
    sa.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    sa.add_argument("--n-jobs", type=int, default=1, help="threads (default 1)")
    sa.set_defaults(func=_saom)
    parser.set_defaults(func=lambda args: _usage(parser))


def _usage(parser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _tie_change(args: argparse.Namespace) -> int:
    from ..errors import InputError
    from ..models.describe import describe_tie_change
    from ..models.tie_change import tie_change_model
    from ..read.long import read_survey

    console_safe()
    survey = read_input(args)
    comparison = None
    if args.comparison_roster or args.comparison_ties:
        if not (args.comparison_roster and args.comparison_ties):
            raise InputError("give both --comparison-roster and --comparison-ties")
        comparison = read_survey(args.comparison_roster, args.comparison_ties,
                                 respondents=args.comparison_respondents, waves=args.waves)
    spec = {"relation": args.relation, "min_strength": args.min_strength}
    model = tie_change_model(survey, args.before, args.after, spec=spec, terms=args.terms,
                             comparison=comparison, n_permutations=args.permutations,
                             seed=args.seed)
    print(model.summary())
    print()
    print("\n".join(describe_tie_change(model)))
    return 0


def _ergm(args: argparse.Namespace) -> int:
    from ..models.ergm import ergm

    console_safe()
    survey = read_input(args)
    G = survey.person_graph(args.wave, args.relation, min_strength=args.min_strength,
                            symmetrize=args.symmetrize)
    control = {k: v for k, v in (("sample_size", args.sample_size),
                                 ("burnin", args.burnin)) if v is not None}
    res = ergm(G, args.formula, method=args.method, seed=args.seed, control=control)
    print(res.summary())
    return 0


def _saom(args: argparse.Namespace) -> int:
    from ..models.saom import saom

    console_safe()
    survey = read_input(args)
    try:
        res = saom(survey, relation=args.relation, effects=args.effects,
                   conditional=args.conditional, min_strength=args.min_strength,
                   seed=args.seed, n_jobs=args.n_jobs)
    except ImportError as exc:
        print(f"senatenet model: error: {exc}", file=sys.stderr)
        return 2
    print(res.summary())
    return 0
