# Shared by the scripts in scripts/: names of things and tiny message helpers. Source it from the
# repository root.
CODE_SERVER_VERSION=4.100.3 # = VS Code 1.100.3
CODE_SERVER_DIR="$ROOT/.vscode-test/code-server"
CODE_SERVER_BIN="$CODE_SERVER_DIR/node_modules/code-server/out/node/entry.js"

say() { printf '[%s] %s\n' "$(basename "$0" .sh)" "$*"; }
fail() { printf '[%s] ERROR: %s\n' "$(basename "$0" .sh)" "$*" >&2; exit 1; }
