"""The official list of administrative units (provinces, districts, communes with their codes),
from the `vietnamadminunits` distribution (MIT), read offline and lazily.

Two periods: `NEW`, the 34 provinces and 3,321 communes in force since 01/07/2025 (no district
level), and `LEGACY`, the 63 provinces, their districts and wards as they stood on 30/06/2025.
Codes are the General Statistics Office's (TCTK) codes, kept as strings: 2 digits for a province,
3 for a district, 5 for a commune. A code can name different units in the two periods (80 was
Long An and is now the merged Tây Ninh), so a lookup always says which period it asks about.

Only the package's data files are read (`data/dataset.db` through sqlite3, read-only, and
`data/converter_2025.json` for which old provinces formed a new one), found through the import
system's spec without importing the package: its modules import shapely and geopy, which the
validator never needs. Nothing is read until a question is asked,
and each period is read once per process.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from sangkien.textnorm import fold

DISTRIBUTION = "vietnamadminunits"
REFORM_DAY = date(2025, 7, 1)  # first day of the 34 provinces and of no district level
LAST_LEGACY_DAY = date(2025, 6, 30)

Period = Literal["new", "legacy"]
NEW: Period = "new"
LEGACY: Period = "legacy"


class DatasetUnavailable(Exception):
    """The official list cannot be read (the distribution is missing or damaged)."""


@dataclass(frozen=True, slots=True)
class Official:
    """One official unit: its code, full name («Xã Hảo Đước»), short name («Hảo Đước»), the
    word for its type («Xã», «Phường», «Huyện», «Tỉnh»…), its level (tinh, huyen, xa) and the
    codes of the province (and district) it belongs to."""

    code: str
    name: str
    short: str
    type: str
    level: str
    province: str
    district: str | None = None

    @property
    def key(self) -> str:
        """The folded short name without spaces or punctuation, for comparing names."""
        return compact(self.short)


def compact(text: str) -> str:
    """Folded letters and digits only: «Bà Rịa – Vũng Tàu» and «Bà Rịa - Vũng Tàu» compare equal."""
    return "".join(ch for ch in fold(text) if ch.isalnum())


@dataclass(frozen=True)
class Listing:
    """Every unit of one period, by code, with the provinces in code order."""

    units: dict[str, Official]
    provinces: tuple[Official, ...]
    children: dict[str, tuple[Official, ...]]  # province code -> its districts (legacy) or communes (new), in code order


@functools.cache
def _data_folder() -> Path:
    """The distribution's data folder, found without importing the package: importlib.resources
    would run its __init__, which imports shapely, geopy and pandas helpers."""
    spec = importlib.util.find_spec(DISTRIBUTION)
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    for folder in folders:
        if (Path(folder) / "data" / "dataset.db").is_file():
            return Path(folder) / "data"
    raise DatasetUnavailable(f"chưa cài gói {DISTRIBUTION} hoặc gói thiếu tệp dữ liệu data/dataset.db")


def _connection_path() -> str:
    return (_data_folder() / "dataset.db").as_posix()


def _rows(sql: str, parameters: tuple[str, ...] = ()) -> list[tuple[str | None, ...]]:
    try:
        uri = "file:" + _connection_path() + "?mode=ro"
        db = sqlite3.connect(uri, uri=True)
        try:
            return [tuple(None if v is None else str(v) for v in row) for row in db.execute(sql, parameters)]
        finally:
            db.close()
    except sqlite3.Error as err:
        raise DatasetUnavailable(f"không đọc được dữ liệu của gói {DISTRIBUTION} ({err})") from err


def _type_of(full: str, short: str) -> str:
    return full[: len(full) - len(short)].strip() if full.endswith(short) else full.split(" ")[0]


_NEW_COLUMNS = "provinceCode, province, provinceShort, wardCode, ward, wardShort, wardType"
_LEGACY_COLUMNS = ("provinceCode, province, provinceShort, districtCode, district, districtShort, districtType, "
                   "wardCode, ward, wardShort, wardType")


@functools.cache
def period(which: Period) -> Listing:
    """Every unit of a period (read from the dataset once per process)."""
    return _listing(which, None)


def lookup_many(codes: set[str], which: Period) -> dict[str, Official]:
    """The units with these codes in the period (codes not in the list are left out): a few rows
    read by code, for the validator, which asks about a registry's handful of codes."""
    if period.cache_info().currsize:  # a command already read everything
        return {code: unit for code in codes if (unit := lookup(code, which)) is not None}
    wanted = sorted(c for c in codes if c.isdigit())
    if not wanted:
        return {}
    found = _listing(which, tuple(wanted)).units
    return {code: found[code] for code in wanted if code in found}


def _listing(which: Period, codes: tuple[str, ...] | None) -> Listing:
    units: dict[str, Official] = {}
    children: dict[str, list[Official]] = {}
    if which == NEW:
        rows = _rows(*_select(_NEW_COLUMNS, "admin_units", ("provinceCode", "wardCode"), codes))
        for pcode, pname, pshort, wcode, wname, wshort, wtype in rows:
            if not (pcode and pname and pshort):
                continue
            units.setdefault(pcode, Official(pcode, pname, pshort, _type_of(pname, pshort), "tinh", pcode))
            if wcode and wname and wshort:
                commune = Official(wcode, wname, wshort, wtype or _type_of(wname, wshort), "xa", pcode)
                units[wcode] = commune
                children.setdefault(pcode, []).append(commune)
    else:
        rows = _rows(*_select(_LEGACY_COLUMNS, "admin_units_legacy", ("provinceCode", "districtCode", "wardCode"), codes))
        for pcode, pname, pshort, dcode, dname, dshort, dtype, wcode, wname, wshort, wtype in rows:
            if not (pcode and pname and pshort):
                continue
            units.setdefault(pcode, Official(pcode, pname, pshort, _type_of(pname, pshort), "tinh", pcode))
            if dcode and dname and dshort and dcode not in units:
                district = Official(dcode, dname, dshort, dtype or _type_of(dname, dshort), "huyen", pcode)
                units[dcode] = district
                children.setdefault(pcode, []).append(district)
            if wcode and wname and wshort:
                units[wcode] = Official(wcode, wname, wshort, wtype or _type_of(wname, wshort), "xa", pcode, dcode)
    provinces = tuple(sorted((u for u in units.values() if u.level == "tinh"), key=lambda u: u.code))
    return Listing(units, provinces, {k: tuple(sorted(v, key=lambda u: u.code)) for k, v in children.items()})


def _select(columns: str, table: str, keys: tuple[str, ...], codes: tuple[str, ...] | None) -> tuple[str, tuple[str, ...]]:
    """The query of a whole table, or of the rows naming `codes`: one row per wanted province or
    district (GROUP BY), every row of a wanted commune, so a lookup reads a handful of rows."""
    if codes is None:
        return f"SELECT {columns} FROM {table}", ()
    marks = ", ".join("?" for _ in codes)
    parts = [f"SELECT {columns} FROM {table} WHERE {key} IN ({marks})" + ("" if key == keys[-1] else f" GROUP BY {key}") for key in keys]
    return " UNION ALL ".join(parts), codes * len(keys)


def lookup(code: str, which: Period) -> Official | None:
    """The unit with this code in the period, or None."""
    return period(which).units.get(code)


def provinces(which: Period = NEW) -> tuple[Official, ...]:
    return period(which).provinces


def communes(province_code: str) -> tuple[Official, ...]:
    """The communes (xã, phường, đặc khu) of a province since 01/07/2025, in code order."""
    return period(NEW).children.get(province_code, ())


def districts(province_code: str) -> tuple[Official, ...]:
    """The districts of a pre-reform province as they stood on 30/06/2025, in code order."""
    return period(LEGACY).children.get(province_code, ())


def find_province(text: str, which: Period = NEW) -> Official | None:
    """A province by code («80»), full name («Tỉnh Tây Ninh»), short name, with or without tone
    marks («tay ninh», «TP Hồ Chí Minh», «hcm»)."""
    wanted = text.strip()
    if wanted.isdigit():
        unit = lookup(wanted.zfill(2), which)
        return unit if unit is not None and unit.level == "tinh" else None
    key = compact(wanted)
    for prefix in ("thanhpho", "tinh", "tp"):
        if key.startswith(prefix) and len(key) > len(prefix) + 2:
            key = key.removeprefix(prefix)
            break
    aliases = {"hcm": "hochiminh", "hn": "hanoi", "saigon": "hochiminh"}
    key = aliases.get(key, key)
    for unit in provinces(which):
        if key in (unit.key, compact(unit.name)):
            return unit
    return None


@functools.cache
def _merged() -> dict[str, tuple[str, ...]]:
    """New province's folded full name -> folded full names of the old provinces it was formed from."""
    try:
        data = json.loads((_data_folder() / "converter_2025.json").read_text(encoding="utf-8"))
        table = data["DICT_PROVINCE"]
        return {str(k): tuple(str(v) for v in values) for k, values in table.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise DatasetUnavailable(f"không đọc được bảng chuyển đổi của gói {DISTRIBUTION} ({err})") from err


def formed_from(new_province: Official) -> tuple[Official, ...]:
    """The pre-reform provinces a post-reform province was formed from (itself if unchanged)."""
    olds = _merged().get(compact(new_province.name), ())
    by_key = {compact(u.name): u for u in provinces(LEGACY)}
    return tuple(sorted((by_key[k] for k in olds if k in by_key), key=lambda u: u.code))


def period_of(valid_from: date | None, valid_to: date | None) -> Period:
    """Which list a unit's code belongs to: the pre-reform one if the unit ended by 30/06/2025."""
    del valid_from  # a unit still in force after the reform carries a post-reform code
    return LEGACY if valid_to is not None and valid_to <= LAST_LEGACY_DAY else NEW


def name_matches(name: str, official: Official) -> bool:
    """Whether a unit's name names this official unit: its short name appears in the name
    («UBND xã Hảo Đước», «Ủy ban nhân dân tỉnh Tây Ninh (sau hợp nhất)»), tone marks and
    punctuation aside."""
    return official.key in compact(name)


def version() -> str:
    """The version of the dataset's distribution (shown by the commands), or «?»."""
    from importlib import metadata

    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "?"
