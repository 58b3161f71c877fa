#!/usr/bin/env python3
"""Assembles the offline verification page from its parts, byte for byte
the same every time: the template, the worker and page scripts, and the
WebAssembly module (gzip without a time or name, then base64).

    assemble.py MODULE.wasm VERSION OUTPUT.html
"""
import base64
import html
import gzip
import hashlib
import pathlib
import sys


# The languages the verifier speaks, in the order of the command line's list
# (a language's own name is the `language-name` message of its file).
LANGUAGE_ORDER = ["en", "fr", "es", "ru", "zh", "ar", "vi"]


def language_options(i18n: pathlib.Path) -> str:
    """One <option> per language folder, named in its own language."""
    tags = sorted(
        (d.name for d in i18n.iterdir() if (d / "exhibit.ftl").is_file()),
        key=lambda t: (LANGUAGE_ORDER.index(t) if t in LANGUAGE_ORDER else len(LANGUAGE_ORDER), t),
    )
    options = []
    for tag in tags:
        name = tag
        for line in (i18n / tag / "exhibit.ftl").read_text(encoding="utf-8").splitlines():
            if line.startswith("language-name ="):
                name = line.split("=", 1)[1].strip()
        options.append(f'<option value="{tag}" lang="{tag}">{html.escape(name)}</option>')
    return "".join(options)


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
        .replace("@LANGUAGES@", language_options(here.parent.parent / "i18n"))
    )
    output.write_bytes(page.encode("utf-8"))


if __name__ == "__main__":
    main()
