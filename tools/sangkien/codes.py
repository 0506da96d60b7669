"""The catalogue of problem codes: stable code, default severity, Vietnamese title and fix.

Codes never change meaning once published: the site lists them and users search for them.
Ranges: SK0xx file and encoding, SK1xx YAML, SK2xx fields, SK3xx cross-file, SK4xx deadlines,
SK5xx privacy and text hygiene, SK6xx who may change what, SK7xx novelty, SK8xx council, SK9xx usage.
"""

from __future__ import annotations

from dataclasses import dataclass

from sangkien.problems import ERROR, WARNING, Key, Problem


@dataclass(frozen=True, slots=True)
class Code:
    severity: str
    title: str
    fix: str


CODES: dict[str, Code] = {
    # --- SK0xx: reading the file
    "SK001": Code(ERROR, "Tệp không phải mã UTF-8", "Mở tệp bằng Notepad, chọn Lưu thành (Save As), mục Mã hóa (Encoding) chọn UTF-8 rồi lưu lại."),
    "SK002": Code(WARNING, "Tệp có dấu BOM ở đầu", "Không bắt buộc sửa; có thể lưu lại bằng Notepad với mã hóa UTF-8 (không BOM) hoặc chạy: sangkien fix <tệp>."),
    "SK003": Code(WARNING, "Chữ tiếng Việt chưa chuẩn hóa NFC", "Chạy: sangkien fix <tệp> để chuẩn hóa dấu tiếng Việt về dạng dựng sẵn (NFC)."),
    "SK004": Code(ERROR, "Tệp quá lớn", "Rút gọn nội dung; đưa video, hình ảnh, tài liệu dài vào phần tài liệu kèm theo (attachments) bằng đường dẫn."),
    "SK005": Code(ERROR, "Tệp không phải văn bản", "Chỉ nộp tệp văn bản .md (Markdown) hoặc .yaml; không nộp tệp Word, PDF hay ảnh vào chỗ này."),
    "SK006": Code(ERROR, "Tệp mã UTF-16", "Mở tệp bằng Notepad, chọn Lưu thành, mục Mã hóa chọn UTF-8 rồi lưu lại."),
    "SK007": Code(ERROR, "Tên tệp hoặc thư mục không hợp lệ", "Đặt tên tệp bằng chữ thường không dấu, số và gạch nối, ví dụ: mot-cua-so-hoa.md."),
    "SK008": Code(ERROR, "Liên kết tượng trưng (symlink) không được phép", "Thay liên kết bằng tệp thật."),
    "SK009": Code(ERROR, "Tệp tạm bị bỏ lại", "Một lệnh sangkien bị ngắt khi đang ghi nên để lại tệp tạm; tệp thật vẫn nguyên vẹn. Xóa tệp tạm này (không đưa vào kho) rồi chạy lại lệnh nếu cần."),
    "SK010": Code(ERROR, "Thiếu dòng --- mở đầu phần thông tin", "Dòng đầu tiên của tệp phải là ba dấu gạch ngang: ---"),
    "SK011": Code(ERROR, "Thiếu dòng --- đóng phần thông tin", "Thêm một dòng chỉ có ba dấu gạch ngang (---) sau trường cuối cùng, trước phần mô tả."),
    "SK012": Code(ERROR, "Phần thông tin trống", "Điền các trường bắt buộc giữa hai dòng ---; xem mẫu trong Hướng dẫn nộp bài."),
    "SK013": Code(ERROR, "Phần thông tin không phải danh sách trường", "Mỗi dòng phải có dạng: tên_trường: giá trị"),
    "SK014": Code(ERROR, "Không ghi được tệp", "Kiểm tra chỗ trống trên đĩa và quyền ghi vào thư mục, đóng tệp nếu đang mở trong chương trình khác (Word, Excel), rồi chạy lại lệnh; tệp cũ được giữ nguyên."),
    # SK015-SK019: what may sit in entries/ besides the text files (gitlinks, attachments)
    "SK015": Code(ERROR, "Mô-đun con Git (gitlink) trong thư mục bài", "Xóa mô-đun con khỏi kho: git rm --cached <đường dẫn> (và xóa mục tương ứng trong .gitmodules nếu có), rồi đưa tệp thật vào thư mục của đơn vị."),
    "SK016": Code(ERROR, "Loại tệp kèm theo không được nhận", "Chỉ kèm tệp PDF, Word (.doc, .docx), Excel (.xls, .xlsx), PowerPoint (.ppt, .pptx), OpenDocument (.odt, .ods, .odp), ảnh (.png, .jpg, .jpeg, .gif, .webp) hoặc video (.mp4, .webm, .mov); trang web, mã chạy được hay tệp nén thì chuyển sang PDF hoặc ghi đường dẫn https:// trong attachments."),
    "SK017": Code(ERROR, "Nội dung tệp kèm theo không đúng với đuôi tệp", "Mở tệp bằng chương trình gốc (Word, Excel, trình xem PDF) rồi chọn Lưu thành (Save As) đúng định dạng; không đổi đuôi tệp bằng tay."),
    "SK018": Code(ERROR, "Tệp kèm theo quá lớn", "Nén hoặc giảm chất lượng tệp (PDF: xuất với chất lượng in thấp hơn; ảnh: giảm kích thước), hoặc đưa video lên trang của cơ quan và ghi đường dẫn https:// trong attachments."),
    "SK019": Code(ERROR, "Tổng dung lượng tệp kèm theo của đơn vị quá lớn", "Nén các tệp lớn, bỏ tệp không cần thiết, hoặc đưa video lên trang của cơ quan và ghi đường dẫn https:// trong attachments."),
    # SK020-SK029: size limits that keep every check and the site build fast (issue 13)
    "SK020": Code(ERROR, "Dòng quá dài", "Xuống dòng (Enter) giữa các câu hoặc các đoạn; một đoạn văn bình thường chỉ vài trăm đến vài nghìn chữ."),
    "SK021": Code(ERROR, "Giá trị của trường quá dài", "Rút gọn giá trị; nội dung dài đưa vào phần mô tả sau dòng --- thứ hai hoặc vào tài liệu kèm theo."),
    # SK030-SK049: reading Word files (sangkien import, the submission page's Word reader; rules in wordimport/rules.json)
    "SK030": Code(ERROR, "Tệp Word bị hỏng hoặc không phải tệp .docx", "Mở tệp bằng Word, chọn Lưu thành (Save As), mục Kiểu tệp chọn «Tài liệu Word (*.docx)» rồi gửi lại tệp mới; nếu Word báo tệp hỏng, xin lại tệp từ người gửi."),
    "SK031": Code(ERROR, "Tệp Word cũ (.doc), không phải .docx", "Mở tệp bằng Word, chọn Tệp → Lưu thành (Save As), mục Kiểu tệp chọn «Tài liệu Word (*.docx)» (Lưu thành .docx), rồi dùng tệp .docx mới."),
    "SK032": Code(ERROR, "Tệp Word có mật khẩu", "Mở tệp bằng Word (nhập mật khẩu), vào Tệp → Thông tin → Bảo vệ tài liệu → Mã hóa bằng mật khẩu, xóa trống mật khẩu, lưu lại rồi gửi tệp đó."),
    "SK033": Code(ERROR, "Tệp Word quá lớn", "Giảm kích thước hình trong Word (chọn hình → Nén ảnh), bỏ hình, video không cần thiết; tài liệu dài, video gửi kèm bằng đường dẫn https://."),
    "SK034": Code(ERROR, "Văn bản không theo mẫu: thiếu bảng thông tin sáng kiến và các đề mục", "Tải mẫu bằng lệnh sangkien template (hoặc nút «Tải mẫu Word» trên trang Nộp sáng kiến), chép nội dung vào mẫu rồi nộp lại."),
    "SK035": Code(ERROR, "Mẫu Word chưa được điền", "Điền bảng tác giả, bảng thông tin sáng kiến và các mục của phần nội dung rồi nộp lại."),
    "SK036": Code(ERROR, "Thiếu thông tin bắt buộc trong tệp Word", "Ghi thông tin còn thiếu vào ô bên phải của dòng tương ứng trong bảng thông tin sáng kiến."),
    "SK037": Code(ERROR, "Giá trị trong tệp Word không đọc được", "Sửa giá trị theo hướng dẫn: ngày ghi ngày/tháng/năm (25/06/2024), tỷ lệ và số liệu chỉ ghi số."),
    "SK038": Code(ERROR, "Lựa chọn chưa đánh dấu hoặc không nhận ra", "Đánh dấu ☒ (hoặc gõ x) trước lựa chọn đúng trong ô; không sửa chữ của các lựa chọn có sẵn."),
    "SK039": Code(ERROR, "Thông tin đọc được theo nhiều cách", "Chỉ giữ một giá trị cho mục này (một lựa chọn, hoặc một chỗ ghi), xóa phần còn lại."),
    "SK040": Code(ERROR, "Bảng tác giả thiếu hoặc chưa đủ", "Dùng bảng tác giả của mẫu: mỗi tác giả một dòng, đủ họ tên, chức vụ, nơi công tác, tỷ lệ đóng góp; nhóm tác giả gõ x ở cột «Đại diện nhóm» của đúng một người."),
    "SK041": Code(ERROR, "Phần nội dung thiếu đề mục bắt buộc", "Thêm đề mục còn thiếu (kiểu Heading 2 trong Word) rồi viết nội dung bên dưới."),
    "SK042": Code(WARNING, "Chữ phông cũ (TCVN3, VNI) đã được chuyển sang Unicode", "Đọc lại đoạn được nêu trong bài đã nhập; lần sau soạn bằng phông Unicode (Times New Roman)."),
    "SK043": Code(ERROR, "Đã có bài cùng mã", "Đổi tên sáng kiến cho khác bài đã có, hoặc nếu đây là bản sửa của bài đó thì sửa thẳng tệp .md đã có; không có tệp nào được ghi."),
    "SK044": Code(ERROR, "Bài nhập từ tệp Word chưa hợp lệ nên không ghi", "Sửa các lỗi được nêu trong tệp Word rồi nhập lại; không có tệp nào được ghi."),
    "SK045": Code(WARNING, "Hình trong tệp Word không lưu được", "Trong Word, chèn lại hình dạng PNG hoặc JPG (chuột phải vào hình → Lưu thành ảnh → PNG, rồi chèn lại)."),
    "SK046": Code(WARNING, "Thông tin riêng tư trong tệp Word không được nhập", "Ngày sinh và thông tin cần bảo mật chỉ ghi trên bản in gửi Hội đồng; xóa khỏi tệp nộp bản điện tử."),
    "SK047": Code(WARNING, "Tệp Word không ghi ngày nộp", "Kiểm tra ngày nộp (submitted) trong bài đã nhập; lần sau ghi «Ngày nộp» trong bảng thông tin."),
    "SK048": Code(WARNING, "Không chắc là chữ phông cũ nên không chuyển", "Sửa tay đoạn được nêu, hoặc gõ lại bằng phông Unicode; lệnh chỉ chuyển khi chắc chắn là chữ TCVN3 hoặc VNI."),
    # --- SK1xx: YAML
    "SK100": Code(ERROR, "Lỗi cú pháp YAML", "Kiểm tra thụt lề bằng dấu cách (không dùng phím Tab) và đặt giá trị có dấu hai chấm trong dấu nháy kép."),
    "SK101": Code(ERROR, "Trường bị lặp", "Xóa một trong hai dòng trùng tên trường, giữ lại giá trị đúng."),
    "SK102": Code(ERROR, "Không dùng neo và bí danh YAML (& và *)", "Viết đầy đủ giá trị thay cho bí danh."),
    "SK103": Code(ERROR, "Không dùng thẻ YAML (!!)", "Xóa phần !!... trước giá trị; muốn giữ dạng chữ thì đặt giá trị trong dấu nháy kép."),
    "SK104": Code(ERROR, "Nhiều tài liệu YAML trong một tệp", "Mỗi tệp chỉ có một phần thông tin; xóa các dòng --- thừa."),
    "SK105": Code(ERROR, "Lồng nhau quá sâu", "Giảm số tầng lồng nhau; các trường của mẫu chỉ lồng tối đa vài tầng."),
    "SK106": Code(ERROR, "Dùng phím Tab để thụt lề", "Thay mỗi ký tự Tab bằng dấu cách (thường là 2 dấu cách)."),
    "SK107": Code(ERROR, "Tên trường không phải chữ", "Tên trường phải là chữ, ví dụ: title:"),
    # --- SK2xx: fields
    "SK201": Code(ERROR, "Thiếu trường bắt buộc", "Thêm trường còn thiếu; xem Bảng tra các trường."),
    "SK202": Code(ERROR, "Trường không có trong mẫu", "Xóa trường hoặc sửa lại tên trường cho đúng."),
    "SK203": Code(ERROR, "Sai kiểu giá trị", "Sửa giá trị theo đúng kiểu của trường."),
    "SK204": Code(ERROR, "Giá trị không có trong danh sách cho phép", "Chọn một giá trị trong danh sách."),
    "SK205": Code(ERROR, "Sai định dạng", "Viết lại giá trị theo định dạng yêu cầu."),
    "SK206": Code(ERROR, "Giá trị quá ngắn, quá dài hoặc ngoài khoảng cho phép", "Sửa giá trị cho nằm trong giới hạn."),
    "SK207": Code(ERROR, "Danh sách không hợp lệ", "Sửa danh sách: đủ số mục, không trùng mục."),
    "SK208": Code(ERROR, "Giá trị không hợp lệ", "Sửa giá trị theo Bảng tra các trường."),
    "SK210": Code(ERROR, "Mã bài không trùng tên tệp", "Đặt id trùng tên tệp (không có .md), hoặc đổi tên tệp."),
    "SK211": Code(ERROR, "Bài nằm sai thư mục đợt", "Đặt tệp trong entries/<mã đợt>/<mã đơn vị>/ đúng với trường campaign."),
    "SK212": Code(ERROR, "Bài nằm sai thư mục đơn vị", "Đặt tệp trong thư mục của đơn vị ghi ở trường unit."),
    "SK213": Code(ERROR, "Sai quy định về cá nhân hoặc nhóm tác giả", "Cá nhân: đúng 1 tác giả; nhóm: từ 02 tác giả trở lên và đúng một người đại diện (representative: true)."),
    "SK214": Code(ERROR, "Tổng tỷ lệ đóng góp khác 100%", "Sửa contribution của các tác giả cho tổng đúng bằng 100."),
    "SK215": Code(ERROR, "Ngày không có thật", "Kiểm tra lại ngày, tháng (ví dụ tháng 2 không có ngày 30)."),
    "SK216": Code(ERROR, "Thứ tự ngày không hợp lý", "Ngày áp dụng lần đầu không được sau ngày nộp; ngày mở phải trước ngày đóng."),
    "SK217": Code(ERROR, "Thiếu phần mô tả sáng kiến", "Viết phần mô tả bản chất sáng kiến sau dòng --- thứ hai."),
    "SK218": Code(ERROR, "Tài liệu kèm theo không hợp lệ", "Đặt tệp kèm theo cùng thư mục với bài và ghi đúng tên tệp, hoặc dùng đường dẫn https://."),
    "SK219": Code(WARNING, "Phần mô tả thiếu mục nên có", "Nên có các mục: ## Thực trạng, ## Giải pháp, ## Cách nhân rộng."),
    "SK220": Code(ERROR, "Bài dự thi lại thiếu giải trình", "Ghi rõ tên cuộc thi đã tham dự và nội dung đã chỉnh sửa trong previous_contest."),
    # SK221-SK224: starting and renewing a campaign (sangkien campaign new / next)
    "SK221": Code(ERROR, "Đợt đã có, không ghi đè", "Đặt mã đợt khác (--id), hoặc sửa trực tiếp tệp campaign.yaml của đợt đã có."),
    "SK222": Code(ERROR, "Không có mẫu đợt này", "Chọn một mẫu có sẵn (sangkien campaign new --help liệt kê các mẫu), hoặc bỏ --template để dùng mẫu mặc định của loại đợt."),
    "SK223": Code(ERROR, "Đợt không lặp lại nên không có đợt kế tiếp", "Thêm mục recurrence (every: nam) vào campaign.yaml của đợt nếu đợt tổ chức hằng năm, hoặc tạo đợt mới bằng sangkien campaign new."),
    "SK224": Code(ERROR, "Không tự đặt được mã đợt kế tiếp", "Ghi mã đợt mới bằng --id, ví dụ: --id ten-dot-2027."),
    # --- SK3xx: across files
    "SK301": Code(ERROR, "Mã bị trùng", "Đổi mã (id) và tên tệp để mỗi bài có mã riêng trong toàn kho."),
    "SK302": Code(ERROR, "Đợt phát động không tồn tại", "Sửa trường campaign theo mã đợt có trong entries/ (xem trang Đợt phát động)."),
    "SK303": Code(ERROR, "Đơn vị không có trong danh mục", "Sửa trường unit theo mã trong entries/units.yaml, hoặc đề nghị cơ quan tổ chức bổ sung đơn vị."),
    "SK304": Code(ERROR, "Đơn vị không còn hiệu lực vào ngày nộp", "Nộp dưới tên đơn vị kế thừa, hoặc kiểm tra lại ngày nộp."),
    "SK305": Code(ERROR, "Quyết định nhắc tới bài không tồn tại", "Sửa mã bài cho đúng với id của bài trong đợt."),
    "SK306": Code(ERROR, "Điểm không đúng thang điểm", "Chỉ chấm các tiêu chí của thang điểm, trong khoảng 0 đến điểm tối đa."),
    "SK307": Code(ERROR, "Số giải vượt quá số lượng", "Giảm số bài ở hạng giải này theo đúng số lượng trong thang điểm."),
    "SK308": Code(ERROR, "Ngày quyết định trước khi hết hạn nhận bài", "Kiểm tra ngày ký quyết định: phải sau ngày đóng nhận bài."),
    "SK309": Code(ERROR, "Vượt số lượng khen thưởng tối đa", "Giảm số người, số bài được khen cho không quá số lượng tối đa của kế hoạch."),
    "SK310": Code(ERROR, "Không phù hợp với kế hoạch của đợt", "Chọn lĩnh vực, hình thức tham gia, hình thức trình bày mà kế hoạch của đợt chấp nhận."),
    "SK311": Code(WARNING, "Đơn vị không thuộc diện tham gia đợt", "Kiểm tra lại đợt và đơn vị; cơ quan tổ chức có thể bổ sung đơn vị vào eligible_units."),
    "SK312": Code(ERROR, "Danh mục đơn vị không nhất quán", "Sửa mã đơn vị cấp trên, đơn vị kế thừa cho đúng, không trùng mã."),
    "SK313": Code(ERROR, "Thu hồi một quyết định không có trong hồ sơ", "Ghi đúng số quyết định công nhận bị thu hồi."),
    "SK314": Code(ERROR, "Tệp nằm ngoài cấu trúc thư mục", "Bài đặt tại entries/<mã đợt>/<mã đơn vị>/<mã bài>.md; tệp đợt tại entries/<mã đợt>/campaign.yaml."),
    "SK315": Code(ERROR, "Thư mục đợt thiếu tệp campaign.yaml", "Cơ quan tổ chức cần tạo tệp campaign.yaml cho đợt."),
    "SK316": Code(ERROR, "Quyết định không khớp với đợt", "Trường campaign trong decisions.yaml phải trùng tên thư mục đợt."),
    "SK317": Code(WARNING, "Bài chưa qua sơ loại mà đã được công nhận hoặc chấm điểm", "Hội đồng ghi kết quả sơ loại 'dat' trước khi chấm, công nhận."),
    # SK320-SK329: replication records (entries/replications/<unit>/<id>.md)
    "SK320": Code(ERROR, "Ghi nhận nhân rộng một sáng kiến không có trong kho", "Sửa trường initiative theo đúng mã (id) của sáng kiến trên trang Sáng kiến."),
    "SK321": Code(ERROR, "Sáng kiến được nhân rộng chưa được công nhận", "Chỉ ghi nhận nhân rộng sáng kiến đã có quyết định công nhận còn hiệu lực."),
    "SK322": Code(ERROR, "Đơn vị nhân rộng trùng đơn vị đã nộp sáng kiến", "Ghi nhận nhân rộng do đơn vị khác lập; đơn vị tác giả không tự ghi nhân rộng sáng kiến của mình."),
    "SK323": Code(ERROR, "Ngày áp dụng trước ngày sáng kiến được công nhận", "Sửa trường since: ngày bắt đầu áp dụng không được trước ngày ký quyết định công nhận."),
    "SK324": Code(ERROR, "Đơn vị nhân rộng không có hiệu lực vào ngày áp dụng", "Ghi nhận dưới tên đơn vị có hiệu lực vào ngày áp dụng (xem valid_from, valid_to trong danh mục đơn vị)."),
    "SK325": Code(WARNING, "Đơn vị đã ghi nhận nhân rộng sáng kiến này", "Sửa ghi nhận cũ thay vì tạo ghi nhận mới cho cùng sáng kiến."),
    # SK326-SK329: units named by a new or renewed campaign (sangkien campaign new / next)
    "SK326": Code(WARNING, "Đơn vị của đợt trước đã được thay bằng đơn vị kế thừa", "Kiểm tra lại đơn vị ban hành và các đơn vị tham gia trong campaign.yaml của đợt mới; ghi người ký của đơn vị kế thừa (issuer.signer)."),
    "SK327": Code(ERROR, "Đơn vị không có trong danh mục hoặc không còn hiệu lực vào ngày mở nhận bài", "Chọn đơn vị có trong entries/units.yaml và còn hiệu lực vào ngày mở nhận bài (xem valid_from, valid_to, successor)."),
    "SK328": Code(WARNING, "Đã bỏ đơn vị hoặc cấp không còn vào ngày mở nhận bài", "Kiểm tra lại danh sách đơn vị tham gia (eligible_units) và các cấp được tham gia (eligible_levels) của đợt mới."),
    "SK329": Code(ERROR, "Cấp huyện không còn từ ngày 01/7/2025", "Chọn cấp tỉnh hoặc cấp xã; từ ngày 01/7/2025 các xã, phường và sở, ngành tham gia theo cấp xã, cấp tỉnh."),
    # SK330-SK339: administrative units against the official list (adminunits.py, checks/units.py)
    "SK330": Code(ERROR, "Mã đơn vị hành chính không có trong danh mục chính thức",
                  "Sửa admin_code theo mã chính thức (tỉnh 2 chữ số, huyện 3 chữ số, xã 5 chữ số, trong dấu nháy); tra mã bằng: sangkien units import <tỉnh> --dry-run."),
    "SK331": Code(WARNING, "Tên đơn vị không khớp với mã đơn vị hành chính",
                  "Kiểm tra lại admin_code và tên đơn vị: tên phải nêu đúng địa danh của mã (ví dụ mã 80 từ 01/7/2025 là tỉnh Tây Ninh); nếu đơn vị đã đổi tên, ghi tên chính thức vào official_name."),
    "SK332": Code(WARNING, "Đợt mở sau ngày 01/7/2025 nêu đơn vị đã kết thúc hoạt động",
                  "Thay đơn vị đã kết thúc trong eligible_units bằng đơn vị kế thừa (successor) đang hoạt động."),
    "SK333": Code(WARNING, "Đợt mở sau ngày 01/7/2025 vẫn mời cấp huyện tham gia",
                  "Xóa huyen khỏi eligible_levels: từ ngày 01/7/2025 không còn cấp huyện; các xã, phường và sở, ngành tham gia theo cấp xa, tinh."),
    "SK334": Code(WARNING, "Chưa kiểm tra được mã đơn vị hành chính",
                  "Cài lại công cụ kèm danh mục chính thức: pip install \"vietnamadminunits>=1.0.4,<1.1\" (hoặc cài lại sangkien), rồi chạy lại sangkien validate."),
    "SK335": Code(ERROR, "Cấp của đơn vị không khớp với mã đơn vị hành chính",
                  "Sửa level cho đúng cấp của mã (tỉnh 2 chữ số, huyện 3 chữ số, xã 5 chữ số), hoặc sửa admin_code cho đúng đơn vị."),
    # SK340-SK349: entries/federation.yaml (sources of other catalogues), what the schema cannot check
    "SK340": Code(ERROR, "Mã nguồn liên thông bị trùng", "Đặt cho mỗi nguồn trong entries/federation.yaml một mã (id) riêng."),
    "SK341": Code(ERROR, "Đường dẫn nguồn liên thông ra ngoài kho",
                  "Đặt tệp dữ liệu của nguồn vào trong thư mục của kho và ghi path tính từ thư mục gốc của kho, không dùng «..»."),
    "SK336": Code(WARNING, "Phạm vi áp dụng cấp huyện trong đợt sau ngày 01/7/2025", "Chọn phạm vi đúng với hiện nay: trong cơ quan, đơn vị (don-vi), cấp xã (xa), toàn tỉnh (tinh) hoặc toàn quốc (toan-quoc)."),
    "SK337": Code(WARNING, "Công nhận cấp huyện trong đợt sau ngày 01/7/2025", "Ghi cấp công nhận đúng với cơ quan ra quyết định: cấp cơ sở (co-so) hoặc cấp tỉnh (tinh); cấp huyện chỉ dùng cho hồ sơ cũ."),
    # --- SK4xx: deadlines
    "SK401": Code(ERROR, "Nộp trước khi mở nhận bài", "Chờ đến thời điểm mở nhận bài rồi nộp lại."),
    "SK402": Code(ERROR, "Nộp sau hạn", "Hạn nộp đã qua; chỉ Hội đồng mới có thể chấp nhận bài nộp muộn (late_waivers)."),
    "SK403": Code(ERROR, "Sửa bài sau khi đã hết hạn", "Không sửa, xóa bài sau hạn; liên hệ Hội đồng nếu cần đính chính."),
    "SK404": Code(WARNING, "Ngày nộp ghi trong bài khác ngày gửi thực tế", "Sửa trường submitted cho đúng ngày gửi (giờ Việt Nam)."),
    "SK405": Code(WARNING, "Bài nộp muộn đã được Hội đồng chấp nhận", "Không cần sửa: Hội đồng đã ghi nhận chấp nhận nộp muộn."),
    "SK406": Code(ERROR, "Chấp nhận nộp muộn ghi sai đơn vị", "Ghi trong late_waivers đúng mã đơn vị có bài (tên thư mục entries/<mã đợt>/<mã đơn vị>/ chứa bài) và đúng mã bài."),
    "SK407": Code(ERROR, "Chấp nhận nộp muộn dành cho đơn vị khác", "Chấp nhận nộp muộn chỉ dùng cho đúng đơn vị và đúng bài Hội đồng ghi; đơn vị khác muốn nộp muộn phải đề nghị Hội đồng chấp nhận riêng."),
    "SK408": Code(ERROR, "Thời hạn chấp nhận nộp muộn không hợp lý", "Ghi until là ngày cuối cùng đơn vị được nộp, sửa bài muộn: sau hạn chót của đợt và không trước ngày Hội đồng chấp nhận (date)."),
    # SK409-SK414: dates that have not come yet
    "SK409": Code(ERROR, "Ngày nộp là ngày chưa tới", "Sửa trường submitted thành ngày đã gửi bài thật (không sau ngày kiểm tra), dạng \"yyyy-mm-dd\" trong dấu nháy."),
    "SK410": Code(ERROR, "Ngày quyết định của Hội đồng là ngày chưa tới", "Ghi ngày Hội đồng đã quyết định (không sau hôm nay), ví dụ --date 25/07/2024; trong decisions.yaml viết dạng \"yyyy-mm-dd\" trong dấu nháy."),
    # --- SK5xx: privacy and text hygiene
    "SK501": Code(ERROR, "Có số điện thoại di động cá nhân", "Xóa số điện thoại cá nhân (kể cả số viết cách, viết trong liên kết Zalo, tel:); chỉ ghi số điện thoại, hộp thư của cơ quan đã có trong danh mục đơn vị (entries/units.yaml)."),
    "SK502": Code(ERROR, "Có trường thông tin cá nhân", "Xóa trường này: không công khai ngày sinh, số điện thoại, địa chỉ nhà riêng, số CCCD."),
    "SK503": Code(ERROR, "Có số căn cước công dân (12 chữ số)", "Xóa số CCCD khỏi bài; hồ sơ giấy gửi Hội đồng vẫn ghi được, kho công khai thì không."),
    "SK504": Code(ERROR, "Có hộp thư cá nhân", "Xóa hộp thư cá nhân (kể cả khi viết [at], (a), [dot]); ghi hộp thư công vụ của cơ quan đã có trong danh mục đơn vị (…@….gov.vn)."),
    "SK505": Code(ERROR, "Có ngày sinh", "Xóa ngày, năm sinh khỏi bài (cả dạng «SN 1985», «(1985)» sau tên người); mẫu công khai không ghi ngày sinh."),
    "SK506": Code(ERROR, "Có số điện thoại bàn không phải số của cơ quan", "Xóa số cá nhân; chỉ ghi số tổng đài của cơ quan đã có trong danh mục đơn vị (cơ quan tổ chức bổ sung vào entries/units.yaml nếu còn thiếu)."),
    "SK507": Code(ERROR, "Có địa chỉ nhà riêng", "Xóa địa chỉ nơi ở (nhà riêng, thường trú, tạm trú); chỉ ghi địa chỉ trụ sở cơ quan."),
    "SK508": Code(ERROR, "Có số chứng minh nhân dân (9 chữ số)", "Xóa số CMND khỏi bài; kho công khai không ghi giấy tờ tùy thân."),
    "SK509": Code(ERROR, "Có số tài khoản ngân hàng", "Xóa số tài khoản khỏi bài; thông tin nhận tiền thưởng gửi riêng cho cơ quan tổ chức, không đưa vào kho công khai."),
    "SK510": Code(ERROR, "Chữ bị lỗi phông (TCVN3/VNI)", "Văn bản được dán từ tệp Word dùng phông cũ (.VnTime, VNI-Times). Mở tệp Word, dùng Unikey (Công cụ chuyển mã, Ctrl+Shift+F6) chuyển từ TCVN3 hoặc VNI Windows sang Unicode rồi dán lại."),
    "SK511": Code(ERROR, "Có mã HTML trong bài", "Viết &lt; hoặc bỏ thẻ: dấu < liền trước một chữ cái, /, ! hoặc ? bị coi là thẻ HTML; muốn viết phép so sánh thì để một dấu cách sau < (x < y); muốn trích mã thì đặt trong dấu `...`; định dạng dùng cú pháp Markdown (## tiêu đề, **đậm**, - danh sách)."),
    "SK512": Code(ERROR, "Liên kết không an toàn", "Chỉ dùng liên kết https:// hoặc http://; không dùng javascript:, data:, vbscript:."),
    "SK513": Code(WARNING, "Chữ lẫn ký tự của bảng chữ cái khác", "Gõ lại từ bằng bộ gõ tiếng Việt (Unikey) để thay ký tự Hy Lạp, Kirin trông giống chữ Latinh."),
    "SK514": Code(WARNING, "Có ký tự điều khiển hoặc ký tự vô hình", "Xóa các ký tự vô hình (thường do dán từ trang web hoặc PDF)."),
    "SK520": Code(ERROR, "Phần mô tả có cấu trúc Markdown quá nặng để hiển thị", "Bỏ bớt các dấu [ ] không dùng làm liên kết (hoặc viết \\[), chèn một dòng trống giữa các dòng tiêu đề (#) hay đường kẻ (---) liền nhau, và giảm số tầng danh sách, trích dẫn lồng nhau."),
    # --- SK8xx: council and organiser tools (score sheets, results, thi đua, dossiers, decisions)
    "SK801": Code(ERROR, "Không tìm thấy đợt", "Ghi đúng mã đợt (tên thư mục trong entries/), ví dụ: sangkien scoresheet chau-thanh-2024."),
    "SK802": Code(ERROR, "Đợt chưa có thang điểm", "Cơ quan tổ chức khai báo rubric (tiêu chí, điểm tối đa, pass_total, combine) trong campaign.yaml của đợt."),
    "SK803": Code(ERROR, "Chưa có bài qua sơ loại", "Hội đồng ghi kết quả sơ loại (screening, result: dat) vào decisions.yaml rồi tạo phiếu chấm."),
    "SK804": Code(ERROR, "Tệp không phải phiếu chấm do sangkien tạo", "Dùng đúng tệp XLSX do lệnh sangkien scoresheet tạo; không sao chép sang sổ tính khác."),
    "SK805": Code(ERROR, "Phiếu chấm của đợt khác", "Nhập phiếu chấm vào đúng đợt ghi trên phiếu."),
    "SK806": Code(ERROR, "Cấu trúc phiếu chấm đã bị thay đổi", "Không thêm, xóa, di chuyển dòng, cột trên phiếu; nếu thang điểm đã đổi, tạo phiếu mới bằng sangkien scoresheet và chấm lại."),
    "SK807": Code(ERROR, "Điểm không hợp lệ", "Ghi một số từ 0 đến điểm tối đa của tiêu chí (ghi ở tiêu đề cột)."),
    "SK808": Code(ERROR, "Bài trên phiếu không có trong đợt hoặc chưa qua sơ loại", "Tạo lại phiếu chấm theo danh sách bài qua sơ loại hiện tại."),
    "SK809": Code(ERROR, "Hai phiếu chấm của cùng một thành viên", "Mỗi thành viên chỉ nộp một phiếu trong một lần nhập; bỏ bớt một tệp."),
    "SK810": Code(ERROR, "Dòng chấm chưa đủ điểm", "Chấm đủ mọi tiêu chí của bài, hoặc để trống cả dòng nếu không chấm bài đó."),
    "SK811": Code(ERROR, "Tệp decisions.yaml sẽ không hợp lệ nên không ghi", "Sửa các lỗi được nêu (sangkien validate entries/<mã đợt>/decisions.yaml) rồi chạy lại lệnh."),
    "SK812": Code(ERROR, "Không cập nhật được decisions.yaml an toàn", "Kiểm tra tệp decisions.yaml: các trường cấp ngoài cùng viết sát lề trái, danh sách viết dạng gạch đầu dòng."),
    "SK814": Code(ERROR, "Phiếu chấm chưa ghi tên thành viên", "Ghi họ tên thành viên Hội đồng vào ô Thành viên Hội đồng trên phiếu, hoặc tạo phiếu có sẵn tên: sangkien scoresheet <mã đợt> --member \"Họ tên\"."),
    "SK813": Code(ERROR, "Ngày chấm không hợp lệ", "Ghi ngày chấm dạng dd/mm/yyyy trong ô Ngày chấm, hoặc dùng --date dd/mm/yyyy (ví dụ --date 10/07/2024)."),
    "SK820": Code(ERROR, "Quyết định đã được ghi", "Không sửa quyết định đã ghi; muốn thay đổi thì ban hành quyết định thu hồi (sangkien decide --revoke) rồi quyết định mới với số khác."),
    "SK821": Code(ERROR, "Thu hồi không hợp lệ", "Ghi đúng số quyết định công nhận và các bài có trong quyết định đó, chưa bị thu hồi."),
    "SK822": Code(ERROR, "Thông tin quyết định không hợp lệ", "Sửa số, ngày, cấp công nhận, mã bài, hạng giải theo hướng dẫn của lệnh (sangkien decide --help)."),
    "SK830": Code(WARNING, "Người được khen thưởng chưa đạt chỉ tiêu thi đua", "Kiểm tra lại số liệu trong hồ sơ đề nghị hoặc quyết định khen thưởng: kế hoạch chỉ khen người đạt mọi chỉ tiêu của cấp mình."),
    "SK831": Code(WARNING, "Hồ sơ đề nghị khen thưởng chưa đủ thành phần", "Bổ sung tờ trình, biên bản họp Hội đồng TĐKT, báo cáo thành tích (Mẫu 07) rồi ghi true trong mục dossier."),
    "SK840": Code(ERROR, "Không tìm thấy bài, hồ sơ hay đợt", "Ghi mã bài (hoặc đường dẫn tệp .md của bài), mã hồ sơ đề nghị khen thưởng, hoặc mã đợt; xem tên các thư mục, tệp trong entries/."),
    "SK841": Code(ERROR, "Không tạo được tệp Word", "Kiểm tra thư mục ghi (--out) có quyền ghi và không nằm trong entries/."),
    "SK842": Code(WARNING, "Không có LibreOffice để chuyển sang PDF", "Cài LibreOffice (Debian/Ubuntu: sudo apt install libreoffice-writer-nogui), hoặc mở tệp DOCX bằng Word, chọn Lưu thành (Save As) PDF."),
    "SK843": Code(ERROR, "Chuyển sang PDF không thành công", "Đóng tệp nếu đang mở trong LibreOffice rồi chạy lại; hoặc mở tệp DOCX bằng Word, chọn Lưu thành PDF."),
    # SK844-SK849: the council's papers (báo cáo thành tích, tờ trình, biên bản, quyết định)
    "SK844": Code(ERROR, "Ngày ghi trên văn bản không hợp lệ", "Ghi ngày dạng ngày/tháng/năm, ví dụ --date 16/01/2024 (hoặc 2024-01-16)."),
    "SK845": Code(ERROR, "Loại văn bản không dùng được với mã đã ghi", "Tờ trình, biên bản, quyết định (--submission, --minutes, --decision) làm cho một đợt: ghi mã đợt, ví dụ sangkien dossier ba-ria-vung-tau-2023 --minutes; báo cáo thành tích làm cho một hồ sơ đề nghị: ghi mã hồ sơ."),
    "SK846": Code(ERROR, "Đơn vị không có hồ sơ trong đợt", "Ghi đúng mã đơn vị (--unit) có bài hoặc hồ sơ đề nghị trong đợt; xem các thư mục trong entries/<mã đợt>/."),
    "SK847": Code(ERROR, "Chưa có bài hoặc hồ sơ nào được đề nghị", "Ghi kết quả sơ loại (sangkien screen), nhập phiếu chấm (sangkien scores import) hoặc bổ sung hồ sơ đề nghị rồi chạy lại; xem bảng dự kiến bằng sangkien results <mã đợt>."),
    "SK848": Code(ERROR, "Hồ sơ đề nghị không thuộc phong trào thi đua có trong kho", "Ghi đúng mã đợt (campaign) trong hồ sơ đề nghị; đợt phải là phong trào thi đua (kind: thi-dua) có chỉ tiêu (targets)."),
    "SK850": Code(ERROR, "Không ghi được tệp kết quả", "Chọn thư mục ghi khác (--out), ngoài thư mục entries/, và đóng tệp nếu đang mở trong Excel."),
    # SK851-SK855: screening (sơ loại) by command
    "SK851": Code(ERROR, "Bài đã có kết quả sơ loại", "Giữ kết quả đã ghi, hoặc chạy lại lệnh với --replace để thay kết quả cũ (nêu lý do mới)."),
    "SK852": Code(ERROR, "Sơ loại không đạt mà chưa ghi lý do", "Ghi lý do không đạt: --reason \"…\" (ít nhất 2 ký tự), ví dụ --reason \"Chưa triển khai thực hiện\"."),
    "SK853": Code(ERROR, "Bài không có trong đợt", "Ghi đúng mã bài (id) của bài trong đợt; xem danh sách bài trong thư mục entries/<mã đợt>/."),
    "SK854": Code(ERROR, "Bài đã được công nhận nên không sơ loại lại", "Kết quả sơ loại của bài đã được công nhận không sửa được; muốn hủy công nhận thì ban hành quyết định thu hồi (sangkien decide --revoke)."),
    "SK855": Code(ERROR, "Thông tin sơ loại không hợp lệ", "Chọn đúng một trong --pass (đạt) hoặc --fail (không đạt), ghi ít nhất một mã bài; xem sangkien screen --help."),
    # --- SK6xx: who may change what (pull requests), CODEOWNERS, the host's event record
    "SK601": Code(ERROR, "Một yêu cầu hợp nhất nộp bài của nhiều đơn vị", "Tách thành các yêu cầu hợp nhất riêng, mỗi yêu cầu chỉ gồm bài của một đơn vị."),
    "SK602": Code(ERROR, "Tài khoản không thuộc đơn vị có bài", "Nộp bài bằng tài khoản của đơn vị; nếu tài khoản này thuộc đơn vị, đề nghị cơ quan tổ chức bổ sung vào mục accounts của đơn vị trong entries/units.yaml."),
    "SK603": Code(ERROR, "Chỉ cơ quan tổ chức được sửa danh mục đơn vị và kế hoạch đợt", "Bỏ thay đổi tệp này khỏi yêu cầu hợp nhất; cần sửa thì đề nghị cơ quan tổ chức."),
    "SK604": Code(ERROR, "Chỉ Hội đồng được sửa tệp quyết định", "Bỏ thay đổi tệp decisions.yaml khỏi yêu cầu hợp nhất: đơn vị không tự ghi kết quả sơ loại, điểm, công nhận hay chấp nhận nộp muộn; cần đề nghị thì gửi Hội đồng."),
    "SK605": Code(ERROR, "Chỉ cơ quan tổ chức được sửa tệp ngoài thư mục bài", "Bỏ thay đổi tệp này khỏi yêu cầu hợp nhất; mẫu, công cụ, quy trình kiểm tra và tài liệu do cơ quan tổ chức quản lý. Nếu thay đổi là cần thiết, cơ quan tổ chức phải xem xét và tự gửi nó (phép kiểm tra luôn chạy công cụ của nhánh chính, không chạy bản trong yêu cầu)."),
    "SK606": Code(ERROR, "Đơn vị chưa có trong danh mục ở nhánh chính", "Đề nghị cơ quan tổ chức thêm đơn vị (kèm tài khoản) vào entries/units.yaml trước, bằng một yêu cầu hợp nhất riêng; sau đó nộp bài."),
    "SK607": Code(ERROR, "Không đọc được danh mục đơn vị ở nhánh chính", "Cơ quan tổ chức đưa entries/units.yaml hợp lệ lên nhánh chính trước khi nhận bài."),
    "SK608": Code(ERROR, "Tên tài khoản người nộp không hợp lệ", "Ghi tên tài khoản trên máy chủ Git, không có @, ví dụ: --actor phongnoivu-chauthanh."),
    "SK610": Code(ERROR, "Tệp CODEOWNERS chưa khớp danh mục đơn vị", "Chạy: sangkien codeowners, rồi đưa tệp .github/CODEOWNERS đã cập nhật vào cùng yêu cầu hợp nhất."),
    "SK611": Code(ERROR, "Không đọc được sự kiện của máy chủ Git", "Chạy lệnh trong quy trình CI của máy chủ Git (GitHub Actions, Gitea/Forgejo Actions, GitLab CI), hoặc chỉ rõ tệp sự kiện bằng --event-path. GitLab: chạy pipeline trong dự án gốc (không phải bản sao) và cấp biến SANGKIEN_API_TOKEN để đọc được bản ghi yêu cầu hợp nhất."),
    "SK612": Code(ERROR, "Báo cáo kiểm tra không đọc được", "Xem bước «Kiểm tra» phía trên trong nhật ký: lệnh sangkien validate đã dừng trước khi ghi báo cáo."),
    "SK613": Code(ERROR, "Yêu cầu hợp nhất xung đột với nhánh gốc", "Cập nhật nhánh của yêu cầu theo nhánh gốc (nút Update branch, hoặc git merge main) rồi đẩy lại; phép kiểm tra chạy lại tự động."),
    "SK614": Code(ERROR, "Chưa cài đặt phép kiểm tra tin cậy trên GitLab", "Cơ quan tổ chức vào Settings → CI/CD → General pipelines, ô «CI/CD configuration file», ghi .gitlab/ci/kiem-tra.yml@<nhóm>/<dự án>:main (xem Quy trình kiểm tra tự động, mục GitLab)."),
    # --- SK7xx: novelty (near-duplicates, resubmissions)
    "SK701": Code(WARNING, "Bài gần trùng với sáng kiến đã được công nhận", "Nếu là cùng một sáng kiến thì không nộp lại; nếu là cải tiến, nêu rõ điểm mới so với sáng kiến đã được công nhận trong phần mô tả để Hội đồng xem xét tính mới."),
    "SK702": Code(WARNING, "Bài gần trùng với một bài dự thi khác", "Kiểm tra lại hai bài: nếu chép lại của nhau thì rút một bài; nếu là hai giải pháp khác nhau, viết rõ điểm khác biệt trong phần mô tả."),
    "SK703": Code(ERROR, "Bài gần như trùng với bài đã không đạt ở đợt trước mà không khai báo dự thi lại", "Khai báo previous_contest (tên cuộc thi, năm, mã bài trước và giải trình nội dung đã chỉnh sửa) và chỉnh sửa, bổ sung bài; bài không đạt chỉ được dự thi lại khi đã hoàn thiện."),
    "SK704": Code(WARNING, "Bài giống bài đã không đạt ở đợt trước", "Nếu đây là bài dự thi lại, khai báo previous_contest kèm giải trình nội dung đã chỉnh sửa; nếu không, viết rõ điểm khác biệt trong phần mô tả."),
    "SK705": Code(ERROR, "Bài dự thi lại chưa được chỉnh sửa đủ", "Chỉnh sửa, bổ sung nội dung bài (giải pháp, kết quả, cách nhân rộng) so với bài đã dự thi và ghi rõ trong previous_contest.changes."),
    "SK706": Code(ERROR, "Bài trước được khai báo không có trong kho", "Sửa previous_contest.entry theo đúng mã (id) của bài đã dự thi; nếu bài đó không có trong kho, xóa dòng entry và giữ tên cuộc thi, năm, giải trình."),
    "SK710": Code(ERROR, "Ngưỡng kiểm tra tính mới không hợp lý", "Ngưỡng báo lỗi (error) phải lớn hơn hoặc bằng ngưỡng cảnh báo (warn); xem Hướng dẫn, mục Kiểm tra tính mới."),
    # SK711-SK719: novelty against the catalogues of other provinces (federation/, sangkien harvest)
    "SK711": Code(WARNING, "Bài gần trùng với sáng kiến đã công bố ở địa phương khác",
                  "Đọc sáng kiến được nêu theo đường dẫn; nếu là cùng một mô hình thì không nộp như sáng kiến mới; nếu là cải tiến hoặc áp dụng "
                  "có điều chỉnh, nêu rõ điểm mới so với mô hình đó trong phần mô tả để Hội đồng xem xét tính mới."),
    "SK712": Code(ERROR, "Bài trùng mô hình đã công bố ở địa phương khác (kế hoạch của đợt không nhận)",
                  "Kế hoạch của đợt không nhận mô hình, giải pháp đã công khai áp dụng ở địa phương khác: viết lại bài nêu rõ điểm mới, "
                  "hoặc rút bài; nếu khác biệt thật sự, đề nghị Hội đồng xem xét."),
    "SK713": Code(WARNING, "Không đọc được bản sao danh mục liên thông",
                  "Chạy lại sangkien harvest để tải lại nguồn; không sửa tay các tệp trong thư mục federation/."),
    # --- SK9xx: usage
    "SK901": Code(ERROR, "Không tìm thấy đường dẫn", "Kiểm tra lại đường dẫn tệp hoặc thư mục."),
    "SK902": Code(ERROR, "Không đọc được lịch sử Git", "Kiểm tra mã tham chiếu (--base) có trong kho, ví dụ origin/main; trong CI cần lấy đủ lịch sử (fetch-depth: 0)."),
    "SK903": Code(ERROR, "Thời điểm không hợp lệ", "Ghi thời điểm theo ISO 8601 có múi giờ, ví dụ 2024-06-25T23:59:59+07:00."),
    # SK904-SK909: sangkien campaign (new / next)
    "SK904": Code(ERROR, "Thiếu thông tin bắt buộc của đợt", "Ghi tham số còn thiếu (sangkien campaign new --help), hoặc chạy lệnh không có --yes để trả lời từng câu hỏi."),
    "SK905": Code(ERROR, "Giá trị của tham số không hợp lệ", "Sửa giá trị theo hướng dẫn của lệnh (sangkien campaign new --help); ngày ghi theo ngày/tháng/năm, ví dụ 01/12/2026."),
    "SK906": Code(ERROR, "Tệp đợt tạo ra không hợp lệ nên không ghi", "Sửa các giá trị được nêu rồi chạy lại lệnh; không có tệp nào được ghi."),
    "SK907": Code(ERROR, "Không đọc được đợt làm gốc", "Ghi đúng mã đợt (tên thư mục trong entries/) và sửa các lỗi của campaign.yaml đợt đó (sangkien validate) rồi chạy lại."),
    "SK908": Code(ERROR, "Đầu vào kết thúc trước khi trả lời hết câu hỏi", "Chạy lại lệnh trong cửa sổ dòng lệnh để trả lời từng câu hỏi, hoặc ghi mọi thông tin bằng tham số kèm --yes."),
    "SK909": Code(ERROR, "Thứ tự các mốc thời gian không hợp lý", "Ngày mở nhận bài phải không sau ngày đóng; hạn của các bước phải sau ngày mở nhận bài."),
    # SK910-SK914: sangkien units (import, add)
    "SK910": Code(ERROR, "Không tìm thấy tỉnh, thành phố trong danh mục chính thức",
                  "Ghi tên tỉnh, thành phố từ ngày 01/7/2025 (có hoặc không dấu, ví dụ: \"Tây Ninh\", \"khanh hoa\", \"TP Hồ Chí Minh\") hoặc mã 2 chữ số (ví dụ 80)."),
    "SK911": Code(ERROR, "Thông tin đơn vị không hợp lệ",
                  "Sửa giá trị theo hướng dẫn của lệnh (sangkien units add --help); mã đơn vị chỉ gồm chữ thường không dấu, số và gạch nối."),
    "SK912": Code(ERROR, "Không cập nhật được danh mục đơn vị an toàn",
                  "Kiểm tra entries/units.yaml: dòng units: viết sát lề trái, các đơn vị viết dạng gạch đầu dòng bên dưới; sửa các lỗi hiện có (sangkien validate entries/units.yaml) rồi chạy lại lệnh."),
    "SK913": Code(ERROR, "Danh mục đơn vị sẽ không hợp lệ nên không ghi",
                  "Sửa các lỗi được nêu rồi chạy lại lệnh; tệp entries/units.yaml được giữ nguyên như trước khi chạy lệnh."),
    "SK914": Code(ERROR, "Không đọc được danh sách sở, ngành",
                  "Ghi mỗi dòng một tên sở, ngành (tệp văn bản UTF-8 hoặc CSV, cột đầu là tên), ví dụ: Sở Nội vụ."),
    "SK915": Code(ERROR, "Ngày gõ vào không hợp lệ", "Ghi ngày theo dạng ngày/tháng/năm, ví dụ 25/07/2024 (cũng nhận 2024-07-25)."),
    # SK930-SK939: sangkien harvest
    "SK930": Code(ERROR, "Không đọc được danh sách nguồn liên thông",
                  "Sửa các lỗi của entries/federation.yaml (sangkien validate entries/federation.yaml) rồi chạy lại lệnh."),
    "SK931": Code(ERROR, "Không có nguồn liên thông này",
                  "Ghi đúng mã (id) của nguồn như trong entries/federation.yaml; xem danh sách bằng sangkien harvest --status."),
    "SK932": Code(ERROR, "Không tải được dữ liệu của nguồn liên thông",
                  "Kiểm tra địa chỉ url trong entries/federation.yaml (mở thử bằng trình duyệt) và kết nối mạng, rồi chạy lại sangkien harvest; "
                  "bản sao tải được lần trước vẫn được giữ và dùng."),
    "SK933": Code(ERROR, "Dữ liệu của nguồn liên thông quá lớn",
                  "Kiểm tra địa chỉ có đúng là tệp du-lieu/sang-kien.json không; nếu đúng, tăng giới hạn bằng sangkien harvest --max-mb N."),
    "SK934": Code(ERROR, "Dữ liệu của nguồn liên thông không phải tệp JSON",
                  "Địa chỉ phải trỏ tới tệp du-lieu/sang-kien.json của trang danh mục (không phải trang chủ); mở thử bằng trình duyệt để kiểm tra."),
    "SK935": Code(ERROR, "Dữ liệu của nguồn liên thông không đúng lược đồ danh mục",
                  "Báo cho nơi quản lý nguồn: tệp du-lieu/sang-kien.json phải khớp lược đồ schema/catalogue.schema.json của sangkien; "
                  "bản sao hợp lệ lần trước vẫn được giữ và dùng."),
    "SK936": Code(ERROR, "Nguồn liên thông chứa dữ liệu của cơ quan khác",
                  "Kiểm tra lại địa chỉ url của nguồn và tên cơ quan công bố (publisher) trong entries/federation.yaml."),
    "SK937": Code(ERROR, "Giá trị tham số của lệnh harvest không hợp lệ",
                  "Ghi số dương, ví dụ --timeout 30 (giây) hoặc --max-mb 50 (MB)."),
    # SK921-SK929: sangkien template / import
    "SK921": Code(ERROR, "Không tìm thấy đợt hoặc đơn vị", "Ghi đúng mã đợt (tên thư mục trong entries/) và mã đơn vị (trong entries/units.yaml); xem bằng lệnh sangkien validate hoặc trang Nộp sáng kiến."),
    "SK922": Code(ERROR, "Không có tệp Word nào để nhập", "Ghi đường dẫn tệp .docx, hoặc thư mục chứa các tệp .docx nhận qua thư điện tử."),
    "SK923": Code(ERROR, "Thư mục ghi không dùng được", "Ghi --out là một thư mục có quyền ghi (tạo trước nếu chưa có)."),
    # SK940-SK949: sangkien site (the catalogue as files for any site generator)
    "SK940": Code(ERROR, "Thư mục xuất danh mục đã có tệp",
                  "Ghi --out là một thư mục chưa có hoặc đang trống (lệnh không ghi đè tệp có sẵn), ví dụ --out ../danh-muc-xuat."),
    "SK941": Code(ERROR, "Không đọc được cấu hình trang (mkdocs.yml)",
                  "Sửa mkdocs.yml theo thông báo (mở bằng trình soạn thảo, xem dòng được nêu), rồi chạy lại sangkien site; "
                  "cách điền: docs/huong-dan/trien-khai-cho-tinh.md."),
    "SK942": Code(ERROR, "Không xuất được danh mục",
                  "Sửa điều được nêu trong thông báo (biến môi trường, tệp của kho; sangkien validate cho biết lỗi của các tệp), "
                  "rồi chạy lại sangkien site; nếu ổ đĩa đầy hoặc không có quyền ghi, chọn thư mục --out khác."),
    "SK920": Code(ERROR, "Dựng trang để công bố nhưng chưa khai báo địa chỉ trang (site_url)",
                  "Ghi địa chỉ công khai của trang vào dòng site_url trong mkdocs.yml, ví dụ site_url: https://sangkien.example.gov.vn/ "
                  "(GitHub Pages: https://<tài khoản>.github.io/<kho>/); sơ đồ trang, nguồn tin và dữ liệu mở cần địa chỉ này để có liên kết đầy đủ."),
}


def problem(code: str, file: str, line: int, column: int, what: str, fix: str | None = None,
            severity: str | None = None, *, at: str | None = None, key: Key | None = None) -> Problem:
    """Build a problem whose message says what is wrong, where, and how to fix it.

    `what` is written without the place: `at=LINE` puts «Dòng N: » before it, `at=COLUMN`
    «Dòng N, cột M: » (problems.placed, the one place that writes them). `key` is the YAML key
    path of the value concerned, where known."""
    info = CODES[code]
    return Problem(code, severity or info.severity, file, max(line, 1), max(column, 1), f"{what} Cách sửa: {fix or info.fix}",
                   at, tuple(key) if key is not None else None)
