#!/usr/bin/env bash
# `npm run bench`: the panel's build, then the benchmark (test/bench/run.ts). Section (g) drives load with Debian's
# wrk and curl when installed (a C load generator costs the measured processes less CPU than a Node one); as root
# they are installed here, like scripts/test.sh installs chromium; otherwise (g) falls back to a Node client process.
set -uo pipefail
cd "$(dirname "$0")/.."

sections=${BENCH_SECTIONS:-a,b,d,e,f,g,h}
if [[ ",$sections," == *",g,"* ]]; then
  need=()
  [ -x /usr/bin/wrk ] || need+=(wrk)
  [ -x /usr/bin/curl ] || need+=(curl)
  if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" = "0" ]; then
      echo "installing Debian packages for bench (g): ${need[*]}"
      { apt-get install -y "${need[@]}" || { apt-get update && apt-get install -y "${need[@]}"; }; } >/dev/null ||
        echo "apt-get failed: (g) uses its Node load generator instead"
    else
      echo "bench (g): ${need[*]} not installed (as root: apt-get install -y ${need[*]}); using the Node load generator"
    fi
  fi
fi

npm run --silent build:web && exec tsx test/bench/run.ts
