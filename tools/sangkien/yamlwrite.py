"""The one YAML writer: scalars, keys, flow collections and the two block layouts the tools write.

Every value it writes reads back as the same value with the project's strict reader
(sangkien/yamlstrict.py, YAML 1.2 core with dates kept as strings) and with YAML 1.1 tools
(PyYAML's safe_load: `yes`, `no`, `on`, `12:30`, `2024-06-25` are not strings there). A string is
written plain only when its look alone shows it cannot be anything else (the rule below, which
the form's entryfile.js follows character for character) and both readers agree; otherwise it
is double-quoted with escapes for every control or invisible character.

Two block layouts share those scalars:
- `mapping_lines`: an entry's front matter (`sangkien new`, the same bytes as the form writes):
  nested maps and lists in block style, lists of scalars in flow style.
- `item_lines` / `block`: one top-level list of decisions.yaml in the council secretary's
  hand-written style: one `- key: value` item per record, lists of maps as one flow map per line.

Core module: imports only the standard library, PyYAML and sangkien.yamlstrict.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml

from sangkien import yamlstrict

# The rule (same as entryfile.js):
# - never plain: empty, leading/trailing white space, a first character YAML gives a meaning
#   (indicators, `<<`, `=`, `.inf`, `~`), `: ` or ` #` inside, `:` at the end, line breaks, tabs,
#   control or invisible characters; in a flow collection also `,` `[` `]` `{` `}` and any `:`;
# - the words YAML 1.1 reads as booleans or null (yes, No, ON, ~...);
# - a value that starts like a number and holds nothing but ASCII letters, digits and `_ . : + -`
#   or spaces: numbers, dates, times, 0x1F, 1e3, 12:30 in one of the YAML versions.
#   `2/QĐ-UBND`, `100%` or `15 ngày` are plain: no reader makes them anything but text.
_SPECIAL_START = re.compile(r"^[-?:,\[\]{}#&*!|>'\"%@`<=.~\s]")
_RESOLVES = re.compile(r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL)$")
_NUMBERISH = re.compile(r"^[-+]?(?:[0-9]|\.[0-9])[0-9A-Za-z_.:+\- ]*$")
_ESCAPE = re.compile("[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff]")
_FLOW_INDICATOR = re.compile(r"[,\[\]{}:]")  # libyaml ends a plain scalar at any `:` inside [ ] or { }
_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def quote(text: str) -> str:
    """A double-quoted scalar: `\\`, `"`, newline and tab escaped, every other control or
    invisible character as \\uXXXX (YAML 1.1 would fold U+0085, U+2028 inside quotes)."""
    out = ['"']
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif _ESCAPE.match(ch):
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out) + '"'


def looks_plain(text: str, flow: bool = False) -> bool:
    """The written rule alone (what entryfile.js checks)."""
    if not text or text != text.strip() or _SPECIAL_START.match(text) or _RESOLVES.match(text) or _NUMBERISH.match(text):
        return False
    if ": " in text or " #" in text or text.endswith(":") or "\n" in text or "\t" in text or _ESCAPE.search(text):
        return False
    return not (flow and _FLOW_INDICATOR.search(text))


def reads_back(text: str) -> bool:
    """Both readers take the plain scalar `text` as this very string."""
    try:
        return yamlstrict.resolve_plain(text) == text and yaml.safe_load(text) == text
    except yaml.YAMLError:
        return False


def plain_ok(text: str, flow: bool = False) -> bool:
    """A plain YAML scalar only when it cannot mean anything but this string (1.1 and 1.2)."""
    return looks_plain(text, flow) and reads_back(text)


def scalar(value: object, flow: bool = False) -> str:
    """One scalar: booleans, null, numbers as YAML; strings plain when safe, else quoted.
    A whole float is written as an integer (`100`, as JavaScript writes 100.0)."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"YAML không ghi được số {value!r}")
        return str(int(value)) if value.is_integer() else _float(value)
    text = str(value)
    return text if plain_ok(text, flow) else quote(text)


def _float(value: float) -> str:
    """`repr`, with a dot in the mantissa: YAML 1.1 and the strict reader read `1e-05` as text."""
    text = repr(value)
    mantissa, e, exponent = text.partition("e")
    return f"{mantissa}.0e{exponent}" if e and "." not in mantissa else text


def key(name: object) -> str:
    """A mapping key: a plain field name (letters, digits, `_`, `-`) unless YAML 1.1 would read
    it as something else (`yes`, `on`, `null`); anything else quoted."""
    text = str(name)
    return text if _KEY.match(text) and plain_ok(text) else quote(text)


def flow(value: object) -> str:
    """A value in flow style: `{a: 1, b: [x, y]}`."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key(k)}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    return scalar(value, flow=True)


# ---------------------------------------------------------------- front-matter layout (entries)
def mapping_lines(obj: dict[str, Any], indent: int = 0) -> list[str]:
    """A mapping in block style; lists of scalars in flow style, empty collections as [] and {}."""
    pad, lines = " " * indent, []
    for name, value in obj.items():
        head = f"{pad}{key(name)}:"
        if isinstance(value, list):
            if not value:
                lines.append(f"{head} []")
            elif all(not isinstance(v, dict | list) for v in value):
                lines.append(f"{head} [{', '.join(scalar(v, flow=True) for v in value)}]")
            else:
                lines += [head, *sequence_lines(value, indent + 2)]
        elif isinstance(value, dict):
            lines += [f"{head} {{}}"] if not value else [head, *mapping_lines(value, indent + 2)]
        else:
            lines.append(f"{head} {scalar(value)}")
    return lines


def sequence_lines(items: list[Any], indent: int) -> list[str]:
    pad, lines = " " * indent, []
    for item in items:
        if isinstance(item, dict) and item:
            inner = mapping_lines(item, indent + 2)
            lines += [f"{pad}- {inner[0][indent + 2:]}", *inner[1:]]
        elif isinstance(item, list) and item:
            inner = sequence_lines(item, indent + 2)
            lines += [f"{pad}- {inner[0][indent + 2:]}", *inner[1:]]
        else:
            lines.append(f"{pad}- {'{}' if isinstance(item, dict) else '[]' if isinstance(item, list) else scalar(item)}")
    return lines


# ---------------------------------------------------------------- list-of-records layout (decisions.yaml)
def item_lines(item: dict[str, Any], indent: int) -> list[str]:
    """One list item in block style, like the hand-written files: scalars plain or quoted, maps as
    nested keys, lists of scalars in flow style, lists of maps as one flow map per line."""
    lines, pad = [], " " * indent
    for n, (name, value) in enumerate(item.items()):
        lead = f"{pad}- " if n == 0 else f"{pad}  "
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            lines.append(f"{lead}{key(name)}:")
            lines.extend(f"{pad}    - {flow(v)}" for v in value)
        elif isinstance(value, dict) and value:
            lines.append(f"{lead}{key(name)}:")
            lines.extend(f"{pad}    {key(k)}: {_inline(v)}" for k, v in value.items())
        else:
            lines.append(f"{lead}{key(name)}: {_inline(value)}")
    return lines


def _inline(value: object) -> str:
    """A value after `key: ` in block context: collections in flow style, scalars as in block."""
    return flow(value) if isinstance(value, dict | list) else scalar(value)


def block(name: str, items: list[dict[str, Any]], indent: int = 2) -> list[str]:
    """A top-level key holding a list of records (`name: []` when empty)."""
    if not items:
        return [f"{key(name)}: []"]
    out = [f"{key(name)}:"]
    for item in items:
        out.extend(item_lines(item, indent))
    return out
