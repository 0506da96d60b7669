"""The campaign's rubric as the council tools see it, and the fingerprint printed into sheets."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from sangkien.council.context import decisions_path
from sangkien.council.errors import CouncilError
from sangkien.model import Campaign, Entry, Repository
from sangkien.vnnumber import show_number as show_number  # the council's tables import it from here


@dataclass(frozen=True)
class Criterion:
    id: str
    name: str
    max: float
    min: float | None = None
    bands: tuple[tuple[float, float, str], ...] = ()

    def bands_text(self) -> str:
        return "\n".join(f"{show_number(a)}–{show_number(b)} điểm: {label}" for a, b, label in self.bands)


@dataclass(frozen=True)
class Tier:
    id: str
    name: str
    count: int
    min_total: float | None = None


@dataclass
class Rubric:
    criteria: list[Criterion]
    pass_total: float
    combine: str
    divergence_gap: float
    tiers: list[Tier] = field(default_factory=list)
    source: str = ""

    @property
    def max_total(self) -> float:
        return sum(c.max for c in self.criteria)

    def fingerprint(self) -> str:
        """What a filled sheet depends on: criterion ids, order and maxima. Names and bands may be
        reworded after the sheets went out; a changed maximum or criterion may not."""
        shape = [[c.id, c.max] for c in self.criteria]
        return hashlib.sha256(json.dumps(shape, separators=(",", ":")).encode()).hexdigest()[:16]


def rubric_of(camp: Campaign) -> Rubric:
    raw = camp.rubric
    criteria = [c for c in raw.get("criteria") or [] if isinstance(c, dict) and isinstance(c.get("id"), str)
                and isinstance(c.get("max"), (int, float))]
    if not criteria:
        raise CouncilError.one("SK802", camp.path, f"Đợt «{camp.id}» chưa khai báo thang điểm (rubric) có tiêu chí.")
    out = []
    for c in criteria:
        bands = tuple((float(b["from"]), float(b["to"]), str(b["label"])) for b in c.get("bands") or []
                      if isinstance(b, dict) and isinstance(b.get("from"), (int, float)) and isinstance(b.get("to"), (int, float)))
        low = c.get("min")
        out.append(Criterion(c["id"], str(c.get("name", c["id"])), float(c["max"]), float(low) if isinstance(low, (int, float)) else None, bands))
    tiers = [Tier(t["id"], str(t.get("name", t["id"])), int(t.get("count", 0)),
                  float(t["min_total"]) if isinstance(t.get("min_total"), (int, float)) else None)
             for t in raw.get("tiers") or [] if isinstance(t, dict) and isinstance(t.get("id"), str)]
    gap = raw.get("divergence_gap", 20)
    pass_total = raw.get("pass_total", 0)
    return Rubric(out, float(pass_total) if isinstance(pass_total, (int, float)) else 0.0, str(raw.get("combine", "mean")),
                  float(gap) if isinstance(gap, (int, float)) else 20.0, tiers, str(raw.get("source", "")))


def passed_entries(repo: Repository, camp: Campaign) -> list[Entry]:
    """Entries of the campaign whose screening result is `dat`, in unit then id order."""
    dec = repo.decisions.get(camp.id)
    if dec is None or not dec.items("screening"):
        raise CouncilError.one("SK803", decisions_path(camp.id),
                               f"Đợt «{camp.id}» chưa có kết quả sơ loại (mục screening trong {decisions_path(camp.id)}), nên chưa có bài để chấm.")
    screening = dec.screening()
    entries = [e for e in repo.entries_of(camp.id) if (screening.get(e.id) or {}).get("result") == "dat"]
    if not entries:
        raise CouncilError.one("SK803", decisions_path(camp.id), f"Đợt «{camp.id}» chưa có bài nào qua sơ loại (result: dat).")
    return sorted(entries, key=lambda e: (e.unit or "", e.id))
