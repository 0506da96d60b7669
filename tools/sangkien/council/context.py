"""Load the repository once for a council command and find the campaign it is about."""

from __future__ import annotations

from pathlib import Path

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
