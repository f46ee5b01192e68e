#!/usr/bin/env bash
# bench-cli.sh: the campaign-throughput benchmark of docs/benchmarks.md. It
# runs `fuzz run --function testdata/perf/small.js --cases $CASES` with the
# default oracles and reports, once per isolation mode, and prints the
# case-loop rate (report.json cases_per_second), the wall time of the whole
# command, and the resident memory sampled every second (the first sample
# after 10 % of the run, the last, and the largest).
#
# Environment: FUZZ (the fuzz binary; built into bin/fuzz when unset),
# CASES (default 100000; 1000000 for the flat-RSS check), ISOLATIONS
# (default "process inprocess"), RATE (passed as --rate when set, to check
# the achieved rate).
set -euo pipefail
cd "$(dirname "$0")/.."

CASES=${CASES:-100000}
ISOLATIONS=${ISOLATIONS:-process inprocess}
if [ -z "${FUZZ:-}" ]; then
	go build -o bin/fuzz ./cmd/fuzz
	FUZZ=bin/fuzz
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

rate_args=()
[ -n "${RATE:-}" ] && rate_args=(--rate "$RATE")

printf '%-10s %10s %12s %10s %10s %10s %10s\n' isolation cases cases/s wall-s rss-early rss-last rss-max
for iso in $ISOLATIONS; do
	out="$work/$iso"
	start=$(date +%s.%N)
	"$FUZZ" run --function testdata/perf/small.js --cases "$CASES" --isolation "$iso" "${rate_args[@]}" \
		--out "$out" --corpus - --metrics-addr "" --progress none --fail-on none >"$work/$iso.txt" 2>&1 &
	pid=$!
	: >"$work/$iso.rss"
	while kill -0 "$pid" 2>/dev/null; do
		awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null >>"$work/$iso.rss" || true
		sleep 1
	done
	wait "$pid" || { cat "$work/$iso.txt" >&2; exit 1; }
	end=$(date +%s.%N)
	rate=$(jq -r .cases_per_second "$out/report.json")
	cases=$(jq -r .cases "$out/report.json")
	n=$(wc -l <"$work/$iso.rss")
	early=$(sed -n "$((n / 10 + 1))p" "$work/$iso.rss")
	last=$(tail -1 "$work/$iso.rss")
	maxrss=$(sort -n "$work/$iso.rss" | tail -1)
	printf '%-10s %10s %12.0f %10.1f %9sK %9sK %9sK\n' "$iso" "$cases" "$rate" "$(echo "$end - $start" | bc)" "${early:-?}" "${last:-?}" "${maxrss:-?}"
done
