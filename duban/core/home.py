""" "What is waiting for me": the sections of the home page.

Each module registers a section: a title, what appears there (the empty state says it),
the roles it is for, and a function returning the user's waiting items. Providers must
run a bounded number of queries (the home page has a query-count test).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class WaitingItem:
    text: str
    url: str = ""
    note: str = ""
    light: str = ""


@dataclass(frozen=True)
class HomeSection:
    key: str
    title: str
    empty_text: str
    roles: frozenset[str]
    provider: Callable[[object], list[WaitingItem]] = field(compare=False)
    more_url_name: str = ""


SECTIONS: list[HomeSection] = []


def register(section: HomeSection) -> HomeSection:
    SECTIONS[:] = [s for s in SECTIONS if s.key != section.key] + [section]
    return section


def sections_for(user, roles: set[str]) -> list[tuple[HomeSection, list[WaitingItem]]]:
    return [(s, s.provider(user)) for s in SECTIONS if s.roles & roles]
