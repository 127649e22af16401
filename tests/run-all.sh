#!/usr/bin/env bash
# Runs every test of the product, on a fresh machine as on a developer's: installs what is missing
# (npm packages for buf and the TypeScript client; Debian's chromium for the console's browser tests;
# Debian's postgresql for the second pass), checks
# the contract (lint, breaking changes), runs the .NET test projects of the solution on SQLite,
# checks that the packages install, runs the TypeScript client's tests against the built host, and
# runs the integration tests once more on a real PostgreSQL started for the run (tests/postgres.sh)
# and removed at the end, also on failure.
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
started=$SECONDS
dotnet test Guance.Grpc.sln --configuration Release --no-build
sqlite_seconds=$((SECONDS - started))
echo "(skipped in this pass: the [PostgresFact] tests, several host processes on one database, which needs PostgreSQL; they run in the PostgreSQL pass)"

echo "== packages: dotnet pack, dotnet tool install guance-billing"
bash tests/packaging.sh

echo "== TypeScript client: generate, check, test against the host"
npm test -w clients/typescript

echo "== PostgreSQL"
# A failed start cleans up after itself; once started, the server goes at exit whatever happens.
postgres_exports=$(bash tests/postgres.sh start)
trap 'bash tests/postgres.sh stop' EXIT
eval "$postgres_exports"
if [[ -z "${GUANCE_TEST_POSTGRES:-}" ]]; then
    echo "tests/postgres.sh start printed no GUANCE_TEST_POSTGRES" >&2
    exit 1
fi

echo "== dotnet test (PostgreSQL: integration tests)"
started=$SECONDS
# The client and CLI tests are about the clients, not the engine: they ran in the first pass.
dotnet test tests/Guance.Billing.IntegrationTests --configuration Release --no-build \
    --filter "FullyQualifiedName!~.Cli.&FullyQualifiedName!~.Client."
postgres_seconds=$((SECONDS - started))

echo "== passed: SQLite pass ${sqlite_seconds}s (all projects), PostgreSQL pass ${postgres_seconds}s (integration tests)"
