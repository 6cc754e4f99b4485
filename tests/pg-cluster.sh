#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the test suite: `pg-cluster.sh start DIR PORT` creates DIR
# (initdb, trust authentication, listening on 127.0.0.1:PORT only, its socket in DIR) and starts it;
# `pg-cluster.sh stop DIR` stops it and removes DIR. The server log is DIR/log.
#
# Debian's `postgresql` package puts the binaries in /usr/lib/postgresql/<version>/bin; the newest
# installed version is used. initdb refuses to run as root, so as root the cluster runs as the
# `postgres` user the package creates.
set -euo pipefail

usage() { echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2; }
[ $# -ge 2 ] || usage
action=$1 dir=$2

bindir=${PG_BINDIR:-}
if [ -z "$bindir" ]; then
    version=$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1)
    [ -n "$version" ] || { echo "$0: no PostgreSQL in /usr/lib/postgresql (apt-get install postgresql)" >&2; exit 1; }
    bindir=/usr/lib/postgresql/$version/bin
fi

as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case $action in
start)
    [ $# -eq 3 ] || usage
    port=$3
    mkdir -p "$dir"  # may exist (mktemp -d), but then empty
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    as_owner "$bindir/initdb" -D "$dir/data" --auth=trust --username=postgres --encoding=UTF8 \
        --locale=C.UTF-8 >"$dir/initdb.log"
    # Durability is pointless for a cluster that lives for one test run; speed is not.
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w -s start \
        -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    ;;
stop)
    [ $# -eq 2 ] || usage
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -s stop || true
    fi
    rm -rf "$dir"
    ;;
*) usage ;;
esac
