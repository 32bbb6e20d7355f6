#!/usr/bin/env bash
# Installs code-server (a real VS Code: 4.100.3 embeds VS Code 1.100.3) from npm into
# .vscode-test/code-server, the way @vscode/test-electron caches its VS Code download. It is kept
# out of the project's dependencies (176 MB, native builds). Offline-safe: nothing but the npm
# registry is contacted. The measured facts behind each workaround are in shared/HARNESS.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$PWD
source scripts/lib/common.sh

stamp="$CODE_SERVER_DIR/.installed-$CODE_SERVER_VERSION"
if [ -f "$stamp" ] && [ -f "$CODE_SERVER_BIN" ]; then
  say "code-server $CODE_SERVER_VERSION present in .vscode-test/code-server"
  exit 0
fi
command -v rg >/dev/null || fail "ripgrep (rg) is needed to install code-server offline: apt-get install ripgrep"

say "installing code-server $CODE_SERVER_VERSION into .vscode-test/code-server (about 1-3 minutes)"
rm -rf "$CODE_SERVER_DIR"
mkdir -p "$CODE_SERVER_DIR"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
log="$scratch/install.log"

# @vscode/ripgrep's postinstall downloads rg from GitHub (unreachable). It first looks for a cached
# archive in $TMPDIR; an archive holding Debian's rg at its root satisfies it.
RIPGREP_PKG_VERSION=1.15.11 # the version code-server 4.100.3's lib/vscode shrinkwrap pins
rg_cache="$scratch/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION"
mkdir -p "$rg_cache" "$scratch/rg"
cp "$(command -v rg)" "$scratch/rg/rg"
tar -czf "$rg_cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$scratch/rg" rg

# npm 11 skips dependency install scripts unless the project allows them (package.json
# "allowScripts" or a project .npmrc; --allow-scripts on the command line or in the environment is
# refused). code-server's postinstall runs nested `npm install`s in lib/vscode and its extensions,
# which are projects of their own: so install in two steps. First code-server itself with only
# argon2's build allowed, then give each nested project an .npmrc allowing its packages that have
# install scripts (listed from their shrinkwraps) and run code-server's postinstall ourselves.
printf '%s\n' '{ "name": "light-network-code-server-cache", "private": true,' \
  '  "allowScripts": { "argon2": true, "code-server": false } }' > "$CODE_SERVER_DIR/package.json"
vscode_allow="@parcel/watcher,@vscode/deviceid,@vscode/ripgrep,@vscode/spdlog,@vscode/windows-ca-certs,"
vscode_allow+="@vscode/windows-process-tree,@vscode/windows-registry,kerberos,native-watchdog,node-pty"
extensions_allow="@parcel/watcher,esbuild"

(
  cd "$CODE_SERVER_DIR"
  export TMPDIR="$scratch"
  export npm_config_yes=true          # node-pty's postinstall runs `npx node-gyp` without a terminal
  export npm_config_unsafe_perm=true  # code-server's postinstall insists on it when run as root
  npm install --no-audit --no-fund --omit=dev "code-server@$CODE_SERVER_VERSION"
  cd node_modules/code-server
  printf 'allow-scripts=%s\n' "$vscode_allow" > lib/vscode/.npmrc
  printf 'allow-scripts=%s\n' "$extensions_allow" > lib/vscode/extensions/.npmrc
  # The postinstall learns which package manager runs it from this variable, as npm would set it.
  npm_config_user_agent="npm/$(npm -v) node/$(node -v) linux x64" sh ./postinstall.sh
) > "$log" 2>&1 || { tail -40 "$log" >&2; fail "code-server install failed (log above)"; }

[ -f "$CODE_SERVER_BIN" ] || fail "code-server installed but $CODE_SERVER_BIN is missing"
[ -x "$CODE_SERVER_DIR/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ] \
  || fail "code-server's ripgrep is missing: its postinstall did not run"
touch "$stamp"
say "code-server $CODE_SERVER_VERSION installed"
