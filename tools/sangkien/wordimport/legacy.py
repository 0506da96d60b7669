"""Pasted legacy-font text (TCVN3 / VNI read as Latin-1) in an entry -> Unicode, line by line,
only where it is unambiguous (`sangkien fix --legacy-font`).

A line is looked at when it carries the validator's own mojibake signs (checks/text.py, the
SK510 threshold: MOJIBAKE for TCVN3, VNI_PAIR / VNI_LETTER for VNI, two signs, or one with a
VNI letter). It is converted only when
- no letter that only Unicode has (ă đ ơ ư and the precomposed toned letters, above U+00FF) is
  on it: a line already partly in Unicode is left for a person;
- the table is VNI if a VNI vowel pair is there (TCVN3 never writes them), else TCVN3;
- and the converted line carries no sign of either kind any more.
Anything else is reported (SK048) and left as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sangkien.checks.text import MOJIBAKE, VNI_LETTER, VNI_PAIR
from sangkien.wordimport.rules import TCVN3, VNI, convert

UNICODE_VIETNAMESE = re.compile(r"[\u0100-\u024f\u1ea0-\u1ef9]")
LABEL = {TCVN3: "TCVN3 (.VnTime)", VNI: "VNI"}


@dataclass(frozen=True)
class Change:
    line: int
    table: str | None  # None: signs found but ambiguous, left as it is
    old: str
    new: str


def _signs(text: str) -> tuple[int, int, bool]:
    return len(MOJIBAKE.findall(text)), len(VNI_PAIR.findall(text)), bool(VNI_LETTER.search(text))


def changes(text: str) -> list[Change]:
    out: list[Change] = []
    for n, line in enumerate(text.split("\n"), start=1):
        tcvn, vni, letter = _signs(line)
        if tcvn + vni < 2 and not (tcvn + vni == 1 and letter):
            continue  # below the validator's own threshold (SK510): nothing to say
        table = VNI if vni else TCVN3
        new = convert(line, table)
        left = _signs(new)
        if UNICODE_VIETNAMESE.search(line) or left[0] or left[1] or new == line:
            out.append(Change(n, None, line, line))
        else:
            out.append(Change(n, table, line, new))
    return out


def converted(text: str) -> tuple[str, list[Change]]:
    found = changes(text)
    lines = text.split("\n")
    for c in found:
        if c.table is not None:
            lines[c.line - 1] = c.new
    return "\n".join(lines), found
