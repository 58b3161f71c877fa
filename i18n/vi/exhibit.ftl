# exhibit: bản tiếng Việt (vi) của i18n/en/exhibit.ftl, cùng các mã thông báo
# và cùng các đối số. Thuật ngữ pháp lý: i18n/glossary.md (cột vi), theo
# Bộ luật Tố tụng hình sự 2015 và Luật Giao dịch điện tử. Không dịch đối số,
# tên lệnh, tùy chọn, tên tệp và tên tiêu chuẩn.

## The language itself

language-name = Tiếng Việt

## Numbers, sizes and dates

# Between groups of three digits: 3.224.128.872.
number-group-separator = .
# Between the whole and the decimal part of 3,0 GiB.
number-decimal-separator = ,
size-bytes =
    { $count ->
       *[other] { $n } byte
    }
# $amount: 3,0; $unit: GiB; $exact: the byte count (size-bytes).
size-larger = { $amount } { $unit } ({ $exact })
unit-kib = KiB
unit-mib = MiB
unit-gib = GiB
unit-tib = TiB
unit-pib = PiB
# Vietnamese form, then the ISO 8601 form.
date-time = ngày { $day } tháng { $month-number } năm { $year }, { $time } UTC ({ $iso })
month-1 = tháng 1
month-2 = tháng 2
month-3 = tháng 3
month-4 = tháng 4
month-5 = tháng 5
month-6 = tháng 6
month-7 = tháng 7
month-8 = tháng 8
month-9 = tháng 9
month-10 = tháng 10
month-11 = tháng 11
month-12 = tháng 12

## Counts ($n is the number written with grouping, $count selects the plural)

count-files =
    { $count ->
       *[other] { $n } tệp
    }
count-payload-files =
    { $count ->
       *[other] { $n } tệp nội dung
    }
count-more-files =
    { $count ->
       *[other] { $n } tệp khác
    }
count-events =
    { $count ->
       *[other] { $n } sự kiện
    }
count-problems =
    { $count ->
       *[other] { $n } vấn đề
    }
count-archive-time-stamps =
    { $count ->
       *[other] { $n } dấu thời gian lưu trữ
    }

## The verdict

verdict-verified = ĐÃ KIỂM TRA
verdict-failed = KHÔNG ĐẠT
verdict-untrusted = CHƯA ĐƯỢC TIN CẬY
verdict-with-disclosure = { $verdict } (công bố một phần: { $disclosed } trên { $sealed } tệp đã niêm phong)
# The first line of verify: verdict, bundle, what it is, detail.
verify-line = { $verdict }: { $bundle } ({ $files }, { $size }): { $detail }
verify-line-case = { $verdict }: { $bundle } (vụ án { $case }, vật chứng { $exhibit }; { $files }, { $size }): { $detail }
verify-line-bag = { $verdict }: { $bundle } (túi BagIt thông thường, chưa được niêm phong; { $files }, { $size }): { $detail }
detail-verified = nguyên vẹn và được ký bằng một khóa được tin cậy
detail-bag-unsigned = nguyên vẹn, nhưng không có ai ký
detail-no-trust-given-certificates = nguyên vẹn, nhưng không chỉ định --trust hoặc --ca: danh tính của mỗi người ký chỉ là danh tính do người đó tự xưng
detail-no-trust-given = nguyên vẹn, nhưng không chỉ định --trust: danh tính của người ký chỉ là danh tính do người đó tự xưng
detail-untrusted-because = nguyên vẹn, nhưng { $reason } (xem bên dưới)
detail-no-key-or-root = nguyên vẹn, nhưng không có khóa --trust hay chứng thư gốc --ca nào xác nhận cho một người ký của niêm phong
detail-no-trusted-key = nguyên vẹn, nhưng niêm phong không được ký bằng khóa --trust nào
# How many payload files a failed verification found changed, and which.
failed-files-differ =
    { $count ->
       *[other] { $n } tệp khác với bản đã niêm phong
    }
failed-files-missing =
    { $count ->
       *[other] { $n } tệp bị thiếu
    }
failed-files-added =
    { $count ->
       *[other] { $n } tệp đã bị thêm vào
    }
failed-files-unreadable =
    { $count ->
       *[other] { $n } tệp không đọc được
    }
# $parts: the counts above, joined with ", "; $paths: the first files named.
failed-summary = { $parts } ({ $paths })
list-separator = {", "}

## Why an intact bundle is not trusted

reason-proof-does-not-count = một bằng chứng làm căn cứ không được công nhận: { $proof }
reason-no-trusted-key = niêm phong không được ký bằng khóa được tin cậy nào
reason-too-few-signers = chỉ có { $trusted } trên { $needed } chữ ký niêm phong được tin cậy mà chính sách tin cậy yêu cầu
reason-custody-not-trusted = chính sách tin cậy không tin cậy sự kiện bảo quản { $events }
# One custody event the policy does not trust: "3 (vai trò)".
reason-event = { $sequence } ({ $reason })
# The trust policy's words for why it does not trust a key.
policy-reason-revoked = đã bị thu hồi
policy-reason-expired = đã hết hạn
policy-reason-not-yet-valid = chưa có hiệu lực
policy-reason-role = vai trò
policy-reason-time-not-proven = thời điểm chưa được chứng minh
policy-reason-unknown-key = khóa không xác định
policy-reason-invalid-signature = chữ ký không hợp lệ

## Signers, time-stamps and certificates (terminal)

signer-line = người ký { $key } { $claimed }: { $validity }, { $trust }
claimed-name-and-organization = "{ $name }" ({ $organization })
claimed-name = "{ $name }"
claimed-organization = ({ $organization })
claimed-nothing = (không tự khai tên)
signature-valid = chữ ký hợp lệ
signature-invalid = chữ ký KHÔNG HỢP LỆ
trust-trusted = được tin cậy
trust-not-trusted = không được tin cậy
trust-not-trusted-because = không được tin cậy ({ $reason })
trust-chains-to = được tin cậy (chuỗi chứng thực dẫn tới "{ $root }")
trust-by-policy = được tin cậy (theo chính sách tin cậy)
# A line and what its time-stamp proves, joined.
with-note = { $line }; { $note }
certificate-qualified = chứng thư tự ghi là chứng thư đủ điều kiện (EU QcCompliance)
certificate-valid-from-to = (có hiệu lực từ { $from } đến { $to })
certificate-signer-line = chứng thư của người ký { $key } "{ $subject }" do "{ $issuer }" cấp{ $period }: { $validity }, { $trust }{ $qualified }; { $revocation }; chuỗi chứng thực được kiểm tra tại thời điểm ký { $moment }
certificate-revocation-good = không bị thu hồi tại thời điểm đó (CRL/OCSP trong gói chứng cứ)
certificate-revocation-revoked = ĐÃ BỊ THU HỒI tại thời điểm đó
certificate-revocation-not-checked = chưa kiểm tra tình trạng thu hồi
moment-proven = đã được chứng minh
moment-claimed = tự khai
timestamp-proven = thời điểm được chứng minh là { $time } bởi TSA "{ $tsa }" (được tin cậy)
timestamp-unproven = được gắn dấu thời gian { $time } bởi TSA "{ $tsa }", không được tin cậy: thời điểm chưa được chứng minh
timestamp-invalid = token dấu thời gian { $file } KHÔNG HỢP LỆ
custody-summary-line =
    { $count ->
       *[other] bảo quản: { $n } sự kiện, đỉnh chuỗi { $head }
    }
custody-event-note = sự kiện bảo quản { $sequence }: { $note }
next-tsa-root = bước tiếp theo: để chứng minh các thời điểm này, hãy cung cấp chứng thư gốc của TSA bằng --tsa-ca ROOT.pem
policy-line = chính sách tin cậy { $policy } (sha256 { $sha256 }): cần { $needed } chữ ký niêm phong được tin cậy, tìm thấy { $found }
policy-event-not-trusted = sự kiện bảo quản { $sequence } ({ $action }) do { $key } thực hiện: không được tin cậy về bảo quản ({ $reason })
you-trusted = bạn đã tin cậy { $trusted }; niêm phong được ký bởi { $signers }
key-claims-name = { $key } (tự xưng là { $name })
key-claims-nothing = { $key } (không tự xưng tên)
key-from-file = { $key } ({ $file })
next-ca-root = bước tiếp theo: qua một kênh khác, hãy lấy chứng thư gốc của tổ chức cung cấp dịch vụ chứng thực đã cấp chứng thư cho "{ $subject }", sau đó chạy lại lệnh với --ca ROOT.pem
next-compare-key = bước tiếp theo: hãy đối chiếu mã định danh khóa { $key } với người gửi qua một kênh khác, sau đó chạy lại lệnh với --trust FILE.pub
next-policy = bước tiếp theo: { $what } của { $key }: { $step }
next-policy-what-seal = chữ ký niêm phong
next-policy-what-event = sự kiện bảo quản
next-policy-revoked = chính sách đã thu hồi khóa đó trước khi khóa ký: hãy yêu cầu người gửi cung cấp chữ ký bằng một khóa mà chính sách tin cậy
next-policy-window = khóa đó đã ký ngoài khoảng thời gian mà chính sách cho phép: hãy yêu cầu người gửi cung cấp chữ ký bằng một khóa có hiệu lực tại thời điểm đó
next-policy-role = chính sách không giao vai trò này cho khóa đó: phải có chữ ký của một khóa mà chính sách tin cậy cho vai trò này
next-policy-time = chính sách yêu cầu thời điểm đã được chứng minh: hãy thêm token dấu thời gian vào gói chứng cứ (exhibit timestamp BUNDLE --tsa URL) và cung cấp chứng thư gốc của TSA bằng --tsa-ca
next-policy-compare = hãy đối chiếu mã định danh khóa với người giữ khóa qua một kênh khác; nếu đúng là khóa của họ, hãy đưa khóa đó vào chính sách
report-written = đã ghi báo cáo vào { $path }

## Problems (terminal and report)

# A problem line: "payload.missing: data/a.txt: ý nghĩa (chi tiết: ...)".
problem-line-path = { $code }: { $path }: { $message }
problem-line = { $code }: { $message }
problem-translated = { $meaning } (chi tiết: { $detail })
warning-prefix = cảnh báo: { $line }
seal-totals-differ = { $codes }: do đó các giá trị tổng của niêm phong cũng khác (gốc Merkle, số tệp, dung lượng, Payload-Oxum)
more-findings-for-file =
    { $count ->
       *[other] { $line }; và thêm { $n } phát hiện khác đối với tệp này
    }
# What each problem code means, in one sentence.
problem-bag-declaration = bagit.txt không phải là tuyên bố BagIt hợp lệ
problem-bag-bag-info = bag-info.txt bị thiếu hoặc không đọc được
problem-bag-no-manifest = túi BagIt không có bản kê khai nội dung
problem-bag-manifest-invalid = một bản kê khai không đọc được
problem-bag-manifest-unsupported = một bản kê khai sử dụng thuật toán không thể kiểm tra được
problem-bag-manifest-duplicate = một bản kê khai liệt kê cùng một tệp nhiều hơn một lần
problem-bag-manifest-nonstandard = một dòng của bản kê khai có dạng mà BagIt không định nghĩa, được đọc theo ý nghĩa dự định
problem-bag-oxum-mismatch = Payload-Oxum không khớp với nội dung
problem-bag-fetch = fetch.txt liệt kê các tệp không có trong túi BagIt
problem-bag-tag-mismatch = một tệp tag bị thiếu hoặc khác với bản kê khai tag của nó
problem-path-unsafe = một tên tệp có thể dẫn ra ngoài túi BagIt
problem-path-encoding = một tên tệp không phải là UTF-8 hợp lệ
problem-path-duplicate = hai tên tệp giống nhau, hoặc trùng nhau khi giải nén
problem-path-not-regular = một liên kết, thiết bị hoặc mục khác không phải là tệp thông thường
problem-payload-missing = một tệp được các bản kê khai liệt kê nhưng không có trong túi BagIt
problem-payload-unlisted = một tệp nội dung không được bản kê khai nào liệt kê
problem-payload-digest-mismatch = một tệp nội dung không phải là tệp đã được niêm phong
problem-payload-unreadable = một tệp nội dung không đọc được đến hết
problem-payload-os-file = một tệp siêu dữ liệu của hệ điều hành
problem-zip-interrupted-append = việc bổ sung vào tệp zip đã bị gián đoạn; gói chứng cứ được đọc theo trạng thái trước lần bổ sung đó
problem-zip-layout = tệp zip không phải là một thư mục duy nhất chứa túi BagIt
problem-zip-entry = một mục trong tệp zip bị mã hóa, được nén theo cách không được hỗ trợ, hoặc có kích thước khác với kích thước được ghi
problem-seal-missing = thiếu biên bản niêm phong
problem-seal-invalid = biên bản niêm phong không đọc được
problem-seal-tag-digest-mismatch = một tệp được biên bản niêm phong ràng buộc đã bị thay đổi
problem-seal-payload-mismatch = số tệp hoặc dung lượng khác với biên bản niêm phong
problem-seal-merkle-mismatch = nội dung không cho ra gốc Merkle ghi trong biên bản niêm phong
problem-seal-unexpected-file = một tệp trong exhibit/ mà định dạng không định nghĩa
problem-signature-none = niêm phong không có chữ ký
problem-signature-invalid = một bản ghi chữ ký không đọc được hoặc ghi sai khóa hoặc sai tệp
problem-signature-bad = một chữ ký không vượt qua kiểm tra
problem-custody-invalid = chuỗi bảo quản bị thiếu, bị đứt quãng hoặc có sự kiện không đọc được
problem-custody-link = một sự kiện bảo quản không được liên kết với sự kiện liền trước hoặc với niêm phong
problem-custody-signature = chữ ký của một sự kiện bảo quản bị thiếu, không hợp lệ hoặc được tạo bằng khóa khác
problem-custody-handover = một lần bàn giao vi phạm quy tắc của chuỗi bảo quản
problem-custody-time-backwards = một sự kiện bảo quản được ghi thời điểm sớm hơn sự kiện liền trước
problem-custody-head-mismatch = chuỗi bảo quản không đi qua đỉnh chuỗi như dự kiến
problem-custody-after-head = một sự kiện bảo quản đã được thêm vào sau đỉnh chuỗi dự kiến
problem-timestamp-invalid = một token dấu thời gian bị sai định dạng hoặc không có giá trị
problem-timestamp-mismatch = một token dấu thời gian không bao phủ chữ ký mà nó được lưu kèm
problem-timestamp-orphan = một token dấu thời gian dành cho một chữ ký không có trong gói chứng cứ
problem-timestamp-untrusted = một dấu thời gian do một tổ chức không được ai tin cậy tại đây cấp: thời điểm của dấu thời gian chưa được chứng minh
problem-timestamp-claimed-later = một chữ ký tự khai thời điểm muộn hơn dấu thời gian của nó
problem-validation-invalid = một tệp dữ liệu kiểm tra hiệu lực không phải là phản hồi CRL hoặc OCSP như tên tệp cho biết
problem-revocation-revoked = một chứng thư mà một bằng chứng dựa vào đã bị thu hồi trước thời điểm mà bằng chứng đó chứng minh
problem-revocation-revoked-later = một chứng thư mà một bằng chứng dựa vào đã bị thu hồi sau thời điểm mà bằng chứng đó chứng minh
problem-revocation-not-checked = gói chứng cứ không chứa dữ liệu thu hồi cho một chứng thư mà một bằng chứng dựa vào
problem-proof-lapsed = một bằng chứng có các chứng thư đã hết hạn, mà không có hồ sơ chứng cứ nào được gia hạn kịp thời
problem-evidence-record-invalid = hồ sơ chứng cứ không có giá trị
problem-evidence-record-lapsed = hồ sơ chứng cứ không có giá trị tại thời điểm được đánh giá
problem-disclosure-invalid = không thể sử dụng tài liệu công bố một phần
problem-disclosure-proof = một bằng chứng bao hàm không dẫn tới gốc Merkle đã được niêm phong
problem-disclosure-file-mismatch = một tệp được công bố không phải là tệp đã được niêm phong

## custody log and custody replay

timeline-heading-seq = STT
timeline-heading-time = THỜI ĐIỂM
timeline-heading-action = HÀNH ĐỘNG
timeline-heading-actor = NGƯỜI THỰC HIỆN
timeline-heading-recipient = NGƯỜI NHẬN
timeline-heading-note = GHI CHÚ
timeline-no-name = (không có tên)
timeline-invalid-signature = CHỮ KÝ KHÔNG HỢP LỆ { $note }
timeline-head = đỉnh chuỗi { $head }
timeline-trusted-key = * khóa được tin cậy
replay-head = ; đỉnh chuỗi { $head } (hãy đối chiếu với giá trị của người gửi qua một kênh khác)
replay-verified = ĐÃ KIỂM TRA: { $bundle }: chuỗi bảo quản gồm { $events } nguyên vẹn, niêm phong được ký bằng một khóa được tin cậy{ $head }
replay-untrusted = CHƯA ĐƯỢC TIN CẬY: { $bundle }: chuỗi bảo quản gồm { $events } nguyên vẹn, nhưng { $reason }{ $head }
replay-reason-too-few = chính sách tin cậy cần { $needed } chữ ký niêm phong được tin cậy, tìm thấy { $trusted }
replay-reason-events = chính sách tin cậy không tin cậy tất cả các sự kiện bảo quản (liệt kê ở trên)
replay-reason-no-trusted-key = niêm phong không được ký bằng khóa --trust nào
replay-reason-no-trust = không chỉ định --trust: không ai được tin cậy
replay-failed = KHÔNG ĐẠT: { $bundle }: { $problems } (liệt kê ở trên)

## inspect

inspect-bundle = gói chứng cứ
inspect-case = vụ án
inspect-exhibit = vật chứng
inspect-description = mô tả
inspect-examiner = giám định viên
inspect-claimed = { $value } (tự khai)
inspect-sealed-at = thời điểm niêm phong
inspect-tool = công cụ
inspect-meta = siêu dữ liệu
inspect-payload = nội dung
inspect-payload-value = { $files }, { $size } (theo số liệu khi niêm phong; chưa băm lại)
inspect-merkle-root = gốc Merkle
inspect-zip-lists = danh mục trong zip
inspect-zip-lists-value = { $files }, { $size } (chưa kiểm tra tên và dữ liệu)
inspect-disclosure = công bố một phần
inspect-disclosure-value = { $disclosed } trên { $sealed } tệp đã niêm phong (đã kiểm tra các bằng chứng, chưa băm lại các tệp)
inspect-symlinks = liên kết tượng trưng
inspect-symlinks-value = { $n } được ghi nhận, không truy theo
inspect-empty-dirs = thư mục rỗng
inspect-empty-dirs-value = { $n } được ghi nhận
inspect-kind = loại
inspect-custody = bảo quản
inspect-custody-head = đỉnh chuỗi bảo quản
inspect-invalid-signature = CHỮ KÝ KHÔNG HỢP LỆ
inspect-evidence = hồ sơ chứng cứ
inspect-evidence-holds = { $stamps }, bao phủ { $tags } tệp tag kể từ { $since }
inspect-evidence-lapsed = không có giá trị: { $why }
inspect-proof-until = bằng chứng có giá trị đến
inspect-proof-until-value = { $at } (cần gia hạn trước thời điểm đó: exhibit renew)
inspect-not-checked = chưa kiểm tra
inspect-not-checked-value = các tệp nội dung, danh sách tệp và gốc Merkle: lệnh `exhibit verify` kiểm tra các mục này

## extract and disclose

extract-refused-untrusted = niêm phong không được ký bằng khóa --trust nào (dùng --allow-untrusted để vẫn giải nén)
extract-refused-failed = kiểm tra không đạt
extract-nothing = không giải nén gì vào { $target }: { $why }
extract-done = đã giải nén { $files }, { $size }, vào { $target }
disclose-done = đã công bố { $disclosed } trên { $sealed } tệp đã niêm phong, { $size }, vào { $target }
disclose-proof = bằng chứng, sha256 { $sha256 }
disclose-custody-event = đã ghi sự kiện bảo quản { $sequence } (disclose) vào { $bundle }
disclose-head = đỉnh chuỗi { $head }
disclose-reveals-nothing-left-out = tiết lộ: mọi tệp đã niêm phong; không tệp nào bị loại ra
disclose-reveals-one = tiết lộ: 1 tệp bị loại ra có kích thước đúng bằng { $size } (tổng dung lượng của niêm phong trừ đi dung lượng các tệp được công bố); không tiết lộ tên hay nội dung của tệp đó
disclose-reveals-many = tiết lộ: { $files } bị loại ra, tổng cộng { $size }; không tiết lộ tên, nội dung hay kích thước của từng tệp

## The HTML report (the court report)

report-title = Báo cáo kiểm tra của exhibit: { $bundle }
report-heading = Báo cáo kiểm tra
report-status-verified = nguyên vẹn, và niêm phong được ký bằng một khóa được tin cậy
report-status-untrusted = nguyên vẹn, nhưng { $reason }
report-status-failed = chứng cứ không khớp với những gì đã được niêm phong (xem phần vấn đề)
report-this-check = Lần kiểm tra này
report-checked-at = Thời điểm kiểm tra (UTC)
report-tool = Công cụ
report-bundle-as-received = Gói chứng cứ khi tiếp nhận
report-form = Hình thức
report-form-zip = zip
report-form-folder = thư mục
report-size = Dung lượng
report-sha256-of-file = SHA-256 của tệp
report-bundle = Gói chứng cứ
report-kind = Loại
report-case = Vụ án
report-exhibit = Vật chứng
report-description = Mô tả
report-examiner-claimed = Giám định viên (tự khai)
report-merkle-root = Gốc Merkle
report-sealed-at = Thời điểm niêm phong
report-payload = Nội dung
report-payload-value = { $files }, { $size }
report-custody-head = Đỉnh chuỗi của nhật ký bảo quản
report-checks = Các hạng mục kiểm tra
report-check = Hạng mục kiểm tra
report-result = Kết quả
check-1 = 1. Túi BagIt có cấu trúc hợp lệ (có đủ các tệp bắt buộc của BagIt và phân tích được; tên tệp an toàn; cấu trúc zip)
check-2 = 2. Giá trị SHA-256 và BLAKE3 của mọi tệp nội dung đều khớp; không có tệp nào bị thiếu, thừa hoặc đổi tên; dung lượng và Payload-Oxum khớp
check-3 = 3. Các giá trị băm của bản kê khai và của bag-info.txt trong biên bản niêm phong khớp; gốc Merkle khớp với nội dung
check-4 = 4. Mọi chữ ký niêm phong đều hợp lệ đối với seal.json
check-5 = 5. Chuỗi bảo quản: thứ tự, liên kết băm, chữ ký, niêm phong này, các lần bàn giao, thời điểm
check-6 = 6. Tin cậy: một người ký niêm phong khớp với một khóa được tin cậy
check-failed = KHÔNG ĐẠT: { $codes }
check-not-applicable = không áp dụng: túi BagIt thông thường, không có ai niêm phong
check-not-established = CHƯA XÁC LẬP: không có khóa được tin cậy nào khớp với một người ký niêm phong hợp lệ
check-not-established-but = CHƯA XÁC LẬP: người ký được tin cậy { $keys }, nhưng { $reason }
check-passed-trusted = đạt: người ký được tin cậy { $keys }
check-passed-warnings = đạt, với { $n } cảnh báo (xem bên dưới)
check-passed = đạt: không phát hiện vấn đề nào
report-signers = Người ký niêm phong
report-none = Không có.
report-signer-key = Mã định danh khóa (được chứng minh bằng chữ ký)
report-signer-name = Tên tự khai
report-signer-organization = Tổ chức tự khai
report-signer-signed-at = Thời điểm ký (tự khai: theo đồng hồ của người ký)
report-signer-signature = Chữ ký
report-signer-trusted = Danh tính được tin cậy
report-proven-time = Thời điểm được chứng minh (RFC 3161)
report-valid = hợp lệ
report-invalid = KHÔNG HỢP LỆ
report-trusted-by-file = được tin cậy: khóa trong { $files }
report-trusted = được tin cậy
report-trusted-by-policy-file = được tin cậy (chính sách tin cậy { $policy })
report-not-trusted-because = không được tin cậy: { $reason }
report-not-trusted-claims = không được tin cậy: danh tính của người ký chỉ là danh tính do người đó tự xưng
report-certificate-of = chứng thư của { $subject }, do { $issuer } cấp, số sê-ri { $serial }
report-certificate-trusted-root = được tin cậy: chuỗi chứng thực dẫn tới chứng thư gốc { $root }
report-certificate-trusted-policy = được tin cậy theo chính sách tin cậy
report-not-trusted = không được tin cậy
report-certificate-cell = { $verdict }; { $who }{ $qualified }; { $revocation }
report-qualified = ; chứng thư tự ghi là chứng thư đủ điều kiện (EU QcCompliance)
revocation-good = không bị thu hồi tại thời điểm mà bằng chứng chứng minh (CRL/OCSP trong gói chứng cứ)
revocation-good-later = không bị thu hồi tại thời điểm mà bằng chứng chứng minh; { $detail }
revocation-revoked = ĐÃ BỊ THU HỒI: { $detail }
revocation-not-checked = chưa kiểm tra tình trạng thu hồi (không có phản hồi CRL hoặc OCSP trong gói chứng cứ)
report-long-term = Bằng chứng dài hạn
report-record-holds = Hồ sơ chứng cứ (RFC 4998) có giá trị: { $n } tệp tag được chứng minh là đã tồn tại từ { $since }.
report-record-lapsed = Hồ sơ chứng cứ không chứng minh được điều gì tại thời điểm được đánh giá: { $why }
report-stamp = Dấu thời gian lưu trữ
report-stamp-hash = Giá trị băm
report-stamp-time = Thời điểm (TSA)
report-stamp-tsa = TSA
report-stamp-revocation = Tình trạng thu hồi
report-stamp-expires = Thời điểm chứng thư hết hạn
report-proof-expires = Thời điểm sớm nhất mà một bằng chứng tại đây hết giá trị, trừ khi gói chứng cứ được gia hạn ({ $command }): { $until }.
report-trust-sources = Nguồn tin cậy
report-policy = Chính sách tin cậy { $policy }, SHA-256 { $sha256 }: cần { $needed } chữ ký niêm phong được tin cậy; mọi sự kiện bảo quản phải do một khóa được chính sách tin cậy về bảo quản thực hiện.
report-ca-roots = Tệp chứng thư gốc dành cho người ký bằng chứng thư (--ca)
report-tsa-roots = Tệp chứng thư gốc của TSA
report-no-key-roots = Không có khóa được tin cậy nào được cung cấp: trong lần kiểm tra này, chỉ người ký bằng chứng thư mới có thể được tin cậy, thông qua các chứng thư gốc nêu trên.
report-no-key = Không có khóa được tin cậy nào được cung cấp: trong lần kiểm tra này, không người ký nào có thể được tin cậy.
report-trusted-key-file = Tệp khóa được tin cậy
report-key-id = Mã định danh khóa
report-custody = Chuỗi bảo quản
report-no-events = Không có sự kiện nào.
report-event-time = Thời điểm (UTC)
report-event-action = Hành động
report-event-actor = Người thực hiện (tự khai)
report-event-actor-key = Khóa của người thực hiện
report-event-recipient-key = Khóa của người nhận
report-event-note = Ghi chú
report-event-location = Địa điểm
report-key-trusted = (được tin cậy)
report-no-token = không có token: thời điểm chưa được chứng minh
report-token-unproven = { $time } (chưa được chứng minh)
report-token-trusted = TSA { $tsa } (được tin cậy, chứng thư gốc { $root }; { $revocation })
report-token-revoked = TSA { $tsa }: { $revocation }
report-token-untrusted = TSA { $tsa } (không được tin cậy)
report-token-invalid = token { $file } KHÔNG HỢP LỆ
report-problems = Vấn đề
report-warnings = Cảnh báo
report-code = Mã
report-file-or-event = Tệp hoặc sự kiện
report-message = Thông báo
report-detail-english = chi tiết, theo báo cáo JSON
drawing-heading = Sơ đồ bảo quản
drawing-title = Chuỗi bảo quản: ai đã nắm giữ chứng cứ, theo thứ tự các sự kiện
drawing-signed = đã ký
drawing-bad-signature = CHỮ KÝ SAI
drawing-event-tooltip = #{ $sequence } { $action } do { $key } thực hiện: { $state }
drawing-signature-valid = chữ ký hợp lệ
drawing-signature-invalid = chữ ký KHÔNG HỢP LỆ
drawing-legend = Mỗi làn là một người giữ khóa (tên là tự khai, mã định danh khóa được chứng minh bằng chữ ký hợp lệ); các sự kiện được xếp từ trái sang phải theo thứ tự, mỗi sự kiện được đánh dấu theo tình trạng chữ ký; mũi tên biểu thị việc bàn giao cho người nhận được nêu tên; dải tô màu cho biết ai đang nắm giữ chứng cứ.
report-payload-files = Tệp nội dung
report-no-payload = Không có tệp nội dung nào được đọc.
report-payload-read = { $files }, { $size }, theo kết quả đọc của lần kiểm tra này.
report-path = Đường dẫn
report-size-bytes = Dung lượng (byte)
report-unreadable = không đọc được
report-not-listed = { $more } không được liệt kê tại đây.
report-full-list-command = Danh sách đầy đủ, gồm mọi tệp kèm dung lượng và SHA-256, là thành phần { $member } của báo cáo JSON: { $command }
report-full-list = Danh sách đầy đủ, gồm mọi tệp kèm dung lượng và SHA-256, là thành phần { $member } của báo cáo JSON của cùng lần kiểm tra này.
proves-heading = Những điều báo cáo này chứng minh và không chứng minh
proves-shows = Báo cáo cho thấy:
proves-failed = Gói chứng cứ khi tiếp nhận không khớp với những gì đã được niêm phong, hoặc niêm phong, chữ ký hay chuỗi bảo quản của gói không vượt qua kiểm tra: xem các vấn đề dưới đây.
proves-payload = Mọi tệp nội dung liệt kê dưới đây đều đã được lần kiểm tra này đọc đến hết, và dữ liệu của từng tệp khớp với các giá trị băm trong bản kê khai của gói chứng cứ.
proves-signers = Mỗi người ký niêm phong được đánh dấu hợp lệ nắm giữ khóa bí mật ứng với mã định danh khóa được nêu: chữ ký trên biên bản niêm phong (biên bản ràng buộc các bản kê khai, siêu dữ liệu vụ án và gốc Merkle) vượt qua kiểm tra.
proves-events = Mỗi sự kiện bảo quản được đánh dấu hợp lệ đã được ký bằng khóa được nêu và được liên kết bằng giá trị băm với niêm phong và với sự kiện liền trước.
proves-trusted-policy = Một người ký được đánh dấu là được tin cậy là người được chính sách tin cậy nêu dưới đây (kèm SHA-256 của chính sách) cho phép.
proves-trusted-certificates = Một người ký được đánh dấu là được tin cậy khớp với một khóa công khai mà người thực hiện kiểm tra đã chọn tin cậy, hoặc nắm giữ một chứng thư có chuỗi chứng thực dẫn tới một chứng thư gốc do người đó cung cấp (xem các nguồn tin cậy dưới đây).
proves-trusted-keys = Một người ký được đánh dấu là được tin cậy khớp với một khóa công khai mà người thực hiện kiểm tra đã chọn tin cậy (xem các nguồn tin cậy dưới đây).
proves-time = Một thời điểm được đánh dấu là đã được chứng minh: một token dấu thời gian RFC 3161 của một TSA, mà chứng thư gốc của TSA đó đã được cung cấp, cho thấy chữ ký đã tồn tại vào thời điểm đó.
proves-not = Báo cáo không cho thấy:
proves-not-who = Khóa thuộc về ai: tên và tổ chức là thông tin do người giữ khóa tự khai; hãy đối chiếu mã định danh khóa với họ qua một kênh khác.
proves-not-when-else = Thời điểm xảy ra của bất kỳ sự việc nào khác: mọi thời điểm không được đánh dấu là đã được chứng minh đều theo đồng hồ riêng của người ký.
proves-not-when = Thời điểm xảy ra của bất kỳ sự việc nào: các thời điểm trong gói chứng cứ đều theo đồng hồ riêng của người ký.
proves-not-revoked = Việc chứng thư của người ký chưa bị thu hồi: gói chứng cứ không chứa phản hồi CRL hoặc OCSP nào cho chứng thư đó (lệnh { $command } sẽ bổ sung các phản hồi này).
proves-not-before = Việc dữ liệu đã đầy đủ hoặc chưa bị thay đổi trước khi được niêm phong, cách thức thu thập dữ liệu, hoặc việc dữ liệu đúng như phần mô tả nêu.
proves-not-itself = Bất kỳ điều gì khi chỉ dựa vào riêng trang này: trang này không được ký. Để sử dụng trang này làm căn cứ, hãy kiểm tra lại gói chứng cứ (giá trị SHA-256 của gói nêu ở trên) bằng lệnh { $command }.
report-footer = Được tạo bởi { $tool } { $version }. Tên và tổ chức là thông tin do người giữ khóa tự khai; chỉ mã định danh khóa được chứng minh. Hãy đối chiếu mã định danh khóa với người gửi qua một kênh khác.

## Ảnh pháp y (thu thập)

report-acquisition = Thu thập (ảnh pháp y)
report-image = Ảnh
report-image-format = Định dạng
report-media-size = Dung lượng phương tiện
report-stored-hashes = Do công cụ tạo ảnh ghi lại
report-computed-hashes = Tính lại khi niêm phong
report-image-result = Kết quả
report-acquisition-metadata = Thông tin thu thập (như công cụ tạo ảnh đã ghi)
report-unreadable-sectors = Các sector không đọc được khi thu thập
report-sector-range = sector { $first } đến { $last }
image-result-match = khớp với các giá trị công cụ tạo ảnh đã ghi
image-result-mismatch = KHÔNG KHỚP với các giá trị công cụ tạo ảnh đã ghi
image-result-no-stored-hash = công cụ tạo ảnh không ghi giá trị nào
verify-image-line = ảnh { $path } ({ $format }, phương tiện { $size }): { $result }
