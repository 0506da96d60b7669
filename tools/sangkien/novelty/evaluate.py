"""Precision and recall of the duplicate decision on a labelled set of pairs.

The set (tests/fixtures/novelty/pairs.yaml) holds texts and pairs; each pair has a category and
a label. A pair counts as flagged when its score reaches the warning threshold, which is what
`validate --base` does with a campaign that keeps the default.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sangkien.novelty import compare
from sangkien.novelty.abbrev import Abbreviations
from sangkien.novelty.prepare import compose, prepare
from sangkien.reader import read_yaml

CATEGORIES = {
    "ban-sao": "Chép nguyên văn",
    "viet-tat": "Viết tắt / viết đầy đủ",
    "dao-doan": "Đảo thứ tự đoạn",
    "dien-dat-lai": "Diễn đạt lại cùng ý tưởng",
    "cung-chu-de": "Cùng chủ đề, giải pháp khác",
    "khac-chu-de": "Không liên quan",
}


class PairsError(Exception):
    """The pairs file cannot be used; the message is Vietnamese and says where."""


@dataclass
class Outcome:
    a: str
    b: str
    category: str
    duplicate: bool
    measures: compare.Measures

    def flagged(self, threshold: float, signal: str = "score") -> bool:
        value: float = getattr(self.measures, signal)
        return value >= threshold


@dataclass
class Evaluation:
    threshold: float
    outcomes: list[Outcome] = field(default_factory=list)

    def _count(self, items: list[Outcome], signal: str = "score") -> tuple[int, int, int, int]:
        tp = sum(1 for o in items if o.duplicate and o.flagged(self.threshold, signal))
        fp = sum(1 for o in items if not o.duplicate and o.flagged(self.threshold, signal))
        fn = sum(1 for o in items if o.duplicate and not o.flagged(self.threshold, signal))
        tn = len(items) - tp - fp - fn
        return tp, fp, fn, tn

    def precision_of(self, signal: str) -> float:
        tp, fp, _, _ = self._count(self.outcomes, signal)
        return tp / (tp + fp) if tp + fp else 1.0

    def recall_of(self, signal: str) -> float:
        tp, _, fn, _ = self._count(self.outcomes, signal)
        return tp / (tp + fn) if tp + fn else 1.0

    @property
    def precision(self) -> float:
        return self.precision_of("score")

    @property
    def recall(self) -> float:
        return self.recall_of("score")

    def by_category(self) -> list[tuple[str, int, int, float, float, float, float, float]]:
        """(category, pairs, correct decisions, min, median, max score, median overlap, median content)."""
        rows = []
        for cat in sorted({o.category for o in self.outcomes}, key=lambda c: list(CATEGORIES).index(c) if c in CATEGORIES else 99):
            items = [o for o in self.outcomes if o.category == cat]
            correct = sum(1 for o in items if o.flagged(self.threshold) == o.duplicate)
            scores = sorted(o.measures.score for o in items)
            overlap = sorted(o.measures.overlap for o in items)[len(items) // 2]
            content = sorted(o.measures.content for o in items)[len(items) // 2]
            rows.append((cat, len(items), correct, scores[0], scores[len(scores) // 2], scores[-1], overlap, content))
        return rows


def load_pairs(path: Path) -> tuple[dict[str, str], list[tuple[str, str, str, bool]]]:
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise PairsError(f"Không đọc được tệp «{path}» ({err.strerror}). Mã SK901.") from err
    doc = read_yaml(raw, str(path))
    if doc.problems or not isinstance(doc.data, dict):
        first = doc.problems[0].message if doc.problems else "tệp không phải danh sách trường"
        raise PairsError(f"Tệp «{path}» không đọc được: {first}")
    texts_raw, pairs_raw = doc.data.get("texts"), doc.data.get("pairs")
    if not isinstance(texts_raw, dict) or not isinstance(pairs_raw, list):
        raise PairsError(f"Tệp «{path}» phải có hai mục: texts (các văn bản) và pairs (các cặp có gán nhãn).")
    texts = {}
    for key, item in texts_raw.items():
        if not isinstance(item, dict) or not isinstance(item.get("body"), str):
            line, _ = doc.parsed.where(("texts", key))
            raise PairsError(f"{path}:{line}: văn bản «{key}» cần có title, summary và body.")
        texts[key] = compose(str(item.get("title", "")), str(item.get("summary", "")), item["body"])
    pairs = []
    for i, item in enumerate(pairs_raw):
        line, _ = doc.parsed.where(("pairs", i))
        if not isinstance(item, dict) or item.get("a") not in texts or item.get("b") not in texts:
            raise PairsError(f"{path}:{line}: cặp thứ {i + 1} phải có a và b là mã văn bản trong mục texts.")
        if not isinstance(item.get("duplicate"), bool) or not isinstance(item.get("category"), str):
            raise PairsError(f"{path}:{line}: cặp thứ {i + 1} cần category (loại) và duplicate: true hoặc false.")
        pairs.append((item["a"], item["b"], item["category"], item["duplicate"]))
    if not pairs:
        raise PairsError(f"Tệp «{path}» chưa có cặp nào trong mục pairs.")
    return texts, pairs


def evaluate(path: Path, threshold: float, abbreviations: Abbreviations) -> Evaluation:
    texts, pairs = load_pairs(path)
    prepared = {key: compare.Features.of(prepare(text, abbreviations)) for key, text in texts.items()}
    compare.weigh_all(list(prepared.values()))  # as in a repository: the texts compared are the corpus
    out = Evaluation(threshold)
    for a, b, category, duplicate in pairs:
        out.outcomes.append(Outcome(a, b, category, duplicate, compare.measure(prepared[a], prepared[b])))
    return out


def report(ev: Evaluation, path: Path) -> str:
    pct = round(ev.threshold * 100)
    lines = [f"Đánh giá kiểm tra tính mới trên {len(ev.outcomes)} cặp ({path}), ngưỡng cảnh báo mặc định {pct}%:", "",
             "| Loại cặp | Nhãn | Số cặp | Quyết định đúng | Điểm thấp nhất | Trung vị | Cao nhất | Trùng câu chữ (trung vị) | Giống nội dung (trung vị) |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    labels = {o.category: o.duplicate for o in ev.outcomes}
    for cat, count, correct, low, mid, high, overlap, content in ev.by_category():
        label = "trùng" if labels[cat] else "không trùng"
        lines.append(f"| {CATEGORIES.get(cat, cat)} ({cat}) | {label} | {count} | {correct} | {low:.0%} | {mid:.0%} | {high:.0%} | {overlap:.0%} | {content:.0%} |")
    wrong = [o for o in ev.outcomes if o.flagged(ev.threshold) != o.duplicate]
    lines += ["", f"Độ chính xác (precision): {ev.precision:.3f}", f"Độ bao phủ (recall): {ev.recall:.3f}",
              f"Để so sánh, cùng ngưỡng nhưng chỉ dùng một tín hiệu: trùng câu chữ precision {ev.precision_of('overlap'):.3f}, "
              f"recall {ev.recall_of('overlap'):.3f}; giống nội dung precision {ev.precision_of('content'):.3f}, recall {ev.recall_of('content'):.3f}."]
    if wrong:
        lines.append("Các cặp quyết định sai:")
        lines += [f"  - {o.a} / {o.b} ({o.category}): điểm {o.measures.score:.0%}" for o in wrong]
    return "\n".join(lines) + "\n"
