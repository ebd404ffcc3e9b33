#!/bin/sh
# Regenerates docs/openapi.json, docs/features.md and the demo bundle models/demo/. Run from anywhere.
set -eu
cd "$(dirname "$0")/../.."
npx tsx --tsconfig tsconfig.base.json tools/demo-model/write-openapi.ts
npx tsx --tsconfig tsconfig.base.json tools/demo-model/export-features.ts
/usr/bin/python3 tools/demo-model/train_demo.py "$@"
