"""Text preparation for Vietnamese comparison: NFC, folded syllables, abbreviations expanded,
hashed syllable shingles (for copies) and content syllables (for paraphrases).

Hashes are 32-bit: a set of a few thousand shingles collides with another entry's by chance
about once in a million pairs, and halving the size keeps a 10,000-entry cache small.

Every comparison token remembers the span of the original text it came from, so that shared
passages can be shown to people in the original spelling, with its tone marks.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import numpy as np
from sangkien import textnorm
from sangkien.novelty.abbrev import Abbreviations

SHINGLE = 3  # syllables per shingle: Vietnamese words are mostly 1-2 syllables
_TOKEN = re.compile(r"[^\W_]+")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*(.*?)\s*#*\s*$")
# The section headings that the entry template recommends carry no content of their own.
_TEMPLATE_HEADINGS = {"thuc trang", "giai phap", "cach nhan rong", "ket qua", "hieu qua", "mo ta", "noi dung",
                      "ket qua dat duoc", "hieu qua dat duoc", "noi dung giai phap", "mo ta giai phap"}

# Function syllables left out of the content terms (shingles keep them: a verbatim copy copies
# them too). Matched before folding, because folding merges "của" (of) with "cửa" (door, as in
# "một cửa") and "hài" (hài lòng) with "hai" (two).
STOPWORDS = frozenset(["và", "của", "các", "những", "được", "cho", "trong", "theo", "có", "là", "để", "với", "từ", "này", "khi", "tại", "đã", "đang", "sẽ", "thì", "mà", "nên", "vì", "do", "bị", "ra", "vào", "lên", "như", "cũng", "còn", "hay", "hoặc", "nếu", "mỗi", "từng", "nhiều", "ít", "trên", "dưới", "sau", "trước", "đến", "qua", "về", "ở", "không", "chưa", "rất", "hơn", "nhất", "thêm", "lại", "việc", "nhau", "nào", "ai", "gì", "đó", "ấy", "kia", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười", "trăm", "nghìn", "triệu", "gồm", "bao", "thực", "hiện", "nhằm", "giúp", "cụ", "thể", "đồng", "thời"])

_M1 = np.uint64(0x9E3779B97F4A7C15)
_M2 = np.uint64(0xBF58476D1CE4E5B9)
_M3 = np.uint64(0x94D049BB133111EB)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads nearby inputs over all 64 bits (vectorised, wraps mod 2^64)."""
    x = x ^ (x >> np.uint64(30))
    x = x * _M2
    x = x ^ (x >> np.uint64(27))
    x = x * _M3
    mixed: np.ndarray = x ^ (x >> np.uint64(31))
    return mixed


class _TokenHasher:
    """Stable 64-bit token hashes (the same in every process, unlike Python's hash())."""

    def __init__(self) -> None:
        self._cache: dict[str, int] = {}

    def _new(self, token: str) -> int:
        h = self._cache[token] = int.from_bytes(hashlib.blake2b(token.encode(), digest_size=8).digest(), "little")
        return h

    def __call__(self, tokens: list[str]) -> np.ndarray:
        get = self._cache.get
        return np.array([get(t) or self._new(t) for t in tokens], dtype=np.uint64)


_hash_tokens = _TokenHasher()


@dataclass
class Prepared:
    """One text ready for comparison."""

    text: str  # the original (NFC) text, for display
    tokens: list[str]  # folded syllables, abbreviations expanded
    starts: list[int]  # span of each token in `text` (an expanded abbreviation: the abbreviation's span)
    ends: list[int]
    positions: np.ndarray  # uint32 shingle hash at each token position (len = len(tokens) - SHINGLE + 1)
    shingles: np.ndarray  # sorted unique uint32 shingle hashes
    terms: np.ndarray  # sorted unique uint32 hashes of content syllables
    counts: np.ndarray  # occurrences of each term


def compose(title: str, summary: str, body: str) -> str:
    """The text compared for an entry: title, summary and description, template headings left out."""
    lines = []
    for line in body.splitlines():
        m = _HEADING.match(line)
        if m and " ".join(textnorm.words(m.group(1))) in _TEMPLATE_HEADINGS:
            continue
        lines.append(line)
    return "\n\n".join(part for part in (title.strip(), summary.strip(), "\n".join(lines).strip()) if part)


def _word(word: str) -> tuple[str, bool, bool]:
    """(folded, carries content, upper case) of a word as written; cached, the vocabulary is small."""
    info = _words.get(word)
    if info is None:
        info = _words[word] = (_spelling(textnorm.fold(word)), not word.isdigit() and word.lower() not in STOPWORDS, word.isupper())
    return info


_VOWELS = set("aeiouy")


def _spelling(folded: str) -> str:
    """Both spellings are official: "kĩ/kỹ", "lí/lý", "mĩ/mỹ" -> the i form."""
    if len(folded) > 1 and folded[-1] == "y" and folded[-2] not in _VOWELS and folded.isalpha():
        return folded[:-1] + "i"
    return folded


_words: dict[str, tuple[str, bool, bool]] = {}


def tokenize(text: str, abbreviations: Abbreviations) -> tuple[list[str], list[int], list[int], list[bool]]:
    """Folded tokens, their spans, and whether each one carries content (not a function word)."""
    matches = list(_TOKEN.finditer(text))
    infos = [_words.get(m.group()) or _word(m.group()) for m in matches]
    if not any(info[2] for info in infos):  # nothing upper case: no abbreviation to expand
        return ([info[0] for info in infos], [m.start() for m in matches], [m.end() for m in matches], [info[1] for info in infos])
    folded, flags = [info[0] for info in infos], [info[1] for info in infos]
    word_starts, word_ends = [m.start() for m in matches], [m.end() for m in matches]
    table, longest, n = abbreviations.table, abbreviations.longest, len(matches)
    tokens: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    content: list[bool] = []
    done = 0  # words before this index are already in the output
    for i in (k for k, info in enumerate(infos) if info[2]):
        if i < done:
            continue  # part of an abbreviation already expanded
        for size in range(min(longest, n - i), 0, -1):
            if not all(w[2] for w in infos[i:i + size]):
                continue
            expansion = table.get(tuple(folded[i:i + size]))
            if expansion:
                tokens += folded[done:i] + list(expansion)
                starts += word_starts[done:i] + [word_starts[i]] * len(expansion)
                ends += word_ends[done:i] + [word_ends[i + size - 1]] * len(expansion)
                content += flags[done:i] + [True] * len(expansion)
                done = i + size
                break
    tokens += folded[done:]
    starts += word_starts[done:]
    ends += word_ends[done:]
    content += flags[done:]
    return tokens, starts, ends, content


def _u32(x: np.ndarray) -> np.ndarray:
    return (x >> np.uint64(32)).astype(np.uint32)


def syllable_hashes(tokens: list[str]) -> np.ndarray:
    """uint32 hash of each token, as used for content terms (and the background table)."""
    return _u32(_mix(_hash_tokens(tokens)))


def shingle_hashes(hashes: np.ndarray, k: int = SHINGLE) -> np.ndarray:
    """uint32 hash of each run of k consecutive token hashes (order-sensitive)."""
    if len(hashes) < k:  # a text shorter than one shingle is one shingle
        hashes = np.concatenate([hashes, np.zeros(k - len(hashes), dtype=np.uint64)]) if len(hashes) else hashes
        if not len(hashes):
            return np.empty(0, dtype=np.uint32)
    acc = hashes[: len(hashes) - k + 1].copy()
    for j in range(1, k):
        acc = _mix(acc * _M1 + hashes[j: len(hashes) - k + 1 + j])
    return _u32(acc)


def prepare(text: str, abbreviations: Abbreviations) -> Prepared:
    text = textnorm.nfc(text)
    tokens, starts, ends, flags = tokenize(text, abbreviations)
    hashes = _hash_tokens(tokens)
    positions = shingle_hashes(hashes)
    content = np.array(flags, dtype=bool)
    # Single syllables measured best for paraphrases (syllable pairs and triples lost recall).
    terms, counts = np.unique(_u32(_mix(hashes[content])), return_counts=True)
    return Prepared(text, tokens, starts, ends, positions, _sorted_unique(positions), terms, counts.astype(np.float32))


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """np.unique(values) of integers, the same array: without counts np.unique asks np.ma whether
    the array is masked, and importing numpy.ma costs a `validate --base` more than the check."""
    ordered = np.sort(values)
    first = np.empty(len(ordered), dtype=bool)
    first[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    found: np.ndarray = ordered[first]
    return found
