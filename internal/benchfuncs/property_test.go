package benchfuncs_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/dop251/goja"

	"github.com/cffuzz/cffuzz/emulator/runtime"
)

// checkProperty runs a property file's check(connection, outcome) on a
// run's result with Date fixed at now. It returns "" when the property
// holds and its message when it does not.
func checkProperty(src []byte, object []byte, res runtime.Result, now time.Time) (string, error) {
	vm := goja.New()
	vm.SetTimeSource(func() time.Time { return now })
	if _, err := vm.RunString(string(src)); err != nil {
		return "", fmt.Errorf("property file: %w", err)
	}
	check, ok := goja.AssertFunction(vm.Get("check"))
	if !ok {
		return "", fmt.Errorf("property file defines no check(connection, outcome)")
	}
	parse, _ := goja.AssertFunction(vm.Get("JSON").ToObject(vm).Get("parse"))
	conn, err := parse(goja.Undefined(), vm.ToValue(string(object)))
	if err != nil {
		return "", fmt.Errorf("connection object: %w", err)
	}
	calls := res.Calls
	if calls == nil {
		calls = []string{}
	}
	out := map[string]any{
		"decision":    res.Decision,
		"error":       nil,
		"utilization": res.Utilization,
		"logs":        res.Logs,
		"customData":  res.CustomData,
		"calls":       calls,
	}
	if res.Error != "" {
		out["error"] = res.Error
	}
	outJSON, err := json.Marshal(out)
	if err != nil {
		return "", err
	}
	outcome, err := parse(goja.Undefined(), vm.ToValue(string(outJSON)))
	if err != nil {
		return "", err
	}
	v, err := check(goja.Undefined(), conn, outcome)
	if err != nil {
		return "", fmt.Errorf("check() threw: %w", err)
	}
	if v.Export() == true {
		return "", nil
	}
	if s, ok := v.Export().(string); ok && s != "" {
		return s, nil
	}
	return "", fmt.Errorf("check() returned %v; want true or a message", v)
}
