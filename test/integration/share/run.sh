#!/usr/bin/env bash
# Runs the share integration tests inside a private network namespace (only loopback) when the
# machine allows it, so the test proves nothing leaves the machine; otherwise on plain loopback.
set -euo pipefail
cd "$(dirname "$0")/../../.."
MOCHA=(node_modules/.bin/mocha --no-config --node-option import=tsx --timeout 240000 --reporter spec 'test/integration/share/**/*.test.ts')
if unshare -n true 2>/dev/null; then
  exec unshare -n bash -c 'ip link set lo up && LIGHT_NETWORK_NETNS=1 exec "$@"' _ "${MOCHA[@]}" "$@"
elif unshare -rn true 2>/dev/null; then
  exec unshare -rn bash -c 'ip link set lo up && LIGHT_NETWORK_NETNS=1 exec "$@"' _ "${MOCHA[@]}" "$@"
else
  echo "share integration: no network namespace available; running on plain loopback" >&2
  exec "${MOCHA[@]}" "$@"
fi
