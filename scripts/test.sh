#!/usr/bin/env bash
# The README's test command: system packages, gates (types, lint, format), unit + integration tests (Vitest),
# end-to-end tests (Playwright on Debian's chromium). Ends with "N passed, M failed" summed over every suite.
set -uo pipefail
cd "$(dirname "$0")/.."

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/prometheus ] || need+=(prometheus)
# a CJK font, so the zh-CN screenshots kept as test artifacts show Chinese rather than empty boxes
fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-wqy-microhei)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "installing Debian packages: ${need[*]}"
    apt-get update && apt-get install -y chromium prometheus fonts-wqy-microhei || { echo "apt-get failed"; exit 1; }
  else
    echo "Missing Debian packages (${need[*]}). Run as root:"
    echo "apt-get update && apt-get install -y chromium prometheus fonts-wqy-microhei"
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

# suite NAME REPORT NODE_EXPR CMD...: runs a test runner, then reads "passed failed" from its JSON report with
# NODE_EXPR (`r` = the parsed report). A missing report or a non-zero exit with no counted failure counts as one.
suite() {
  local name=$1 report=$2 expr=$3
  shift 3
  echo "== $name"
  rm -f "$report"
  "$@"
  local rc=$? p f
  read -r p f < <(node -e "try { const r = require('./$report'); console.log($expr); } catch { console.log('0 1'); }")
  [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
  passed=$((passed + p)); failed=$((failed + f))
}

suite vitest .tmp/vitest.json \
  'r.numPassedTests, r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0) + (r.numFailedTestSuites > 0 && r.numFailedTests === 0 ? r.numFailedTestSuites : 0)' \
  npx vitest run --reporter=default --reporter=json --outputFile.json=.tmp/vitest.json
export PLAYWRIGHT_JSON_OUTPUT_FILE="$PWD/.tmp/playwright.json"
suite playwright .tmp/playwright.json \
  'r.stats.expected + r.stats.flaky, r.stats.unexpected' \
  npx playwright test -c test/e2e/playwright.config.ts --reporter=list,json

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
