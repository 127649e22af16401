#!/usr/bin/env bash
# Runs every test of the product, on a fresh machine as on a developer's: installs what is missing
# (npm packages for buf and the TypeScript client; Debian's chromium for the console's browser tests;
# Debian's postgresql for the second pass), checks the contract (lint, breaking changes), runs the
# .NET test projects of the solution on SQLite, then the integration tests once more on a real
# PostgreSQL started for the run (tests/postgres.sh) and removed at the end, also on failure; beside
# that second pass it checks that the packages install and runs the TypeScript client's tests against
# the built host (docs/operations.md, "Tests").
set -euo pipefail
cd "$(dirname "$0")/.."
# The first pass is the SQLite one, whatever server a developer's shell may point at.
unset GUANCE_TEST_POSTGRES GUANCE_POSTGRES_DIR

echo "== npm ci (buf, TypeScript client)"
npm ci --no-audit --no-fund --loglevel=error

echo "== buf lint"
npx buf lint

echo "== buf breaking (against the previous commit of main)"
bash tests/contract/breaking.sh

echo "== chromium (the console's browser tests)"
bash tests/chromium.sh

echo "== dotnet build"
dotnet build Guance.Grpc.sln --configuration Release

echo "== dotnet test (SQLite)"
started=$(date +%s)
dotnet test Guance.Grpc.sln --configuration Release --no-build
sqlite_seconds=$(($(date +%s) - started))
echo "(skipped in this pass: the [PostgresFact] tests, several host processes on one database, which needs PostgreSQL; they run in the PostgreSQL pass)"

echo "== PostgreSQL"
# A failed start cleans up after itself; once started, the server goes at exit whatever happens,
# and so does a PostgreSQL pass still running then.
postgres_exports=$(bash tests/postgres.sh start)
postgres_pass=
stop_postgres() {
    if [[ -n "$postgres_pass" ]]; then
        pkill -TERM -P "$postgres_pass" 2>/dev/null || true
        wait "$postgres_pass" 2>/dev/null || true
    fi
    bash tests/postgres.sh stop
}
trap stop_postgres EXIT
eval "$postgres_exports"
if [[ -z "${GUANCE_TEST_POSTGRES:-}" ]]; then
    echo "tests/postgres.sh start printed no GUANCE_TEST_POSTGRES" >&2
    exit 1
fi
postgres_url=$GUANCE_TEST_POSTGRES
unset GUANCE_TEST_POSTGRES

echo "== dotnet test (PostgreSQL: integration tests), in the background; its output follows the packaging and TypeScript checks"
postgres_log=$(mktemp)
started=$(date +%s)
# The client and CLI tests are about the clients, not the engine: they run in the SQLite pass.
(
    status=0
    GUANCE_TEST_POSTGRES=$postgres_url dotnet test tests/Guance.Billing.IntegrationTests --configuration Release --no-build \
        --filter "FullyQualifiedName!~.Cli.&FullyQualifiedName!~.Client." >"$postgres_log" 2>&1 || status=$?
    echo "PostgreSQL pass: $(($(date +%s) - started))s" >>"$postgres_log"
    exit $status
) &
postgres_pass=$!

echo "== packages: dotnet pack, dotnet tool install guance-billing"
bash tests/packaging.sh

echo "== TypeScript client: generate, check, test against the host"
npm test -w clients/typescript

echo "== dotnet test (PostgreSQL: integration tests), its output"
postgres_status=0
wait "$postgres_pass" || postgres_status=$?
postgres_pass=
cat "$postgres_log"
rm -f "$postgres_log"
if [[ $postgres_status -ne 0 ]]; then
    echo "the PostgreSQL pass failed (exit code $postgres_status)" >&2
    exit "$postgres_status"
fi

echo "== passed: SQLite pass ${sqlite_seconds}s (all projects); the PostgreSQL pass (integration tests) beside the packaging and TypeScript checks, all in $(($(date +%s) - started))s"
