"""Personal data in an entry's text: phones, ID numbers, bank accounts, e-mail, birth dates, homes.

Officials paste what the paper form asks for, in every shape a keyboard allows: `0912 345 678`,
`0912.345.678`, `０９１２３４５６７８` (full-width, from a PDF), `0912\u200b345678` (zero-width
space from a web page), `zalo.me/0912345678`, `ten [at] gmail [dot] com`, «SN 1985»,
«ông Nguyễn Văn A (1985)». So the text is first turned into a *view* and every rule reads the view:

- each character goes through NFKC (full-width digits and letters become ASCII) unless it is a
  non-decimal character whose NFKC has a digit (①, ², ½: not digits to `\\d` either), then is
  folded (lower case, tone and vowel marks removed, đ -> d), as textnorm.fold does;
- invisible characters (HIDDEN) are dropped, so digits around them become neighbours;
- a combining mark that follows a letter is dropped with the letter's own marks; one that follows
  anything else is kept (so `0\u0301912…` is not a phone number to the view).

`pos[i]` is the index in the original text of the view's character i: columns and the masked
excerpt in messages come from there. The same view is built by the form's privacy.js from the
data `export()` gives it, and every pattern goes to the browser through form.js_regex.

Numbers that are not personal are taken out before the number rules run: tax codes after «mã số
thuế»/«MST» (TAX), digits inside a web address (URL) except the phone links of URL_PHONE. The
unit's official switchboards and mailboxes (from the registry) are allowed.

Every pattern is linear: bounded quantifiers only, never a repetition inside an unbounded one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from sangkien.codes import problem
from sangkien.problems import LINE, Problem

# Characters dropped from the view: zero-width and direction marks, word joiners, BOM, soft hyphen.
HIDDEN = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# What people put between the digits of a number (after NFKC: no-break and thin spaces are spaces).
SEPARATORS = " .\\-\u2010-\u2015\u2212"
S = f"[{SEPARATORS}]"
GAP = S + "{0,3}"
# Not in the middle of a word, a path, a decimal, a code (SP-0912…), a query (id=…).
LEFT = r"(?<![\w/.,+\-#=&%])"
RIGHT = r"(?![\w/]|[.,:]\d|-\d{3}(?!\d))"

MOBILE = re.compile(LEFT + rf"(?:(?:\(\+?84\)|\+84|84)(?:{S}{{0,2}}0)?|0){S}{{0,2}}[35789](?:{GAP}\d){{8}}" + RIGHT)
LANDLINE = re.compile(LEFT + rf"\(?(?:\+84|0){S}{{0,2}}\(?2\d{{1,2}}\)?{S}{{0,2}}\d(?:{GAP}\d){{6,7}}" + RIGHT)
CITIZEN_ID = re.compile(LEFT + rf"(?:0\d{{2}}(?:{S}?\d{{3}}){{3}}|0\d{{3}}(?:{S}?\d{{4}}){{2}})" + RIGHT)
# Context words where digits alone are ambiguous: the number is group 1.
OLD_ID = re.compile(rf"\b(?:cmnd|cmt|chung minh nhan dan|chung minh thu)\b[^\d\n]{{0,25}}(\d(?:{S}?\d){{8}})(?!{S}?\d|[\w/])")
BANK = re.compile(r"(?:\b(?:so tai khoan|so tk|stk|tk ngan hang|tai khoan ngan hang)\b[^\d\n]{0,25}|\btai khoan so[ :.]{0,3})"
                  r"(\d(?:[ \-]?\d){6,18})(?![\w/]|[.,]\d|[ \-]?\d)")
TAX = re.compile(rf"\b(?:ma so thue|mst|ma so doanh nghiep|msdn|ma so dn)\b[^\d\n]{{0,20}}(\d(?:{S}?\d){{9,12}}(?:{S}{{0,2}}\d{{3}})?)")
URL = re.compile("(?:https?://|www\\.)[^\\s<>\"'()\\[\\]{}]{1,2048}")
URL_PHONE = re.compile(r"(?:zalo\.me/|wa\.me/|tel:|sms:|callto:|viber://(?:chat|add)\?number=)(?:\+|%2b)?"
                       rf"(\d(?:{S}?\d){{7,12}})(?![\w])")
# The digits of a phone link, «84» read as «0»: a mobile, a landline, or neither (1900…, 113).
MOBILE_DIGITS = re.compile(r"0[35789]\d{8}")
LANDLINE_DIGITS = re.compile(r"02\d{8,9}")
AT = r"(?:\s{0,2}@\s{0,2}|\s{0,2}[\[({]\s?(?:at|a)\s?[\])}]\s{0,2}| a cong )"
DOT = r"(?:\.|\s{0,2}[\[({]\s?(?:dot|cham)\s?[\])}]\s{0,2}| dot )"
# Bounded as RFC 5321 bounds them (unbounded `[\w.+-]+@` retried from every character of a long
# line without @: a 100 KB line took minutes), and starting where a run of such characters starts
# (a 500 KB run took 2 s with 64 tries at each character; a longer local part is not an address).
EMAIL = re.compile(rf"(?<![\w.+-])([\w.+-]{{1,64}}){AT}((?:[\w-]{{1,63}}{DOT}){{1,8}}[a-z]{{2,24}})(?![\w-])")
EMAIL_HINT = re.compile(r"@|[\[({]\s?(?:at|a)\s?[\])}]| a cong ")
TITLES = ("ong", "ba", "anh", "chi", "dong chi", "d/c", "tac gia", "dong tac gia")
BIRTH = re.compile(
    r"\b(?:ngay|nam|thang nam)\s{1,3}sinh\b\s{0,3}[:\-]?\s{0,3}\d"
    r"|\bsinh\s{1,3}(?:ngay|nam|thang)\b\s{0,3}[:\-]?\s{0,3}\d"
    r"|\bd\.?o\.?b\b"
    r"|\bsn\s{0,3}[:.\-]?\s{0,3}(?:(?:19|20)\d{2}|\d{1,2}[/.\-]\d{1,2}[/.\-](?:19|20)\d{2})(?!\d)"
    r"|\(\s{0,2}sinh\s{1,2}(?:nam\s{1,2})?(?:19[4-9]\d|200\d)(?!\d)"
    rf"|\b(?:{'|'.join(TITLES)})\s{{1,2}}(?:[a-z]{{1,7}}\s{{1,2}}){{0,4}}[a-z]{{1,7}}\s{{0,2}}\((?:19[4-9]\d|200\d)\)")
HOME = re.compile(
    r"\bdia chi nha(?: rieng)?(?:\s{0,3}[:\-]|\s{1,3}(?:so|tai|o)\s)"
    r"|\bnha rieng(?:\s{0,3}[:\-]|\s{1,3}(?:so|tai|o)\s)(?!\s{0,3}[(+0])"  # «Nhà riêng: 0276…» is a phone (SK506)
    r"|(?<!ky )(?<!bao )(?<!xoa )\b(?:noi o(?: hien nay| hien tai)?|cho o(?: hien nay| hien tai)?|noi thuong tru|noi tam tru"
    r"|thuong tru|tam tru|ho khau(?: thuong tru)?)\s{0,3}[:\-](?!\s{0,3}(?:tam|thuong)\b)")
WEBMAIL = {
    "gmail.com", "googlemail.com", "yahoo.com", "yahoo.com.vn", "ymail.com", "outlook.com", "hotmail.com",
    "live.com", "msn.com", "icloud.com", "me.com", "aol.com", "proton.me", "protonmail.com", "zoho.com",
    "yandex.com", "mail.ru", "gmx.com", "qq.com", "163.com",
}
_SEVEN_DIGITS = re.compile(r"(?:\d\D{0,40}){6}\d")  # every number rule needs 7 digits, none more than 40 apart
_DOT_WORD = re.compile(r"\s{0,2}[\[({]\s?(?:dot|cham)\s?[\])}]\s{0,2}| dot ")

# What the messages say after "Dòng N: <where> ", with «{found}» masked; the form uses the same text.
MESSAGES = {
    "SK501": "có số điện thoại di động «{found}».",
    "SK503": "có số căn cước công dân «{found}».",
    "SK504": "có hộp thư cá nhân «{found}».",
    "SK504w": "có hộp thư «{found}» không phải hộp thư cơ quan trong danh mục.",
    "SK505": "có ghi ngày hoặc năm sinh «{found}».",
    "SK506": "có số điện thoại «{found}» không phải số tổng đài của cơ quan trong danh mục.",
    "SK507": "có ghi địa chỉ nơi ở «{found}».",
    "SK508": "có số chứng minh nhân dân «{found}».",
    "SK509": "có số tài khoản ngân hàng «{found}».",
}
# Digits kept at the start and at the end of a masked number: «09•• ••• •78», «0792•••••234».
KEEP = {"SK501": (2, 2), "SK506": (2, 2), "SK503": (4, 3), "SK508": (2, 2), "SK509": (2, 2)}
MASK = "•"


# ----------------------------------------------------------------- the view
_ONE: dict[str, tuple[str, int]] = {}  # char -> (its view, kind: 0 other, 1 letter, 2 mark, 3 hidden)


def _char(c: str) -> tuple[str, int]:
    known = _ONE.get(c)
    if known is not None:
        return known
    if HIDDEN.match(c):
        out = ("", 3)
    elif unicodedata.category(c).startswith("M"):
        folded = _fold(c)
        out = (folded or c, 2 if not folded else 0)
    else:
        n = unicodedata.normalize("NFKC", c)
        if not c.isdecimal() and any(ch.isdigit() for ch in n):
            n = c  # ①, ², ½ stay what they are: no digit appears that \d would not see
        out = (_fold(n) or n, 1 if c.isalpha() else 0)
    if len(_ONE) < 4096:
        _ONE[c] = out
    return out


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(ch for ch in decomposed if not "\u0300" <= ch <= "\u036f").replace("đ", "d")


_SAME: dict[int, str] = {}  # code point -> its view, for characters seen as exactly one character of kind 0 or 1


def view(text: str) -> tuple[str, list[int] | None]:
    """The text as the rules read it, and where each of its characters comes from (None: same place)."""
    if text.isascii():
        return text.lower(), None
    # Most Vietnamese text has no hidden character, lone mark or expanding character: each
    # character is one character of the view, at the same place, and str.translate does the loop.
    for c in set(text):
        if ord(c) not in _SAME:
            out, kind = _char(c)
            if kind > 1 or len(out) != 1 or len(_SAME) >= 4096:
                break
            _SAME[ord(c)] = out
    else:
        return text.translate(_SAME), None
    parts: list[str] = []
    pos: list[int] = []
    after_letter = False
    for i, c in enumerate(text):
        out, kind = _char(c)
        if kind == 3:
            continue
        if kind == 2:  # a lone combining mark: part of the letter before it, else kept as is
            if after_letter:
                continue
            out = c
        after_letter = kind == 1 or (kind == 2 and after_letter)
        parts.append(out)
        pos.extend([i] * len(out))
    return "".join(parts), pos


def export() -> dict[str, object]:
    """What the form's privacy.js needs besides the patterns (form.py translates those)."""
    return {"messages": MESSAGES, "keep": KEEP, "mask": MASK, "webmail": sorted(WEBMAIL), "separators": SEPARATORS, "titles": list(TITLES)}


# Every pattern the rules use, for the form (form.py translates each with js_regex).
PATTERNS = ("MOBILE", "LANDLINE", "CITIZEN_ID", "OLD_ID", "BANK", "TAX", "URL", "URL_PHONE", "EMAIL", "EMAIL_HINT", "BIRTH", "HOME",
            "HIDDEN", "_DOT_WORD", "_SEVEN_DIGITS", "MOBILE_DIGITS", "LANDLINE_DIGITS")


# ----------------------------------------------------------------- the rules
def masked(found: str, code: str) -> str:
    head, tail = KEEP.get(code, (0, 0))
    total = sum(ch.isdecimal() for ch in found)
    out, seen = [], 0
    for ch in found:
        if ch.isdecimal():
            out.append(ch if seen < head or seen >= total - tail else MASK)
            seen += 1
        else:
            out.append(ch)
    return "".join(out)


def _phone_key(digits: str) -> str:
    return digits.removeprefix("84").lstrip("0")


def findings(text: str, allowed_phones: set[str] | frozenset[str], allowed_emails: set[str] | frozenset[str]
             ) -> list[tuple[str, int, str, str | None]]:
    """(code, column offset in `text`, masked excerpt, severity or None for the code's own)."""
    s, pos = view(text)
    at = (lambda i: i) if pos is None else (lambda i: pos[i])
    out: list[tuple[int, str, int, str, str | None]] = []  # view index first: the order of the report
    taken = bytearray(len(s) + 1)

    def free(a: int, b: int) -> bool:
        return not any(taken[a:b])

    def take(a: int, b: int) -> None:
        taken[a:b] = b"\x01" * (b - a)

    def add(code: str, a: int, b: int, found: str, severity: str | None = None) -> None:
        out.append((a, code, at(a), found, severity))

    if _SEVEN_DIGITS.search(s):
        for m in URL.finditer(s):
            take(*m.span())
        for m in URL_PHONE.finditer(s):
            number = re.sub(r"\D", "", m.group(1))
            if number.startswith("84") and len(number) in (11, 12):
                number = "0" + number[2:].lstrip("0")
            code = "SK501" if MOBILE_DIGITS.fullmatch(number) else "SK506" if LANDLINE_DIGITS.fullmatch(number) else ""
            if code and _phone_key(number) not in allowed_phones:
                add(code, m.start(1), m.end(1), masked(m.group(1), code))
            take(*m.span())
        for m in TAX.finditer(s):
            if free(*m.span(1)):
                take(*m.span(1))
        for code, pattern in (("SK508", OLD_ID), ("SK509", BANK)):
            for m in pattern.finditer(s):
                if free(*m.span(1)):
                    add(code, m.start(1), m.end(1), masked(m.group(1), code))
                    take(*m.span(1))
        for code, pattern in (("SK503", CITIZEN_ID), ("SK501", MOBILE), ("SK506", LANDLINE)):
            for m in pattern.finditer(s):
                if not free(*m.span()):
                    continue
                take(*m.span())
                if code != "SK503" and _phone_key(re.sub(r"\D", "", m.group())) in allowed_phones:
                    continue
                add(code, m.start(), m.end(), masked(m.group(), code))
    if EMAIL_HINT.search(s):
        for m in EMAIL.finditer(s):
            domain = _DOT_WORD.sub(".", m.group(2))
            local = m.group(1)
            if (local + "@" + domain) in allowed_emails:
                continue
            found = f"{local[:1]}{MASK * 3}@{domain}"
            if domain in WEBMAIL:
                add("SK504", m.start(), m.end(), found)
            else:
                add("SK504w", m.start(), m.end(), found, "warning")
    for code, pattern in (("SK505", BIRTH), ("SK507", HOME)):
        for m in pattern.finditer(s):
            a, b = at(m.start()), at(m.end() - 1) + 1
            shown = re.sub(r"\d", MASK, text[a:b].strip())
            add(code, m.start(), m.end(), shown[:60])
    out.sort(key=lambda item: item[0])
    return [(code, column, found, severity) for _, code, column, found, severity in out]


def scan(text: str, file: str, line: int, column: int, where: str, allowed_phones: set[str],
         allowed_emails: set[str]) -> Iterator[Problem]:
    """The personal-data problems of one piece of text that starts at (line, column)."""
    for code, offset, found, severity in findings(text, allowed_phones, allowed_emails):
        what = MESSAGES[code].format(found=found)
        yield problem(code[:5], file, line, column + offset, f"{where} {what}", severity=severity, at=LINE)
