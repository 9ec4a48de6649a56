#!/usr/bin/env bash
# Builds and runs Waymark: embedded store in ./data, a day of demo data on
# first start, the console and APIs at the printed URL.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh run
dotnet build -c Release src/Waymark.Server -v quiet -nologo
mkdir -p data
exec dotnet src/Waymark.Server/bin/Release/net10.0/Waymark.Server.dll --contentRoot "$PWD/src/Waymark.Server" --Waymark:Store:Path="$PWD/data/waymark.duckdb" "$@"
