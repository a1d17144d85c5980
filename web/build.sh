#!/usr/bin/env bash
# build.sh - builds the pages (web/dist) for the CMake target `web`: `npm ci` when
# node_modules is missing or older than package-lock.json, then esbuild (build.mjs). A lock
# keeps two builds (two build directories) from installing or writing at once.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
command -v node >/dev/null && command -v npm >/dev/null || {
  echo "web: node and npm are needed to build the pages (scripts/install-deps.sh build installs them)" >&2
  exit 1
}
exec 9> "$here/.build.lock"
flock 9
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "web: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi
node build.mjs "$@"
