#!/usr/bin/env bash
# Generates EF Core's compiled model of each engine from the model that OnModelCreating builds, into
# src/Guance.Billing/Data/CompiledModels/<Sqlite|Postgres> (docs/operations.md#migrations). Run it after
# every model change (with the migrations) and after an EF Core upgrade; CompiledModelTests fails until then.
set -euo pipefail
cd "$(dirname "$0")/../src/Guance.Billing"
dotnet tool restore >/dev/null
# The old models go first: one that no longer compiles (a property removed) would stop the build.
# EngineCompiledModel finds them by name, so the project builds without them.
rm -rf Data/CompiledModels/Sqlite Data/CompiledModels/Postgres
dotnet build --nologo -v q
for engine in Sqlite Postgres; do
  dotnet ef dbcontext optimize --no-build --output-dir "Data/CompiledModels/$engine" \
    --namespace "Guance.Billing.Data.CompiledModels.$engine" -- --engine "${engine,,}"
  # EF would use a model named by an assembly attribute for every context of the type, whatever the
  # engine; DatabaseSetup.Configure chooses the engine's model instead.
  rm -f Data/CompiledModels/$engine/*AssemblyAttributes.cs
done
