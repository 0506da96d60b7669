"""Novelty beyond the province: new and changed entries against the initiatives of other
catalogues, harvested by `sangkien harvest` into federation/ (read offline, never fetched here).

A harvested initiative carries its title and summary only (the open data has no body), so it is
compared with an entry's own title and summary and with its whole text, and the closer of the two
counts. Both go through the same preparation as local entries (folding, abbreviations); content
weights are taken over the harvested texts and the entries checked, apart from the local
corpus, so that harvesting never changes how two local entries compare.

- at or above the campaign's `novelty.outside_warn` (default 55%): SK711 (warning), or SK712
  (error) when the campaign's `novelty.outside` is `loi`; `bo-qua` turns the comparison off.
  Lower than the local 65% because a harvested initiative is only a title and a summary:
  on the labelled texts of tests/fixtures/novelty/pairs.yaml, reduced to title and summary on the
  harvested side, paraphrases scored 42-80% (11 of 14 at or above 55%) and different initiatives
  at most 53%;
- a snapshot that no longer matches its recorded hash: SK713 (warning), the source is skipped.

Features are cached by content hash like the local ones, in their own file
(novelty-outside.npz beside novelty-cache.npz), keyed by source and initiative id.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from sangkien import parallel
from sangkien.codes import problem
from sangkien.federation import sources as federation_sources
from sangkien.federation import store as snapshots
from sangkien.novelty import cache as feature_cache
from sangkien.novelty import compare, describe
from sangkien.novelty.abbrev import Abbreviations
from sangkien.novelty.compare import Features, Measures, measure, weigh_all
from sangkien.novelty.index import HASHES, Index, signature
from sangkien.novelty.prepare import Prepared, compose, prepare
from sangkien.problems import Problem

if TYPE_CHECKING:
    from sangkien.loader import Loaded
    from sangkien.model import Repository
    from sangkien.novelty.corpus import Corpus, Item

CACHE_NAME = "novelty-outside.npz"
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
    summary: str | None  # None: not read yet (the item came from the cache); see full_text
    url: str
    province: str
    features: Features
    signature: np.ndarray

    def full_text(self, root: Path) -> str:
        """Title and summary; the summary is read from the snapshot when the item came from the cache."""
        if self.summary is None:
            self.summary = ""
            try:
                rows = json.loads((root / snapshots.snapshot_rel(self.source)).read_bytes().decode("utf-8"))["entries"]
                self.summary = next((str(r.get("summary") or "") for r in rows if str(r.get("id")) == self.id), "")
            except (OSError, ValueError, KeyError, TypeError):
                pass
        return compose(self.title, self.summary, "")


@dataclass
class Outside:
    items: list[OutsideItem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sources: int = 0


@dataclass
class OutsideMatch:
    item: OutsideItem
    measures: Measures

    @property
    def score(self) -> float:
        return self.measures.score


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Set before a pool forks, so the workers inherit it instead of receiving it with every chunk.
_ABBREVIATIONS = Abbreviations()


def _prepare_texts(texts: Sequence[str]) -> list[tuple[Features, np.ndarray]]:
    out = []
    for text in texts:
        features = Features.of(prepare(text, _ABBREVIATIONS))
        out.append((features, signature(features.shingles)))
    return out


def _from_cache(store: feature_cache.Store, source: federation_sources.Source, name: str, sha: str) -> list[OutsideItem] | None:
    """A source whose snapshot is unchanged since its features were cached: its items without
    parsing the snapshot (at 5,000 initiatives a source, parsing is most of a warm check)."""
    manifest = store.get(f"{source.id}/", sha)
    if manifest is None:
        return None
    out = []
    for key, digest in manifest.meta.get("items", []):
        record = store.get(f"{source.id}/{key}", digest)
        if record is None:
            return None
        m = record.meta
        out.append(OutsideItem(source.id, name, str(key), str(m.get("title", "")), None, str(m.get("url", "")), str(m.get("province", "")),
                               record.features, record.signature))
    return out


def _parse(store: feature_cache.Store, source: federation_sources.Source, name: str, sha: str, body: bytes) -> list[OutsideItem]:
    """A source read from its snapshot; features of texts not in the cache prepared on every core."""
    try:
        rows = json.loads(body.decode("utf-8"))["entries"]
    except (ValueError, KeyError, TypeError):
        return []  # harvest checked it against the schema before keeping it
    items: list[OutsideItem] = []
    texts: list[str] = []
    todo: list[int] = []
    keys: list[list[str]] = []
    for row in rows:
        title, summary = str(row.get("title") or ""), str(row.get("summary") or "")
        province = row.get("province")
        text = compose(title, summary, "")
        key, digest = str(row.get("id")), _digest(text)
        record = store.get(f"{source.id}/{key}", digest)
        item = OutsideItem(source.id, name, key, title, summary, str(row.get("url") or ""),
                           str(province.get("name")) if isinstance(province, dict) else "",
                           record.features if record else Features(np.empty(0, np.uint32), np.empty(0, np.uint32), np.empty(0, np.float32)),
                           record.signature if record else np.empty(0, np.uint32))
        if record is None:
            todo.append(len(items))
            texts.append(text)
        items.append(item)
        keys.append([key, digest])
    for n, (features, sig) in zip(todo, parallel.map_chunks(_prepare_texts, texts), strict=True):
        items[n].features, items[n].signature = features, sig
    for item, (key, digest) in zip(items, keys, strict=True):
        store.put(feature_cache.Record(f"{source.id}/{key}", digest, {"title": item.title, "url": item.url, "province": item.province},
                                       item.features, item.signature))
    empty = Features(np.empty(0, np.uint32), np.empty(0, np.uint32), np.empty(0, np.float32))
    store.put(feature_cache.Record(f"{source.id}/", sha, {"items": keys}, empty, signature(empty.shingles)))
    return items


def load(root: Path, abbreviations: Abbreviations, use_cache: bool = True) -> Outside:
    """Every harvested initiative of the sources listed in entries/federation.yaml."""
    global _ABBREVIATIONS
    out = Outside()
    fed = federation_sources.load(root)
    if not fed.present or not fed.sources:
        return out
    _ABBREVIATIONS = abbreviations
    store = feature_cache.Store.open(root, abbreviations.fingerprint(), CACHE_NAME) if use_cache else feature_cache.Store(None)
    for source in fed.sources:
        meta = snapshots.read_meta(root, source.id)
        if meta is None:
            continue
        rel = snapshots.snapshot_rel(source.id)
        try:
            body = (root / rel).read_bytes()
        except OSError:
            body = b""
        if snapshots.sha256(body) != meta.sha256:
            out.problems.append(problem("SK713", rel, 1, 1, f"Bản sao {rel} của nguồn «{source.id}» không khớp mã băm ghi trong "
                                                            f"{snapshots.meta_rel(source.id)} (bị sửa tay, ghi dở hoặc đã bị xóa) nên không dùng để so sánh."))
            continue
        out.sources += 1
        found = _from_cache(store, source, meta.name, meta.sha256)
        out.items.extend(found if found is not None else _parse(store, source, meta.name, meta.sha256, body))
    store.save()
    return out


def _fresh(f: Features) -> Features:
    """The same text's features, to be weighed apart from the local corpus."""
    return Features(f.shingles, f.terms, f.counts)


class OutsideSearcher:
    def __init__(self, outside: Outside, queries: list[list[Features]]) -> None:
        """`queries`: for each entry to check, the features of its variants (abstract, whole text)."""
        self.items = outside.items
        every = [item.features for item in self.items] + [f for variants in queries for f in variants]
        weigh_all(every)
        sigs = np.stack([i.signature for i in self.items]) if self.items else np.empty((0, HASHES), dtype=np.uint32)
        self.index = Index([i.features for i in self.items], sigs)

    def query(self, variants: list[Features], floor: float, top: int = REPORTED) -> list[OutsideMatch]:
        best: dict[int, Measures] = {}
        for f in variants:
            if not self.items:
                break
            cos = self.index.cosines(f)
            near = np.argpartition(-cos, min(SHORTLIST, len(cos) - 1))[:SHORTLIST] if len(cos) > 1 else np.arange(len(cos))
            for j in {int(j) for j in near} | {int(j) for j in self.index.lsh(signature(f.shingles))}:
                m = measure(f, self.items[j].features)
                if j not in best or m.score > best[j].score:
                    best[j] = m
        found = [OutsideMatch(self.items[j], m) for j, m in best.items() if m.score >= floor]
        return sorted(found, key=lambda m: (-m.score, m.item.source, m.item.id))[:top]


def variants(corpus: Corpus, item: Item) -> list[Features]:
    data = item.entry.data
    abstract = prepare(compose(str(data.get("title") or ""), str(data.get("summary") or ""), ""), corpus.abbreviations)
    return [Features.of(abstract), _fresh(item.features)]


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
    found = compare.passages(mine, prepare(o.full_text(corpus.root), corpus.abbreviations))
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
    if not outside.items:
        return
    queries = [variants(corpus, item) for item in chosen]
    searcher = OutsideSearcher(outside, queries)
    for item, query in zip(chosen, queries, strict=True):
        line, col = loaded.docs[item.path].parsed.where(("title",))
        for match in searcher.query(query, floor(loaded.repo, item)):
            if mode(loaded.repo, item) == ERROR:
                yield problem("SK712", item.path, line, col, f"Bài gần trùng ({match.score:.0%}) với sáng kiến {named(corpus, item, match)} "
                                                             f"Kế hoạch của đợt không nhận mô hình đã áp dụng ở địa phương khác (novelty.outside: loi).")
            else:
                yield problem("SK711", item.path, line, col, f"Bài gần trùng ({match.score:.0%}) với sáng kiến {named(corpus, item, match)}")

