#!/usr/bin/env bash
# cli_help.sh - every command listed by `attain --help` has full help (`attain help X` and
# `attain X --help`), a section in the man page docs/attain.1, and unknown commands are usage
# errors (exit 2) that say how to find the commands.
set -euo pipefail
attain=$1 src=$2 tmp=$3
mkdir -p "$tmp"
"$attain" --help > "$tmp/usage.txt"
commands=$(awk '/^commands:/ {on=1; next} on && /^  [a-z]/ {print $1} on && /^$/ {exit}' "$tmp/usage.txt")
[ -n "$commands" ] || { echo "no commands found in attain --help"; exit 1; }
fail=0
for c in $commands; do
  "$attain" help "$c" > "$tmp/help-$c.txt" || { echo "attain help $c failed"; fail=1; continue; }
  grep -q "^usage: attain $c" "$tmp/help-$c.txt" || [ "$c" = help ] || [ "$c" = version ] ||
    { echo "attain help $c has no usage line"; fail=1; }
  grep -q "^\.B $c\b" "$src/docs/attain.1" || { echo "docs/attain.1 has no section for $c"; fail=1; }
done
for c in $commands; do
  case "$c" in help|version) continue ;; esac
  "$attain" "$c" --help > "$tmp/dash-$c.txt" || { echo "attain $c --help failed"; fail=1; }
  cmp -s "$tmp/dash-$c.txt" "$tmp/help-$c.txt" || { echo "attain $c --help differs from attain help $c"; fail=1; }
done
set +e
"$attain" frobnicate 2> "$tmp/unknown.txt"; rc=$?
set -e
[ "$rc" = 2 ] || { echo "unknown command exited $rc, want 2"; fail=1; }
grep -q "unknown command 'frobnicate'" "$tmp/unknown.txt" || { echo "unknown command message missing"; fail=1; }
grep -q "attain --help" "$tmp/unknown.txt" || { echo "unknown command gives no hint"; fail=1; }
"$attain" version | grep -q '^attain [0-9]' || { echo "attain version prints no version"; fail=1; }
[ $fail = 0 ] && echo "cli help: $(echo $commands | wc -w) commands checked"
exit $fail
