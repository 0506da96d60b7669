"""Novelty rules on a change set (`validate --base`): the new or modified initiatives only.

- near-duplicate of a recognised initiative -> SK701 warning; of another submission -> SK702;
- close to an earlier unsuccessful entry of another campaign, not declared: at the error
  threshold SK703 error, below it SK704 warning;
- a declared resubmission (previous_contest) whose text barely changed -> SK705 error; a
  declared earlier entry that is not in the repository -> SK706;
- near-duplicate of an initiative published by another catalogue (federation/, harvested by
  `sangkien harvest`) -> SK711 warning, or SK712 error if the campaign says so (outside.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from sangkien import layout
from sangkien.codes import problem
from sangkien.novelty import abbrev, compare, describe, outside, packed
from sangkien.novelty.corpus import Corpus, Item, from_loaded, initiatives
from sangkien.novelty.search import Match, Searcher
from sangkien.novelty.thresholds import of_campaign
from sangkien.problems import LINE, Problem

if TYPE_CHECKING:
    from datetime import datetime

    from sangkien.loader import Loaded
    from sangkien.rules import ChangeSet

Where = Callable[[tuple[str | int, ...]], tuple[int, int]]

REPORTED = 3  # matches named per entry; more would bury the message


def check(loaded: Loaded, changes: ChangeSet | None, at: datetime) -> Iterator[Problem]:
    """The registry's novelty rule: thresholds of a changed campaign, and every initiative the
    change set adds or modifies against the rest of the catalogue."""
    files = list(changes.files) if changes is not None else []
    yield from _threshold_problems(loaded, files)
    paths = [path for status, path in files if status in ("A", "M") and layout.classify(path).kind == "entry"]
    entries = initiatives(loaded)
    compared = {e.path for e in entries}
    if not any(p in compared for p in paths):
        return  # no initiative changed (a nomination, a replication record): nothing to compare
    abbreviations = abbrev.load(loaded.root)
    fast = packed.view(loaded, abbreviations, entries)  # the memory-mapped store: candidates' features only
    corpus: Corpus
    searcher: Searcher
    if fast is not None:
        corpus, searcher = fast, packed.PackedSearcher(fast)
    else:
        corpus = from_loaded(loaded, abbreviations)  # and writes the store for the next run
    mine = corpus.by_path()
    wanted = [mine[p] for p in paths if p in mine]
    if not wanted:
        return
    if fast is None:
        searcher = Searcher(corpus)
    base = describe.site_url(loaded.root)
    for item in wanted:
        yield from _entry(loaded, corpus, searcher, item, base)
    yield from outside.check(loaded, corpus, wanted)


def _threshold_problems(loaded: Loaded, changes: list[tuple[str, str]]) -> Iterator[Problem]:
    for status, path in changes:
        place = layout.classify(path)
        camp = loaded.repo.campaigns.get(place.campaign or "") if place.kind == "campaign" and status != "D" else None
        raw = camp.data.get("novelty") if camp is not None else None
        if not isinstance(raw, dict):
            continue
        warn, error = raw.get("warn"), raw.get("error")
        if isinstance(warn, (int, float)) and isinstance(error, (int, float)) and error < warn:
            line, col = loaded.docs[path].parsed.where(("novelty", "error"))
            yield problem("SK710", path, line, col, f"ngưỡng báo lỗi {error:g}% thấp hơn ngưỡng cảnh báo {warn:g}%.", at=LINE, key=("novelty", "error"))


def _entry(loaded: Loaded, corpus: Corpus, searcher: Searcher, item: Item, base: str) -> Iterator[Problem]:
    repo, path = loaded.repo, item.path
    where = loaded.docs[path].parsed.where
    th = of_campaign(repo.campaigns.get(item.entry.campaign or ""))
    previous = item.entry.data.get("previous_contest")
    previous = previous if isinstance(previous, dict) else None
    declared = previous.get("entry") if previous and isinstance(previous.get("entry"), str) else None
    if declared is not None:
        yield from _declared(corpus, item, declared, th.min_change, where)
    title_line, title_col = where(("title",))
    checked_resubmission = declared is not None
    for match in [m for m in searcher.query(item, top=REPORTED + 1, floor=th.warn) if m.item.id != declared][:REPORTED]:
        kind, standing = describe.standing(repo, match.item.entry)
        named = _named(corpus, item, match, standing, base)
        other_campaign = match.item.entry.campaign != item.entry.campaign
        if kind == describe.UNSUCCESSFUL and other_campaign:
            if previous is None and match.score >= th.error:
                yield problem("SK703", path, title_line, title_col,
                              f"Bài gần như trùng ({match.score:.0%}) với một bài đã không đạt nhưng không khai báo previous_contest: {named}")
            elif previous is None:
                yield problem("SK704", path, title_line, title_col, f"Bài giống ({match.score:.0%}) một bài đã không đạt: {named}")
            elif not checked_resubmission:  # declared without naming the entry: this is the earlier one
                checked_resubmission = True
                yield from _too_little_change(item, match, th.min_change, path, where)
        elif kind == describe.RECOGNISED:
            yield problem("SK701", path, title_line, title_col, f"Bài gần trùng ({match.score:.0%}) với sáng kiến đã được công nhận: {named}")
        else:
            yield problem("SK702", path, title_line, title_col, f"Bài gần trùng ({match.score:.0%}) với bài dự thi khác: {named}")


def _named(corpus: Corpus, item: Item, match: Match, standing: str, base: str) -> str:
    m = match.measures
    text = (f"«{match.item.entry.title}» ({standing}; {match.item.path}; trang danh mục: {describe.link(base, match.item.id)}). "
            f"Trùng câu chữ {m.overlap:.0%}, giống nội dung {m.content:.0%}.")
    mine = corpus.prepared(item)
    found = compare.passages(mine, corpus.prepared(match.item))
    if found:
        text += f" Đoạn trùng dài nhất: «{describe.snippet(mine.text, found[0].start, found[0].end)}»."
    return text


def _declared(corpus: Corpus, item: Item, declared: str, min_change: float, where: Where) -> Iterator[Problem]:
    path = item.path
    line, col = where(("previous_contest", "entry"))
    other = corpus.by_id().get(declared)
    if declared == item.id:
        yield problem("SK706", path, line, col, f"previous_contest.entry ghi «{declared}», là chính bài này.", at=LINE)
    elif other is None:
        yield problem("SK706", path, line, col, f"bài «{declared}» ghi trong previous_contest.entry không có trong kho (hoặc không phải bài sáng kiến).", at=LINE)
    else:
        yield from _too_little_change(item, Match(other, compare.measure(item.features, other.features)), min_change, path, where)


def _too_little_change(item: Item, match: Match, min_change: float, path: str, where: Where) -> Iterator[Problem]:
    changed = match.measures.changed
    if changed < min_change:
        line, col = where(("previous_contest", "changes"))
        yield problem("SK705", path, line, col,
                      f"so với bài đã dự thi «{match.item.entry.title}» ({match.item.path}), nội dung mới chỉ chiếm {changed:.0%} "
                      f"(đợt yêu cầu ít nhất {min_change:.0%}); lời giải trình không thay cho việc chỉnh sửa bài.", at=LINE)
