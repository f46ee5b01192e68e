package runtime

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/dop251/goja"
)

// parseJSON builds the JavaScript value of a JSON text the way JSON.parse
// does, where goja's own JSON.parse differs: numbers out of float64 range
// become ±Infinity (or 0) instead of an error, object keys keep their order,
// a duplicate key keeps its last value, and "__proto__" is an ordinary own
// property, never the prototype.
func parseJSON(vm *goja.Runtime, data []byte) (goja.Value, error) {
	if v, ok := fastJSON(vm, data); ok {
		return v, nil
	}
	return parseJSONGeneral(vm, data)
}

// parseJSONGeneral is parseJSON's general path, over encoding/json's
// tokens; it words the errors.
func parseJSONGeneral(vm *goja.Runtime, data []byte) (goja.Value, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := jsonValue(vm, dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("unexpected data after the JSON value")
	}
	return v, nil
}

func jsonValue(vm *goja.Runtime, dec *json.Decoder) (goja.Value, error) {
	tok, err := dec.Token()
	if err != nil {
		if err == io.EOF {
			return nil, errors.New("unexpected end of JSON input")
		}
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			obj := vm.NewObject()
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				key, ok := kt.(string)
				if !ok {
					return nil, fmt.Errorf("object key is %v, not a string", kt)
				}
				v, err := jsonValue(vm, dec)
				if err != nil {
					return nil, err
				}
				if err := obj.DefineDataProperty(key, v, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
					return nil, err
				}
			}
			if _, err := dec.Token(); err != nil { // '}'
				return nil, err
			}
			return obj, nil
		case '[':
			var items []any
			for dec.More() {
				v, err := jsonValue(vm, dec)
				if err != nil {
					return nil, err
				}
				items = append(items, v)
			}
			if _, err := dec.Token(); err != nil { // ']'
				return nil, err
			}
			return vm.NewArray(items...), nil
		}
		return nil, fmt.Errorf("unexpected %v", t)
	case json.Number:
		f, err := strconv.ParseFloat(string(t), 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return nil, err
		}
		return vm.ToValue(f), nil // ParseFloat gives ±Inf or ±0 out of range, as JSON.parse does
	case string:
		return vm.ToValue(t), nil
	case bool:
		return vm.ToValue(t), nil
	case nil:
		return goja.Null(), nil
	}
	return nil, fmt.Errorf("unexpected JSON token %v", tok)
}
