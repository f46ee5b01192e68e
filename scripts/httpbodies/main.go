// Command httpbodies writes, for scripts/bench-http.sh, a wrk Lua script
// that sends the TestConnectionFunction requests of a blind `fuzz run`
// (--feedback=false): the connection objects of the first -n cases of the
// default generator families for -seed, with the dictionary of -function,
// one after the other. wrk then loads the endpoint with the same mix of
// request sizes and outcomes (certificates, malformed objects the API
// refuses, large boundary cases) as the fuzz run it is compared with,
// instead of one small fixed request.
//
//	go run ./scripts/httpbodies -function testdata/perf/small.js -id cf_... -etag E... >mix.lua
package main

import (
	"bufio"
	"encoding/base64"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/cffuzz/cffuzz/generators"
)

func main() {
	function := flag.String("function", "", "the function's source, for the generators' dictionary")
	id := flag.String("id", "", "the function's id (cf_...)")
	etag := flag.String("etag", "", "the If-Match value")
	seed := flag.Int64("seed", 1, "the campaign seed")
	n := flag.Uint64("n", 1000, "how many cases")
	flag.Parse()
	if err := run(*function, *id, *etag, *seed, *n); err != nil {
		fmt.Fprintln(os.Stderr, "httpbodies:", err)
		os.Exit(1)
	}
}

func run(function, id, etag string, seed int64, n uint64) error {
	if id == "" || etag == "" || n == 0 {
		return fmt.Errorf("give -id, -etag and a positive -n")
	}
	var dict []string
	if function != "" {
		code, err := os.ReadFile(function)
		if err != nil {
			return err
		}
		dict = generators.DictionaryFromJS(code)
	}
	gen, err := generators.New(generators.Options{Now: time.Now().UTC().Truncate(time.Second), Dictionary: dict})
	if err != nil {
		return err
	}
	w := bufio.NewWriter(os.Stdout)
	fmt.Fprintf(w, "local path = %q\nlocal etag = %q\nlocal bodies = {\n", "/2020-05-31/connection-function/"+id+"/test", etag)
	for i := range n {
		c := gen.Case(seed, i)
		stage := "DEVELOPMENT"
		if c.Stage != "" {
			stage = c.Stage
		}
		body := `<?xml version="1.0" encoding="UTF-8"?><TestConnectionFunctionRequest xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><ConnectionObject>` +
			base64.StdEncoding.EncodeToString(c.Object) + `</ConnectionObject><Stage>` + stage + `</Stage></TestConnectionFunctionRequest>`
		if strings.Contains(body, "]==]") {
			continue // cannot be a Lua long string of this level (never, for base64 and these tags)
		}
		fmt.Fprintf(w, "[==[%s]==],\n", body)
	}
	fmt.Fprint(w, `}
local requests = {}
local current = 0
function init(args)
  for i, body in ipairs(bodies) do
    requests[i] = wrk.format("POST", path, {["If-Match"] = etag, ["Content-Type"] = "application/xml"}, body)
  end
end
function request()
  current = current % #requests + 1
  return requests[current]
end
`)
	return w.Flush()
}
