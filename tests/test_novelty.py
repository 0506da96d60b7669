"""Novelty check: Vietnamese text preparation, the index on planted duplicates, the feature
cache, and precision/recall on the labelled evaluation set through the real CLI."""

from __future__ import annotations

import os
import random
import re
from pathlib import Path

import numpy as np
import pytest
from conftest import FIXTURES, ROOT, run_sangkien
from sangkien.novelty import abbrev, compare, corpus, index, search, synthetic
from sangkien.novelty.prepare import compose, prepare
from sangkien.novelty.thresholds import Thresholds
from sangkien.reader import read_yaml

PAIRS = FIXTURES / "novelty" / "pairs.yaml"
TABLE = abbrev.load()


def tokens(text: str) -> list[str]:
    return prepare(text, TABLE).tokens


# ----------------------------------------------------------------- preparation
def test_abbreviations_expand_to_the_same_syllables_as_the_full_words():
    assert tokens("UBND xã lập hồ sơ TTHC") == tokens("Ủy ban nhân dân xã lập hồ sơ thủ tục hành chính")
    assert tokens("CBCCVC của HĐND") == tokens("cán bộ, công chức, viên chức của Hội đồng nhân dân")
    assert tokens("Sở TN&MT") == tokens("Sở Tài nguyên và Môi trường")  # several tokens: TN & MT
    assert tokens("chỉ tiêu KT-XH") == tokens("chỉ tiêu kinh tế - xã hội")
    assert tokens("VBQPPL, BHXH, DVC, CCHC") == tokens("văn bản quy phạm pháp luật, bảo hiểm xã hội, dịch vụ công, cải cách hành chính")


def test_folding_tones_and_d_bar():
    assert tokens("Đăng ký đất đai ĐIỆN TỬ") == ["dang", "ki", "dat", "dai", "dien", "tu"]  # ký/kí: one spelling
    assert tokens("Hoà") == tokens("Hòa") == ["hoa"]
    assert tokens("kĩ thuật") == tokens("kỹ thuật")
    assert tokens("HĐND") == tokens("HDND")  # typed without đ: the same abbreviation


def test_only_upper_case_text_is_an_abbreviation():
    assert tokens("ubnd") == ["ubnd"]  # lower case is left alone
    table = abbrev.Abbreviations()
    table.add("DA", "dự án")
    assert prepare("da dẻ; DA đầu tư", table).tokens == ["da", "de", "du", "an", "dau", "tu"]


def test_each_token_points_back_to_the_original_text():
    p = prepare("Văn phòng HĐND huyện", TABLE)
    spans = {p.text[s:e] for s, e in zip(p.starts, p.ends, strict=True)}
    assert spans == {"Văn", "phòng", "HĐND", "huyện"}
    assert p.tokens[2:6] == ["hoi", "dong", "nhan", "dan"]


def test_template_headings_are_not_compared():
    text = compose("Tên", "Tóm tắt.", "## Thực trạng\n\nNgười dân đi lại.\n\n## Giải pháp: mã QR\n\nQuét mã.")
    assert "Thực trạng" not in text and "Giải pháp: mã QR" in text


def test_the_shipped_table_matches_its_schema():
    import json

    from jsonschema import Draft202012Validator

    schema = json.loads((ROOT / "schema" / "abbreviations.schema.json").read_text(encoding="utf-8"))
    data = read_yaml(abbrev.DEFAULT_FILE.read_bytes(), "abbreviations.yaml").data
    assert list(Draft202012Validator(schema).iter_errors(data)) == []
    assert len(data["abbreviations"]) >= 40


def test_repository_override_extends_and_wins(tmp_path: Path):
    (tmp_path / "entries").mkdir()
    (tmp_path / "entries" / "abbreviations.yaml").write_text(
        "abbreviations:\n  PVHCC: phục vụ hành chính công\n  DVC: dịch vụ công cấp xã\n  sai: bỏ qua\n", encoding="utf-8")
    table = abbrev.load(tmp_path)
    assert prepare("Trung tâm PVHCC", table).tokens == prepare("Trung tâm phục vụ hành chính công", table).tokens
    assert prepare("DVC", table).tokens == ["dich", "vu", "cong", "cap", "xa"]
    assert table.fingerprint() != TABLE.fingerprint()


# ----------------------------------------------------------------- exact comparison
def test_copy_with_abbreviations_and_reordered_paragraphs_scores_as_a_copy():
    a = "Ủy ban nhân dân xã lập tài khoản Zalo chính thức để báo kết quả thủ tục hành chính cho người dân.\n\nNgười dân quét mã khi nộp hồ sơ tại Bộ phận Một cửa."
    b = "Người dân quét mã khi nộp hồ sơ tại BPMC.\n\nUBND xã lập tài khoản Zalo chính thức để báo kết quả TTHC cho người dân."
    m = compare.measure(compare.Features.of(prepare(a, TABLE)), compare.Features.of(prepare(b, TABLE)))
    assert m.overlap > 0.9 and m.score > 0.9


def test_shared_passages_are_found_in_the_original_spelling():
    a = prepare("Mở đầu khác. Công chức Một cửa quét toàn bộ thành phần hồ sơ ngay tại quầy tiếp nhận. Kết thúc riêng.", TABLE)
    b = prepare("Ở xã bạn: công chức một cửa quét toàn bộ thành phần hồ sơ ngay tại quầy tiếp nhận rồi trả.", TABLE)
    found = compare.passages(a, b)
    assert [a.text[p.start:p.end] for p in found] == ["Công chức Một cửa quét toàn bộ thành phần hồ sơ ngay tại quầy tiếp nhận"]


# ----------------------------------------------------------------- the index on planted duplicates
def _plant(tmp_path: Path, n: int = 400, planted: int = 25) -> tuple[Path, list[tuple[str, str]]]:
    """A repository of synthetic entries with planted near-copies (later entries copying earlier ones)."""
    rng = random.Random(7)
    root = tmp_path / "kho"
    texts = []
    for i in range(n):
        title, summary, body = synthetic.initiative(rng, 250)
        texts.append((f"bai-{i:04d}", title, summary, body))
    pairs = []
    for k in range(planted):
        src = texts[rng.randrange(n)]
        paragraphs = src[3].split("\n\n")
        kind = k % 4
        if kind == 0:  # paragraphs reordered
            body = "\n\n".join(paragraphs[2:] + paragraphs[:2])
        elif kind == 1:  # abbreviations written out, new title
            body = src[3].replace("UBND", "Ủy ban nhân dân").replace("TN&MT", "Tài nguyên và Môi trường")
        elif kind == 2:  # a fifth of new text appended
            body = src[3] + "\n\n" + synthetic.initiative(rng, 60)[2]
        else:  # pasted whole into an entry three times longer: low Jaccard, full containment
            body = synthetic.initiative(rng, 400)[2] + "\n\n" + src[3] + "\n\n" + synthetic.initiative(rng, 350)[2]
        copy_id = f"chep-{k:03d}"
        texts.append((copy_id, src[1] if kind != 1 else "Tên mới " + src[1], src[2], body))
        pairs.append((copy_id, src[0]))
    for i, (entry_id, title, summary, body) in enumerate(texts):
        campaign = "tm-2023" if i < n else "tm-2024"
        day = f"2023-0{1 + i % 6}-1{i % 9}" if campaign == "tm-2023" else "2024-05-20"
        path = root / "entries" / campaign / "don-vi" / f"{entry_id}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(synthetic.front_matter(entry_id, campaign, "don-vi", day, title, summary) + body + "\n", encoding="utf-8")
    return root, pairs


def test_index_finds_every_planted_duplicate(tmp_path: Path):
    root, pairs = _plant(tmp_path)
    data = corpus.from_files(root, TABLE, use_cache=False)
    searcher = search.Searcher(data)
    found = searcher.scan({"tm-2023": Thresholds().warn, "tm-2024": Thresholds().warn})
    by_id = data.by_id()
    for copy_id, source_id in pairs:
        matches = [m.item.id for m in found.get(by_id[copy_id].path, [])]
        assert source_id in matches, (copy_id, source_id, matches)
        assert searcher.query(by_id[copy_id], top=1)[0].item.id == source_id
    planted = {copy for copy, _ in pairs} | {src for _, src in pairs}
    paths = data.by_path()
    false = [(p, m.item.id) for p, ms in found.items() for m in ms if paths[p].id not in planted or m.item.id not in planted]
    assert false == []  # unrelated synthetic entries never reach the threshold


def test_lsh_alone_proposes_copies_and_earlier_entries_only(tmp_path: Path):
    root, pairs = _plant(tmp_path, n=150, planted=6)
    data = corpus.from_files(root, TABLE, use_cache=False)
    searcher = search.Searcher(data)
    by_id = data.by_id()
    for k, (copy_id, source_id) in enumerate(pairs):
        proposed = {searcher.items[j].id for j in searcher.index.lsh(by_id[copy_id].signature)}
        if k % 4 != 3:  # the 4th kind (pasted into a text 3x longer) has a Jaccard LSH is not built for
            assert source_id in proposed
        # the 2023 source never sees its 2024 copy: only earlier or same-campaign entries count
        assert copy_id not in [m.item.id for m in searcher.query(by_id[source_id], top=50)]


def test_minhash_estimates_jaccard():
    rng = np.random.default_rng(3)
    base = np.unique(rng.integers(0, 2**32, 2000, dtype=np.uint64).astype(np.uint32))
    half = np.unique(np.concatenate([base[:1000], rng.integers(0, 2**32, 1000, dtype=np.uint64).astype(np.uint32)]))
    exact = len(np.intersect1d(base, half)) / len(np.union1d(base, half))
    estimate = float(np.mean(index.signature(base) == index.signature(half)))
    assert abs(estimate - exact) < 0.1


# ----------------------------------------------------------------- the feature cache
def test_cache_gives_the_same_features_and_notices_a_changed_file(tmp_path: Path, monkeypatch):
    from conftest import git

    root, _ = _plant(tmp_path, n=30, planted=2)
    git(root, "init", "-q")
    monkeypatch.delenv("SANGKIEN_NO_CACHE", raising=False)
    cold = corpus.from_files(root, TABLE, use_cache=False)
    first = corpus.from_files(root, TABLE)
    assert (root / ".git" / "sangkien" / "novelty-cache.npz").is_file()
    warm = corpus.from_files(root, TABLE)
    for a, b, c in zip(cold.items, first.items, warm.items, strict=True):
        assert a.path == b.path == c.path and a.entry.title == c.entry.title
        assert np.array_equal(a.features.shingles, c.features.shingles) and np.array_equal(a.signature, c.signature)
        assert np.allclose(a.features.weights, c.features.weights)
    target = root / cold.items[0].path
    before = target.stat()
    changed = target.read_text(encoding="utf-8").replace("## Giải pháp", "## Giảm pháp", 1)  # same size, other bytes
    assert len(changed.encode()) == before.st_size and changed.encode() != target.read_bytes()
    target.write_text(changed, encoding="utf-8")
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))  # the same times as the cached copy
    again = corpus.from_files(root, TABLE)
    assert not np.array_equal(again.items[0].features.shingles, cold.items[0].features.shingles)


def test_cache_is_warm_on_a_fresh_copy_with_other_file_times(tmp_path: Path, monkeypatch):
    """A CI runner restores main's cache into a new clone: same bytes, new times."""
    import shutil

    from conftest import git
    from sangkien.novelty import cache

    root, _ = _plant(tmp_path / "a", n=12, planted=1)
    outside = tmp_path / "cache"
    monkeypatch.delenv("SANGKIEN_NO_CACHE", raising=False)
    monkeypatch.setenv("SANGKIEN_CACHE_DIR", str(outside))
    git(root, "init", "-q")
    first = corpus.from_files(root, TABLE)
    assert (outside / cache.NAME).is_file()
    clone = tmp_path / "b"
    shutil.copytree(root, clone)  # copytree without copy2 times: every file is newer
    for path in (clone / "entries").rglob("*.md"):
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**12))
    prepared = []
    real = corpus._prepare_texts
    monkeypatch.setattr(corpus, "_prepare_texts", lambda texts: prepared.extend(texts) or real(texts))
    warm = corpus.from_files(clone, TABLE)
    assert prepared == [] and len(warm.items) == len(first.items)


# ----------------------------------------------------------------- evaluation through the CLI
def test_evaluation_set_is_large_and_covers_every_category():
    doc = read_yaml(PAIRS.read_bytes(), "pairs.yaml")
    pairs = doc.data["pairs"]
    assert len(pairs) >= 60
    cats = {p["category"] for p in pairs}
    assert cats == {"ban-sao", "viet-tat", "dao-doan", "dien-dat-lai", "cung-chu-de", "khac-chu-de"}
    assert {p["duplicate"] for p in pairs if p["category"] == "dien-dat-lai"} == {True}
    assert {p["duplicate"] for p in pairs if p["category"] in ("cung-chu-de", "khac-chu-de")} == {False}


def test_evaluate_reports_precision_and_recall_of_at_least_0_9():
    done = run_sangkien("similar", "--evaluate", cwd=ROOT)
    assert done.returncode == 0, done.stderr
    precision = float(re.search(r"Độ chính xác \(precision\): ([0-9.]+)", done.stdout).group(1))
    recall = float(re.search(r"Độ bao phủ \(recall\): ([0-9.]+)", done.stdout).group(1))
    assert precision >= 0.9 and recall >= 0.9, done.stdout
    for label in ("Chép nguyên văn", "Diễn đạt lại cùng ý tưởng", "Cùng chủ đề, giải pháp khác", "Không liên quan"):
        assert label in done.stdout


def test_evaluate_can_fail_when_the_labels_are_wrong(tmp_path: Path):
    flipped = PAIRS.read_text(encoding="utf-8").replace("category: khac-chu-de, duplicate: false", "category: khac-chu-de, duplicate: true")
    (tmp_path / "sai.yaml").write_text(flipped, encoding="utf-8")
    done = run_sangkien("similar", "--evaluate", str(tmp_path / "sai.yaml"), cwd=ROOT)
    recall = float(re.search(r"Độ bao phủ \(recall\): ([0-9.]+)", done.stdout).group(1))
    assert recall < 0.9


@pytest.mark.parametrize("text, message", [
    ("texts: {}\n", "pairs"),
    ("texts:\n  a: {title: A, summary: B, body: C}\npairs:\n  - {a: a, b: z, category: x, duplicate: true}\n", "mã văn bản"),
    ("texts: [\n", "không đọc được"),
])
def test_evaluate_explains_a_broken_pairs_file(tmp_path: Path, text: str, message: str):
    (tmp_path / "hong.yaml").write_text(text, encoding="utf-8")
    done = run_sangkien("similar", "--evaluate", str(tmp_path / "hong.yaml"), cwd=ROOT)
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr


def test_empty_and_tiny_texts_do_not_break_the_index():
    texts = ["", "Một", "Ủy ban nhân dân xã", "UBND xã lập tài khoản Zalo để báo kết quả hồ sơ cho người dân.", ""]
    features = [compare.Features.of(prepare(t, TABLE)) for t in texts]
    compare.weigh_all(features)
    sigs = np.stack([index.signature(f.shingles) for f in features])
    ix = index.Index(features, sigs)
    assert ix.cosines(features[0]).tolist() == [0.0] * 5
    assert ix.cosines(features[3])[3] == pytest.approx(1.0, abs=1e-5)
    assert ix.lsh_pairs() is not None and ix.cosine_block(0, 5).shape == (5, 5)
    assert compare.measure(features[0], features[4]).score == 0.0


def test_parallel_preparation_gives_the_same_features(tmp_path: Path, monkeypatch):
    root, _ = _plant(tmp_path, n=260, planted=4)
    monkeypatch.setenv("SANGKIEN_JOBS", "1")
    serial = corpus.from_files(root, TABLE, use_cache=False)
    monkeypatch.setenv("SANGKIEN_JOBS", "2")
    forked = corpus.from_files(root, TABLE, use_cache=False)
    assert [i.path for i in serial.items] == [i.path for i in forked.items]
    for a, b in zip(serial.items, forked.items, strict=True):
        assert a.entry.data == b.entry.data and np.array_equal(a.signature, b.signature)
        assert np.array_equal(a.features.shingles, b.features.shingles) and np.array_equal(a.features.weights, b.features.weights)
