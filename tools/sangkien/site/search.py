"""Vietnamese search for the public catalogue: a sharded index built with the site, and its page.

Why not Material's search or Pagefind: the first does not fold Vietnamese and weighs ~20 MB
gzipped at 10,000 entries; Pagefind folds tone marks but not đ, so "dong" misses "Đồng".

Layout under `tim-kiem/chi-muc/` (dev/search-design.md has the figures):
- `manifest.json`: build id, entry count, limits, the first folded word of each shard, and the
  sorted list of common keys;
- `t/<n>.json`: postings of a slice of the sorted folded vocabulary, cut at SHARD_BYTES, so a
  query fetches only the shards holding its own words;
- `b/<n>.json`: one common key (the n-th of the manifest's list), whose postings would not fit a
  shard: a bitmap of the entries holding it, which filters, and its title postings, which rank;
  so every word of a query costs at most one shard or one bitmap, whatever the catalogue's size
  (issue 18: 300 KB for any first query at 170,000 entries, see payload_bound);
- `d/<n>.json`: display records (title, link, unit, province, year, summary) of CHUNK entries,
  fetched for the results being shown.

A posting is `[form, [v, ...]]`: the lower-case original spelling (so exact-diacritic matches can
rank first) and, per entry, `v = (entry - previous entry) * 8 + fields` (TITLE/SUMMARY/META bits).
`IndexReader` is the Python twin of the browser code: the benchmark and the tests use it to know
what a query fetches and returns; a browser test checks that both agree.
"""

from __future__ import annotations

import base64
import bisect
import gzip
import hashlib
import json
import re
import shutil
from collections.abc import Callable, Iterable, Mapping, MutableSequence, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from sangkien.model import Entry, Repository
from sangkien.site.opendata import enum_labels
from sangkien.textnorm import fold, nfc

SEARCH_SCRIPT = "assets/sangkien/search.js"
SEARCH_STYLE = "assets/sangkien/search.css"
INDEX_DIR = "tim-kiem/chi-muc"
ASSETS = Path(__file__).resolve().parent / "assets" / "sangkien"

TITLE, SUMMARY, META = 1, 2, 4
SHARD_BYTES = 24_000  # raw JSON per postings shard before a new one starts
# A key whose postings would be larger than this is "common": stored as a bitmap of its own
# (b/<n>.json, one bit per entry), so no shard is larger than SHARD_BYTES whatever the catalogue's
# size. At 170,000 entries a key in half of them costs ~21 KB gzipped as a bitmap, 2-3x less than its postings.
COMMON_BYTES = SHARD_BYTES
TITLE_BYTES = 6_000  # a common key's title postings (for ranking) are kept up to this size, else dropped
CHUNK = 16  # display records per chunk: a page of results may touch PAGE chunks
SUMMARY_CHARS = 220  # summary shown in a result
PAGE = 20  # results shown per page (the JS shows the same number)
MAX_PREFIX_SHARDS = 3  # a partly typed last word may look in at most this many shards
MAX_PREFIX_COMMON = 1  # ... and complete to at most this many common keys (bitmaps)
MAX_WORDS = 8  # words of a query used; with the limits above this bounds a first query's bytes (payload_bound)

_TOKEN = re.compile(r"[^\W_]+")  # letters and digits; the JS uses /[\p{L}\p{N}]+/gu
# A syllable of consonant(s) + "y" is the same syllable as with "i" (kỹ/kĩ, lý/lí, mỹ/mĩ, quý/quí);
# "tay"/"tai" or "tuy"/"tui" are different words, so only this exact shape is rewritten.
_Y_FINAL = re.compile(r"^(b|c|ch|d|g|gh|h|k|kh|l|m|n|ng|ngh|nh|p|ph|qu|r|s|t|th|tr|v|x)y$")

SEARCH_PAGE_MARKDOWN = """\
---
title: Tìm kiếm sáng kiến
hide:
  - toc
---

# Tìm kiếm sáng kiến

<form class="sk-search" id="sk-search" role="search" action="." method="get">
  <label for="sk-q">Từ khóa (gõ có dấu hoặc không dấu)</label>
  <div class="sk-search-row">
    <input id="sk-q" name="q" type="search" autocomplete="off" spellcheck="false"
           placeholder="Ví dụ: một cửa, dien tu, Đồng Khởi" aria-describedby="sk-help">
    <button type="submit">Tìm</button>
  </div>
  <p id="sk-help" class="sk-help">Nhiều từ: kết quả chứa tất cả các từ. Gõ «dien tu» cũng tìm thấy «điện tử»;
  kết quả đúng dấu được xếp trước, khớp ở tên sáng kiến xếp trên khớp ở phần tóm tắt.</p>
</form>

<p id="sk-status" class="sk-status" role="status" aria-live="polite"></p>
<ol id="sk-results" class="sk-results"></ol>
<p><button type="button" id="sk-more" class="sk-more" hidden>Xem thêm kết quả</button></p>

<noscript><p>Trang tìm kiếm cần JavaScript. Bạn vẫn có thể xem toàn bộ
<a href="../sang-kien/">danh mục sáng kiến đã được công nhận</a>.</p></noscript>
"""


# ----------------------------------------------------------------- text
def tokens(text: str) -> list[tuple[str, str]]:
    """(lower-case NFC spelling, search key) of each word; 'Một cửa' -> [('một','mot'), ('cửa','cua')]."""
    return [(form, _fold(form)) for form in _TOKEN.findall(nfc(text).lower())]


@lru_cache(maxsize=65536)
def _fold(word: str) -> str:
    """The search key of a word: fold(), then kỹ/kĩ, lý/lí, quý/quí spelt alike (final y -> i)."""
    return _Y_FINAL.sub(r"\1i", fold(word))  # cached: a few thousand syllables repeat in every entry


# ----------------------------------------------------------------- what is indexed
@dataclass
class Doc:
    """One recognised entry as the search sees it."""

    id: str
    title: str
    url: str
    summary: str = ""
    unit: str = ""
    province: str = ""
    year: str = ""
    illustrative: bool = False
    meta: list[str] = field(default_factory=list)  # campaign, areas, indices, keywords...


def docs_of(repo: Repository, url_of: Callable[[Entry], str]) -> list[Doc]:
    """Recognised initiatives, newest recognition first (ties in the ranking keep this order)."""
    areas, indices = enum_labels("entry", "area"), enum_labels("entry", "index")
    types, levels = enum_labels("entry", "solution_type"), enum_labels("decisions", "recognition_level")
    out = []
    for entry, rec, _line in repo.recognised_initiatives():
        data = entry.data
        unit = repo.units.get(entry.unit or "")
        province = repo.province_of(entry.unit)
        campaign = repo.campaigns.get(entry.campaign or "")
        meta = [unit.name if unit else "", province.name if province else "", campaign.title if campaign else ""]
        # str(): an entry with schema errors still reaches the model; it must not break the build
        meta += [areas.get(str(a), str(a)) for a in _listed(data.get("areas"))]
        meta += [f"{i} {indices.get(str(i), '')}" for i in _listed(data.get("indices"))]
        if data.get("solution_type"):  # «Giải pháp kỹ thuật»: "kỹ thuật" finds it
            meta.append(types.get(str(data["solution_type"]), str(data["solution_type"])))
        if rec.level:
            meta.append(levels.get(str(rec.level), str(rec.level)))
        meta += [str(k) for k in _listed(data.get("keywords"))]
        out.append(Doc(str(entry.id), entry.title, url_of(entry), str(data.get("summary") or ""),
                       unit.name if unit else str(entry.unit or ""), province.name if province else "",
                       str(rec.day.year) if rec.day else "", entry.illustrative, [m for m in meta if m]))
    return out


def _listed(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


# ----------------------------------------------------------------- building
# What one doc contributes: search key -> lower-case spelling -> field bits (TITLE|SUMMARY|META).
DocTokens = dict[str, dict[str, int]]
# Postings: search key -> spelling -> ascending `doc * 8 + fields` (a list, or an array once cached).
Postings = dict[str, dict[str, MutableSequence[int]]]


def doc_tokens(doc: Doc) -> DocTokens:
    """The words of one doc, folded to their search keys, with the fields they appear in."""
    out: DocTokens = {}
    for bit, texts in ((TITLE, [doc.title]), (SUMMARY, [doc.summary]), (META, doc.meta)):
        for text in texts:
            for form, key in tokens(text):
                forms = out.setdefault(key, {})
                forms[form] = forms.get(form, 0) | bit
    return out


def postings_of(docs: list[Doc]) -> Postings:
    """The postings of `docs`, numbered in order (one pass: the same as doc_tokens of each doc, sooner)."""
    postings: Postings = {}
    for n, doc in enumerate(docs):
        base = n << 3
        for bit, texts in ((TITLE, [doc.title]), (SUMMARY, [doc.summary]), (META, doc.meta)):
            for text in texts:
                for form, key in tokens(text):
                    forms = postings.get(key)
                    if forms is None:
                        forms = postings[key] = {}
                    seen = forms.get(form)
                    if seen is None:
                        forms[form] = [base | bit]
                    elif seen[-1] >> 3 == n:
                        seen[-1] |= bit
                    else:
                        seen.append(base | bit)
    return postings


def key_entry(key: str, forms: Mapping[str, Sequence[int]], count: int) -> tuple[bool, bytes]:
    """(common, bytes) of one key: its shard fragment `"key":[[form,[v,...]],...]` (v = doc delta
    * 8 + fields, the most used spelling first), or, for a key whose fragment would exceed
    COMMON_BYTES, its own file `["<bitmap>", titles]`: a bitmap of the `count` docs holding it
    (one bit per doc, base64), which filters, and the postings of its title spellings alone (v =
    doc delta * 8 + TITLE), which rank, when they fit in TITLE_BYTES (else [], and the key ranks nothing)."""
    total = sum(len(values) for values in forms.values())
    if 2 * total + 2 <= COMMON_BYTES:  # each value takes at least two characters ("9,"): only then can it fit
        value = [[form, _deltas(values)] for form, values in _by_use(forms)]
        fragment = _dump({key: value})[1:-1]
        if len(fragment) + 2 <= COMMON_BYTES:
            return False, fragment
    every = np.concatenate([np.asarray(values, dtype=np.int64) for values in forms.values()])
    present = np.zeros(count, dtype=bool)
    present[every >> 3] = True
    bits = np.packbits(present, bitorder="little").tobytes()
    in_titles = {form: (v[(v & TITLE) != 0] >> 3 << 3 | TITLE).tolist() for form, values in forms.items() for v in (np.asarray(values, dtype=np.int64),)}
    titles = [[form, _deltas(values)] for form, values in _by_use(in_titles) if values]
    if sum(len(values) for values in in_titles.values()) * 2 > TITLE_BYTES or len(_dump(titles)) > TITLE_BYTES:
        titles = []
    return True, _dump([base64.b64encode(bits).decode("ascii"), titles])


def _by_use(forms: Mapping[str, Sequence[int]]) -> list[tuple[str, Sequence[int]]]:
    """Spellings, the most used first (ties: alphabetical)."""
    return sorted(forms.items(), key=lambda fv: (-len(fv[1]), fv[0]))


def _deltas(values: Sequence[int]) -> list[int]:
    """`doc * 8 + fields` ascending -> `(doc - previous doc) * 8 + fields`."""
    v = np.asarray(values, dtype=np.int64)
    out: list[int] = (np.diff(v >> 3, prepend=0) * 8 + (v & 7)).tolist()
    return out


def chunk_bytes(docs: list[Doc]) -> bytes:
    """One display file: the rows of up to CHUNK docs."""
    return _dump([[d.title, d.url, d.unit, d.province, d.year, _clip(d.summary), 1 if d.illustrative else 0] for d in docs])


def assemble(entries: dict[str, tuple[bool, bytes]], chunks: list[bytes], count: int) -> dict[str, bytes]:
    """The index files from each key's entry (key_entry) and the display files, in order."""
    files: dict[str, bytes] = {}
    bounds: list[str] = []
    common: list[str] = []
    parts: list[bytes] = []
    size = 0
    for key in sorted(entries):
        is_common, data = entries[key]
        if is_common:
            files[f"b/{len(common)}.json"] = data
            common.append(key)
            continue
        cost = len(data) + 2
        if parts and size + cost > SHARD_BYTES:
            files[f"t/{len(bounds) - 1}.json"] = b"{" + b",".join(parts) + b"}"
            parts, size = [], 0
        if not parts:
            bounds.append(key)
        parts.append(data)
        size += cost
    if parts:
        files[f"t/{len(bounds) - 1}.json"] = b"{" + b",".join(parts) + b"}"
    for n, data in enumerate(chunks):
        files[f"d/{n}.json"] = data
    build = hashlib.sha256(b"".join(name.encode() + data for name, data in sorted(files.items()))).hexdigest()[:12]
    files["manifest.json"] = _dump({"version": 2, "build": build, "count": count, "chunk": CHUNK, "page": PAGE,
                                    "prefix_shards": MAX_PREFIX_SHARDS, "prefix_common": MAX_PREFIX_COMMON,
                                    "max_words": MAX_WORDS, "shards": bounds, "common": common})
    return files


def build_index(docs: list[Doc]) -> dict[str, bytes]:
    """The index files (relative to INDEX_DIR) for `docs`, in that order."""
    entries = {key: key_entry(key, forms, len(docs)) for key, forms in postings_of(docs).items()}
    chunks = [chunk_bytes(docs[start:start + CHUNK]) for start in range(0, len(docs), CHUNK)]
    return assemble(entries, chunks, len(docs))


def _dump(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _clip(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= SUMMARY_CHARS:
        return text
    cut = text[:SUMMARY_CHARS].rsplit(" ", 1)[0]
    return cut + "…"


def write_search(repo: Repository, site_dir: Path, url_of: Callable[[Entry], str], cache_dir: Path | None = None) -> dict[str, int]:
    """Write the index and the page's script and style under `site_dir`; return sizes."""
    return write_index(docs_of(repo, url_of), site_dir, cache_dir)


def write_index(docs: list[Doc], site_dir: Path, cache_dir: Path | None = None) -> dict[str, int]:
    """Write the index of `docs` (in their ranking order) and the page's script and style under
    `site_dir`; return sizes. A doc's url is relative to the site's root, or an absolute http(s)
    link to another site (national mode: the initiative's page at its source). With `cache_dir`,
    what the last build kept there is reused (search_cache.py): the same files, sooner."""
    site_dir = Path(site_dir)
    if cache_dir is None:
        files = build_index(docs)
    else:
        from sangkien.site import search_cache  # it builds on this module

        files = search_cache.build(docs, Path(cache_dir))
    target = site_dir / INDEX_DIR
    if target.exists():
        shutil.rmtree(target)  # a shard left from an earlier, bigger build would be served stale
    for rel, data in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    for rel in (SEARCH_SCRIPT, SEARCH_STYLE):
        out = site_dir / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ASSETS / Path(rel).name, out)
    manifest = json.loads(files["manifest.json"])
    return {"entries": manifest["count"], "shards": len(manifest["shards"]), "chunks": sum(1 for f in files if f.startswith("d/")),
            "bytes": sum(len(d) for d in files.values()), "manifest_bytes": len(files["manifest.json"]),
            "largest_shard_bytes": max((len(d) for f, d in files.items() if f.startswith("t/")), default=0)}


# ----------------------------------------------------------------- what a first query can cost
def gzipped(data: bytes) -> int:
    """Bytes a web server sends for `data` (gzip level 6, as nginx and Apache default)."""
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def payload_bound(folder: Path, assets: int = 0) -> dict[str, int]:
    """The most bytes (gzipped) that any first query can fetch from the index in `folder`, plus
    `assets` (search.js and search.css): the manifest; per word, one shard or one bitmap, except
    the last word, which may instead complete as a prefix over MAX_PREFIX_SHARDS shards and
    MAX_PREFIX_COMMON bitmaps; and one display chunk per result shown. Every query is bounded by
    this, not only the ones a benchmark tries."""
    folder = Path(folder)
    largest = {kind: max((gzipped(p.read_bytes()) for p in (folder / kind).glob("*.json")), default=0) for kind in "tbd"}
    word = max(largest["t"], largest["b"])
    last = max(word, MAX_PREFIX_SHARDS * largest["t"] + MAX_PREFIX_COMMON * largest["b"])
    manifest = gzipped((folder / "manifest.json").read_bytes())
    bound = manifest + (MAX_WORDS - 1) * word + last + PAGE * largest["d"] + assets
    return {"bound": bound, "manifest": manifest, "shard": largest["t"], "bitmap": largest["b"], "chunk": largest["d"], "assets": assets}


# ----------------------------------------------------------------- querying (twin of search.js)
@dataclass
class Hit:
    doc: int
    exact: int = 0
    title: int = 0
    full: int = 0
    summary: int = 0

    def key(self) -> tuple[int, int, int, int, int]:
        return (-self.exact, -self.title, -self.full, -self.summary, self.doc)


@dataclass
class Result:
    docs: list[int]
    fetched: list[str]  # index files read, relative to INDEX_DIR, in order


class IndexReader:
    """Runs a query over an index folder exactly as search.js does, recording what it fetches."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.manifest = json.loads((self.folder / "manifest.json").read_text(encoding="utf-8"))
        self._shards: dict[int, dict[str, Any]] = {}

    def _shard(self, n: int, fetched: list[str]) -> dict[str, Any]:
        name = f"t/{n}.json"
        if name not in fetched:
            fetched.append(name)
        if n not in self._shards:
            self._shards[n] = json.loads((self.folder / name).read_text(encoding="utf-8"))
        return self._shards[n]

    def _shard_of(self, key: str) -> int:
        bounds = self.manifest["shards"]
        lo, hi = 0, len(bounds) - 1
        found = -1
        while lo <= hi:  # last shard whose first key <= key
            mid = (lo + hi) // 2
            if bounds[mid] <= key:
                found, lo = mid, mid + 1
            else:
                hi = mid - 1
        return found

    def query(self, text: str, shown: int = PAGE) -> Result:
        fetched: list[str] = ["manifest.json"]
        words = _query_words(text)
        if not words or not (self.manifest["shards"] or self.manifest["common"]):
            return Result([], fetched)
        hits: dict[int, Hit] | None = None
        for i, (form, key) in enumerate(words):
            matches = self._matches(form, key, i == len(words) - 1, fetched)
            hits = {d: Hit(d) for d in matches} if hits is None else {d: h for d, h in hits.items() if d in matches}
            for d, (exact, mask, full) in matches.items():
                if d in hits:
                    h = hits[d]
                    h.exact += exact
                    h.title += 1 if mask & TITLE else 0
                    h.summary += 1 if mask & SUMMARY else 0
                    h.full += full
        ranked = sorted((hits or {}).values(), key=Hit.key)
        docs = [h.doc for h in ranked]
        chunk = self.manifest["chunk"]
        for d in docs[:shown]:
            name = f"d/{d // chunk}.json"
            if name not in fetched:
                fetched.append(name)
        return Result(docs, fetched)

    def record(self, doc: int) -> list[Any]:
        chunk = self.manifest["chunk"]
        rows = json.loads((self.folder / f"d/{doc // chunk}.json").read_text(encoding="utf-8"))
        row: list[Any] = rows[doc % chunk]
        return row

    def _common(self, key: str) -> int:
        """The bitmap file number of a common key, else -1."""
        common = self.manifest["common"]
        i = bisect.bisect_left(common, key)
        return i if i < len(common) and common[i] == key else -1

    def _bitmap(self, n: int, fetched: list[str], form: str, prefix: bool) -> dict[int, tuple[int, int, int]]:
        """A common key: every doc whose bit is set; those with the key in the title rank as in a shard."""
        name = f"b/{n}.json"
        if name not in fetched:
            fetched.append(name)
        packed, titles = json.loads((self.folder / name).read_text(encoding="utf-8"))
        ranked = _merge([("", titles, form, prefix)])
        plain = (0, 0, 0 if prefix else 1)
        bits = base64.b64decode(packed)
        return {d: ranked.get(d, plain) for i, byte in enumerate(bits) if byte for b in range(8) if byte >> b & 1 for d in (i * 8 + b,)}

    def _matches(self, form: str, key: str, last: bool, fetched: list[str]) -> dict[int, tuple[int, int, int]]:
        """doc -> (exact spelling 0/1, fields mask, whole word 0/1) for one query word."""
        c = self._common(key)
        if c >= 0:
            return self._bitmap(c, fetched, form, False)
        n = self._shard_of(key)
        shard = self._shard(n, fetched) if n >= 0 else {}
        if key in shard:
            return _merge([(key, shard[key], form, False)])
        if not last or len(key) < 2:
            return {}
        # a partly typed last word: every key starting with it, in at most a few shards and bitmaps
        bounds = self.manifest["shards"]
        first = max(n, 0)
        last_shard = first
        while last_shard + 1 < len(bounds) and bounds[last_shard + 1].startswith(key):
            last_shard += 1
        common = self.manifest["common"]
        start = bisect.bisect_left(common, key)
        end = start
        while end < len(common) and common[end].startswith(key):
            end += 1
        if last_shard - first + 1 > self.manifest["prefix_shards"] or end - start > self.manifest["prefix_common"]:
            return {}
        found = []
        for s in range(first, last_shard + 1):
            for k, value in self._shard(s, fetched).items():
                if k.startswith(key):
                    found.append((k, value, form, True))
        out = _merge(found)
        for c in range(start, end):
            for d, (exact, mask, full) in self._bitmap(c, fetched, form, True).items():
                old = out.get(d, (0, 0, 0))
                out[d] = (max(old[0], exact), old[1] | mask, max(old[2], full))
        return out


def _query_words(text: str) -> list[tuple[str, str]]:
    seen, out = set(), []
    for form, key in tokens(text):
        if key not in seen:
            seen.add(key)
            out.append((form, key))
    return out[:MAX_WORDS]


def _merge(found: Iterable[tuple[str, list[Any], str, bool]]) -> dict[int, tuple[int, int, int]]:
    out: dict[int, tuple[int, int, int]] = {}
    for _key, forms, wanted, prefix in found:
        for spelling, values in forms:
            exact = 1 if (spelling.startswith(wanted) if prefix else spelling == wanted) else 0
            doc = 0
            for v in values:
                doc += v // 8
                old = out.get(doc, (0, 0, 0))
                out[doc] = (max(old[0], exact), old[1] | (v % 8), max(old[2], 0 if prefix else 1))
    return out
