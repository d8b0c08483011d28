#!/usr/bin/env bash
# Import speed and memory against a reference measured in the same run.
#
# Generates a Wolves export (default 1,000,000 rows) with ../shared/tools/gen-wolves-csv.py, then
# times, each as a whole process:
#   raw     sqlite3's own `.import --csv` into a fresh table of TEXT columns: a load that
#           validates nothing (the reference)
#   first   `accounts import-csv` into a fresh database (start-up and migrations included)
#   again   `accounts import-csv` of the same file into that database (every row unchanged)
# and prints the median of each over the rounds, with the ratios to raw. The imports run with
# -Xmx256m, so finishing at all shows the heap stayed under 256 MB; the GC log gives the peak.
#
# Usage: bench/import.sh [ROWS] [ROUNDS]
set -euo pipefail
rows=${1:-1000000}
rounds=${2:-3}
[ "$rounds" -ge 1 ] 2>/dev/null || { echo "ROUNDS must be a whole number >= 1, got '$rounds'" >&2; exit 2; }
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$root/bench/out
mkdir -p "$out"

if ! command -v sqlite3 >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y -q sqlite3 >/dev/null || { apt-get update -q && apt-get install -y -q sqlite3; }
  else
    echo "bench/import.sh needs sqlite3 (Debian: apt-get install sqlite3)" >&2
    exit 1
  fi
fi

csv=$out/members-$rows.csv
if [ ! -s "$csv" ]; then
  generator=$root/../shared/tools/gen-wolves-csv.py
  [ -f "$generator" ] || { echo "missing $generator (shared/ must sit beside this checkout)" >&2; exit 1; }
  echo "generating $rows rows into $csv ..." >&2
  python3 "$generator" "$rows" > "$csv.tmp" && mv "$csv.tmp" "$csv"
fi

"$root/bin/accounts" --help >/dev/null # builds the jar (and its class-data archive) outside the timings
cd "$out" # the GC logs are named relative to it: JAVA_OPTS cannot quote a path with spaces

now() { date +%s%N; }
seconds() { python3 -c "print(f'{($2 - $1) / 1e9:.3f}')"; }
db=$out/accounts.db
export ACCOUNTS_DATABASE_URL="jdbc:sqlite:$db"
raw=() first=() again=()
for round in $(seq "$rounds"); do
  rm -f "$out/raw.db"
  t0=$(now); sqlite3 "$out/raw.db" ".import --csv \"$csv\" members"; t1=$(now)
  raw+=("$(seconds "$t0" "$t1")")

  rm -f "$db" "$db-wal" "$db-shm"
  t0=$(now)
  JAVA_OPTS="-Xmx256m -Xlog:gc:file=gc-first.log" "$root/bin/accounts" import-csv --json "$csv" >"$out/first.json"
  t1=$(now)
  first+=("$(seconds "$t0" "$t1")")

  t0=$(now)
  JAVA_OPTS="-Xmx256m -Xlog:gc:file=gc-again.log" "$root/bin/accounts" import-csv --json "$csv" >"$out/again.json"
  t1=$(now)
  again+=("$(seconds "$t0" "$t1")")
  echo "round $round: raw ${raw[-1]} s, first ${first[-1]} s, again ${again[-1]} s" >&2
done

python3 - "$rows" "$out" "${raw[*]}" "${first[*]}" "${again[*]}" <<'PY'
import json, re, statistics, sys
rows, out = int(sys.argv[1]), sys.argv[2]
raw, first, again = (statistics.median(map(float, a.split())) for a in sys.argv[3:6])
f, a = (json.load(open(f"{out}/{n}.json")) for n in ("first", "again"))
assert f["status"] == "ok" and f["inserted"] == rows, f
assert a["status"] == "ok" and a["unchanged"] == rows, a
def peak(log):
    used = [int(m.group(1)) for m in re.finditer(r"(\d+)M->\d+M\(\d+M\)", open(log).read())]
    return max(used, default=0)
heap = max(peak(f"{out}/gc-first.log"), peak(f"{out}/gc-again.log"))
print(f"rows {rows:,} (median of {len(sys.argv[3].split())} rounds)")
print(f"raw sqlite3 .import  {raw:6.2f} s")
print(f"first import         {first:6.2f} s   ratio {first / raw:.2f}x (target <= 1.5x)")
print(f"re-import            {again:6.2f} s   ratio {again / raw:.2f}x (target <= 1.5x)")
print(f"peak Java heap       {heap} MB (before a GC; -Xmx256m held, target < 256 MB)")
PY
