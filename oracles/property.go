package oracles

import (
	"encoding/json"
	"fmt"

	"github.com/cffuzz/cffuzz"
)

// PropertyFunc checks a property of one run: conn is the connection object
// decoded from raw (a JSON object), o the outcome. It returns nil when the
// property holds, or an error that says how it was violated.
type PropertyFunc func(conn map[string]any, raw []byte, o *cffuzz.Outcome) error

type property struct {
	name string
	fn   PropertyFunc
}

// Property returns an oracle, named "property", that checks fn on every OK
// outcome whose input is a JSON object. A violation raises a signal of Kind
// name, severity high (capped for ClassMalformed), whose Key is the
// normalized error text. A panic in fn is reported as a violation.
func Property(name string, fn PropertyFunc) Oracle { return property{name: name, fn: fn} }

func (property) Name() string { return "property" }

func (p property) Check(c *cffuzz.Case, o *cffuzz.Outcome) []cffuzz.Signal {
	conn, ok := decodeObject(c, o)
	if !ok {
		return nil
	}
	if err := p.call(conn, c.Object, o); err != nil {
		return []cffuzz.Signal{propertySignal(c, o, p.name, err.Error())}
	}
	return nil
}

func (p property) call(conn map[string]any, raw []byte, o *cffuzz.Outcome) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("property panicked: %v", r)
		}
	}()
	return p.fn(conn, raw, o)
}

// decodeObject returns the case's connection object when properties apply:
// an OK outcome and an input that is a JSON object.
func decodeObject(c *cffuzz.Case, o *cffuzz.Outcome) (map[string]any, bool) {
	if !o.OK() || c.Wire != nil {
		return nil, false
	}
	var conn map[string]any
	if err := json.Unmarshal(c.Object, &conn); err != nil || conn == nil {
		return nil, false
	}
	return conn, true
}

// propertySignal is the signal of a violated property. Its Key is the
// decision the function made, not the message: a property's message
// usually quotes the input (a fingerprint, a serial), which no
// normalization reliably removes, so one broken property is one bug per
// decision ("allowed what it must deny" and "denied what it must allow"
// stay apart).
func propertySignal(c *cffuzz.Case, o *cffuzz.Outcome, kind, msg string) cffuzz.Signal {
	decision := string(o.Decision)
	if decision == "" {
		decision = "unknown"
	}
	return cffuzz.Signal{
		Oracle:   "property",
		Severity: CapSeverity(cffuzz.SeverityHigh, c.Class),
		Kind:     kind,
		Message:  "property " + kind + " does not hold: " + msg,
		Key:      "decision-" + decision,
	}
}
