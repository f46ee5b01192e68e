#!/usr/bin/env bash
# bench-http.sh: the --target URL benchmark of docs/benchmarks.md. It serves
# testdata/perf/small.js with `fuzz emulate`, measures the endpoint's raw
# rate with wrk (Debian package wrk) sending one fixed TestConnectionFunction
# request, then runs `fuzz run --target URL` against the same endpoint for
# the same time, and prints both rates and their ratio. The run names the
# function by id only, so no local shadow execution adds to its cost.
#
# Environment: FUZZ (the fuzz binary; built into bin/fuzz when unset),
# ADDR (default 127.0.0.1:45667), SECONDS_EACH (default 10), CONNS (wrk
# connections and fuzz --concurrency, default 8), ISOLATION (emulate's,
# default process).
set -euo pipefail
cd "$(dirname "$0")/.."

ADDR=${ADDR:-127.0.0.1:45667}
SECONDS_EACH=${SECONDS_EACH:-10}
CONNS=${CONNS:-8}
ISOLATION=${ISOLATION:-process}
FUNCTION=testdata/perf/small.js

command -v wrk >/dev/null || { echo "bench-http: wrk is missing: apt-get install wrk" >&2; exit 2; }
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
grep -q listening "$work/emulate.log" || { cat "$work/emulate.log" >&2; echo "bench-http: the emulator did not start" >&2; exit 3; }
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

wrk -t2 -c"$CONNS" -d"${SECONDS_EACH}s" -s "$work/test.lua" "http://$ADDR" >"$work/wrk.txt"
wrk_rate=$(awk '/^Requests\/sec:/ {print $2}' "$work/wrk.txt")
non2xx=$(awk '/Non-2xx/ {print $NF}' "$work/wrk.txt")
if [ -n "$non2xx" ]; then cat "$work/wrk.txt" >&2; echo "bench-http: wrk got $non2xx non-2xx answers" >&2; exit 1; fi

"$FUZZ" run --target "http://$ADDR" --function-id "$id" --duration "${SECONDS_EACH}s" \
	--concurrency "$CONNS" --out "$work/out" --corpus - --metrics-addr "" --progress none --fail-on none >"$work/run.txt" 2>&1 || { cat "$work/run.txt" >&2; exit 1; }
fuzz_rate=$(jq -r .cases_per_second "$work/out/report.json")

printf 'wrk (fixed TestConnectionFunction request): %8.0f requests/s\n' "$wrk_rate"
printf 'fuzz run --target URL:                       %8.0f cases/s\n' "$fuzz_rate"
awk -v a="$fuzz_rate" -v b="$wrk_rate" 'BEGIN { printf "ratio:                                       %8.1f %%\n", 100 * a / b }'
