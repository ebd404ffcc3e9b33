#!/bin/sh
# Regenerates the demo bundle models/demo/ and, from its manifest, docs/openapi.json and docs/features.md. Run from anywhere.
set -eu
cd "$(dirname "$0")/../.."
/usr/bin/python3 tools/demo-model/train_demo.py "$@"
npx tsx --tsconfig tsconfig.base.json tools/demo-model/write-openapi.ts
