"""Novelty beyond the province: new and changed entries against the initiatives of other
catalogues, harvested by `sangkien harvest` into federation/ (read offline, never fetched here).

A harvested initiative carries its title and summary only (the open data has no body), so it is
compared with an entry's own title and summary and with its whole text, and the closer of the two
counts. Both go through the same preparation as local entries (folding, abbreviations); content
weights (idf) are taken over the harvested texts, apart from the local corpus, so that
harvesting never changes how two local entries compare; a query is weighed with that idf.

- at or above the campaign's `novelty.outside_warn` (default 55%): SK711 (warning), or SK712
  (error) when the campaign's `novelty.outside` is `loi`; `bo-qua` turns the comparison off.
  Lower than the local 65% because a harvested initiative is only a title and a summary:
  on the labelled texts of tests/fixtures/novelty/pairs.yaml, reduced to title and summary on the
  harvested side, paraphrases scored 42-80% (11 of 14 at or above 55%) and different initiatives
  at most 53%;
- a snapshot that no longer matches its recorded hash: SK713 (warning), the source is skipped.

Features are cached by content hash like the local ones, in their own file (novelty-outside.npz
beside novelty-cache.npz): every source's prepared rows as flat arrays keyed by its snapshot's
sha256, and their weights over all sources, so that a check with no new snapshot reads arrays and
parses no JSON (at 170,000 initiatives that is the difference between seconds and a minute). A new
snapshot of one source prepares that source again and re-weighs the whole.
"""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from sangkien import cachedir, parallel, settings
from sangkien.codes import problem
from sangkien.federation import sources as federation_sources
from sangkien.federation import store as snapshots
from sangkien.novelty import cache as feature_cache
from sangkien.novelty import compare, describe
from sangkien.novelty.abbrev import Abbreviations
from sangkien.novelty.compare import Features, Measures, measure
from sangkien.novelty.index import BANDS, HASHES, Index, band_keys, signature
from sangkien.novelty.prepare import Prepared, compose, prepare
from sangkien.novelty.weights import weigh_packed, weigh_query
from sangkien.problems import Problem

if TYPE_CHECKING:
    from sangkien.loader import Loaded
    from sangkien.model import Repository
    from sangkien.novelty.corpus import Corpus, Item

CACHE_NAME = "novelty-outside.npz"
VERSION = "sangkien-outside-1"
SHORTLIST = 10
REPORTED = 3
WARN, ERROR, OFF = "canh-bao", "loi", "bo-qua"
DEFAULT_OUTSIDE_WARN = 55


@dataclass
class OutsideItem:
    source: str
    source_name: str
    id: str
    title: str
    summary: str
    url: str
    province: str
    features: Features

    @property
    def text(self) -> str:
        return compose(self.title, self.summary, "")


@dataclass
class OutsideMatch:
    item: OutsideItem
    measures: Measures

    @property
    def score(self) -> float:
        return self.measures.score


_EMPTY_U32 = np.empty(0, np.uint32)


@dataclass
class Outside:
    """The harvested initiatives as flat arrays (one row per initiative, sources in the order of
    entries/federation.yaml, rows in the order of each snapshot), weighed together once.

    Only what a query needs is kept: shingles, terms and their weights, LSH band keys. Titles,
    links and summaries are read from the snapshot of a source when one of its rows is named."""

    root: Path
    sources: list[tuple[str, str, str, int]] = field(default_factory=list)  # (id, name, sha256, rows)
    problems: list[Problem] = field(default_factory=list)
    parsed: int = 0  # snapshots read this run (0 when everything came from the cache)
    shingles: np.ndarray = field(default_factory=lambda: _EMPTY_U32)
    s_off: np.ndarray = field(default_factory=lambda: np.zeros(1, np.int64))
    terms: np.ndarray = field(default_factory=lambda: _EMPTY_U32)
    counts: np.ndarray = field(default_factory=lambda: np.empty(0, np.float32))
    t_off: np.ndarray = field(default_factory=lambda: np.zeros(1, np.int64))
    keys: np.ndarray = field(default_factory=lambda: np.empty((0, BANDS), np.uint64))
    weights: np.ndarray = field(default_factory=lambda: np.empty(0, np.float32))
    ids: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    vocab: np.ndarray = field(default_factory=lambda: _EMPTY_U32)
    idf: np.ndarray = field(default_factory=lambda: np.empty(0, np.float64))
    _rows: dict[str, list[dict[str, object]]] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.s_off) - 1

    def features(self, j: int) -> Features:
        a, b = int(self.t_off[j]), int(self.t_off[j + 1])
        return Features(self.shingles[self.s_off[j]:self.s_off[j + 1]], self.terms[a:b], self.counts[a:b], self.weights[a:b], self.ids[a:b])

    def locate(self, j: int) -> tuple[tuple[str, str, str, int], int]:
        """The source of row j and the row's position in that source's snapshot."""
        start = 0
        for src in self.sources:
            if j < start + src[3]:
                return src, j - start
            start += src[3]
        raise IndexError(j)

    def item(self, j: int) -> OutsideItem:
        (sid, name, _sha, _rows), r = self.locate(j)
        rows = self._rows.get(sid)
        if rows is None:
            rows = self._rows[sid] = _rows_of(self.root, sid)
        row = rows[r] if r < len(rows) else {}
        province = row.get("province")
        return OutsideItem(sid, name, str(row.get("id") or ""), str(row.get("title") or ""), str(row.get("summary") or ""), str(row.get("url") or ""),
                           str(province.get("name")) if isinstance(province, dict) else "", self.features(j))

    @property
    def items(self) -> list[OutsideItem]:
        return [self.item(j) for j in range(self.n)]

    def index(self) -> Index:
        return Index.packed(self.ids, self.weights, self.t_off, len(self.vocab), self.keys)


def _rows_of(root: Path, source_id: str) -> list[dict[str, object]]:
    try:
        rows = json.loads((root / snapshots.snapshot_rel(source_id)).read_bytes().decode("utf-8"))["entries"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    return [r if isinstance(r, dict) else {} for r in rows]


# Set before a pool forks, so the workers inherit it instead of receiving it with every chunk.
_ABBREVIATIONS = Abbreviations()


def _prepare_texts(texts: Sequence[str]) -> list[Features]:
    return [Features.of(prepare(text, _ABBREVIATIONS)) for text in texts]


_BLOCKS = ("shingles", "s_len", "terms", "counts", "t_len", "keys")


def _block(body: bytes) -> dict[str, np.ndarray]:
    """One source's rows prepared (title and summary), as flat arrays."""
    try:
        rows = json.loads(body.decode("utf-8"))["entries"]
    except (ValueError, KeyError, TypeError):
        rows = []
    texts = [compose(str(r.get("title") or ""), str(r.get("summary") or ""), "") if isinstance(r, dict) else "" for r in rows]
    found = parallel.map_chunks(_prepare_texts, texts)
    sigs = np.stack([signature(f.shingles) for f in found]) if found else np.empty((0, HASHES), np.uint32)
    return {
        "shingles": np.concatenate([f.shingles for f in found]).astype(np.uint32) if found else _EMPTY_U32,
        "s_len": np.array([len(f.shingles) for f in found], np.int64),
        "terms": np.concatenate([f.terms for f in found]).astype(np.uint32) if found else _EMPTY_U32,
        "counts": np.concatenate([f.counts for f in found]).astype(np.float32) if found else np.empty(0, np.float32),
        "t_len": np.array([len(f.terms) for f in found], np.int64),
        "keys": band_keys(sigs) if found else np.empty((0, BANDS), np.uint64),
    }


def _read_cache(path: Path | None, tag: str) -> tuple[list[list[object]], dict[str, np.ndarray]] | None:
    if path is None or not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            if str(data["tag"][0]) != tag:
                return None
            return json.loads(str(data["sources"][0])), {k: data[k] for k in data.files if k not in ("tag", "sources")}
    except (OSError, ValueError, KeyError, json.JSONDecodeError):
        return None  # a damaged or old cache is rebuilt


def _write_cache(path: Path | None, tag: str, sources: list[list[object]], arrays: dict[str, np.ndarray]) -> None:
    if path is None:
        return
    out = io.BytesIO()
    np.savez(out, tag=np.array([tag]), sources=np.array([json.dumps(sources)]), **arrays)  # type: ignore[arg-type]  # numpy's stub reads ** as allow_pickle
    with contextlib.suppress(OSError):
        if path.parent == settings.cache_dir():
            cachedir.make(path.parent)
        cachedir.write_bytes(path, out.getvalue())


def load(root: Path, abbreviations: Abbreviations, use_cache: bool = True) -> Outside:
    """Every harvested initiative of the sources listed in entries/federation.yaml, prepared and
    weighed, from the cache when no snapshot changed (keyed by the snapshots' sha256)."""
    global _ABBREVIATIONS
    out = Outside(root)
    fed = federation_sources.load(root)
    if not fed.present or not fed.sources:
        return out
    bodies: dict[str, bytes] = {}
    for source in fed.sources:
        meta = snapshots.read_meta(root, source.id)
        if meta is None:
            continue
        rel = snapshots.snapshot_rel(source.id)
        try:
            bounded = snapshots.read_bounded(root / rel)
        except OSError:
            bounded = b""
        if bounded is None:
            out.problems.append(problem("SK713", rel, 1, 1, f"Bản sao {rel} của nguồn «{source.id}» lớn hơn "
                                                            f"{snapshots.MAX_BYTES // (1024 * 1024)} MB nên không đọc để so sánh."))
            continue
        body = bounded
        if snapshots.sha256(body) != meta.sha256:
            out.problems.append(problem("SK713", rel, 1, 1, f"Bản sao {rel} của nguồn «{source.id}» không khớp mã băm ghi trong "
                                                            f"{snapshots.meta_rel(source.id)} (bị sửa tay, ghi dở hoặc đã bị xóa) nên không dùng để so sánh."))
            continue
        bodies[source.id] = body
        out.sources.append((source.id, meta.name, meta.sha256, -1))
    if not out.sources:
        return out
    tag = f"{VERSION}:{abbreviations.fingerprint()}"
    path = feature_cache.location(root, CACHE_NAME) if use_cache else None
    cached = _read_cache(path, tag)
    wanted = [[sid, sha] for sid, _name, sha, _n in out.sources]
    if cached is not None and [c[:2] for c in cached[0]] == wanted:
        arrays = cached[1]
        out.sources = [(sid, name, sha, int(c[2])) for (sid, name, sha, _n), c in zip(out.sources, cached[0], strict=True)]  # type: ignore[call-overload]
    else:
        _ABBREVIATIONS = abbreviations
        old: dict[tuple[str, str], dict[str, np.ndarray]] = {}
        if cached is not None:  # sources whose snapshot did not change keep their prepared rows
            arrs, at_row, at_s, at_t = cached[1], 0, 0, 0
            for sid, sha, count in cached[0]:
                rows = int(count)  # type: ignore[call-overload]
                s_len, t_len = arrs["s_len"][at_row:at_row + rows], arrs["t_len"][at_row:at_row + rows]
                ns, nt = int(s_len.sum()), int(t_len.sum())
                old[(str(sid), str(sha))] = {"shingles": arrs["shingles"][at_s:at_s + ns], "s_len": s_len, "terms": arrs["terms"][at_t:at_t + nt],
                                             "counts": arrs["counts"][at_t:at_t + nt], "t_len": t_len, "keys": arrs["keys"][at_row:at_row + rows]}
                at_row, at_s, at_t = at_row + rows, at_s + ns, at_t + nt
        blocks = []
        for sid, _name, sha, _n in out.sources:
            block = old.get((sid, sha))
            if block is None:
                block = _block(bodies[sid])
                out.parsed += 1
            blocks.append(block)
        out.sources = [(sid, name, sha, len(b["s_len"])) for (sid, name, sha, _n), b in zip(out.sources, blocks, strict=True)]
        arrays = {k: np.concatenate([b[k] for b in blocks]) for k in _BLOCKS}
        lengths = arrays["t_len"]
        w, ids, vocab, idf, _texts = weigh_packed(arrays["terms"], arrays["counts"], lengths)
        arrays.update(weights=w, ids=ids, vocab=vocab, idf=idf)
        _write_cache(path, tag, [[sid, sha, n] for sid, _name, sha, n in out.sources], arrays)
    out.shingles, out.terms, out.counts, out.keys = arrays["shingles"], arrays["terms"], arrays["counts"], arrays["keys"]
    out.s_off = np.concatenate([[0], np.cumsum(arrays["s_len"])]).astype(np.int64)
    out.t_off = np.concatenate([[0], np.cumsum(arrays["t_len"])]).astype(np.int64)
    out.weights, out.ids, out.vocab, out.idf = arrays["weights"], arrays["ids"], arrays["vocab"], arrays["idf"]
    return out


class OutsideSearcher:
    def __init__(self, outside: Outside) -> None:
        """Each query is weighed with the harvested texts' idf (weigh_query)."""
        self.outside = outside
        self.index = outside.index()

    def weigh(self, f: Features) -> Features:
        w, ids = weigh_query(f.terms, f.counts, self.outside.vocab, self.outside.idf, self.outside.n)
        return Features(f.shingles, f.terms, f.counts, w, ids)

    def query(self, variants: list[Features], floor: float, top: int = REPORTED) -> list[OutsideMatch]:
        best: dict[int, Measures] = {}
        o = self.outside
        for raw in variants:
            if not o.n:
                break
            f = self.weigh(raw)
            assert f.ids is not None and f.weights is not None  # set by weigh
            known = f.ids >= 0
            cos = self.index.cosines(Features(f.shingles, f.terms[known], f.counts[known], f.weights[known], f.ids[known]))
            near = np.argpartition(-cos, min(SHORTLIST, len(cos) - 1))[:SHORTLIST] if len(cos) > 1 else np.arange(len(cos))
            for j in {int(j) for j in near} | {int(j) for j in self.index.lsh(signature(f.shingles))}:
                m = measure(f, o.features(j))
                if j not in best or m.score > best[j].score:
                    best[j] = m
        found = [(j, m) for j, m in best.items() if m.score >= floor]
        found.sort(key=lambda x: (-x[1].score, x[0]))
        return [OutsideMatch(o.item(j), m) for j, m in found[:top]]


def variants(corpus: Corpus, item: Item) -> list[Features]:
    """The entry's title and summary, and its whole text (a harvested initiative is only a title and a summary)."""
    data = item.entry.data
    abstract = prepare(compose(str(data.get("title") or ""), str(data.get("summary") or ""), ""), corpus.abbreviations)
    f = item.features
    return [Features.of(abstract), Features(f.shingles, f.terms, f.counts)]


def _setting(repo: Repository, item: Item, key: str) -> object:
    camp = repo.campaigns.get(item.entry.campaign or "")
    raw = camp.data.get("novelty") if camp is not None else None
    return raw.get(key) if isinstance(raw, dict) else None


def mode(repo: Repository, item: Item) -> str:
    chosen = _setting(repo, item, "outside")
    return chosen if isinstance(chosen, str) and chosen in (WARN, ERROR, OFF) else WARN


def floor(repo: Repository, item: Item) -> float:
    """The campaign's outside_warn, as a share."""
    raw = _setting(repo, item, "outside_warn")
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and 0 <= raw <= 100:
        return raw / 100
    return DEFAULT_OUTSIDE_WARN / 100


def named(corpus: Corpus, item: Item, match: OutsideMatch) -> str:
    o, m = match.item, match.measures
    where = f", {o.province}" if o.province else ""
    text = (f"«{o.title}» đã công bố trên danh mục «{o.source_name}» (nguồn liên thông «{o.source}»{where}; "
            f"trang sáng kiến: {o.url or '(không có đường dẫn)'}). Trùng câu chữ {m.overlap:.0%}, giống nội dung {m.content:.0%}.")
    mine: Prepared = corpus.prepared(item)
    found = compare.passages(mine, prepare(o.text, corpus.abbreviations))
    if found:
        text += f" Đoạn trùng dài nhất: «{describe.snippet(mine.text, found[0].start, found[0].end)}»."
    return text


def check(loaded: Loaded, corpus: Corpus, wanted: list[Item]) -> Iterator[Problem]:
    """The novelty rule's outside part, for the entries a change set adds or modifies."""
    chosen = [item for item in wanted if mode(loaded.repo, item) != OFF]
    if not chosen:
        return
    outside = load(loaded.root, corpus.abbreviations)
    yield from outside.problems
    if not outside.n:
        return
    queries = [variants(corpus, item) for item in chosen]
    searcher = OutsideSearcher(outside)
    for item, query in zip(chosen, queries, strict=True):
        line, col = loaded.docs[item.path].parsed.where(("title",))
        for match in searcher.query(query, floor(loaded.repo, item)):
            if mode(loaded.repo, item) == ERROR:
                yield problem("SK712", item.path, line, col, f"Bài gần trùng ({match.score:.0%}) với sáng kiến {named(corpus, item, match)} "
                                                             f"Kế hoạch của đợt không nhận mô hình đã áp dụng ở địa phương khác (novelty.outside: loi).")
            else:
                yield problem("SK711", item.path, line, col, f"Bài gần trùng ({match.score:.0%}) với sáng kiến {named(corpus, item, match)}")

