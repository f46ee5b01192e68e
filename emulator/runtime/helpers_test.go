package runtime_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cffuzz/cffuzz/emulator/runtime"
)

// fixedNow is the Date every test run sees.
var fixedNow = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// handler wraps body in a synchronous connectionHandler.
func handler(body string) string {
	return "function connectionHandler(connection) {\n" + body + "\n}"
}

// execute runs code on obj with a fresh in-process executor.
func execute(t testing.TB, opts runtime.Options, code, obj string, kvs *runtime.KVS) runtime.Result {
	t.Helper()
	ex := runtime.NewInProcess(opts)
	defer ex.Close()
	res, err := ex.Execute(context.Background(), runtime.Request{Code: []byte(code), Object: []byte(obj), KVS: kvs, Seed: 42, Now: fixedNow})
	if err != nil {
		t.Fatalf("Execute: %v", err)
	}
	return res
}

// logs joins a Result's logs with "|".
func logs(r runtime.Result) string { return strings.Join(r.Logs, "|") }
