#!/usr/bin/env bash
# web_matrix.sh - the role x route matrix, generated from the route table (`attain serve
# --routes`) and checked against the expectations written by hand in tests/http/matrix.tsv:
# every route has a line (a new route without one fails), the table allows exactly the roles
# the line names, and the running server answers 401 to nobody, 403 to every role not named,
# something other than 401/403 to every role named, and 403 to every cross-rep and cross-team
# read or write of a person's pay (P-B, outside the rep's self and the manager's team).
set -uo pipefail
source "$2/tests/http/lib.sh"
web_setup "$1" "$2" "$3"

declare -A role_user=([admin]=admin [sales_ops]=ops [finance]=fin [manager]=mgr [rep]=rep [executive]=exec)
"$attain" serve --routes > "$tmp/routes.json" || bad "serve --routes failed"
jq -r '.[] | "\(.method)\t\(.pattern)\t\(if .rule == "public" then "public" else (.roles | join(",")) end)\t\(.rule)"' \
  "$tmp/routes.json" | sort > "$tmp/table.tsv"
grep -v '^#' "$2/tests/http/matrix.tsv" | cut -f1-3 | sort > "$tmp/expected.tsv"
diff <(cut -f1-2 "$tmp/table.tsv") <(cut -f1-2 "$tmp/expected.tsv") > "$tmp/routes.diff" ||
  { bad "routes and tests/http/matrix.tsv differ (< the table, > the tests):"; cat "$tmp/routes.diff"; }
diff <(cut -f1-3 "$tmp/table.tsv") "$tmp/expected.tsv" > "$tmp/roles.diff" ||
  { bad "the roles of routes differ from tests/http/matrix.tsv (< the table, > the tests):"; cat "$tmp/roles.diff"; }

checked=0
while IFS=$'\t' read -r method pattern roles path body; do
  case "$method" in ''|'#'*) continue ;; esac
  [ "$body" = - ] && body=
  rule=$(awk -F'\t' -v m="$method" -v p="$pattern" '$1==m && $2==p {print $4}' "$tmp/table.tsv")
  self_path=${path//\{self\}/P-A}; self_body=${body//\{self\}/P-A}
  other_path=${path//\{self\}/P-B}; other_body=${body//\{self\}/P-B}
  # nobody logged in
  req anon "$method" "$self_path" "$self_body"
  if [ "$roles" = public ]; then
    [ "$status" != 403 ] || bad "$method $pattern: public, but 403 without a log-in"
    checked=$((checked + 1))
    continue
  fi
  expect 401 "$method $pattern without a log-in"
  for role in admin sales_ops finance manager rep executive; do
    who=${role_user[$role]}
    req "$who" "$method" "$self_path" "$self_body"
    if [[ ",$roles," == *",$role,"* ]]; then
      [ "$status" != 401 ] && [ "$status" != 403 ] ||
        bad "$method $self_path as $role: refused ($status) but the role is allowed: $(head -c 200 "$tmp/body")"
      if [ "$rule" = person ] || [ "$rule" = body_person ]; then
        req "$who" "$method" "$other_path" "$other_body"
        if [ "$role" = rep ] || [ "$role" = manager ]; then
          expect 403 "$method $other_path as $role (another rep, outside the team)"
        else
          [ "$status" != 401 ] && [ "$status" != 403 ] ||
            bad "$method $other_path as $role: refused ($status)"
        fi
      fi
    else
      expect 403 "$method $self_path as $role (a role not allowed)"
    fi
    checked=$((checked + 1))
    # a log-out ends the session: log in again for the next route
    if [ "$method $pattern" = "DELETE /api/v1/session" ]; then login "$who"; fi
  done
done < "$2/tests/http/matrix.tsv"
[ "$checked" -gt 100 ] || bad "only $checked cells of the matrix were checked"

# lists show only what the role may see
req rep GET /api/v1/people
expect_json '[.items[].id] == ["P-A"]' "a rep's people"
req mgr GET /api/v1/people
expect_json '[.items[].id] == ["P-A","P-M"]' "a manager's people"
req exec GET /api/v1/people
expect_json '[.items[].id] == ["P-A","P-B","P-DEPART","P-M","P-NEW"]' "an executive's people"
# a rep's statement, HTML and PDF too; the manager's own
for f in html pdf text; do
  req rep GET "/api/v1/statements/P-A/2026-01?format=$f"; expect 200 "rep's statement as $f"
  req rep GET "/api/v1/statements/P-B/2026-01?format=$f"; expect 403 "another rep's statement as $f"
done
req mgr GET /api/v1/statements/P-B/2026-01; expect 403 "a statement outside the team"
req mgr GET /api/v1/people/P-M; expect 200 "a manager himself"
echo "matrix: $checked cells checked"
web_finish
