"""Search index: words, fold, AND semantics, ranking, sharding, and what write_search writes."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from sangkien.model import Campaign, Decisions, Entry, Repository, Unit
from sangkien.site import search
from sangkien.site.search import Doc, IndexReader, build_index, tokens, write_search
from sangkien.textnorm import fold

DOCS = [
    # 0: "điện tử" in the title
    Doc("dien-tu", "Một cửa điện tử liên thông cấp xã", "sang-kien/dien-tu/", "Hồ sơ được tiếp nhận trên hệ thống.", "UBND xã Thành Long", "UBND tỉnh Tây Ninh"),
    # 1: "điện tử" only in the summary
    Doc("tom-tat", "Tổ công nghệ số cộng đồng tại ấp", "sang-kien/tom-tat/", "Hướng dẫn người dân dùng dịch vụ công điện tử.", "UBND xã Hảo Đước"),
    # 2: "dien" and "tu" with other tones: "Điền", "tư"
    Doc("khac-dau", "Cải cách thủ tục đầu tư tại xã Điền", "sang-kien/khac-dau/", "Tư vấn cho doanh nghiệp.", "UBND xã Điền"),
    # 3: Đồng Khởi in the unit name only (metadata)
    Doc("dong-khoi", "Ứng dụng mã QR tra cứu hồ sơ", "sang-kien/dong-khoi/", "Người dân quét mã để tra cứu.", "UBND xã Đồng Khởi", meta=["UBND xã Đồng Khởi"]),
    # 4: "đông" in the title: folds to "dong" too, but is not the spelling "Đồng"
    Doc("dong-tay", "Kết nối đông tây trong giải quyết hồ sơ", "sang-kien/dong-tay/", "Phối hợp giữa các phòng.", "Phòng Nội vụ"),
    # 5: old and new tone placement, kĩ/kỹ
    Doc("hoa", "Giải pháp kĩ thuật cho xã Hoà Thành", "sang-kien/hoa/", "Số hóa hồ sơ hộ tịch.", "UBND xã Hòa Thạnh"),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("chi-muc")
    for rel, data in build_index(DOCS).items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    return folder


def ids(folder: Path, query: str) -> list[str]:
    return [DOCS[d].id for d in IndexReader(folder).query(query).docs]


# ----------------------------------------------------------------- words and fold
@pytest.mark.parametrize(("text", "folded"), [
    ("Đồng Khởi", "dong khoi"), ("ĐIỆN TỬ", "dien tu"), ("Hoà", "hoa"), ("Hòa", "hoa"), ("kĩ", "ki"), ("kỹ", "ky"),
    (unicodedata.normalize("NFD", "Đồng Khởi"), "dong khoi"), ("Nghị định 13/2012/NĐ-CP", "nghi dinh 13/2012/nd-cp"),
])
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_tokens_keep_spelling_and_fold_key() -> None:
    assert tokens("Một cửa, PAR-INDEX; 123/QĐ-UBND") == [("một", "mot"), ("cửa", "cua"), ("par", "par"), ("index", "index"),
                                                         ("123", "123"), ("qđ", "qd"), ("ubnd", "ubnd")]
    # NFD input (as typed on some keyboards) gives the same words as NFC
    assert tokens(unicodedata.normalize("NFD", "Đồng Khởi")) == tokens("Đồng Khởi")


# ----------------------------------------------------------------- query semantics
def test_folded_query_finds_diacritics_and_d_stroke(index: Path) -> None:
    assert "dong-khoi" in ids(index, "dong")
    assert "dong-khoi" in ids(index, "dong khoi")
    assert ids(index, "Đồng Khởi") == ["dong-khoi"]
    assert set(ids(index, "hoa")) >= {"hoa"}  # Hoà / Hòa / hóa all fold to hoa


def test_multi_word_query_is_and(index: Path) -> None:
    assert ids(index, "tra cuu") == ["dong-khoi"]
    assert ids(index, "tra cuu dien") == []  # no entry has all three
    assert ids(index, "mot cua dien tu") == ["dien-tu"]


def test_exact_diacritics_rank_first_then_title_then_summary(index: Path) -> None:
    # "điện tử" spelled exactly: title match (0) before summary match (1); "Điền ... tư" (2) folds the same but ranks last
    assert ids(index, "điện tử") == ["dien-tu", "tom-tat", "khac-dau"]
    # typed without marks nothing is exact: both title matches first (2 also matches "tư" in its summary), then 1
    assert ids(index, "dien tu") == ["khac-dau", "dien-tu", "tom-tat"]
    # "Đồng" spelt exactly: in a title (1, "cộng đồng"), then in the unit name (3), before "đông" in a title (4)
    assert ids(index, "Đồng") == ["tom-tat", "dong-khoi", "dong-tay"]
    # typed "dong": nothing is exact, title matches (1, 4) before the unit name (3)
    assert ids(index, "dong") == ["tom-tat", "dong-tay", "dong-khoi"]


def test_old_and_new_tone_placement_and_ki_ky(index: Path) -> None:
    assert "hoa" in ids(index, "Hòa Thành")  # the title says "Hoà"
    assert ids(index, "kỹ thuật") == ["hoa"]  # the title says "kĩ"
    assert ids(index, "ky thuat") == ["hoa"] and ids(index, "ki thuat") == ["hoa"]
    assert tokens("kỹ kĩ lý quý tay tuy y") == [("kỹ", "ki"), ("kĩ", "ki"), ("lý", "li"), ("quý", "qui"), ("tay", "tay"), ("tuy", "tuy"), ("y", "y")]


def test_partly_typed_last_word_is_a_prefix(index: Path) -> None:
    assert ids(index, "tra cu") == ["dong-khoi"]  # "cu" is not an indexed word: prefix of "cuu"
    assert ids(index, "cộng đồ") == ["tom-tat"]
    assert ids(index, "ho") != []  # "hồ" is a whole word: no prefix expansion needed
    assert ids(index, "cu tra") == []  # only the last word may be partial
    assert ids(index, "x") == []  # one letter that is not a word: no expansion at all


def test_query_word_limit_keeps_first_words(index: Path) -> None:
    words = ["ung", "dung", "ma", "qr"] + ["tra"] * 3 + ["cuu", "ho", "so", "zzz"]
    assert len(search._query_words(" ".join(words))) == search.MAX_WORDS == 8
    assert ids(index, " ".join(words)) == ["dong-khoi"]  # "zzz" is the 9th distinct word: ignored


def test_empty_and_punctuation_queries(index: Path) -> None:
    assert ids(index, "") == []
    assert ids(index, " ,;-- ") == []


def test_sharding_does_not_change_results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, index: Path) -> None:
    monkeypatch.setattr(search, "SHARD_BYTES", 60)  # about one word per shard
    monkeypatch.setattr(search, "CHUNK", 2)
    files = build_index(DOCS)
    for rel, data in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(data)
    manifest = json.loads(files["manifest.json"])
    assert len(manifest["shards"]) > 20 and manifest["shards"] == sorted(manifest["shards"])
    for q in ["dong", "Đồng", "điện tử", "dien tu", "tra cu", "cộng đồ", "hoa", "mot cua dien tu", "kỹ thuật"]:
        assert ids(tmp_path, q) == ids(index, q), q
    # a first query only reads the shards of its own words
    fetched = IndexReader(tmp_path).query("Đồng Khởi").fetched
    assert [f for f in fetched if f.startswith("t/")] and len([f for f in fetched if f.startswith("t/")]) <= 2
    assert IndexReader(tmp_path).record(3)[:2] == ["Ứng dụng mã QR tra cứu hồ sơ", "sang-kien/dong-khoi/"]


# ----------------------------------------------------------------- from the model
def _repo() -> Repository:
    repo = Repository()
    repo.units["tinh"] = Unit("tinh", {"name": "UBND tỉnh Tây Ninh", "kind": "ubnd-tinh"})
    repo.units["xa"] = Unit("xa", {"name": "UBND xã Đồng Khởi", "kind": "ubnd-xa", "parent": "tinh"})
    repo.campaigns["dot"] = Campaign("dot", {"title": "Sáng kiến cải cách hành chính năm 2024"})
    common = {"campaign": "dot", "unit": "xa", "areas": ["chinh-quyen-so"], "indices": ["DTI"], "keywords": ["mã QR"]}
    for eid, title in [("a-cong-nhan", "Tra cứu hồ sơ bằng mã QR"), ("b-thu-hoi", "Sáng kiến bị thu hồi công nhận"), ("c-chua", "Bài chưa được công nhận")]:
        repo.entries[eid] = Entry(eid, "entry", {"id": eid, "title": title, "summary": "Tóm tắt ngắn của sáng kiến.", **common}, f"entries/dot/xa/{eid}.md")
    repo.entries["d-thi-dua"] = Entry("d-thi-dua", "nomination", {"id": "d-thi-dua", "title": "Đề nghị khen thưởng", "campaign": "dot", "unit": "xa"}, "x")
    repo.decisions["dot"] = Decisions("dot", {"campaign": "dot", "recognitions": [
        {"number": "1/QĐ-UBND", "date": "2024-08-01", "level": "co-so", "entries": [{"entry": "a-cong-nhan"}, {"entry": "b-thu-hoi"}, {"entry": "d-thi-dua"}]}],
        "revocations": [{"number": "2/QĐ-UBND", "date": "2024-09-01", "decision": "1/QĐ-UBND", "entries": ["b-thu-hoi"]}]})
    return repo


def test_write_search_indexes_recognised_initiatives_only(tmp_path: Path) -> None:
    figures = write_search(_repo(), tmp_path, lambda e: f"sang-kien/{e.id}/")
    assert figures["entries"] == 1 and figures["shards"] >= 1
    folder = tmp_path / search.INDEX_DIR
    reader = IndexReader(folder)
    assert reader.query("tra cuu").docs == [0]
    assert reader.record(0)[:4] == ["Tra cứu hồ sơ bằng mã QR", "sang-kien/a-cong-nhan/", "UBND xã Đồng Khởi", "UBND tỉnh Tây Ninh"]
    assert reader.query("thu hoi").docs == [] and reader.query("chua duoc").docs == [] and reader.query("khen thuong").docs == []
    # metadata is searchable: unit, province, campaign, area and index labels, keywords
    for q in ["dong khoi", "tay ninh", "nam 2024", "chinh quyen so", "chuyen doi so", "dti", "ma qr"]:
        assert reader.query(q).docs == [0], q
    assert (tmp_path / search.SEARCH_SCRIPT).read_bytes() == (search.ASSETS / "search.js").read_bytes()
    assert (tmp_path / search.SEARCH_STYLE).is_file()


def test_entries_with_schema_errors_do_not_break_the_index(tmp_path: Path) -> None:
    repo = _repo()
    repo.entries["a-cong-nhan"].data.update(areas=[{"sai": 1}], indices="DTI", keywords=None, summary=None)
    assert write_search(repo, tmp_path, lambda e: f"sang-kien/{e.id}/")["entries"] == 1
    assert IndexReader(tmp_path / search.INDEX_DIR).query("ma qr").docs == [0]


def test_rebuild_removes_stale_shards(tmp_path: Path) -> None:
    stale = tmp_path / search.INDEX_DIR / "t" / "999.json"
    stale.parent.mkdir(parents=True)
    stale.write_text("{}")
    write_search(_repo(), tmp_path, lambda e: f"sang-kien/{e.id}/")
    assert not stale.exists()


def test_page_markdown_has_form_reading_q_and_vietnamese_text() -> None:
    page = search.SEARCH_PAGE_MARKDOWN
    assert 'name="q"' in page and 'id="sk-search"' in page and 'id="sk-results"' in page
    assert "Tìm kiếm sáng kiến" in page and "<noscript>" in page
    assert search.SEARCH_SCRIPT == "assets/sangkien/search.js" and (search.ASSETS / "search.js").is_file()


# ----------------------------------------------------------------- common keys (bitmaps) and the payload bound
VOCAB = ["thủ tục", "hành chính", "một cửa", "điện tử", "hồ sơ", "số hóa", "dịch vụ công", "Đồng Khởi", "chữ ký số", "hộ tịch",
         "trực tuyến", "tra cứu", "mã QR", "Zalo", "bưu chính", "đất đai", "chứng thực", "căn cước", "lý lịch", "kỹ thuật"]


def _many_docs(n: int = 240) -> list[Doc]:
    """Docs whose first words are in nearly all of them (common keys) and the rest in a few."""
    import random

    rnd = random.Random(18)
    docs = []
    for i in range(n):
        title = "Cải cách thủ tục hành chính " + " ".join(rnd.sample(VOCAB, 2))
        summary = " ".join(rnd.sample(VOCAB, 3)) + (" hiếm" if i % 37 == 0 else "")
        docs.append(Doc(f"sk-{i:03d}", title, f"sang-kien/sk-{i:03d}/", summary, "UBND xã", meta=["Một cửa liên thông"] if i % 2 else []))
    return docs


def _write(folder: Path, files: dict[str, bytes]) -> Path:
    for rel, data in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    return folder


def _brute_force(docs: list[Doc], query: str) -> set[int]:
    """Every query word's key is a key of the doc; a last word that is no key of any doc matches as a prefix."""
    keys = [{k for text in [d.title, d.summary, *d.meta] for _f, k in tokens(text)} for d in docs]
    vocabulary = set().union(*keys)
    words = [k for _f, k in search._query_words(query)]
    out = set()
    for n, have in enumerate(keys):
        ok = all(k in have for k in words[:-1])
        last = words[-1]
        ok = ok and (last in have if last in vocabulary else any(k.startswith(last) for k in have))
        if ok:
            out.add(n)
    return out


@pytest.fixture(scope="module")
def common_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Doc], Path]:
    docs = _many_docs()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(search, "COMMON_BYTES", 400)  # keys in more than ~1/3 of the 240 docs become bitmaps
        mp.setattr(search, "SHARD_BYTES", 400)
        files = build_index(docs)
    return docs, _write(tmp_path_factory.mktemp("common"), files)


def test_common_keys_are_bitmaps_and_shards_stay_small(common_index: tuple[list[Doc], Path]) -> None:
    _docs, folder = common_index
    manifest = json.loads((folder / "manifest.json").read_text())
    assert {"thu", "tuc", "hanh", "chinh", "cai", "cach"} <= set(manifest["common"]) and manifest["common"] == sorted(manifest["common"])
    assert "hiem" not in manifest["common"] and "khoi" not in manifest["common"]
    assert len(list(folder.glob("b/*.json"))) == len(manifest["common"])
    for shard in folder.glob("t/*.json"):
        keys = json.loads(shard.read_text())
        assert not set(keys) & set(manifest["common"])
        assert len(shard.read_bytes()) <= 400 or len(keys) == 1


@pytest.mark.parametrize("query", ["thủ tục hành chính", "cai cach thu tuc hanh chinh mot cua", "thu tuc hiếm", "hiếm cải cách",
                                   "Đồng Khởi hành chính", "hanh chinh dong khoi ho tich", "cải cách thủ tục hành chí", "hồ sơ hiế",
                                   "dien tu so hoa", "mot cua lien thong", "zzz hanh chinh"])
def test_common_and_rare_words_find_what_brute_force_finds(common_index: tuple[list[Doc], Path], query: str) -> None:
    docs, folder = common_index
    found = IndexReader(folder).query(query).docs
    assert len(found) == len(set(found)) and set(found) == _brute_force(docs, query)


def test_only_common_words_rank_in_catalogue_order_and_rare_words_still_rank(common_index: tuple[list[Doc], Path]) -> None:
    docs, folder = common_index
    found = IndexReader(folder).query("thủ tục hành chính").docs
    assert found == sorted(found) and len(found) == len(docs)  # every doc, no signal to rank by: newest first
    # "Đồng Khởi" (rare) still ranks: the docs with it in the title come before those with it in the summary only
    ranked = IndexReader(folder).query("hành chính Đồng Khởi").docs
    in_title = [d for d in ranked if "Đồng Khởi" in docs[d].title]
    assert in_title and ranked[:len(in_title)] == in_title


def test_a_first_query_never_fetches_more_than_the_bound(common_index: tuple[list[Doc], Path]) -> None:
    import random

    _docs, folder = common_index
    bound = search.payload_bound(folder)
    assert bound["bitmap"] > 0 and bound["shard"] > 0
    words = sorted({form for text in VOCAB + ["cải cách thủ tục hành chính một cửa liên thông hiếm"] for form, _k in tokens(text)})
    rnd = random.Random(9)
    queries = [" ".join(rnd.sample(words, rnd.randint(1, 12))) for _ in range(300)]
    queries += [q[:-1] for q in queries[:100]] + [q[:-2] for q in queries[100:200]]  # a last word typed in part
    worst = 0
    for q in queries:
        fetched = IndexReader(folder).query(q).fetched
        worst = max(worst, sum(search.gzipped((folder / f).read_bytes()) for f in fetched))
    assert 0 < worst <= bound["bound"]


def test_common_keys_rank_by_their_title_spellings_while_those_fit(tmp_path: Path, common_index: tuple[list[Doc], Path],
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    docs, folder = common_index
    assert {"ho", "so"} <= set(json.loads((folder / "manifest.json").read_text())["common"])
    ranked = IndexReader(folder).query("hồ sơ").docs
    in_title = [d for d in ranked if "hồ sơ" in docs[d].title]
    assert in_title and ranked[:len(in_title)] == in_title  # spelt exactly, in the title: first
    assert set(ranked) == _brute_force(docs, "hồ sơ")
    monkeypatch.setattr(search, "COMMON_BYTES", 400)
    monkeypatch.setattr(search, "SHARD_BYTES", 400)
    monkeypatch.setattr(search, "TITLE_BYTES", 0)  # no title postings kept: the common words only filter
    plain = IndexReader(_write(tmp_path, build_index(docs))).query("hồ sơ").docs
    assert plain == sorted(ranked)
