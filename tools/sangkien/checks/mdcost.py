"""Markdown that would make the site build slow: refused by the validator, flattened by the site.

Python-Markdown (sane_lists, tables: what site/markup.py renders an entry's body with) is linear
in its input except for three constructs, measured with tests/slowness.py (dev/fuzzing.md):

- brackets: for every "[" it looks for the matching "]" to the end of the block, and for every
  "](" for the matching ")": tens of thousands of unclosed "[" (or "[x](") in one paragraph cost
  time in the square of its length (100 KB: minutes);
- splitting lines: an ATX heading ("# …") or a rule ("---", "***") splits its block and the rest
  of the block is copied again, so thousands of them without a blank line between are quadratic;
- nesting: every level of list or quotation is a recursion; about 250 levels of list raise
  RecursionError and end the build.

`hazards(body)` measures each, linearly: the characters Python-Markdown would scan for the
brackets of each block (a stack pass: to the matching bracket or parenthesis, else to the end of
the block), the characters copied for the splitting lines of each block, and the deepest nesting
of a line. Budgets are far above what any written text needs (a page of links costs a few
thousand) and far below what takes a noticeable time (a million characters scanned is about a
tenth of a second). Fenced code is left out: Python-Markdown's fences are not parsed inline.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from sangkien.codes import problem
from sangkien.problems import LINE, Problem

BRACKET_BUDGET = 1_000_000  # characters scanned for "[" "]" "(" ")" in the whole body
SPLIT_BUDGET = 2_000_000  # characters copied for headings and rules without blank lines between
MAX_NESTING = 32  # levels of list and quotation on one line

_FENCE = re.compile(r"[ \t]{0,3}(?:```|~~~)")
_SPLITTER = re.compile(r"[ ]{0,3}(?:#{1,6}(?:[ \t]|$)|([-*_])(?:[ \t]*\1){2,}[ \t]*$)")
_PREFIX = re.compile(r"(?:[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t])))+")


@dataclass(frozen=True, slots=True)
class Hazard:
    kind: str  # "brackets" | "splits" | "nesting"
    line: int  # 0-based line of the body where it is worst (the block's first line)
    amount: int


def hazards(body: str) -> list[Hazard]:
    """What in `body` would make Python-Markdown slow; [] for every ordinary text. Linear."""
    found: list[Hazard] = []
    bracket_cost = split_cost = 0
    worst_brackets = worst_splits = (0, 0)
    block: list[str] = []
    first = 0
    fenced = False

    def close(end: int) -> None:
        nonlocal bracket_cost, split_cost, worst_brackets, worst_splits
        if not block:
            return
        text = "\n".join(block)
        b = _bracket_cost(text) if ("[" in text) else 0
        s = _split_cost(block)
        bracket_cost += b
        split_cost += s
        if b > worst_brackets[1]:
            worst_brackets = (first, b)
        if s > worst_splits[1]:
            worst_splits = (first, s)
        block.clear()

    deepest = (0, 0)
    for number, line in enumerate(body.split("\n")):
        if _FENCE.match(line):
            close(number)
            fenced = not fenced
            continue
        if fenced:
            continue
        if not line.strip():
            close(number)
            continue
        if not block:
            first = number
        block.append(line)
        depth = _depth(line)
        if depth > deepest[1]:
            deepest = (number, depth)
    close(len(body))
    if bracket_cost > BRACKET_BUDGET:
        found.append(Hazard("brackets", worst_brackets[0], bracket_cost))
    if split_cost > SPLIT_BUDGET:
        found.append(Hazard("splits", worst_splits[0], split_cost))
    if deepest[1] > MAX_NESTING:
        found.append(Hazard("nesting", deepest[0], deepest[1]))
    return found


def _bracket_cost(text: str) -> int:
    """Characters scanned for the brackets and link parentheses of one block (stack pass)."""
    cost = 0
    brackets: list[int] = []
    parens: list[tuple[int, bool]] = []  # (position, opens a link target: right after "]")
    for i, ch in enumerate(text):
        if ch == "[":
            brackets.append(i)
        elif ch == "]" and brackets:
            cost += i - brackets.pop()
        elif ch == "(":
            parens.append((i, i > 0 and text[i - 1] == "]"))
        elif ch == ")" and parens:
            start, link = parens.pop()
            if link:
                cost += i - start
    end = len(text)
    cost += sum(end - i for i in brackets)
    cost += sum(end - i for i, link in parens if link)
    return cost


def _split_cost(block: list[str]) -> int:
    """Characters copied again for the headings and rules of one block: the rest of the block
    after each (the first line of a block splits nothing off)."""
    total = sum(len(line) + 1 for line in block)
    cost, seen = 0, 0
    for line in block:
        seen += len(line) + 1
        if seen - len(line) - 1 and _SPLITTER.match(line):
            cost += total - seen + len(line) + 1
    return cost


def _depth(line: str) -> int:
    m = _PREFIX.match(line)
    if m is None:
        return (len(line) - len(line.lstrip(" \t"))) // 4
    prefix = m.group()
    markers = sum(1 for ch in prefix if ch in ">-*+)") + prefix.count(".")
    spaces = prefix.count(" ") + 4 * prefix.count("\t")
    return max(markers, spaces // 4)


def _n(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def check(body: str, first_line: int, file: str) -> Iterator[Problem]:
    """SK520 for each hazard of an entry's body; `first_line` is the body's first line in the file."""
    for h in hazards(body):
        line = first_line + h.line
        if h.kind == "brackets":
            message = (f"phần mô tả có quá nhiều dấu [ hoặc ]( chưa đóng hay lồng nhau (trình dựng trang phải dò "
                       f"{_n(h.amount)} ký tự, giới hạn {_n(BRACKET_BUDGET)}); trang công khai sẽ dựng rất chậm.")
        elif h.kind == "splits":
            message = (f"phần mô tả có rất nhiều dòng tiêu đề (#) hoặc đường kẻ (---, ***) liền nhau không có dòng trống "
                       f"(trình dựng trang phải chép lại {_n(h.amount)} ký tự, giới hạn {_n(SPLIT_BUDGET)}).")
        else:
            message = f"danh sách hoặc trích dẫn lồng nhau {h.amount} tầng, vượt giới hạn {MAX_NESTING} tầng."
        yield problem("SK520", file, line, 1, message, at=LINE)
