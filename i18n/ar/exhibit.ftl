# exhibit: ما يقرؤه الشخص، بالعربية. المرجع: i18n/en/exhibit.ftl (المعرفات
# والوسائط نفسها). المصطلحات القانونية: i18n/glossary.md. لا يترجم أي وسيط:
# المسارات ومعرفات المفاتيح والبصمات ورموز المشكلات والأسماء تأتي من الحزمة.
# أسماء الأوامر والخيارات (exhibit verify، --trust) تبقى كما هي.

## The language itself

language-name = العربية

## Numbers, sizes and dates

number-group-separator = ,
number-decimal-separator = .
size-bytes =
    { $count ->
        [one] بايت واحد
        [two] بايتان
        [few] { $n } بايتات
        [many] { $n } بايتا
       *[other] { $n } بايت
    }
size-larger = { $amount } { $unit } ({ $exact })
unit-kib = KiB
unit-mib = MiB
unit-gib = GiB
unit-tib = TiB
unit-pib = PiB
date-time = { $day } { $month } { $year }، الساعة { $time } UTC ({ $iso })
month-1 = يناير
month-2 = فبراير
month-3 = مارس
month-4 = أبريل
month-5 = مايو
month-6 = يونيو
month-7 = يوليو
month-8 = أغسطس
month-9 = سبتمبر
month-10 = أكتوبر
month-11 = نوفمبر
month-12 = ديسمبر

## Counts ($n is the number written with grouping, $count selects the plural)

count-files =
    { $count ->
        [one] ملف واحد
        [two] ملفان
        [few] { $n } ملفات
        [many] { $n } ملفا
       *[other] { $n } ملف
    }
count-payload-files =
    { $count ->
        [one] ملف محتوى واحد
        [two] ملفا محتوى
        [few] { $n } ملفات محتوى
        [many] { $n } ملفا محتوى
       *[other] { $n } ملف محتوى
    }
count-more-files =
    { $count ->
        [one] ملف واحد آخر
        [two] ملفان آخران
        [few] { $n } ملفات أخرى
        [many] { $n } ملفا آخر
       *[other] { $n } ملف آخر
    }
count-events =
    { $count ->
        [one] قيد واحد
        [two] قيدان
        [few] { $n } قيود
        [many] { $n } قيدا
       *[other] { $n } قيد
    }
count-problems =
    { $count ->
        [one] مشكلة واحدة
        [two] مشكلتان
        [few] { $n } مشكلات
        [many] { $n } مشكلة
       *[other] { $n } مشكلة
    }
count-archive-time-stamps =
    { $count ->
        [one] ختم زمني أرشيفي واحد
        [two] ختمان زمنيان أرشيفيان
        [few] { $n } أختام زمنية أرشيفية
        [many] { $n } ختما زمنيا أرشيفيا
       *[other] { $n } ختم زمني أرشيفي
    }

## The verdict

verdict-verified = تم التحقق
verdict-failed = فشل التحقق
verdict-untrusted = غير موثوق
verdict-with-disclosure = { $verdict } (إفصاح جزئي: { $disclosed } من أصل { $sealed } من الملفات المحرزة)
verify-line = { $verdict }: { $bundle } ({ $files }، { $size }): { $detail }
verify-line-case = { $verdict }: { $bundle } (القضية { $case }، الحرز { $exhibit }؛ { $files }، { $size }): { $detail }
verify-line-bag = { $verdict }: { $bundle } (حاوية BagIt عادية غير محرزة؛ { $files }، { $size }): { $detail }
detail-verified = الحزمة سليمة وموقعة بمفتاح موثوق
detail-bag-unsigned = الحاوية سليمة، لكن لم يوقعها أحد
detail-no-trust-given-certificates = الحزمة سليمة، لكن لم يقدم الخيار --trust ولا الخيار --ca: لا يعرف عن كل موقع إلا ما يعلنه عن نفسه
detail-no-trust-given = الحزمة سليمة، لكن لم يقدم الخيار --trust: لا يعرف عن الموقع إلا ما يعلنه عن نفسه
detail-untrusted-because = الحزمة سليمة، لكن { $reason } (انظر أدناه)
detail-no-key-or-root = الحزمة سليمة، لكن لا يوجد مفتاح محدد بالخيار --trust ولا جذر محدد بالخيار --ca يضمن أيا من موقعي التحريز
detail-no-trusted-key = الحزمة سليمة، لكن لم يوقع التحريز أي مفتاح محدد بالخيار --trust
failed-files-differ =
    { $count ->
        [one] ملف واحد يختلف عن حالته عند التحريز
        [two] ملفان يختلفان عن حالتهما عند التحريز
        [few] { $n } ملفات تختلف عن حالتها عند التحريز
        [many] { $n } ملفا تختلف عن حالتها عند التحريز
       *[other] { $n } ملف تختلف عن حالتها عند التحريز
    }
failed-files-missing =
    { $count ->
        [one] ملف واحد مفقود
        [two] ملفان مفقودان
        [few] { $n } ملفات مفقودة
        [many] { $n } ملفا مفقودا
       *[other] { $n } ملف مفقود
    }
failed-files-added =
    { $count ->
        [one] ملف واحد مضاف
        [two] ملفان مضافان
        [few] { $n } ملفات مضافة
        [many] { $n } ملفا مضافا
       *[other] { $n } ملف مضاف
    }
failed-files-unreadable =
    { $count ->
        [one] ملف واحد تتعذر قراءته
        [two] ملفان تتعذر قراءتهما
        [few] { $n } ملفات تتعذر قراءتها
        [many] { $n } ملفا تتعذر قراءتها
       *[other] { $n } ملف تتعذر قراءتها
    }
failed-summary = { $parts } ({ $paths })
list-separator = {"، "}

## Why an intact bundle is not trusted

reason-proof-does-not-count = ثمة إثبات تستند إليه لا يعتد به: { $proof }
reason-no-trusted-key = لم يوقع التحريز أي مفتاح موثوق
reason-too-few-signers = لم يتوفر سوى { $trusted } من أصل { $needed } من توقيعات التحريز الموثوقة التي تشترطها سياسة الثقة
reason-custody-not-trusted = سياسة الثقة لا تثق بالقيد في سلسلة الحيازة رقم { $events }
reason-event = { $sequence } ({ $reason })
policy-reason-revoked = ملغى
policy-reason-expired = منتهي الصلاحية
policy-reason-not-yet-valid = لم يصبح ساريا بعد
policy-reason-role = دور غير مأذون به
policy-reason-time-not-proven = الوقت غير مثبت
policy-reason-unknown-key = مفتاح غير معروف
policy-reason-invalid-signature = توقيع غير صالح

## Signers, time-stamps and certificates (terminal)

signer-line = الموقع { $key } { $claimed }: { $validity }، { $trust }
claimed-name-and-organization = «{ $name }» ({ $organization })
claimed-name = «{ $name }»
claimed-organization = ({ $organization })
claimed-nothing = (دون اسم معلن)
signature-valid = توقيع صالح
signature-invalid = توقيع غير صالح
trust-trusted = موثوق
trust-not-trusted = غير موثوق
trust-not-trusted-because = غير موثوق ({ $reason })
trust-chains-to = موثوق (تنتهي سلسلة شهاداته إلى الجذر «{ $root }»)
trust-by-policy = موثوق (بموجب سياسة الثقة)
with-note = { $line }؛ { $note }
certificate-qualified = تفيد الشهادة بأنها شهادة مؤهلة (EU QcCompliance)
certificate-valid-from-to = (سارية من { $from } إلى { $to })
certificate-signer-line = شهادة الموقع { $key } «{ $subject }» الصادرة عن «{ $issuer }»{ $period }: { $validity }، { $trust }{ $qualified }؛ { $revocation }؛ جرى التحقق من مسار الشهادات في وقت التوقيع { $moment }
certificate-revocation-good = لم تكن ملغاة في ذلك الوقت (CRL/OCSP ضمن الحزمة)
certificate-revocation-revoked = كانت ملغاة في ذلك الوقت
certificate-revocation-not-checked = لم يجر التحقق من حالة الإلغاء
moment-proven = المثبت
moment-claimed = المعلن
timestamp-proven = الوقت مثبت { $time } بختم من TSA «{ $tsa }» (موثوقة)
timestamp-unproven = يحمل ختما زمنيا بتاريخ { $time } من TSA «{ $tsa }»، وهي غير موثوقة: الوقت غير مثبت
timestamp-invalid = رمز ختم زمني غير صالح { $file }
custody-summary-line =
    { $count ->
        [one] سلسلة الحيازة: قيد واحد، رأس السلسلة { $head }
        [two] سلسلة الحيازة: قيدان، رأس السلسلة { $head }
        [few] سلسلة الحيازة: { $n } قيود، رأس السلسلة { $head }
        [many] سلسلة الحيازة: { $n } قيدا، رأس السلسلة { $head }
       *[other] سلسلة الحيازة: { $n } قيد، رأس السلسلة { $head }
    }
custody-event-note = القيد { $sequence } في سلسلة الحيازة: { $note }
next-tsa-root = الخطوة التالية: لإثبات هذه الأوقات، يلزم تقديم شهادة الجذر الخاصة بـ TSA بالخيار --tsa-ca ROOT.pem
policy-line = سياسة الثقة { $policy } (sha256 { $sha256 }): العدد المطلوب من توقيعات التحريز الموثوقة { $needed }، والعدد الموجود { $found }
policy-event-not-trusted = القيد { $sequence } في سلسلة الحيازة ({ $action }) الصادر عن { $key }: غير موثوق لأغراض الحيازة ({ $reason })
you-trusted = اخترت الثقة بـ { $trusted }؛ بينما التحريز موقع من { $signers }
key-claims-name = { $key } (الاسم المعلن: { $name })
key-claims-nothing = { $key } (دون اسم معلن)
key-from-file = { $key } ({ $file })
next-ca-root = الخطوة التالية: يلزم الحصول عبر قناة أخرى على شهادة الجذر للجهة التي أصدرت شهادة «{ $subject }»، ثم إعادة التشغيل مع --ca ROOT.pem
next-compare-key = الخطوة التالية: يلزم مطابقة معرف المفتاح { $key } مع المرسل عبر قناة أخرى، ثم إعادة التشغيل مع --trust FILE.pub
next-policy = الخطوة التالية: { $what } الصادر عن { $key }: { $step }
next-policy-what-seal = توقيع التحريز
next-policy-what-event = القيد في سلسلة الحيازة
next-policy-revoked = ألغت السياسة ذلك المفتاح قبل التوقيع به: يلزم أن يطلب من المرسل توقيع بمفتاح تثق به السياسة
next-policy-window = جرى التوقيع بالمفتاح خارج الفترة التي تحددها له السياسة: يلزم أن يطلب من المرسل توقيع بمفتاح ساري المفعول في ذلك الوقت
next-policy-role = لا تمنح السياسة ذلك المفتاح هذا الدور: يجب أن يوقع مفتاح تثق به السياسة لهذا الدور
next-policy-time = تشترط السياسة وقتا مثبتا: يلزم إضافة رمز ختم زمني إلى الحزمة (exhibit timestamp BUNDLE --tsa URL) وتقديم جذره بالخيار --tsa-ca
next-policy-compare = يلزم مطابقة معرف المفتاح مع حائزه عبر قناة أخرى؛ فإن ثبت أنه له، يدرج في السياسة
report-written = تمت كتابة التقرير في { $path }

## Problems (terminal and report)

problem-line-path = { $code }: { $path }: { $message }
problem-line = { $code }: { $message }
problem-translated = { $meaning } (التفاصيل: { $detail })
warning-prefix = تحذير: { $line }
seal-totals-differ = { $codes }: ولذلك تختلف أيضا المجاميع المسجلة في التحريز (جذر Merkle، عدد الملفات، الحجم، Payload-Oxum)
more-findings-for-file =
    { $count ->
        [one] { $line }؛ وثمة ملاحظة أخرى واحدة بشأن هذا الملف
        [two] { $line }؛ وثمة ملاحظتان أخريان بشأن هذا الملف
        [few] { $line }؛ وثمة { $n } ملاحظات أخرى بشأن هذا الملف
        [many] { $line }؛ وثمة { $n } ملاحظة أخرى بشأن هذا الملف
       *[other] { $line }؛ وثمة { $n } ملاحظة أخرى بشأن هذا الملف
    }
problem-bag-declaration = الملف bagit.txt ليس إعلان BagIt صالحا
problem-bag-bag-info = الملف bag-info.txt مفقود أو تتعذر قراءته
problem-bag-no-manifest = لا تتضمن الحاوية ملف بيان للمحتوى
problem-bag-manifest-invalid = تتعذر قراءة أحد ملفات البيان
problem-bag-manifest-unsupported = أحد ملفات البيان يستخدم خوارزمية يتعذر التحقق بها
problem-bag-manifest-duplicate = أحد ملفات البيان يدرج ملفا واحدا أكثر من مرة
problem-bag-manifest-nonstandard = سطر في أحد ملفات البيان بصيغة لا يعرفها BagIt، وقد قرئ وفق المقصود منه
problem-bag-oxum-mismatch = قيمة Payload-Oxum لا تطابق المحتوى
problem-bag-fetch = الملف fetch.txt يدرج ملفات غير موجودة في الحاوية
problem-bag-tag-mismatch = ملف وسوم مفقود أو يختلف عما يرد في ملف بيان الوسوم
problem-path-unsafe = اسم قد يؤدي إلى الخروج من الحاوية
problem-path-encoding = اسم غير مرمز بترميز UTF-8 صالح
problem-path-duplicate = اسمان متطابقان، أو يتعارضان عند الاستخراج
problem-path-not-regular = رابط أو جهاز أو مدخل آخر ليس ملفا عاديا
problem-payload-missing = ملف مدرج في ملفات البيان غير موجود في الحاوية
problem-payload-unlisted = ملف محتوى لا يدرجه أي ملف بيان
problem-payload-digest-mismatch = ملف محتوى ليس هو الملف الذي جرى تحريزه
problem-payload-unreadable = ملف محتوى تعذرت قراءته حتى نهايته
problem-payload-os-file = ملف بيانات وصفية خاص بنظام التشغيل
problem-zip-interrupted-append = انقطعت عملية إضافة إلى ملف zip؛ وتقرأ الحزمة على حالتها قبل تلك الإضافة
problem-zip-layout = ملف zip لا يتكون من مجلد واحد يحوي الحاوية
problem-zip-entry = مدخل في ملف zip مشفر، أو مضغوط بطريقة غير مدعومة، أو حجمه لا يطابق الحجم المعلن
problem-seal-missing = محضر التحريز مفقود
problem-seal-invalid = تتعذر قراءة محضر التحريز
problem-seal-tag-digest-mismatch = تغير ملف يثبت محضر التحريز بصمته
problem-seal-payload-mismatch = عدد الملفات أو حجمها يختلف عما يرد في محضر التحريز
problem-seal-merkle-mismatch = المحتوى لا ينتج جذر Merkle الوارد في محضر التحريز
problem-seal-unexpected-file = ملف داخل exhibit/ لا يعرفه التنسيق
problem-signature-none = لا يحمل التحريز أي توقيع
problem-signature-invalid = سجل توقيع تتعذر قراءته أو يشير إلى مفتاح أو ملف غير صحيح
problem-signature-bad = توقيع لا يجتاز التحقق
problem-custody-invalid = سلسلة الحيازة مفقودة، أو فيها ثغرات أو قيود تتعذر قراءتها
problem-custody-link = قيد في سلسلة الحيازة غير مرتبط بالقيد السابق له أو بالتحريز
problem-custody-signature = توقيع قيد في سلسلة الحيازة مفقود أو غير صالح أو صادر بمفتاح آخر
problem-custody-handover = عملية تسليم تخالف قواعد سلسلة الحيازة
problem-custody-time-backwards = قيد في سلسلة الحيازة مؤرخ بتاريخ سابق لتاريخ القيد الذي قبله
problem-custody-head-mismatch = سلسلة الحيازة لا تمر بالرأس المتوقع
problem-custody-after-head = أضيف قيد في سلسلة الحيازة بعد الرأس المتوقع
problem-timestamp-invalid = رمز ختم زمني معيب الصيغة أو لا يجتاز التحقق
problem-timestamp-mismatch = رمز ختم زمني لا يغطي التوقيع المحفوظ من أجله
problem-timestamp-orphan = رمز ختم زمني لتوقيع لا تتضمنه الحزمة
problem-timestamp-untrusted = ختم زمني صادر عن جهة لا يثق بها أحد هنا: وقته غير مثبت
problem-timestamp-claimed-later = توقيع يعلن وقتا لاحقا لوقت ختمه الزمني
problem-validation-invalid = ملف من مواد التحقق ليس استجابة CRL أو OCSP كما يدل اسمه
problem-revocation-revoked = شهادة يستند إليها إثبات ألغيت قبل الوقت الذي يثبته
problem-revocation-revoked-later = شهادة يستند إليها إثبات ألغيت بعد الوقت الذي يثبته
problem-revocation-not-checked = لا تتضمن الحزمة بيانات الإلغاء لشهادة يستند إليها إثبات
problem-proof-lapsed = إثبات انتهت صلاحية شهاداته، دون تجديد سجل الدليل في الوقت المناسب
problem-evidence-record-invalid = سجل الدليل غير صالح
problem-evidence-record-lapsed = سجل الدليل غير صالح في اللحظة المعتبرة في التقييم
problem-disclosure-invalid = وثيقة الإفصاح الجزئي غير قابلة للاستخدام
problem-disclosure-proof = إثبات تضمين لا يفضي إلى جذر Merkle الوارد في التحريز
problem-disclosure-file-mismatch = ملف مفصح عنه ليس هو الملف الذي جرى تحريزه

## custody log and custody replay

timeline-heading-seq = التسلسل
timeline-heading-time = الوقت
timeline-heading-action = الإجراء
timeline-heading-actor = القائم بالإجراء
timeline-heading-recipient = المستلم
timeline-heading-note = ملاحظة
timeline-no-name = (بلا اسم)
timeline-invalid-signature = توقيع غير صالح { $note }
timeline-head = رأس السلسلة { $head }
timeline-trusted-key = * مفتاح موثوق
replay-head = ؛ رأس السلسلة { $head } (يلزم مقارنته برأس السلسلة لدى المرسل عبر قناة أخرى)
replay-verified = تم التحقق: { $bundle }: سلسلة الحيازة المكونة من { $events } سليمة، والتحريز موقع بمفتاح موثوق{ $head }
replay-untrusted = غير موثوق: { $bundle }: سلسلة الحيازة المكونة من { $events } سليمة، لكن { $reason }{ $head }
replay-reason-too-few = سياسة الثقة تشترط عددا من توقيعات التحريز الموثوقة قدره { $needed }، ولم يوجد منها إلا { $trusted }
replay-reason-events = سياسة الثقة لا تثق بكل قيد في سلسلة الحيازة (انظر القائمة أعلاه)
replay-reason-no-trusted-key = لم يوقع التحريز أي مفتاح محدد بالخيار --trust
replay-reason-no-trust = لم يقدم الخيار --trust: لا يعد أي طرف موثوقا
replay-failed = فشل التحقق: { $bundle }: { $problems } (انظر القائمة أعلاه)

## inspect

inspect-bundle = الحزمة
inspect-case = القضية
inspect-exhibit = الحرز
inspect-description = الوصف
inspect-examiner = الخبير
inspect-claimed = { $value } (معلن)
inspect-sealed-at = وقت التحريز
inspect-tool = الأداة
inspect-meta = بيانات وصفية
inspect-payload = المحتوى
inspect-payload-value = { $files }، { $size } (وفق ما جرى تحريزه؛ دون إعادة حساب البصمة)
inspect-merkle-root = جذر Merkle
inspect-zip-lists = ما يدرجه ملف zip
inspect-zip-lists-value = { $files }، { $size } (لم يجر التحقق من الأسماء ولا من البيانات)
inspect-disclosure = الإفصاح الجزئي
inspect-disclosure-value = { $disclosed } من أصل { $sealed } من الملفات المحرزة (جرى التحقق من الإثباتات، دون إعادة حساب بصمة الملفات)
inspect-symlinks = الروابط الرمزية
inspect-symlinks-value = { $n } مسجلة، ولم يجر تتبعها
inspect-empty-dirs = المجلدات الفارغة
inspect-empty-dirs-value = { $n } مسجلة
inspect-kind = النوع
inspect-custody = الحيازة
inspect-custody-head = رأس سلسلة الحيازة
inspect-invalid-signature = توقيع غير صالح
inspect-evidence = سجل الدليل
inspect-evidence-holds = { $stamps }؛ ويشمل { $tags } من ملفات الوسوم منذ { $since }
inspect-evidence-lapsed = غير صالح: { $why }
inspect-proof-until = الإثبات قائم حتى
inspect-proof-until-value = { $at } (يلزم التجديد قبل ذلك: exhibit renew)
inspect-not-checked = لم يجر التحقق منه
inspect-not-checked-value = ملفات المحتوى وقائمتها وجذر Merkle: يتحقق منها الأمر `exhibit verify`

## extract and disclose

extract-refused-untrusted = لم يوقع التحريز أي مفتاح محدد بالخيار --trust (استخدم --allow-untrusted للاستخراج رغم ذلك)
extract-refused-failed = فشل التحقق
extract-nothing = لم يستخرج أي شيء إلى { $target }: { $why }
extract-done = تم استخراج { $files }، { $size }، إلى { $target }
disclose-done = تم الإفصاح عن { $disclosed } من أصل { $sealed } من الملفات المحرزة، { $size }، في { $target }
disclose-proof = الإثبات: sha256 { $sha256 }
disclose-custody-event = تم تسجيل القيد { $sequence } في سلسلة الحيازة (disclose) ضمن { $bundle }
disclose-head = رأس السلسلة { $head }
disclose-reveals-nothing-left-out = ما يكشفه: جميع الملفات المحرزة؛ لم يستبعد أي ملف
disclose-reveals-one = ما يكشفه: حجم الملف الوحيد المستبعد { $size } بالضبط (مجموع أحجام التحريز ناقصا أحجام الملفات المفصح عنها)؛ دون اسمه أو محتواه
disclose-reveals-many = ما يكشفه: الملفات المستبعدة: { $files }، بحجم إجمالي قدره { $size }؛ دون أسمائها أو محتوياتها أو حجم كل منها على حدة

## The HTML report (the court report)

report-title = التحقق بأداة exhibit: { $bundle }
report-heading = تقرير التحقق
report-status-verified = الحزمة سليمة، والتحريز موقع بمفتاح موثوق
report-status-untrusted = الحزمة سليمة، لكن { $reason }
report-status-failed = الأدلة لا تطابق ما جرى تحريزه (انظر المشكلات)
report-this-check = هذا الفحص
report-checked-at = وقت الفحص (UTC)
report-tool = الأداة
report-bundle-as-received = الحزمة كما وردت
report-form = الشكل
report-form-zip = ملف zip
report-form-folder = مجلد
report-size = الحجم
report-sha256-of-file = قيمة SHA-256 للملف
report-bundle = الحزمة
report-kind = النوع
report-case = القضية
report-exhibit = الحرز
report-description = الوصف
report-examiner-claimed = الخبير (معلن)
report-merkle-root = جذر Merkle
report-sealed-at = وقت التحريز
report-payload = المحتوى
report-payload-value = { $files }، { $size }
report-custody-head = رأس سجل الحيازة
report-checks = الفحوص
report-check = الفحص
report-result = النتيجة
check-1 = 1. الحاوية سليمة البنية (ملفات BagIt المطلوبة موجودة وقابلة للتحليل؛ الأسماء آمنة؛ بنية zip سليمة)
check-2 = 2. قيم SHA-256 و BLAKE3 لكل ملف محتوى مطابقة؛ لا ملفات مفقودة أو زائدة أو معاد تسميتها؛ الأحجام و Payload-Oxum مطابقة
check-3 = 3. قيم البصمة لملفات البيان وللملف bag-info.txt الواردة في محضر التحريز مطابقة؛ وجذر Merkle مطابق للمحتوى
check-4 = 4. كل توقيع للتحريز صالح بالنسبة إلى seal.json
check-5 = 5. سلسلة الحيازة: التسلسل، والربط بالتجزئة، والتوقيعات، وهذا التحريز، وعمليات التسليم، والأوقات
check-6 = 6. الثقة: أحد موقعي التحريز يطابق مفتاحا موثوقا
check-failed = فشل التحقق: { $codes }
check-not-applicable = لا ينطبق: حاوية BagIt عادية لم يحرزها أحد
check-not-established = لم تثبت: لا يطابق أي مفتاح موثوق موقعا صالحا للتحريز
check-not-established-but = لم تثبت: الموقع الموثوق { $keys }، لكن { $reason }
check-passed-trusted = ناجح: الموقع الموثوق { $keys }
check-passed-warnings = ناجح، مع تحذيرات عددها { $n } (أدناه)
check-passed = ناجح: لم يعثر على أي مشكلة
report-signers = موقعو التحريز
report-none = لا يوجد.
report-signer-key = معرف المفتاح (يثبته التوقيع)
report-signer-name = الاسم المعلن
report-signer-organization = الجهة المعلنة
report-signer-signed-at = وقت التوقيع (معلن: وفق ساعة الموقع)
report-signer-signature = التوقيع
report-signer-trusted = الهوية الموثوقة
report-proven-time = الوقت المثبت (RFC 3161)
report-valid = صالح
report-invalid = غير صالح
report-trusted-by-file = موثوق: المفتاح الوارد في { $files }
report-trusted = موثوق
report-trusted-by-policy-file = موثوق (سياسة الثقة { $policy })
report-not-trusted-because = غير موثوق: { $reason }
report-not-trusted-claims = غير موثوق: لا يعرف عن الموقع إلا ما يعلنه عن نفسه
report-certificate-of = شهادة { $subject }، صادرة عن { $issuer }، رقمها التسلسلي { $serial }
report-certificate-trusted-root = موثوقة: تنتهي سلسلتها إلى الجذر { $root }
report-certificate-trusted-policy = موثوقة بموجب سياسة الثقة
report-not-trusted = غير موثوق
report-certificate-cell = { $verdict }؛ { $who }{ $qualified }؛ { $revocation }
report-qualified = ؛ تفيد الشهادة بأنها شهادة مؤهلة (EU QcCompliance)
revocation-good = لم تكن ملغاة في الوقت الذي يثبته الإثبات (CRL/OCSP ضمن الحزمة)
revocation-good-later = لم تكن ملغاة في الوقت الذي يثبته الإثبات؛ { $detail }
revocation-revoked = ملغاة: { $detail }
revocation-not-checked = لم يجر التحقق من حالة الإلغاء (لا توجد في الحزمة استجابة CRL أو OCSP)
report-long-term = الإثبات طويل الأمد
report-record-holds = سجل الدليل (RFC 4998) صالح: ثبت وجود { $n } من ملفات الوسوم منذ { $since }.
report-record-lapsed = سجل الدليل لا يثبت شيئا في اللحظة المعتبرة في التقييم: { $why }
report-stamp = ختم زمني أرشيفي
report-stamp-hash = البصمة
report-stamp-time = الوقت (TSA)
report-stamp-tsa = TSA
report-stamp-revocation = الإلغاء
report-stamp-expires = انتهاء صلاحية الشهادات
report-proof-expires = أقرب لحظة يسقط فيها أحد الإثباتات الواردة هنا ما لم تجدد الحزمة ({ $command }): { $until }.
report-trust-sources = مصادر الثقة
report-policy = سياسة الثقة { $policy }، SHA-256 { $sha256 }: العدد المطلوب من توقيعات التحريز الموثوقة { $needed }؛ ويجب أن يكون كل قيد في سلسلة الحيازة صادرا عن مفتاح تثق به السياسة لأغراض الحيازة.
report-ca-roots = ملف الجذور للموقعين بالشهادات (--ca)
report-tsa-roots = ملف جذور TSA
report-no-key-roots = لم يقدم أي مفتاح موثوق: لا يمكن في هذا الفحص الوثوق إلا بالموقعين بالشهادات، عبر الجذور المذكورة أعلاه.
report-no-key = لم يقدم أي مفتاح موثوق: لا يمكن في هذا الفحص الوثوق بأي موقع.
report-trusted-key-file = ملف المفتاح الموثوق
report-key-id = معرف المفتاح
report-custody = سلسلة الحيازة
report-no-events = لا توجد قيود.
report-event-time = الوقت (UTC)
report-event-action = الإجراء
report-event-actor = القائم بالإجراء (معلن)
report-event-actor-key = مفتاح القائم بالإجراء
report-event-recipient-key = مفتاح المستلم
report-event-note = ملاحظة
report-event-location = المكان
report-key-trusted = (موثوق)
report-no-token = لا يوجد رمز ختم زمني: الوقت غير مثبت
report-token-unproven = { $time } (غير مثبت)
report-token-trusted = TSA { $tsa } (موثوقة، الجذر { $root }؛ { $revocation })
report-token-revoked = TSA { $tsa }: { $revocation }
report-token-untrusted = TSA { $tsa } (غير موثوقة)
report-token-invalid = رمز ختم زمني غير صالح { $file }
report-problems = المشكلات
report-warnings = التحذيرات
report-code = رمز المشكلة
report-file-or-event = الملف أو القيد
report-message = الرسالة
report-detail-english = التفاصيل، كما يوردها تقرير JSON (بالإنجليزية)
drawing-heading = مخطط سلسلة الحيازة
drawing-title = سلسلة الحيازة: من حاز الأدلة، بحسب ترتيب القيود
drawing-signed = يحمل توقيعا
drawing-bad-signature = توقيع غير صالح
drawing-event-tooltip = #{ $sequence } { $action } من { $key }: { $state }
drawing-signature-valid = التوقيع صالح
drawing-signature-invalid = التوقيع غير صالح
drawing-legend = المسارات تمثل حائزي المفاتيح (الأسماء معلنة، ومعرف كل مفتاح مثبت بتوقيعات صالحة)؛ تتوالى القيود من اليسار إلى اليمين بحسب تسلسلها، ويحمل كل منها حالة توقيعه؛ والأسهم تمثل عمليات النقل إلى المستلم المسمى؛ ويبين الشريط المظلل من يحوز الأدلة.
report-payload-files = ملفات المحتوى
report-no-payload = لم تجر قراءة أي ملف محتوى.
report-payload-read = { $files }، { $size }، كما قرأها هذا الفحص.
report-path = المسار
report-size-bytes = الحجم (بايت)
report-unreadable = تتعذر قراءته
report-not-listed = لم تدرج هنا: { $more }.
report-full-list-command = القائمة الكاملة، أي كل ملف مع حجمه وقيمة SHA-256 الخاصة به، هي العنصر { $member } من تقرير JSON: { $command }
report-full-list = القائمة الكاملة، أي كل ملف مع حجمه وقيمة SHA-256 الخاصة به، هي العنصر { $member } من تقرير JSON الخاص بعملية التحقق نفسها.
proves-heading = ما يثبته هذا التقرير وما لا يثبته
proves-shows = يثبت ما يلي:
proves-failed = الحزمة كما وردت لا تطابق ما جرى تحريزه، أو أن تحريزها أو توقيعاتها أو سلسلة الحيازة فيها لا تجتاز التحقق: انظر المشكلات أدناه.
proves-payload = كل ملف محتوى مدرج أدناه قرأه هذا الفحص حتى نهايته، وتطابق بايتاته قيم البصمة الواردة في ملفات البيان الخاصة بالحزمة.
proves-signers = كل موقع للتحريز موصوف بأنه صالح يحوز المفتاح السري المقابل لمعرف المفتاح المبين: فالتوقيع على محضر التحريز (الذي يربط ملفات البيان والبيانات الوصفية للقضية وجذر Merkle) يجتاز التحقق.
proves-events = كل قيد في سلسلة الحيازة موصوف بأنه صالح جرى توقيعه بالمفتاح المبين، وهو مرتبط بالتجزئة بالتحريز وبالقيد الذي قبله.
proves-trusted-policy = كل موقع موصوف بأنه موثوق تجيزه سياسة الثقة المذكورة أدناه (مع قيمة SHA-256 الخاصة بها).
proves-trusted-certificates = كل موقع موصوف بأنه موثوق يطابق مفتاحا عاما اختار القائم بالفحص الوثوق به، أو يحوز شهادة تنتهي سلسلتها إلى جذر قدمه (انظر مصادر الثقة أدناه).
proves-trusted-keys = كل موقع موصوف بأنه موثوق يطابق مفتاحا عاما اختار القائم بالفحص الوثوق به (انظر مصادر الثقة أدناه).
proves-time = كل وقت موصوف بأنه مثبت: رمز ختم زمني وفق RFC 3161 صادر عن TSA قدم جذرها يثبت أن التوقيع كان موجودا في ذلك الوقت.
proves-not = لا يثبت ما يلي:
proves-not-who = لمن يعود أي مفتاح: فالأسماء والجهات مجرد إعلانات من حائزي المفاتيح؛ ينبغي مطابقة معرفات المفاتيح معهم عبر قناة أخرى.
proves-not-when-else = متى وقع أي أمر آخر: كل وقت غير موصوف بأنه مثبت مأخوذ من ساعة الموقع نفسه.
proves-not-when = متى وقع أي أمر: الأوقات الواردة في الحزمة مأخوذة من ساعات الموقعين أنفسهم.
proves-not-revoked = أن شهادة الموقع لم تكن ملغاة: فالحزمة لا تتضمن استجابة CRL أو OCSP بشأنها (يضيفها الأمر { $command }).
proves-not-before = أن البيانات كانت كاملة أو غير معدلة قبل تحريزها، أو كيفية جمعها، أو أنها مطابقة لما يرد في الوصف.
proves-not-itself = أي أمر بذاته: هذه الصفحة غير موقعة. للاعتماد عليها، يلزم التحقق من الحزمة مجددا (قيمة SHA-256 الخاصة بها مذكورة أعلاه) باستخدام { $command }.
report-footer = أعد هذا التقرير بواسطة { $tool } { $version }. الأسماء والجهات مجرد إعلانات من حائزي المفاتيح؛ ولا يثبت إلا معرف كل مفتاح. ينبغي مطابقة معرفات المفاتيح مع المرسلين عبر قناة أخرى.

## الصور الجنائية (الاستحواذ)

report-acquisition = الاستحواذ (الصور الجنائية)
report-image = الصورة
report-image-format = الصيغة
report-media-size = حجم الوسيط
report-stored-hashes = ما سجلته أداة التصوير
report-computed-hashes = ما أعيد حسابه عند التحريز
report-image-result = النتيجة
report-acquisition-metadata = بيانات الاستحواذ (كما كتبتها أداة التصوير)
report-unreadable-sectors = قطاعات تعذرت قراءتها عند الاستحواذ
report-sector-range = القطاعات من { $first } إلى { $last }
image-result-match = تطابق القيم التي سجلتها أداة التصوير
image-result-mismatch = لا تطابق القيم التي سجلتها أداة التصوير
image-result-no-stored-hash = لم تسجل أداة التصوير أي قيمة
verify-image-line = الصورة { $path } ({ $format }، وسيط بحجم { $size }): { $result }
