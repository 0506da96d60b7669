"""Load the repository once for a council command and find the campaign it is about."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sangkien.council import yamledit
from sangkien.council.errors import CouncilError
from sangkien.loader import Loaded, load
from sangkien.model import Campaign, Decisions


def campaign_of(loaded: Loaded, campaign_id: str) -> Campaign:
    camp = loaded.repo.campaigns.get(campaign_id)
    if camp is None:
        known = ", ".join(sorted(loaded.repo.campaigns)) or "(chưa có đợt nào)"
        raise CouncilError.one("SK801", f"entries/{campaign_id}", f"Không có đợt «{campaign_id}». Các đợt hiện có: {known}.")
    return camp


def decisions_path(campaign_id: str) -> str:
    return f"entries/{campaign_id}/decisions.yaml"


def decisions_of(loaded: Loaded, campaign_id: str) -> Decisions | None:
    return loaded.repo.decisions.get(campaign_id)


def decisions_to_edit(root: Path, loaded: Loaded, camp: Campaign, command: str) -> tuple[str, str, bytes | None, dict[str, Any]]:
    """The campaign's decisions.yaml as a council command edits it: (path, text, original bytes
    or None when the command creates the file, data). A file with errors is refused (SK811)."""
    rel = decisions_path(camp.id)
    text, original = yamledit.read_text(root / rel)
    if original is None:
        header = f"# Quyết định của Hội đồng đợt {camp.id} (tệp do lệnh sangkien {command} tạo).\ncampaign: {camp.id}\n"
        return rel, header, None, {"campaign": camp.id}
    doc = loaded.docs.get(rel)
    if doc is None or not isinstance(doc.data, dict):
        raise CouncilError.one("SK811", rel, f"Tệp {rel} đang có lỗi nên không đọc được; sửa theo sangkien validate {rel} rồi chạy lại.")
    return rel, text, original, doc.data


def open_campaign(root: Path, campaign_id: str) -> tuple[Loaded, Campaign]:
    loaded = load(root)
    return loaded, campaign_of(loaded, campaign_id)


def inside_entries(root: Path, target: Path) -> bool:
    """Drafts and printouts never go into entries/: the validator would take them for data."""
    try:
        target.resolve().relative_to((root / "entries").resolve())
        return True
    except ValueError:
        return False
