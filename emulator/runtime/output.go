package runtime

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// OutputJSON is the emulator's ConnectionFunctionOutput: a stable JSON
// object whose keys always come in this order, with "error" omitted when
// the run had none:
//
//	{"decision":"allow","calls":["allow"],"customData":"","error":{"name":"TypeError","line":3,"column":12}}
//
// decision is "allow", "deny" or "none"; calls lists every allow()/deny()
// call in order ([] when none). The shape is the emulator's own: AWS does
// not document ConnectionFunctionOutput.
func (r Result) OutputJSON() string {
	var b bytes.Buffer
	b.WriteString(`{"decision":`)
	writeJSONString(&b, decisionOrNone(r.Decision))
	b.WriteString(`,"calls":[`)
	for i, c := range r.Calls {
		if i > 0 {
			b.WriteByte(',')
		}
		writeJSONString(&b, c)
	}
	b.WriteString(`],"customData":`)
	writeJSONString(&b, r.CustomData)
	if r.Error != "" || r.ErrorName != "" {
		b.WriteString(`,"error":{"name":`)
		writeJSONString(&b, r.ErrorName)
		b.WriteString(`,"line":`)
		b.WriteString(strconv.Itoa(r.Line))
		b.WriteString(`,"column":`)
		b.WriteString(strconv.Itoa(r.Column))
		b.WriteByte('}')
	}
	b.WriteByte('}')
	return b.String()
}

func decisionOrNone(d string) string {
	if d == "" {
		return "none"
	}
	return d
}

// writeJSONString writes s as a JSON string without HTML escaping.
func writeJSONString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)       // a string always encodes
	b.Truncate(b.Len() - 1) // Encode appends a newline
}
