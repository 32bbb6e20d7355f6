#!/usr/bin/env bash
# `npm test`: the whole test suite, as CI runs it.
#   setup → build → typecheck → unit tests → integration tests → in-extension-host suites (one real
#   VS Code) → UI tests (Playwright driving real VS Code)
# Every stage runs even when an earlier one failed (the suites that need the build are skipped when
# it failed). Prints each stage's time and ends with one line `N passed, N failed, N skipped` summing
# all stages (the build and the typecheck count as one test each; a stage skipped because the build
# failed counts as one skipped); exits non-zero on any failure.
# Logs: test-results/logs/<stage>.log.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
source scripts/lib/common.sh

logs="$ROOT/test-results/logs"
mkdir -p "$logs"
passed=0 failed=0 skipped=0
timings=()
build_ok=1
failed_stages=0

add_counts() { # JSON {passed, failed, skipped} on stdin; never at the end of a pipe (a subshell)
  local counts p f s
  counts=$(node -e 'const c=JSON.parse(require("fs").readFileSync(0,"utf8"));console.log(c.passed,c.failed,c.skipped)')
  read -r p f s <<<"$counts"
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
}

# stage NAME KIND COMMAND...   KIND: "setup" (counts only when it fails), "check" (counts as one
# test), "mocha" (counts from mocha's summary) or "counts-file" (the command writes --counts FILE)
stage() {
  local name=$1 kind=$2
  shift 2
  local log="$logs/$name.log" start=$SECONDS rc
  printf '\n=== %s\n' "$name"
  if [ "$kind" = counts-file ]; then
    "$@" --counts "$logs/$name.counts.json" 2>&1 | tee "$log"
  else
    "$@" 2>&1 | tee "$log"
  fi
  rc=${PIPESTATUS[0]}
  [ "$rc" = 0 ] || failed_stages=$((failed_stages + 1))
  timings+=("$(printf '%-14s %4ds  %s' "$name" $((SECONDS - start)) "$([ "$rc" = 0 ] && echo ok || echo "FAILED (exit $rc)")")")
  case $kind in
    setup) if [ "$rc" != 0 ]; then failed=$((failed + 1)); fi ;;
    check) if [ "$rc" = 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi ;;
    mocha) add_counts < <(node scripts/lib/mochaCounts.mjs "$log")
      # Without a summary mochaCounts counts one failure; a non-zero exit after a clean summary
      # (a crash in a hook or at exit) is one more.
      if [ "$rc" != 0 ] && grep -Eq '^\s*[0-9]+ passing' "$log" && ! grep -Eq '^\s*[0-9]+ failing' "$log"; then
        failed=$((failed + 1))
      fi ;;
    counts-file)
      if [ -f "$logs/$name.counts.json" ]; then add_counts < "$logs/$name.counts.json"; rm -f "$logs/$name.counts.json"
      else failed=$((failed + 1)); fi ;;
  esac
  return "$rc"
}

skip_stage() {
  printf '\n=== %s: skipped (%s)\n' "$1" "$2"
  timings+=("$(printf '%-14s %4s   skipped: %s' "$1" - "$2")")
  skipped=$((skipped + 1))
}

has_tests() { [ -n "$(find "$1" -name "$2" -print -quit 2>/dev/null)" ]; }

# The run is one function, read whole before it starts: editing this file during a run is harmless.
main() {
  total_start=$SECONDS
  if ! stage setup setup bash scripts/setup.sh; then
    echo "set-up failed: nothing else can run"
  else
    stage build check node esbuild.mjs || build_ok=0
    stage typecheck check npx tsc -p . --noEmit
    stage unit mocha npx mocha
    if [ -n "$(find test/integration -name '*.test.ts' -not -path 'test/integration/share/*' -print -quit 2>/dev/null)" ]; then
      stage integration mocha npx mocha --no-config --node-option import=tsx --timeout 120000 \
        --ignore 'test/integration/share/**' 'test/integration/**/*.test.ts'
    fi
    # Share: real peer processes over loopback, inside a private network namespace where possible.
    if has_tests test/integration/share '*.test.ts'; then
      stage share mocha bash test/integration/share/run.sh
    fi
    if [ "$build_ok" = 1 ]; then
      stage vscode counts-file npx tsx scripts/lib/runVscodeSuites.ts
      if has_tests test/e2e '*.e2e.ts'; then
        stage e2e mocha npx mocha --config test/e2e/harness/mocharc.json 'test/e2e/**/*.e2e.ts'
      fi
    else
      skip_stage vscode "the build failed"
      skip_stage e2e "the build failed"
    fi
  fi

  printf '\n=== stage timings\n'
  printf '%s\n' "${timings[@]}"
  printf '%-14s %4ds\n' total $((SECONDS - total_start))
  echo
  # A stage that failed without a failing test to show for it still fails the run.
  if [ "$failed" = 0 ] && [ "$failed_stages" != 0 ]; then failed=$failed_stages; fi
  echo "$passed passed, $failed failed, $skipped skipped"
  [ "$failed" = 0 ]
}
main "$@"
exit
