#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests, benchmarks and local runs: no Docker, no system service.
#
#   eval "$(bash tests/postgres.sh start [DIR])"   # prints the two exports below, then returns
#   bash tests/postgres.sh stop [DIR]              # stops the server and removes DIR
#
# start installs Debian's `postgresql` package with apt-get when no server binaries are found
# (as root, or through password-less sudo), creates a cluster with initdb in DIR (default: a new
# temporary folder), starts it on a free loopback port and prints:
#   export GUANCE_POSTGRES_DIR='/tmp/guance-postgres.XXXXXX'
#   export GUANCE_TEST_POSTGRES='Host=127.0.0.1;Port=NNNNN;Username=postgres;Database=postgres'
# The integration tests use GUANCE_TEST_POSTGRES as the administrative connection (each test host
# creates and drops its own database). stop defaults DIR to $GUANCE_POSTGRES_DIR.
#
# PostgreSQL refuses to run as root: as root the cluster belongs to the `postgres` system user.
# The cluster trusts every loopback connection and runs without fsync: it is for tests only.
# Its default collation is ICU's en-US (like most production clusters, not byte order), so that
# a query that silently depends on the collation shows up in tests.
set -euo pipefail

MARKER=".guance-postgres"

log() { echo "postgres.sh: $*" >&2; }

find_bindir() {
    local candidate
    candidate=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -n "$candidate" && -x "$candidate/initdb" && -x "$candidate/pg_ctl" ]]; then
        echo "$candidate"
        return 0
    fi
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
        return 0
    fi
    return 1
}

install_postgres() {
    local sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo=(sudo -n)
        else
            log "PostgreSQL is not installed and this user cannot install it; run: sudo apt-get install postgresql"
            exit 1
        fi
    fi
    log "installing Debian's postgresql package"
    export DEBIAN_FRONTEND=noninteractive
    if ! "${sudo[@]}" apt-get install -y -q --no-install-recommends postgresql >&2; then
        "${sudo[@]}" apt-get update -q >&2
        "${sudo[@]}" apt-get install -y -q --no-install-recommends postgresql >&2
    fi
}

# Runs a command as the cluster's owner: `postgres` when we are root, else ourselves.
as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        if command -v runuser >/dev/null 2>&1; then
            runuser -u postgres -- "$@"
        else
            su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
        fi
    else
        "$@"
    fi
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
    local dir="${1:-}"
    local bindir
    if ! bindir=$(find_bindir); then
        install_postgres
        bindir=$(find_bindir) || { log "no initdb/pg_ctl after installing postgresql"; exit 1; }
    fi
    if [[ $(id -u) -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
        useradd --system --home-dir /var/lib/postgresql --shell /bin/sh postgres
    fi

    if [[ -z "$dir" ]]; then
        # As root the server runs as `postgres`, which cannot reach into a private $TMPDIR: use /tmp.
        local parent="${TMPDIR:-/tmp}"
        [[ $(id -u) -eq 0 ]] && parent=/tmp
        dir=$(mktemp -d "$parent/guance-postgres.XXXXXX")
    fi
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [[ -n "$(ls -A "$dir")" ]]; then
        log "$dir is not empty"
        exit 1
    fi
    touch "$dir/$MARKER"
    # Whatever fails from here on leaves nothing behind.
    STARTING_DIR="$dir"
    trap '[[ -f "$STARTING_DIR/port" ]] || stop "$STARTING_DIR" >/dev/null 2>&1' EXIT
    if [[ $(id -u) -eq 0 ]]; then
        chown postgres: "$dir"
        chmod 700 "$dir"
    fi

    # ICU's en-US when the server supports it (PostgreSQL 15+ built with ICU), else the plain C.UTF-8.
    if ! as_owner "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-sync \
            --locale=C.UTF-8 --locale-provider=icu --icu-locale=en-US >"$dir/initdb.log" 2>&1; then
        rm -rf "$dir/data"
        as_owner "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-sync \
            --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    fi

    local port attempt
    for attempt in 1 2 3 4 5 6 7 8; do
        port=$((20000 + RANDOM % 40000))
        if port_in_use "$port"; then
            continue
        fi
        if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 -o \
            "-c port=$port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start >/dev/null; then
            echo "$port" >"$dir/port"
            echo "$bindir" >"$dir/bindir"
            log "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') listening on 127.0.0.1:$port (data in $dir)"
            echo "export GUANCE_POSTGRES_DIR='$dir'"
            echo "export GUANCE_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres'"
            return 0
        fi
        log "start on port $port failed (attempt $attempt):"
        tail -n 5 "$dir/postgres.log" >&2 || true
    done
    log "could not start PostgreSQL"
    exit 1
}

stop() {
    local dir="${1:-${GUANCE_POSTGRES_DIR:-}}"
    if [[ -z "$dir" || ! -d "$dir" ]]; then
        log "nothing to stop (no folder given and GUANCE_POSTGRES_DIR is not set)"
        return 0
    fi
    if [[ -z "$(ls -A "$dir")" ]]; then
        rmdir "$dir"
        return 0
    fi
    if [[ ! -e "$dir/$MARKER" ]]; then
        log "$dir was not made by postgres.sh; leaving it alone"
        exit 1
    fi
    if [[ -f "$dir/bindir" && -f "$dir/data/postmaster.pid" ]]; then
        as_owner "$(cat "$dir/bindir")/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    log "stopped and removed $dir"
}

case "${1:-}" in
    start) start "${2:-}" ;;
    stop) stop "${2:-}" ;;
    *)
        echo "usage: $0 start [DIR] | stop [DIR]" >&2
        exit 2
        ;;
esac
