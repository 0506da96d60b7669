"""`sangkien similar [ENTRY ...]`: the closest earlier or concurrent entries, with the passages
they share; `--evaluate [FILE]` measures precision and recall on a labelled set of pairs."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sangkien.commands.common import Subparsers, add_root, find_root

if TYPE_CHECKING:
    from sangkien.novelty.compare import Features
    from sangkien.novelty.corpus import Corpus, Item
    from sangkien.novelty.outside import OutsideSearcher
    from sangkien.novelty.search import Match

DEFAULT_PAIRS = Path("tests") / "fixtures" / "novelty" / "pairs.yaml"
SHOW_FLOOR = 0.2  # closer than this is not worth a reader's time
PASSAGES = 3


def register(sub: Subparsers) -> None:
    p = sub.add_parser("similar", help="tìm các bài gần giống nhau (kiểm tra tính mới)",
                       description="Với mỗi bài (đường dẫn tệp hoặc mã bài), liệt kê các bài nộp trước hoặc cùng đợt giống nhất, "
                                   "kèm độ tương đồng và các đoạn trùng. Không ghi bài nào: quét toàn bộ kho và chỉ liệt kê các cặp "
                                   "vượt ngưỡng cảnh báo của đợt.")
    p.add_argument("entries", nargs="*", metavar="BÀI", help="đường dẫn tệp .md hoặc mã (id) của bài")
    p.add_argument("--top", type=int, default=3, metavar="N", help="số bài giống nhất hiện cho mỗi bài (mặc định 3)")
    p.add_argument("--evaluate", nargs="?", const=str(DEFAULT_PAIRS), default=None, metavar="TỆP",
                   help=f"đo độ chính xác và độ bao phủ trên bộ cặp có gán nhãn (mặc định {DEFAULT_PAIRS.as_posix()})")
    add_root(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    root = (args.root or find_root()).resolve()
    if args.evaluate is not None:
        return _evaluate(root, Path(args.evaluate))
    if args.top < 1:
        print("--top phải là số nguyên dương, ví dụ --top 5. Mã SK901.", file=sys.stderr)
        return 2
    from sangkien.novelty import abbrev, corpus, search  # numpy and scipy load only for this command

    data = corpus.from_files(root, abbrev.load(root))
    if not data.items:
        print("Kho chưa có bài sáng kiến nào để so sánh (entries/<mã đợt>/<mã đơn vị>/<mã bài>.md).")
        return 0
    wanted, status = _resolve(root, data, args.entries)
    searcher = search.Searcher(data)
    style = _Style(sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
    # Harvested catalogues (federation/): each named entry is compared with them. A full scan only
    # prepares them (it warms their cache, as cache.yml does for CI); comparing every entry with
    # 170,000 harvested initiatives would take a tenth of a second per entry.
    outside = _outside(data, wanted if args.entries else [])
    if args.entries:
        for item in wanted:
            _show(data, item, searcher.query(item, top=args.top, floor=SHOW_FLOOR), style)
            _show_outside(data, item, outside, args.top, SHOW_FLOOR)
        return status
    from sangkien.novelty.thresholds import of_campaign

    limits = {c: of_campaign(data.repo.campaigns.get(c)).warn for c in {str(i.entry.campaign) for i in data.items}}
    found = searcher.scan(limits)
    for item in data.items:
        if item.path in found:
            _show(data, item, found[item.path][: args.top], style)
    if outside is not None:
        print(f"Có {outside[0].outside.n} sáng kiến của danh mục liên thông (federation/): ghi mã bài, ví dụ sangkien similar <mã bài>, "
              "để so một bài với các sáng kiến đó.")
    pairs = sum(len(v) for v in found.values())
    print(f"Đã so sánh {len(data.items)} bài: {len(found)} bài có bài khác giống từ ngưỡng cảnh báo trở lên ({pairs} cặp có hướng).")
    return status


def _outside(data: Corpus, items: list[Item]) -> tuple[OutsideSearcher, dict[str, list[Features]]] | None:
    """The harvested catalogues (federation/), ready to be queried for these entries; None if there are none."""
    from sangkien import reporters
    from sangkien.novelty import outside

    found = outside.load(data.root, data.abbreviations)
    reporters.show(found.problems)
    if not found.n:
        return None
    queries = {item.path: outside.variants(data, item) for item in items}
    return outside.OutsideSearcher(found), queries


def _show_outside(data: Corpus, item: Item, outside: tuple[OutsideSearcher, dict[str, list[Features]]] | None, top: int, floor: float) -> None:
    """Harvested initiatives of other catalogues close to this entry (title and summary on their side)."""
    if outside is None:
        return
    from sangkien.novelty.outside import named

    searcher, queries = outside
    matches = searcher.query(queries[item.path], floor, top)
    if not matches:
        print(f"  Không có sáng kiến nào ở danh mục địa phương khác giống từ {floor:.0%} trở lên.")
        print()
        return
    print("  Giống sáng kiến đã công bố ở địa phương khác:")
    for n, match in enumerate(matches, 1):
        print(f"  {n}. {match.score:.0%} {named(data, item, match)}")
    print()


def _evaluate(root: Path, path: Path) -> int:
    from sangkien.novelty import abbrev, evaluate
    from sangkien.novelty.thresholds import Thresholds

    full = path if path.is_absolute() else (Path.cwd() / path if (Path.cwd() / path).exists() else root / path)
    try:
        result = evaluate.evaluate(full, Thresholds().warn, abbrev.load(root))
    except evaluate.PairsError as err:
        print(str(err), file=sys.stderr)
        return 2
    sys.stdout.write(evaluate.report(result, path))
    return 0


def _resolve(root: Path, data: Corpus, names: list[str]) -> tuple[list[Item], int]:
    by_path, by_id = data.by_path(), data.by_id()
    found, status = [], 0
    for name in names:
        item = by_id.get(name)
        if item is None:
            full = Path(name) if os.path.isabs(name) else Path.cwd() / name
            try:
                item = by_path.get(full.resolve().relative_to(root).as_posix())
            except ValueError:
                item = None
        if item is None:
            print(f"Không tìm thấy bài «{name}»: ghi đường dẫn tệp .md của bài trong entries/ hoặc mã (id) của bài. Mã SK901.", file=sys.stderr)
            status = 1
            continue
        found.append(item)
    return found, status


class _Style:
    """Shared passages marked «like this», or in bold yellow on a terminal."""

    def __init__(self, ansi: bool) -> None:
        self.open, self.close = ("\x1b[1;33m", "\x1b[0m") if ansi else ("«", "»")


def _show(data: Corpus, item: Item, matches: list[Match], style: _Style) -> None:
    from sangkien.novelty import compare, describe

    entry = item.entry
    print(f"{item.path} — «{entry.title}» (đợt {entry.campaign}, đơn vị {entry.unit})")
    if not matches:
        print(f"  Không có bài nào nộp trước hoặc cùng đợt giống từ {SHOW_FLOOR:.0%} trở lên.")
        print()
        return
    from sangkien.novelty.thresholds import of_campaign

    warn = of_campaign(data.repo.campaigns.get(entry.campaign or "")).warn
    base = describe.site_url(data.root)
    mine = data.prepared(item)
    for n, match in enumerate(matches, 1):
        other = match.item
        _, standing = describe.standing(data.repo, other.entry)
        m = match.measures
        flag = "vượt ngưỡng cảnh báo" if match.score >= warn else "dưới ngưỡng cảnh báo"
        print(f"  {n}. {match.score:.0%} ({flag} {warn:.0%}) «{other.entry.title}» — {other.path}")
        print(f"     {standing}; trang danh mục: {describe.link(base, other.id)}")
        print(f"     Trùng câu chữ {m.overlap:.0%}, giống nội dung {m.content:.0%}.")
        found = compare.passages(mine, data.prepared(other))
        if not found:
            print("     Không có đoạn trùng nguyên văn (giống về nội dung, cách diễn đạt khác).")
            continue
        print(f"     Đoạn trùng ({compare.shared_share(mine, found):.0%} bài này):")
        for p in found[:PASSAGES]:
            print(f"       …{_marked(mine.text, p.start, p.end, style)}…")
    print()


def _marked(text: str, start: int, end: int, style: _Style, context: int = 40) -> str:
    """The passage with a few words of context on each side; partial words at the edges dropped."""
    from sangkien.novelty.describe import snippet

    before = text[max(0, start - context):start].split()
    after = text[end:end + context].split()
    before = before[1:] if start > context else before
    after = after[:-1] if end + context < len(text) else after
    parts = [" ".join(before), f"{style.open}{snippet(text, start, end, 240)}{style.close}", " ".join(after)]
    return re.sub(r"\s+([.,;:!?)])", r"\1", " ".join(p for p in parts if p))
