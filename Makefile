# cffuzz — developer entry points. `make help` lists them.
GO       ?= go
BIN      ?= bin/fuzz
PKGS     ?= ./...
BENCHTIME ?= 2s

.PHONY: help build test test-short bench bench-cli bench-http run emulate lint fmt clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

build: ## build the fuzz binary into bin/
	$(GO) build -o $(BIN) ./cmd/fuzz

test: ## run the whole test suite (what CI runs)
	$(GO) vet $(PKGS)
	$(GO) test -count=1 -timeout 15m $(PKGS)

test-short: ## the quick subset (skips long campaigns)
	$(GO) test -short -count=1 $(PKGS)

bench: ## run the benchmarks behind docs/benchmarks.md (Go benchmarks, then the 100,000-case CLI campaigns)
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) ./emulator/... ./internal/runner/... ./generators/...
	scripts/bench-cli.sh

bench-cli: ## CLI campaign throughput and memory (CASES=1000000 for the flat-RSS check, RATE=R for the achieved rate)
	scripts/bench-cli.sh

bench-http: ## fuzz run --target URL against fuzz emulate, side by side with wrk (apt-get install wrk)
	scripts/bench-http.sh

run: build ## a demonstration campaign against the embedded emulator
	$(BIN) run

emulate: build ## serve the emulator on 127.0.0.1:4566 with the demo function preloaded
	$(BIN) emulate --addr 127.0.0.1:4566 --function examples/functions/demo.js --kvs examples/functions/demo-kvs.json

lint: ## gofmt, go vet and duplicates check
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	$(GO) vet $(PKGS)

fmt: ## format the code
	gofmt -w $$(git ls-files '*.go')

clean: ## remove build and campaign outputs
	rm -rf bin cffuzz-out
