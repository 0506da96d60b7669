"""How each source stands: fresh, stale for N days, failing since ..., never harvested.

A source is stale when its snapshot was last confirmed (fetched, or answered «not modified»)
more than `stale_after_days` ago; failing when its last harvest failed (it may still have an
older good snapshot, which is then used and shown with its age).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sangkien import vntime
from sangkien.federation import store
from sangkien.federation.sources import Federation, Source

FRESH, STALE, FAILING, NEVER = "fresh", "stale", "failing", "never"
LABELS = {FRESH: "Mới cập nhật", STALE: "Đã cũ", FAILING: "Đang lỗi", NEVER: "Chưa tải lần nào"}


@dataclass
class SourceStatus:
    source: Source
    state: str
    meta: store.Meta | None = None
    age_days: int | None = None  # days since the snapshot was last confirmed
    stale: bool = False  # the snapshot (if any) is older than the federation's limit
    failing_since: datetime | None = None
    code: str = ""
    reason: str = ""

    @property
    def confirmed(self) -> datetime | None:
        return vntime.parse_instant(self.meta.confirmed) if self.meta is not None else None

    def sentence(self) -> str:
        """One Vietnamese sentence, for the CLI and the site."""
        parts = []
        if self.state == FAILING and self.failing_since is not None:
            parts.append(f"đang lỗi từ {vntime.show(self.failing_since)} (mã {self.code}: {self.reason})")
        if self.meta is not None and self.confirmed is not None:
            age = "hôm nay" if not self.age_days else f"cách đây {self.age_days} ngày"
            what = "đã cũ" if self.stale else "còn mới"
            parts.append(f"bản sao {self.meta.count} sáng kiến, cập nhật lần cuối {vntime.show(self.confirmed)} ({age}, {what})")
        elif self.state != FAILING:
            parts.append("chưa tải lần nào: chạy sangkien harvest")
        else:
            parts.append("chưa có bản sao nào")
        return "; ".join(parts) + "."


def of(root: Path, federation: Federation, at: datetime) -> list[SourceStatus]:
    failures = store.read_failures(root)
    out = []
    for source in federation.sources:
        found = store.read_snapshot(root, source.id)
        meta = found[0] if found is not None else None
        age = stale = None
        if meta is not None:
            age = max(0, (vntime.local_date(at) - vntime.local_date(vntime.parse_instant(meta.confirmed))).days)
            stale = age > federation.stale_after_days
        failure = failures.get(source.id)
        if failure is not None:
            since = _instant(failure.get("since", ""))
            out.append(SourceStatus(source, FAILING, meta, age, bool(stale), since, failure.get("code", ""), failure.get("reason", "")))
        elif meta is None:
            out.append(SourceStatus(source, NEVER))
        else:
            out.append(SourceStatus(source, STALE if stale else FRESH, meta, age, bool(stale)))
    return out


def _instant(text: str) -> datetime | None:
    try:
        return vntime.parse_instant(text)
    except ValueError:
        return None
