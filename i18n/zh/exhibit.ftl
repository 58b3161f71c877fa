# exhibit：中文（简体）用户提示信息。消息标识与参数须与 i18n/en/exhibit.ftl
# 完全一致。法律术语见 i18n/glossary.md。参数（路径、密钥标识、哈希值、
# 问题代码、名称）一律不译；命令名与选项（exhibit verify、--trust）保持原样。

## The language itself

language-name = 中文（简体）

## Numbers, sizes and dates

number-group-separator = ,
number-decimal-separator = .
size-bytes =
    { $count ->
       *[other] { $n } 字节
    }
size-larger = { $amount } { $unit }（{ $exact }）
unit-kib = KiB
unit-mib = MiB
unit-gib = GiB
unit-tib = TiB
unit-pib = PiB
date-time = { $year }年{ $month-number }月{ $day }日 { $time } UTC（{ $iso }）
month-1 = 一月
month-2 = 二月
month-3 = 三月
month-4 = 四月
month-5 = 五月
month-6 = 六月
month-7 = 七月
month-8 = 八月
month-9 = 九月
month-10 = 十月
month-11 = 十一月
month-12 = 十二月

## Counts ($n is the number written with grouping, $count selects the plural)

count-files =
    { $count ->
       *[other] { $n } 个文件
    }
count-payload-files =
    { $count ->
       *[other] { $n } 个内容文件
    }
count-more-files =
    { $count ->
       *[other] 其余 { $n } 个文件
    }
count-events =
    { $count ->
       *[other] { $n } 条记录
    }
count-problems =
    { $count ->
       *[other] { $n } 个问题
    }
count-archive-time-stamps =
    { $count ->
       *[other] { $n } 个归档时间戳
    }

## The verdict

verdict-verified = 校验通过
verdict-failed = 校验未通过
verdict-untrusted = 未获信任
verdict-with-disclosure = { $verdict }（部分披露：已封存的 { $sealed } 个文件中披露 { $disclosed } 个）
verify-line = { $verdict }: { $bundle }（{ $files }，{ $size }）: { $detail }
verify-line-case = { $verdict }: { $bundle }（案件 { $case }，证物 { $exhibit }；{ $files }，{ $size }）: { $detail }
verify-line-bag = { $verdict }: { $bundle }（普通 BagIt 包，未经封存；{ $files }，{ $size }）: { $detail }
detail-verified = 完整，且由受信任的密钥签名
detail-bag-unsigned = 完整，但无人签名
detail-no-trust-given-certificates = 完整，但未指定 --trust 或 --ca：各签名人的身份仅为其自称，未经证实
detail-no-trust-given = 完整，但未指定 --trust：签名人的身份仅为其自称，未经证实
detail-untrusted-because = 完整，但{ $reason }（详见下文）
detail-no-key-or-root = 完整，但没有任何 --trust 密钥或 --ca 根证书能够证实封存的任一签名人的身份
detail-no-trusted-key = 完整，但没有任何 --trust 密钥对封存签名
failed-files-differ =
    { $count ->
       *[other] { $n } 个文件与封存时不一致
    }
failed-files-missing =
    { $count ->
       *[other] { $n } 个文件缺失
    }
failed-files-added =
    { $count ->
       *[other] 新增 { $n } 个文件
    }
failed-files-unreadable =
    { $count ->
       *[other] { $n } 个文件无法读取
    }
failed-summary = { $parts }（{ $paths }）
list-separator = {"、"}

## Why an intact bundle is not trusted

reason-proof-does-not-count = 其所依据的一项证明不能成立：{ $proof }
reason-no-trusted-key = 没有受信任的密钥对封存签名
reason-too-few-signers = 信任策略要求 { $needed } 个受信任的封存签名，实有 { $trusted } 个
reason-custody-not-trusted = 信任策略不信任保管链记录 { $events }
reason-event = { $sequence }（{ $reason }）
policy-reason-revoked = 已撤销
policy-reason-expired = 已过期
policy-reason-not-yet-valid = 尚未生效
policy-reason-role = 角色不符
policy-reason-time-not-proven = 时间未经证实
policy-reason-unknown-key = 未知密钥
policy-reason-invalid-signature = 签名无效

## Signers, time-stamps and certificates (terminal)

signer-line = 签名人 { $key } { $claimed }：{ $validity }，{ $trust }
claimed-name-and-organization = “{ $name }”（{ $organization }）
claimed-name = “{ $name }”
claimed-organization = （{ $organization }）
claimed-nothing = （未自称任何姓名）
signature-valid = 签名有效
signature-invalid = 签名无效
trust-trusted = 受信任
trust-not-trusted = 未获信任
trust-not-trusted-because = 未获信任（{ $reason }）
trust-chains-to = 受信任（证书链可追溯至“{ $root }”）
trust-by-policy = 受信任（依据信任策略）
with-note = { $line }；{ $note }
certificate-qualified = 该证书声明其为合格证书（EU QcCompliance）
certificate-valid-from-to = （有效期 { $from } 至 { $to }）
certificate-signer-line = 签名人证书 { $key } “{ $subject }”，颁发者“{ $issuer }”{ $period }：{ $validity }，{ $trust }{ $qualified }；{ $revocation }；已按{ $moment }签名时间检验证书路径
certificate-revocation-good = 当时未被撤销（证据包内含 CRL/OCSP）
certificate-revocation-revoked = 当时已被撤销
certificate-revocation-not-checked = 未检查撤销状态
moment-proven = 经证实的
moment-claimed = 声称的
timestamp-proven = 时间 { $time } 已由 TSA“{ $tsa }”（受信任）证实
timestamp-unproven = 已由 TSA“{ $tsa }”加盖时间戳 { $time }，但该 TSA 未获信任：时间未经证实
timestamp-invalid = 时间戳令牌 { $file } 无效
custody-summary-line =
    { $count ->
       *[other] 保管链：{ $n } 条记录，最新记录 { $head }
    }
custody-event-note = 保管链记录 { $sequence }：{ $note }
next-tsa-root = 下一步：如需证实上述时间，请以 --tsa-ca ROOT.pem 提供该 TSA 的根证书
policy-line = 信任策略 { $policy }（sha256 { $sha256 }）：需要 { $needed } 个受信任的封存签名，实有 { $found } 个
policy-event-not-trusted = 保管链记录 { $sequence }（{ $action }），签署密钥 { $key }：未获信任签署保管链记录（{ $reason }）
you-trusted = 您指定信任的是 { $trusted }；封存的签名人为 { $signers }
key-claims-name = { $key }（自称 { $name }）
key-claims-nothing = { $key }（未自称任何姓名）
key-from-file = { $key }（{ $file }）
next-ca-root = 下一步：通过其他渠道获取为“{ $subject }”颁发证书的电子认证服务机构的根证书，然后以 --ca ROOT.pem 重新运行
next-compare-key = 下一步：通过其他渠道与发送方核对密钥标识 { $key }，然后以 --trust FILE.pub 重新运行
next-policy = 下一步：{ $key } 所作的{ $what }：{ $step }
next-policy-what-seal = 封存签名
next-policy-what-event = 保管链记录
next-policy-revoked = 信任策略在该密钥签名之前已将其撤销：请要求发送方提供由信任策略所信任的密钥作出的签名
next-policy-window = 该密钥签名的时间不在信任策略为其规定的有效期间内：请要求发送方提供由当时有效的密钥作出的签名
next-policy-role = 信任策略未赋予该密钥此项角色：须由信任策略就此角色所信任的密钥签名
next-policy-time = 信任策略要求经证实的时间：请为证据包添加时间戳令牌（exhibit timestamp BUNDLE --tsa URL），并以 --tsa-ca 提供其根证书
next-policy-compare = 通过其他渠道与密钥持有人核对密钥标识；如确属其所有，将其列入信任策略
report-written = 报告已写入 { $path }

## Problems (terminal and report)

problem-line-path = { $code }: { $path }: { $message }
problem-line = { $code }: { $message }
problem-translated = { $meaning }（详情：{ $detail }）
warning-prefix = 警告: { $line }
seal-totals-differ = { $codes }: 因此封存的各项合计值亦不一致（Merkle 根、文件数、大小、Payload-Oxum）
more-findings-for-file =
    { $count ->
       *[other] { $line }；该文件另有 { $n } 项发现
    }
problem-bag-declaration = bagit.txt 不是有效的 BagIt 声明
problem-bag-bag-info = bag-info.txt 缺失或无法读取
problem-bag-no-manifest = 该 BagIt 包没有内容清单
problem-bag-manifest-invalid = 某一清单无法读取
problem-bag-manifest-unsupported = 某一清单使用了无法校验的算法
problem-bag-manifest-duplicate = 某一清单重复列出同一文件
problem-bag-manifest-nonstandard = 某一清单行采用了 BagIt 未定义的格式，已按其本意读取
problem-bag-oxum-mismatch = Payload-Oxum 与内容不符
problem-bag-fetch = fetch.txt 列出了不在 BagIt 包中的文件
problem-bag-tag-mismatch = 某一标签文件缺失或与其标签清单不符
problem-path-unsafe = 可能越出 BagIt 包范围的名称
problem-path-encoding = 不是有效 UTF-8 编码的名称
problem-path-duplicate = 两个名称相同，或在解压时相互冲突
problem-path-not-regular = 链接、设备或其他非普通文件的条目
problem-payload-missing = 清单所列的某一文件不在 BagIt 包中
problem-payload-unlisted = 某一内容文件未列于任何清单
problem-payload-digest-mismatch = 某一内容文件并非封存时的文件
problem-payload-unreadable = 某一内容文件无法完整读取
problem-payload-os-file = 操作系统元数据文件
problem-zip-interrupted-append = 对 zip 文件的追加写入曾被中断；证据包按追加前的状态读取
problem-zip-layout = 该 zip 文件的结构不是单一文件夹内含 BagIt 包
problem-zip-entry = zip 条目经过加密、采用不受支持的压缩方式，或其实际大小与所标示的不符
problem-seal-missing = 封存声明缺失
problem-seal-invalid = 封存声明无法读取
problem-seal-tag-digest-mismatch = 封存声明所绑定的某一文件已被更改
problem-seal-payload-mismatch = 文件数或大小与封存声明不符
problem-seal-merkle-mismatch = 由内容计算所得的 Merkle 根与封存声明不符
problem-seal-unexpected-file = exhibit/ 目录下存在格式规范未定义的文件
problem-signature-none = 封存未附任何签名
problem-signature-invalid = 某一签名记录无法读取，或所指明的密钥或文件有误
problem-signature-bad = 某一签名校验未通过
problem-custody-invalid = 保管链缺失、存在断档，或含有无法读取的记录
problem-custody-link = 某一保管链记录未与前一条记录或封存相链接
problem-custody-signature = 某一保管链记录的签名缺失、无效或由其他密钥作出
problem-custody-handover = 某次移交违反保管链规则
problem-custody-time-backwards = 某一保管链记录的日期早于其前一条记录
problem-custody-head-mismatch = 保管链中不含预期的最新记录
problem-custody-after-head = 在预期的最新记录之后又添加了保管链记录
problem-timestamp-invalid = 某一时间戳令牌格式错误或不能成立
problem-timestamp-mismatch = 某一时间戳令牌与其所附的签名不对应
problem-timestamp-orphan = 某一时间戳令牌所对应的签名不在证据包中
problem-timestamp-untrusted = 某一时间戳由未获信任的时间戳服务机构出具：其时间未经证实
problem-timestamp-claimed-later = 某一签名声称的时间晚于其时间戳
problem-validation-invalid = 某一证书状态验证材料文件并非其文件名所示的 CRL 或 OCSP 响应
problem-revocation-revoked = 某项证明所依据的证书在该证明所证实的时间之前已被撤销
problem-revocation-revoked-later = 某项证明所依据的证书在该证明所证实的时间之后被撤销
problem-revocation-not-checked = 证据包中没有某项证明所依据证书的撤销数据
problem-proof-lapsed = 某项证明所涉证书均已过期，且没有及时续期的证据记录
problem-evidence-record-invalid = 证据记录不能成立
problem-evidence-record-lapsed = 证据记录在所判定的时点不能成立
problem-disclosure-invalid = 部分披露文书无法使用
problem-disclosure-proof = 某一包含性证明不能推导出已封存的 Merkle 根
problem-disclosure-file-mismatch = 某一已披露文件并非封存时的文件

## custody log and custody replay

timeline-heading-seq = 序号
timeline-heading-time = 时间
timeline-heading-action = 操作
timeline-heading-actor = 操作人
timeline-heading-recipient = 接收人
timeline-heading-note = 备注
timeline-no-name = （无姓名）
timeline-invalid-signature = 签名无效 { $note }
timeline-head = 最新记录 { $head }
timeline-trusted-key = * 受信任的密钥
replay-head = ；最新记录 { $head }（请通过其他渠道与发送方的最新记录核对）
replay-verified = 校验通过: { $bundle }: 保管链（共 { $events }）完整，封存由受信任的密钥签名{ $head }
replay-untrusted = 未获信任: { $bundle }: 保管链（共 { $events }）完整，但{ $reason }{ $head }
replay-reason-too-few = 信任策略要求 { $needed } 个受信任的封存签名，实有 { $trusted } 个
replay-reason-events = 信任策略并不信任全部保管链记录（见上文所列）
replay-reason-no-trusted-key = 没有任何 --trust 密钥对封存签名
replay-reason-no-trust = 未指定 --trust：未信任任何人
replay-failed = 校验未通过: { $bundle }: { $problems }（见上文所列）

## inspect

inspect-bundle = 证据包
inspect-case = 案件
inspect-exhibit = 证物
inspect-description = 描述
inspect-examiner = 检验人
inspect-claimed = { $value }（自称）
inspect-sealed-at = 封存时间
inspect-tool = 工具
inspect-meta = 元数据
inspect-payload = 内容
inspect-payload-value = { $files }，{ $size }（按封存时的记录；未重新计算哈希值）
inspect-merkle-root = Merkle 根
inspect-zip-lists = zip 文件所列
inspect-zip-lists-value = { $files }，{ $size }（名称和数据未经检查）
inspect-disclosure = 部分披露
inspect-disclosure-value = 已封存的 { $sealed } 个文件中披露 { $disclosed } 个（证明已校验，文件未重新计算哈希值）
inspect-symlinks = 符号链接
inspect-symlinks-value = 已记录 { $n } 个，未跟随
inspect-empty-dirs = 空目录
inspect-empty-dirs-value = 已记录 { $n } 个
inspect-kind = 类型
inspect-custody = 保管链
inspect-custody-head = 保管链最新记录
inspect-invalid-signature = 签名无效
inspect-evidence = 证据记录
inspect-evidence-holds = { $stamps }，自 { $since } 起覆盖 { $tags } 个标签文件
inspect-evidence-lapsed = 不能成立：{ $why }
inspect-proof-until = 证明有效期至
inspect-proof-until-value = { $at }（请在此之前续期：exhibit renew）
inspect-not-checked = 未检查
inspect-not-checked-value = 内容文件、其清单及 Merkle 根：由 `exhibit verify` 校验

## extract and disclose

extract-refused-untrusted = 没有任何 --trust 密钥对封存签名（如仍需提取，请使用 --allow-untrusted）
extract-refused-failed = 校验未通过
extract-nothing = 未向 { $target } 提取任何文件：{ $why }
extract-done = 已将 { $files }（{ $size }）提取至 { $target }
disclose-done = 已从已封存的 { $sealed } 个文件中披露 { $disclosed } 个（{ $size }），输出至 { $target }
disclose-proof = 证明 sha256 { $sha256 }
disclose-custody-event = 已在 { $bundle } 中添加保管链记录 { $sequence }（disclose）
disclose-head = 最新记录 { $head }
disclose-reveals-nothing-left-out = 所透露的信息：全部已封存文件；未略去任何文件
disclose-reveals-one = 所透露的信息：被略去的 1 个文件大小恰为 { $size }（封存总大小减去已披露文件的大小）；不透露其名称或内容
disclose-reveals-many = 所透露的信息：共略去 { $files }，合计 { $size }；不透露其名称、内容或各自的大小

## The HTML report (the court report)

report-title = exhibit 校验：{ $bundle }
report-heading = 校验报告
report-status-verified = 完整，且封存由受信任的密钥签名
report-status-untrusted = 完整，但{ $reason }
report-status-failed = 证据与封存时的状态不符（见“问题”部分）
report-this-check = 本次校验
report-checked-at = 校验时间（UTC）
report-tool = 工具
report-bundle-as-received = 所接收的证据包
report-form = 形式
report-form-zip = zip 文件
report-form-folder = 文件夹
report-size = 大小
report-sha256-of-file = 文件的 SHA-256
report-bundle = 证据包
report-kind = 类型
report-case = 案件
report-exhibit = 证物
report-description = 描述
report-examiner-claimed = 检验人（自称）
report-merkle-root = Merkle 根
report-sealed-at = 封存时间
report-payload = 内容
report-payload-value = { $files }，{ $size }
report-custody-head = 保管链最新记录
report-checks = 校验项目
report-check = 校验项
report-result = 结果
check-1 = 1. BagIt 包格式规范（BagIt 必需文件齐全且可解析；名称安全；zip 结构正确）
check-2 = 2. 每个内容文件的 SHA-256 和 BLAKE3 均一致；无缺失、多余或更名的文件；大小及 Payload-Oxum 一致
check-3 = 3. 封存声明中各清单及 bag-info.txt 的哈希值一致；Merkle 根与内容一致
check-4 = 4. 每个封存签名对 seal.json 均有效
check-5 = 5. 保管链：序号、哈希链接、签名、本次封存、移交、时间
check-6 = 6. 信任：某一封存签名人与受信任的密钥相符
check-failed = 未通过：{ $codes }
check-not-applicable = 不适用：普通 BagIt 包，无人封存
check-not-established = 未能确立：没有受信任的密钥与有效的封存签名人相符
check-not-established-but = 未能确立：受信任的签名人 { $keys }，但{ $reason }
check-passed-trusted = 通过：受信任的签名人 { $keys }
check-passed-warnings = 通过，有 { $n } 项警告（见下文）
check-passed = 通过：未发现问题
report-signers = 封存签名人
report-none = 无。
report-signer-key = 密钥标识（经签名证实）
report-signer-name = 自称姓名
report-signer-organization = 自称单位
report-signer-signed-at = 签名时间（声称：签名人自身时钟）
report-signer-signature = 签名
report-signer-trusted = 受信任的身份
report-proven-time = 经证实的时间（RFC 3161）
report-valid = 有效
report-invalid = 无效
report-trusted-by-file = 受信任：{ $files } 中的密钥
report-trusted = 受信任
report-trusted-by-policy-file = 受信任（信任策略 { $policy }）
report-not-trusted-because = 未获信任：{ $reason }
report-not-trusted-claims = 未获信任：签名人的身份仅为其自称，未经证实
report-certificate-of = { $subject } 的证书，颁发者 { $issuer }，序列号 { $serial }
report-certificate-trusted-root = 受信任：证书链可追溯至根证书 { $root }
report-certificate-trusted-policy = 依据信任策略受信任
report-not-trusted = 未获信任
report-certificate-cell = { $verdict }；{ $who }{ $qualified }；{ $revocation }
report-qualified = ；该证书声明其为合格证书（EU QcCompliance）
revocation-good = 在其所证实的时间未被撤销（证据包内含 CRL/OCSP）
revocation-good-later = 在其所证实的时间未被撤销；{ $detail }
revocation-revoked = 已撤销：{ $detail }
revocation-not-checked = 未检查撤销状态（证据包中没有 CRL 或 OCSP 响应）
report-long-term = 长期证明
report-record-holds = 证据记录（RFC 4998）成立：经证实，{ $n } 个标签文件自 { $since } 起即已存在。
report-record-lapsed = 证据记录在所判定的时点不能证明任何事项：{ $why }
report-stamp = 归档时间戳
report-stamp-hash = 哈希
report-stamp-time = 时间（TSA）
report-stamp-tsa = TSA
report-stamp-revocation = 撤销状态
report-stamp-expires = 证书到期时间
report-proof-expires = 除非对证据包进行续期（{ $command }），本报告中的证明最早将于 { $until } 失效。
report-trust-sources = 信任来源
report-policy = 信任策略 { $policy }，SHA-256 { $sha256 }：需要 { $needed } 个受信任的封存签名；每一条保管链记录均须由该策略信任可用于保管链的密钥签署。
report-ca-roots = 证书签名人的根证书文件（--ca）
report-tsa-roots = TSA 根证书文件
report-no-key-roots = 未指定受信任的密钥：本次校验只能通过上述根证书信任证书签名人。
report-no-key = 未指定受信任的密钥：本次校验无法信任任何签名人。
report-trusted-key-file = 受信任的密钥文件
report-key-id = 密钥标识
report-custody = 保管链
report-no-events = 无记录。
report-event-time = 时间（UTC）
report-event-action = 操作
report-event-actor = 操作人（自称）
report-event-actor-key = 操作人密钥
report-event-recipient-key = 接收人密钥
report-event-note = 备注
report-event-location = 地点
report-key-trusted = （受信任）
report-no-token = 无时间戳令牌：时间未经证实
report-token-unproven = { $time }（未经证实）
report-token-trusted = TSA { $tsa }（受信任，根证书 { $root }；{ $revocation }）
report-token-revoked = TSA { $tsa }：{ $revocation }
report-token-untrusted = TSA { $tsa }（未获信任）
report-token-invalid = 无效的时间戳令牌 { $file }
report-problems = 问题
report-warnings = 警告
report-code = 代码
report-file-or-event = 文件或记录
report-message = 说明
report-detail-english = 详情（JSON 报告原文）
drawing-heading = 保管链图示
drawing-title = 保管链：按记录顺序显示证据的持有人
drawing-signed = 已签名
drawing-bad-signature = 签名无效
drawing-event-tooltip = #{ $sequence } { $action }，密钥 { $key }：{ $state }
drawing-signature-valid = 签名有效
drawing-signature-invalid = 签名无效
drawing-legend = 每条泳道代表一名密钥持有人（姓名为自称，密钥标识经有效签名证实）；记录按序号从左至右排列，并分别标注其签名状态；箭头表示向指定接收人的移交；阴影带表示证据的持有人。
report-payload-files = 内容文件
report-no-payload = 未读取任何内容文件。
report-payload-read = 本次校验共读取 { $files }，{ $size }。
report-path = 路径
report-size-bytes = 大小（字节）
report-unreadable = 无法读取
report-not-listed = { $more }未在此列出。
report-full-list-command = 完整清单（列明每个文件及其大小和 SHA-256）见 JSON 报告的 { $member } 成员：{ $command }
report-full-list = 完整清单（列明每个文件及其大小和 SHA-256）见同一次校验所生成 JSON 报告的 { $member } 成员。
proves-heading = 本报告能证明什么、不能证明什么
proves-shows = 本报告表明：
proves-failed = 所接收的证据包与封存时不一致，或其封存、签名或保管链未能通过校验：见下文所列问题。
proves-payload = 下列每个内容文件均已由本次校验完整读取，其字节与证据包清单中的哈希值一致。
proves-signers = 每一名标注为有效的封存签名人均持有所示密钥标识对应的私钥：对封存声明（该声明绑定各清单、案件元数据及 Merkle 根）所作的签名校验通过。
proves-events = 每一条标注为有效的保管链记录均由所示密钥签署，并通过哈希值与封存及前一条记录相链接。
proves-trusted-policy = 标注为受信任的签名人系经下文所列信任策略（附其 SHA-256）认可。
proves-trusted-certificates = 标注为受信任的签名人，或与运行本次校验的人员选择信任的公开密钥相符，或持有其证书链可追溯至该人员所提供根证书的证书（见下文“信任来源”）。
proves-trusted-keys = 标注为受信任的签名人与运行本次校验的人员选择信任的公开密钥相符（见下文“信任来源”）。
proves-time = 标注为经证实的时间：由已提供根证书的 TSA 出具的 RFC 3161 时间戳令牌表明该签名在该时间已经存在。
proves-not = 本报告不能表明：
proves-not-who = 密钥归属于何人：姓名和单位均为密钥持有人的自称；应通过其他渠道与其核对密钥标识。
proves-not-when-else = 其他任何事项发生的时间：凡未标注为经证实的时间，均为签名人自身时钟的时间。
proves-not-when = 任何事项发生的时间：证据包中的时间均为签名人自身时钟的时间。
proves-not-revoked = 签名人的证书未被撤销：证据包中没有该证书的 CRL 或 OCSP 响应（{ $command } 可添加）。
proves-not-before = 数据在封存前完整且未被改动；数据的收集方式；或数据与描述相符。
proves-not-itself = 本页面自身不构成任何证明：本页面未经签名。如需依据本页面，请使用 { $command } 重新校验该证据包（其 SHA-256 见上文）。
report-footer = 由 { $tool } { $version } 生成。姓名和单位均为密钥持有人的自称；仅密钥标识经过证实。请通过其他渠道与发送方核对密钥标识。

## 取证镜像（获取）

report-acquisition = 获取（取证镜像）
report-image = 镜像
report-image-format = 格式
report-media-size = 介质大小
report-stored-hashes = 成像工具记录的值
report-computed-hashes = 封存时重新计算的值
report-image-result = 结果
report-acquisition-metadata = 获取记录（成像工具写入的原样）
report-unreadable-sectors = 获取时无法读取的扇区
report-sector-range = 扇区 { $first } 至 { $last }
image-result-match = 与成像工具记录的值一致
image-result-mismatch = 与成像工具记录的值不一致
image-result-no-stored-hash = 成像工具未记录任何值
verify-image-line = 镜像 { $path }（{ $format }，介质 { $size }）：{ $result }
