"""Vietnam time (UTC+7, no daylight saving) and the deadline rules the plans use.

"đến hết ngày 25/6/2024" includes the whole of 25 June; "trước ngày 25/5/2024" ends when
24 May ends. A deadline is stored as the first instant that is too late, so every comparison
is `at < end`, exact to the second (and below) at both ends.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

ICT = timezone(timedelta(hours=7), "ICT")


def parse_instant(text: str) -> datetime:
    """ISO 8601 with an offset (Z accepted). A naive time is refused: it would be ambiguous."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("missing UTC offset")
    try:
        year = value.astimezone(UTC).year
    except OverflowError as err:
        raise ValueError("year out of range") from err
    if not 1900 <= year <= 2199:  # also keeps Vietnam-time arithmetic in range
        raise ValueError("year out of range")
    return value


def now() -> datetime:
    return datetime.now(UTC)


def start_of(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), ICT)


def window_start(day: date, rule: str) -> datetime:
    """First instant inside a window that opens on `day` (both opening rules start the day)."""
    return start_of(day)


def window_end(day: date, rule: str) -> datetime:
    """First instant that is too late for a deadline written as `rule` `day`."""
    return start_of(day) if rule == "truoc-ngay" else start_of(day + timedelta(days=1))


def last_moment(end: datetime) -> datetime:
    """The last whole second still on time, for messages."""
    return end - timedelta(seconds=1)


def show(moment: datetime) -> str:
    """dd/mm/yyyy HH:MM (giờ Việt Nam), the way officials write it."""
    local = moment.astimezone(ICT)
    return local.strftime("%d/%m/%Y %H:%M") + " (giờ Việt Nam)"


def show_seconds(moment: datetime) -> str:
    local = moment.astimezone(ICT)
    return local.strftime("%d/%m/%Y %H:%M:%S") + " (giờ Việt Nam)"


def show_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def local_date(moment: datetime) -> date:
    return moment.astimezone(ICT).date()
