#!/usr/bin/env bash
# Runs every test of the product, on a fresh machine as on a developer's: installs what is missing
# (npm packages for buf), checks the contract, then runs the .NET test projects of the solution.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== npm ci (buf)"
npm ci --no-audit --no-fund --loglevel=error

echo "== buf lint"
npx buf lint

echo "== dotnet test"
dotnet test Guance.Grpc.sln --configuration Release
