"""The campaign's novelty thresholds (campaign.yaml `novelty`, in percent), with defaults.

- warn: a new entry whose score with another entry reaches it gets a warning (SK701, SK702,
  SK704); the evaluation set's precision and recall are measured at the default.
- error: an entry this close to an earlier unsuccessful entry, not declared as a resubmission,
  is an error (SK703).
- min_change: a declared resubmission must differ from the earlier entry by at least this
  share of its passages (SK705).
"""

from __future__ import annotations

from dataclasses import dataclass

from sangkien.model import Campaign

DEFAULT_WARN = 65
DEFAULT_ERROR = 85
DEFAULT_MIN_CHANGE = 15


@dataclass(frozen=True)
class Thresholds:
    warn: float = DEFAULT_WARN / 100
    error: float = DEFAULT_ERROR / 100
    min_change: float = DEFAULT_MIN_CHANGE / 100


def _percent(raw: object, default: int) -> float:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and 0 <= raw <= 100:
        return raw / 100
    return default / 100


def of_campaign(camp: Campaign | None) -> Thresholds:
    raw = (camp.data.get("novelty") if camp is not None else None) or {}
    if not isinstance(raw, dict):
        return Thresholds()
    warn = _percent(raw.get("warn"), DEFAULT_WARN)
    error = max(_percent(raw.get("error"), DEFAULT_ERROR), warn)  # an error below the warning makes no sense
    return Thresholds(warn, error, _percent(raw.get("min_change"), DEFAULT_MIN_CHANGE))
