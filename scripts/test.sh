#!/usr/bin/env bash
# The README's test command: system packages, gates (types, lint, format), unit + integration tests (Vitest),
# end-to-end tests (Playwright on Debian's chromium). Ends with "N passed, M failed" summed over every suite.
set -uo pipefail
cd "$(dirname "$0")/.."

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/prometheus ] || need+=(prometheus)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "installing Debian packages: ${need[*]}"
    apt-get update && apt-get install -y chromium prometheus || { echo "apt-get failed"; exit 1; }
  else
    echo "Missing Debian packages (${need[*]}). Run as root:"
    echo "apt-get update && apt-get install -y chromium prometheus"
    exit 1
  fi
fi

mkdir -p .tmp
passed=0
failed=0
gate() {
  local name=$1
  shift
  echo "== $name: $*"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $name"; fi
}

gate typecheck npm run --silent typecheck
gate lint npm run --silent lint
gate format npm run --silent format:check
gate build-panel npm run --silent build:web

echo "== vitest"
rm -f .tmp/vitest.json
npx vitest run --reporter=default --reporter=json --outputFile.json=.tmp/vitest.json
vitest_rc=$?
read -r vp vf < <(node -e '
  try { const r = require("./.tmp/vitest.json"); console.log(r.numPassedTests, r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0) + (r.numFailedTestSuites > 0 && r.numFailedTests === 0 ? r.numFailedTestSuites : 0)); }
  catch { console.log("0 1"); }')
[ "$vitest_rc" -ne 0 ] && [ "$vf" -eq 0 ] && vf=1
passed=$((passed + vp)); failed=$((failed + vf))

echo "== playwright"
rm -f .tmp/playwright.json
PLAYWRIGHT_JSON_OUTPUT_FILE="$PWD/.tmp/playwright.json" npx playwright test -c test/e2e/playwright.config.ts --reporter=list,json
pw_rc=$?
read -r pp pf < <(node -e '
  try { const s = require("./.tmp/playwright.json").stats; console.log(s.expected + s.flaky, s.unexpected); }
  catch { console.log("0 1"); }')
[ "$pw_rc" -ne 0 ] && [ "$pf" -eq 0 ] && pf=1
passed=$((passed + pp)); failed=$((failed + pf))

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
