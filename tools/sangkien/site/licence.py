"""The licence of the open data, chosen in mkdocs.yml `extra.sangkien.licence` (default CC BY 4.0).

Either a known identifier (`licence: cc-by-4.0`) or a mapping with the licence's own name and
address (`licence: {id: ..., name: ..., url: ...}`). The data page states it and every export
carries it (the JSON's `licence`, the XLSX's «Thông tin» sheet and document properties, the
feed's `rights`, a note beside the CSV). No MkDocs here.
"""

from __future__ import annotations

from dataclasses import dataclass


class LicenceError(ValueError):
    """A licence setting that cannot be used; the message is Vietnamese."""


@dataclass(frozen=True)
class Licence:
    id: str
    name: str
    url: str

    def line(self) -> str:
        """'Giấy phép Creative Commons Ghi công 4.0 Quốc tế (CC BY 4.0) — https://…'."""
        return f"{self.name} — {self.url}" if self.url else self.name


KNOWN: dict[str, Licence] = {
    "cc-by-4.0": Licence("CC-BY-4.0", "Giấy phép Creative Commons Ghi công 4.0 Quốc tế (CC BY 4.0)",
                         "https://creativecommons.org/licenses/by/4.0/deed.vi"),
    "cc-by-sa-4.0": Licence("CC-BY-SA-4.0", "Giấy phép Creative Commons Ghi công – Chia sẻ tương tự 4.0 Quốc tế (CC BY-SA 4.0)",
                            "https://creativecommons.org/licenses/by-sa/4.0/deed.vi"),
    "cc0-1.0": Licence("CC0-1.0", "Cam kết dành cho công chúng Creative Commons CC0 1.0 (từ bỏ mọi quyền)",
                       "https://creativecommons.org/publicdomain/zero/1.0/deed.vi"),
    "odc-by-1.0": Licence("ODC-By-1.0", "Giấy phép Ghi công Cơ sở dữ liệu mở (ODC-By 1.0)",
                          "https://opendatacommons.org/licenses/by/1-0/"),
}
DEFAULT = KNOWN["cc-by-4.0"]


def licence_of(value: object) -> Licence:
    """The licence named by the setting; DEFAULT when it is absent. LicenceError if it is unusable."""
    if value is None or value == "":
        return DEFAULT
    if isinstance(value, str):
        found = KNOWN.get(value.strip().lower())
        if found is None:
            raise LicenceError(f"extra.sangkien.licence trong mkdocs.yml ghi «{value}», không phải giấy phép đã biết. "
                               f"Chọn một trong: {', '.join(KNOWN)}; hoặc ghi đủ id, name (tên tiếng Việt) và url của giấy phép.")
        return found
    if isinstance(value, dict):
        known = KNOWN.get(str(value.get("id") or "").strip().lower())
        name = str(value.get("name") or (known.name if known else "")).strip()
        url = str(value.get("url") or (known.url if known else "")).strip()
        ident = str(value.get("id") or name).strip()
        if not name or not url.startswith(("https://", "http://")):
            raise LicenceError("extra.sangkien.licence trong mkdocs.yml cần có name (tên giấy phép bằng tiếng Việt) và url "
                               "(địa chỉ văn bản giấy phép, bắt đầu bằng https://).")
        return Licence(ident, name, url)
    raise LicenceError("extra.sangkien.licence trong mkdocs.yml phải là mã giấy phép (ví dụ cc-by-4.0) hoặc một khối có id, name, url.")
