"""The rule registry: every rule across files, in the one order the validator, the site and the
council tools apply them.

A rule is `(loaded, changes, at) -> Iterable[Problem]`: `loaded` is the repository as read
(loader.py: documents, model, per-file problems), `changes` the change set of a pull request
(None for a whole-repository run) and `at` the instant the change is judged at, Vietnam time.
A rule that needs a change set says so and does not run without one. The novelty rule is named
by its module and imported only when it runs: it needs numpy and scipy, which a run without a
change set never loads, and it lives in the novelty package above this layer.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from sangkien import gitutil
from sangkien.checks import changes as change_rules
from sangkien.checks import permissions as permission_rules
from sangkien.checks import replication as replication_rules
from sangkien.checks import repository as repository_rules
from sangkien.checks import thidua as thidua_rules
from sangkien.checks import units as unit_rules
from sangkien.loader import Loaded
from sangkien.problems import Problem


@dataclass(frozen=True)
class ChangeSet:
    """What a pull request changes: (status, path) pairs against `base`, and who asks."""

    base: str
    files: tuple[tuple[str, str], ...]
    actor: str | None = None


RuleFunction = Callable[[Loaded, ChangeSet | None, datetime], Iterable[Problem]]


@dataclass(frozen=True)
class Rule:
    name: str
    run: RuleFunction | str  # a function, or "module:function" imported when first run
    needs_changes: bool = False

    def __call__(self, loaded: Loaded, changes: ChangeSet | None, at: datetime) -> Iterable[Problem]:
        if self.needs_changes and changes is None:
            return ()
        return self._function()(loaded, changes, at)

    def _function(self) -> RuleFunction:
        if isinstance(self.run, str):
            module, name = self.run.split(":")
            function: RuleFunction = getattr(importlib.import_module(module), name)
            return function
        return self.run


# ----------------------------------------------------------------- adapters to the checks
def _files(loaded: Loaded, changes: ChangeSet | None, at: datetime) -> Iterable[Problem]:
    """What each file gave on its own: reading, schema, place, entry and text problems."""
    return loaded.problems


def _repository(loaded: Loaded, changes: ChangeSet | None, at: datetime) -> Iterable[Problem]:
    return repository_rules.check(loaded.repo, loaded.docs)


def _replication(loaded: Loaded, changes: ChangeSet | None, at: datetime) -> Iterable[Problem]:
    return replication_rules.check(loaded.repo, loaded.docs)


def _units(loaded: Loaded, changes: ChangeSet | None, at: datetime) -> Iterable[Problem]:
    """Unit codes against the official list; campaigns after 01/07/2025 naming abolished units or districts."""
    return unit_rules.check(loaded.repo, loaded.docs)


def _thidua(loaded: Loaded, changes: ChangeSet | None, at: datetime) -> Iterable[Problem]:
    return thidua_rules.check(loaded.repo, loaded.docs, loaded.root)


def _changes(loaded: Loaded, changes: ChangeSet | None, at: datetime) -> Iterable[Problem]:
    assert changes is not None
    return change_rules.check(loaded.repo, loaded.docs, list(changes.files), at)


def _permissions(loaded: Loaded, changes: ChangeSet | None, at: datetime) -> Iterator[Problem]:
    """Who may change what, with the roles as they were where the change started."""
    assert changes is not None
    if changes.actor is None:
        return
    try:
        start = gitutil.merge_base(loaded.root, changes.base)
    except gitutil.GitError:
        return  # the validator already reported SK902 for this base
    yield from permission_rules.check(permission_rules.roles_at(loaded.root, start), changes.actor, list(changes.files))


REGISTRY: tuple[Rule, ...] = (
    Rule("files", _files),
    Rule("repository", _repository),
    Rule("units", _units),
    Rule("replication", _replication),
    Rule("thidua", _thidua),
    Rule("dates", "sangkien.checks.dates:rule"),
    Rule("federation", "sangkien.federation.sources:rule"),
    Rule("changes", _changes, needs_changes=True),
    Rule("novelty", "sangkien.novelty.rules:check", needs_changes=True),
    Rule("permissions", _permissions, needs_changes=True),
)


def run(loaded: Loaded, changes: ChangeSet | None, at: datetime, registry: Iterable[Rule] = REGISTRY) -> list[Problem]:
    """Every problem the rules find, in registry order."""
    found: list[Problem] = []
    for rule in registry:
        found.extend(rule(loaded, changes, at))
    return found


def on_changes() -> tuple[Rule, ...]:
    """The rules that judge a change set."""
    return tuple(rule for rule in REGISTRY if rule.needs_changes)


def whole_repository() -> tuple[Rule, ...]:
    """The rules that judge the repository as it is (no change set): what the site applies to
    decide which files it leaves out."""
    return tuple(rule for rule in REGISTRY if not rule.needs_changes)
