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

# The fast-starting host (docs/operations.md, "Publishing the host"): a self-contained composite ReadyToRun
# publish for a runtime works although the host references the WebAssembly console, and holds one composite
# image with the native code of the host, its libraries and the framework (docs/performance.md, Start-up).
dotnet publish src/Guance.Billing.Host --configuration Release --runtime linux-x64 --self-contained true \
  -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true --output "$work/host" >/dev/null
composite=$(stat -c %s "$work/host/Guance.Billing.Host.r2r.dll")
if [ "$composite" -lt 50000000 ]; then
  echo "the composite image holds $composite bytes: not the framework's code" >&2
  exit 1
fi
test -f "$work/host/wwwroot/index.html"
# ... with the runtime settings that ingestion was measured with (docs/performance.md).
grep -q '"System.Runtime.TieredCompilation.CallCountingDelayMs": 0' "$work/host/Guance.Billing.Host.runtimeconfig.json"
grep -q '"System.Threading.ThreadPool.UnfairSemaphoreSpinLimit": 0' "$work/host/Guance.Billing.Host.runtimeconfig.json"
grep -q '"System.Runtime.TieredCompilation.CallCountThreshold": 1000' "$work/host/Guance.Billing.Host.runtimeconfig.json"
echo "the host publishes as one composite ReadyToRun image, with the console's files"
