# exhibit: what a person reads, in Russian. Message ids and arguments are
# those of i18n/en/exhibit.ftl; legal terms follow i18n/glossary.md.
# Never translate an argument: paths, key ids, digests, problem codes and
# names come from the bundle. Command names and flags stay as they are.

## The language itself

language-name = Русский

## Numbers, sizes and dates

# Between groups of three digits: 3 224 128 872 (no-break space).
number-group-separator = {"\u00A0"}
# Between the whole and the decimal part of 3,0 ГиБ.
number-decimal-separator = ,
size-bytes =
    { $count ->
        [one] { $n } байт
        [few] { $n } байта
        [many] { $n } байт
       *[other] { $n } байта
    }
# $amount: 3,0; $unit: ГиБ; $exact: the byte count (size-bytes).
size-larger = { $amount } { $unit } ({ $exact })
unit-kib = КиБ
unit-mib = МиБ
unit-gib = ГиБ
unit-tib = ТиБ
unit-pib = ПиБ
# A moment: the Russian form, then the ISO 8601 form beside it. Month names
# are in the genitive, as date-time uses them after the day.
date-time = { $day } { $month } { $year } г., { $time } UTC ({ $iso })
month-1 = января
month-2 = февраля
month-3 = марта
month-4 = апреля
month-5 = мая
month-6 = июня
month-7 = июля
month-8 = августа
month-9 = сентября
month-10 = октября
month-11 = ноября
month-12 = декабря

## Counts ($n is the number written with grouping, $count selects the plural)

count-files =
    { $count ->
        [one] { $n } файл
        [few] { $n } файла
        [many] { $n } файлов
       *[other] { $n } файла
    }
count-payload-files =
    { $count ->
        [one] { $n } файл содержимого
        [few] { $n } файла содержимого
        [many] { $n } файлов содержимого
       *[other] { $n } файла содержимого
    }
count-more-files =
    { $count ->
        [one] ещё { $n } файл
        [few] ещё { $n } файла
        [many] ещё { $n } файлов
       *[other] ещё { $n } файла
    }
count-events =
    { $count ->
        [one] { $n } запись
        [few] { $n } записи
        [many] { $n } записей
       *[other] { $n } записи
    }
count-problems =
    { $count ->
        [one] { $n } несоответствие
        [few] { $n } несоответствия
        [many] { $n } несоответствий
       *[other] { $n } несоответствия
    }
count-archive-time-stamps =
    { $count ->
        [one] { $n } архивная метка времени
        [few] { $n } архивные метки времени
        [many] { $n } архивных меток времени
       *[other] { $n } архивной метки времени
    }

## The verdict

verdict-verified = ПРОВЕРЕНО
verdict-failed = НЕ ПРОЙДЕНО
verdict-untrusted = НЕ ПОДТВЕРЖДЕНО
verdict-with-disclosure = { $verdict } (частичное раскрытие: раскрыто файлов — { $disclosed }, всего опечатано — { $sealed })
# The first line of verify: verdict, bundle, what it is, detail.
verify-line = { $verdict }: { $bundle } ({ $files }, { $size }): { $detail }
verify-line-case = { $verdict }: { $bundle } (дело { $case }, вещественное доказательство { $exhibit }; { $files }, { $size }): { $detail }
verify-line-bag = { $verdict }: { $bundle } (обычный контейнер BagIt, не опечатан; { $files }, { $size }): { $detail }
detail-verified = целостность не нарушена, подпись выполнена доверенным ключом
detail-bag-unsigned = целостность не нарушена, но подпись отсутствует
detail-no-trust-given-certificates = целостность не нарушена, но не указаны ни --trust, ни --ca: личность каждого подписанта лишь заявлена им самим
detail-no-trust-given = целостность не нарушена, но не указан --trust: личность подписанта лишь заявлена им самим
detail-untrusted-because = целостность не нарушена, но { $reason } (см. ниже)
detail-no-key-or-root = целостность не нарушена, но ни ключ из --trust, ни корневой сертификат из --ca не удостоверяет ни одного подписанта печати
detail-no-trusted-key = целостность не нарушена, но печать не подписана ни одним ключом из --trust
# How many payload files a failed verification found changed, and which.
failed-files-differ =
    { $count ->
        [one] { $n } файл отличается от опечатанного
        [few] { $n } файла отличаются от опечатанных
        [many] { $n } файлов отличаются от опечатанных
       *[other] { $n } файла отличаются от опечатанных
    }
failed-files-missing =
    { $count ->
        [one] { $n } файл отсутствует
        [few] { $n } файла отсутствуют
        [many] { $n } файлов отсутствуют
       *[other] { $n } файла отсутствуют
    }
failed-files-added =
    { $count ->
        [one] { $n } файл добавлен
        [few] { $n } файла добавлены
        [many] { $n } файлов добавлены
       *[other] { $n } файла добавлены
    }
failed-files-unreadable =
    { $count ->
        [one] { $n } файл не читается
        [few] { $n } файла не читаются
        [many] { $n } файлов не читаются
       *[other] { $n } файла не читаются
    }
# $parts: the counts above, joined with ", "; $paths: the first files named.
failed-summary = { $parts } ({ $paths })
list-separator = {", "}

## Why an intact bundle is not trusted

reason-proof-does-not-count = не учитывается одно из подтверждений, на которых основана проверка: { $proof }
reason-no-trusted-key = печать не подписана ни одним доверенным ключом
reason-too-few-signers = доверенных подписей под печатью: { $trusted } из { $needed }, требуемых политикой доверия
reason-custody-not-trusted = политика доверия не признаёт доверенными следующие записи цепочки хранения: { $events }
# One custody event the policy does not trust: "№ 3 (роль)".
reason-event = № { $sequence } ({ $reason })
# The trust policy's words for why it does not trust a key.
policy-reason-revoked = отозван
policy-reason-expired = срок действия истёк
policy-reason-not-yet-valid = ещё не действителен
policy-reason-role = роль
policy-reason-time-not-proven = время не подтверждено
policy-reason-unknown-key = неизвестный ключ
policy-reason-invalid-signature = недействительная подпись

## Signers, time-stamps and certificates (terminal)

signer-line = подписант { $key } { $claimed }: { $validity }, { $trust }
claimed-name-and-organization = «{ $name }» ({ $organization })
claimed-name = «{ $name }»
claimed-organization = ({ $organization })
claimed-nothing = (имя не заявлено)
signature-valid = действительная подпись
signature-invalid = НЕДЕЙСТВИТЕЛЬНАЯ подпись
trust-trusted = доверенный
trust-not-trusted = недоверенный
trust-not-trusted-because = недоверенный ({ $reason })
trust-chains-to = доверенный (цепочка сертификации ведёт к «{ $root }»)
trust-by-policy = доверенный (согласно политике доверия)
# A line and what its time-stamp proves, joined.
with-note = { $line }; { $note }
certificate-qualified = сертификат заявлен как квалифицированный (EU QcCompliance)
certificate-valid-from-to = (действителен с { $from } по { $to })
certificate-signer-line = сертификат подписанта { $key } «{ $subject }», выданный «{ $issuer }»{ $period }: { $validity }, { $trust }{ $qualified }; { $revocation }; путь сертификации проверен на { $moment } момент подписания
certificate-revocation-good = на тот момент не отозван (CRL/OCSP в пакете доказательств)
certificate-revocation-revoked = на тот момент ОТОЗВАН
certificate-revocation-not-checked = статус отзыва не проверялся
moment-proven = подтверждённый
moment-claimed = заявленный
timestamp-proven = время { $time } подтверждено службой TSA «{ $tsa }» (доверенной)
timestamp-unproven = метка времени { $time } выдана службой TSA «{ $tsa }», которая не является доверенной: время не подтверждено
timestamp-invalid = НЕДЕЙСТВИТЕЛЬНЫЙ токен метки времени { $file }
custody-summary-line =
    { $count ->
        [one] цепочка хранения: { $n } запись, вершина { $head }
        [few] цепочка хранения: { $n } записи, вершина { $head }
        [many] цепочка хранения: { $n } записей, вершина { $head }
       *[other] цепочка хранения: { $n } записи, вершина { $head }
    }
custody-event-note = запись цепочки хранения № { $sequence }: { $note }
next-tsa-root = следующий шаг: чтобы подтвердить это время, укажите корневой сертификат службы TSA: --tsa-ca ROOT.pem
policy-line = политика доверия { $policy } (sha256 { $sha256 }): требуется доверенных подписей под печатью — { $needed }, найдено — { $found }
policy-event-not-trusted = запись цепочки хранения № { $sequence } ({ $action }), выполненная ключом { $key }: ключ не признан доверенным для цепочки хранения ({ $reason })
you-trusted = вы указали как доверенные: { $trusted }; печать подписана: { $signers }
key-claims-name = { $key } (заявленное имя: { $name })
key-claims-nothing = { $key } (имя не заявлено)
key-from-file = { $key } ({ $file })
next-ca-root = следующий шаг: получите по другому каналу связи корневой сертификат удостоверяющего центра, выдавшего сертификат «{ $subject }», затем повторите запуск с --ca ROOT.pem
next-compare-key = следующий шаг: сверьте идентификатор ключа { $key } с отправителем по другому каналу связи, затем повторите запуск с --trust FILE.pub
next-policy = следующий шаг: { $what } (ключ { $key }): { $step }
next-policy-what-seal = подпись под печатью
next-policy-what-event = запись цепочки хранения
next-policy-revoked = политика доверия отозвала этот ключ до того, как им была выполнена подпись: запросите у отправителя подпись ключом, которому политика доверия доверяет
next-policy-window = ключ выполнил подпись вне периода, установленного для него политикой доверия: запросите у отправителя подпись ключом, действительным на тот момент
next-policy-role = политика доверия не наделяет этот ключ данной ролью: подписать должен ключ, которому политика доверия доверяет эту роль
next-policy-time = политика доверия требует подтверждённого времени: добавьте в пакет доказательств токен метки времени (exhibit timestamp BUNDLE --tsa URL) и укажите его корневой сертификат с --tsa-ca
next-policy-compare = сверьте идентификатор ключа с его владельцем по другому каналу связи; если ключ принадлежит ему, внесите ключ в политику доверия
report-written = отчёт сохранён: { $path }

## Problems (terminal and report)

# A problem line: "payload.missing: data/a.txt: what it means (the detail)".
# Russian gives what the code means in its own words, then the detail as
# the JSON holds it (English).
problem-line-path = { $code }: { $path }: { $message }
problem-line = { $code }: { $message }
problem-translated = { $meaning } (подробности: { $detail })
warning-prefix = предупреждение: { $line }
seal-totals-differ = { $codes }: поэтому расходятся и итоговые значения, зафиксированные печатью (корень Merkle, число файлов, размер, Payload-Oxum)
more-findings-for-file =
    { $count ->
        [one] { $line }; и ещё { $n } замечание по этому файлу
        [few] { $line }; и ещё { $n } замечания по этому файлу
        [many] { $line }; и ещё { $n } замечаний по этому файлу
       *[other] { $line }; и ещё { $n } замечания по этому файлу
    }
# What each problem code means, in one sentence.
problem-bag-declaration = bagit.txt не является допустимой декларацией BagIt
problem-bag-bag-info = bag-info.txt отсутствует или не читается
problem-bag-no-manifest = в контейнере нет манифеста содержимого
problem-bag-manifest-invalid = манифест не удаётся прочитать
problem-bag-manifest-unsupported = в манифесте используется алгоритм, проверка по которому невозможна
problem-bag-manifest-duplicate = в манифесте один и тот же файл указан более одного раза
problem-bag-manifest-nonstandard = строка манифеста имеет форму, не предусмотренную BagIt; она прочитана в предполагаемом значении
problem-bag-oxum-mismatch = Payload-Oxum не соответствует содержимому
problem-bag-fetch = в fetch.txt указаны файлы, которых нет в контейнере
problem-bag-tag-mismatch = служебный файл отсутствует или не совпадает со своим манифестом служебных файлов
problem-path-unsafe = имя, которое может указывать за пределы контейнера
problem-path-encoding = имя, не являющееся допустимой строкой UTF-8
problem-path-duplicate = два имени, которые совпадают или вступают в конфликт при извлечении
problem-path-not-regular = ссылка, устройство или иной элемент, не являющийся обычным файлом
problem-payload-missing = файл, указанный в манифестах, отсутствует в контейнере
problem-payload-unlisted = файл содержимого, не указанный ни в одном манифесте
problem-payload-digest-mismatch = файл содержимого не является тем файлом, который был опечатан
problem-payload-unreadable = файл содержимого не удалось прочитать до конца
problem-payload-os-file = файл метаданных операционной системы
problem-zip-interrupted-append = дополнение zip-архива было прервано; пакет доказательств прочитан в том виде, в каком он был до этого дополнения
problem-zip-layout = zip-архив не состоит из одной папки, содержащей контейнер
problem-zip-entry = элемент zip-архива зашифрован, сжат неподдерживаемым способом или не соответствует заявленному размеру
problem-seal-missing = акт опечатывания отсутствует
problem-seal-invalid = акт опечатывания не удаётся прочитать
problem-seal-tag-digest-mismatch = файл, закреплённый актом опечатывания, изменён
problem-seal-payload-mismatch = число файлов или размер расходятся с актом опечатывания
problem-seal-merkle-mismatch = содержимое не даёт корень Merkle, указанный в акте опечатывания
problem-seal-unexpected-file = файл в exhibit/, не предусмотренный форматом
problem-signature-none = у печати нет ни одной подписи
problem-signature-invalid = сведения о подписи не удаётся прочитать либо в них указан не тот ключ или файл
problem-signature-bad = подпись не проходит проверку
problem-custody-invalid = цепочка хранения отсутствует, имеет пропуски или содержит записи, которые не удаётся прочитать
problem-custody-link = запись цепочки хранения не связана с предыдущей записью или с печатью
problem-custody-signature = подпись записи цепочки хранения отсутствует, недействительна или выполнена другим ключом
problem-custody-handover = передача нарушает правила цепочки хранения
problem-custody-time-backwards = запись цепочки хранения датирована более ранним временем, чем предыдущая запись
problem-custody-head-mismatch = цепочка хранения не проходит через ожидаемую вершину
problem-custody-after-head = запись цепочки хранения добавлена после ожидаемой вершины
problem-timestamp-invalid = токен метки времени сформирован неправильно или недействителен
problem-timestamp-mismatch = токен метки времени не относится к подписи, для которой он хранится
problem-timestamp-orphan = токен метки времени для подписи, которой нет в пакете доказательств
problem-timestamp-untrusted = метка времени выдана службой, которой здесь никто не доверяет: её время не подтверждено
problem-timestamp-claimed-later = в подписи заявлено время более позднее, чем время её метки времени
problem-validation-invalid = файл данных для проверки статуса не является тем списком CRL или ответом OCSP, который указан в его имени
problem-revocation-revoked = сертификат, на котором основано подтверждение, был отозван до подтверждаемого им момента
problem-revocation-revoked-later = сертификат, на котором основано подтверждение, был отозван после подтверждаемого им момента
problem-revocation-not-checked = пакет доказательств не содержит данных об отзыве сертификата, на котором основано подтверждение
problem-proof-lapsed = подтверждение, сертификаты которого истекли, при отсутствии своевременно обновлённой записи доказательства
problem-evidence-record-invalid = запись доказательства недействительна
problem-evidence-record-lapsed = запись доказательства недействительна на момент, на который производится оценка
problem-disclosure-invalid = документ частичного раскрытия не может быть использован
problem-disclosure-proof = подтверждение включения не ведёт к опечатанному корню Merkle
problem-disclosure-file-mismatch = раскрытый файл не является тем файлом, который был опечатан

## custody log and custody replay

timeline-heading-seq = №
timeline-heading-time = ВРЕМЯ
timeline-heading-action = ДЕЙСТВИЕ
timeline-heading-actor = ИСПОЛНИТЕЛЬ
timeline-heading-recipient = ПОЛУЧАТЕЛЬ
timeline-heading-note = ПРИМЕЧАНИЕ
timeline-no-name = (без имени)
timeline-invalid-signature = НЕДЕЙСТВИТЕЛЬНАЯ ПОДПИСЬ { $note }
timeline-head = вершина { $head }
timeline-trusted-key = * доверенный ключ
replay-head = ; вершина { $head } (сверьте её с вершиной у отправителя по другому каналу связи)
replay-verified = ПРОВЕРЕНО: { $bundle }: цепочка хранения ({ $events }) не нарушена, печать подписана доверенным ключом{ $head }
replay-untrusted = НЕ ПОДТВЕРЖДЕНО: { $bundle }: цепочка хранения ({ $events }) не нарушена, но { $reason }{ $head }
replay-reason-too-few = политика доверия требует доверенных подписей под печатью: { $needed }, найдено: { $trusted }
replay-reason-events = политика доверия признаёт доверенными не все записи цепочки хранения (перечислены выше)
replay-reason-no-trusted-key = печать не подписана ни одним ключом из --trust
replay-reason-no-trust = не указан --trust: никто не признан доверенным
replay-failed = НЕ ПРОЙДЕНО: { $bundle }: { $problems } (см. выше)

## inspect

inspect-bundle = пакет доказательств
inspect-case = дело
inspect-exhibit = вещественное доказательство
inspect-description = описание
inspect-examiner = эксперт
inspect-claimed = { $value } (заявлено)
inspect-sealed-at = опечатано
inspect-tool = программа
inspect-meta = метаданные
inspect-payload = содержимое
inspect-payload-value = { $files }, { $size } (по данным печати; хеши повторно не вычислялись)
inspect-merkle-root = корень Merkle
inspect-zip-lists = в zip-архиве
inspect-zip-lists-value = { $files }, { $size } (имена и данные не проверялись)
inspect-disclosure = частичное раскрытие
inspect-disclosure-value = раскрыто файлов — { $disclosed }, всего опечатано — { $sealed } (подтверждения проверены, хеши файлов повторно не вычислялись)
inspect-symlinks = символьные ссылки
inspect-symlinks-value = зафиксировано: { $n }; переход по ним не выполнялся
inspect-empty-dirs = пустые папки
inspect-empty-dirs-value = зафиксировано: { $n }
inspect-kind = тип
inspect-custody = хранение
inspect-custody-head = вершина цепочки хранения
inspect-invalid-signature = НЕДЕЙСТВИТЕЛЬНАЯ ПОДПИСЬ
inspect-evidence = запись доказательства
inspect-evidence-holds = { $stamps }; охватывает служебные файлы ({ $tags }) начиная с { $since }
inspect-evidence-lapsed = недействительна: { $why }
inspect-proof-until = подтверждение до
inspect-proof-until-value = { $at } (обновите до этого момента: exhibit renew)
inspect-not-checked = не проверялось
inspect-not-checked-value = файлы содержимого, их перечень и корень Merkle: их проверяет `exhibit verify`

## extract and disclose

extract-refused-untrusted = печать не подписана ни одним ключом из --trust (чтобы всё же извлечь данные, используйте --allow-untrusted)
extract-refused-failed = проверка не пройдена
extract-nothing = в { $target } ничего не извлечено: { $why }
extract-done = извлечено в { $target }: { $files }, { $size }
disclose-done = раскрыто в { $target }: файлов — { $disclosed }, { $size } (всего опечатано файлов: { $sealed })
disclose-proof = документ подтверждения, sha256 { $sha256 }
disclose-custody-event = в { $bundle } внесена запись цепочки хранения № { $sequence } (disclose)
disclose-head = вершина { $head }
disclose-reveals-nothing-left-out = раскрывает: все опечатанные файлы; ничего не исключено
disclose-reveals-one = раскрывает: размер единственного исключённого файла — ровно { $size } (итог по печати за вычетом размеров раскрытых файлов); но не его имя и не содержание
disclose-reveals-many = раскрывает: исключено { $files }, всего { $size }; но не их имена, не содержание и не размеры каждого по отдельности

## The HTML report (the court report)

report-title = exhibit: проверка { $bundle }
report-heading = Отчёт о проверке
report-status-verified = целостность не нарушена, печать подписана доверенным ключом
report-status-untrusted = целостность не нарушена, но { $reason }
report-status-failed = данные не соответствуют опечатанным (см. несоответствия)
report-this-check = Настоящая проверка
report-checked-at = Время проверки (UTC)
report-tool = Программа
report-bundle-as-received = Пакет доказательств в полученном виде
report-form = Форма
report-form-zip = zip-архив
report-form-folder = папка
report-size = Размер
report-sha256-of-file = SHA-256 файла
report-bundle = Пакет доказательств
report-kind = Тип
report-case = Дело
report-exhibit = Вещественное доказательство
report-description = Описание
report-examiner-claimed = Эксперт (заявлено)
report-merkle-root = Корень Merkle
report-sealed-at = Время опечатывания
report-payload = Содержимое
report-payload-value = { $files }, { $size }
report-custody-head = Вершина журнала цепочки хранения
report-checks = Проверки
report-check = Проверка
report-result = Результат
check-1 = 1. Контейнер сформирован правильно (обязательные файлы BagIt присутствуют и читаются; имена безопасны; структура zip-архива корректна)
check-2 = 2. SHA-256 и BLAKE3 каждого файла содержимого совпадают; нет отсутствующих, лишних или переименованных файлов; размеры и Payload-Oxum совпадают
check-3 = 3. Хеши манифестов и bag-info.txt, указанные в акте опечатывания, совпадают; корень Merkle соответствует содержимому
check-4 = 4. Каждая подпись под печатью действительна для seal.json
check-5 = 5. Цепочка хранения: последовательность, хеш-связи, подписи, связь с данной печатью, передачи, время
check-6 = 6. Доверие: ключ подписанта печати совпадает с доверенным ключом
check-failed = НЕ ПРОЙДЕНО: { $codes }
check-not-applicable = неприменимо: обычный контейнер BagIt, никто его не опечатывал
check-not-established = НЕ УСТАНОВЛЕНО: ни один доверенный ключ не совпадает с ключом подписанта печати с действительной подписью
check-not-established-but = НЕ УСТАНОВЛЕНО: доверенный подписант { $keys }, но { $reason }
check-passed-trusted = пройдено: доверенный подписант { $keys }
check-passed-warnings = пройдено, предупреждений: { $n } (см. ниже)
check-passed = пройдено: несоответствий не выявлено
report-signers = Подписанты печати
report-none = Нет.
report-signer-key = Идентификатор ключа (подтверждён подписью)
report-signer-name = Заявленное имя
report-signer-organization = Заявленная организация
report-signer-signed-at = Время подписания (заявлено: по часам подписанта)
report-signer-signature = Подпись
report-signer-trusted = Доверие к личности
report-proven-time = Подтверждённое время (RFC 3161)
report-valid = действительна
report-invalid = НЕДЕЙСТВИТЕЛЬНА
report-trusted-by-file = доверенный: ключ из { $files }
report-trusted = доверенный
report-trusted-by-policy-file = доверенный (политика доверия { $policy })
report-not-trusted-because = недоверенный: { $reason }
report-not-trusted-claims = недоверенный: личность подписанта лишь заявлена им самим
report-certificate-of = сертификат владельца { $subject }, издатель { $issuer }, серийный номер { $serial }
report-certificate-trusted-root = доверенный: цепочка сертификации ведёт к корневому сертификату { $root }
report-certificate-trusted-policy = доверенный согласно политике доверия
report-not-trusted = недоверенный
report-certificate-cell = { $verdict }; { $who }{ $qualified }; { $revocation }
report-qualified = ; сертификат заявлен как квалифицированный (EU QcCompliance)
revocation-good = не отозван на подтверждаемый момент (CRL/OCSP в пакете доказательств)
revocation-good-later = не отозван на подтверждаемый момент; { $detail }
revocation-revoked = ОТОЗВАН: { $detail }
revocation-not-checked = статус отзыва не проверялся (в пакете доказательств нет списка CRL или ответа OCSP)
report-long-term = Долгосрочное подтверждение
report-record-holds = Запись доказательства (RFC 4998) действительна: существование служебных файлов ({ $n }) подтверждено начиная с { $since }.
report-record-lapsed = Запись доказательства ничего не подтверждает на момент, на который производится оценка: { $why }
report-stamp = Архивная метка времени
report-stamp-hash = Хеш
report-stamp-time = Время (TSA)
report-stamp-tsa = TSA
report-stamp-revocation = Отзыв
report-stamp-expires = Срок действия сертификатов истекает
report-proof-expires = Самый ранний момент, когда одно из приведённых здесь подтверждений утрачивает силу, если пакет доказательств не будет обновлён ({ $command }): { $until }.
report-trust-sources = Источники доверия
report-policy = Политика доверия { $policy }, SHA-256 { $sha256 }: требуется доверенных подписей под печатью — { $needed }; каждая запись цепочки хранения должна быть выполнена ключом, которому политика доверяет в отношении цепочки хранения.
report-ca-roots = Файл корневых сертификатов для подписантов с сертификатами (--ca)
report-tsa-roots = Файл корневых сертификатов TSA
report-no-key-roots = Доверенный ключ не указан: при данной проверке доверенными могут быть признаны только подписанты с сертификатами — через указанные выше корневые сертификаты.
report-no-key = Доверенный ключ не указан: при данной проверке ни один подписант не может быть признан доверенным.
report-trusted-key-file = Файл доверенного ключа
report-key-id = Идентификатор ключа
report-custody = Цепочка хранения
report-no-events = Записей нет.
report-event-time = Время (UTC)
report-event-action = Действие
report-event-actor = Исполнитель (заявлено)
report-event-actor-key = Ключ исполнителя
report-event-recipient-key = Ключ получателя
report-event-note = Примечание
report-event-location = Место
report-key-trusted = (доверенный)
report-no-token = токена нет: время не подтверждено
report-token-unproven = { $time } (не подтверждено)
report-token-trusted = TSA { $tsa } (доверенная, корневой сертификат { $root }; { $revocation })
report-token-revoked = TSA { $tsa }: { $revocation }
report-token-untrusted = TSA { $tsa } (недоверенная)
report-token-invalid = НЕДЕЙСТВИТЕЛЬНЫЙ токен { $file }
report-problems = Несоответствия
report-warnings = Предупреждения
report-code = Код
report-file-or-event = Файл или запись
report-message = Сообщение
report-detail-english = подробности в том виде, в каком их приводит отчёт JSON (на английском языке)
drawing-heading = Схема цепочки хранения
drawing-title = Цепочка хранения: у кого находились доказательства, в порядке следования записей
drawing-signed = подписано
drawing-bad-signature = НЕВЕРНАЯ ПОДПИСЬ
drawing-event-tooltip = № { $sequence } { $action }, ключ { $key }: { $state }
drawing-signature-valid = подпись действительна
drawing-signature-invalid = подпись НЕДЕЙСТВИТЕЛЬНА
drawing-legend = Дорожки соответствуют держателям ключей (имена заявлены, идентификаторы ключей подтверждены действительными подписями); записи расположены слева направо в порядке следования, у каждой отмечено состояние подписи; стрелки обозначают передачу названному получателю; затенённая полоса показывает, у кого находятся доказательства.
report-payload-files = Файлы содержимого
report-no-payload = Ни один файл содержимого не был прочитан.
report-payload-read = { $files }, { $size }, прочитано при данной проверке.
report-path = Путь
report-size-bytes = Размер (байт)
report-unreadable = не читается
report-not-listed = Здесь не приведены: { $more }.
report-full-list-command = Полный перечень — каждый файл с его размером и SHA-256 — содержится в элементе { $member } отчёта JSON: { $command }
report-full-list = Полный перечень — каждый файл с его размером и SHA-256 — содержится в элементе { $member } отчёта JSON той же проверки.
proves-heading = Что подтверждает настоящий отчёт и чего он не подтверждает
proves-shows = Отчёт подтверждает:
proves-failed = Пакет доказательств в полученном виде не соответствует опечатанному либо его печать, подписи или цепочка хранения не проходят проверку: см. несоответствия ниже.
proves-payload = Каждый файл содержимого, перечисленный ниже, прочитан при данной проверке до конца, и его байты совпадают с хешами в манифестах пакета доказательств.
proves-signers = Каждый подписант печати, отмеченный как действительный, владеет закрытым ключом с указанным идентификатором: подпись акта опечатывания (который закрепляет манифесты, метаданные дела и корень Merkle) проходит проверку.
proves-events = Каждая запись цепочки хранения, отмеченная как действительная, подписана указанным ключом и связана хешем с печатью и с предыдущей записью.
proves-trusted-policy = Подписант, отмеченный как доверенный, допускается политикой доверия, указанной ниже (с её SHA-256).
proves-trusted-certificates = Подписант, отмеченный как доверенный, совпадает с открытым ключом, которому лицо, выполняющее проверку, решило доверять, либо владеет сертификатом, цепочка сертификации которого доходит до указанного этим лицом корневого сертификата (см. источники доверия ниже).
proves-trusted-keys = Подписант, отмеченный как доверенный, совпадает с открытым ключом, которому лицо, выполняющее проверку, решило доверять (см. источники доверия ниже).
proves-time = Время, отмеченное как подтверждённое: токен метки времени RFC 3161 от службы TSA, корневой сертификат которой был указан, показывает, что подпись существовала в тот момент.
proves-not = Отчёт не подтверждает:
proves-not-who = Кому принадлежит ключ: имена и организации заявлены самими держателями ключей; сверьте с ними идентификаторы ключей по другому каналу связи.
proves-not-when-else = Когда произошло всё остальное: любое время, не отмеченное как подтверждённое, указано по собственным часам подписанта.
proves-not-when = Когда что-либо произошло: время в пакете доказательств указано по собственным часам подписантов.
proves-not-revoked = Что сертификат подписанта не был отозван: пакет доказательств не содержит для него списка CRL или ответа OCSP (их добавляет { $command }).
proves-not-before = Что данные были полными и неизменёнными до опечатывания, каким образом они были собраны, а также что они соответствуют описанию.
proves-not-itself = Что-либо само по себе: эта страница не подписана. Чтобы на неё полагаться, проверьте пакет доказательств заново (его SHA-256 приведён выше) командой { $command }.
report-footer = Создано программой { $tool } { $version }. Имена и организации заявлены держателями ключей; подтверждены только идентификаторы ключей. Сверьте идентификаторы ключей с отправителями по другому каналу связи.

## Криминалистические образы (получение)

report-acquisition = Получение (криминалистические образы)
report-image = Образ
report-image-format = Формат
report-media-size = Объём носителя
report-stored-hashes = Записаны средством получения образа
report-computed-hashes = Пересчитаны при опечатывании
report-image-result = Результат
report-acquisition-metadata = Сведения о получении (как их записало средство)
report-unreadable-sectors = Сектора, не прочитанные при получении
report-sector-range = сектора с { $first } по { $last }
image-result-match = совпадает со значениями, записанными средством получения образа
image-result-mismatch = НЕ СОВПАДАЕТ со значениями, записанными средством получения образа
image-result-no-stored-hash = средство получения образа не записало значений
verify-image-line = образ { $path } ({ $format }, носитель { $size }): { $result }
