"""sangkien fix --legacy-font: pasted TCVN3 / VNI text converted only where it is unambiguous, atomically, re-validated."""

from __future__ import annotations

from pathlib import Path

from helpers.cli import run_cli
from sangkien.wordimport.legacy import converted

ENTRY = "entries/chau-thanh-2024/tn-ct-thanh-long/so-hoa-ho-so-mot-cua-xa.md"


def test_only_unambiguous_lines_are_converted() -> None:
    text = "\n".join([
        "title: C¶i c¸ch thñ tôc hµnh chÝnh cÊp x·",       # TCVN3
        "field: Caûi caùch thuû tuïc haønh chính, ñöôøng",  # VNI
        "summary: Văn bản Unicode, «trích dẫn» giữ nguyên.",  # Unicode: no sign
        "Xin chaøo «bạn» ®i",                              # signs, but Unicode letters too: left for a person
        "Café crème à la française",                       # Latin-1 words, below the threshold
    ])
    new, found = converted(text)
    assert new.split("\n") == [
        "title: Cải cách thủ tục hành chính cấp xã",
        "field: Cải cách thủ tục hành chính, đường",
        "summary: Văn bản Unicode, «trích dẫn» giữ nguyên.",
        "Xin chaøo «bạn» ®i",
        "Café crème à la française",
    ]
    assert [(c.line, c.table) for c in found] == [(1, "tcvn3"), (2, "vni"), (4, None)]


def test_fix_legacy_font_rewrites_and_revalidates(repo) -> None:
    path = repo.path / ENTRY
    original = path.read_text(encoding="utf-8")
    pasted = original.replace("\n## Thực trạng\n", "\n## Thực trạng\n\nNg\xadêi d©n ph¶i ®i l¹i nhiÒu lÇn ®Ó nép hå s¬.\n", 1)
    assert pasted != original
    path.write_text(pasted, encoding="utf-8")
    before = run_cli(["validate", ENTRY], cwd=repo.path)
    assert "SK510" in before.stdout
    plain = run_cli(["fix", ENTRY], cwd=repo.path)  # without the flag: nothing converted
    assert plain.code == 0 and path.read_text(encoding="utf-8") == pasted
    result = run_cli(["fix", "--legacy-font", ENTRY], cwd=repo.path)
    assert result.code == 0, result.stdout
    assert "đã chuyển chữ phông TCVN3 (.VnTime) sang Unicode" in result.stdout
    assert "Người dân phải đi lại nhiều lần để nộp hồ sơ." in path.read_text(encoding="utf-8")
    assert path.read_text(encoding="utf-8") == original.replace("\n## Thực trạng\n", "\n## Thực trạng\n\nNgười dân phải đi lại nhiều lần để nộp hồ sơ.\n", 1)
    assert not list(Path(path.parent).glob("*.tmp*"))
    assert "SK510" not in run_cli(["validate", ENTRY], cwd=repo.path).stdout


def test_ambiguous_line_is_reported_and_kept(repo) -> None:
    path = repo.path / ENTRY
    mixed = path.read_text(encoding="utf-8").replace("\n## Thực trạng\n", "\n## Thực trạng\n\nXin chaøo các bạn, ®i l¹i.\n", 1)
    path.write_text(mixed, encoding="utf-8")
    result = run_cli(["fix", "--legacy-font", ENTRY], cwd=repo.path)
    assert result.code == 1 and "cảnh báo SK048:" in result.stdout
    assert path.read_text(encoding="utf-8") == mixed
