# scan() reuses `shown` and `m` for values of another type; its source is fingerprinted
# (_REVIEWED below), so mypy allows the redefinition instead of the names being changed.
# mypy: allow-redefinition
"""Text hygiene and privacy: personal data, legacy-font mojibake, raw HTML, unsafe links.

Runs on every string of an entry's front matter and on every line of its body. Patterns are
written for how Vietnamese officials actually type numbers (`0912 345 678`, `+84 912.345.678`)
and leave decision numbers (`123/QĐ-UBND`), statistics and registered switchboards alone.
"""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import html
import inspect
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from typing import Protocol

from sangkien.checks import mdcost, privacy
from sangkien.checks.privacy import BIRTH, CITIZEN_ID, EMAIL, HOME, LANDLINE, MOBILE, WEBMAIL  # noqa: F401 (the names of old)
from sangkien.codes import problem
from sangkien.problems import LINE, Key, Problem

MOJIBAKE_CHARS = "¶¸µ¹¨©ª«¬®¯°±²³´·º»¼½¾¿ÄÅÆÇËÎÏÑÖ×ØÛÜÞßäåæçëîïñöøûüþÿ¤¥¦§"
MOJIBAKE = re.compile(rf"[A-Za-z][{MOJIBAKE_CHARS}]+[A-Za-z]")
# VNI Windows text read as Latin-1 keeps ASCII vowels and adds its mark bytes after them:
# "chaøo", "caùc", "Vieät", "chöùc". These vowel pairs never occur in NFC Vietnamese (checked on
# the four plans and every entry), and ñ ö ø ï ä å ë ü are not Vietnamese letters at all.
VNI_PAIR = re.compile(r"a[âêáàåãäéèúüëùûõïø]|e[âáàåãäøùûõï]|oâ", re.I)
VNI_LETTER = re.compile(r"[^\W\d_][ñöøïäåëü]", re.I)
# Where a browser's HTML tokenizer leaves text: "<" followed by an ASCII letter (a tag), "/" (an
# end tag), "!" (a comment, a doctype) or "?" (a bogus comment). "x < y", "<=", "<5" stay text.
# No closing ">" is needed (`<img src=x onerror=…` runs without one) and nothing after the second
# character matters: one character of look-ahead, linear, nothing to backtrack (the old pattern
# took minutes on "<a" followed by 500 KB of spaces, and `<a/href=…` or `<img …` got through).
HTML_TAG = re.compile(r"<[A-Za-z/!?]")
_TAG_SHOWN = 40  # characters of the tag quoted in the message
_BACKTICKS = re.compile(r"`+")
UNSAFE_LINK = re.compile(r"(?:java|vb)\s*script\s*:|\bdata\s*:\s*[a-z]+/[a-z0-9.+-]+[;,]|&#x?0*(?:6a|106|4a|74);", re.I)
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CYRILLIC_GREEK = re.compile(r"[\u0370-\u03ff\u0400-\u04ff]")
LATIN = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
WORD = re.compile(r"\w+")


def _deobfuscated(text: str) -> str:
    """An unsafe scheme spelt with character references or escapes (`jav&#x61;script:`,
    `javascript&colon;`, `java\\script:`) as a browser or Markdown would read it; '' if none."""
    # html.unescape calls int() on the digits: cap them (a 5000-digit reference raised ValueError).
    capped = re.sub(r"&#([xX]?)0*([0-9A-Fa-f]{0,8})[0-9A-Fa-f]*", r"&#\1\2", text.replace("\\", ""))
    plain = html.unescape(capped)
    m = UNSAFE_LINK.search(re.sub(r"[\s\x00-\x1f]+", "", plain))
    return m.group() if m else ""


def scan(text: str, file: str, line: int, column: int, where: str, allowed_phones: set[str],
         allowed_emails: set[str], markup: bool) -> Iterator[Problem]:
    """Problems in one piece of text that starts at (line, column). `markup`: Markdown body."""
    yield from privacy.scan(text, file, line, column, where, allowed_phones, allowed_emails)  # SK501, SK503-SK509
    tcvn, vni = len(MOJIBAKE.findall(text)), len(VNI_PAIR.findall(text))
    if tcvn + vni >= 2 or (tcvn + vni == 1 and VNI_LETTER.search(text)):
        shown = [w for w in text.split() if MOJIBAKE.search(w) or VNI_PAIR.search(w) or VNI_LETTER.search(w)][:2]
        font = "VNI (VNI-Times)" if vni > tcvn else "TCVN3 (.VnTime)"
        yield problem("SK510", file, line, column, f"{where} có chữ bị lỗi phông {font} như {', '.join(f'«{w}»' for w in shown)}.", at=LINE)
    m = _html_tag(text, markup)
    if m is not None:
        shown = text[m:m + _TAG_SHOWN]
        shown = shown[:shown.index(">") + 1] if ">" in shown else shown + ("…" if len(text) > m + _TAG_SHOWN else "")
        yield problem("SK511", file, line, column + m, f"{where} có thẻ HTML «{shown}».", at=LINE)
    m = UNSAFE_LINK.search(text)
    if m:
        yield problem("SK512", file, line, column + m.start(), f"{where} có liên kết không an toàn «{m.group()}».", at=LINE)
    elif "&" in text or "\\" in text:
        hidden = _deobfuscated(text)
        if hidden:
            at = text.find("&") if "&" in text else text.find("\\")
            yield problem("SK512", file, line, column + max(at, 0), f"{where} có liên kết không an toàn viết lẫn mã ký tự («{hidden}»).", at=LINE)
    if CYRILLIC_GREEK.search(text):  # no Greek or Cyrillic letter: no word mixes them (most lines)
        for word in WORD.findall(text):
            if CYRILLIC_GREEK.search(word) and LATIN.search(word):
                yield problem("SK513", file, line, column, f"{where} có từ «{word}» lẫn chữ Latinh với chữ Hy Lạp hoặc Kirin.", at=LINE)
                break
    m = INVISIBLE.search(text)
    if m:
        yield problem("SK514", file, line, column + m.start(), f"{where} có ký tự vô hình U+{ord(m.group()):04X}.", at=LINE)


def _html_tag(text: str, markup: bool) -> int | None:
    """Index of the first HTML_TAG of `text`; in Markdown (`markup`), outside inline code spans."""
    m = HTML_TAG.search(text)
    if m is None or not markup or "`" not in text:
        return None if m is None else m.start()
    spans = code_spans(text)
    at = m.start()
    for start, end in spans:
        if at < start:
            break
        if at < end:  # inside this span: look again after it
            m = HTML_TAG.search(text, end)
            if m is None:
                return None
            at = m.start()
    return at


def code_spans(line: str) -> list[tuple[int, int]]:
    """The inline code spans of one Markdown line, as (start, end) indices, in order.

    A run of n backticks not escaped by a backslash opens a span that the next run of exactly n
    backticks closes; a run that nothing closes is literal text (CommonMark's rule, one line at a
    time: a span broken over two lines is not seen, so its HTML is reported, never the reverse).
    Linear: each run is looked at twice. rules.js's codeSpans() is the same function."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(line)]
    following: list[int] = [-1] * len(runs)
    last: dict[int, int] = {}
    for i in range(len(runs) - 1, -1, -1):
        size = runs[i][1] - runs[i][0]
        following[i] = last.get(size, -1)
        last[size] = i
    spans, i = [], 0
    while i < len(runs):
        start = runs[i][0]
        slashes = 0
        while slashes < start and line[start - slashes - 1] == "\\":  # each backslash is counted once
            slashes += 1
        close = following[i]
        if close < 0 or slashes % 2:
            i += 1
            continue
        spans.append((start, runs[close][1]))
        i = close + 1
    return spans


class Places(Protocol):
    """Where the values of a YAML document are (yamlstrict.Parsed)."""

    def where(self, path: Key) -> tuple[int, int]: ...


class Labeller(Protocol):
    """How a message names the field at a key path (schemas.label of the document's schema)."""

    def __call__(self, path: Key, /) -> str: ...


def scan_strings(data: object, path: Key, positions: Places, file: str, schema_label: Labeller, allowed_phones: set[str],
                 allowed_emails: set[str]) -> Iterator[Problem]:
    """Every string value of the front matter, at its own line."""
    found: list[tuple[Key, str]] = []
    _strings(data, path, found)
    wanted = _strings_to_scan([text for _, text in found])
    for i, (where, text) in enumerate(found):
        if wanted is not None and i not in wanted:
            continue
        line, col = positions.where(where)
        for found_problem in scan(text, file, line, col, f"trường {schema_label(where)}", allowed_phones, allowed_emails, markup=False):
            yield dataclasses.replace(found_problem, key=tuple(where))


def _strings(data: object, path: Key, found: list[tuple[Key, str]]) -> None:
    """Every string under `data`, depth first, in order; a string item is taken here, not in a call of its own."""
    items: Iterable[tuple[str | int, object]]
    if isinstance(data, dict):
        items = data.items()
    elif isinstance(data, list):
        items = enumerate(data)
    else:
        if isinstance(data, str):
            found.append((path, data))
        return
    for key, value in items:
        if isinstance(value, str):
            found.append((path + (key,), value))
        elif isinstance(value, (dict, list)):
            _strings(value, path + (key,), found)


def scan_body(body: str, first_line: int, file: str, allowed_phones: set[str], allowed_emails: set[str]) -> Iterator[Problem]:
    """Every line of the Markdown body; fenced code is shown as code, so HTML there is harmless.
    First, Markdown that would make the site build slow (SK520, checks/mdcost.py)."""
    yield from mdcost.check(body, first_line, file)
    wanted = lines_to_scan(body)
    if wanted is not None and not wanted:
        return
    fenced = False
    for offset, text in enumerate(body.split("\n")):
        stripped = text.lstrip()
        if stripped.startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if wanted is not None and offset not in wanted:
            continue
        line = first_line + offset
        for p in scan(text, file, line, 1, "phần mô tả", allowed_phones, allowed_emails, markup=True):
            if fenced and p.code in ("SK511", "SK512"):
                continue
            yield p


# ----------------------------------------------------------------- fast path
# scan() costs tens of microseconds per string and per body line: at 10,000 entries it was most
# of a cold validation. `lines_to_scan` finds, in one pass over a whole text, the lines on which
# some check of scan() could fire; only those go through scan(), which still decides. A line is
# left out only when it lacks what every check needs:
#   privacy.py reads a view of the text (NFKC, folded, HIDDEN characters dropped, see its docstring)
#   in which a view character comes from at least one original character, except HIDDEN ones and
#   combining marks after a letter, and only a decimal character (\d) becomes a digit. So:
#   SK501/SK503/SK506/SK508/SK509 (numbers): 9 digits with at most 3 other characters between two
#     (no rule allows more; the phone, ID and old-ID rules need 9 digits or more), or 7 such digits on
#     a line with one of privacy.BANK's contexts (_BANK_WORDS) in the NFKD-folded text (BANK, the
#     only rule reporting fewer than 9 digits, needs one on the number's own line), or a HIDDEN
#     character (marked as _ODD marks INVISIBLE);
#   SK504 an '@' or an obfuscated one (_AT_WORD, " a cong " with its spaces) in the NFKD-folded text;
#   SK511 a '<' (HTML_TAG starts with one; code spans only take findings away); SK512 "script" or "data" as re.I reads them (ı, İ, ſ count as i, s),
#     or "&#", or, on a line with '&' or '\\', _deobfuscated() finding something;
#   SK505/SK507 (NFKD-folded text, which keeps every ASCII run of the view): "sinh", "dob" with or
#     without dots, "sn", "(19", "(200", or one of the HOME phrases;
#   SK510 a character of MOJIBAKE_CHARS or a VNI_PAIR (VNI_LETTER alone never reports);
#   SK513 a Greek or Cyrillic letter; SK514 an INVISIBLE character.
# The list is tied to scan() as written: if scan(), _deobfuscated() or a pattern changes,
# _scan_fingerprint() no longer equals _REVIEWED and the fast path switches itself off (every
# line is scanned, slower, same problems) until this list is reviewed and _REVIEWED updated;
# tests/test_scale_equivalence.py fails meanwhile to say so.
_DIGITS7 = re.compile(r"\d(?:\D{0,3}\d){6}")
_DIGITS9 = re.compile(r"\d(?:\D{0,3}\d){8}")
# privacy.BANK's contexts, each as it is written there (all hold "tk" or "tai khoan").
_BANK_WORDS = ("stk", "so tk", "tk ngan hang", "so tai khoan", "tai khoan ngan hang", "tai khoan so")
# One character class for _ODD's characters and privacy.HIDDEN's: one pass instead of two.
_ODD = re.compile("[" + re.escape(MOJIBAKE_CHARS) + "\u0370-\u03ff\u0400-\u04ff@<" + INVISIBLE.pattern[1:-1]
                  + privacy.HIDDEN.pattern[1:-1] + "]")
_ESCAPES = re.compile(r"[&\\]")
# VNI_PAIR is case-insensitive; its letters are lower case and every character that re.I matches
# to one of them lower-cases to it, so the same pattern without re.I on the lower-cased text finds
# the same lines, six times faster.
_VNI_LOW = re.compile(VNI_PAIR.pattern)
# The same pairs as three searches, each starting with its literal letter (which the regex engine
# looks for first): several times faster than the alternation on Vietnamese text.
_VNI_PARTS = tuple(re.compile(part) for part in VNI_PAIR.pattern.split("|"))
_FOLDED_WORDS = ("sinh", "dob", "d.ob", "do.b", "d.o.b", "sn", "(19", "(200", "dia chi nha", "nha rieng", "noi o", "cho o", "thuong tru",
                 "tam tru", "ho khau", "@", " a cong ")
_AT_WORD = re.compile(r"[\[({]\s?at?\s?[\])}]")  # privacy.AT's "[at]", "(a)", "{ at }"... in the folded text
_REVIEWED = "8ec9c20190d9f6d2ca4ac965cc5acf30bb5e8015f22d23d27ec7af67eca5f404"


def _scan_fingerprint() -> str:
    try:
        parts = [inspect.getsource(scan), inspect.getsource(_deobfuscated), inspect.getsource(_html_tag)]
    except (OSError, TypeError):
        return ""
    for pattern in (MOJIBAKE, VNI_PAIR, VNI_LETTER, HTML_TAG, UNSAFE_LINK, INVISIBLE,
                    CYRILLIC_GREEK, LATIN, WORD):
        parts.append(f"{pattern.pattern}\x00{pattern.flags}")
    parts.append(MOJIBAKE_CHARS)
    parts.append(inspect.getsource(privacy))
    return hashlib.sha256("\x01".join(parts).encode("utf-8")).hexdigest()


FAST = _scan_fingerprint() == _REVIEWED


def lines_to_scan(text: str, escapes: bool = True) -> set[int] | None:
    """Indices of the lines of `text` on which a check of scan() may fire; None: scan them all.
    `escapes=False` leaves out the '&'/'\\' test, which the caller then makes on its own texts."""
    if not FAST:
        return None
    lines: set[int] = set()
    breaks: dict[int, list[int]] = {}  # id of a source text -> where its newlines are

    def mark(source: str, start: int, end: int) -> None:
        lines.update(range(_line_of(source, start, breaks), _line_of(source, end, breaks) + 1))

    for pattern in (_ODD, _DIGITS9):  # two passes: one alternation of both is slower
        for m in pattern.finditer(text):
            mark(text, m.start(), m.end())
    low = text
    if "ı" in text or "İ" in text or "ſ" in text:  # what re.IGNORECASE also matches to i and s
        low = text.replace("ı", "i").replace("İ", "i").replace("ſ", "s")
    low = low.lower()
    for part in _VNI_PARTS:
        for m in part.finditer(low):
            mark(low, m.start(), m.end())
    _literals(low, ("script", "data"), mark)
    folded = ascii_folded(text)
    _literals(folded, _FOLDED_WORDS, mark)
    if "tk" in folded or "tai khoan" in folded:  # in every _BANK_WORDS: 7 digits may be enough there
        bank: set[int] = set()
        _literals(folded, _BANK_WORDS, lambda source, start, end: bank.add(_line_of(source, start, breaks)))
        for m in _DIGITS7.finditer(text) if bank else ():
            first, last = _line_of(text, m.start(), breaks), _line_of(text, m.end(), breaks)
            lines.update(number for number in range(first, last + 1) if number in bank)
    if "(" in folded or "[" in folded or "{" in folded:  # where every _AT_WORD starts
        for m in _AT_WORD.finditer(folded):
            mark(folded, m.start(), m.end())
    if escapes and ("&" in text or "\\" in text):
        split = text.split("\n")
        seen: set[int] = set()
        where = breaks.get(id(text))
        if where is None:
            where = breaks[id(text)] = [m.start() for m in _NEWLINE.finditer(text)]
        for m in _ESCAPES.finditer(text):
            number = bisect.bisect_left(where, m.start())
            if number in lines or number in seen:
                continue
            seen.add(number)
            # UNSAFE_LINK without "script" or "data" (marked above) needs "&#".
            if "&#" in split[number] or _may_deobfuscate(split[number]):
                lines.add(number)
    return lines


def ascii_folded(text: str) -> str:
    """The ASCII characters of textnorm.fold's output, in order: fold() keeps other non-ASCII
    letters, and dropping them keeps every ASCII run of fold()'s output.

    NFKD then lower case, without fold()'s second NFD: each step works character by character
    (canonical reordering moves only combining marks, never an ASCII character; lower() depends
    on its neighbours only for the Greek sigma), and for every code point the two give the same
    ASCII (tests/test_scan_fast_paths.py checks all of them), so the texts' ASCII is the same."""
    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFKD", text).lower().replace("đ", "d").encode("ascii", "ignore").decode("ascii")


def ascii_folded_reference(text: str) -> str:
    """What ascii_folded() gives, the way it was first written: its oracle."""
    return unicodedata.normalize("NFD", unicodedata.normalize("NFKD", text).lower()).replace("đ", "d").encode("ascii", "ignore").decode("ascii")


def _line_of(source: str, at: int, breaks: dict[int, list[int]]) -> int:
    """The line of `source` holding offset `at`, by bisection over its newlines, found once per
    source (`breaks`): counting newlines from the start for every match was quadratic (80 KB of
    "a@b@" took a second)."""
    where = breaks.get(id(source))
    if where is None:
        where = breaks[id(source)] = [m.start() for m in _NEWLINE.finditer(source)]
    return bisect.bisect_left(where, at)


_CONTROL = re.compile(r"[\x00-\x1f]")
_NEWLINE = re.compile("\n")


def _may_deobfuscate(text: str) -> bool:
    """False only if _deobfuscated(text) finds nothing: it searches UNSAFE_LINK in the text
    unescaped and stripped of backslashes, white space and control characters, so that text
    must contain "script", "data" or "&#" (as re.I reads them). The stripping here removes the
    same characters (str.split() splits on what \\s matches), cheaper than the regex."""
    plain = html.unescape(re.sub(r"&#([xX]?)0*([0-9A-Fa-f]{0,8})[0-9A-Fa-f]*", r"&#\1\2", text.replace("\\", "")))
    plain = "".join(plain.split())
    if _CONTROL.search(plain):
        plain = _CONTROL.sub("", plain)
    if "ı" in plain or "İ" in plain or "ſ" in plain:
        plain = plain.replace("ı", "i").replace("İ", "i").replace("ſ", "s")
    plain = plain.lower()
    return ("script" in plain or "data" in plain or "&#" in plain) and bool(_deobfuscated(text))


def _literals(source: str, words: tuple[str, ...], mark: Callable[[str, int, int], None]) -> None:
    for word in words:
        at = source.find(word)
        while at >= 0:
            mark(source, at, at + len(word))
            at = source.find(word, at + 1)


def _strings_to_scan(texts: list[str]) -> set[int] | None:
    """Indices of the strings on which a check may fire (one pass over them all)."""
    if not FAST:
        return None
    joined = "\n".join(texts)
    lines = lines_to_scan(joined, escapes=False)
    if lines is None:
        return None
    if not lines and "&" not in joined and "\\" not in joined:  # the loop below would add nothing
        return set()
    wanted, line = set(), 0
    for i, text in enumerate(texts):
        span = text.count("\n") + 1
        if any(n in lines for n in range(line, line + span)):
            wanted.add(i)
        elif ("&" in text or "\\" in text) and ("&#" in text or _may_deobfuscate(text)):
            wanted.add(i)  # on the whole string, as scan() reads it: a block scalar's lines join
        line += span
    return wanted
