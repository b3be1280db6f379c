#!/usr/bin/env bash
# Runs a test command under faked times of day (Debian's faketime, which moves the clock of every process
# it starts: node, the embedded PGlite, Chromium), to show that no test depends on the wall-clock hour.
# The real Postgres and Redis servers keep real time, as a clock skew between hosts would.
#
#   scripts/test-at-hours.sh                      # the README's test command at each default time
#   scripts/test-at-hours.sh npx vitest run web-hq  # any command
#   TEST_AT_HOURS="Europe/London 23:30" scripts/test-at-hours.sh
#
# Default times: 03:00, 12:00 and 23:30 in London and in Tokyo, on today's date there.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v faketime >/dev/null || { echo "faketime is missing: apt-get install -y faketime" >&2; exit 2; }
[ $# -gt 0 ] || set -- npx pnpm@10 test

if [ -n "${TEST_AT_HOURS:-}" ]; then
  mapfile -t times <<<"$TEST_AT_HOURS"
else
  times=()
  for zone in Europe/London Asia/Tokyo; do
    for hm in 03:00 12:00 23:30; do times+=("$zone $hm"); done
  done
fi

failed=()
for t in "${times[@]}"; do
  zone=${t% *}
  hm=${t#* }
  day=$(TZ=$zone date +%F)
  at=$(date -u -d "TZ=\"$zone\" $day $hm" +%s)
  # An offset, not a start time: every process (the test runner, the platform it starts, Chromium) must
  # share one clock, and "@time" would restart the clock at each process's own start.
  offset=$((at - $(date +%s)))
  echo "=== $hm in $zone ($(date -u -d "@$at" '+%F %T') UTC): $*"
  if ! TZ=UTC faketime -f "$(printf '%+d' "$offset")" "$@"; then failed+=("$hm $zone"); fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED at: ${failed[*]}" >&2
  exit 1
fi
echo "passed at every time: ${times[*]}"
