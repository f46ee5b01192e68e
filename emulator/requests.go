package emulator

import (
	"net/http"
	"regexp"
	"strconv"
)

// configInput is a ConnectionFunctionConfig as decoded from a request body.
type configInput struct {
	present, commentSet, runtimeSet bool
	config                          FunctionConfig
	kvsARNs                         []string
	kvsQuantity                     int
	kvsPresent                      bool
}

// functionInput is the body of CreateConnectionFunction (name set) or
// UpdateConnectionFunction.
type functionInput struct {
	name   *string
	code   []byte
	cfg    configInput
	tagErr *APIError
}

// testInput is the body of TestConnectionFunction.
type testInput struct {
	object []byte
	stage  string
}

// listInput is the body of ListConnectionFunctions.
type listInput struct {
	marker   string
	maxItems int
	stage    string
}

// decodeFunction decodes a Create (withName) or Update request body.
func (s *Server) decodeFunction(body []byte, root string, withName bool) (*functionInput, *APIError) {
	doc, err := parseXML(body, root)
	if err != nil {
		return nil, errMalformed(err.Error())
	}
	in := &functionInput{}
	var v violations
	if withName {
		if n, ok := doc.textOf("Name"); ok {
			in.name = &n
		}
		v.checkName(in.name)
	}
	if text, ok := doc.textOf("ConnectionFunctionCode"); !ok {
		v.add(nil, false, "connectionFunctionCode", "Member must not be null")
	} else {
		code, err := decodeBlob(text, s.opts.Base64)
		if err != nil {
			return nil, errMalformed("ConnectionFunctionCode is " + err.Error())
		}
		in.code = code
		v.checkLength(nil, len(code), true, "connectionFunctionCode", 1, MaxBlobBytes)
	}
	cfg, apiErr := decodeConfig(doc.child("ConnectionFunctionConfig"))
	if apiErr != nil {
		return nil, apiErr
	}
	in.cfg = cfg
	checkConfigModel(&v, &cfg.config, cfg.present, cfg.runtimeSet, cfg.commentSet, "connectionFunctionConfig")
	for i, arn := range cfg.kvsARNs {
		v.checkKVSARN(arn, "connectionFunctionConfig.keyValueStoreAssociations.items."+strconv.Itoa(i+1)+".member.keyValueStoreARN")
	}
	if withName {
		in.tagErr = checkTags(doc.child("Tags"))
	}
	if e := v.err(); e != nil {
		return nil, e
	}
	return in, nil
}

// decodeConfig reads a ConnectionFunctionConfig element (nil if absent).
func decodeConfig(n *node) (configInput, *APIError) {
	var c configInput
	if n == nil {
		return c, nil
	}
	c.present = true
	c.config.Comment, c.commentSet = n.textOf("Comment")
	c.config.Runtime, c.runtimeSet = n.textOf("Runtime")
	kvs := n.child("KeyValueStoreAssociations")
	if kvs == nil {
		return c, nil
	}
	c.kvsPresent = true
	q, ok := kvs.textOf("Quantity")
	if !ok {
		return c, apiErr(http.StatusBadRequest, "MalformedXML",
			"1 validation error detected: Value null at 'connectionFunctionConfig.keyValueStoreAssociations.quantity' failed to satisfy constraint: Member must not be null")
	}
	qn, err := strconv.Atoi(trimXMLSpace(q))
	if err != nil {
		return c, errMalformed("KeyValueStoreAssociations/Quantity '" + truncate(q, maxEchoedValue) + "' is not an integer")
	}
	c.kvsQuantity = qn
	for _, item := range kvs.child("Items").all("KeyValueStoreAssociation") {
		arn, _ := item.textOf("KeyValueStoreARN")
		c.kvsARNs = append(c.kvsARNs, arn)
	}
	if len(c.kvsARNs) > 0 {
		c.config.KeyValueStoreARN = c.kvsARNs[0]
	}
	return c, nil
}

// checkAssociations applies CloudFront's KeyValueStore association rules
// beyond the model: Quantity matches Items, at most one association.
func (c configInput) checkAssociations() *APIError {
	if !c.kvsPresent {
		return nil
	}
	if c.kvsQuantity != len(c.kvsARNs) {
		return errInvalidArgument("The KeyValueStoreAssociations Quantity (%d) does not match the number of Items (%d).", c.kvsQuantity, len(c.kvsARNs))
	}
	if len(c.kvsARNs) > 1 {
		return errInvalidArgument("A connection function can be associated with at most one KeyValueStore; got %d.", len(c.kvsARNs))
	}
	return nil
}

// tagPattern is the model's TagKey/TagValue pattern.
var tagPattern = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)

// checkTags validates the optional Tags element.
func checkTags(n *node) *APIError {
	if n == nil {
		return nil
	}
	items := n.child("Items").all("Tag")
	if len(items) > 50 {
		return apiErr(http.StatusBadRequest, "InvalidTagging", "A resource can have at most 50 tags; got %d.", len(items))
	}
	seen := map[string]bool{}
	for _, t := range items {
		key, ok := t.textOf("Key")
		value, _ := t.textOf("Value")
		switch {
		case !ok || len([]rune(key)) < 1 || len([]rune(key)) > 128:
			return apiErr(http.StatusBadRequest, "InvalidTagging", "Tag keys must be 1–128 characters long.")
		case len([]rune(value)) > 256:
			return apiErr(http.StatusBadRequest, "InvalidTagging", "Tag values must be at most 256 characters long.")
		case !tagPattern.MatchString(key) || !tagPattern.MatchString(value):
			return apiErr(http.StatusBadRequest, "InvalidTagging", "Tag keys and values may contain only letters, numbers, spaces and _.:/=+-@.")
		case seen[key]:
			return apiErr(http.StatusBadRequest, "InvalidTagging", "Duplicate tag key '%s'.", truncate(key, maxEchoedValue))
		}
		seen[key] = true
	}
	return nil
}

// decodeTest decodes a TestConnectionFunction request body. Bodies in the
// exact shapes the SDKs send take a fast path (scanTestBody) that gives the
// same result as the full XML parser.
func (s *Server) decodeTest(body []byte) (*testInput, *APIError) {
	f, ok := scanTestBody(body)
	if !ok {
		var err error
		if f, err = parseTestFields(body); err != nil {
			return nil, errMalformed(err.Error())
		}
	}
	return s.checkTest(f)
}

// checkTest decodes and validates the members of a TestConnectionFunction
// body.
func (s *Server) checkTest(f testFields) (*testInput, *APIError) {
	var obj []byte
	if f.objectSet {
		var err error
		if obj, err = decodeObject(f, s.opts.Base64); err != nil {
			return nil, errMalformed("ConnectionObject is " + err.Error())
		}
	}
	return s.checkTestMembers(obj, f.objectSet, f.stage, f.stageSet)
}

// checkTestMembers validates the decoded members of a TestConnectionFunction
// request, for the HTTP handler and TestFunction alike.
func (s *Server) checkTestMembers(obj []byte, objectSet bool, stage string, stageSet bool) (*testInput, *APIError) {
	in := &testInput{stage: StageDevelopment}
	var v violations
	if !objectSet {
		v.add(nil, false, "connectionObject", "Member must not be null")
	} else {
		in.object = obj
		v.checkLength(nil, len(obj), true, "connectionObject", 0, s.opts.MaxObjectBytes)
	}
	if stageSet {
		st := stage
		v.checkStage(&st)
		in.stage = st
	}
	if e := v.err(); e != nil {
		return nil, e
	}
	return in, nil
}

// Bounds of ListConnectionFunctions MaxItems.
const (
	defaultListItems = 100
	maxListItems     = 100
)

// decodeList decodes a ListConnectionFunctions request body (which may be empty).
func decodeList(body []byte) (*listInput, *APIError) {
	in := &listInput{maxItems: defaultListItems, stage: StageDevelopment}
	if len(body) == 0 {
		return in, nil
	}
	doc, err := parseXML(body, "ListConnectionFunctionsRequest")
	if err != nil {
		return nil, errMalformed(err.Error())
	}
	in.marker, _ = doc.textOf("Marker")
	if mi, ok := doc.textOf("MaxItems"); ok {
		n, err := strconv.Atoi(trimXMLSpace(mi))
		if err != nil {
			return nil, errMalformed("MaxItems '" + truncate(mi, maxEchoedValue) + "' is not an integer")
		}
		if n < 1 || n > maxListItems {
			return nil, errInvalidArgument("MaxItems must be between 1 and %d; got %d.", maxListItems, n)
		}
		in.maxItems = n
	}
	var v violations
	if st, ok := doc.textOf("Stage"); ok {
		v.checkStage(&st)
		in.stage = st
	}
	if e := v.err(); e != nil {
		return nil, e
	}
	return in, nil
}
