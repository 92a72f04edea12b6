#!/usr/bin/env bash
# Builds the VS Code extension (npm, TypeScript) in a scratch copy, so the
# source tree stays clean, and checks the output is there.
set -euo pipefail
source_dir="$(cd "$(dirname "$0")/../../editors/vscode" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$source_dir"/. "$work"/
rm -rf "$work/node_modules" "$work/out"
cd "$work"
npm ci --no-audit --no-fund --loglevel=error
npm run --silent compile
test -s out/extension.js
node -e "const p = require('./package.json'); if (!p.contributes.languages.some(l => l.id === 'cadence')) process.exit(1)"
echo "vscode extension built: out/extension.js ($(wc -c < out/extension.js) bytes)"
echo "1 passed, 0 failed"
