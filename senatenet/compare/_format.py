"""Number formatting shared by every sentence about a comparison (one place, so
``str(cmp)``, the report and the CLI summary write numbers the same way)."""

from __future__ import annotations

import math

__all__: list[str] = []

MINUS = "\u2212"


def p_text(p: float, n_permutations: int) -> str:
    """A permutation p-value in words: ``p = 0.0372``, or at the floor
    1 / (R + 1) ``p < 0.001, the smallest possible with 1,000 permutations``.

    Examples
    --------
    >>> p_text(1 / 1001, 1000)
    'p < 0.001, the smallest possible with 1,000 permutations'
    >>> p_text(0.01, 99), p_text(0.1868, 1000)
    ('p = 0.01, the smallest possible with 99 permutations', 'p = 0.187')
    """
    if p is None or p != p:
        return "no permutation test run" if n_permutations == 0 else "p not available"
    floor = 1 / (n_permutations + 1)
    if p <= floor * (1 + 1e-9):
        bound = "p < 0.001" if floor < 0.001 else f"p = {floor:.2g}"
        return f"{bound}, the smallest possible with {n_permutations:,} permutations"
    return f"p = {p:.3g}"


def signed(x: float | None) -> str:
    """``+0.25`` / ``−0.40`` (true minus sign) / ``undefined`` for NaN.

    Examples
    --------
    >>> signed(0.25), signed(-0.4), signed(float("nan"))
    ('+0.25', '−0.40', 'undefined')
    """
    if x is None or x != x:
        return "undefined"
    return f"{x:+.2f}".replace("-", MINUS)


def count(n: float, unit: str) -> str:
    """A whole count with thousands separators and its unit, singular when 1.

    Examples
    --------
    >>> count(1, "pairs"), count(1200, "nominations"), count(0, "pairs")
    ('1 pair', '1,200 nominations', '0 pairs')
    """
    n = int(round(float(n)))
    if n == 1 and unit.endswith("s"):
        unit = unit[:-1]
    return f"{n:,} {unit}"


def number(n: float) -> str:
    """A whole count as text (``1,234``), or ``undefined`` for NaN."""
    if n is None or (isinstance(n, float) and math.isnan(n)):
        return "undefined"
    return f"{int(round(float(n))):,}"


def lean(ei: float, expected: float) -> str:
    """How the E-I after compares with random mixing, in words (or nothing)."""
    if ei != ei or expected != expected:
        return ""
    if ei < expected - 0.1:
        return ", so ties still lean towards people's own organisations"
    if ei > expected + 0.1:
        return ", so ties now lean across organisations"
    return ", about what is seen now"
