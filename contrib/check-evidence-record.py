#!/usr/bin/env python3
"""Check a folder bundle's evidence record (exhibit/evidence-record.ers,
RFC 4998) without exhibit: the hash trees against the tag files as they
are now, and each archive time-stamp's imprint. The time-stamp tokens are
written out for OpenSSL to verify, since their signatures and trust are not
checked here.

    check-evidence-record.py FOLDER_BUNDLE OUT_DIR

FOLDER_BUNDLE is the bundle's top folder (bagit.txt, data/, exhibit/). The
tag files are every file in it that is not under data/ and is not the
record. Prints one line per archive time-stamp,

    chain C stamp S ALG IMPRINT_HEX

(chains and stamps numbered from 0), writes its token to
OUT_DIR/ats-C-S.tst, and then names every tag file the record does not
cover. Each token is then checked with

    openssl ts -verify -token_in -in OUT_DIR/ats-C-S.tst \\
        -digest IMPRINT_HEX -CAfile tsa-ca.pem

Exit status: 0 when every tree holds, 1 with a message on the first
mismatch, 2 when the record cannot be read.

What is hashed (H is the chain's algorithm, || concatenation):
  - a chain's first stamp holds one list of hashes; the token covers
    H(the list sorted in binary ascending order, concatenated); each hash
    must be that of a tag file as it is now: H(file) in chain 0, and
    H(H(file) || ha) in chain k > 0, where ha = H(DER of the
    ArchiveTimeStampSequence of chains 0..k-1, its own tag and length
    included);
  - every later stamp of a chain covers H(DER of the previous stamp's
    timeStamp ContentInfo);
  - a tag file is covered when every chain's first list holds it.

Needs pyasn1 and pyasn1-modules (pip install pyasn1 pyasn1-modules); the
ERS module is declared here, as pyasn1-modules does not ship one.
"""

import hashlib
import os
import sys

try:
    from pyasn1.codec.der import decoder, encoder
    from pyasn1.error import PyAsn1Error
    from pyasn1.type import namedtype, tag, univ
    from pyasn1_modules import rfc5280, rfc5652
except ImportError:
    sys.exit("needs pyasn1 and pyasn1-modules: pip install pyasn1 pyasn1-modules")

RECORD = "exhibit/evidence-record.ers"

ALGORITHMS = {
    "2.16.840.1.101.3.4.2.1": ("sha256", hashlib.sha256),
    "2.16.840.1.101.3.4.2.2": ("sha384", hashlib.sha384),
    "2.16.840.1.101.3.4.2.3": ("sha512", hashlib.sha512),
}


# --- RFC 4998 ASN.1 module (IMPLICIT TAGS), as RFC 9169 restates it ---


def implicit(number):
    return tag.Tag(tag.tagClassContext, tag.tagFormatConstructed, number)


class PartialHashtree(univ.SequenceOf):
    componentType = univ.OctetString()


class CryptoInfos(univ.SequenceOf):
    componentType = rfc5280.Attribute()


class Attributes(univ.SetOf):
    componentType = rfc5652.Attribute()


class EncryptionInfo(univ.Sequence):
    componentType = namedtype.NamedTypes(
        namedtype.NamedType("encryptionInfoType", univ.ObjectIdentifier()),
        namedtype.NamedType("encryptionInfoValue", univ.Any()),
    )


class ArchiveTimeStamp(univ.Sequence):
    componentType = namedtype.NamedTypes(
        namedtype.OptionalNamedType(
            "digestAlgorithm",
            rfc5280.AlgorithmIdentifier().subtype(implicitTag=implicit(0)),
        ),
        namedtype.OptionalNamedType(
            "attributes", Attributes().subtype(implicitTag=implicit(1))
        ),
        namedtype.OptionalNamedType(
            "reducedHashtree",
            univ.SequenceOf(componentType=PartialHashtree()).subtype(
                implicitTag=implicit(2)
            ),
        ),
        # ContentInfo, kept as its exact bytes: an untagged ANY holds the
        # whole element.
        namedtype.NamedType("timeStamp", univ.Any()),
    )


class ArchiveTimeStampChain(univ.SequenceOf):
    componentType = ArchiveTimeStamp()


class ArchiveTimeStampSequence(univ.SequenceOf):
    componentType = ArchiveTimeStampChain()


class EvidenceRecord(univ.Sequence):
    componentType = namedtype.NamedTypes(
        namedtype.NamedType("version", univ.Integer()),
        namedtype.NamedType(
            "digestAlgorithms", univ.SequenceOf(componentType=rfc5280.AlgorithmIdentifier())
        ),
        namedtype.OptionalNamedType(
            "cryptoInfos", CryptoInfos().subtype(implicitTag=implicit(0))
        ),
        namedtype.OptionalNamedType(
            "encryptionInfo", EncryptionInfo().subtype(implicitTag=implicit(1))
        ),
        namedtype.NamedType("archiveTimeStampSequence", ArchiveTimeStampSequence()),
    )


# --- raw DER, for the exact bytes a renewal hashes ---


def tlv(data, at):
    """(start of value, end of element) of the DER element at `at`."""
    length = data[at + 1]
    start = at + 2
    if length & 0x80:
        count = length & 0x7F
        length = int.from_bytes(data[start : start + count], "big")
        start += count
    return start, start + length


def children(data, at):
    """The exact bytes of each element inside the constructed one at `at`."""
    start, end = tlv(data, at)
    items = []
    while start < end:
        _, next_at = tlv(data, start)
        items.append(data[start:next_at])
        start = next_at
    return items


def sequence_of(elements):
    """DER SEQUENCE holding these encoded elements."""
    content = b"".join(elements)
    n = len(content)
    if n < 0x80:
        length = bytes([n])
    else:
        octets = n.to_bytes((n.bit_length() + 7) // 8, "big")
        length = bytes([0x80 | len(octets)]) + octets
    return b"\x30" + length + content


# --- the check ---


class Mismatch(Exception):
    pass


def tag_files(bundle):
    """Relative name -> bytes of every tag file."""
    files = {}
    for folder, dirs, names in os.walk(bundle):
        relative = os.path.relpath(folder, bundle)
        if relative == ".":
            dirs[:] = [d for d in dirs if d != "data"]
            relative = ""
        dirs.sort()
        for name in sorted(names):
            path = os.path.join(folder, name)
            rel = (relative + "/" + name if relative else name).replace(os.sep, "/")
            if rel == RECORD or os.path.islink(path) or not os.path.isfile(path):
                continue
            with open(path, "rb") as f:
                files[rel] = f.read()
    return files


def algorithm_of(identifier, where):
    oid = str(identifier["algorithm"])
    if oid not in ALGORITHMS:
        raise Mismatch(f"{where}: digest algorithm {oid} is not SHA-256, SHA-384 or SHA-512")
    return ALGORITHMS[oid]


def list_hash(hash_function, hashes):
    return hash_function(b"".join(sorted(hashes))).digest()


def tree_root(hash_function, tree, where):
    """RFC 4998 4.3: each list's hash must be in the next list."""
    root = list_hash(hash_function, tree[0])
    for level, hashes in enumerate(tree[1:], start=1):
        if root not in hashes:
            raise Mismatch(f"{where}: list {level} of the reduced hash tree does not hold the hash of list {level - 1}")
        root = list_hash(hash_function, hashes)
    return root


def check(bundle, out_dir):
    with open(os.path.join(bundle, RECORD), "rb") as f:
        der = f.read()
    record, rest = decoder.decode(der, asn1Spec=EvidenceRecord())
    if rest or encoder.encode(record) != der:
        raise ValueError("not a DER EvidenceRecord")
    if int(record["version"]) != 1:
        raise ValueError(f"version {int(record['version'])}, not 1")
    raw_chains = children(der, len(der) - len(children(der, 0)[-1]))
    files = tag_files(bundle)
    os.makedirs(out_dir, exist_ok=True)
    covered = None
    for c, chain in enumerate(record["archiveTimeStampSequence"]):
        if len(chain) == 0:
            raise Mismatch(f"chain {c} holds no archive time-stamp")
        first = chain[0]
        if not first["digestAlgorithm"].isValue:
            raise Mismatch(f"chain {c} stamp 0 names no digest algorithm")
        name, hash_function = algorithm_of(first["digestAlgorithm"], f"chain {c} stamp 0")
        ha = hash_function(sequence_of(raw_chains[:c])).digest() if c > 0 else None
        by_hash = {}
        for file_name, content in files.items():
            digest = hash_function(content).digest()
            if ha is not None:
                digest = hash_function(digest + ha).digest()
            by_hash.setdefault(digest, []).append(file_name)
        previous_token = None
        for s, stamp in enumerate(chain):
            where = f"chain {c} stamp {s}"
            if stamp["digestAlgorithm"].isValue:
                if algorithm_of(stamp["digestAlgorithm"], where)[0] != name:
                    raise Mismatch(f"{where}: its digest algorithm is not the chain's ({name})")
            tree = None
            if stamp["reducedHashtree"].isValue:
                tree = [[bytes(h) for h in level] for level in stamp["reducedHashtree"]]
                if not tree or any(not level for level in tree):
                    raise Mismatch(f"{where}: an empty list in the reduced hash tree")
            token = bytes(stamp["timeStamp"])
            if previous_token is None:
                if tree is None:
                    raise Mismatch(f"{where}: no reduced hash tree")
                names = set()
                stray = None
                for h in tree[0]:
                    if h in by_hash:
                        names.update(by_hash[h])
                    elif stray is None:
                        stray = h
                if not names and c > 0:
                    raise Mismatch(f"chain {c}: its first list matches no tag file renewed over the chains before it: a chain before it was removed or changed")
                if stray is not None:
                    raise Mismatch(f"{where}: the evidence record covers bytes that are not in the bundle ({name} {stray[:8].hex()}...)")
                covered = names if covered is None else covered & names
                imprint = tree_root(hash_function, tree, where)
            else:
                h = hash_function(previous_token).digest()
                if tree is None:
                    imprint = h
                elif h not in tree[0]:
                    raise Mismatch(f"{where}: its first list does not hold the hash of stamp {s - 1}'s time-stamp")
                else:
                    imprint = tree_root(hash_function, tree, where)
            print(f"chain {c} stamp {s} {name} {imprint.hex()}")
            with open(os.path.join(out_dir, f"ats-{c}-{s}.tst"), "wb") as f:
                f.write(token)
            previous_token = token
    if covered is None:
        raise Mismatch("no archive time-stamp chain")
    for file_name in sorted(files):
        if file_name not in covered:
            print(f"not covered: {file_name}")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    bundle, out_dir = sys.argv[1], sys.argv[2]
    try:
        check(bundle, out_dir)
    except Mismatch as e:
        print(f"evidence record does not hold: {e}", file=sys.stderr)
        return 1
    except (OSError, ValueError, PyAsn1Error, IndexError) as e:
        print(f"cannot read the evidence record: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
