#!/usr/bin/env bash
# sync-groups speed against a reference measured in the same run, on Debian's slapd.
#
# Sets up slapd on loopback from deploy/ldap (the shipped schemas, access.conf and the service's
# limits, in slapd.conf form) with N member entries (default 10,000) under ou=users, all in the
# members group, and a database with N memberships, current, each linked to one of them. Then,
# per round, times each as a whole process:
#   search     the reference: one plain ldapsearch of every entry of ou=users by the service,
#              with the attributes sync-groups reads (uid, loginShell)
#   no-change  `accounts sync-groups`: everything is in step already
#   ten        `accounts sync-groups --force` after 10% of the memberships lapsed: those leave the
#              members group and get the disabled shell (one write each), and their status changes
#   start-up   `accounts migrate` on the current database: a command that starts, opens the
#              database and changes nothing; not a reference, but how much of a sync is start-up
# After each round a sync (not timed) gives the lapsed their access back, so the rounds match.
# Prints the medians and the ratios to the reference. Targets: no-change within 3x of the search,
# ten within 10x.
#
# Usage: bench/sync-groups.sh [MEMBERS] [ROUNDS]
set -euo pipefail
members=${1:-10000}
rounds=${2:-3}
[ "$members" -ge 10 ] 2>/dev/null || { echo "MEMBERS must be a whole number >= 10, got '$members'" >&2; exit 2; }
[ "$rounds" -ge 1 ] 2>/dev/null || { echo "ROUNDS must be a whole number >= 1, got '$rounds'" >&2; exit 2; }
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

missing=()
command -v slapd >/dev/null || [ -x /usr/sbin/slapd ] || missing+=(slapd)
command -v ldapsearch >/dev/null || missing+=(ldap-utils)
command -v sqlite3 >/dev/null || missing+=(sqlite3)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q "${missing[@]}" >/dev/null || { apt-get update -q && apt-get install -y -q "${missing[@]}"; }
  else
    echo "bench/sync-groups.sh needs: ${missing[*]} (Debian: apt-get install ${missing[*]})" >&2
    exit 1
  fi
fi
slapd=$(command -v slapd || echo /usr/sbin/slapd)
slapadd=$(command -v slapadd || echo /usr/sbin/slapadd)

out=$root/bench/out/sync-groups
rm -rf "$out"
mkdir -p "$out/db"
base=dc=skynet,dc=ie
service=cn=accounts-service,$base
password=bench-service-password
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

"$root/bin/accounts" --help >/dev/null # builds the jar (and its class-data archive) outside the timings

# The service's limits as limits.ldif gives them, in the slapd.conf form its comment shows.
limits=$(sed -n 's/^#   limits /limits /p' "$root/deploy/ldap/limits.ldif")
[ -n "$limits" ] || { echo "deploy/ldap/limits.ldif has no slapd.conf form of its limits" >&2; exit 1; }
cat > "$out/slapd.conf" <<EOF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/nis.schema
include /etc/ldap/schema/inetorgperson.schema
include $root/deploy/ldap/schema/openssh-lpk.schema
include $root/deploy/ldap/schema/skynet.schema
pidfile $out/slapd.pid
modulepath /usr/lib/ldap
moduleload back_mdb
database mdb
suffix "$base"
rootdn "cn=admin,$base"
rootpw bench-root-password
directory $out/db
maxsize 1073741824
index uid eq
include $root/deploy/ldap/access.conf
# The database's own rules, after the service's, as Debian's default configuration has them.
access to attrs=userPassword by self write by anonymous auth by * none
access to attrs=shadowLastChange by self write by * read
access to * by * read
$limits
EOF

# base.ldif with the service's password and every member in the members group, then the members.
python3 - "$root/deploy/ldap/base.ldif" "$members" "$password" > "$out/data.ldif" <<'PY'
import sys
ldif, members, password = sys.argv[1], int(sys.argv[2]), sys.argv[3]
blocks = open(ldif).read().split("\n\n")
for block in blocks:
    lines = [l for l in block.strip().splitlines() if not l.startswith("#")]
    if not lines:
        continue
    if lines[0].startswith("dn: cn=accounts-service,"):
        lines.append("userPassword: " + password)
    if lines[0].startswith("dn: cn=skynet-users,"):
        lines += [f"memberUid: m{i}" for i in range(members)]
    print("\n".join(lines) + "\n")
for i in range(members):
    print(f"""dn: uid=m{i},ou=users,dc=skynet,dc=ie
objectClass: inetOrgPerson
objectClass: posixAccount
uid: m{i}
cn: Member {i}
sn: Member
mail: m{i}@example.com
uidNumber: {10000 + i}
gidNumber: 1000
homeDirectory: /home/m{i}
loginShell: /bin/bash
employeeNumber: W{100000 + i}
""")
PY
"$slapadd" -q -f "$out/slapd.conf" -l "$out/data.ldif"
"$slapd" -f "$out/slapd.conf" -h "ldap://127.0.0.1:$port/"
trap 'kill "$(cat "$out/slapd.pid" 2>/dev/null)" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  ldapsearch -x -H "ldap://127.0.0.1:$port" -b "" -s base >/dev/null 2>&1 && break
  sleep 0.2
done

cat > "$out/accounts.conf" <<EOF
database.url=jdbc:sqlite:$out/accounts.db
ldap.host=127.0.0.1
ldap.port=$port
ldap.security=none
ldap.bind-dn=$service
ldap.bind-password=$password
EOF
accounts() { "$root/bin/accounts" "$@" --config "$out/accounts.conf"; }

# The memberships, current, each linked to the entry of the same number.
current=$(date -u -d '+1 year' +%F)
lapsed=$(date -u -d '-30 days' +%F)
python3 - "$members" "$current" > "$out/members.csv" <<'PY'
import sys
members, expiry = int(sys.argv[1]), sys.argv[2]
print("Member ID,Student Number,First Name,Last Name,Contact Email,Expiry,Membership Type")
for i in range(members):
    print(f"W{100000 + i},{24000000 + i},Member,{i},m{i}@example.com,{expiry},Student")
PY
accounts import-csv "$out/members.csv" >/dev/null
sqlite3 "$out/accounts.db" "INSERT INTO accounts (username, id_wolves, email, created_at, status)
  SELECT 'm' || (CAST(substr(id_wolves, 2) AS INTEGER) - 100000), id_wolves, email,
         '2026-01-01T00:00:00Z', 'active' FROM accounts_wolves"

now() { date +%s%N; }
seconds() { python3 -c "print(f'{($2 - $1) / 1e9:.3f}')"; }
tenth="CAST(substr(id_wolves, 2) AS INTEGER) % 10 = 0"
search=() nochange=() ten=() startup=()
for round in $(seq "$rounds"); do
  t0=$(now)
  found=$(ldapsearch -x -LLL -H "ldap://127.0.0.1:$port" -D "$service" -w "$password" \
    -b "ou=users,$base" -s one "(uid=*)" uid loginShell | grep -c '^dn: ')
  t1=$(now)
  [ "$found" = "$members" ] || { echo "the reference search found $found entries, not $members" >&2; exit 1; }
  search+=("$(seconds "$t0" "$t1")")

  t0=$(now)
  accounts sync-groups > "$out/no-change.txt"
  t1=$(now)
  grep -q "no change" "$out/no-change.txt" || { echo "expected no change:" >&2; cat "$out/no-change.txt" >&2; exit 1; }
  nochange+=("$(seconds "$t0" "$t1")")

  t0=$(now)
  accounts migrate > /dev/null
  t1=$(now)
  startup+=("$(seconds "$t0" "$t1")")

  sqlite3 "$out/accounts.db" "UPDATE accounts_wolves SET expiry = '$lapsed' WHERE $tenth"
  t0=$(now)
  accounts sync-groups --force --json > "$out/ten.json"
  t1=$(now)
  ten+=("$(seconds "$t0" "$t1")")
  python3 - "$out/ten.json" "$members" <<'PY'
import json, sys
result, members = json.load(open(sys.argv[1])), int(sys.argv[2])
assert result["status"] == "applied", result
assert len(result["leave"]) == members // 10 and len(result["shells"]) == members // 10, result["changes"]
PY

  sqlite3 "$out/accounts.db" "UPDATE accounts_wolves SET expiry = '$current' WHERE $tenth"
  accounts sync-groups > /dev/null # gives access back, untimed
  echo "round $round: search ${search[-1]} s, no-change ${nochange[-1]} s, ten ${ten[-1]} s," \
    "start-up ${startup[-1]} s" >&2
done

python3 - "$members" "${search[*]}" "${nochange[*]}" "${ten[*]}" "${startup[*]}" <<'PY'
import statistics, sys
members = int(sys.argv[1])
search, nochange, ten, startup = (statistics.median(map(float, a.split())) for a in sys.argv[2:6])
print(f"members {members:,} (median of {len(sys.argv[2].split())} rounds)")
print(f"reference: one ldapsearch  {search:6.2f} s")
print(f"sync-groups, no change     {nochange:6.2f} s   ratio {nochange / search:.2f}x (target <= 3x)")
print(f"sync-groups, 10% lapsed    {ten:6.2f} s   ratio {ten / search:.2f}x (target <= 10x)")
print(f"start-up (accounts migrate) {startup:5.2f} s   (no change less start-up: {max(nochange - startup, 0):.2f} s)")
PY
