#!/usr/bin/env bash
# Builds and runs Waymark: embedded store in ./data, 14 days of demo data on
# first start, the console and APIs at the printed URL.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh run
dotnet build -c Release src/Waymark.Demo -v quiet -nologo
mkdir -p data
# The server with the demo data loader (src/Waymark.Demo); the plain server is src/Waymark.Server.
exec dotnet src/Waymark.Demo/bin/Release/net10.0/Waymark.Demo.dll --contentRoot "$PWD/src/Waymark.Server" --Waymark:Store:Path="$PWD/data/waymark.duckdb" "$@"
