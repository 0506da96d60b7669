"""Vietnamese for argparse's own words, so that usage errors and --help read in Vietnamese."""

from __future__ import annotations

import argparse
from collections.abc import Callable

_VI = {
    "usage: ": "Cách dùng: ",
    "positional arguments": "tham số",
    "options": "tùy chọn",
    "show this help message and exit": "hiện hướng dẫn này rồi thoát",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "unrecognized arguments: %s": "không hiểu tham số: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "lựa chọn %(value)r không hợp lệ (chọn một trong: %(choices)s)",
    "expected one argument": "cần một giá trị",
    "invalid %(type)s value: %(value)r": "giá trị %(value)r không hợp lệ",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi cách gọi lệnh: %(message)s\n",
    "ambiguous option: %(option)s could match %(matches)s": "tùy chọn %(option)s không rõ, có thể là %(matches)s",
    "not allowed with argument %s": "không dùng cùng tham số %s",
}


def install() -> None:
    # argparse's gettext alias `_` is not in its type stubs: reached by name.
    original: Callable[[str], str] = getattr(argparse, "_")  # noqa: B009

    def translate(message: str) -> str:
        return _VI.get(message, original(message))

    setattr(argparse, "_", translate)  # noqa: B010  # argparse looks its messages up through this module global
