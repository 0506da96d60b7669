"""Fast paths run beside their oracles, in one place for every test that compares them:
`yamlstrict.load` (one pass over libyaml's events, with its shortcuts) against `load_reference`
(libyaml's composer, then a walk of its nodes); the text rules with their line prefilter and
without it (`checks/text.py`, FAST)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sangkien import yamlstrict
from sangkien.checks import text as text_rules

T = TypeVar("T")


def with_and_without_prefilter(compute: Callable[[], T]) -> tuple[T, T]:
    """compute() with the text rules' line prefilter, then without it (its oracle)."""
    reviewed = text_rules.FAST
    try:
        text_rules.FAST = False
        slow = compute()
        text_rules.FAST = True
        fast = compute()
    finally:
        text_rules.FAST = reviewed
    return fast, slow


def same_yaml(text: str) -> None:
    fast, slow = yamlstrict.load(text, "f", 1), yamlstrict.load_reference(text, "f", 1)
    assert (repr(fast.data), fast.values, fast.keys, fast.problems) == (repr(slow.data), slow.values, slow.keys, slow.problems), text


def same_yaml_in_file(text: str) -> None:
    """A whole file, and its front matter alone when it has one."""
    same_yaml(text)
    if text.startswith("---\n"):
        same_yaml(text[4:].split("\n---", 1)[0])
