#!/usr/bin/env python3
"""seeds.py: regenerate the seed corpora tests/fuzz/corpus/{csv,config}/.

The seeds are the inputs the unit and command-line suites already use: the
string literals passed to the CSV reader in tests/check_table.c, the JSON texts
and --set overrides of tests/check_config.c and tests/check_cli.c, and
configs/*.json.  The C files are run through the preprocessor first (cc -E),
so macros such as MINIMAL or T(body) arrive expanded.  A config seed may carry
overrides after NUL bytes, as fuzz_config.c reads them.

A developer tool, not part of the build: run it from the source tree with the
build's include flags when the suites change, then look at `git status`.
    python3 tests/fuzz/seeds.py [cc flags, e.g. -I/path/to/builddir]
"""
import hashlib
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.normpath(os.path.join(HERE, "..", ".."))
LIT = r'"(?:[^"\\\n]|\\.)*"'
GROUP = r'((?:%s\s*)+)' % LIT


def decode(group):
    """Adjacent C string literals as bytes (escapes \\n \\t \\xHH \\ooo ...)."""
    out = bytearray()
    for lit in re.findall(LIT, group):
        s, i = lit[1:-1], 0
        while i < len(s):
            c = s[i]
            if c != "\\":
                out += c.encode()
                i += 1
                continue
            e = s[i + 1]
            i += 2
            if e == "x":
                m = re.match(r"[0-9a-fA-F]+", s[i:])
                out.append(int(m.group(0), 16) & 0xFF)
                i += len(m.group(0))
            elif e in "01234567":
                m = re.match(r"[0-7]{1,3}", s[i - 1:])
                out.append(int(m.group(0), 8) & 0xFF)
                i += len(m.group(0)) - 1
            else:
                out += {"n": b"\n", "t": b"\t", "r": b"\r", "0": b"\0", "\\": b"\\",
                        '"': b'"', "'": b"'", "a": b"\a", "b": b"\b", "f": b"\f",
                        "v": b"\v", "?": b"?"}[e]
    return bytes(out)


def preprocess(path, flags):
    cmd = ["cc", "-E", "-P", "-I" + os.path.join(TOP, "lib"), "-I" + os.path.join(TOP, "tests")]
    cmd += flags + [os.path.join(TOP, path)]
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def calls(text, names):
    pat = r"\b(?:%s)\s*\(\s*%s" % ("|".join(names), GROUP)
    return [decode(m.group(1)) for m in re.finditer(pat, text)]


def groups(text):
    return [decode(m.group(1)) for m in re.finditer(GROUP, text)]


CLI_PLACES = [(b"@DIABETES@", b"data/diabetes.csv"), (b"@DATA@", b"data.csv"),
              (b"@OUT@", b"out"), (b"@CONFIG@", b"config.json"), (b"@DIR@", b".")]


def cli_text(b):
    """A check_cli.c template as the program would read it: ' is ", and the
    placeholders become relative paths."""
    b = b.replace(b"'", b'"')
    for k, v in CLI_PLACES:
        b = b.replace(k, v)
    return b


def write(folder, seeds, limit=4096):
    os.makedirs(folder, exist_ok=True)
    kept = 0
    for b in sorted(set(seeds)):
        if not b or len(b) > limit:
            continue
        name = hashlib.sha1(b).hexdigest()[:16]
        with open(os.path.join(folder, name), "wb") as f:
            f.write(b)
        kept += 1
    print("%s: %d seeds" % (os.path.relpath(folder, TOP), kept))


def main():
    flags = sys.argv[1:]
    fmt = re.compile(rb"%[-0-9.*]*(?:s|d|zu|g|ld)")

    table = preprocess("tests/check_table.c", flags)
    csv = calls(table, ["read_ok", "expect_error", "read_text"])
    cli = preprocess("tests/check_cli.c", flags)
    for b in groups(cli):
        if b"\n" in b and not b.lstrip().startswith(b"{") and not fmt.search(b):
            csv.append(cli_text(b))
    with open(os.path.join(TOP, "configs/data/diabetes.csv"), "rb") as f:
        csv.append(b"".join(f.readlines()[:12]))

    conf_src = preprocess("tests/check_config.c", flags)
    config = [b for b in groups(conf_src) if b.lstrip().startswith(b"{") and not fmt.search(b)]
    overrides = [b for b in groups(conf_src) + groups(cli)
                 if re.match(rb"^[a-z_]+\.[a-z_0-9]+=", b) and not fmt.search(b)]
    minimal = b'{"data": {"train": "d.csv"}}'
    config += [minimal + b"\0" + ov for ov in overrides]
    config += [cli_text(b) for b in groups(cli) if b.lstrip().startswith(b"{") and not fmt.search(b)]
    for name in sorted(os.listdir(os.path.join(TOP, "configs"))):
        if name.endswith(".json"):
            with open(os.path.join(TOP, "configs", name), "rb") as f:
                config.append(f.read())

    write(os.path.join(HERE, "corpus", "csv"), csv)
    write(os.path.join(HERE, "corpus", "config"), config)


if __name__ == "__main__":
    main()
