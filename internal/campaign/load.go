package campaign

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/cffuzz/cffuzz/emulator"
	"github.com/cffuzz/cffuzz/emulator/runtime"
	"github.com/cffuzz/cffuzz/examples/functions"
	"github.com/cffuzz/cffuzz/oracles"
)

// demoPath is how reports and reproducers name the bundled demo function.
const demoPath = "examples/functions/demo.js"

// maxFunctionFile bounds what is read as a function: far above CloudFront's
// 10 KB quota, so that the API, not the reader, reports the size error.
const maxFunctionFile = 1 << 20

// function is the function under test with everything loaded from disk.
type function struct {
	path       string // as given, for reports and reproducers
	name       string
	code       []byte
	kvs        *runtime.KVS
	properties []Source
	demo       bool
	// remote is set for a function named by --function-id alone: its
	// code is on the target (fetched by fetchRemoteCode), not on disk.
	remote bool
	// warnings name the language features the code uses whose support on
	// AWS is unconfirmed (for report.json).
	warnings []string
}

// load reads the function, its key-value store and its properties.
func load(cfg *Config) (*function, error) {
	fn := &function{path: cfg.Function, properties: cfg.Properties}
	switch {
	case cfg.FunctionCode != nil:
		fn.code = cfg.FunctionCode
		if fn.path == "" {
			fn.path = "function.js"
		}
	case cfg.Function != "":
		code, err := readFile(cfg.Function, maxFunctionFile, "function")
		if err != nil {
			return nil, err
		}
		fn.code = code
	case cfg.FunctionID != "":
		// A function on the target, by id: never the demonstration's
		// code, property or key-value store. Its code is fetched from the
		// target for the dictionary (fetchRemoteCode).
		fn.remote, fn.path = true, cfg.FunctionID
	default:
		fn.demo, fn.path, fn.code = true, demoPath, functions.Demo
		if cfg.KVS == "" && cfg.KVSData == nil {
			cfg.KVSData = functions.DemoKVS
		}
		if len(cfg.Properties) == 0 {
			fn.properties = []Source{{Path: "examples/functions/demo-property.js", Code: functions.DemoProperty}}
		}
	}
	if len(bytes.TrimSpace(fn.code)) == 0 && !fn.remote {
		return nil, configErr("function %s is empty: give a file with a connectionHandler(connection) function", fn.path)
	}
	if cfg.FunctionID == "" {
		// The code is created on the target: check it now, rather than
		// fail at create time or raise the same crash on every case.
		if err := checkSize(fn.path, fn.code); err != nil {
			return nil, err
		}
		warnings, err := checkLanguage(fn.path, fn.code, cfg.runtimeOptions())
		fn.warnings = warnings
		for _, w := range warnings {
			if cfg.Log != nil {
				fmt.Fprintf(cfg.Log, "warning: %s\n", w)
			}
		}
		if err != nil {
			if cfg.target() == TargetEmulator {
				return nil, err
			}
			// AWS or an endpoint has the last word on what compiles.
			if cfg.Log != nil {
				fmt.Fprintf(cfg.Log, "warning: %v; testing it on %s anyway\n", err, cfg.target())
			}
		}
	}
	fn.name = cfg.FunctionName
	if fn.name == "" {
		fn.name = functionName(fn.path)
	}

	kvsData := cfg.KVSData
	if kvsData == nil && cfg.KVS != "" {
		data, err := readFile(cfg.KVS, 16<<20, "key-value store")
		if err != nil {
			return nil, err
		}
		kvsData = data
	}
	if kvsData != nil {
		kvs, err := runtime.LoadKVS(bytes.NewReader(kvsData))
		if err != nil {
			name := cfg.KVS
			if name == "" {
				name = "the key-value store data"
			}
			return nil, configErr("read %s: %v (expected CloudFront's import format {\"data\":[{\"key\":...,\"value\":...}]})", name, err)
		}
		fn.kvs = kvs
	}
	for i, p := range fn.properties {
		if p.Code != nil {
			continue
		}
		code, err := readFile(p.Path, maxFunctionFile, "property")
		if err != nil {
			return nil, err
		}
		fn.properties[i].Code = code
	}
	return fn, nil
}

// checkSize checks that code fits CloudFront's connection function quota,
// which the target would otherwise refuse at create time.
func checkSize(path string, code []byte) error {
	if len(code) > emulator.DefaultMaxCodeBytes {
		return configErr("function %s is %d bytes, over CloudFront's limit of %d bytes (10 KB, not adjustable) for a connection function: make it smaller, for example by moving data into a KeyValueStore",
			path, len(code), emulator.DefaultMaxCodeBytes)
	}
	return nil
}

// checkSyntax checks that code compiles under cloudfront-js-2.0 as the
// embedded emulator runs it. Its error reads "fn.js:3:5: SyntaxError: ...".
func checkSyntax(path string, code []byte) error {
	_, err := checkLanguage(path, code, runtime.Options{})
	return err
}

// checkLanguage is checkSyntax under opts (StrictSyntax refuses the
// disputed features); it also returns the disputed features the code
// uses, as "fn.js line 3:5: optional chaining (?.): support on AWS is
// unconfirmed ...".
func checkLanguage(path string, code []byte, opts runtime.Options) ([]string, error) {
	warnings, err := runtime.CheckWarnings(code, opts)
	if err == nil {
		var out []string
		for _, w := range warnings {
			out = append(out, path+" "+w.String())
		}
		return out, nil
	}
	var se *runtime.SyntaxError
	switch {
	case !errors.As(err, &se):
		return nil, configErr("function %s: %v", path, err)
	case se.Line == 0:
		return nil, configErr("%s: SyntaxError: %s (fix the function: every case would fail with this error)", path, se.Message)
	}
	return nil, configErr("%s:%d:%d: SyntaxError: %s (fix the function: every case would fail with this error)", path, se.Line, se.Column, se.Message)
}

// readFile reads a user-named file with a size cap and a helpful error.
func readFile(path string, max int64, what string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, configErr("open the %s file: %v", what, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, configErr("stat the %s file: %v", what, err)
	}
	if st.IsDir() {
		return nil, configErr("the %s file %s is a directory: name a file", what, path)
	}
	if st.Size() > max {
		return nil, configErr("the %s file %s is %d bytes, more than the %d this reads", what, path, st.Size(), max)
	}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(f); err != nil {
		return nil, configErr("read the %s file %s: %v", what, path, err)
	}
	return buf.Bytes(), nil
}

// functionName derives a CloudFront function name ([a-zA-Z0-9-_]{1,64})
// from a file path.
func functionName(path string) string {
	base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	var b strings.Builder
	for _, r := range base {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
		if b.Len() == 64 {
			break
		}
	}
	if b.Len() == 0 {
		return "cffuzz-function"
	}
	return b.String()
}

// propertyName names a property after its file ("policy.js" → "policy").
func propertyName(path string) string {
	base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	if base == "" {
		return "property"
	}
	return base
}

// buildOracles returns the default oracles plus the properties and the
// differential and determinism oracles the config asks for.
func buildOracles(cfg *Config, fn *function, onPropertyError func(error)) ([]oracles.Oracle, error) {
	opts := oracles.DefaultOptions{Utilization: oracles.UtilizationOptions{Threshold: cfg.UtilizationThreshold}}
	if cfg.Expect != "" {
		data, err := readFile(cfg.Expect, oracles.MaxExpectationsSize, "expectations")
		if err != nil {
			return nil, err
		}
		exp, err := oracles.LoadExpectations(bytes.NewReader(data))
		if err != nil {
			return nil, configErr("read the expectations file %s: %v", cfg.Expect, err)
		}
		opts.Mismatch.Expectations = exp
	}
	list := oracles.Default(opts)
	for _, p := range fn.properties {
		o, err := oracles.LoadJSProperties(propertyName(p.Path), p.Code, oracles.JSOptions{OnConfigError: onPropertyError})
		if err != nil {
			return nil, configErr("load the property file %s: %v", p.Path, err)
		}
		list = append(list, o)
	}
	if cfg.Compare != "" {
		list = append(list, oracles.Differential())
	}
	if cfg.Determinism {
		list = append(list, oracles.Determinism())
	}
	return list, nil
}
