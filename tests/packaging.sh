#!/usr/bin/env bash
# The packages install as documented: `dotnet pack` of the client library and of the CLI, then
# `dotnet tool install --add-source <packed dir>` of guance-billing into a temporary tool path,
# which must run. Uses the Release build already made by the caller (tests/run-all.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dotnet pack clients/Guance.Billing.Client --configuration Release --no-build --output "$work/packages" >/dev/null
dotnet pack clients/Guance.Billing.Cli --configuration Release --no-build --output "$work/packages" >/dev/null
ls "$work/packages"

version=$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' clients/Guance.Billing.Cli/Guance.Billing.Cli.csproj)
dotnet tool install Guance.Billing.Cli --version "$version" --tool-path "$work/tools" --add-source "$work/packages" >/dev/null
"$work/tools/guance-billing" --version
"$work/tools/guance-billing" --help | grep -q "workspaces"
echo "guance-billing installs as a .NET tool and runs"
