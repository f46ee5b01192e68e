package examples

import (
	"bytes"
	_ "embed"
	"fmt"
	"regexp"
	"strings"
)

// StarterFunction is the connection function `fuzz init` writes when the
// user names none: a small, clean policy to replace with theirs.
//
//go:embed starter.js
var StarterFunction []byte

// StarterFunctionFile is where `fuzz init` writes StarterFunction.
const StarterFunctionFile = "connection-function.js"

var configKey = regexp.MustCompile(`^([a-z][a-z0-9-]*):`)

// StarterConfig is Config made to work where it is written: it names
// function (default StarterFunctionFile), leaves the demo's key-value
// store and property as commented examples, and turns the metrics server
// off until asked for.
func StarterConfig(function string) []byte {
	if function == "" {
		function = StarterFunctionFile
	}
	var b bytes.Buffer
	inProperty := false
	for _, line := range strings.SplitAfter(string(Config), "\n") {
		if inProperty && strings.HasPrefix(strings.TrimSpace(line), "- ") {
			b.WriteString("#" + line)
			continue
		}
		inProperty = false
		m := configKey.FindStringSubmatch(line)
		if m == nil {
			b.WriteString(line)
			continue
		}
		switch m[1] {
		case "function":
			fmt.Fprintf(&b, "function: %s    # the connection function under test\n", yamlString(function))
		case "kvs":
			b.WriteString("# kvs: kvs.json                          # KeyValueStore import file (embedded emulator)\n")
		case "property":
			inProperty = true
			b.WriteString("# " + line)
		case "metrics-addr":
			b.WriteString("# metrics-addr: 127.0.0.1:9464           # serve live Prometheus metrics (off unless set)\n")
		default:
			b.WriteString(line)
		}
	}
	return b.Bytes()
}

var plainYAML = regexp.MustCompile(`^[A-Za-z0-9_./][A-Za-z0-9_./-]*$`)

// yamlString writes s as a YAML scalar: plain when that is unambiguous,
// double-quoted (JSON escapes are valid YAML) otherwise.
func yamlString(s string) string {
	if plainYAML.MatchString(s) {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
