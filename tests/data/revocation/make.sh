#!/bin/sh
# Regenerates the revocation fixtures with OpenSSL 3.0: a root CA (RSA), an
# intermediate CA (P-256) issuing the leaves, another CA, two OCSP
# responders (one with id-kp-OCSPSigning, one without), CRLs with chosen
# lastUpdate times and revocation entries, and OCSP responses made offline
# from the intermediate's index. The keys are committed and reused, so
# certificates keep their keys; the OCSP responses carry the time they were
# made (OpenSSL cannot back-date them), always after the times the tests
# prove.
#
# The revocation dates (written into the index, since `openssl ca -revoke`
# takes only the current time):
#   leaf-early        2026-03-01 superseded               (before the time to prove)
#   leaf-superseded   2026-09-01 superseded               (after it)
#   leaf-compromised  2026-09-01 keyCompromise            (after it, no invalidity date)
#   leaf-invalidity   2026-09-01 keyCompromise, invalidity 2026-04-01
# The tests prove 2026-06-01T00:00:00Z.
set -eu
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

start=20260101000000Z
end=20300101000000Z

key() { # name algorithm
    [ -f "$1.key" ] && return 0
    case $2 in
    rsa) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key" ;;
    ec) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" ;;
    esac
}

config() { # ca-name: an openssl ca configuration with its own index
    mkdir -p "$work/$1"
    : >"$work/$1/index.txt"
    echo "unique_subject = no" >"$work/$1/index.txt.attr"
    cat >"$work/$1/ca.cnf" <<CNF
[ ca ]
default_ca = this
[ this ]
dir = $work/$1
database = \$dir/index.txt
new_certs_dir = \$dir
serial = \$dir/serial
crlnumber = \$dir/crlnumber
default_md = sha256
policy = any
copy_extensions = none
[ any ]
commonName = supplied
organizationName = optional
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = unused
[ v3_root ]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ v3_ca ]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_leaf ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, nonRepudiation
crlDistributionPoints = URI:http://crl.example.test/int.crl
authorityInfoAccess = OCSP;URI:http://ocsp.example.test/, caIssuers;URI:http://ca.example.test/int.cer
[ v3_responder ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = OCSPSigning
[ v3_rogue ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
[ crl_ext ]
authorityKeyIdentifier = keyid
CNF
}

csr() { # key subject
    openssl req -new -key "$1.key" -subj "$2" -config "$work/root/ca.cnf" -out "$work/req.pem"
}

issue() { # ca serial-hex out extensions [selfsign]
    echo "$2" >"$work/$1/serial"
    if [ "${5:-}" = selfsign ]; then
        openssl ca -batch -config "$work/$1/ca.cnf" -selfsign -keyfile "$1.key" \
            -startdate $start -enddate $end -extensions "$4" -notext \
            -in "$work/req.pem" -out "$3.pem"
    else
        openssl ca -batch -config "$work/$1/ca.cnf" -cert "$1.pem" -keyfile "$1.key" \
            -startdate $start -enddate $end -extensions "$4" -notext \
            -in "$work/req.pem" -out "$3.pem"
    fi
}

key root rsa
key int ec
key other ec
key leaf ec
key responder ec
key rogue ec

config root
config int
config other

csr root "/CN=Revocation Test Root/O=exhibit tests"
issue root 01 root v3_root selfsign
csr int "/CN=Revocation Test Intermediate/O=exhibit tests"
issue root 02 int v3_ca
csr other "/CN=Revocation Other CA/O=exhibit tests"
issue other 01 other v3_root selfsign

serial=10
for leaf in leaf-good leaf-early leaf-superseded leaf-compromised leaf-invalidity; do
    csr leaf "/CN=$leaf/O=exhibit tests"
    issue int $serial "$leaf" v3_leaf
    serial=$((serial + 1))
done
csr responder "/CN=Revocation Test OCSP Responder/O=exhibit tests"
issue int 20 responder v3_responder
csr rogue "/CN=Revocation Test Rogue Responder/O=exhibit tests"
issue int 21 rogue v3_rogue

# Revocations with chosen times: rewrite the index lines of the revoked leaves.
awk -F '\t' 'BEGIN { OFS = "\t" }
    $4 == "11" { $1 = "R"; $3 = "260301000000Z,superseded" }
    $4 == "12" { $1 = "R"; $3 = "260901000000Z,superseded" }
    $4 == "13" { $1 = "R"; $3 = "260901000000Z,keyCompromise" }
    $4 == "14" { $1 = "R"; $3 = "260901000000Z,keyTime,20260401000000Z" }
    { print }' "$work/int/index.txt" >"$work/index.new"
mv "$work/index.new" "$work/int/index.txt"

crl() { # ca out lastupdate
    echo 01 >"$work/$1/crlnumber"
    openssl ca -batch -config "$work/$1/ca.cnf" -cert "$1.pem" -keyfile "$1.key" -gencrl \
        -crlexts crl_ext -crl_lastupdate "$3" -crl_nextupdate 20270101000000Z -out "$work/crl.pem"
    openssl crl -in "$work/crl.pem" -outform DER -out "$2"
}
crl int int.crl 20261001000000Z
crl int int-old.crl 20260501000000Z
crl root root.crl 20261001000000Z
crl other other.crl 20261001000000Z

ocsp() { # leaf signer out
    openssl ocsp -issuer int.pem -cert "$1.pem" -no_nonce -reqout "$work/req.der"
    openssl ocsp -index "$work/int/index.txt" -CA int.pem -rsigner "$2.pem" -rkey "$2.key" \
        -rmd sha256 -reqin "$work/req.der" -respout "$3"
}
ocsp leaf-good int ocsp-good-ca.der
ocsp leaf-superseded int ocsp-revoked-ca.der
ocsp leaf-good responder ocsp-good-responder.der
ocsp leaf-good rogue ocsp-good-rogue.der
