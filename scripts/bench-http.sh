#!/usr/bin/env bash
# bench-http.sh: the --target URL benchmark of docs/benchmarks.md (issue 8).
# It serves testdata/perf/small.js with `fuzz emulate` and measures, side by
# side on that one endpoint, with CONNS connections or cases in flight:
#
#   wrk fixed    the endpoint's best rate: wrk (Debian package wrk) sending
#                one small fixed TestConnectionFunction request;
#   wrk mix      wrk sending the requests a blind fuzz run sends (the first
#                1000 cases of the default generators for the same function,
#                written by scripts/httpbodies): certificates, objects the
#                API refuses, large boundary cases, on average about 20
#                times the fixed request's object, so the server works as
#                hard per request as for the fuzz run's cases;
#   fuzz         `fuzz run --target URL --function-id ID --feedback=false`:
#                the campaign's whole client path (generators, the AWS SDK
#                client, oracles, runner, reports) and nothing else;
#   fuzz+shadow  the same with feedback on, the default: fuzz fetches the
#                function's code and runs every case a second time,
#                instrumented, in a local shadow emulator for coverage. On
#                one machine that shadow shares the CPU with the server.
#
# After a warm-up (wrk for WARMUP seconds: the emulator's worker processes
# start, connections open), the rows run in the order wrk fixed, wrk mix,
# fuzz, fuzz+shadow, wrk mix, wrk fixed: a change in the machine's load
# shows as a difference between a row and its repeat, and the ratios are to
# the mean of the two. fuzz's rate is its case loop's (report.json
# cases_per_second: startup, confirmation and reports are not counted).
#
# Environment: FUZZ (the fuzz binary; built into bin/fuzz when unset), ADDR
# (default 127.0.0.1:45667), SECONDS_EACH (default 10), WARMUP (default 2),
# CONNS (default 8), ISOLATION (emulate's: process, the default, or
# inprocess), SHADOW (0 skips the fuzz+shadow row).
set -euo pipefail
cd "$(dirname "$0")/.."

ADDR=${ADDR:-127.0.0.1:45667}
SECONDS_EACH=${SECONDS_EACH:-10}
WARMUP=${WARMUP:-2}
CONNS=${CONNS:-8}
ISOLATION=${ISOLATION:-process}
SHADOW=${SHADOW:-1}
FUNCTION=testdata/perf/small.js

if ! command -v wrk >/dev/null; then
	echo "bench-http: wrk is not installed: it measures the endpoint's raw rate (Debian/Ubuntu: sudo apt-get install wrk)" >&2
	exit 2
fi
if [ -z "${FUZZ:-}" ]; then
	go build -o bin/fuzz ./cmd/fuzz
	FUZZ=bin/fuzz
fi

work=$(mktemp -d)
emulate_pid=
cleanup() {
	if [ -n "$emulate_pid" ]; then kill "$emulate_pid" 2>/dev/null || true; wait "$emulate_pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

"$FUZZ" emulate --addr "$ADDR" --function "$FUNCTION" --seed 1 --isolation "$ISOLATION" >"$work/emulate.log" 2>&1 &
emulate_pid=$!
for _ in $(seq 100); do
	grep -q listening "$work/emulate.log" && break
	sleep 0.1
done
grep -q listening "$work/emulate.log" || { cat "$work/emulate.log" >&2; echo "bench-http: the emulator did not start on $ADDR (set ADDR to a free address)" >&2; exit 3; }
id=$(sed -n 's/.*: id \(cf_[A-Za-z0-9]*\), ETag \([A-Za-z0-9]*\).*/\1/p' "$work/emulate.log" | head -1)
etag=$(sed -n 's/.*: id \(cf_[A-Za-z0-9]*\), ETag \([A-Za-z0-9]*\).*/\2/p' "$work/emulate.log" | head -1)
[ -n "$id" ] && [ -n "$etag" ] || { cat "$work/emulate.log" >&2; echo "bench-http: no function id in the emulator's output" >&2; exit 3; }

object=$(printf '%s' '{"clientIp":"203.0.113.7","endpoint":"d111111abcdef8.cloudfront.net","distributionId":"E1234567890ABC","connectionId":"c0ffee"}' | base64 -w0)
cat >"$work/test.lua" <<LUA
wrk.method = "POST"
wrk.path = "/2020-05-31/connection-function/$id/test"
wrk.headers["If-Match"] = "$etag"
wrk.headers["Content-Type"] = "application/xml"
wrk.body = '<?xml version="1.0" encoding="UTF-8"?><TestConnectionFunctionRequest xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><ConnectionObject>$object</ConnectionObject><Stage>DEVELOPMENT</Stage></TestConnectionFunctionRequest>'
LUA

go run ./scripts/httpbodies -function "$FUNCTION" -id "$id" -etag "$etag" -n 1000 >"$work/mix.lua"

threads=$((CONNS < 2 ? CONNS : 2))

# run_wrk SCRIPT SECONDS: prints wrk's requests per second. The fixed
# request must always succeed; the mix has refused objects, as fuzz does.
run_wrk() {
	wrk -t"$threads" -c"$CONNS" -d"$2s" -s "$work/$1.lua" "http://$ADDR" >"$work/wrk.txt"
	non2xx=$(awk '/Non-2xx/ {print $NF}' "$work/wrk.txt")
	if [ "$1" = test ] && [ -n "$non2xx" ]; then cat "$work/wrk.txt" >&2; echo "bench-http: wrk got $non2xx non-2xx answers" >&2; exit 1; fi
	awk '/^Requests\/sec:/ {print $2}' "$work/wrk.txt"
}

# run_fuzz NAME ARGS...: prints the case loop's rate of one fuzz run.
run_fuzz() {
	local name=$1 rate
	shift
	"$FUZZ" run --target "http://$ADDR" --function-id "$id" --duration "${SECONDS_EACH}s" --concurrency "$CONNS" \
		--out "$work/$name" --corpus - --metrics-addr "" --progress none --fail-on none "$@" >"$work/$name.txt" 2>&1 ||
		{ cat "$work/$name.txt" >&2; echo "bench-http: fuzz run ($name) failed" >&2; exit 1; }
	# The report's own field, indented two spaces (the timeline has its own).
	rate=$(sed -n 's/^  "cases_per_second": *\([0-9.eE+-]*\).*/\1/p' "$work/$name/report.json")
	[ -n "$rate" ] || { echo "bench-http: no cases_per_second in $work/$name/report.json" >&2; exit 1; }
	echo "$rate"
}

pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%5.1f %%", 100 * a / b }'; }
mean() { awk -v a="$1" -v b="$2" 'BEGIN { print (a + b) / 2 }'; }

echo "bench-http: $FUNCTION on fuzz emulate --isolation $ISOLATION at $ADDR, $CONNS connections, ${SECONDS_EACH}s per row; load average $(cut -d' ' -f1-3 /proc/loadavg)"
run_wrk test "$WARMUP" >/dev/null
fixed1=$(run_wrk test "$SECONDS_EACH")
mix1=$(run_wrk mix "$SECONDS_EACH")
fuzz=$(run_fuzz fuzz --feedback=false)
shadow=
if [ "$SHADOW" != 0 ]; then shadow=$(run_fuzz shadow); fi
mix2=$(run_wrk mix "$SECONDS_EACH")
fixed2=$(run_wrk test "$SECONDS_EACH")
fixed=$(mean "$fixed1" "$fixed2")
mix=$(mean "$mix1" "$mix2")

printf '%-42s %8.0f requests/s\n' "wrk fixed request" "$fixed1"
printf '%-42s %8.0f requests/s\n' "wrk mix of the fuzz run's requests" "$mix1"
printf '%-42s %8.0f cases/s   %s of wrk mix, %s of wrk fixed\n' "fuzz run --target URL --feedback=false" "$fuzz" "$(pct "$fuzz" "$mix")" "$(pct "$fuzz" "$fixed")"
if [ -n "$shadow" ]; then
	printf '%-42s %8.0f cases/s   %s of wrk mix, %s of wrk fixed\n' "fuzz run --target URL (feedback: shadow)" "$shadow" "$(pct "$shadow" "$mix")" "$(pct "$shadow" "$fixed")"
fi
printf '%-42s %8.0f requests/s\n' "wrk mix, again" "$mix2"
printf '%-42s %8.0f requests/s\n' "wrk fixed request, again" "$fixed2"
echo "bench-http: load average $(cut -d' ' -f1-3 /proc/loadavg); ratios are to the mean of each wrk row and its repeat"
