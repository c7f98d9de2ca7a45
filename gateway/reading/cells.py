"""A page of text as rows of cells: the unit every reader in this package works on."""

from __future__ import annotations

from dataclasses import dataclass

from gateway.vntext import skeleton


@dataclass(frozen=True)
class Cell:
    """A run of text without a wide gap in it: one column's part of a line."""

    text: str
    start: int  # column of its first character (0 in plain text)
    right: bool = False  # known to be in the page's right column

    @property
    def key(self) -> str:
        """The skeleton: case-folded, without diacritics, as long as `text` (positions carry over)."""
        return skeleton(self.text)


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]

    @property
    def text(self) -> str:
        return " ".join(c.text for c in self.cells)

    @property
    def blank(self) -> bool:
        return not self.cells


@dataclass(frozen=True)
class Page:
    rows: tuple[Row, ...]
    columns: bool  # the text keeps columns apart (layout text), so `Cell.right` can be trusted

    def __len__(self) -> int:
        return len(self.rows)
