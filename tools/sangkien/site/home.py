"""Home: what this is, open campaigns with deadline and time left, upcoming and closed ones,
the newest recognised initiatives, how to submit."""

from __future__ import annotations

from sangkien import vntime
from sangkien.site import urls
from sangkien.site.campaign_page import campaign_item, deadline_text
from sangkien.site.context import Site, campaign_state, span
from sangkien.site.markup import a, e
from sangkien.site.parts import Page, entry_card

NEWEST = 6


def home_html(site: Site, site_name: str) -> str:
    here = urls.HOME
    camps = sorted(site.repo.campaigns.values(), key=lambda c: (c.closes_at.timestamp() if c.closes_at else 0))
    open_ = [c for c in camps if campaign_state(c, site.now) == "dang-nhan"]
    upcoming = [c for c in camps if campaign_state(c, site.now) == "sap-mo"]
    closed = [c for c in reversed(camps) if campaign_state(c, site.now) == "da-dong"]
    parts = [
        f"<h1>{e(site_name)}</h1>",
        '<p class="sk-lead">Nơi các cơ quan, đơn vị nộp sáng kiến, giải pháp cải cách hành chính theo từng đợt phát động, '
        "Hội đồng công bố kết quả, và mọi người tra cứu các sáng kiến đã được công nhận để học tập, áp dụng lại (nhân rộng) "
        "ở đơn vị mình. Mỗi sáng kiến ghi rõ thực trạng, giải pháp, kết quả đo được trước và sau khi áp dụng, điều kiện áp dụng "
        "và liên hệ công vụ của đơn vị.</p>",
        f'<p class="sk-actions">{a(urls.rel(here, urls.CATALOGUE), "Xem sáng kiến đã công nhận", "sk-button sk-button--primary")} '
        f'{a(urls.rel(here, urls.SEARCH), "Tìm kiếm", "sk-button")} {a(urls.rel(here, urls.GUIDE_SUBMIT), "Cách nộp sáng kiến", "sk-button")}</p>',
        '<h2 id="dang-nhan">Đợt đang nhận bài</h2>',
    ]
    if open_:
        items = []
        for camp in open_:
            closes = camp.closes_at
            assert closes is not None  # open for submissions: it has a window
            issuer = (camp.data.get("issuer") or {}).get("name", "")
            items.append(f'<li class="sk-open"><span class="sk-item__title">{a(urls.rel(here, urls.campaign(camp.id)), e(camp.title))}</span>'
                         f'<br><span class="sk-muted">{e(issuer)}</span>'
                         f'<br>Hạn chót: <strong class="sk-deadline">{e(deadline_text(camp))}</strong>'
                         f' — <span class="sk-left">còn {e(span(site.now, closes))}</span></li>')
        parts.append(f'<ul class="sk-list sk-list--plain">{"".join(items)}</ul>')
    else:
        parts.append("<p>Hiện không có đợt nào đang nhận bài.</p>")
    if upcoming:
        parts.append(f'<h2 id="sap-mo">Sắp mở</h2><ul class="sk-list sk-list--plain">{"".join(campaign_item(site, here, c) for c in upcoming)}</ul>')
    if closed:
        parts.append(f'<h2 id="da-ket-thuc">Đã kết thúc</h2><ul class="sk-list sk-list--plain">{"".join(campaign_item(site, here, c) for c in closed)}</ul>')
    newest = site.recognised()[:NEWEST]
    parts.append('<h2 id="moi-cong-nhan">Sáng kiến mới được công nhận</h2>')
    if newest:
        cards = "".join('<li class="sk-item">' + entry_card(site, here, x) + "</li>" for x in newest)
        parts.append(f'<ol class="sk-list">{cards}</ol>')
        parts.append(f"<p>{a(urls.rel(here, urls.CATALOGUE), 'Xem toàn bộ danh mục')} · "
                     f"{a(urls.rel(here, urls.DATA), 'Dữ liệu mở (JSON, CSV, Excel, Atom)')}</p>")
    else:
        parts.append("<p>Chưa có sáng kiến nào được công nhận.</p>")
    parts.append(
        '<h2 id="cach-nop">Cách nộp sáng kiến</h2><ol>'
        "<li>Xem thể lệ và hạn chót của đợt trên trang "
        f"{a(urls.rel(here, urls.CAMPAIGNS), 'Đợt phát động')} (giờ Việt Nam; «đến hết ngày» tính hết 23:59:59 của ngày đó).</li>"
        "<li>Viết sáng kiến thành một tệp theo mẫu: phần thông tin (tên, đơn vị, tác giả, lĩnh vực, kết quả đo được…) và phần mô tả "
        "với các mục «Thực trạng», «Giải pháp», «Cách nhân rộng». Không ghi số điện thoại, ngày sinh, địa chỉ nhà riêng của cá nhân.</li>"
        f"<li>Nộp vào kho theo {a(urls.rel(here, urls.GUIDE_SUBMIT), 'Hướng dẫn nộp bài')}; hệ thống kiểm tra tự động và báo lỗi bằng tiếng Việt "
        f"(xem {a(urls.rel(here, urls.CODES), 'danh sách mã lỗi')} và {a(urls.rel(here, urls.FIELDS), 'bảng tra các trường')}).</li>"
        "<li>Khi Hội đồng có quyết định công nhận, sáng kiến được đăng trong danh mục và trên trang của đợt. "
        "Trang công khai chỉ đăng sáng kiến đã được công nhận; kết quả sơ loại, điểm chấm không công bố.</li></ol>"
    )
    parts.append(f'<p class="sk-muted">Trang dựng lúc {e(vntime.show(site.now))}; thời gian còn lại tính đến thời điểm đó.</p>')
    return "".join(parts)


def home_page(site: Site, site_name: str) -> Page:
    return Page(urls.HOME, site_name, "Danh mục sáng kiến, giải pháp cải cách hành chính đã được công nhận và các đợt phát động.",
                lambda: home_html(site, site_name))
