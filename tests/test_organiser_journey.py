"""Issue #15 as an organiser would try it, on a fresh copy of the repository, with the real CLI only:
import a post-reform province's communes, give two of them accounts, start a 2027 campaign, take two
submissions while it is open, screen them, score them with three members' sheets, decide, and make
every paper. No YAML is written by hand except the two entries (what the units themselves submit).

Each paper is checked for its structure (NĐ 30/2020 header, numbering, tables, A4, Times New Roman 14,
vi-VN) and rendered LibreOffice -> PDF -> PNG into tests/artefacts/journey/ (or
$SANGKIEN_TEST_ARTEFACTS/journey) so a person can look at every page.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, build_site, git
from docx import Document
from docx.shared import Cm, Pt
from helpers.cli import run_cli
from helpers.council_kit import entry_rows, fill
from sangkien.textnorm import slugify as slug_of

CAMPAIGN = "kh-sang-kien-2027"
ENTRIES = {
    "kh-thuan-nam": ("tra-ket-qua-qua-buu-dien-xa", "Trả kết quả thủ tục hành chính qua điểm bưu điện văn hóa xã Thuận Nam", "2027-04-20"),
    "kh-ca-na": ("lich-tiep-nhan-luu-dong-tai-thon", "Lịch tiếp nhận hồ sơ lưu động tại nhà văn hóa thôn xã Cà Ná", "2027-05-12"),
}
MEMBERS = ["Lê Văn An", "Phạm Thị Bình", "Hoàng Văn Cường"]
SCORES = {  # member -> entry -> (tính mới /40, khả thi /30, hiệu quả /30)
    "Lê Văn An": {"tra-ket-qua-qua-buu-dien-xa": (36, 27, 26), "lich-tiep-nhan-luu-dong-tai-thon": (30, 25, 24)},
    "Phạm Thị Bình": {"tra-ket-qua-qua-buu-dien-xa": (35, 26, 27), "lich-tiep-nhan-luu-dong-tai-thon": (32, 24, 25)},
    "Hoàng Văn Cường": {"tra-ket-qua-qua-buu-dien-xa": (37, 28, 25), "lich-tiep-nhan-luu-dong-tai-thon": (31, 26, 23)},
}
BEFORE = "2027-01-10T09:00:00+07:00"  # the organiser prepares the campaign
OPEN = "2027-05-20T09:00:00+07:00"  # inside the window 01/03-30/06/2027
COUNCIL = "2027-07-22T09:00:00+07:00"  # after the window: screening, scoring, papers, decision
AFTER = "2027-08-01T09:00:00+07:00"  # the public site after the decision


def entry_text(unit: str, slug: str, title: str, submitted: str) -> str:
    commune = title.rsplit(" xã ", 1)[1]
    return f"""---
id: {slug}
title: {title}
campaign: {CAMPAIGN}
unit: {unit}
submitted: "{submitted}"
participation: ca-nhan
authors:
  - name: Nguyễn Thị Lan
    position: Công chức Văn phòng - Thống kê
    workplace: UBND xã {commune}
    contribution: 100
field: Giải quyết thủ tục hành chính cấp xã
areas: [thu-tuc-hanh-chinh]
indices: [SIPAS]
solution_type: tac-nghiep
application_status: da-ap-dung
first_applied: "2027-01-15"
scope: xa
forms: [bai-viet]
conditions: Thỏa thuận với bưu điện; sổ theo dõi giao nhận hồ sơ.
benefits_author: Người dân không phải lên trụ sở xã nhiều lần.
results:
  - indicator: Số lượt người dân phải đến trụ sở xã mỗi tháng
    baseline: 320
    result: 90
    unit: lượt
    better: thap-hon
    period: Quý I/2027
summary: {title}, áp dụng từ đầu năm 2027 tại xã {commune}.
keywords: [thủ tục hành chính, cấp xã]
---

## Thực trạng

Người dân các thôn xa xã {commune} phải lên trụ sở xã nhiều lần để nộp hồ sơ và nhận kết quả.

## Giải pháp

{title}: công chức xã làm việc theo lịch cố định, có sổ giao nhận.

## Cách nhân rộng

Áp dụng được ở các xã có thôn xa trụ sở.
"""


def sangkien(root: Path, now: str, *args: str):
    done = run_cli([*args, "--root", str(root)], cwd=root, env={**os.environ, "SANGKIEN_NOW": now, "PYTHONIOENCODING": "utf-8"})
    assert done.code == 0, f"sangkien {' '.join(args)}\n{done.stdout}\n{done.stderr}"
    return done


def artefacts() -> Path:
    base = os.environ.get("SANGKIEN_TEST_ARTEFACTS")
    folder = (Path(base) if base else ROOT / "tests" / "artefacts") / "journey"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def journey(tmp_path_factory) -> dict:
    """The whole lifecycle once; the tests below look at what it left."""
    base = tmp_path_factory.mktemp("journey")
    root = base / "kho"
    root.mkdir()
    for name in ("entries", "schema", "docs"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy2(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    (root / "tools").symlink_to(ROOT / "tools", target_is_directory=True)  # mkdocs.yml names the theme overrides there
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "bản sao mới")
    out: dict = {"root": root}

    # The organiser: the province's communes, two of them with accounts, then the campaign.
    out["import"] = sangkien(root, BEFORE, "units", "import", "Khánh Hòa")
    for unit, account in (("kh-thuan-nam", "thuannam-demo"), ("kh-ca-na", "cana-demo")):
        sangkien(root, BEFORE, "units", "accounts", unit, account)
    out["campaign"] = sangkien(
        root, BEFORE, "campaign", "new", "--yes", "--kind", "sang-kien", "--id", CAMPAIGN,
        "--title", "Phát động sáng kiến cải cách hành chính năm 2027 trên địa bàn tỉnh", "--issuer", "kh-ubnd-tinh-moi",
        "--signer", "KT. Chủ tịch, Phó Chủ tịch Trần Văn Bình", "--plan-number", "12/KH-UBND", "--plan-date", "05/01/2027",
        "--place", "Khánh Hòa", "--legal-basis", "76/NQ-CP|15/07/2021|Nghị quyết của Chính phủ ban hành Chương trình tổng thể "
        "cải cách hành chính nhà nước giai đoạn 2021-2030", "--opens", "01/03/2027", "--closes", "30/06/2027", "--levels", "xa",
        "--min-entries", "1", "--stage", "Sơ loại|15/07/2027", "--stage", "Chấm điểm, công nhận|31/08/2027",
        "--receiver", "UBND tỉnh (qua Sở Nội vụ)", "--method", "Gửi qua kho sáng kiến của tỉnh", "--yearly", "co")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "phát động đợt 2027")

    # Two units submit while the campaign is open; the check a PR gets passes.
    base_rev = git(root, "rev-parse", "HEAD")
    for unit, (slug, title, day) in ENTRIES.items():
        target = root / "entries" / CAMPAIGN / unit / f"{slug}.md"
        target.parent.mkdir(parents=True)
        target.write_text(entry_text(unit, slug, title, day), encoding="utf-8")
    out["submitted"] = sangkien(root, OPEN, "validate", "--base", base_rev)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "hai bài dự thi")

    # The council: screening, three members' sheets, results, the papers, the decision.
    slugs = [slug for slug, _, _ in ENTRIES.values()]
    sangkien(root, COUNCIL, "screen", CAMPAIGN, *slugs, "--pass", "--date", "03/07/2027")
    sheets = base / "phieu"
    sangkien(root, COUNCIL, "scoresheet", CAMPAIGN, *[a for m in MEMBERS for a in ("--member", m)], "--out", str(sheets))
    files = sorted(sheets.glob("*.xlsx"))
    assert len(files) == 3
    for member in MEMBERS:
        [sheet] = [f for f in files if f.stem.endswith(slug_of(member))]
        assert set(entry_rows(sheet)) == set(slugs)
        fill(sheet, SCORES[member], day="10/07/2027")
    out["scores"] = sangkien(root, COUNCIL, "scores", "import", CAMPAIGN, *map(str, files))
    out["results"] = sangkien(root, COUNCIL, "results", CAMPAIGN, "--out", str(base / "ket-qua.xlsx"))
    papers = base / "van-ban"
    sangkien(root, COUNCIL, "dossier", CAMPAIGN, "--submission", "--minutes", "--decision", "--date", "20/07/2027",
             "--chair", "Trần Văn Bình", "--secretary", "Võ Thị Hoa", "--present", *MEMBERS, "--out", str(papers), "--pdf")
    for slug in slugs:
        sangkien(root, COUNCIL, "dossier", slug, "--out", str(papers), "--pdf")
    out["decide"] = sangkien(root, COUNCIL, "decide", CAMPAIGN, "--number", "145/QĐ-UBND", "--date", "22/07/2027",
                             "--level", "tinh", "--entry", *slugs)
    out["validated"] = sangkien(root, AFTER, "validate")
    out["papers"] = papers
    out["slugs"] = slugs
    return out


def test_the_communes_and_the_campaign_are_made_by_commands(journey: dict) -> None:
    root: Path = journey["root"]
    units = {u["id"]: u for u in yaml.safe_load((root / "entries/units.yaml").read_text(encoding="utf-8"))["units"]}
    communes = [u for u in units.values() if u.get("parent") == "kh-ubnd-tinh-moi" and u["kind"] == "ubnd-xa"]
    assert len(communes) == 65 and all(re.fullmatch(r"\d{5}", u["admin_code"]) and u["valid_from"] == "2025-07-01" for u in communes)
    assert units["kh-thuan-nam"]["accounts"] == ["thuannam-demo"] and units["kh-thuan-nam"]["official_name"] == "Ủy ban nhân dân xã Thuận Nam"
    camp = yaml.safe_load((root / f"entries/{CAMPAIGN}/campaign.yaml").read_text(encoding="utf-8"))
    assert camp["eligible_levels"] == ["xa"] and camp["window"]["opens"]["date"] == "2027-03-01"
    assert camp["issuer"]["name"] == "Ủy ban nhân dân tỉnh Khánh Hòa" and camp["recurrence"]["every"] == "nam"


def test_screening_scores_and_decision_are_recorded_and_valid(journey: dict) -> None:
    root: Path = journey["root"]
    decisions = yaml.safe_load((root / f"entries/{CAMPAIGN}/decisions.yaml").read_text(encoding="utf-8"))
    assert {s["entry"]: s["result"] for s in decisions["screening"]} == dict.fromkeys(journey["slugs"], "dat")
    assert sorted({s["member"] for s in decisions["scores"]}) == sorted(MEMBERS) and len(decisions["scores"]) == 6
    [recognition] = decisions["recognitions"]
    assert recognition["number"] == "145/QĐ-UBND" and recognition["date"] == "2027-07-22"
    assert sorted(e["entry"] for e in recognition["entries"]) == sorted(journey["slugs"])
    assert "0 lỗi" in journey["validated"].stdout


def test_the_catalogue_shows_both_recognised_initiatives(journey: dict) -> None:
    root: Path = journey["root"]
    done = build_site(root, "--strict", now=AFTER)
    assert done.returncode == 0, done.stdout + done.stderr
    for slug, title, _ in ENTRIES.values():
        page = (root / "site" / "sang-kien" / slug / "index.html").read_text(encoding="utf-8")
        assert title in page
    campaign_page = (root / "site" / "dot" / CAMPAIGN / "index.html").read_text(encoding="utf-8")
    assert "Lê Văn An" not in campaign_page  # council members' scores are never public


def paragraphs(doc) -> list[str]:
    return [p.text for p in doc.paragraphs if p.text.strip()]


def check_structure(path: Path) -> Document:
    doc = Document(str(path))
    section = doc.sections[0]
    assert abs(section.page_width - Cm(21)) < Cm(0.05) and abs(section.page_height - Cm(29.7)) < Cm(0.05)
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(14)
    with zipfile.ZipFile(path) as z:
        assert "en-US" not in z.read("word/styles.xml").decode()
        assert 'w:val="vi-VN"' in z.read("word/styles.xml").decode()
    return doc


def header(doc) -> tuple[str, str]:
    left, right = doc.tables[0].rows[0].cells
    return left.text, right.text


def test_every_paper_has_the_administrative_format(journey: dict) -> None:
    papers: Path = journey["papers"]
    names = sorted(p.name for p in papers.glob("*.docx"))
    assert names == sorted([f"bien-ban-{CAMPAIGN}.docx", f"quyet-dinh-{CAMPAIGN}.docx", f"to-trinh-{CAMPAIGN}.docx",
                            *[f"{slug}.docx" for slug in journey["slugs"]]]), names
    for kind in ("to-trinh", "bien-ban", "quyet-dinh"):
        doc = check_structure(papers / f"{kind}-{CAMPAIGN}.docx")
        left, right = header(doc)
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right and "Độc lập - Tự do - Hạnh phúc" in right
        assert "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA" in left and "(SAU HỢP NHẤT" not in left  # the official name, not the display name
        assert "Số:" in left and "Khánh Hòa, ngày" in right
    decision = Document(str(papers / f"quyet-dinh-{CAMPAIGN}.docx"))
    text = "\n".join(paragraphs(decision))
    assert "QUYẾT ĐỊNH" in text and "Điều 1." in text and "Căn cứ" in text and "Nơi nhận:" in "\n".join(
        c.text for t in decision.tables for r in t.rows for c in r.cells)
    annexed = [c.text for t in decision.tables for r in t.rows for c in r.cells]
    for _, title, _ in ENTRIES.values():
        assert any(title in cell for cell in annexed), title  # the annexed list names both initiatives
    minutes = Document(str(papers / f"bien-ban-{CAMPAIGN}.docx"))
    cells = "\n".join(c.text for t in minutes.tables for r in t.rows for c in r.cells)
    assert all(member in cells or member in "\n".join(paragraphs(minutes)) for member in MEMBERS)
    assert "Trần Văn Bình" in "\n".join(paragraphs(minutes)) + cells


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftoppm") is None, reason="LibreOffice hoặc pdftoppm không có trên máy này")
def test_every_paper_renders_to_a4_pages_kept_as_pictures(journey: dict) -> None:
    papers: Path = journey["papers"]
    folder = artefacts()
    pdfs = sorted(papers.glob("*.pdf"))
    assert len(pdfs) == 5
    for pdf in pdfs:
        for old in folder.glob(f"{pdf.stem}-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-png", "-r", "50", str(pdf), str(folder / pdf.stem)], check=True, capture_output=True)
        pages = sorted(folder.glob(f"{pdf.stem}-*.png"))
        info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
        assert re.search(rf"^Pages:\s+{len(pages)}$", info, re.M) and 1 <= len(pages) <= 8, (pdf.name, info)
        assert re.search(r"Page size:\s+595(\.\d+)? x 841(\.\d+)? pts \(A4\)", info), info
        assert all(png.stat().st_size > 3000 for png in pages)  # text on every page, no blank sheet
