#!/usr/bin/env bash
# Walks the JSON API (the routes of the society's previous backend) end to end with curl, the way
# its web front-end uses it: signup, changing name, keys and address, recovering a username, a
# password by mail, and a password by SSH signature. Reads the mail from dev's /dev/mail.json.
#
#   examples/api-walkthrough.sh                 starts its own `accounts dev` on free ports, in a
#                                               throwaway data directory, with one member,
#                                               sean.obriain, current for a year from today; and
#                                               stops it at the end
#   ACCOUNTS_URL=http://localhost:8080 examples/api-walkthrough.sh
#                                               uses a running `accounts dev` instead; it must
#                                               have the member sean.obriain@example.com, current
#                                               and without an account (the samples do until
#                                               their expiry, 2027-08-31, in a fresh --data
#                                               directory; else pass dev --members FILE)
#
# Needs curl, jq and ssh-keygen (Debian: apt-get install curl jq openssh-client).
# Exits 0 when every step answered as documented in /api/openapi.yaml, 1 at the first that did not.
set -euo pipefail

for tool in curl jq ssh-keygen; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "error: $tool is needed; on Debian: apt-get install curl jq openssh-client" >&2
    exit 1
  fi
done

work=$(mktemp -d)
dev_pid=""
cleanup() {
  if [[ -n "$dev_pid" ]]; then
    kill "$dev_pid" 2>/dev/null || true
    wait "$dev_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

if [[ -n "${ACCOUNTS_URL:-}" ]]; then
  base=${ACCOUNTS_URL%/}
else
  root=$(cd "$(dirname "$0")/.." && pwd)
  # The shipped samples expire on fixed dates: this member is current on whatever day it runs.
  expiry=$(date -u -d '+1 year' +%F 2>/dev/null || date -u -v+1y +%F) # GNU date, else BSD
  printf '%s\n' "Member ID,Student Number,First Name,Last Name,Contact Email,Expiry" \
    "W200002,24100002,Seán,Ó Briain,sean.obriain@example.com,$expiry" >"$work/members.csv"
  echo "starting accounts dev on free ports (log: $work/dev.log)"
  # Port 0: dev picks free ports itself and prints them; ports guessed free here could be taken.
  "$root/bin/accounts" dev --port 0 --ldap-port 0 --smtp-port 0 \
    --data "$work/data" --members "$work/members.csv" >"$work/dev.log" 2>&1 &
  dev_pid=$!
  base=""
  # The first run builds the jar, which takes a while.
  for i in $(seq 1 600); do
    if [[ -z "$base" ]]; then
      base=$(sed -n 's#^ *Web: *\(http://[^ ]*\)/ *$#\1#p' "$work/dev.log" | head -1)
    fi
    if [[ -n "$base" ]] && curl -fs "$base/health/live" >/dev/null 2>&1; then
      break
    fi
    if ! kill -0 "$dev_pid" 2>/dev/null; then
      echo "error: accounts dev stopped; its log:" >&2
      cat "$work/dev.log" >&2
      exit 1
    fi
    if [[ $i == 600 ]]; then
      echo "error: accounts dev did not answer at ${base:-its Web: address} within 5 minutes" >&2
      exit 1
    fi
    sleep 0.5
  done
fi

step=0
# api ROUTE JSON EXPECTED_STATUS: posts the JSON and checks the status and the result field;
# leaves the reply in $reply.
api() {
  local route=$1 body=$2 expected=$3 status
  step=$((step + 1))
  status=$(curl -s -o "$work/reply" -w '%{http_code}' -X POST "$base$route" \
    -H 'Content-Type: application/json' --data-binary "$body")
  reply=$(cat "$work/reply")
  local result
  result=$(jq -r '.result' <<<"$reply" 2>/dev/null || echo "not JSON")
  local want=success
  [[ $expected == 200 ]] || want=error
  if [[ $status != "$expected" || $result != "$want" ]]; then
    echo "FAIL step $step: POST $route answered $status $reply; expected $expected and $want" >&2
    exit 1
  fi
  echo "ok $step - POST $route -> $status $reply"
}

# mail TO SUBJECT: waits for the newest mail to TO with SUBJECT; leaves it in $mail.
mail() {
  local to=$1 subject=$2
  for _ in $(seq 1 100); do
    mail=$(curl -fs "$base/dev/mail.json" |
      jq -c --arg to "$to" --arg subject "$subject" \
        '[.[] | select((.to | ascii_downcase) == ($to | ascii_downcase) and .subject == $subject)] | first // empty')
    if [[ -n "$mail" ]]; then
      echo "   mail to $to: \"$subject\""
      return
    fi
    sleep 0.2
  done
  echo "FAIL: no mail \"$subject\" to $to arrived" >&2
  exit 1
}

token_of() { jq -r '.links[0]' <<<"$mail" | sed 's#.*/##'; }

member=sean.obriain@example.com
new_address=sean@new.example.net
first='correct horse battery staple lime'
second='violet anchor gravel pocket'
third='amber tugboat quietly sings'

echo "== signup"
api /ldap/new/email "{\"email\":\"$member\"}" 200
mail "$member" "Choose your Skynet username and password"
auth=$(token_of)
api /ldap/new/account "{\"auth\":\"$auth\",\"user\":\"sean\",\"pass\":\"password1234\"}" 422
api /ldap/new/account "{\"auth\":\"$auth\",\"user\":\"sean\",\"pass\":\"$first\"}" 200
mail "$member" "Welcome to Skynet"
api /ldap/new/account "{\"auth\":\"$auth\",\"user\":\"sean\",\"pass\":\"$first\"}" 410

echo "== update"
api /ldap/update "{\"user\":\"sean\",\"pass\":\"wrong\",\"field\":\"cn\",\"value\":\"X\"}" 401
api /ldap/update "{\"user\":\"sean\",\"pass\":\"$first\",\"field\":\"cn\",\"value\":\"Seán Ó Briain\"}" 200
ssh-keygen -q -t ed25519 -N '' -C sean@laptop -f "$work/id_ed25519"
key=$(cat "$work/id_ed25519.pub")
api /ldap/update "$(jq -nc --arg pass "$first" --arg key "$key" \
  '{user:"sean",pass:$pass,field:"sshPublicKey",value:$key}')" 200
[[ $(jq -r '.sshPublicKey[0]' <<<"$reply") == "$key" ]] || { echo "FAIL: key not stored" >&2; exit 1; }
mail "$member" "The SSH keys of your Skynet account changed"
api /ldap/update "{\"user\":\"sean\",\"pass\":\"$first\",\"field\":\"sshPublicKey\",\"value\":\"ssh-dss AAAA\"}" 422
api /ldap/update "{\"user\":\"sean\",\"pass\":\"$first\",\"field\":\"mail\",\"value\":\"$new_address\"}" 200
mail "$new_address" "Confirm your new Skynet contact address"
# The address changes when the member opens the link and confirms, as in a browser.
link=$(jq -r '.links[0]' <<<"$mail")
csrf=$(curl -fs -c "$work/cookies" "$link" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -fsL -b "$work/cookies" "$link" --data-urlencode "csrf=$csrf" | grep -q "is now $new_address" ||
  { echo "FAIL: the address link did not confirm" >&2; exit 1; }
echo "   confirmed $new_address by its link"
mail "$member" "Your Skynet contact address was changed"
api /ldap/update "{\"user\":\"sean\",\"pass\":\"$first\",\"field\":\"cn\",\"value\":\"Seán Ó Briain\"}" 200
[[ $(jq -r '.mail' <<<"$reply") == "$new_address" ]] || { echo "FAIL: mail is not $new_address" >&2; exit 1; }

echo "== recovery by mail"
api /ldap/recover/username "{\"email\":\"$new_address\"}" 200
mail "$new_address" "Your Skynet username"
jq -r '.text' <<<"$mail" | tr -d '\r' | grep -qx '  sean' || { echo "FAIL: username not in the mail" >&2; exit 1; }
api /ldap/recover/password '{"user":"sean"}' 200
mail "$new_address" "Choose a new Skynet password"
api /ldap/recover/password/auth "{\"auth\":\"$(token_of)\",\"pass\":\"$second\"}" 200
api /ldap/update "{\"user\":\"sean\",\"pass\":\"$first\",\"field\":\"cn\",\"value\":\"X\"}" 401

echo "== recovery by SSH signature"
api /ldap/recover/ssh/request "{\"user\":\"sean\",\"email\":\"$new_address\"}" 200
# keys is always empty: listing them would tell anyone whether the username and address match.
jq -j '.auth' <<<"$reply" >"$work/challenge.txt"
ssh-keygen -q -Y sign -n file -f "$work/id_ed25519" "$work/challenge.txt" 2>/dev/null
api /ldap/recover/ssh/verify "$(jq -nc --rawfile sig "$work/challenge.txt.sig" '{user:"sean",auth_signed:$sig}')" 200
api /ldap/recover/password/auth "{\"auth\":\"$(jq -r '.auth' <<<"$reply")\",\"pass\":\"$third\"}" 200
api /ldap/recover/ssh/verify "$(jq -nc --rawfile sig "$work/challenge.txt.sig" '{user:"sean",auth_signed:$sig}')" 401
api /ldap/update "{\"user\":\"sean\",\"pass\":\"$third\",\"field\":\"cn\",\"value\":\"Seán Ó Briain\"}" 200

echo "all $step API calls answered as documented"
