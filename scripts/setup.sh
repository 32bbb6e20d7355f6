#!/usr/bin/env bash
# Prepares this machine to build, run and test Light Network. Idempotent and quick when done:
# every step checks before it acts. Works unattended (CI=true, no terminal) on Debian 12 as root
# or with sudo, with node 20 and npm 11.
#   1. Debian packages: chromium (UI tests), ripgrep, redis-server (the relay tests start their own
#      on a free port; the service the package sets up is not needed), and what code-server's
#      native modules build with (libkrb5-dev, pkg-config, g++, make, python3)
#   2. npm ci when node_modules is missing or does not match package-lock.json
#   3. code-server (a real VS Code 1.100.3, installable offline from npm) into .vscode-test/
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
source scripts/lib/common.sh

# --- 0. node -------------------------------------------------------------------------------------
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" != 20 ]; then
  fail "node 20 is required (code-server $CODE_SERVER_VERSION checks it); found $(node -v 2>/dev/null || echo none)"
fi

# --- 1. Debian packages --------------------------------------------------------------------------
apt_wanted=(chromium ripgrep redis-server libkrb5-dev pkg-config g++ make python3)
apt_missing=()
for pkg in "${apt_wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || apt_missing+=("$pkg")
done
if [ ${#apt_missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${apt_missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" = 0 ] || sudo_cmd=(sudo -n)
  # Another apt run may hold the lock (unattended upgrades, a parallel setup): wait for it.
  apt_opts=(-o DPkg::Lock::Timeout=600 -qq)
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get "${apt_opts[@]}" update \
    || fail "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get "${apt_opts[@]}" install -y --no-install-recommends "${apt_missing[@]}" \
    || fail "could not install ${apt_missing[*]}"
else
  say "Debian packages present (${apt_wanted[*]})"
fi

# --- 2. npm dependencies -------------------------------------------------------------------------
if ! why=$(node scripts/lib/deps-fresh.mjs); then
  say "installing npm dependencies (npm ci): $why"
  npm ci --no-audit --no-fund || fail "npm ci failed"
else
  say "npm dependencies match package-lock.json"
fi

# --- 3. code-server ------------------------------------------------------------------------------
bash scripts/lib/install-code-server.sh

say "ready"
