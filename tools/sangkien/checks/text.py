"""Text hygiene and privacy: personal data, legacy-font mojibake, raw HTML, unsafe links.

Runs on every string of an entry's front matter and on every line of its body. Patterns are
written for how Vietnamese officials actually type numbers (`0912 345 678`, `+84 912.345.678`)
and leave decision numbers (`123/QĐ-UBND`), statistics and registered switchboards alone.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from sangkien.codes import problem
from sangkien.problems import Problem
from sangkien.textnorm import fold

SEP = r"[ .\-]?"
MOBILE = re.compile(rf"(?<![\d/.,\w])(?:\(\+?84\)|\+84|84|0){SEP}[35789]\d(?:{SEP}\d){{7}}(?![\d/\w])")
LANDLINE = re.compile(r"(?<![\d/.,\w])\(?(?:\+84|0)[ .\-]?\(?2\d{1,2}\)?(?:[ .\-]?\d){7,8}(?![\d/\w])")
CITIZEN_ID = re.compile(r"(?<![\d/.,\w])0\d{2}[ .]?\d{3}[ .]?\d{3}[ .]?\d{3}(?![\d/\w])")
# Bounded as RFC 5321 bounds them: unbounded `[\w.+-]+@` retries from every character of a long
# line without @ (a 100 KB line took minutes).
EMAIL = re.compile(r"[\w.+-]{1,64}@((?:[\w-]{1,63}\.){1,8}[A-Za-z]{2,24})(?![\w-])")
WEBMAIL = {
    "gmail.com", "googlemail.com", "yahoo.com", "yahoo.com.vn", "ymail.com", "outlook.com", "hotmail.com",
    "live.com", "msn.com", "icloud.com", "me.com", "aol.com", "proton.me", "protonmail.com", "zoho.com",
    "yandex.com", "mail.ru", "gmx.com", "qq.com", "163.com",
}
BIRTH = re.compile(r"\b(?:ngay|nam|thang nam)\s+sinh\b\s*[:\-]?\s*\d|\bsinh\s+(?:ngay|nam)\s+\d|\bd\.?o\.?b\b")
HOME = re.compile(r"\b(?:dia chi nha rieng|noi o hien nay|noi o hien tai|thuong tru|ho khau|cho o hien nay)\s*[:\-]")
MOJIBAKE_CHARS = "¶¸µ¹¨©ª«¬®¯°±²³´·º»¼½¾¿ÄÅÆÇËÎÏÑÖ×ØÛÜÞßäåæçëîïñöøûüþÿ¤¥¦§"
MOJIBAKE = re.compile(rf"[A-Za-z][{MOJIBAKE_CHARS}]+[A-Za-z]")
# VNI Windows text read as Latin-1 keeps ASCII vowels and adds its mark bytes after them:
# "chaøo", "caùc", "Vieät", "chöùc". These vowel pairs never occur in NFC Vietnamese (checked on
# the four plans and every entry), and ñ ö ø ï ä å ë ü are not Vietnamese letters at all.
VNI_PAIR = re.compile(r"a[âêáàåãäéèúüëùûõïø]|e[âáàåãäøùûõï]|oâ", re.I)
VNI_LETTER = re.compile(r"[^\W\d_][ñöøïäåëü]", re.I)
# A tag starts right after "<" (HTML reads "< y" as text), so "x < y và y > z" is not a tag.
HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:[\s/][^<>]*)?\s*>|<!--")  # <svg/onload=...> is a tag to a browser
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


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text).removeprefix("84")


def scan(text: str, file: str, line: int, column: int, where: str, allowed_phones: set[str],
         allowed_emails: set[str], markup: bool) -> Iterator[Problem]:
    """Problems in one piece of text that starts at (line, column). `markup`: Markdown body."""
    folded = fold(text)
    for m in CITIZEN_ID.finditer(text):
        yield problem("SK503", file, line, column + m.start(), f"Dòng {line}: {where} có dãy 12 chữ số «{m.group()}» giống số căn cước công dân.")
    ids = {m.span() for m in CITIZEN_ID.finditer(text)}
    for m in MOBILE.finditer(text):
        if any(a <= m.start() < b for a, b in ids):
            continue
        yield problem("SK501", file, line, column + m.start(), f"Dòng {line}: {where} có số điện thoại di động «{m.group()}».")
    for m in LANDLINE.finditer(text):
        digits = _digits(m.group())
        if digits.lstrip("0") in allowed_phones:
            continue
        yield problem("SK506", file, line, column + m.start(), f"Dòng {line}: {where} có số điện thoại «{m.group()}» không phải số tổng đài của cơ quan trong danh mục.")
    for m in EMAIL.finditer(text):
        address = m.group().lower()
        if address in allowed_emails:
            continue
        domain = m.group(1).lower()
        if domain in WEBMAIL:
            yield problem("SK504", file, line, column + m.start(), f"Dòng {line}: {where} có hộp thư cá nhân «{m.group()}».")
        else:
            yield problem("SK504", file, line, column + m.start(), f"Dòng {line}: {where} có hộp thư «{m.group()}» không phải hộp thư cơ quan trong danh mục.", severity="warning")
    for m in BIRTH.finditer(folded):
        yield problem("SK505", file, line, column + m.start(), f"Dòng {line}: {where} có ghi ngày hoặc năm sinh.")
    for m in HOME.finditer(folded):
        yield problem("SK507", file, line, column + m.start(), f"Dòng {line}: {where} có ghi địa chỉ nơi ở.")
    tcvn, vni = len(MOJIBAKE.findall(text)), len(VNI_PAIR.findall(text))
    if tcvn + vni >= 2 or (tcvn + vni == 1 and VNI_LETTER.search(text)):
        shown = [w for w in text.split() if MOJIBAKE.search(w) or VNI_PAIR.search(w) or VNI_LETTER.search(w)][:2]
        font = "VNI (VNI-Times)" if vni > tcvn else "TCVN3 (.VnTime)"
        yield problem("SK510", file, line, column, f"Dòng {line}: {where} có chữ bị lỗi phông {font} như {', '.join(f'«{w}»' for w in shown)}.")
    if HTML_TAG.search(text):
        m = HTML_TAG.search(text)
        yield problem("SK511", file, line, column + m.start(), f"Dòng {line}: {where} có thẻ HTML «{m.group()[:40]}».")
    m = UNSAFE_LINK.search(text)
    if m:
        yield problem("SK512", file, line, column + m.start(), f"Dòng {line}: {where} có liên kết không an toàn «{m.group()}».")
    elif "&" in text or "\\" in text:
        hidden = _deobfuscated(text)
        if hidden:
            at = text.find("&") if "&" in text else text.find("\\")
            yield problem("SK512", file, line, column + max(at, 0), f"Dòng {line}: {where} có liên kết không an toàn viết lẫn mã ký tự («{hidden}»).")
    for word in WORD.findall(text):
        if CYRILLIC_GREEK.search(word) and LATIN.search(word):
            yield problem("SK513", file, line, column, f"Dòng {line}: {where} có từ «{word}» lẫn chữ Latinh với chữ Hy Lạp hoặc Kirin.")
            break
    m = INVISIBLE.search(text)
    if m:
        yield problem("SK514", file, line, column + m.start(), f"Dòng {line}: {where} có ký tự vô hình U+{ord(m.group()):04X}.")


def scan_strings(data: object, path: tuple, positions, file: str, schema_label, allowed_phones: set[str],
                 allowed_emails: set[str]) -> Iterator[Problem]:
    """Every string value of the front matter, at its own line."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from scan_strings(value, path + (key,), positions, file, schema_label, allowed_phones, allowed_emails)
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from scan_strings(value, path + (i,), positions, file, schema_label, allowed_phones, allowed_emails)
    elif isinstance(data, str):
        line, col = positions.where(path)
        yield from scan(data, file, line, col, f"trường {schema_label(path)}", allowed_phones, allowed_emails, markup=False)


def scan_body(body: str, first_line: int, file: str, allowed_phones: set[str], allowed_emails: set[str]) -> Iterator[Problem]:
    """Every line of the Markdown body; fenced code is shown as code, so HTML there is harmless."""
    fenced = False
    for offset, text in enumerate(body.split("\n")):
        stripped = text.lstrip()
        if stripped.startswith(("```", "~~~")):
            fenced = not fenced
            continue
        line = first_line + offset
        for p in scan(text, file, line, 1, "phần mô tả", allowed_phones, allowed_emails, markup=True):
            if fenced and p.code in ("SK511", "SK512"):
                continue
            yield p
