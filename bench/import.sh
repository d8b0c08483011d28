#!/usr/bin/env bash
# Import speed and memory against references measured in the same run.
#
# Generates a Wolves export (default 1,000,000 rows) with ../shared/tools/gen-wolves-csv.py, then
# times, each as a whole process, per round:
#   raw        sqlite3's own `.import --csv` into a fresh table of TEXT columns: a load that
#              validates nothing and builds no index (kept for history)
#   ref-first  the first-load reference: the best a sqlite3-only script does for the same result,
#              with no validation. Into a database made by `accounts migrate` (so the table and its
#              index are exactly the service's; not timed): `.import` into a staging table, then in
#              one transaction drop the lower(email) index, INSERT ... SELECT the six columns, and
#              create the index again
#   first      `accounts import-csv` into a fresh database (start-up and migrations included)
#   ref-again  the re-import reference: the same staging `.import` into the loaded reference
#              database, then one INSERT ... ON CONFLICT DO UPDATE ... WHERE (...) IS NOT (...)
#              that writes only changed rows
#   again      `accounts import-csv` of the same file into the loaded database (every row unchanged)
# Each reference script runs in two forms: its staging table a TEMP table (never written to the
# database file or its WAL: the fastest form found, so the reference the ratios use) and a table
# in the database itself, dropped in the same transaction (the form behind the issue's figures).
# Both run as the sqlite3 CLI runs by default (synchronous FULL; WAL, as `migrate` leaves the
# file); the service's 64 MiB page cache made them slower here, so they keep SQLite's default.
# Prints the median of each over the rounds, with the ratios first/ref-first and again/ref-again.
# The imports run with -Xmx256m, so finishing at all shows the heap stayed under 256 MB; the GC log
# gives the peak.
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

pragmas="PRAGMA synchronous = FULL;"
# $1: temp.staging (a TEMP table) or main.staging (in the database, dropped at the end)
stage() { if [ "$1" = temp.staging ]; then echo ".import --csv --schema temp \"$csv\" staging"; else echo ".import --csv \"$csv\" staging"; fi; }
drop() { [ "$1" = temp.staging ] || echo "DROP TABLE $1;"; }
first_sql() {
  echo "BEGIN IMMEDIATE;
DROP INDEX accounts_wolves_email;
INSERT INTO accounts_wolves (id_wolves, id_student, email, expiry, name_first, name_second)
  SELECT \"Member ID\", \"Student Number\", \"Contact Email\", \"Expiry\", \"First Name\", \"Last Name\"
  FROM $1;
CREATE INDEX accounts_wolves_email ON accounts_wolves (lower(email));
$(drop "$1")
COMMIT;"
}
again_sql() {
  echo "BEGIN IMMEDIATE;
INSERT INTO accounts_wolves (id_wolves, id_student, email, expiry, name_first, name_second)
  SELECT \"Member ID\", \"Student Number\", \"Contact Email\", \"Expiry\", \"First Name\", \"Last Name\"
  FROM $1 WHERE true
  ON CONFLICT (id_wolves) DO UPDATE SET
    id_student = excluded.id_student, email = excluded.email, expiry = excluded.expiry,
    name_first = excluded.name_first, name_second = excluded.name_second
  WHERE (id_student, email, expiry, name_first, name_second)
    IS NOT (excluded.id_student, excluded.email, excluded.expiry, excluded.name_first, excluded.name_second);
$(drop "$1")
COMMIT;"
}

# Each timed step starts with sync (outside its time): otherwise the previous step's writes, still
# being flushed, slow this step's fsyncs, and the order of the steps decides the figures.
now() { date +%s%N; }
seconds() { python3 -c "print(f'{($2 - $1) / 1e9:.3f}')"; }
db=$out/accounts.db
ref=$out/reference.db
refdb=$out/reference-db.db
raw=() reffirst=() first=() refagain=() again=() dbfirst=() dbagain=()
for round in $(seq "$rounds"); do
  rm -f "$out/raw.db"
  sync; t0=$(now); sqlite3 "$out/raw.db" ".import --csv \"$csv\" members"; t1=$(now)
  raw+=("$(seconds "$t0" "$t1")")

  rm -f "$ref" "$ref-wal" "$ref-shm" "$refdb" "$refdb-wal" "$refdb-shm"
  ACCOUNTS_DATABASE_URL="jdbc:sqlite:$ref" "$root/bin/accounts" migrate >/dev/null
  cp "$ref" "$refdb"
  sync; t0=$(now); sqlite3 "$ref" "$pragmas" "$(stage temp.staging)" "$(first_sql temp.staging)"; t1=$(now)
  reffirst+=("$(seconds "$t0" "$t1")")
  sync; t0=$(now); sqlite3 "$refdb" "$pragmas" "$(stage main.staging)" "$(first_sql main.staging)"; t1=$(now)
  dbfirst+=("$(seconds "$t0" "$t1")")

  rm -f "$db" "$db-wal" "$db-shm"
  sync; t0=$(now)
  ACCOUNTS_DATABASE_URL="jdbc:sqlite:$db" JAVA_OPTS="-Xmx256m -Xlog:gc:file=gc-first.log" \
    "$root/bin/accounts" import-csv --json "$csv" >"$out/first.json"
  t1=$(now)
  first+=("$(seconds "$t0" "$t1")")

  sync; t0=$(now); sqlite3 "$ref" "$pragmas" "$(stage temp.staging)" "$(again_sql temp.staging)"; t1=$(now)
  refagain+=("$(seconds "$t0" "$t1")")
  sync; t0=$(now); sqlite3 "$refdb" "$pragmas" "$(stage main.staging)" "$(again_sql main.staging)"; t1=$(now)
  dbagain+=("$(seconds "$t0" "$t1")")

  sync; t0=$(now)
  ACCOUNTS_DATABASE_URL="jdbc:sqlite:$db" JAVA_OPTS="-Xmx256m -Xlog:gc:file=gc-again.log" \
    "$root/bin/accounts" import-csv --json "$csv" >"$out/again.json"
  t1=$(now)
  again+=("$(seconds "$t0" "$t1")")
  echo "round $round: raw ${raw[-1]} s, ref-first ${reffirst[-1]} s (in-db staging ${dbfirst[-1]} s)," \
    "first ${first[-1]} s, ref-again ${refagain[-1]} s (in-db staging ${dbagain[-1]} s)," \
    "again ${again[-1]} s" >&2
done

# The references end as the import does: every row, its primary key and its index.
for r in "$ref" "$refdb"; do
  [ "$(sqlite3 "$r" "SELECT count(*) FROM accounts_wolves")" = "$rows" ] || { echo "$r did not load $rows rows" >&2; exit 1; }
  [ "$(sqlite3 "$r" "SELECT count(*) FROM sqlite_schema WHERE name = 'accounts_wolves_email'")" = 1 ] || { echo "$r lost its index" >&2; exit 1; }
  [ "$(sqlite3 "$r" "SELECT count(*) FROM sqlite_schema WHERE name = 'staging'")" = 0 ] || { echo "$r kept its staging table" >&2; exit 1; }
done

python3 - "$rows" "$out" "${raw[*]}" "${reffirst[*]}" "${first[*]}" "${refagain[*]}" "${again[*]}" "${dbfirst[*]}" "${dbagain[*]}" <<'PY'
import json, re, statistics, sys
rows, out = int(sys.argv[1]), sys.argv[2]
raw, reffirst, first, refagain, again, dbfirst, dbagain = (statistics.median(map(float, a.split())) for a in sys.argv[3:10])
f, a = (json.load(open(f"{out}/{n}.json")) for n in ("first", "again"))
assert f["status"] == "ok" and f["inserted"] == rows, f
assert a["status"] == "ok" and a["unchanged"] == rows, a
def peak(log):
    used = [int(m.group(1)) for m in re.finditer(r"(\d+)M->\d+M\(\d+M\)", open(log).read())]
    return max(used, default=0)
heap = max(peak(f"{out}/gc-first.log"), peak(f"{out}/gc-again.log"))
print(f"rows {rows:,} (median of {len(sys.argv[3].split())} rounds)")
print(f"raw sqlite3 .import        {raw:6.2f} s   (history: first/raw {first / raw:.2f}x, again/raw {again / raw:.2f}x)")
print(f"reference: script load     {reffirst:6.2f} s   (staging in the database: {dbfirst:.2f} s)")
print(f"first import               {first:6.2f} s   ratio {first / reffirst:.2f}x (target <= 1.5x; to in-database staging {first / dbfirst:.2f}x)")
print(f"reference: script upsert   {refagain:6.2f} s   (staging in the database: {dbagain:.2f} s)")
print(f"re-import                  {again:6.2f} s   ratio {again / refagain:.2f}x (target <= 1.5x; to in-database staging {again / dbagain:.2f}x)")
print(f"peak Java heap             {heap} MB (before a GC; -Xmx256m held, target < 256 MB)")
PY
