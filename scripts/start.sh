#!/usr/bin/env bash
# `npm start`: set up, build, then open a real VS Code (code-server 4.100.3 = VS Code 1.100.3) with
# Light Network loaded, on a copy of the demo workspace (demo/). Prints the address to open; Ctrl+C
# stops it. The copy and VS Code's user data live in .vscode-test/start/, so what you type there,
# and the memory the extension saved, are still there next time (delete that folder to start over).
#   PORT            port on 127.0.0.1 (default 8123)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
source scripts/lib/common.sh

port="${PORT:-8123}"
bash scripts/setup.sh
say "building"
node esbuild.mjs || fail "the build failed"

home="$ROOT/.vscode-test/start"
workspace="$home/demo"
mkdir -p "$home/user-data/User" "$home/extensions" "$home/xdg-config" "$home/xdg-data" "$home/xdg-cache"
# Web VS Code saves as you type: work on a copy, and keep your edits (no overwrite) between runs.
mkdir -p "$workspace"
cp -rn demo/. "$workspace/"
settings="$home/user-data/User/settings.json"
[ -f "$settings" ] || cat > "$settings" <<'JSON'
{
  "workbench.startupEditor": "none",
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.ignoreRecommendations": true
}
JSON

if node -e 'const s=require("net").connect(+process.argv[1],"127.0.0.1");s.on("connect",()=>process.exit(0));s.on("error",()=>process.exit(1))' "$port"; then
  fail "port $port on 127.0.0.1 is taken: choose another with PORT=NNNN npm start"
fi

# The extension is loaded from this repository in development mode, which code-server takes from
# the page address (its CLI refuses --extensionDevelopmentPath).
url=$(node -e '
  const [port, folder, ext] = process.argv.slice(1);
  const payload = [["extensionDevelopmentPath", `vscode-remote://127.0.0.1:${port}${ext}`]];
  console.log(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
' "$port" "$workspace" "$ROOT")

# Its own process group (setsid), so stopping ends its extension hosts too.
XDG_CONFIG_HOME="$home/xdg-config" XDG_DATA_HOME="$home/xdg-data" XDG_CACHE_HOME="$home/xdg-cache" \
  setsid node "$CODE_SERVER_BIN" \
  --auth none --bind-addr "127.0.0.1:$port" \
  --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override \
  --user-data-dir "$home/user-data" --extensions-dir "$home/extensions" \
  >"$home/code-server.log" 2>&1 &
server=$!
stop() {
  trap - INT TERM EXIT
  kill -TERM -- "-$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  say "stopped"
}
trap 'stop; exit 0' INT TERM
trap stop EXIT

for _ in $(seq 1 150); do
  node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' \
    "http://127.0.0.1:$port/healthz" && break
  kill -0 "$server" 2>/dev/null || { tail -20 "$home/code-server.log" >&2; fail "code-server stopped (log above)"; }
  sleep 0.2
done

cat <<MSG

  Light Network is running in VS Code $(node -p "require('$CODE_SERVER_DIR/node_modules/code-server/lib/vscode/package.json').version") (code-server $CODE_SERVER_VERSION).
  Open this address in a browser on this machine:

    $url

  Workspace: $workspace (a copy of demo/)
  Log:       $home/code-server.log
  Press Ctrl+C to stop.

MSG
wait "$server"
