# exhibit: lo que lee una persona, en español (traducción de
# i18n/en/exhibit.ftl: los mismos identificadores de mensaje, con los mismos
# argumentos). Términos jurídicos: i18n/glossary.md. Nunca se traduce un
# argumento: rutas, identificadores de clave, valores hash, códigos de
# incidencia y nombres proceden del paquete de evidencias. Los nombres de
# órdenes y las opciones (exhibit verify, --trust) se mantienen tal cual.

## The language itself

language-name = Español

## Numbers, sizes and dates

# Entre grupos de tres cifras: 3.224.128.872.
number-group-separator = .
# Entre la parte entera y la decimal de 3,0 GiB.
number-decimal-separator = ,
size-bytes =
    { $count ->
        [one] { $n } byte
       *[other] { $n } bytes
    }
# $amount: 3,0; $unit: GiB; $exact: el número de bytes (size-bytes).
size-larger = { $amount } { $unit } ({ $exact })
unit-kib = KiB
unit-mib = MiB
unit-gib = GiB
unit-tib = TiB
unit-pib = PiB
# Forma española y, a su lado, la forma ISO 8601.
date-time = { $day } de { $month } de { $year }, { $time } UTC ({ $iso })
month-1 = enero
month-2 = febrero
month-3 = marzo
month-4 = abril
month-5 = mayo
month-6 = junio
month-7 = julio
month-8 = agosto
month-9 = septiembre
month-10 = octubre
month-11 = noviembre
month-12 = diciembre

## Counts ($n is the number written with grouping, $count selects the plural)

count-files =
    { $count ->
        [one] { $n } archivo
       *[other] { $n } archivos
    }
count-payload-files =
    { $count ->
        [one] { $n } archivo de contenido
       *[other] { $n } archivos de contenido
    }
count-more-files =
    { $count ->
        [one] { $n } archivo más
       *[other] { $n } archivos más
    }
count-events =
    { $count ->
        [one] { $n } eslabón
       *[other] { $n } eslabones
    }
count-problems =
    { $count ->
        [one] { $n } incidencia
       *[other] { $n } incidencias
    }
count-archive-time-stamps =
    { $count ->
        [one] { $n } sello de tiempo de archivo
       *[other] { $n } sellos de tiempo de archivo
    }

## The verdict

verdict-verified = VERIFICADO
verdict-failed = FALLIDO
verdict-untrusted = NO RECONOCIDO
verdict-with-disclosure = { $verdict } (revelación parcial: { $disclosed } de { $sealed } archivos precintados)
# La primera línea de verify: veredicto, paquete, qué es, detalle.
verify-line = { $verdict }: { $bundle } ({ $files }, { $size }): { $detail }
verify-line-case = { $verdict }: { $bundle } (causa { $case }, pieza de convicción { $exhibit }; { $files }, { $size }): { $detail }
verify-line-bag = { $verdict }: { $bundle } (bolsa BagIt simple, sin precinto; { $files }, { $size }): { $detail }
detail-verified = íntegro y firmado con una clave de confianza
detail-bag-unsigned = íntegro, pero nadie lo ha firmado
detail-no-trust-given-certificates = íntegro, pero no se ha indicado --trust ni --ca: la identidad de cada firmante es solo la que él mismo declara
detail-no-trust-given = íntegro, pero no se ha indicado --trust: la identidad del firmante es solo la que él mismo declara
detail-untrusted-because = íntegro, pero { $reason } (véase más abajo)
detail-no-key-or-root = íntegro, pero ninguna clave --trust ni raíz --ca avala a ningún firmante del precinto
detail-no-trusted-key = íntegro, pero ninguna clave --trust ha firmado el precinto
# Cuántos archivos de contenido ha encontrado modificados una verificación fallida, y cuáles.
failed-files-differ =
    { $count ->
        [one] 1 archivo no coincide con el precinto
       *[other] { $n } archivos no coinciden con el precinto
    }
failed-files-missing =
    { $count ->
        [one] falta 1 archivo
       *[other] faltan { $n } archivos
    }
failed-files-added =
    { $count ->
        [one] se ha añadido 1 archivo
       *[other] se han añadido { $n } archivos
    }
failed-files-unreadable =
    { $count ->
        [one] 1 archivo no puede leerse
       *[other] { $n } archivos no pueden leerse
    }
# $parts: los recuentos anteriores, unidos con ", "; $paths: los primeros archivos.
failed-summary = { $parts } ({ $paths })
list-separator = {", "}

## Why an intact bundle is not trusted

reason-proof-does-not-count = una prueba en la que se basa no puede tenerse en cuenta: { $proof }
reason-no-trusted-key = ninguna clave de confianza ha firmado el precinto
reason-too-few-signers = solo hay { $trusted } de las { $needed } firmas de confianza del precinto que exige la política de confianza
reason-custody-not-trusted = la política de confianza no reconoce los siguientes eslabones de la cadena de custodia: { $events }
# Un eslabón de la cadena de custodia que la política no reconoce: "3 (función no autorizada)".
reason-event = { $sequence } ({ $reason })
# Los motivos de la política de confianza para no reconocer una clave.
policy-reason-revoked = clave revocada
policy-reason-expired = clave caducada
policy-reason-not-yet-valid = clave aún no válida
policy-reason-role = función no autorizada
policy-reason-time-not-proven = hora no acreditada
policy-reason-unknown-key = clave desconocida
policy-reason-invalid-signature = firma no válida

## Signers, time-stamps and certificates (terminal)

signer-line = firmante { $key } { $claimed }: { $validity }, { $trust }
claimed-name-and-organization = «{ $name }» ({ $organization })
claimed-name = «{ $name }»
claimed-organization = ({ $organization })
claimed-nothing = (no declara ningún nombre)
signature-valid = firma válida
signature-invalid = firma NO VÁLIDA
trust-trusted = de confianza
trust-not-trusted = no es de confianza
trust-not-trusted-because = no es de confianza ({ $reason })
trust-chains-to = de confianza (su cadena de certificación llega a «{ $root }»)
trust-by-policy = de confianza (según la política de confianza)
# Una línea y lo que acredita su sello de tiempo, unidos.
with-note = { $line }; { $note }
certificate-qualified = el certificado declara ser cualificado (EU QcCompliance)
certificate-valid-from-to = (válido desde { $from } hasta { $to })
certificate-signer-line = certificado del firmante { $key } «{ $subject }» emitido por «{ $issuer }»{ $period }: { $validity }, { $trust }{ $qualified }; { $revocation }; ruta de certificación comprobada a la hora de firma { $moment }
certificate-revocation-good = no revocado en ese momento (CRL/OCSP incluidas en el paquete de evidencias)
certificate-revocation-revoked = REVOCADO en ese momento
certificate-revocation-not-checked = revocación no comprobada
moment-proven = acreditada
moment-claimed = declarada
timestamp-proven = hora { $time } acreditada por la TSA «{ $tsa }» (de confianza)
timestamp-unproven = sello de tiempo { $time } de la TSA «{ $tsa }», que no es de confianza: hora no acreditada
timestamp-invalid = token de sello de tiempo NO VÁLIDO { $file }
custody-summary-line =
    { $count ->
        [one] cadena de custodia: { $n } eslabón, cabeza { $head }
       *[other] cadena de custodia: { $n } eslabones, cabeza { $head }
    }
custody-event-note = eslabón de la cadena de custodia { $sequence }: { $note }
next-tsa-root = siguiente paso: para acreditar estas horas, aporte el certificado raíz de la TSA con --tsa-ca ROOT.pem
policy-line = política de confianza { $policy } (sha256 { $sha256 }): se exigen { $needed } firma(s) de confianza del precinto; se han encontrado { $found }
policy-event-not-trusted = eslabón de la cadena de custodia { $sequence } ({ $action }) por { $key }: no es de confianza para la custodia ({ $reason })
you-trusted = ha indicado como de confianza { $trusted }; el precinto está firmado por { $signers }
key-claims-name = { $key } (declara ser { $name })
key-claims-nothing = { $key } (no declara ningún nombre)
key-from-file = { $key } ({ $file })
next-ca-root = siguiente paso: obtenga por otro canal el certificado raíz de la autoridad que emitió el certificado de «{ $subject }» y vuelva a ejecutar la orden con --ca ROOT.pem
next-compare-key = siguiente paso: compare por otro canal el identificador de clave { $key } con el remitente y vuelva a ejecutar la orden con --trust FILE.pub
next-policy = siguiente paso: { $what } (clave { $key }): { $step }
next-policy-what-seal = firma del precinto
next-policy-what-event = eslabón de la cadena de custodia
next-policy-revoked = la política revocó esa clave antes de que firmara: solicite al remitente una firma con una clave que la política reconozca como de confianza
next-policy-window = la clave firmó fuera del periodo de validez que le asigna la política: solicite al remitente una firma con una clave válida en ese momento
next-policy-role = la política no atribuye esa función a la clave: debe firmar una clave que la política reconozca como de confianza para dicha función
next-policy-time = la política exige una hora acreditada: añada al paquete de evidencias un token de sello de tiempo (exhibit timestamp BUNDLE --tsa URL) y aporte su raíz con --tsa-ca
next-policy-compare = compare por otro canal el identificador de clave con su titular; si le pertenece, inclúyalo en la política
report-written = informe guardado en { $path }

## Problems (terminal and report)

# Una línea de incidencia: "payload.missing: data/a.txt: qué significa (detalle, en inglés: ...)".
problem-line-path = { $code }: { $path }: { $message }
problem-line = { $code }: { $message }
problem-translated = { $meaning } (detalle, en inglés: { $detail })
warning-prefix = advertencia: { $line }
seal-totals-differ = { $codes }: por ello también difieren los totales del precinto (raíz de Merkle, número de archivos, tamaño, Payload-Oxum)
more-findings-for-file =
    { $count ->
        [one] { $line }; y 1 constatación más sobre este archivo
       *[other] { $line }; y { $n } constataciones más sobre este archivo
    }
# Qué significa cada código de incidencia, en una frase.
problem-bag-declaration = bagit.txt no es una declaración BagIt válida
problem-bag-bag-info = falta bag-info.txt o no puede leerse
problem-bag-no-manifest = la bolsa BagIt no tiene manifiesto del contenido
problem-bag-manifest-invalid = un manifiesto no puede leerse
problem-bag-manifest-unsupported = un manifiesto utiliza un algoritmo que no puede comprobarse
problem-bag-manifest-duplicate = un manifiesto enumera un archivo más de una vez
problem-bag-manifest-nonstandard = una línea de un manifiesto tiene una forma que BagIt no define; se ha interpretado en el sentido pretendido
problem-bag-oxum-mismatch = el Payload-Oxum no concuerda con el contenido
problem-bag-fetch = fetch.txt enumera archivos que no están en la bolsa BagIt
problem-bag-tag-mismatch = un archivo de etiquetas falta o difiere de su manifiesto de etiquetas
problem-path-unsafe = un nombre que podría apuntar fuera de la bolsa BagIt
problem-path-encoding = un nombre que no está codificado en UTF-8 válido
problem-path-duplicate = dos nombres idénticos, o que coinciden al extraerse
problem-path-not-regular = un enlace, un dispositivo u otra entrada que no es un archivo ordinario
problem-payload-missing = un archivo enumerado en los manifiestos no está en la bolsa BagIt
problem-payload-unlisted = un archivo de contenido que no figura en ningún manifiesto
problem-payload-digest-mismatch = un archivo de contenido no es el archivo que se precintó
problem-payload-unreadable = un archivo de contenido no ha podido leerse hasta el final
problem-payload-os-file = un archivo de metadatos del sistema operativo
problem-zip-interrupted-append = se interrumpió una adición al zip; el paquete de evidencias se lee en el estado anterior a ella
problem-zip-layout = el zip no consiste en una única carpeta que contenga la bolsa BagIt
problem-zip-entry = una entrada del zip cifrada, comprimida con un método no admitido o cuyo tamaño no es el que declara
problem-seal-missing = falta el acta de precinto
problem-seal-invalid = el acta de precinto no puede leerse
problem-seal-tag-digest-mismatch = ha cambiado un archivo vinculado por el acta de precinto
problem-seal-payload-mismatch = el número de archivos o el tamaño no coincide con el acta de precinto
problem-seal-merkle-mismatch = el contenido no da como resultado la raíz de Merkle del acta de precinto
problem-seal-unexpected-file = un archivo en exhibit/ que el formato no define
problem-signature-none = el precinto no tiene ninguna firma
problem-signature-invalid = un registro de firma no puede leerse o designa una clave o un archivo erróneos
problem-signature-bad = una firma no es válida
problem-custody-invalid = la cadena de custodia falta, presenta lagunas o contiene eslabones que no pueden leerse
problem-custody-link = un eslabón de la cadena de custodia no está enlazado con el anterior ni con el precinto
problem-custody-signature = la firma de un eslabón de la cadena de custodia falta, no es válida o corresponde a otra clave
problem-custody-handover = una entrega infringe las reglas de la cadena de custodia
problem-custody-time-backwards = un eslabón de la cadena de custodia tiene una fecha anterior a la del eslabón precedente
problem-custody-head-mismatch = la cadena de custodia no pasa por la cabeza esperada
problem-custody-after-head = se añadió un eslabón de la cadena de custodia después de la cabeza esperada
problem-timestamp-invalid = un token de sello de tiempo está mal formado o no es válido
problem-timestamp-mismatch = un token de sello de tiempo no cubre la firma para la que está almacenado
problem-timestamp-orphan = un token de sello de tiempo correspondiente a una firma que el paquete de evidencias no contiene
problem-timestamp-untrusted = un sello de tiempo de una autoridad que aquí nadie reconoce como de confianza: su hora no está acreditada
problem-timestamp-claimed-later = una firma declara una hora posterior a la de su sello de tiempo
problem-validation-invalid = un archivo de material de validación no es la CRL ni la respuesta OCSP que indica su nombre
problem-revocation-revoked = un certificado en el que se basa una prueba fue revocado antes del momento que dicha prueba acredita
problem-revocation-revoked-later = un certificado en el que se basa una prueba fue revocado después del momento que dicha prueba acredita
problem-revocation-not-checked = el paquete de evidencias no contiene datos de revocación de un certificado en el que se basa una prueba
problem-proof-lapsed = una prueba cuyos certificados han caducado, sin ningún registro de evidencia renovado a tiempo
problem-evidence-record-invalid = el registro de evidencia no es válido
problem-evidence-record-lapsed = el registro de evidencia no es válido en el momento evaluado
problem-disclosure-invalid = el documento de revelación parcial no puede utilizarse
problem-disclosure-proof = una prueba de inclusión no conduce a la raíz de Merkle precintada
problem-disclosure-file-mismatch = un archivo revelado no es el que se precintó

## custody log and custody replay

timeline-heading-seq = N.º
timeline-heading-time = FECHA Y HORA
timeline-heading-action = ACCIÓN
timeline-heading-actor = INTERVINIENTE
timeline-heading-recipient = DESTINATARIO
timeline-heading-note = NOTA
timeline-no-name = (sin nombre)
timeline-invalid-signature = FIRMA NO VÁLIDA { $note }
timeline-head = cabeza { $head }
timeline-trusted-key = * clave de confianza
replay-head = ; cabeza { $head } (compárela por otro canal con la del remitente)
replay-verified = VERIFICADO: { $bundle }: cadena de custodia íntegra ({ $events }), precinto firmado con una clave de confianza{ $head }
replay-untrusted = NO RECONOCIDO: { $bundle }: cadena de custodia íntegra ({ $events }), pero { $reason }{ $head }
replay-reason-too-few = la política de confianza exige { $needed } firma(s) de confianza del precinto y se han encontrado { $trusted }
replay-reason-events = la política de confianza no reconoce todos los eslabones de la cadena de custodia (enumerados arriba)
replay-reason-no-trusted-key = ninguna clave --trust ha firmado el precinto
replay-reason-no-trust = no se ha indicado --trust: nadie es de confianza
replay-failed = FALLIDO: { $bundle }: { $problems } (véase arriba)

## inspect

inspect-bundle = paquete de evidencias
inspect-case = causa
inspect-exhibit = pieza de convicción
inspect-description = descripción
inspect-examiner = perito
inspect-claimed = { $value } (declarado)
inspect-sealed-at = precintado el
inspect-tool = herramienta
inspect-meta = metadatos
inspect-payload = contenido
inspect-payload-value = { $files }, { $size } (según el precinto; valores hash no recalculados)
inspect-merkle-root = raíz de Merkle
inspect-zip-lists = índice del zip
inspect-zip-lists-value = { $files }, { $size } (nombres y datos no comprobados)
inspect-disclosure = revelación parcial
inspect-disclosure-value = { $disclosed } de { $sealed } archivos precintados (pruebas comprobadas; valores hash de los archivos no recalculados)
inspect-symlinks = enlaces simbólicos
inspect-symlinks-value = { $n } registrados, no seguidos
inspect-empty-dirs = directorios vacíos
inspect-empty-dirs-value = { $n } registrados
inspect-kind = tipo
inspect-custody = custodia
inspect-custody-head = cabeza de custodia
inspect-invalid-signature = FIRMA NO VÁLIDA
inspect-evidence = registro de evidencia
inspect-evidence-holds = { $stamps }; abarca { $tags } archivos de etiquetas desde { $since }
inspect-evidence-lapsed = no es válido: { $why }
inspect-proof-until = prueba válida hasta
inspect-proof-until-value = { $at } (renueve el paquete de evidencias antes de esa fecha: exhibit renew)
inspect-not-checked = no comprobado
inspect-not-checked-value = los archivos de contenido, su relación y la raíz de Merkle: los comprueba `exhibit verify`

## extract and disclose

extract-refused-untrusted = ninguna clave --trust ha firmado el precinto (utilice --allow-untrusted para extraer de todos modos)
extract-refused-failed = la verificación ha fallado
extract-nothing = no se ha extraído nada en { $target }: { $why }
extract-done = se han extraído { $files }, { $size }, en { $target }
disclose-done = se han revelado { $disclosed } de { $sealed } archivos precintados, { $size }, en { $target }
disclose-proof = prueba sha256 { $sha256 }
disclose-custody-event = se ha registrado el eslabón de la cadena de custodia { $sequence } (acción disclose) en { $bundle }
disclose-head = cabeza { $head }
disclose-reveals-nothing-left-out = revela: todos los archivos precintados; no se omite ninguno
disclose-reveals-one = revela: el único archivo omitido tiene exactamente { $size } (el total del precinto menos los tamaños revelados); no revela su nombre ni sus datos
disclose-reveals-many = revela: { $files } omitidos, { $size } en total; no revela sus nombres, sus datos ni sus tamaños individuales

## The HTML report (the court report)

report-title = Verificación con exhibit: { $bundle }
report-heading = Informe de verificación
report-status-verified = íntegro, y el precinto está firmado con una clave de confianza
report-status-untrusted = íntegro, pero { $reason }
report-status-failed = la evidencia no coincide con lo que se precintó (véanse las incidencias)
report-this-check = Esta comprobación
report-checked-at = Fecha de la comprobación (UTC)
report-tool = Herramienta
report-bundle-as-received = Paquete de evidencias tal como se recibió
report-form = Formato
report-form-zip = zip
report-form-folder = carpeta
report-size = Tamaño
report-sha256-of-file = SHA-256 del archivo
report-bundle = Paquete de evidencias
report-kind = Tipo
report-case = Causa
report-exhibit = Pieza de convicción
report-description = Descripción
report-examiner-claimed = Perito (declarado)
report-merkle-root = Raíz de Merkle
report-sealed-at = Precintado el
report-payload = Contenido
report-payload-value = { $files }, { $size }
report-custody-head = Cabeza del registro de custodia
report-checks = Comprobaciones
report-check = Comprobación
report-result = Resultado
check-1 = 1. La bolsa BagIt está bien formada (archivos obligatorios de BagIt presentes y legibles; nombres seguros; estructura del zip)
check-2 = 2. Los valores SHA-256 y BLAKE3 de cada archivo de contenido coinciden; no falta, sobra ni se ha renombrado nada; los tamaños y el Payload-Oxum coinciden
check-3 = 3. Los valores hash de los manifiestos y de bag-info.txt que figuran en el acta de precinto coinciden; la raíz de Merkle coincide con el contenido
check-4 = 4. Cada firma del precinto es válida para seal.json
check-5 = 5. La cadena de custodia: secuencia, enlaces hash, firmas, este precinto, entregas, horas
check-6 = 6. Confianza: un firmante del precinto coincide con una clave de confianza
check-failed = FALLIDO: { $codes }
check-not-applicable = no aplicable: una bolsa BagIt simple, nadie la ha precintado
check-not-established = NO ACREDITADA: ninguna clave de confianza coincide con un firmante válido del precinto
check-not-established-but = NO ACREDITADA: firmante de confianza { $keys }, pero { $reason }
check-passed-trusted = superada: firmante de confianza { $keys }
check-passed-warnings = superada, con { $n } advertencia(s) (véase más abajo)
check-passed = superada: no se ha encontrado ninguna incidencia
report-signers = Firmantes del precinto
report-none = Ninguno.
report-signer-key = Identificador de clave (acreditado por la firma)
report-signer-name = Nombre declarado
report-signer-organization = Organización declarada
report-signer-signed-at = Firmado el (declarado: reloj del firmante)
report-signer-signature = Firma
report-signer-trusted = Identidad de confianza
report-proven-time = Hora acreditada (RFC 3161)
report-valid = válida
report-invalid = NO VÁLIDA
report-trusted-by-file = de confianza: la clave de { $files }
report-trusted = de confianza
report-trusted-by-policy-file = de confianza (política de confianza { $policy })
report-not-trusted-because = no es de confianza: { $reason }
report-not-trusted-claims = no es de confianza: la identidad del firmante es solo la que él mismo declara
report-certificate-of = certificado de { $subject }, emitido por { $issuer }, número de serie { $serial }
report-certificate-trusted-root = de confianza: su cadena de certificación llega a la raíz { $root }
report-certificate-trusted-policy = de confianza según la política de confianza
report-not-trusted = no es de confianza
report-certificate-cell = { $verdict }; { $who }{ $qualified }; { $revocation }
report-qualified = ; el certificado declara ser cualificado (EU QcCompliance)
revocation-good = no revocado en el momento que acredita (CRL/OCSP incluidas en el paquete de evidencias)
revocation-good-later = no revocado en el momento que acredita; { $detail }
revocation-revoked = REVOCADO: { $detail }
revocation-not-checked = revocación no comprobada (el paquete de evidencias no contiene ninguna CRL ni respuesta OCSP)
report-long-term = Prueba a largo plazo
report-record-holds = El registro de evidencia (RFC 4998) es válido: acredita la existencia de { $n } archivos de etiquetas desde { $since }.
report-record-lapsed = El registro de evidencia no acredita nada en el momento evaluado: { $why }
report-stamp = Sello de tiempo de archivo
report-stamp-hash = Hash
report-stamp-time = Hora (TSA)
report-stamp-tsa = TSA
report-stamp-revocation = Revocación
report-stamp-expires = Caducidad de los certificados
report-proof-expires = Primer momento en que caduca una de estas pruebas si no se renueva el paquete de evidencias ({ $command }): { $until }.
report-trust-sources = Fuentes de confianza
report-policy = Política de confianza { $policy }, SHA-256 { $sha256 }: se exigen { $needed } firma(s) de confianza del precinto; cada eslabón de la cadena de custodia debe proceder de una clave que la política reconozca como de confianza para la custodia.
report-ca-roots = Archivo de raíces para firmantes con certificado (--ca)
report-tsa-roots = Archivo de raíces de TSA
report-no-key-roots = No se ha indicado ninguna clave de confianza: en esta comprobación solo pueden ser de confianza los firmantes con certificado, a través de las raíces indicadas arriba.
report-no-key = No se ha indicado ninguna clave de confianza: en esta comprobación ningún firmante puede ser de confianza.
report-trusted-key-file = Archivo de clave de confianza
report-key-id = Identificador de clave
report-custody = Cadena de custodia
report-no-events = No hay eslabones.
report-event-time = Fecha y hora (UTC)
report-event-action = Acción
report-event-actor = Interviniente (declarado)
report-event-actor-key = Clave del interviniente
report-event-recipient-key = Clave del destinatario
report-event-note = Nota
report-event-location = Lugar
report-key-trusted = (de confianza)
report-no-token = sin token: hora no acreditada
report-token-unproven = { $time } (no acreditada)
report-token-trusted = TSA { $tsa } (de confianza, raíz { $root }; { $revocation })
report-token-revoked = TSA { $tsa }: { $revocation }
report-token-untrusted = TSA { $tsa } (no es de confianza)
report-token-invalid = token NO VÁLIDO { $file }
report-problems = Incidencias
report-warnings = Advertencias
report-code = Código
report-file-or-event = Archivo o eslabón
report-message = Mensaje
report-detail-english = detalle, tal como figura en el informe JSON (en inglés)
drawing-heading = Diagrama de la custodia
drawing-title = Cadena de custodia: quién tuvo la evidencia, por orden de eslabones
drawing-signed = firmado
drawing-bad-signature = FIRMA NO VÁLIDA
drawing-event-tooltip = n.º { $sequence }: { $action } por { $key }: { $state }
drawing-signature-valid = firma válida
drawing-signature-invalid = firma NO VÁLIDA
drawing-legend = Cada franja corresponde a un titular de clave (nombres declarados; identificadores de clave acreditados por firmas válidas); los eslabones se suceden de izquierda a derecha por orden de secuencia, cada uno marcado con el estado de su firma; las flechas indican transferencias al destinatario designado; la banda sombreada muestra quién tiene la evidencia.
report-payload-files = Archivos de contenido
report-no-payload = No se ha leído ningún archivo de contenido.
report-payload-read = { $files }, { $size }, leídos en esta comprobación.
report-path = Ruta
report-size-bytes = Tamaño (bytes)
report-unreadable = ilegible
report-not-listed = Esta lista omite { $more }.
report-full-list-command = La lista completa, con el tamaño y el SHA-256 de cada archivo, es el campo { $member } del informe JSON: { $command }
report-full-list = La lista completa, con el tamaño y el SHA-256 de cada archivo, es el campo { $member } del informe JSON de la misma verificación.
proves-heading = Qué acredita este informe y qué no acredita
proves-shows = Acredita lo siguiente:
proves-failed = El paquete de evidencias tal como se recibió no coincide con lo que se precintó, o su precinto, sus firmas o su cadena de custodia no superan la comprobación: véanse las incidencias más abajo.
proves-payload = Esta comprobación ha leído hasta el final cada archivo de contenido enumerado más abajo, y sus bytes coinciden con los valores hash de los manifiestos del paquete de evidencias.
proves-signers = Cada firmante del precinto marcado como válido posee la clave secreta del identificador de clave indicado: la firma sobre el acta de precinto (que vincula los manifiestos, los metadatos de la causa y la raíz de Merkle) es válida.
proves-events = Cada eslabón de la cadena de custodia marcado como válido fue firmado con la clave indicada y está enlazado mediante hash con el precinto y con el eslabón anterior.
proves-trusted-policy = Un firmante marcado como de confianza está autorizado por la política de confianza indicada más abajo (con su SHA-256).
proves-trusted-certificates = Un firmante marcado como de confianza coincide con una clave pública que la persona que ejecuta la comprobación ha decidido considerar de confianza, o posee un certificado cuya cadena llega a una raíz aportada por ella (véanse las fuentes de confianza, más abajo).
proves-trusted-keys = Un firmante marcado como de confianza coincide con una clave pública que la persona que ejecuta la comprobación ha decidido considerar de confianza (véanse las fuentes de confianza, más abajo).
proves-time = Una hora marcada como acreditada: un token de sello de tiempo RFC 3161 emitido por una TSA cuya raíz se ha aportado demuestra que la firma existía en ese momento.
proves-not = No acredita lo siguiente:
proves-not-who = A quién pertenece una clave: los nombres y las organizaciones son declaraciones de los titulares de las claves; compare por otro canal los identificadores de clave con ellos.
proves-not-when-else = Cuándo sucedió cualquier otro hecho: toda hora no marcada como acreditada procede del propio reloj del firmante.
proves-not-when = Cuándo sucedió cualquiera de los hechos: las horas que figuran en el paquete de evidencias proceden de los propios relojes de los firmantes.
proves-not-revoked = Que el certificado de un firmante no estuviera revocado: el paquete de evidencias no contiene ninguna CRL ni respuesta OCSP para él ({ $command } las añade).
proves-not-before = Que los datos estuvieran completos o inalterados antes de precintarse, cómo se obtuvieron, ni que sean lo que indica la descripción.
proves-not-itself = Nada por sí misma: esta página no está firmada. Para basarse en ella, vuelva a comprobar el paquete de evidencias (su SHA-256 figura arriba) con { $command }.
report-footer = Generado por { $tool } { $version }. Los nombres y las organizaciones son declaraciones de los titulares de las claves; solo los identificadores de clave están acreditados. Compare por otro canal los identificadores de clave con los remitentes.

## Imágenes forenses (adquisición)

report-acquisition = Adquisición (imágenes forenses)
report-image = Imagen
report-image-format = Formato
report-media-size = Tamaño del soporte
report-stored-hashes = Registrados por la herramienta de adquisición
report-computed-hashes = Recalculados al precintar
report-image-result = Resultado
report-acquisition-metadata = Datos de adquisición (tal como los escribió la herramienta)
report-unreadable-sectors = Sectores ilegibles durante la adquisición
report-sector-range = sectores { $first } a { $last }
image-result-match = coincide con los valores registrados por la herramienta de adquisición
image-result-mismatch = NO COINCIDE con los valores registrados por la herramienta de adquisición
image-result-no-stored-hash = la herramienta de adquisición no registró ningún valor
verify-image-line = imagen { $path } ({ $format }, soporte de { $size }): { $result }
