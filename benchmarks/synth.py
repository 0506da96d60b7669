"""A throw-away repository with N realistic synthetic entries, for the scale benchmark and tests.

Each entry looks like a real submission: about 20 front-matter fields (authors with shares that
sum to 100, areas and forms the campaign accepts, measured results, dates inside the campaign's
window) and an 800-word Vietnamese body with the sections the rules ask for, so an entry file
weighs about 6.6 KB. Entries go to the three seed initiative campaigns (chau-thanh-2024,
y-te-ninh-thuan-2025, kcn-hung-yen-2024) and their eligible units; a share of them is screened
and recognised in each campaign's decisions.yaml so the catalogue has something to list. Past
`per_campaign` entries a seed campaign is copied under a new id (chau-thanh-2024-2, ...): a real
campaign has hundreds of entries, and one of 33,000 would write a decisions.yaml over the 512 KB
limit (SK004).
Thi đua nominations are not generated: that movement names at most a few heads per unit.

The copy holds entries/, schema/, docs/ and mkdocs.yml of the real repository (tools/ linked), committed in a
fresh Git repository, and must validate with 0 errors (the benchmark checks it).
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Seed:
    campaign: str
    short: str
    opens: str  # first day a submission may carry
    closes: str  # last on-time day
    decided: str  # date of the synthetic recognition decision (after the window)
    issuer: str
    level: str


SEEDS = [
    Seed("chau-thanh-2024", "ct", "2024-05-15", "2024-06-25", "2024-08-15", "UBND huyện Châu Thành", "co-so"),
    Seed("y-te-ninh-thuan-2025", "yt", "2025-12-01", "2025-12-05", "2025-12-22", "Sở Y tế tỉnh Khánh Hòa", "co-so"),
    Seed("kcn-hung-yen-2024", "hy", "2024-04-15", "2024-05-24", "2024-06-20", "Ban Quản lý các khu công nghiệp tỉnh Hưng Yên", "co-so"),
]

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hoàng", "Quốc", "Thu", "Đức", "Hữu", "Mỹ", "Kim"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hòa", "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long",
         "Mai", "Nam", "Nga", "Phúc", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Thắng", "Trang", "Tuấn", "Vân", "Yến"]
POSITIONS = ["Công chức Văn phòng - Thống kê", "Công chức Tư pháp - Hộ tịch", "Chuyên viên Phòng Nội vụ", "Phó Trưởng phòng",
             "Công chức Địa chính - Xây dựng", "Viên chức phụ trách công nghệ thông tin", "Trưởng khoa", "Điều dưỡng trưởng"]
QUALIFICATIONS = ["Cử nhân Luật", "Cử nhân Công nghệ thông tin", "Thạc sĩ Quản lý công", "Cử nhân Quản lý nhà nước", "Bác sĩ đa khoa"]
FIELDS = ["Cải cách thủ tục hành chính cấp xã", "Xây dựng chính quyền số", "Tiếp nhận và trả kết quả theo cơ chế một cửa",
          "Quản lý văn bản và điều hành", "Khám, chữa bệnh và thanh toán bảo hiểm y tế", "Thu hút đầu tư vào khu công nghiệp"]
INDICATORS = [("Thời gian giải quyết hồ sơ", "ngày", "thap-hon", 5, 20), ("Tỷ lệ hồ sơ trực tuyến", "%", "cao-hon", 10, 95),
              ("Tỷ lệ hồ sơ trễ hẹn", "%", "thap-hon", 1, 30), ("Lượt người dân phải đến trụ sở", "lượt/tháng", "thap-hon", 50, 600),
              ("Mức độ hài lòng của người dân", "%", "cao-hon", 60, 99)]


def _dates(rng: random.Random, seed: Seed) -> tuple[str, str]:
    from datetime import date, timedelta

    start, end = date.fromisoformat(seed.opens), date.fromisoformat(seed.closes)
    submitted = start + timedelta(days=rng.randint(0, (end - start).days))
    first = submitted - timedelta(days=rng.randint(30, 400))
    return submitted.isoformat(), first.isoformat()


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def entry_text(rng: random.Random, entry_id: str, seed: Seed, unit: str, campaign: dict, words: int = 800) -> str:
    """`campaign`: the campaign.yaml the entry is submitted to (its id, areas, indices, forms)."""
    from sangkien.novelty import synthetic

    title, summary, body = synthetic.initiative(rng, words)
    submitted, first = _dates(rng, seed)
    group = rng.random() < 0.4
    count = rng.randint(2, 3) if group else 1
    shares = [100] if count == 1 else ([60, 40] if count == 2 else [50, 30, 20])
    workplace = f"Đơn vị {unit}"
    authors = []
    for i in range(count):
        rep = "\n    representative: true" if group and i == 0 else ""
        authors.append(f"  - name: {_person(rng)}\n    position: {rng.choice(POSITIONS)}\n    workplace: {workplace}\n"
                       f"    qualification: {rng.choice(QUALIFICATIONS)}\n    contribution: {shares[i]}{rep}\n")
    areas = rng.sample([a for a in campaign.get("areas") or []], 2)
    indices = [i for i in campaign.get("indices") or []][:2]
    forms = (campaign.get("forms") or ["bai-viet"])[:1]
    results = []
    for name, unit_name, better, low, high in rng.sample(INDICATORS, 2):
        before, after = rng.randint(low, high), rng.randint(low, high)
        results.append(f"  - indicator: {name}\n    baseline: {before}\n    result: {after}\n    unit: {_q(unit_name)}\n    better: {better}\n"
                       f"    period: Sáu tháng áp dụng so với cùng kỳ năm trước\n")
    return (
        f"---\nid: {entry_id}\ntitle: {_q(title)}\ncampaign: {campaign['id']}\nunit: {unit}\nsubmitted: \"{submitted}\"\n"
        f"participation: {'nhom' if group else 'ca-nhan'}\nauthors:\n{''.join(authors)}"
        f"field: {rng.choice(FIELDS)}\nareas: [{', '.join(areas)}]\nindices: [{', '.join(indices)}]\nsolution_type: tac-nghiep\n"
        f"application_status: da-ap-dung\nfirst_applied: \"{first}\"\nscope: huyen\nforms: [{', '.join(forms)}]\n"
        f"conditions: Có máy tính kết nối Internet, tài khoản trên hệ thống dùng chung và một buổi tập huấn cho công chức phụ trách.\n"
        f"benefits_author: Người dân và doanh nghiệp đi lại ít hơn, hồ sơ được giải quyết nhanh hơn và công khai tiến độ từng bước.\n"
        f"benefits_appliers: Công chức tra cứu hồ sơ nhanh hơn, giảm việc nhập lại dữ liệu và số hồ sơ phải yêu cầu bổ sung.\n"
        f"results:\n{''.join(results)}summary: {_q(summary)}\nkeywords: [cải cách hành chính, một cửa, chuyển đổi số]\n"
        f"illustrative: true\n---\n\n{body}\n"
    )


def _campaign(root: Path, seed: Seed) -> dict:
    return yaml.safe_load((root / "entries" / seed.campaign / "campaign.yaml").read_text(encoding="utf-8"))


def _copy_campaign(root: Path, seed: Seed, part: int) -> dict:
    """The seed campaign under the id `<seed>-<part + 1>` (part >= 1): same plan, window and units."""
    data = _campaign(root, seed)
    data["id"] = f"{seed.campaign}-{part + 1}"
    data["title"] = f"{data['title']} (bản thử {part + 1})"
    folder = root / "entries" / data["id"]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "campaign.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8")
    return data


def generate(dest: Path, n: int, recognised: float = 0.5, seed: int = 2024, words: int = 800, git: bool = True,
             per_campaign: int = 10_000) -> list[str]:
    """Copy the repository's data to `dest` and add n entries; return their paths (repository-relative).
    A seed campaign takes at most `per_campaign` of them; the next go to copies of it."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("entries", "schema", "docs"):
        shutil.copytree(ROOT / name, dest / name, dirs_exist_ok=True)
    shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    if not (dest / "tools").exists():  # mkdocs.yml names the theme overrides under tools/ (as tests/conftest.py site_copy)
        (dest / "tools").symlink_to(ROOT / "tools", target_is_directory=True)
    rng = random.Random(seed)
    campaigns = {(s.campaign, 0): _campaign(dest, s) for s in SEEDS}
    chosen: dict[tuple[str, int], list[str]] = {}
    paths = []
    for i in range(n):
        s = SEEDS[i % len(SEEDS)]
        part = (i // len(SEEDS)) // per_campaign
        if (s.campaign, part) not in campaigns:
            campaigns[(s.campaign, part)] = _copy_campaign(dest, s, part)
        campaign = campaigns[(s.campaign, part)]
        units = campaign["eligible_units"]
        unit = units[rng.randrange(len(units))]
        entry_id = f"bn-{s.short}-{i:05d}"
        rel = f"entries/{campaign['id']}/{unit}/{entry_id}.md"
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        (dest / rel).write_text(entry_text(rng, entry_id, s, unit, campaign, words), encoding="utf-8")
        paths.append(rel)
        if rng.random() < recognised:
            chosen.setdefault((s.campaign, part), []).append(entry_id)
    seeds = {s.campaign: s for s in SEEDS}
    for (name, part), ids in chosen.items():
        campaign_id = campaigns[(name, part)]["id"]
        _recognise(dest / "entries" / campaign_id / "decisions.yaml", seeds[name], ids, campaign_id)
    if git:
        _git(dest, "init", "-q", "-b", "main")
        _git(dest, "config", "gc.auto", "0")  # no background repack of 10,000 new objects during the measurements
        _git(dest, "add", "-A")
        _git(dest, "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", "commit", "-q", "-m", "synthetic entries")
    return paths


def _recognise(path: Path, seed: Seed, ids: list[str], campaign: str) -> None:
    """Screen the chosen entries as passed and recognise them in one synthetic decision."""
    if not ids:
        return
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {"campaign": campaign}
    data.setdefault("screening", [])
    data["screening"] = (data["screening"] or []) + [{"entry": x, "result": "dat", "date": seed.decided} for x in ids]
    data.setdefault("recognitions", [])
    data["recognitions"] = (data["recognitions"] or []) + [{
        "number": f"9{len(ids)}/QĐ-BENCH", "date": seed.decided, "issuer": seed.issuer, "signer": "Chủ tịch Hội đồng (dữ liệu thử)",
        "level": seed.level, "title": "Quyết định công nhận sáng kiến (dữ liệu thử hiệu năng)", "entries": [{"entry": x} for x in ids]}]
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200)
    path.write_text(text, encoding="utf-8")


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


if __name__ == "__main__":  # python benchmarks/synth.py DEST N
    import sys

    made = generate(Path(sys.argv[1]), int(sys.argv[2]))
    print(f"{len(made)} entries in {sys.argv[1]}")
