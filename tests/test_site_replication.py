"""Replication records (entries/replications/<unit>/<id>.md) through the real CLI: the schema and
the rules SK320-SK325."""

from __future__ import annotations

import json

from sangkien import validator

GOOD = {
    "id": "so-hoa-ho-so-mot-cua-xa-an-binh",
    "initiative": "so-hoa-ho-so-mot-cua-xa",
    "unit": "tn-ct-an-binh",
    "since": "2024-09-10",
    "adapted": "Giữ nguyên quy trình, dùng máy quét sẵn có.",
    "results": [{"indicator": "Thời gian trả kết quả chứng thực", "baseline": 2, "result": 1, "unit": "ngày"}],
    "evidence": "https://example.com/bao-cao.pdf",
    "summary": "Xã An Bình áp dụng quét hồ sơ ngay tại quầy, thời gian trả kết quả giảm một nửa.",
}


def record(**changes) -> str:
    data = {**GOOD, **changes}
    data = {k: v for k, v in data.items() if v is not None}
    lines = [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in data.items()]
    return "---\n" + "\n".join(lines) + "\n---\n"


def check(repo, rel: str, text: str) -> dict:
    repo.write(rel, text)
    done = repo.run("validate", "--format", "json", rel)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def codes(report: dict) -> list[str]:
    return sorted(p["code"] for p in report["problems"])


def test_a_valid_record_is_accepted(repo) -> None:
    report = check(repo, f"entries/replications/tn-ct-an-binh/{GOOD['id']}.md", record())
    assert codes(report) == []
    loaded = validator.load(repo.path)
    assert [r.id for r in loaded.repo.replications_of("so-hoa-ho-so-mot-cua-xa")].count(GOOD["id"]) == 1


CASES = [
    ({"initiative": "khong-co-bai-nay"}, "SK320", "không có sáng kiến nào mang mã «khong-co-bai-nay»"),
    ({"unit": "tn-ct-thanh-long"}, "SK322", "là đơn vị đã nộp sáng kiến"),
    ({"since": "2024-07-01"}, "SK323", "trước ngày ký quyết định công nhận 1682/QĐ-UBND (25/07/2024)"),
    ({"since": "2025-09-01"}, "SK324", "không có hiệu lực vào ngày áp dụng 01/09/2025"),
    ({"evidence": "http://example.com/x"}, "SK205", "Đường dẫn minh chứng"),
    ({"results": None}, "SK201", "Kết quả đo được tại đơn vị nhân rộng"),
]


def test_rules_and_schema(repo) -> None:
    """One faulty record per rule, all checked by one run of the CLI."""
    paths = []
    for i, (changes, _code, _words) in enumerate(CASES):
        unit = changes.get("unit", GOOD["unit"])
        rel = f"entries/replications/{unit}/sai-{i}.md"
        repo.write(rel, record(id=f"sai-{i}", **changes))
        paths.append(rel)
    done = repo.run("validate", "--format", "json", "entries/replications")
    assert done.returncode == 1, done.stderr
    problems = json.loads(done.stdout)["problems"]
    for rel, (_changes, code, words) in zip(paths, CASES, strict=True):
        found = [p for p in problems if p["file"] == rel and p["code"] == code]
        assert found, (rel, code, [p for p in problems if p["file"] == rel])
        assert words in found[0]["message"] and found[0]["line"] > 1


def test_an_unrecognised_or_revoked_initiative_cannot_be_replicated(repo) -> None:
    loaded = validator.load(repo.path)
    model = loaded.repo
    revoked = next(x for x in model.entries if model.recognitions(x) and model.recognition(x) is None)
    pending = next(x.id for x in model.entries.values() if x.kind == "entry" and not model.recognitions(x.id))
    for target, words in ((revoked, "đã bị thu hồi công nhận"), (pending, "chưa có quyết định công nhận")):
        unit = "tn-ct-an-binh" if model.entries[target].unit != "tn-ct-an-binh" else "tn-ct-hao-duoc"
        report = check(repo, f"entries/replications/{unit}/{target}-nr.md", record(id=f"{target}-nr", initiative=target, unit=unit))
        found = [p for p in report["problems"] if p["code"] == "SK321"]
        assert found and words in found[0]["message"]


def test_a_second_record_of_the_same_unit_and_initiative_is_warned(repo) -> None:
    repo.write(f"entries/replications/tn-ct-an-binh/{GOOD['id']}.md", record())
    repo.write("entries/replications/tn-ct-an-binh/lan-hai.md", record(id="lan-hai"))
    done = repo.run("validate", "--format", "json", "entries/replications/tn-ct-an-binh")
    assert done.returncode == 0, done.stdout  # a warning does not block the submission
    assert codes(json.loads(done.stdout)) == ["SK325"]
