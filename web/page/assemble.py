#!/usr/bin/env python3
"""Assembles the offline verification page from its parts, byte for byte
the same every time: the template, the worker and page scripts, and the
WebAssembly module (gzip without a time or name, then base64).

    assemble.py MODULE.wasm VERSION OUTPUT.html
"""
import base64
import gzip
import hashlib
import pathlib
import sys


def main() -> None:
    module, version, output = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3])
    here = pathlib.Path(__file__).resolve().parent
    template = (here / "verify.html").read_text(encoding="utf-8")
    worker = (here / "worker.js").read_text(encoding="utf-8")
    main_js = (here / "main.js").read_text(encoding="utf-8").replace("@VERSION@", version)
    for name, text in (("worker.js", worker), ("main.js", main_js)):
        if "</script" in text.lower():
            sys.exit(f"{name} must not contain </script")
    packed = gzip.compress(pathlib.Path(module).read_bytes(), compresslevel=9, mtime=0)
    # The inline script runs only under its own hash (Content-Security-Policy).
    script_hash = "sha256-" + base64.b64encode(hashlib.sha256(main_js.encode()).digest()).decode()
    page = (
        template.replace("@SCRIPT_HASH@", script_hash)
        .replace("@VERSION@", version)
        .replace("@WASM_GZIP_BASE64@", base64.b64encode(packed).decode())
        .replace("@WORKER@", worker)
        .replace("@MAIN@", main_js)
    )
    output.write_bytes(page.encode("utf-8"))


if __name__ == "__main__":
    main()
