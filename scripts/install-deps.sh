#!/usr/bin/env bash
# Installs what attain needs on Debian 12: the apt packages listed in deps/apt-packages.txt
# (skipping those already installed), as root or through sudo; npm when node came without it
# (Debian's nodejs does); then the pages' npm packages (esbuild, Chart.js, playwright-core)
# with `npm ci` from web/package-lock.json when node_modules is missing or older than the lock.
# Usage: scripts/install-deps.sh [build|test|bench]
set -euo pipefail
want=${1:-build}
here=$(cd "$(dirname "$0")/.." && pwd)
list="$here/deps/apt-packages.txt"

missing=()
while read -r pkg rest; do
  case "$pkg" in ''|'#'*) continue ;; esac
  case "$rest" in
    *'[test]'*)  [ "$want" = test ] || [ "$want" = bench ] || continue ;;
    *'[bench]'*) [ "$want" = bench ] || continue ;;
  esac
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done < "$list"

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "install-deps: all ${want} packages present"
fi

# npm: part of some nodejs builds, a package of its own in Debian's
if ! command -v npm >/dev/null 2>&1; then
  echo "install-deps: installing npm"
  if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends npm >/dev/null
fi
stamp="$here/web/node_modules/.package-lock.json"
if [ ! -f "$stamp" ] || [ "$here/web/package-lock.json" -nt "$stamp" ]; then
  echo "install-deps: npm ci (web/)"
  (cd "$here/web" && npm ci --no-audit --no-fund --loglevel=error)
  touch "$stamp"
fi
