#!/usr/bin/env bash
# clang-tidy (.clang-tidy) over the .cc files changed since BASE (default: the previous commit),
# using build/compile_commands.json. Prints findings; exits 1 when clang-tidy reports any.
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
BUILD=${BUILD:-build}
command -v clang-tidy >/dev/null || { echo "tidy-check: clang-tidy not installed, skipped"; exit 0; }
[[ -f $BUILD/compile_commands.json ]] || { echo "tidy-check: no $BUILD/compile_commands.json"; exit 0; }
base=${BASE:-$(git rev-parse --verify -q HEAD~1 || git hash-object -t tree /dev/null)}
files=$(git diff --name-only --diff-filter=ACMR "$base" -- '*.cc' | grep -v '^tests/fuzz/' || true)
[[ -n $files ]] || { echo "tidy-check: no changed .cc files"; exit 0; }
status=0
for f in $files; do
  out=$(clang-tidy -p "$BUILD" --quiet "$f" 2>/dev/null | grep -E 'warning:|error:' || true)
  if [[ -n $out ]]; then echo "$out"; status=1; fi
done
exit $status
