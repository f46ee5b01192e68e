package emulator

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
)

// maxEchoedValue is how much of an offending value a validation message
// quotes; longer values are cut and marked with "...".
const maxEchoedValue = 64

// violations collects model-constraint violations, which AWS answers with
// 400 MalformedXML and a message of the form
// "2 validation errors detected: Value 'x' at 'name' failed to satisfy
// constraint: Member must ...; Value ...".
type violations []string

// add records that the member at path failed constraint. value nil means
// the member was absent ("Value null"); sensitive members are never
// quoted (pass sensitive false for an absent one).
func (v *violations) add(value *string, sensitive bool, path, constraint string) {
	var quoted string
	switch {
	case sensitive:
		quoted = "Value"
	case value == nil:
		quoted = "Value null"
	default:
		quoted = "Value '" + truncate(*value, maxEchoedValue) + "'"
	}
	*v = append(*v, fmt.Sprintf("%s at '%s' failed to satisfy constraint: %s", quoted, path, constraint))
}

// err returns the MalformedXML error for the collected violations, or nil.
func (v violations) err() *APIError {
	if len(v) == 0 {
		return nil
	}
	noun := "errors"
	if len(v) == 1 {
		noun = "error"
	}
	return apiErr(http.StatusBadRequest, "MalformedXML", "%d validation %s detected: %s", len(v), noun, strings.Join(v, "; "))
}

const namePattern = "[a-zA-Z0-9-_]{1,64}"

// checkName validates a FunctionName.
func (v *violations) checkName(name *string) {
	if name == nil {
		v.add(nil, false, "name", "Member must not be null")
		return
	}
	if len(*name) > 64 {
		v.add(name, false, "name", "Member must have length less than or equal to 64")
	}
	if len(*name) < 1 {
		v.add(name, false, "name", "Member must have length greater than or equal to 1")
	}
	if !validName(*name) {
		v.add(name, false, "name", "Member must satisfy regular expression pattern: "+namePattern)
	}
}

func validName(s string) bool {
	if len(s) < 1 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// checkLength validates a blob or string length (in bytes) against [min, max].
func (v *violations) checkLength(value *string, n int, sensitive bool, path string, min, max int) {
	if n > max {
		v.add(value, sensitive, path, fmt.Sprintf("Member must have length less than or equal to %d", max))
	}
	if n < min {
		v.add(value, sensitive, path, fmt.Sprintf("Member must have length greater than or equal to %d", min))
	}
}

// checkEnum validates an enum member.
func (v *violations) checkEnum(value *string, path string, allowed ...string) {
	if value == nil {
		return
	}
	for _, a := range allowed {
		if *value == a {
			return
		}
	}
	v.add(value, false, path, "Member must satisfy enum value set: ["+strings.Join(allowed, ", ")+"]")
}

// kvsARNPattern is the model's KeyValueStoreARN pattern.
var kvsARNPattern = regexp.MustCompile(`^arn:aws:cloudfront::[0-9]{12}:key-value-store/[0-9a-fA-F-]{36}$`)

// checkKVSARN validates a KeyValueStoreARN.
func (v *violations) checkKVSARN(arn string, path string) {
	if len(arn) > 85 {
		v.add(&arn, false, path, "Member must have length less than or equal to 85")
	}
	if !kvsARNPattern.MatchString(arn) {
		v.add(&arn, false, path, `Member must satisfy regular expression pattern: arn:aws:cloudfront::[0-9]{12}:key-value-store\/[0-9a-fA-F-]{36}`)
	}
}

// checkStage validates an optional Stage member or query parameter.
func (v *violations) checkStage(stage *string) {
	v.checkEnum(stage, "stage", StageDevelopment, StageLive)
}

// checkResourceID validates an Id or Identifier URI label (1–64 characters).
func (v *violations) checkResourceID(id, path string) {
	v.checkLength(&id, len(id), false, path, 1, 64)
}

// checkConfigModel validates a FunctionConfig's required members and
// Runtime enum against the model; path is the config member's name.
func checkConfigModel(v *violations, c *FunctionConfig, present bool, runtimeSet, commentSet bool, path string) {
	if !present {
		v.add(nil, false, path, "Member must not be null")
		return
	}
	if !commentSet {
		v.add(nil, false, path+".comment", "Member must not be null")
	}
	if !runtimeSet {
		v.add(nil, false, path+".runtime", "Member must not be null")
	} else {
		v.checkEnum(&c.Runtime, path+".runtime", RuntimeJS1, RuntimeJS2)
	}
}

// checkConfigService applies CloudFront's checks beyond the model.
func checkConfigService(c FunctionConfig) *APIError {
	if len([]rune(c.Comment)) > 128 {
		return errInvalidArgument("The parameter Comment is too big.")
	}
	if c.Runtime != RuntimeJS2 {
		return errInvalidArgument("The parameter Runtime is not valid: connection functions support only %s.", RuntimeJS2)
	}
	return nil
}
