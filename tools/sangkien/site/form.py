"""The form pages: "Nộp sáng kiến" (/nop-sang-kien/, an initiative, schema/entry.schema.json) and
"Ghi nhận nhân rộng" (/ghi-nhan-nhan-rong/, a replication record, schema/replication.schema.json):
their content and their assets (one set of scripts for both; `kind` in the embedded data says which).

The form is drawn in the browser from the entry schema embedded in the page, so a province that
edits `schema/entry.schema.json` gets a matching form without touching code. Everything the
browser checks comes from the same sources as `sangkien validate`: the schema, the registry and
campaigns of the repository, the problem codes of `sangkien.codes` and the privacy patterns of
`sangkien.checks.text`, translated here from Python `re` to JavaScript `RegExp` syntax.

No MkDocs here: the plugin asks for `form_markdown(...)` and `write_form_assets(site_dir)`.
"""

from __future__ import annotations

import copy
import functools
import json
import re
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sangkien import adminunits, schemas, vntime
from sangkien.checks import privacy
from sangkien.checks import text as text_rules
from sangkien.codes import CODES
from sangkien.model import Campaign, Entry, Repository
from sangkien.wordimport import rules as wordimport_rules

PAGE_URL = "nop-sang-kien/"
PAGE_SRC = "nop-sang-kien/index.md"
TITLE = "Nộp sáng kiến"
REPLICATION_URL = "ghi-nhan-nhan-rong/"
REPLICATION_SRC = "ghi-nhan-nhan-rong/index.md"
REPLICATION_TITLE = "Ghi nhận nhân rộng"
ASSETS = Path(__file__).resolve().parent / "assets" / "form"
SITE_ASSETS = "assets/sangkien/form"  # where write_form_assets puts them in the built site
SCRIPT = f"{SITE_ASSETS}/form.js"
STYLE = f"{SITE_ASSETS}/form.css"
YAML_SCRIPT = f"{SITE_ASSETS}/vendor/js-yaml/js-yaml.min.js"
URL_LIMIT = 8000  # longest "new file" link; longer content goes through download or the clipboard
DEFAULT_SOURCE = {"host": "https://github.com", "repository": "", "branch": "main", "forge": "github"}
FORGES = ("github", "gitlab", "gitea", "forgejo")  # forgejo is gitea's fork: same paths, same prefill


@dataclass(frozen=True)
class FormPage:
    kind: str  # the schema: entry | replication
    url: str
    src: str
    title: str


PAGES = {
    "entry": FormPage("entry", PAGE_URL, PAGE_SRC, TITLE),
    "replication": FormPage("replication", REPLICATION_URL, REPLICATION_SRC, REPLICATION_TITLE),
}

# How the form labels and explains a field where the schema's words are written for people who
# edit the file (`true`, field names, yyyy-mm-dd): path with "*" for any item -> title/description.
WORDING: dict[str, dict[str, dict[str, str]]] = {
    "entry": {
        "id": {"description": "Mã riêng của bài trong toàn kho, cũng là tên tệp. Tự lấy theo tên sáng kiến; "
                              "chỉ gồm chữ thường không dấu, số và gạch nối."},
        "campaign": {"description": "Đợt phát động mà đơn vị nộp bài."},
        "unit": {"description": "Đơn vị nộp bài, theo danh mục đơn vị của cơ quan tổ chức."},
        "authors.*.representative": {"title": "Người đại diện",
                                     "description": "Đánh dấu đúng một người làm đại diện khi là nhóm tác giả."},
        "results.*.better": {"description": "Giá trị thấp hơn là tốt hơn (ví dụ số ngày giải quyết) hay cao hơn là tốt hơn "
                                            "(ví dụ tỷ lệ hồ sơ trực tuyến)."},
        "attachments.*.file": {"description": "Tên tệp đặt cùng thư mục với bài, chỉ gồm chữ thường không dấu, số, dấu chấm và gạch nối."},
        "previous_contest.entry": {"title": "Mã bài trước (nếu bài có trên trang này)",
                                   "description": "Mã của bài đã nộp ở cuộc thi trước, nếu bài đó có trong danh mục sáng kiến."},
    },
    "replication": {
        "id": {"description": "Mã riêng của ghi nhận trong toàn kho, cũng là tên tệp. Tự lấy theo sáng kiến và đơn vị; "
                              "chỉ gồm chữ thường không dấu, số và gạch nối."},
        "initiative": {"description": "Sáng kiến đã được công nhận (quyết định còn hiệu lực) mà đơn vị áp dụng lại."},
        "unit": {"description": "Đơn vị đã áp dụng lại sáng kiến; phải khác đơn vị đã nộp sáng kiến."},
        "results.*.better": {"description": "Giá trị thấp hơn là tốt hơn (ví dụ số ngày giải quyết) hay cao hơn là tốt hơn "
                                            "(ví dụ tỷ lệ hồ sơ trực tuyến)."},
        "evidence": {"description": "Đường dẫn bắt đầu bằng https:// tới văn bản, báo cáo hoặc trang công khai "
                                    "cho thấy đơn vị đã áp dụng (ví dụ báo cáo cải cách hành chính của đơn vị)."},
    },
}
PRIVACY_PATTERNS = ("MOBILE", "LANDLINE", "CITIZEN_ID", "EMAIL", "BIRTH", "HOME", "MOJIBAKE", "HTML_TAG",
                    "UNSAFE_LINK", "INVISIBLE", "CYRILLIC_GREEK", "LATIN", "WORD")


# ----------------------------------------------------------------- Python re -> JavaScript RegExp
_WORD_JS = r"\p{L}\p{N}_"  # Python's str \w: letters, numbers and underscore
_BOUNDARY_JS = rf"(?:(?<=[{_WORD_JS}])(?![{_WORD_JS}])|(?<![{_WORD_JS}])(?=[{_WORD_JS}]))"


class UntranslatableRegex(ValueError):
    """A Python construct the form cannot reproduce in JavaScript; the build must stop."""


def js_regex(pattern: re.Pattern[str]) -> dict[str, str]:
    """The same pattern for JavaScript's RegExp with the `u` flag.

    Python's \\w, \\d and \\b are Unicode-aware on str patterns while JavaScript's are ASCII, so
    they become Unicode property classes; characters outside printable ASCII become \\u{...}.
    """
    src, out, i, in_class = pattern.pattern, [], 0, False
    while i < len(src):
        ch = src[i]
        if ch == "\\" and i + 1 < len(src):
            nxt = src[i + 1]
            i += 2
            if nxt == "w":
                out.append(_WORD_JS if in_class else f"[{_WORD_JS}]")
            elif nxt == "W" and not in_class:
                out.append(f"[^{_WORD_JS}]")
            elif nxt == "d":
                out.append(r"\p{Nd}")
            elif nxt == "D" and not in_class:
                out.append(r"\P{Nd}")
            elif nxt == "b" and not in_class:
                out.append(_BOUNDARY_JS)
            elif nxt in "sS.*+?()[]{}|^$/\\" or (nxt == "-" and in_class):
                out.append("\\" + nxt)
            elif nxt == "-":
                out.append("-")
            elif nxt in "nrtfv":
                out.append("\\" + nxt)
            elif nxt in "xuU":
                size = {"x": 2, "u": 4, "U": 8}[nxt]
                out.append(f"\\u{{{int(src[i:i + size], 16):x}}}")
                i += size
            else:
                raise UntranslatableRegex(f"\\{nxt} in {src!r}")
            continue
        if ch == "(" and src.startswith("(?P", i):
            raise UntranslatableRegex(f"named group in {src!r}")
        if ch == "[" and not in_class:
            in_class = True
        elif ch == "]" and in_class and not (out and out[-1] == "["):
            in_class = False
        out.append(ch if 0x20 <= ord(ch) < 0x7F else f"\\u{{{ord(ch):x}}}")
        i += 1
    flags = "u" + ("i" if pattern.flags & re.IGNORECASE else "")
    if pattern.flags & (re.MULTILINE | re.DOTALL | re.VERBOSE):
        raise UntranslatableRegex(f"flags of {src!r}")
    return {"source": "".join(out), "flags": flags}


def privacy_rules() -> dict[str, Any]:
    """The patterns of sangkien.checks.text, for the browser's port of `scan`."""
    return {
        "patterns": {name: js_regex(getattr(text_rules, name)) for name in PRIVACY_PATTERNS},
        "webmail": sorted(privacy.WEBMAIL),
        "personal_keys": js_regex(schemas.PERSONAL_KEYS),
        # sangkien.checks.privacy for assets/form/privacy.js: every pattern, the messages, the masks
        "personal": {"patterns": {name: js_regex(getattr(privacy, name)) for name in privacy.PATTERNS}, **privacy.export()},
    }


# ----------------------------------------------------------------- data embedded in the page
def source_settings(extra: dict[str, Any] | None) -> dict[str, str]:
    """Host, repository, branch and forge from mkdocs.yml `extra.sangkien` (or an object with them)."""
    out = dict(DEFAULT_SOURCE)
    if extra is None:
        return out
    for key in out:
        value = extra.get(key) if isinstance(extra, dict) else getattr(extra, key, None)
        if isinstance(value, str) and value.strip():
            out[key] = value.strip()
    out["host"] = out["host"].rstrip("/")
    out["repository"] = out["repository"].strip("/")
    out["forge"] = out["forge"].lower()
    if out["forge"] not in FORGES:
        out["forge"] = "github"
    return out


def _instant(moment: datetime | None) -> str | None:
    return moment.astimezone(vntime.ICT).isoformat() if moment else None


def _campaign(camp: Campaign) -> dict[str, Any]:
    window = camp.data.get("window") or {}
    data = camp.data
    return {
        "id": camp.id,
        "title": camp.title,
        "kind": camp.kind,
        "opens_at": _instant(camp.opens_at),
        "closes_at": _instant(camp.closes_at),
        "opens_text": str((window.get("opens") or {}).get("text") or ""),
        "closes_text": str((window.get("closes") or {}).get("text") or ""),
        "note": str(window.get("note") or ""),
        "areas": [a for a in data.get("areas") or [] if isinstance(a, str)],
        "participation": [a for a in data.get("participation") or [] if isinstance(a, str)],
        "forms": [a for a in data.get("forms") or [] if isinstance(a, str)],
        "indices": [a for a in data.get("indices") or [] if isinstance(a, str)],
        "eligible_units": camp.eligible_units,
        # Scopes the campaign does not offer: no district level once it opens after the reform (SK336).
        "closed_scopes": ["huyen"] if _after_reform(camp) else [],
    }


def _after_reform(camp: Campaign) -> bool:
    opens = camp.opens_at
    return opens is not None and vntime.local_date(opens) >= adminunits.REFORM_DAY


# The fix the form shows for a code whose catalogue fix speaks of the file (field names, `true`):
# the same advice in the form's own words. Codes the form cannot meet (files, folders) are absent.
FORM_FIXES = {
    "SK213": "Cá nhân: đúng 1 tác giả; nhóm: từ 02 tác giả trở lên và đánh dấu «Người đại diện» cho đúng một người.",
    "SK214": "Sửa ô «Tỷ lệ đóng góp (%)» của các tác giả cho tổng đúng bằng 100.",
    "SK220": "Ghi rõ tên cuộc thi đã tham dự và nội dung đã chỉnh sửa trong phần «Đã tham gia cuộc thi khác».",
    "SK301": "Đặt mã khác để mỗi tệp có mã riêng trong toàn kho.",
    "SK302": "Chọn đợt phát động trong danh sách.",
    "SK303": "Chọn đơn vị trong danh sách, hoặc đề nghị cơ quan tổ chức bổ sung đơn vị vào danh mục.",
    "SK311": "Kiểm tra lại đợt và đơn vị; cơ quan tổ chức có thể bổ sung đơn vị vào danh sách đơn vị tham gia đợt.",
    "SK320": "Chọn sáng kiến trong danh sách «Sáng kiến được nhân rộng».",
    "SK323": "Sửa ô «Áp dụng từ ngày»: ngày bắt đầu áp dụng không được trước ngày ký quyết định công nhận.",
    "SK324": "Chọn đơn vị có hiệu lực vào ngày áp dụng (đơn vị kế thừa, nếu đơn vị cũ đã sáp nhập).",
    "SK402": "Hạn nộp đã qua; chỉ Hội đồng mới có thể chấp nhận bài nộp muộn.",
}


def _reworded(schema: dict[str, Any], kind: str) -> dict[str, Any]:
    """A copy of the schema with the form's wording (WORDING) on the fields' own nodes; a `$ref`
    node keeps its target and takes the title and description beside it. Validation is unchanged."""
    out = copy.deepcopy(schema)
    for dotted, words in WORDING.get(kind, {}).items():
        node: Any = out
        for part in dotted.split("."):
            if not isinstance(node, dict):
                break
            if "$ref" in node and "properties" not in node and "items" not in node:
                node = schemas.resolve(out, node)
            node = node.get("items") if part == "*" else (node.get("properties") or {}).get(part)
        if isinstance(node, dict):
            node.update(words)
    return out


def _units(repo: Repository) -> list[dict[str, Any]]:
    units = []
    for unit in sorted(repo.units.values(), key=lambda u: u.name):
        data = unit.data
        units.append({
            "id": unit.id, "name": unit.name, "level": unit.level, "kind": data.get("kind"), "parent": unit.parent,
            "valid_from": data.get("valid_from"), "valid_to": data.get("valid_to"), "successor": data.get("successor"),
        })
    return units


def _initiatives(repo: Repository) -> list[dict[str, Any]]:
    """Initiatives that may be replicated (a recognition in force), for checks/replication.py's twin."""
    out = []
    for entry in sorted(repo.entries.values(), key=lambda e: e.title):
        if entry.kind != "entry" or repo.recognition(entry.id) is None:
            continue
        first = next(rec for rec, _ in repo.recognitions(entry.id) if rec.revoked is None)
        unit = repo.units.get(entry.unit or "")
        out.append({"id": entry.id, "title": entry.title, "unit": entry.unit, "unit_name": unit.name if unit else entry.unit,
                    "decision": first.number, "day": first.day.isoformat() if first.day else None})
    return out


@functools.lru_cache(maxsize=1 << 17)  # both form pages key every id and path; serve keys them at each reload
def id_key(text: str) -> str:
    """FNV-1a (64 bits) of the UTF-8 text, as 16 hex digits; twin of idKey in assets/form/rules.js.

    The page must tell a submitter that an id or a file is taken without publishing the ids and
    paths of submissions that are not public (an id is the slug of a title): those are embedded
    by this key only. Not a secret, just not a list to read."""
    value = 0xCBF29CE484222325
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{value:016x}"


def _public(repo: Repository, item: Entry) -> bool:
    """Published by the catalogue: a replication record, or an initiative with a recognition (in force or revoked)."""
    return item.kind == "replication" or (item.kind == "entry" and bool(repo.recognitions(item.id)))


def _ids(repo: Repository) -> dict[str, str]:
    """Every id in use (initiatives, nominations and replication records share one namespace, SK301):
    id_key(id) -> the file's path if it is public, else "#" + id_key(path)."""
    out: dict[str, str] = {}
    for item in sorted([*repo.entries.values(), *repo.replications.values()], key=lambda e: e.path):
        out.setdefault(id_key(item.id), item.path if _public(repo, item) else "#" + id_key(item.path))
    return out


def _not_replicable(repo: Repository) -> dict[str, str]:
    """Initiatives in the repository without a recognition in force, by id_key, and why (SK321)."""
    out: dict[str, str] = {}
    for entry in sorted(repo.entries.values(), key=lambda e: e.id):
        if entry.kind == "entry" and repo.recognition(entry.id) is None:
            revoked = any(rec.revoked for rec, _ in repo.recognitions(entry.id))
            out[id_key(entry.id)] = "đã bị thu hồi công nhận" if revoked else "chưa có quyết định công nhận"
    return out


def form_data(repo: Repository, root: Path, source: dict[str, Any] | None = None, kind: str = "entry",
              templates: Templates = None) -> dict[str, Any]:
    """Everything the form needs, as JSON: schema, choices, rules, codes, Git host; for the
    submission page also the Word reader's rules and the Word templates' links (word_data)."""
    phones, emails = repo.official_contacts()  # the validator's own list
    data: dict[str, Any] = {
        "version": 1,
        "kind": kind,
        "schema": _reworded(schemas.load_schema(root, kind), kind),
        "units": _units(repo),
        "ids": _ids(repo),
        "contacts": {"phones": sorted(phones), "emails": sorted(emails)},
        "privacy": privacy_rules(),
        "codes": {code: {"severity": c.severity, "title": c.title, "fix": FORM_FIXES.get(code, c.fix)} for code, c in CODES.items()},
        "git": source_settings(source),
        "url_limit": URL_LIMIT,
        "pages": {k: p.url for k, p in PAGES.items()},
    }
    if kind == "entry":
        data["word"] = word_data(templates)
    if kind == "replication":
        data["campaigns"] = []
        data["initiatives"] = _initiatives(repo)
        data["not_replicable"] = _not_replicable(repo)
        data["replications"] = [{"id": r.id, "path": r.path, "initiative": r.data.get("initiative"), "unit": r.unit}
                                for r in sorted(repo.replications.values(), key=lambda r: r.path)]
    else:
        campaigns = sorted(repo.campaigns.values(), key=lambda c: (c.opens_at is None, c.opens_at), reverse=True)
        data["campaigns"] = [_campaign(c) for c in campaigns]
    return data


# ----------------------------------------------------------------- a Word file read in the browser
Templates = list[tuple[Campaign, str]] | None  # (campaign, file name of its Word template beside the submission page)


def word_data(templates: Templates = None) -> dict[str, Any]:
    """What the Word box of the submission page needs: the rules of sangkien.wordimport
    (rules.json, which assets/form/docx.js and wordmap.js follow as the Python reader does), and
    a link to the Word template of each campaign whose template the site wrote beside the page
    (`sangkien template`, council/wordtemplate.write_templates: campaigns open at build time)."""
    links = [{"campaign": camp.id, "title": camp.title, "file": name, "href": name}
             for camp, name in sorted(templates or [], key=lambda t: t[0].id)]
    return {"rules": wordimport_rules.rules(), "templates": links}


def _json_for_html(data: Any) -> str:
    """JSON that cannot end its <script> element early nor be read as a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def form_html(repo: Repository, root: Path, source: dict[str, Any] | None = None, base: str = "../", kind: str = "entry",
              templates: Templates = None) -> str:
    """The form's HTML block: container, fallback text, embedded data and asset links.

    `base` is the relative path from the page to the site root ("../" for /nop-sang-kien/).
    """
    data = _json_for_html(form_data(repo, root, source, kind, templates))
    terminal = "sangkien new --nhan-rong" if kind == "replication" else "sangkien new"
    return (
        f'<div id="skf-app" class="skf-form" lang="vi" data-kind="{kind}">'
        '<p class="skf-loading">Đang tải biểu mẫu…</p>'
        "<noscript><p><strong>Trình duyệt đang tắt JavaScript nên biểu mẫu không hoạt động.</strong> "
        f"Hãy bật JavaScript, hoặc tạo tệp bằng lệnh <code>{terminal}</code>, "
        f'hoặc làm theo <a href="{base}huong-dan/nop-bai/">Hướng dẫn nộp bài</a>.</p></noscript>'
        "</div>\n"
        f'<script type="application/json" id="skf-data">{data}</script>\n'
        f'<link rel="stylesheet" href="{base}{STYLE}">\n'
        f'<script src="{base}{YAML_SCRIPT}"></script>\n'
        f'<script type="module" src="{base}{SCRIPT}"></script>\n'
    )


def _host_name(source: dict[str, Any] | None) -> str:
    return source_settings(source)["host"].removeprefix("https://").removeprefix("http://") or "máy chủ Git"


def form_markdown(repo: Repository, root: Path, source: dict[str, Any] | None = None, base: str = "../",
                  templates: Templates = None) -> str:
    """Content of the generated page /nop-sang-kien/ (front matter + intro + form block)."""
    host = _host_name(source)
    return (
        "---\n"
        f"title: {TITLE}\n"
        "search:\n  exclude: true\n"
        "hide:\n  - toc\n"
        "---\n\n"
        f"# {TITLE}\n\n"
        "Điền biểu mẫu để tạo tệp bài sáng kiến đúng mẫu. Biểu mẫu kiểm tra ngay trên máy của bạn bằng "
        "cùng các quy tắc mà hệ thống kiểm tra tự động dùng khi nhận bài. Khi trạng thái là **Hợp lệ**, "
        f"bấm **Gửi** để mở trang tạo tệp trên {host} (tự tạo bản sao và đề nghị hợp nhất nếu bạn chưa có quyền ghi), "
        "hoặc bấm **Tải về** để lưu tệp. Ngày ghi theo ngày/tháng/năm, ví dụ 25/06/2024. "
        "Bản nháp được lưu tự động trong thẻ (tab) trình duyệt này cho tới khi đóng thẻ; "
        "khi tải lại trang, bấm **Mở bản nháp đã lưu** để viết tiếp.\n\n"
        f"Xem thêm: [Hướng dẫn nộp bài]({base}huong-dan/nop-bai/) · [Bảng tra các trường]({base}huong-dan/cac-truong/) · "
        f"[Danh sách mã lỗi]({base}huong-dan/ma-loi/) · [Ghi nhận nhân rộng]({base}{REPLICATION_URL}).\n\n"
        + form_html(repo, root, source, base, templates=templates)
    )


def replication_markdown(repo: Repository, root: Path, source: dict[str, Any] | None = None, base: str = "../") -> str:
    """Content of the generated page /ghi-nhan-nhan-rong/: another unit records that it applied a
    recognised initiative, with its results."""
    host = _host_name(source)
    return (
        "---\n"
        f"title: {REPLICATION_TITLE}\n"
        "search:\n  exclude: true\n"
        "hide:\n  - toc\n"
        "---\n\n"
        f"# {REPLICATION_TITLE}\n\n"
        "Đơn vị đã áp dụng lại một sáng kiến đã được công nhận điền biểu mẫu này để ghi nhận việc nhân rộng, "
        "kèm kết quả đo được tại đơn vị và đường dẫn minh chứng. Biểu mẫu kiểm tra ngay trên máy của bạn bằng "
        "cùng các quy tắc mà hệ thống kiểm tra tự động dùng. Khi trạng thái là **Hợp lệ**, "
        f"bấm **Gửi** để mở trang tạo tệp trên {host}, hoặc bấm **Tải về** để lưu tệp. "
        "Ngày ghi theo ngày/tháng/năm, ví dụ 25/06/2024. Bản nháp được lưu trong thẻ (tab) trình duyệt này "
        "cho tới khi đóng thẻ.\n\n"
        f"Xem thêm: [Hướng dẫn nộp bài]({base}huong-dan/nop-bai/) · [Nộp sáng kiến]({base}{PAGE_URL}).\n\n"
        + form_html(repo, root, source, base, kind="replication")
    )


def page_markdown(kind: str, repo: Repository, root: Path, source: dict[str, Any] | None = None, base: str = "../",
                  templates: Templates = None) -> str:
    """The generated page of a form by kind (the plugin registers every page of PAGES); `templates`:
    the Word templates written beside the submission page (word_data)."""
    if kind == "replication":
        return replication_markdown(repo, root, source, base)
    return form_markdown(repo, root, source, base, templates)


def standalone_html(repo: Repository, root: Path, source: dict[str, Any] | None = None, base: str = "../", kind: str = "entry",
                    templates: Templates = None) -> str:
    """A complete page with the form, for `site_dir/<page>/index.html` beside the assets
    that write_form_assets(site_dir) copies (tests, previews without MkDocs)."""
    title = PAGES[kind].title
    return (
        '<!doctype html>\n<html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<link rel="icon" href="data:,"><title>{title}</title></head><body><main>\n<h1>{title}</h1>\n'
        + form_html(repo, root, source, base=base, kind=kind, templates=templates)
        + "</main></body></html>\n"
    )


def write_form_assets(site_dir: Path) -> list[str]:
    """Copy the form's scripts, style and vendored libraries (with licences) into the site."""
    target = Path(site_dir) / SITE_ASSETS
    written = []
    for path in sorted(ASSETS.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            rel = path.relative_to(ASSETS)
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target / rel)
            written.append(f"{SITE_ASSETS}/{rel.as_posix()}")
    return written
