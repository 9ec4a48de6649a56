#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian 12 machine with the
# .NET 10 SDK and Node.js; safe to run again (each step checks first).
#   scripts/setup.sh run   - what the run command needs
#   scripts/setup.sh test  - what the tests need too
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-run}

if ! command -v dotnet >/dev/null; then
  echo "The .NET 10 SDK is required (dotnet on PATH)." >&2
  exit 1
fi

# The browser agent: npm packages and the bundle the server serves.
if [ -f agent/package.json ]; then
  if ! command -v npm >/dev/null; then
    echo "Node.js and npm are required to build the browser agent." >&2
    exit 1
  fi
  if [ ! -d agent/node_modules ] || [ agent/package-lock.json -nt agent/node_modules/.package-lock.json ]; then
    (cd agent && npm ci --no-audit --no-fund --loglevel=error)
  fi
  (cd agent && npm run --silent build)
fi

apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Graphviz dot lays out the process map the server renders as SVG (run and test).
apt_install graphviz

if [ "$mode" = test ]; then
  # A real browser for the agent and console tests (Debian's, driven by Playwright).
  if [ -d tests/Waymark.Browser.Tests ]; then
    apt_install chromium
  fi
  # The second store and the cluster: ClickHouse, Redis and a load balancer,
  # started by the tests as plain processes on 127.0.0.1 (no systemd).
  apt_install clickhouse-server redis-server haproxy
  # A real SMTP server for the e-mail action tests (python3 -m aiosmtpd).
  apt_install python3-aiosmtpd
  # The page instrumented with the official OpenTelemetry JS web SDK.
  page=tests/Waymark.Browser.Tests/otel-page
  if [ -f "$page/package.json" ]; then
    if [ ! -d "$page/node_modules" ] || [ "$page/package-lock.json" -nt "$page/node_modules/.package-lock.json" ]; then
      (cd "$page" && npm ci --no-audit --no-fund --loglevel=error)
    fi
    (cd "$page" && npm run --silent build)
  fi
fi
