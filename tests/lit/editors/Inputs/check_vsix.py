#!/usr/bin/env python3
"""Checks a packaged VS Code extension (.vsix, a zip): the manifest, the
client entry point its package.json names, the grammar and the language
configuration it points to (equal to the repository's), and the language
client library the entry point requires.

Usage: check_vsix.py VSIX SOURCE_DIR
"""
import json
import re
import sys
import zipfile

vsix, source = sys.argv[1], sys.argv[2]
archive = zipfile.ZipFile(vsix)
names = set(archive.namelist())


def need(name):
    if name not in names:
        print(f"missing from the package: {name}")
        sys.exit(1)
    return archive.read(name)


need("extension.vsixmanifest")
manifest = json.loads(need("extension/package.json"))
entry = "extension/" + manifest["main"].lstrip("./")
script = need(entry).decode()
print("entry point:", entry)
if "vscode-languageclient" not in script or not re.search(r"""args: \[['"]lsp['"]""", script):
    print("the entry point does not start `cadence lsp` through vscode-languageclient")
    sys.exit(1)
need("extension/node_modules/vscode-languageclient/node.js")
print("language client: bundled")
language = manifest["contributes"]["languages"][0]
print("language:", language["id"], language["extensions"])
for path, repo in ((manifest["contributes"]["grammars"][0]["path"], "syntaxes/cadence.tmLanguage.json"),
                   (language["configuration"], "language-configuration.json")):
    packed = need("extension/" + path.lstrip("./"))
    with open(f"{source}/{repo}", "rb") as original:
        if packed != original.read():
            print(f"{path} differs from the repository's")
            sys.exit(1)
    print("same as the repository:", repo)
sources = [n for n in names if n.startswith("extension/src/")]
if sources:
    print("TypeScript sources were packaged:", sources)
    sys.exit(1)
print(f"{len(names)} files")
