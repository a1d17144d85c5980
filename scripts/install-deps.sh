#!/usr/bin/env bash
# Installs what attain needs on Debian 12: the apt packages listed in deps/apt-packages.txt
# (skipping those already installed), as root or through sudo. Later, npm packages via
# `npm ci` from the committed lock file.  Usage: scripts/install-deps.sh [build|test|bench]
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
