"""Thi đua (plan 002): a recognised nomination must meet every target of its level and have a
complete dossier. The targets and how a nomination is measured against them live here, in the
core, because the validator applies them; the council's ranking and tables (council/thidua.py)
build on the same functions.

A target marked `if_applicable` ("nếu có") is not failed by a missing value: the unit had nothing to
report. The margin of a target is how far the value is on the good side of the threshold
(value − threshold for ≥, threshold − value for ≤).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sangkien import schemas
from sangkien.codes import problem
from sangkien.model import Campaign, Entry, Repository
from sangkien.problems import LINE, Problem
from sangkien.reader import Document
from sangkien.vnnumber import show_number

DOSSIER = [("to_trinh", "Tờ trình đề nghị khen thưởng"), ("bien_ban", "Biên bản họp Hội đồng Thi đua - Khen thưởng"),
           ("bao_cao_thanh_tich", "Báo cáo thành tích (Mẫu số 07, NĐ 91/2017/NĐ-CP)")]
PLACES = 4  # decimal places a margin is rounded to


@dataclass
class TargetCheck:
    indicator: str
    label: str
    op: str
    threshold: float
    value: float | None
    status: str  # dat | khong-dat | thieu | khong-ap-dung
    margin: float = 0.0

    @property
    def shown(self) -> str:
        if self.value is None:
            return "không có số liệu" + (" (chỉ tiêu «nếu có», không xét)" if self.status == "khong-ap-dung" else "")
        sign = "≥" if self.op == ">=" else "≤"
        return f"{show_number(self.value)} (yêu cầu {sign} {show_number(self.threshold)})"


def labels(root: Path | None) -> dict[str, str]:
    try:
        schema = schemas.load_schema(root or Path("."), "nomination")
    except (OSError, ValueError):
        return {}
    props = schema.get("properties", {}).get("indicators", {}).get("properties", {})
    return {k: str(v.get("title", k)) for k, v in props.items()}


def check_one(entry: Entry, camp: Campaign, labels: dict[str, str]) -> list[TargetCheck]:
    level = entry.data.get("level")
    targets = (camp.data.get("targets") or {}).get(level) or []
    values = entry.data.get("indicators") or {}
    out = []
    for t in targets:
        if not isinstance(t, dict) or not isinstance(t.get("value"), (int, float)):
            continue
        key, op, threshold = str(t.get("indicator")), str(t.get("op", ">=")), float(t["value"])
        raw = values.get(key) if isinstance(values, dict) else None
        value = float(raw) if isinstance(raw, (int, float)) and not isinstance(raw, bool) else None
        label = labels.get(key, key)
        if value is None:
            out.append(TargetCheck(key, label, op, threshold, None, "khong-ap-dung" if t.get("if_applicable") else "thieu"))
            continue
        margin = round((value - threshold) if op == ">=" else (threshold - value), PLACES)
        out.append(TargetCheck(key, label, op, threshold, value, "dat" if margin >= 0 else "khong-dat", margin))
    return out


def check(repo: Repository, docs: dict[str, Document], root: Path | None = None) -> Iterator[Problem]:
    """Validator hook: a recognised nomination that misses a target or lacks a dossier document."""
    titles = None
    for dec in repo.decisions.values():
        camp = repo.campaigns.get(dec.campaign)
        if camp is None or camp.kind != "thi-dua" or dec.path not in docs:
            continue
        where = docs[dec.path].parsed.where
        titles = titles if titles is not None else labels(root)
        revoked = {(r.get("decision"), e) for r in dec.items("revocations") for e in r.get("entries") or []}
        for i, rec in enumerate(dec.items("recognitions")):
            for j, line_item in enumerate(rec.get("entries") or []):
                named = line_item.get("entry") if isinstance(line_item, dict) else None
                entry = repo.entries.get(named) if isinstance(named, str) else None
                if entry is None or entry.kind != "nomination" or (rec.get("number"), entry.id) in revoked:
                    continue
                where_key = ("recognitions", i, "entries", j, "entry")
                line, col = where(where_key)
                name = (entry.data.get("nominee") or {}).get("name", entry.id)
                failed = [c for c in check_one(entry, camp, titles) if c.status in ("khong-dat", "thieu")]
                if failed:
                    what = "; ".join(f"{c.label}: {c.shown}" for c in failed)
                    yield problem("SK830", dec.path, line, col, f"«{name}» ({entry.path}) được khen theo quyết định {rec.get('number')} "
                                                                f"nhưng chưa đạt chỉ tiêu: {what}.", at=LINE, key=where_key)
                dossier = entry.data.get("dossier") or {}
                missing = [title for key, title in DOSSIER if dossier.get(key) is not True]
                if missing:
                    yield problem("SK831", dec.path, line, col, f"«{name}» ({entry.path}) được khen theo quyết định {rec.get('number')} "
                                                                f"nhưng hồ sơ còn thiếu: {', '.join(missing)}.", at=LINE, key=where_key)
