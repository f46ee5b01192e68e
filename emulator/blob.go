package emulator

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// decodeBlob decodes the base64 text of a blob member. XML whitespace inside
// the text is ignored in both modes; lenient mode also accepts the URL-safe
// alphabet and missing padding.
func decodeBlob(text, mode string) ([]byte, error) {
	s := text
	if strings.ContainsAny(s, " \t\r\n") {
		s = strings.Map(func(r rune) rune {
			switch r {
			case ' ', '\t', '\r', '\n':
				return -1
			}
			return r
		}, s)
	}
	if mode == Base64Lenient {
		s = strings.NewReplacer("-", "+", "_", "/").Replace(s)
		s = strings.TrimRight(s, "=")
		b, err := base64.RawStdEncoding.DecodeString(s)
		if err != nil {
			return nil, base64Error(err)
		}
		return b, nil
	}
	b, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil {
		return nil, base64Error(err)
	}
	return b, nil
}

func base64Error(err error) error {
	var ce base64.CorruptInputError
	if errors.As(err, &ce) {
		return fmt.Errorf("not valid base64 (standard alphabet with padding): illegal data at input byte %d", int64(ce))
	}
	return fmt.Errorf("not valid base64: %v", err)
}

// checkJSONObject reports why b is not a JSON object, or nil if it is one.
func checkJSONObject(b []byte) error {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	if !validJSON(b) {
		var v json.RawMessage
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		return errors.New("invalid JSON")
	}
	if b[i] != '{' {
		return fmt.Errorf("the top-level value is %s, want an object", jsonKind(b[i]))
	}
	return nil
}

func jsonKind(c byte) string {
	switch c {
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}
