#!/usr/bin/env bash
# Runs every benchmark: each bench/*/run.sh gets the benchmark build directory as $1 and the
# release binary as $2, and prints its own figures.  Usage: bench/run-all.sh BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:?usage: bench/run-all.sh BUILD_DIR}" && pwd)
attain="$here/../build/attain"
status=0
for script in "$here"/*/run.sh; do
  [ -e "$script" ] || continue
  name=$(basename "$(dirname "$script")")
  echo "== bench/$name"
  bash "$script" "$build" "$attain" || { echo "bench/$name failed"; status=1; }
  echo
done
exit $status
