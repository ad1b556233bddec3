#!/usr/bin/env bash
# clang-format check of the C++ files changed since BASE (default: the previous commit), or of
# every tracked file with --all.
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
if [[ "${1:-}" == "--all" ]]; then
  files=$(git ls-files '*.cc' '*.h')
else
  base=${BASE:-$(git rev-parse --verify -q HEAD~1 || git hash-object -t tree /dev/null)}
  files=$(git diff --name-only --diff-filter=ACMR "$base" -- '*.cc' '*.h')
fi
bad=0
for f in $files; do
  [[ -f $f ]] || continue
  if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then echo "not clang-formatted: $f"; bad=1; fi
done
exit $bad
