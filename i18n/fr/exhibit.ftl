# exhibit : ce que lit une personne, en français. Mêmes identifiants de
# messages et mêmes arguments que i18n/en/exhibit.ftl (langue de référence).
# Termes juridiques : i18n/glossary.md. Ne jamais traduire un argument :
# chemins, identifiants de clé, empreintes, codes d'anomalie et noms
# proviennent du lot de preuves. Les commandes et options (exhibit verify,
# --trust) restent telles quelles.

## La langue elle-même

language-name = Français

## Nombres, tailles et dates

# Entre groupes de trois chiffres : 3 224 128 872 (espace fine insécable).
number-group-separator = {"\u202F"}
# Entre la partie entière et la partie décimale de 3,0 Gio.
number-decimal-separator = ,
size-bytes =
    { $count ->
        [one] { $n } octet
       *[other] { $n } octets
    }
# $amount : 3,0 ; $unit : Gio ; $exact : le nombre exact d'octets (size-bytes).
size-larger = { $amount } { $unit } ({ $exact })
unit-kib = Kio
unit-mib = Mio
unit-gib = Gio
unit-tib = Tio
unit-pib = Pio
# Un instant : forme française, puis forme ISO 8601 entre parenthèses.
date-time = { $day } { $month } { $year } à { $time } UTC ({ $iso })
month-1 = janvier
month-2 = février
month-3 = mars
month-4 = avril
month-5 = mai
month-6 = juin
month-7 = juillet
month-8 = août
month-9 = septembre
month-10 = octobre
month-11 = novembre
month-12 = décembre

## Dénombrements ($n est le nombre avec séparateur de milliers, $count choisit le pluriel)

count-files =
    { $count ->
        [one] { $n } fichier
       *[other] { $n } fichiers
    }
count-payload-files =
    { $count ->
        [one] { $n } fichier de contenu
       *[other] { $n } fichiers de contenu
    }
count-more-files =
    { $count ->
        [one] { $n } autre fichier
       *[other] { $n } autres fichiers
    }
count-events =
    { $count ->
        [one] { $n } acte
       *[other] { $n } actes
    }
count-problems =
    { $count ->
        [one] { $n } anomalie
       *[other] { $n } anomalies
    }
count-archive-time-stamps =
    { $count ->
        [one] { $n } horodatage d'archive
       *[other] { $n } horodatages d'archive
    }

## Le verdict

verdict-verified = VÉRIFIÉ
verdict-failed = ÉCHEC
verdict-untrusted = NON RECONNU
verdict-with-disclosure = { $verdict } (communication partielle : { $disclosed } sur { $sealed } fichiers placés sous scellé)
# La première ligne de verify : verdict, lot de preuves, contenu, détail.
verify-line = { $verdict }: { $bundle } ({ $files }, { $size }): { $detail }
verify-line-case = { $verdict }: { $bundle } (affaire { $case }, pièce à conviction { $exhibit } ; { $files }, { $size }): { $detail }
verify-line-bag = { $verdict }: { $bundle } (simple paquet BagIt, non placé sous scellé ; { $files }, { $size }): { $detail }
detail-verified = intact et signé par une clé reconnue
detail-bag-unsigned = intact, mais personne ne l'a signé
detail-no-trust-given-certificates = intact, mais aucune option --trust ni --ca n'a été fournie : l'identité de chaque signataire n'est que celle qu'il déclare
detail-no-trust-given = intact, mais aucune option --trust n'a été fournie : l'identité du signataire n'est que celle qu'il déclare
detail-untrusted-because = intact, mais { $reason } (voir ci-dessous)
detail-no-key-or-root = intact, mais aucune clé --trust ni aucune racine --ca ne garantit l'identité d'un signataire du scellé
detail-no-trusted-key = intact, mais aucune clé --trust n'a signé le scellé
# Combien de fichiers de contenu une vérification en échec a trouvés modifiés, et lesquels.
failed-files-differ =
    { $count ->
        [one] { $n } fichier diffère du scellé
       *[other] { $n } fichiers diffèrent du scellé
    }
failed-files-missing =
    { $count ->
        [one] { $n } fichier est manquant
       *[other] { $n } fichiers sont manquants
    }
failed-files-added =
    { $count ->
        [one] { $n } fichier a été ajouté
       *[other] { $n } fichiers ont été ajoutés
    }
failed-files-unreadable =
    { $count ->
        [one] { $n } fichier est illisible
       *[other] { $n } fichiers sont illisibles
    }
# $parts : les dénombrements ci-dessus, joints par ", " ; $paths : les premiers fichiers nommés.
failed-summary = { $parts } ({ $paths })
list-separator = {", "}

## Pourquoi un lot de preuves intact n'est pas reconnu

reason-proof-does-not-count = une preuve invoquée n'est pas prise en compte : { $proof }
reason-no-trusted-key = aucune clé reconnue n'a signé le scellé
reason-too-few-signers = { $trusted } signature(s) reconnue(s) du scellé sur les { $needed } qu'exige la politique de confiance
reason-custody-not-trusted = la politique de confiance ne reconnaît pas un ou plusieurs actes de la chaîne de possession : { $events }
# Un acte de la chaîne de possession que la politique ne reconnaît pas : « n° 3 (rôle non attribué) ».
reason-event = n° { $sequence } ({ $reason })
# Les termes de la politique de confiance pour dire pourquoi elle ne reconnaît pas une clé.
policy-reason-revoked = clé révoquée
policy-reason-expired = clé expirée
policy-reason-not-yet-valid = clé pas encore valide
policy-reason-role = rôle non attribué
policy-reason-time-not-proven = date non prouvée
policy-reason-unknown-key = clé inconnue
policy-reason-invalid-signature = signature invalide

## Signataires, horodatages et certificats (terminal)

signer-line = signataire { $key } { $claimed } : { $validity }, { $trust }
claimed-name-and-organization = « { $name } » ({ $organization })
claimed-name = « { $name } »
claimed-organization = ({ $organization })
claimed-nothing = (aucun nom déclaré)
signature-valid = signature valide
signature-invalid = signature INVALIDE
trust-trusted = reconnu
trust-not-trusted = non reconnu
trust-not-trusted-because = non reconnu ({ $reason })
trust-chains-to = reconnu (chaîne de certification aboutissant à « { $root } »)
trust-by-policy = reconnu (par la politique de confiance)
# Une ligne et ce que prouve son horodatage, joints.
with-note = { $line } ; { $note }
certificate-qualified = le certificat se déclare qualifié (EU QcCompliance)
certificate-valid-from-to = (valide du { $from } au { $to })
certificate-signer-line = certificat de signataire { $key } « { $subject } » délivré par « { $issuer } »{ $period } : { $validity }, { $trust }{ $qualified } ; { $revocation } ; chemin de certification vérifié à la date de signature { $moment }
certificate-revocation-good = non révoqué à cette date (CRL/OCSP dans le lot de preuves)
certificate-revocation-revoked = RÉVOQUÉ à cette date
certificate-revocation-not-checked = révocation non vérifiée
moment-proven = prouvée
moment-claimed = déclarée
timestamp-proven = date prouvée : { $time }, par la TSA « { $tsa } » (reconnue)
timestamp-unproven = horodaté le { $time } par la TSA « { $tsa } », non reconnue : date non prouvée
timestamp-invalid = jeton d'horodatage INVALIDE { $file }
custody-summary-line =
    { $count ->
        [one] chaîne de possession : { $n } acte, tête { $head }
       *[other] chaîne de possession : { $n } actes, tête { $head }
    }
custody-event-note = acte de la chaîne de possession n° { $sequence } : { $note }
next-tsa-root = étape suivante : pour prouver ces dates, fournissez le certificat racine de la TSA avec --tsa-ca ROOT.pem
policy-line = politique de confiance { $policy } (sha256 { $sha256 }) : { $needed } signature(s) reconnue(s) du scellé requise(s), { $found } trouvée(s)
policy-event-not-trusted = acte de la chaîne de possession n° { $sequence } ({ $action }) par { $key } : non reconnu pour la chaîne de possession ({ $reason })
you-trusted = vous avez accordé votre confiance à { $trusted } ; le scellé est signé par { $signers }
key-claims-name = { $key } (nom déclaré : { $name })
key-claims-nothing = { $key } (aucun nom déclaré)
key-from-file = { $key } ({ $file })
next-ca-root = étape suivante : obtenez par un autre canal le certificat racine de l'autorité qui a délivré le certificat de « { $subject } », puis relancez avec --ca ROOT.pem
next-compare-key = étape suivante : vérifiez l'identifiant de clé { $key } auprès de l'expéditeur par un autre canal, puis relancez avec --trust FILE.pub
next-policy = étape suivante : { $what } par { $key } : { $step }
next-policy-what-seal = signature du scellé
next-policy-what-event = acte de la chaîne de possession
next-policy-revoked = la politique a révoqué cette clé avant qu'elle ne signe : demandez à l'expéditeur une signature par une clé que la politique reconnaît
next-policy-window = la clé a signé hors de la période que lui accorde la politique : demandez à l'expéditeur une signature par une clé valide à cette date
next-policy-role = la politique n'attribue pas ce rôle à cette clé : une clé que la politique reconnaît pour ce rôle doit signer
next-policy-time = la politique exige une date prouvée : ajoutez au lot de preuves un jeton d'horodatage (exhibit timestamp BUNDLE --tsa URL) et fournissez sa racine avec --tsa-ca
next-policy-compare = vérifiez l'identifiant de clé auprès de son titulaire par un autre canal ; s'il s'agit bien du sien, inscrivez-le dans la politique
report-written = rapport enregistré dans { $path }

## Anomalies (terminal et rapport)

# Une ligne d'anomalie : « payload.missing: data/a.txt: ce que le code signifie (détail : …) ».
# Le français donne le sens du code, puis le détail tel que le JSON le donne (en anglais).
problem-line-path = { $code }: { $path }: { $message }
problem-line = { $code }: { $message }
problem-translated = { $meaning } (détail en anglais : { $detail })
warning-prefix = avertissement: { $line }
seal-totals-differ = { $codes }: les totaux du scellé diffèrent donc aussi (racine de Merkle, nombre de fichiers, taille, Payload-Oxum)
more-findings-for-file =
    { $count ->
        [one] { $line } ; et { $n } autre constat pour ce fichier
       *[other] { $line } ; et { $n } autres constats pour ce fichier
    }
# Ce que signifie chaque code d'anomalie, en une phrase.
problem-bag-declaration = bagit.txt n'est pas une déclaration BagIt valide
problem-bag-bag-info = bag-info.txt est absent ou illisible
problem-bag-no-manifest = le paquet BagIt ne comporte aucun manifeste du contenu
problem-bag-manifest-invalid = un manifeste est illisible
problem-bag-manifest-unsupported = un manifeste utilise un algorithme qui ne peut pas être vérifié
problem-bag-manifest-duplicate = un manifeste mentionne un même fichier plusieurs fois
problem-bag-manifest-nonstandard = une ligne de manifeste a une forme que BagIt ne définit pas ; elle a été interprétée selon le sens voulu
problem-bag-oxum-mismatch = le Payload-Oxum ne concorde pas avec le contenu
problem-bag-fetch = fetch.txt mentionne des fichiers absents du paquet BagIt
problem-bag-tag-mismatch = un fichier d'étiquettes est absent ou ne concorde pas avec son manifeste des étiquettes
problem-path-unsafe = un nom susceptible de désigner un emplacement hors du paquet BagIt
problem-path-encoding = un nom qui n'est pas en UTF-8 valide
problem-path-duplicate = deux noms identiques, ou qui se confondent à l'extraction
problem-path-not-regular = un lien, un périphérique ou une autre entrée qui n'est pas un fichier ordinaire
problem-payload-missing = un fichier mentionné dans les manifestes est absent du paquet BagIt
problem-payload-unlisted = un fichier de contenu qu'aucun manifeste ne mentionne
problem-payload-digest-mismatch = un fichier de contenu n'est pas le fichier qui a été placé sous scellé
problem-payload-unreadable = un fichier de contenu n'a pas pu être lu jusqu'au bout
problem-payload-os-file = un fichier de métadonnées du système d'exploitation
problem-zip-interrupted-append = un ajout au zip a été interrompu ; le lot de preuves est lu dans son état antérieur à cet ajout
problem-zip-layout = le zip n'est pas constitué d'un dossier unique contenant le paquet BagIt
problem-zip-entry = une entrée du zip est chiffrée, compressée selon une méthode non prise en charge, ou n'a pas la taille qu'elle indique
problem-seal-missing = le procès-verbal de scellé est absent
problem-seal-invalid = le procès-verbal de scellé est illisible
problem-seal-tag-digest-mismatch = un fichier couvert par le procès-verbal de scellé a été modifié
problem-seal-payload-mismatch = le nombre de fichiers ou la taille diffère de ceux du procès-verbal de scellé
problem-seal-merkle-mismatch = le contenu ne produit pas la racine de Merkle inscrite au procès-verbal de scellé
problem-seal-unexpected-file = un fichier sous exhibit/ que le format ne définit pas
problem-signature-none = le scellé ne porte aucune signature
problem-signature-invalid = un enregistrement de signature est illisible ou désigne une clé ou un fichier erroné
problem-signature-bad = la vérification d'une signature échoue
problem-custody-invalid = la chaîne de possession est absente, lacunaire ou comporte des actes illisibles
problem-custody-link = un acte de la chaîne de possession n'est pas lié à l'acte précédent ou au scellé
problem-custody-signature = la signature d'un acte de la chaîne de possession est absente, invalide ou émane d'une autre clé
problem-custody-handover = une remise enfreint les règles de la chaîne de possession
problem-custody-time-backwards = un acte de la chaîne de possession est daté d'avant l'acte précédent
problem-custody-head-mismatch = la chaîne de possession ne passe pas par la tête attendue
problem-custody-after-head = un acte de la chaîne de possession a été ajouté après la tête attendue
problem-timestamp-invalid = un jeton d'horodatage est malformé ou n'est pas valide
problem-timestamp-mismatch = un jeton d'horodatage ne couvre pas la signature pour laquelle il est enregistré
problem-timestamp-orphan = un jeton d'horodatage se rapporte à une signature que le lot de preuves ne contient pas
problem-timestamp-untrusted = un horodatage émis par une autorité que personne ne reconnaît ici : sa date n'est pas prouvée
problem-timestamp-claimed-later = une signature déclare une date postérieure à son horodatage
problem-validation-invalid = un fichier de données de validation n'est pas la CRL ou la réponse OCSP qu'indique son nom
problem-revocation-revoked = un certificat sur lequel repose une preuve a été révoqué avant la date que celle-ci prouve
problem-revocation-revoked-later = un certificat sur lequel repose une preuve a été révoqué après la date que celle-ci prouve
problem-revocation-not-checked = le lot de preuves ne contient aucune donnée de révocation pour un certificat sur lequel repose une preuve
problem-proof-lapsed = une preuve dont les certificats ont expiré, sans registre de preuve renouvelé à temps
problem-evidence-record-invalid = le registre de preuve n'est pas valide
problem-evidence-record-lapsed = le registre de preuve n'est pas valide à la date considérée
problem-disclosure-invalid = le document de communication partielle est inutilisable
problem-disclosure-proof = une preuve d'inclusion ne mène pas à la racine de Merkle placée sous scellé
problem-disclosure-file-mismatch = un fichier communiqué n'est pas celui qui a été placé sous scellé

## custody log et custody replay

timeline-heading-seq = N°
timeline-heading-time = DATE
timeline-heading-action = ACTION
timeline-heading-actor = AUTEUR
timeline-heading-recipient = DESTINATAIRE
timeline-heading-note = NOTE
timeline-no-name = (sans nom)
timeline-invalid-signature = SIGNATURE INVALIDE { $note }
timeline-head = tête { $head }
timeline-trusted-key = * clé reconnue
replay-head = ; tête { $head } (à comparer par un autre canal avec celle de l'expéditeur)
replay-verified = VÉRIFIÉ: { $bundle }: chaîne de possession intacte ({ $events }), scellé signé par une clé reconnue{ $head }
replay-untrusted = NON RECONNU: { $bundle }: chaîne de possession intacte ({ $events }), mais { $reason }{ $head }
replay-reason-too-few = la politique de confiance exige { $needed } signature(s) reconnue(s) du scellé, { $trusted } trouvée(s)
replay-reason-events = la politique de confiance ne reconnaît pas tous les actes de la chaîne de possession (énumérés ci-dessus)
replay-reason-no-trusted-key = aucune clé --trust n'a signé le scellé
replay-reason-no-trust = aucune option --trust fournie : personne n'est reconnu
replay-failed = ÉCHEC: { $bundle }: { $problems } (voir ci-dessus)

## inspect

inspect-bundle = lot de preuves
inspect-case = affaire
inspect-exhibit = pièce à conviction
inspect-description = description
inspect-examiner = expert
inspect-claimed = { $value } (déclaré)
inspect-sealed-at = placé sous scellé le
inspect-tool = outil
inspect-meta = métadonnées
inspect-payload = contenu
inspect-payload-value = { $files }, { $size } (tel que placé sous scellé ; empreintes non recalculées)
inspect-merkle-root = racine de Merkle
inspect-zip-lists = le zip répertorie
inspect-zip-lists-value = { $files }, { $size } (noms et données non vérifiés)
inspect-disclosure = communication partielle
inspect-disclosure-value = { $disclosed } sur { $sealed } fichiers placés sous scellé (preuves vérifiées, empreintes des fichiers non recalculées)
inspect-symlinks = liens symboliques
inspect-symlinks-value = { $n } enregistré(s), non suivi(s)
inspect-empty-dirs = dossiers vides
inspect-empty-dirs-value = { $n } enregistré(s)
inspect-kind = type
inspect-custody = chaîne de possession
inspect-custody-head = tête de la chaîne de possession
inspect-invalid-signature = SIGNATURE INVALIDE
inspect-evidence = registre de preuve
inspect-evidence-holds = { $stamps }, couvre { $tags } fichier(s) d'étiquettes depuis le { $since }
inspect-evidence-lapsed = non valide : { $why }
inspect-proof-until = preuve valable jusqu'au
inspect-proof-until-value = { $at } (renouveler avant cette date : exhibit renew)
inspect-not-checked = non vérifié
inspect-not-checked-value = les fichiers de contenu, leur liste et la racine de Merkle : `exhibit verify` les vérifie

## extract et disclose

extract-refused-untrusted = aucune clé --trust n'a signé le scellé (utilisez --allow-untrusted pour extraire malgré tout)
extract-refused-failed = la vérification a échoué
extract-nothing = rien n'a été extrait vers { $target } : { $why }
extract-done = extraction vers { $target } : { $files }, { $size }
disclose-done = communication partielle vers { $target } : { $disclosed } sur { $sealed } fichiers placés sous scellé, { $size }
disclose-proof = preuve : sha256 { $sha256 }
disclose-custody-event = acte de la chaîne de possession n° { $sequence } (disclose) enregistré dans { $bundle }
disclose-head = tête { $head }
disclose-reveals-nothing-left-out = révèle : tous les fichiers placés sous scellé ; aucun n'est omis
disclose-reveals-one = révèle : le seul fichier omis a une taille d'exactement { $size } (le total du scellé moins les tailles communiquées) ; ni son nom ni son contenu
disclose-reveals-many = révèle : { $files } omis, { $size } au total ; ni leurs noms, ni leurs contenus, ni leurs tailles individuelles

## Le rapport HTML (rapport de vérification)

report-title = exhibit : vérification de { $bundle }
report-heading = Rapport de vérification
report-status-verified = intact, et le scellé est signé par une clé reconnue
report-status-untrusted = intact, mais { $reason }
report-status-failed = les éléments de preuve ne correspondent pas à ce qui a été placé sous scellé (voir les anomalies)
report-this-check = La présente vérification
report-checked-at = Date de la vérification (UTC)
report-tool = Outil
report-bundle-as-received = Lot de preuves tel que reçu
report-form = Forme
report-form-zip = zip
report-form-folder = dossier
report-size = Taille
report-sha256-of-file = SHA-256 du fichier
report-bundle = Lot de preuves
report-kind = Type
report-case = Affaire
report-exhibit = Pièce à conviction
report-description = Description
report-examiner-claimed = Expert (déclaré)
report-merkle-root = Racine de Merkle
report-sealed-at = Placé sous scellé le
report-payload = Contenu
report-payload-value = { $files }, { $size }
report-custody-head = Tête du journal de la chaîne de possession
report-checks = Contrôles
report-check = Contrôle
report-result = Résultat
check-1 = 1. Le paquet BagIt est bien formé (fichiers obligatoires BagIt présents et analysables ; noms sûrs ; structure du zip)
check-2 = 2. Les empreintes SHA-256 et BLAKE3 de chaque fichier de contenu concordent ; aucun fichier manquant, en trop ou renommé ; les tailles et le Payload-Oxum concordent
check-3 = 3. Les empreintes des manifestes et de bag-info.txt inscrites au procès-verbal de scellé concordent ; la racine de Merkle correspond au contenu
check-4 = 4. Chaque signature du scellé est valide pour seal.json
check-5 = 5. La chaîne de possession : séquence, chaînage par empreintes, signatures, rattachement au présent scellé, remises, dates
check-6 = 6. Confiance : un signataire du scellé correspond à une clé reconnue
check-failed = ÉCHEC : { $codes }
check-not-applicable = sans objet : simple paquet BagIt, que personne n'a placé sous scellé
check-not-established = NON ÉTABLIE : aucune clé reconnue ne correspond à un signataire valide du scellé
check-not-established-but = NON ÉTABLIE : signataire reconnu { $keys }, mais { $reason }
check-passed-trusted = réussi : signataire reconnu { $keys }
check-passed-warnings = réussi, avec { $n } avertissement(s) (ci-dessous)
check-passed = réussi : aucune anomalie constatée
report-signers = Signataires du scellé
report-none = Aucun.
report-signer-key = Identifiant de clé (prouvé par la signature)
report-signer-name = Nom déclaré
report-signer-organization = Organisme déclaré
report-signer-signed-at = Signé le (déclaré : horloge du signataire)
report-signer-signature = Signature
report-signer-trusted = Identité reconnue
report-proven-time = Date prouvée (RFC 3161)
report-valid = valide
report-invalid = INVALIDE
report-trusted-by-file = reconnu : la clé figurant dans { $files }
report-trusted = reconnu
report-trusted-by-policy-file = reconnu (politique de confiance { $policy })
report-not-trusted-because = non reconnu : { $reason }
report-not-trusted-claims = non reconnu : l'identité du signataire n'est que celle qu'il déclare
report-certificate-of = certificat de { $subject }, délivré par { $issuer }, numéro de série { $serial }
report-certificate-trusted-root = reconnu : chaîne de certification aboutissant à la racine { $root }
report-certificate-trusted-policy = reconnu par la politique de confiance
report-not-trusted = non reconnu
report-certificate-cell = { $verdict } ; { $who }{ $qualified } ; { $revocation }
report-qualified = {"\u202F"}; le certificat se déclare qualifié (EU QcCompliance)
revocation-good = non révoqué à la date prouvée (CRL/OCSP dans le lot de preuves)
revocation-good-later = non révoqué à la date prouvée ; { $detail }
revocation-revoked = RÉVOQUÉ : { $detail }
revocation-not-checked = révocation non vérifiée (aucune CRL ni réponse OCSP dans le lot de preuves)
report-long-term = Preuve à long terme
report-record-holds = Le registre de preuve (RFC 4998) est valide : { $n } fichier(s) d'étiquettes dont l'existence est prouvée depuis le { $since }.
report-record-lapsed = Le registre de preuve ne prouve rien à la date considérée : { $why }
report-stamp = Horodatage d'archive
report-stamp-hash = Empreinte
report-stamp-time = Date (TSA)
report-stamp-tsa = TSA
report-stamp-revocation = Révocation
report-stamp-expires = Expiration des certificats
report-proof-expires = Date la plus proche à laquelle une preuve figurant ici devient caduque, sauf renouvellement du lot de preuves ({ $command }) : { $until }.
report-trust-sources = Sources de confiance
report-policy = Politique de confiance { $policy }, SHA-256 { $sha256 } : { $needed } signature(s) reconnue(s) du scellé requise(s) ; chaque acte de la chaîne de possession doit émaner d'une clé qu'elle reconnaît pour la chaîne de possession.
report-ca-roots = Fichier des racines pour les signataires munis d'un certificat (--ca)
report-tsa-roots = Fichier des racines de TSA
report-no-key-roots = Aucune clé reconnue n'a été fournie : seuls des signataires munis d'un certificat peuvent être reconnus par la présente vérification, au moyen des racines ci-dessus.
report-no-key = Aucune clé reconnue n'a été fournie : aucun signataire ne peut être reconnu par la présente vérification.
report-trusted-key-file = Fichier de clé reconnue
report-key-id = Identifiant de clé
report-custody = Chaîne de possession
report-no-events = Aucun acte.
report-event-time = Date (UTC)
report-event-action = Action
report-event-actor = Auteur (déclaré)
report-event-actor-key = Clé de l'auteur
report-event-recipient-key = Clé du destinataire
report-event-note = Note
report-event-location = Lieu
report-key-trusted = (reconnue)
report-no-token = aucun jeton : date non prouvée
report-token-unproven = { $time } (date non prouvée)
report-token-trusted = TSA { $tsa } (reconnue, racine { $root } ; { $revocation })
report-token-revoked = TSA { $tsa } : { $revocation }
report-token-untrusted = TSA { $tsa } (non reconnue)
report-token-invalid = jeton INVALIDE { $file }
report-problems = Anomalies
report-warnings = Avertissements
report-code = Code
report-file-or-event = Fichier ou acte
report-message = Message
report-detail-english = détail, tel que le donne le rapport JSON (en anglais)
drawing-heading = Schéma de la chaîne de possession
drawing-title = Chaîne de possession : qui a détenu les éléments de preuve, dans l'ordre des actes
drawing-signed = signé
drawing-bad-signature = SIGNATURE INVALIDE
drawing-event-tooltip = n° { $sequence } { $action } par { $key } : { $state }
drawing-signature-valid = signature valide
drawing-signature-invalid = signature INVALIDE
drawing-legend = Chaque couloir représente un détenteur de clé (noms déclarés, identifiants de clé prouvés par des signatures valides) ; les actes se succèdent de gauche à droite dans l'ordre de la séquence, chacun marqué de l'état de sa signature ; les flèches représentent les transferts au destinataire désigné ; la bande ombrée indique qui détient les éléments de preuve.
report-payload-files = Fichiers de contenu
report-no-payload = Aucun fichier de contenu n'a été lu.
report-payload-read = Lus par la présente vérification : { $files }, { $size }.
report-path = Chemin
report-size-bytes = Taille (octets)
report-unreadable = illisible
report-not-listed = Non listés ici : { $more }.
report-full-list-command = La liste complète, chaque fichier avec sa taille et son SHA-256, constitue le membre { $member } du rapport JSON : { $command }
report-full-list = La liste complète, chaque fichier avec sa taille et son SHA-256, constitue le membre { $member } du rapport JSON de la même vérification.
proves-heading = Ce que ce rapport prouve et ce qu'il ne prouve pas
proves-shows = Il établit :
proves-failed = Le lot de preuves tel que reçu ne correspond pas à ce qui a été placé sous scellé, ou bien son scellé, ses signatures ou sa chaîne de possession ne résistent pas au contrôle : voir les anomalies ci-dessous.
proves-payload = Chaque fichier de contenu énuméré ci-dessous a été lu jusqu'au bout par la présente vérification, et ses octets concordent avec les empreintes inscrites dans les manifestes du lot de preuves.
proves-signers = Chaque signataire du scellé marqué valide détient la clé secrète correspondant à l'identifiant de clé indiqué : la signature apposée sur le procès-verbal de scellé (qui lie les manifestes, les métadonnées de l'affaire et la racine de Merkle) est vérifiée.
proves-events = Chaque acte de la chaîne de possession marqué valide a été signé par la clé indiquée et est lié par empreinte au scellé et à l'acte précédent.
proves-trusted-policy = Un signataire marqué reconnu est admis par la politique de confiance désignée ci-dessous (avec son SHA-256).
proves-trusted-certificates = Un signataire marqué reconnu correspond à une clé publique que la personne effectuant le contrôle a choisi de reconnaître, ou détient un certificat dont la chaîne aboutit à une racine qu'elle a fournie (voir les sources de confiance ci-dessous).
proves-trusted-keys = Un signataire marqué reconnu correspond à une clé publique que la personne effectuant le contrôle a choisi de reconnaître (voir les sources de confiance ci-dessous).
proves-time = Une date marquée prouvée : un jeton d'horodatage RFC 3161 émis par une TSA dont la racine a été fournie établit que la signature existait à cette date.
proves-not = Il n'établit pas :
proves-not-who = À qui appartient une clé : les noms et organismes sont des déclarations des détenteurs de clés ; vérifiez les identifiants de clé auprès d'eux par un autre canal.
proves-not-when-else = La date de tout autre fait : toute date non marquée prouvée provient de l'horloge du signataire lui-même.
proves-not-when = La date de quelque fait que ce soit : les dates figurant dans le lot de preuves proviennent des horloges des signataires eux-mêmes.
proves-not-revoked = Que le certificat d'un signataire n'ait pas été révoqué : le lot de preuves ne contient pour lui aucune CRL ni réponse OCSP ({ $command } les ajoute).
proves-not-before = Que les données aient été complètes ou inaltérées avant d'être placées sous scellé, la manière dont elles ont été collectées, ni qu'elles soient ce qu'indique la description.
proves-not-itself = Quoi que ce soit à lui seul : la présente page n'est pas signée. Pour vous y fier, vérifiez à nouveau le lot de preuves (son SHA-256 figure ci-dessus) avec { $command }.
report-footer = Produit par { $tool } { $version }. Les noms et organismes sont des déclarations des détenteurs de clés ; seuls les identifiants de clé sont prouvés. Vérifiez les identifiants de clé auprès des expéditeurs par un autre canal.

## Images forensiques (acquisition)

report-acquisition = Acquisition (images forensiques)
report-image = Image
report-image-format = Format
report-media-size = Taille du support
report-stored-hashes = Enregistrées par l’outil d’acquisition
report-computed-hashes = Recalculées lors de la mise sous scellé
report-image-result = Résultat
report-acquisition-metadata = Données d’acquisition (telles que l’outil les a écrites)
report-unreadable-sectors = Secteurs illisibles lors de l’acquisition
report-sector-range = secteurs { $first } à { $last }
image-result-match = concorde avec les valeurs enregistrées par l’outil d’acquisition
image-result-mismatch = NE CONCORDE PAS avec les valeurs enregistrées par l’outil d’acquisition
image-result-no-stored-hash = l’outil d’acquisition n’a enregistré aucune valeur
verify-image-line = image { $path } ({ $format }, support de { $size }) : { $result }
