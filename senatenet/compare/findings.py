"""One narrator: the findings of a comparison as data, rendered as text or HTML.

A :class:`WaveComparison` produces its :class:`Findings` once from its results;
``str(cmp)``, ``cmp._repr_html_()``, the report and the CLI summary all render
the same objects, as a statsmodels ``Summary`` has one content model and
several renderings, so the numbers cannot drift apart.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, fields
from typing import overload

import pandas as pd

__all__ = ["Finding", "Findings", "ROLES"]

#: Roles of a finding, in the order a summary shows them.
ROLES = ("primary", "secondary", "descriptive", "caveat")


@dataclass(frozen=True)
class Finding:
    """One fact about a comparison: a stable id, a sentence and its numbers.

    Attributes
    ----------
    id : str
        Stable identifier, e.g. ``"cross_boundary_pairs"``, ``"ei_change"``,
        ``"qap_waves"``, ``"caveat_nonresponse"``; code finds a finding by it,
        never by its wording.
    sentence : str
        A complete plain-words sentence with the numbers and their unit.
    value : float, optional
        The headline number (a change, a correlation, a coefficient).
    unit : str
        Unit of ``value``/``before``/``after``: ``"pairs"``, ``"nominations"``,
        ``"E-I"``, ``"pearson r"``, ``"share"``, ...
    before, after : float, optional
        The two waves' values, when the finding compares them.
    ci_low, ci_high : float, optional
        An interval for ``value``, when one exists.
    p : float, optional
        The p-value quoted in the sentence.
    role : {"primary", "secondary", "descriptive", "caveat"}

    References
    ----------
    Seabold, S. & Perktold, J. (2010). statsmodels: econometric and statistical
    modeling with Python. Proc. 9th Python in Science Conference (one result
    content model, several renderings).

    Examples
    --------
    >>> f = Finding("ei_change", "The E-I index rose.", value=0.4, unit="E-I", p=0.01,
    ...             role="primary")
    >>> f.id, f.role
    ('ei_change', 'primary')
    """

    id: str
    sentence: str
    value: float | None = None
    unit: str = ""
    before: float | None = None
    after: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p: float | None = None
    role: str = "descriptive"

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"role must be one of {list(ROLES)}, not {self.role!r}")
        if not self.id or not self.sentence:
            raise ValueError("a finding needs an id and a sentence")


class Findings(Sequence[Finding]):
    """An immutable, ordered collection of :class:`Finding` with renderings.

    ``get(id)`` finds one by its stable id; ``to_frame()`` is a tidy table (one
    row per finding, the :class:`Finding` fields as columns); ``as_text()`` and
    ``as_html()`` render the sentences (HTML escaped: survey text is untrusted).

    Parameters
    ----------
    items : iterable of Finding
        Ids must be unique.

    References
    ----------
    Seabold, S. & Perktold, J. (2010). statsmodels: econometric and statistical
    modeling with Python. Proc. 9th Python in Science Conference.

    Examples
    --------
    >>> fs = Findings([Finding("a", "First <b>."), Finding("c", "Careful.", role="caveat")])
    >>> len(fs), fs.get("c").sentence, fs.get("missing") is None
    (2, 'Careful.', True)
    >>> print(fs.as_text())
    - First <b>.
    Caveats:
    - Careful.
    >>> "&lt;b&gt;" in fs.as_html()
    True
    """

    __slots__ = ("_items", "_index")

    def __init__(self, items: Iterable[Finding] = ()) -> None:
        items = tuple(items)
        for f in items:
            if not isinstance(f, Finding):
                raise TypeError(f"Findings holds Finding objects, not {type(f).__name__}")
        index = {}
        for i, f in enumerate(items):
            if f.id in index:
                raise ValueError(f"duplicate finding id {f.id!r}")
            index[f.id] = i
        object.__setattr__(self, "_items", items)
        object.__setattr__(self, "_index", index)

    def __setattr__(self, name, value):  # immutable
        raise AttributeError("Findings is immutable")

    def __reduce__(self):
        return (Findings, (self._items,))

    @overload
    def __getitem__(self, i: int) -> Finding: ...
    @overload
    def __getitem__(self, i: slice) -> Findings: ...
    def __getitem__(self, i):
        if isinstance(i, slice):
            return Findings(self._items[i])
        return self._items[i]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self._items)

    def __eq__(self, other) -> bool:
        return isinstance(other, Findings) and self._items == other._items

    def __hash__(self) -> int:
        return hash(self._items)

    def __repr__(self) -> str:
        return f"<Findings: {', '.join(self.ids)}>"

    @property
    def ids(self) -> tuple[str, ...]:
        """The ids in order."""
        return tuple(f.id for f in self._items)

    def get(self, id: str, default: Finding | None = None) -> Finding | None:
        """The finding with this id, or ``default``."""
        i = self._index.get(id)
        return default if i is None else self._items[i]

    def __contains__(self, item) -> bool:
        if isinstance(item, str):
            return item in self._index
        return item in self._items

    def select(self, *roles: str) -> Findings:
        """The findings with one of these roles, in order."""
        return Findings(f for f in self._items if f.role in roles)

    def to_frame(self) -> pd.DataFrame:
        """One row per finding; columns are the :class:`Finding` fields."""
        cols = [f.name for f in fields(Finding)]
        out = pd.DataFrame([asdict(f) for f in self._items], columns=cols)
        for c in ("value", "before", "after", "ci_low", "ci_high", "p"):
            out[c] = pd.to_numeric(out[c], errors="coerce").astype(float)
        return out

    def as_text(self, bullet: str = "- ") -> str:
        """Sentences as a bullet list, the caveats after a ``Caveats:`` line."""
        main = [f"{bullet}{f.sentence}" for f in self._items if f.role != "caveat"]
        cav = [f"{bullet}{f.sentence}" for f in self._items if f.role == "caveat"]
        return "\n".join(main + (["Caveats:", *cav] if cav else []))

    def _repr_html_(self) -> str:
        """The notebook display: :meth:`as_html` (every sentence escaped)."""
        return self.as_html()

    def as_html(self) -> str:
        """Sentences as HTML lists (every sentence escaped)."""
        esc = html.escape
        main = "".join(f"<li>{esc(f.sentence)}</li>" for f in self._items if f.role != "caveat")
        cav = "".join(f"<li>{esc(f.sentence)}</li>" for f in self._items if f.role == "caveat")
        out = f"<ul>{main}</ul>" if main else ""
        if cav:
            out += f"<p><b>Caveats</b></p><ul>{cav}</ul>"
        return out
