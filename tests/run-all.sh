#!/usr/bin/env bash
# Runs every test of the product, on a fresh machine as on a developer's: installs what is missing
# (npm packages for buf and the TypeScript client), checks the contract (lint, breaking changes),
# runs the .NET test projects of the solution, checks that the packages install, then runs the
# TypeScript client's tests against the built host.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== npm ci (buf, TypeScript client)"
npm ci --no-audit --no-fund --loglevel=error

echo "== buf lint"
npx buf lint

echo "== buf breaking (against the previous commit of main)"
bash tests/contract/breaking.sh

echo "== dotnet test"
dotnet test Guance.Grpc.sln --configuration Release

echo "== packages: dotnet pack, dotnet tool install guance-billing"
bash tests/packaging.sh

echo "== TypeScript client: generate, check, test against the host"
npm test -w clients/typescript
