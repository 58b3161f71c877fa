# exhibit: what a person reads, in English (the reference language: every
# other i18n/<tag>/exhibit.ftl has exactly these message ids, with the same
# arguments). Legal terms: i18n/glossary.md. Never translate an argument:
# paths, key ids, digests, problem codes and names come from the bundle.
# Command names and flags (exhibit verify, --trust) stay as they are.

## The language itself

language-name = English

## Numbers, sizes and dates

# Between groups of three digits: 3,224,128,872.
number-group-separator = ,
# Between the whole and the decimal part of 3.0 GiB.
number-decimal-separator = .
size-bytes =
    { $count ->
        [one] { $n } byte
       *[other] { $n } bytes
    }
# $amount: 3.0; $unit: GiB; $exact: the byte count (size-bytes).
size-larger = { $amount } { $unit } ({ $exact })
unit-kib = KiB
unit-mib = MiB
unit-gib = GiB
unit-tib = TiB
unit-pib = PiB
# A moment: English writes ISO 8601 alone. Other languages write their own
# form and the ISO 8601 form beside it. Arguments: $day, $month (a month-N
# name), $month-number, $year, $time (HH:MM:SS, UTC), $iso.
date-time = { $iso }
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

## Counts ($n is the number written with grouping, $count selects the plural)

count-files =
    { $count ->
        [one] { $n } file
       *[other] { $n } files
    }
count-payload-files =
    { $count ->
        [one] { $n } payload file
       *[other] { $n } payload files
    }
count-more-files =
    { $count ->
        [one] { $n } more file
       *[other] { $n } more files
    }
count-events =
    { $count ->
        [one] { $n } event
       *[other] { $n } events
    }
count-problems =
    { $count ->
        [one] { $n } problem
       *[other] { $n } problems
    }
count-archive-time-stamps =
    { $count ->
        [one] { $n } archive time-stamp
       *[other] { $n } archive time-stamps
    }

## The verdict

verdict-verified = VERIFIED
verdict-failed = FAILED
verdict-untrusted = UNTRUSTED
verdict-with-disclosure = { $verdict } (disclosure: { $disclosed } of { $sealed } sealed files)
# The first line of verify: verdict, bundle, what it is, detail.
verify-line = { $verdict }: { $bundle } ({ $files }, { $size }): { $detail }
verify-line-case = { $verdict }: { $bundle } (case { $case }, exhibit { $exhibit }; { $files }, { $size }): { $detail }
verify-line-bag = { $verdict }: { $bundle } (plain BagIt bag, not sealed; { $files }, { $size }): { $detail }
detail-verified = intact and signed by a trusted key
detail-bag-unsigned = intact, but nobody signed it
detail-no-trust-given-certificates = intact, but no --trust or --ca given: each signer is only who it claims to be
detail-no-trust-given = intact, but no --trust given: the signer is only who it claims to be
detail-untrusted-because = intact, but { $reason } (see below)
detail-no-key-or-root = intact, but no --trust key or --ca root vouches for a signer of the seal
detail-no-trusted-key = intact, but no --trust key signed the seal
# How many payload files a failed verification found changed, and which.
failed-files-differ =
    { $count ->
        [one] 1 file differs from the seal
       *[other] { $n } files differ from the seal
    }
failed-files-missing =
    { $count ->
        [one] 1 file is missing
       *[other] { $n } files are missing
    }
failed-files-added =
    { $count ->
        [one] 1 file was added
       *[other] { $n } files were added
    }
failed-files-unreadable =
    { $count ->
        [one] 1 file cannot be read
       *[other] { $n } files cannot be read
    }
# $parts: the counts above, joined with ", "; $paths: the first files named.
failed-summary = { $parts } ({ $paths })
list-separator = {", "}

## Why an intact bundle is not trusted

reason-proof-does-not-count = a proof it relies on does not count: { $proof }
reason-no-trusted-key = no trusted key signed the seal
reason-too-few-signers = { $trusted } of the { $needed } trusted seal signatures the trust policy needs
reason-custody-not-trusted = the trust policy does not trust custody event { $events }
# One custody event the policy does not trust: "3 (role)".
reason-event = { $sequence } ({ $reason })
# The trust policy's words for why it does not trust a key.
policy-reason-revoked = revoked
policy-reason-expired = expired
policy-reason-not-yet-valid = not yet valid
policy-reason-role = role
policy-reason-time-not-proven = time not proven
policy-reason-unknown-key = unknown key
policy-reason-invalid-signature = invalid signature

## Signers, time-stamps and certificates (terminal)

signer-line = signer { $key } { $claimed }: { $validity }, { $trust }
claimed-name-and-organization = "{ $name }" ({ $organization })
claimed-name = "{ $name }"
claimed-organization = ({ $organization })
claimed-nothing = (no name claimed)
signature-valid = valid signature
signature-invalid = INVALID signature
trust-trusted = trusted
trust-not-trusted = not trusted
trust-not-trusted-because = not trusted ({ $reason })
trust-chains-to = trusted (chains to "{ $root }")
trust-by-policy = trusted (by the trust policy)
# A line and what its time-stamp proves, joined.
with-note = { $line }; { $note }
certificate-qualified = the certificate says it is qualified (EU QcCompliance)
certificate-valid-from-to = (valid { $from } to { $to })
certificate-signer-line = signer certificate { $key } "{ $subject }" issued by "{ $issuer }"{ $period }: { $validity }, { $trust }{ $qualified }; { $revocation }; path checked at the { $moment } signing time
certificate-revocation-good = not revoked at that time (CRL/OCSP in the bundle)
certificate-revocation-revoked = REVOKED at that time
certificate-revocation-not-checked = revocation not checked
moment-proven = proven
moment-claimed = claimed
timestamp-proven = time proven { $time } by TSA "{ $tsa }" (trusted)
timestamp-unproven = time-stamped { $time } by TSA "{ $tsa }", not trusted: time unproven
timestamp-invalid = INVALID time-stamp token { $file }
custody-summary-line =
    { $count ->
        [one] custody: { $n } event, head { $head }
       *[other] custody: { $n } events, head { $head }
    }
custody-event-note = custody event { $sequence }: { $note }
next-tsa-root = next: to prove these times, give the TSA's root certificate with --tsa-ca ROOT.pem
policy-line = trust policy { $policy } (sha256 { $sha256 }): { $needed } trusted seal signature(s) needed, { $found } found
policy-event-not-trusted = custody event { $sequence } ({ $action }) by { $key }: not trusted for custody ({ $reason })
you-trusted = you trusted { $trusted }; the seal is signed by { $signers }
key-claims-name = { $key } (claims { $name })
key-claims-nothing = { $key } (claims no name)
key-from-file = { $key } ({ $file })
next-ca-root = next: obtain the root certificate of the authority that issued "{ $subject }"'s certificate through another channel, then re-run with --ca ROOT.pem
next-compare-key = next: compare the key id { $key } with the sender through another channel, then re-run with --trust FILE.pub
next-policy = next: { $what } by { $key }: { $step }
next-policy-what-seal = seal signature
next-policy-what-event = custody event
next-policy-revoked = the policy revoked that key before it signed: ask the sender for a signature by a key the policy trusts
next-policy-window = the key signed outside the window the policy gives it: ask the sender for a signature by a key valid at that time
next-policy-role = the policy does not give that key this role: a key the policy trusts for it must sign
next-policy-time = the policy requires a proven time: add a time-stamp token (exhibit timestamp BUNDLE --tsa URL) and give its root with --tsa-ca
next-policy-compare = compare the key id with its holder through another channel; if it is theirs, list it in the policy
report-written = report written to { $path }

## Problems (terminal and report)

# A problem line: "payload.missing: data/a.txt: what it means (the detail)".
# English gives the detail alone; other languages give what the code means
# in their words, then the detail as the JSON holds it (English).
problem-line-path = { $code }: { $path }: { $message }
problem-line = { $code }: { $message }
problem-translated = { $meaning } (detail: { $detail })
warning-prefix = warning: { $line }
seal-totals-differ = { $codes }: so the seal's totals differ too (Merkle root, file count, size, Payload-Oxum)
more-findings-for-file =
    { $count ->
        [one] { $line }; and 1 more finding for this file
       *[other] { $line }; and { $n } more findings for this file
    }
# What each problem code means, in one sentence.
problem-bag-declaration = bagit.txt is not a valid BagIt declaration
problem-bag-bag-info = bag-info.txt is missing or cannot be read
problem-bag-no-manifest = the bag has no payload manifest
problem-bag-manifest-invalid = a manifest cannot be read
problem-bag-manifest-unsupported = a manifest uses an algorithm that cannot be checked
problem-bag-manifest-duplicate = a manifest lists a file more than once
problem-bag-manifest-nonstandard = a manifest line is in a form BagIt does not define, read as meant
problem-bag-oxum-mismatch = the Payload-Oxum disagrees with the payload
problem-bag-fetch = fetch.txt lists files that are not in the bag
problem-bag-tag-mismatch = a tag file is missing or differs from its tag manifest
problem-path-unsafe = a name that could escape the bag
problem-path-encoding = a name that is not valid UTF-8
problem-path-duplicate = two names that are the same, or collide when extracted
problem-path-not-regular = a link, device or other entry that is not a regular file
problem-payload-missing = a file the manifests list is not in the bag
problem-payload-unlisted = a payload file no manifest lists
problem-payload-digest-mismatch = a payload file is not the file that was sealed
problem-payload-unreadable = a payload file could not be read to its end
problem-payload-os-file = an operating-system metadata file
problem-zip-interrupted-append = an addition to the zip was interrupted; the bundle is read as it was before it
problem-zip-layout = the zip is not one folder holding the bag
problem-zip-entry = a zip entry that is encrypted, compressed in an unsupported way, or not the size it says
problem-seal-missing = the seal statement is missing
problem-seal-invalid = the seal statement cannot be read
problem-seal-tag-digest-mismatch = a file the seal statement binds has changed
problem-seal-payload-mismatch = the file count or size differs from the seal statement
problem-seal-merkle-mismatch = the payload does not give the Merkle root of the seal statement
problem-seal-unexpected-file = a file under exhibit/ that the format does not define
problem-signature-none = the seal has no signature
problem-signature-invalid = a signature record cannot be read or names the wrong key or file
problem-signature-bad = a signature does not verify
problem-custody-invalid = the chain of custody is missing, has gaps or events that cannot be read
problem-custody-link = a custody event is not linked to the one before it or to the seal
problem-custody-signature = a custody event's signature is missing, invalid or by another key
problem-custody-handover = a hand-over breaks the rules of the chain of custody
problem-custody-time-backwards = a custody event is dated before the one before it
problem-custody-head-mismatch = the chain of custody does not pass through the head that was expected
problem-custody-after-head = a custody event was added after the head that was expected
problem-timestamp-invalid = a time-stamp token is malformed or does not hold
problem-timestamp-mismatch = a time-stamp token does not cover the signature it is stored for
problem-timestamp-orphan = a time-stamp token for a signature the bundle does not hold
problem-timestamp-untrusted = a time-stamp by an authority nobody trusts here: its time is not proven
problem-timestamp-claimed-later = a signature claims a time later than its time-stamp
problem-validation-invalid = a file of validation material is not the CRL or OCSP response its name says
problem-revocation-revoked = a certificate a proof relies on was revoked before the time it proves
problem-revocation-revoked-later = a certificate a proof relies on was revoked after the time it proves
problem-revocation-not-checked = the bundle holds no revocation data for a certificate a proof relies on
problem-proof-lapsed = a proof whose certificates have expired, with no evidence record renewed in time
problem-evidence-record-invalid = the evidence record does not hold
problem-evidence-record-lapsed = the evidence record does not hold at the moment judged
problem-disclosure-invalid = the disclosure document cannot be used
problem-disclosure-proof = an inclusion proof does not lead to the sealed Merkle root
problem-disclosure-file-mismatch = a disclosed file is not the one that was sealed

## custody log and custody replay

timeline-heading-seq = SEQ
timeline-heading-time = TIME
timeline-heading-action = ACTION
timeline-heading-actor = ACTOR
timeline-heading-recipient = RECIPIENT
timeline-heading-note = NOTE
timeline-no-name = (no name)
timeline-invalid-signature = INVALID SIGNATURE { $note }
timeline-head = head { $head }
timeline-trusted-key = * trusted key
replay-head = ; head { $head } (compare it with the sender's by another channel)
replay-verified = VERIFIED: { $bundle }: custody chain of { $events } intact, seal signed by a trusted key{ $head }
replay-untrusted = UNTRUSTED: { $bundle }: custody chain of { $events } intact, but { $reason }{ $head }
replay-reason-too-few = the trust policy needs { $needed } trusted seal signature(s), { $trusted } found
replay-reason-events = the trust policy does not trust every custody event (listed above)
replay-reason-no-trusted-key = no --trust key signed the seal
replay-reason-no-trust = no --trust given: nobody is trusted
replay-failed = FAILED: { $bundle }: { $problems } (listed above)

## inspect

inspect-bundle = bundle
inspect-case = case
inspect-exhibit = exhibit
inspect-description = description
inspect-examiner = examiner
inspect-claimed = { $value } (claimed)
inspect-sealed-at = sealed at
inspect-tool = tool
inspect-meta = meta
inspect-payload = payload
inspect-payload-value = { $files }, { $size } (as sealed; not re-hashed)
inspect-merkle-root = merkle root
inspect-zip-lists = zip lists
inspect-zip-lists-value = { $files }, { $size } (names and data not checked)
inspect-disclosure = disclosure
inspect-disclosure-value = { $disclosed } of { $sealed } sealed files (proofs checked, files not re-hashed)
inspect-symlinks = symlinks
inspect-symlinks-value = { $n } recorded, not followed
inspect-empty-dirs = empty dirs
inspect-empty-dirs-value = { $n } recorded
inspect-kind = kind
inspect-custody = custody
inspect-custody-head = custody head
inspect-invalid-signature = INVALID SIGNATURE
inspect-evidence = evidence
inspect-evidence-holds = { $stamps }, covers { $tags } tag files since { $since }
inspect-evidence-lapsed = does not hold: { $why }
inspect-proof-until = proof until
inspect-proof-until-value = { $at } (renew before then: exhibit renew)
inspect-not-checked = not checked
inspect-not-checked-value = the payload files, their listing and the Merkle root: `exhibit verify` checks them

## extract and disclose

extract-refused-untrusted = no --trust key signed the seal (use --allow-untrusted to extract anyway)
extract-refused-failed = verification failed
extract-nothing = nothing extracted to { $target }: { $why }
extract-done = extracted { $files }, { $size }, to { $target }
disclose-done = disclosed { $disclosed } of { $sealed } sealed files, { $size }, into { $target }
disclose-proof = proof sha256 { $sha256 }
disclose-custody-event = recorded custody event { $sequence } (disclose) in { $bundle }
disclose-head = head { $head }
disclose-reveals-nothing-left-out = reveals: every sealed file; nothing is left out
disclose-reveals-one = reveals: the 1 file left out has exactly { $size } (the seal's total minus the disclosed sizes); not its name or content
disclose-reveals-many = reveals: { $files } left out, { $size } in all; not their names, contents or sizes one by one

## The HTML report (the court report)

report-title = exhibit verification: { $bundle }
report-heading = Verification report
report-status-verified = intact, and the seal is signed by a trusted key
report-status-untrusted = intact, but { $reason }
report-status-failed = the evidence does not match what was sealed (see problems)
report-this-check = This check
report-checked-at = Checked at (UTC)
report-tool = Tool
report-bundle-as-received = Bundle as received
report-form = Form
report-form-zip = zip
report-form-folder = folder
report-size = Size
report-sha256-of-file = SHA-256 of the file
report-bundle = Bundle
report-kind = Kind
report-case = Case
report-exhibit = Exhibit
report-description = Description
report-examiner-claimed = Examiner (claimed)
report-merkle-root = Merkle root
report-sealed-at = Sealed at
report-payload = Payload
report-payload-value = { $files }, { $size }
report-custody-head = Custody log head
report-checks = Checks
report-check = Check
report-result = Result
check-1 = 1. The bag is well formed (BagIt required files present and parseable; safe names; zip structure)
check-2 = 2. Every payload file's SHA-256 and BLAKE3 match; nothing missing, extra or renamed; sizes and Payload-Oxum match
check-3 = 3. The seal statement's digests of the manifests and bag-info.txt match; the Merkle root matches the payload
check-4 = 4. Every seal signature is valid for seal.json
check-5 = 5. The custody chain: sequence, hash links, signatures, this seal, hand-overs, times
check-6 = 6. Trust: a seal signer matches a trusted key
check-failed = FAILED: { $codes }
check-not-applicable = not applicable: a plain BagIt bag, nobody sealed it
check-not-established = NOT ESTABLISHED: no trusted key matches a valid seal signer
check-not-established-but = NOT ESTABLISHED: trusted signer { $keys }, but { $reason }
check-passed-trusted = passed: trusted signer { $keys }
check-passed-warnings = passed, with { $n } warning(s) (below)
check-passed = passed: no problem found
report-signers = Seal signers
report-none = None.
report-signer-key = Key id (proven by the signature)
report-signer-name = Claimed name
report-signer-organization = Claimed organization
report-signer-signed-at = Signed at (claimed: the signer's clock)
report-signer-signature = Signature
report-signer-trusted = Trusted identity
report-proven-time = Proven time (RFC 3161)
report-valid = valid
report-invalid = INVALID
report-trusted-by-file = trusted: the key in { $files }
report-trusted = trusted
report-trusted-by-policy-file = trusted (trust policy { $policy })
report-not-trusted-because = not trusted: { $reason }
report-not-trusted-claims = not trusted: the signer is only who it claims to be
report-certificate-of = certificate of { $subject }, issued by { $issuer }, serial { $serial }
report-certificate-trusted-root = trusted: chains to root { $root }
report-certificate-trusted-policy = trusted by the trust policy
report-not-trusted = not trusted
report-certificate-cell = { $verdict }; { $who }{ $qualified }; { $revocation }
report-qualified = ; the certificate says it is qualified (EU QcCompliance)
revocation-good = not revoked at the time it proves (CRL/OCSP in the bundle)
revocation-good-later = not revoked at the time it proves; { $detail }
revocation-revoked = REVOKED: { $detail }
revocation-not-checked = revocation not checked (no CRL or OCSP response in the bundle)
report-long-term = Long-term proof
report-record-holds = The evidence record (RFC 4998) holds: { $n } tag files proven to exist since { $since }.
report-record-lapsed = The evidence record proves nothing at the moment judged: { $why }
report-stamp = Archive time-stamp
report-stamp-hash = Hash
report-stamp-time = Time (TSA)
report-stamp-tsa = TSA
report-stamp-revocation = Revocation
report-stamp-expires = Certificates expire
report-proof-expires = The earliest moment a proof here lapses unless the bundle is renewed ({ $command }): { $until }.
report-trust-sources = Trust sources
report-policy = Trust policy { $policy }, SHA-256 { $sha256 }: { $needed } trusted seal signature(s) needed; every custody event must be by a key it trusts for custody.
report-ca-roots = Root file for certificate signers (--ca)
report-tsa-roots = TSA root file
report-no-key-roots = No trusted key was given: only certificate signers can be trusted by this check, through the roots above.
report-no-key = No trusted key was given: no signer can be trusted by this check.
report-trusted-key-file = Trusted key file
report-key-id = Key id
report-custody = Chain of custody
report-no-events = No events.
report-event-time = Time (UTC)
report-event-action = Action
report-event-actor = Actor (claimed)
report-event-actor-key = Actor key
report-event-recipient-key = Recipient key
report-event-note = Note
report-event-location = Location
report-key-trusted = (trusted)
report-no-token = no token: time not proven
report-token-unproven = { $time } (unproven)
report-token-trusted = TSA { $tsa } (trusted, root { $root }; { $revocation })
report-token-revoked = TSA { $tsa }: { $revocation }
report-token-untrusted = TSA { $tsa } (not trusted)
report-token-invalid = INVALID token { $file }
report-problems = Problems
report-warnings = Warnings
report-code = Code
report-file-or-event = File or event
report-message = Message
report-detail-english = detail, as the JSON report gives it
drawing-heading = Custody drawing
drawing-title = Chain of custody: who held the evidence, in order of events
drawing-signed = signed
drawing-bad-signature = BAD SIGNATURE
drawing-event-tooltip = #{ $sequence } { $action } by { $key }: { $state }
drawing-signature-valid = signature valid
drawing-signature-invalid = signature INVALID
drawing-legend = Lanes are key holders (names claimed, key ids proven by valid signatures); events run left to right in sequence order, each marked with its signature state; arrows are transfers to the named recipient; the shaded band shows who holds the evidence.
report-payload-files = Payload files
report-no-payload = No payload file was read.
report-payload-read = { $files }, { $size }, as read by this check.
report-path = Path
report-size-bytes = Size (bytes)
report-unreadable = unreadable
report-not-listed = { $more } not listed here.
report-full-list-command = The full list, every file with its size and SHA-256, is the { $member } member of the JSON report: { $command }
report-full-list = The full list, every file with its size and SHA-256, is the { $member } member of the JSON report of the same verification.
proves-heading = What this report proves and what it does not
proves-shows = It shows:
proves-failed = The bundle as received does not match what was sealed, or its seal, signatures or custody chain do not check out: see the problems below.
proves-payload = Every payload file listed below was read to its end by this check, and its bytes match the digests in the bundle's manifests.
proves-signers = Each seal signer marked valid holds the secret key of the key id shown: the signature over the seal statement (which binds the manifests, the case metadata and the Merkle root) verifies.
proves-events = Each custody event marked valid was signed by the key shown and is linked by hash to the seal and to the event before it.
proves-trusted-policy = A signer marked trusted is allowed by the trust policy named below (with its SHA-256).
proves-trusted-certificates = A signer marked trusted matches a public key the person running the check chose to trust, or holds a certificate whose chain reaches a root they gave (the trust sources below).
proves-trusted-keys = A signer marked trusted matches a public key the person running the check chose to trust (the trust sources below).
proves-time = A time marked proven: an RFC 3161 time-stamp token by a TSA whose root was given shows the signature existed then.
proves-not = It does not show:
proves-not-who = Who a key belongs to: names and organizations are claims made by the key holders; compare key ids with them through another channel.
proves-not-when-else = When anything else happened: every time not marked proven is the signer's own clock.
proves-not-when = When anything happened: times in the bundle are the signers' own clocks.
proves-not-revoked = That a signer's certificate was not revoked: the bundle holds no CRL or OCSP answer for it ({ $command } adds them).
proves-not-before = That the data was complete or unaltered before it was sealed, how it was collected, or that it is what the description says.
proves-not-itself = Anything by itself: this page is not signed. To rely on it, check the bundle again (its SHA-256 is above) with { $command }.
report-footer = Produced by { $tool } { $version }. Names and organizations are claims made by the key holders; only key ids are proven. Compare key ids with the senders through another channel.

## Forensic images (acquisition)

report-acquisition = Acquisition (forensic images)
report-image = Image
report-image-format = Format
report-media-size = Media size
report-stored-hashes = Stored by the imager
report-computed-hashes = Recomputed at the seal
report-image-result = Result
report-acquisition-metadata = Acquisition record (as the imager wrote it)
report-unreadable-sectors = Sectors unreadable at acquisition
report-sector-range = sectors { $first } to { $last }
image-result-match = matches the hashes its imager stored
image-result-mismatch = DOES NOT MATCH the hashes its imager stored
image-result-no-stored-hash = its imager stored no hash
verify-image-line = image { $path } ({ $format }, { $size } of media): { $result }
