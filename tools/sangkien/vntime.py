"""Vietnam time (UTC+7, no daylight saving) and the deadline rules the plans use.

"đến hết ngày 25/6/2024" includes the whole of 25 June; "trước ngày 25/5/2024" ends when
24 May ends. A deadline is stored as the first instant that is too late, so every comparison
is `at < end`, exact to the second (and below) at both ends.
"""

from __future__ import annotations

import calendar
import re
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


# ----------------------------------------------------------------- dates typed by people
# One rule for every place a person types a date (the web form's date fields, `sangkien new`);
# its twin is parseTypedDate in site/assets/form/dates.js and tests/test_typed_dates.py feeds
# both the same inputs. Accepted:
#   d/m/yyyy and dd/mm/yyyy, the separator '/', '-' or '.' (spaces around it allowed): day first,
#     the way Vietnamese officials write dates, so 01/03/2024 is 1 March 2024 whatever the browser;
#   yyyy-mm-dd (also with '/' or '.'): a 4-digit year first cannot be read as a day, so it is
#     unambiguous and taken as year-month-day (what the files store).
# Refused, with what is wrong and how to write it: 2-digit years (25/06/24), impossible dates
# (31/02/2024, month 13), years outside 1900-2199, anything else. The stored value is ISO.
TYPED_DATE_HINT = "ngày/tháng/năm, ví dụ 25/06/2024"
_TYPED_DATE = re.compile(r"([0-9]{1,4}) *([/.\-]) *([0-9]{1,2}) *([/.\-]) *([0-9]{1,4})")
_TYPED_BLANKS = " \t\u00a0"
_SHOWN_MAX = 40


class TypedDateError(ValueError):
    """A typed date that is not a real, unambiguous date; str() is the Vietnamese message."""


def _shown(text: str) -> str:
    return text if len(text) <= _SHOWN_MAX else text[:_SHOWN_MAX] + "…"


def parse_typed_date(text: str) -> date:
    """A date typed as dd/mm/yyyy (or yyyy-mm-dd) -> date; TypedDateError says what to fix."""
    raw = text.strip(_TYPED_BLANKS)
    how = f"Ghi theo {TYPED_DATE_HINT}."
    if not raw:
        raise TypedDateError(f"Chưa ghi ngày. {how}")
    m = _TYPED_DATE.fullmatch(raw)
    if m is None:
        raise TypedDateError(f"«{_shown(raw)}» không phải ngày. {how}")
    first, middle, last = m.group(1), m.group(3), m.group(5)
    if len(first) == 4 and len(last) <= 2:
        year, month, day = int(first), int(middle), int(last)
    elif len(first) <= 2 and len(last) == 4:
        day, month, year = int(first), int(middle), int(last)
    elif len(first) <= 2 and len(last) <= 2:
        raise TypedDateError(f"«{_shown(raw)}»: năm phải ghi đủ 4 chữ số. {how}")
    else:
        raise TypedDateError(f"«{_shown(raw)}» không phải ngày. {how}")
    if not 1900 <= year <= 2199:
        raise TypedDateError(f"«{_shown(raw)}»: năm {year} nằm ngoài khoảng 1900–2199. {how}")
    if not 1 <= month <= 12:
        raise TypedDateError(f"«{_shown(raw)}»: không có tháng {month} (tháng từ 1 đến 12). "
                             f"Ngày ghi trước, tháng ghi sau: {TYPED_DATE_HINT}.")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise TypedDateError(f"«{_shown(raw)}»: ngày không có thật, tháng {month} năm {year} chỉ có {days} ngày. {how}")
    return date(year, month, day)


def typed_date(day: date) -> str:
    """How the form and `sangkien new` show a stored date for editing: dd/mm/yyyy."""
    return show_date(day)
