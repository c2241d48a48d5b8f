"""One page of a long list (students, the SWV's queue, a dossier's inzage-log): its items, and where it stands
among the pages."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass
class Page:
    items: list
    total: int
    number: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


@dataclass
class KeysetPage:
    """A page read after a cursor (keyset paging: the cost of a page never depends on how deep it lies).

    ``first`` is the 1-based position of the first item among all ``total``; ``next_cursor`` the key to ask for
    the following page with, None on the last page."""

    items: list
    total: int
    first: int
    next_cursor: int | None

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1 if self.items else self.first - 1
