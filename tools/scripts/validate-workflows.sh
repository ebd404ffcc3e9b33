#!/usr/bin/env bash
# Validates GitHub Actions workflow files against the workflow schema with @action-validator/cli
# (WASM, runs offline). Usage: tools/scripts/validate-workflows.sh [file ...]
# Without arguments it checks every .github/workflows/*.yml|*.yaml. Exit status: 0 all valid,
# 1 a file is invalid (the validator's JSON report goes to stderr), 2 nothing to validate.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
validator="$root/node_modules/.bin/action-validator"
if [[ ! -x "$validator" ]]; then
  echo "validate-workflows: $validator not found; run npm ci first" >&2
  exit 2
fi

files=("$@")
if [[ ${#files[@]} -eq 0 ]]; then
  shopt -s nullglob
  files=("$root"/.github/workflows/*.yml "$root"/.github/workflows/*.yaml)
fi
if [[ ${#files[@]} -eq 0 ]]; then
  echo "validate-workflows: no workflow files found" >&2
  exit 2
fi

failed=0
for f in "${files[@]}"; do
  if out="$("$validator" "$f" 2>&1)"; then
    echo "ok      ${f#"$root"/}"
  else
    echo "INVALID ${f#"$root"/}" >&2
    echo "$out" >&2
    failed=1
  fi
done
exit "$failed"
