#!/usr/bin/env bash
# Signup throughput and mail latency against `accounts dev`, with a reference from the same run.
#
# Starts `accounts dev` on loopback with the per-client limit raised and a generated export of
# members, then:
#   burst    200 signup requests at once (32 at a time, each for another member); time from the
#            first request until the mail catcher has accepted all 200 mails
#   health   wrk: GET /health/live (the reference: the same server doing no work)
#   signup   wrk: POST /signup, each request for another address (half members, half not), with
#            a valid CSRF cookie and token
# and prints requests/s and p99 latency of each, and the ratios of signup to health.
# Targets on a 2-core machine: signup >= 1,000 requests/s with p99 < 100 ms at 32 connections;
# the 200-mail burst delivered within 5 s.
#
# Usage: bench/signup.sh [SECONDS] [CONNECTIONS]
set -euo pipefail
duration=${1:-15}
connections=${2:-32}
threads=2
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$root/bench/out/signup
rm -rf "$out"
mkdir -p "$out"

for tool in wrk python3 curl; do
  if ! command -v "$tool" >/dev/null; then
    if [ "$(id -u)" = 0 ] && [ "$tool" = wrk ]; then
      apt-get install -y -q wrk >/dev/null || { apt-get update -q && apt-get install -y -q wrk; }
    else
      echo "bench/signup.sh needs $tool (Debian: apt-get install $tool)" >&2
      exit 1
    fi
  fi
done

generator=$root/../shared/tools/gen-wolves-csv.py
[ -f "$generator" ] || { echo "missing $generator (shared/ must sit beside this checkout)" >&2; exit 1; }
members=60000
python3 "$generator" "$members" --expired-ratio 0 > "$out/members.csv"
# Addresses: the first 200 members for the burst; then members and strangers alternating for wrk.
python3 - "$out" <<'PY'
import csv, sys
out = sys.argv[1]
emails = [row["Contact Email"] for row in csv.DictReader(open(f"{out}/members.csv", encoding="utf-8"))]
open(f"{out}/burst.txt", "w").write("\n".join(emails[:200]) + "\n")
mixed, seen = [], set(e.lower() for e in emails[:200])
for i, email in enumerate(emails[200:]):
    if email.lower() in seen:
        continue  # the generator repeats a few addresses; each may ask once a minute
    seen.add(email.lower())
    mixed.append(email)
    mixed.append(f"stranger{i}@example.net")
open(f"{out}/load.txt", "w").write("\n".join(mixed) + "\n")
PY

"$root/bin/accounts" --help >/dev/null # builds the jar outside the timings
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
ACCOUNTS_SIGNUP_CLIENT_BURST=1000000 ACCOUNTS_LOG_LEVEL=WARN \
  "$root/bin/accounts" dev --port "$port" --ldap-port 0 --smtp-port 0 --data "$out/dev-data" \
  --members "$out/members.csv" >"$out/dev.log" 2>&1 &
dev=$!
trap 'kill $dev 2>/dev/null; wait $dev 2>/dev/null || true' EXIT
for _ in $(seq 120); do
  grep -q 'Stop with Ctrl-C' "$out/dev.log" && break
  kill -0 $dev 2>/dev/null || { cat "$out/dev.log" >&2; exit 1; }
  sleep 0.5
done
grep -q 'Stop with Ctrl-C' "$out/dev.log" || { echo "accounts dev did not start" >&2; cat "$out/dev.log" >&2; exit 1; }

# A CSRF cookie and its form token, as a browser would have them.
page=$(curl -s -c "$out/cookies.txt" "$base/signup")
token=$(printf '%s' "$page" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
cookie="csrf=$(awk '$6 == "csrf" {print $7}' "$out/cookies.txt")"
[ -n "$token" ] && [ "$cookie" != "csrf=" ] || { echo "could not get a CSRF token from $base/signup" >&2; exit 1; }

echo "burst: 200 signup requests, then waiting for 200 mails at the catcher ..."
burst=$(python3 - "$base" "$cookie" "$token" "$out/burst.txt" <<'PY'
import json, sys, time, urllib.parse, urllib.request
from concurrent.futures import ThreadPoolExecutor
base, cookie, token, path = sys.argv[1:]
emails = open(path).read().split()
def ask(email):
    body = urllib.parse.urlencode({"csrf": token, "email": email}).encode()
    req = urllib.request.Request(base + "/signup", data=body, headers={"Cookie": cookie})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status
start = time.monotonic()
with ThreadPoolExecutor(32) as pool:
    statuses = list(pool.map(ask, emails))
answered = time.monotonic() - start
bad = [s for s in statuses if s != 200]
if bad:
    sys.exit(f"{len(bad)} burst requests were not answered 200: {sorted(set(bad))}")
while True:
    with urllib.request.urlopen(base + "/dev/mail.json", timeout=30) as r:
        count = len(json.load(r))
    if count >= len(emails):
        break
    if time.monotonic() - start > 120:
        sys.exit(f"only {count} of {len(emails)} mails arrived within 120 s")
    time.sleep(0.05)
print(f"{answered:.2f} {time.monotonic() - start:.2f}")
PY
)
read -r burst_answered burst_delivered <<<"$burst"

# Each run first warms up for 3 s (JIT, pools, page cache); the signup warm-up uses the second
# half of the addresses, so the measured run never meets the one-a-minute limit of an address.
half=$(( $(wc -l <"$out/load.txt") / 2 ))
echo "health: wrk GET /health/live for ${duration}s at $connections connections ..."
wrk -t"$threads" -c"$connections" -d3s "$base/health/live" >/dev/null
wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "$base/health/live" >"$out/health.txt"
echo "signup: wrk POST /signup for ${duration}s at $connections connections ..."
signup_args=(-s "$root/bench/signup.lua" "$base/signup" -- "$out/load.txt" "$cookie" "$token" "$threads")
wrk -t"$threads" -c"$connections" -d3s "${signup_args[@]}" "$half" >/dev/null
wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "${signup_args[@]}" 0 >"$out/signup.txt"

python3 - "$out" "$connections" "$burst_answered" "$burst_delivered" <<'PY'
import re, sys
out, connections, answered, delivered = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
def parse(name):
    text = open(f"{out}/{name}.txt").read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    value, unit = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", text, re.M).groups()
    p99 = float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    errors = re.search(r"Socket errors: (.*)", text)
    return rps, p99, int(bad.group(1)) if bad else 0, errors.group(1) if errors else "none"
health, signup = parse("health"), parse("signup")
print()
print(f"{'run':<8} {'requests/s':>11} {'p99':>10} {'non-2xx':>8}  socket errors")
for name, (rps, p99, bad, errors) in (("health", health), ("signup", signup)):
    print(f"{name:<8} {rps:>11.0f} {p99:>8.1f}ms {bad:>8}  {errors}")
print(f"signup/health: {signup[0] / health[0]:.3f}x the requests/s, {signup[1] / health[1]:.1f}x the p99")
print(f"signup at {connections} connections: {signup[0]:.0f} requests/s (target >= 1000),"
      f" p99 {signup[1]:.1f} ms (target < 100)")
print(f"200-mail burst: requests answered in {answered:.2f} s, all 200 mails at the catcher after"
      f" {delivered:.2f} s (target <= 5)")
if signup[2]:
    print(f"warning: {signup[2]} signup responses were not 2xx (see {out}/signup.txt)")
PY
