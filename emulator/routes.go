package emulator

import (
	"net/http"
	"net/url"
	"strings"
)

// The operations of the API, as named in metrics, logs and Faults.ByOperation.
const (
	OpCreate            = "CreateConnectionFunction"
	OpDescribe          = "DescribeConnectionFunction"
	OpGet               = "GetConnectionFunction"
	OpUpdate            = "UpdateConnectionFunction"
	OpPublish           = "PublishConnectionFunction"
	OpTest              = "TestConnectionFunction"
	OpDelete            = "DeleteConnectionFunction"
	OpList              = "ListConnectionFunctions"
	OpListDistributions = "ListDistributionsByConnectionFunction"
	// OpUnknown labels requests that match no operation.
	OpUnknown = "Unknown"
)

// Operations lists the operations the Server implements.
var Operations = []string{OpCreate, OpDescribe, OpGet, OpUpdate, OpPublish, OpTest, OpDelete, OpList, OpListDistributions}

// handler runs one operation; it writes the success answer itself and
// returns the error to answer with otherwise.
type handler func(s *Server, w http.ResponseWriter, r *http.Request, id string, body []byte) *APIError

// routed is the result of routing a request: the operation, its URI label
// (the function id), and either a handler or the error to answer with.
type routed struct {
	op      string
	id      string
	handler handler
	err     *APIError
}

// methodRoute is the operation a method selects on a path.
type methodRoute struct {
	method string
	r      routed
}

const apiPrefix = "/2020-05-31/"

// route maps a method and escaped path to an operation.
func route(method, escapedPath string) routed {
	rest, ok := strings.CutPrefix(escapedPath, apiPrefix)
	if !ok {
		return unknownRoute(method, escapedPath)
	}
	parts := strings.Split(rest, "/")
	var byMethod []methodRoute
	switch {
	case len(parts) == 1 && parts[0] == "connection-function":
		byMethod = append(byMethod, methodRoute{http.MethodPost, routed{op: OpCreate, handler: (*Server).create}})
	case len(parts) == 1 && parts[0] == "connection-functions":
		byMethod = append(byMethod, methodRoute{http.MethodPost, routed{op: OpList, handler: (*Server).list}})
	case len(parts) == 1 && parts[0] == "distributionsByConnectionFunction":
		byMethod = append(byMethod, methodRoute{http.MethodGet, routed{op: OpListDistributions, handler: (*Server).listDistributions}})
	case len(parts) == 2 && parts[0] == "connection-function":
		byMethod = append(byMethod, methodRoute{http.MethodGet, routed{op: OpGet, handler: (*Server).get}})
		byMethod = append(byMethod, methodRoute{http.MethodPut, routed{op: OpUpdate, handler: (*Server).update}})
		byMethod = append(byMethod, methodRoute{http.MethodDelete, routed{op: OpDelete, handler: (*Server).delete}})
	case len(parts) == 3 && parts[0] == "connection-function" && parts[2] == "describe":
		byMethod = append(byMethod, methodRoute{http.MethodGet, routed{op: OpDescribe, handler: (*Server).describe}})
	case len(parts) == 3 && parts[0] == "connection-function" && parts[2] == "publish":
		byMethod = append(byMethod, methodRoute{http.MethodPost, routed{op: OpPublish, handler: (*Server).publish}})
	case len(parts) == 3 && parts[0] == "connection-function" && parts[2] == "test":
		byMethod = append(byMethod, methodRoute{http.MethodPost, routed{op: OpTest, handler: (*Server).test}})
	default:
		return unknownRoute(method, escapedPath)
	}
	var rt routed
	var allowed []string
	for _, m := range byMethod {
		if m.method == method {
			rt = m.r
		}
		allowed = append(allowed, m.method+" for "+m.r.op)
	}
	if rt.handler == nil {
		return routed{op: OpUnknown, err: apiErr(http.StatusMethodNotAllowed, "MethodNotAllowed",
			"The method %s is not allowed on %s; use %s.", truncate(method, 16), truncate(escapedPath, 128), strings.Join(allowed, ", "))}
	}
	if len(parts) >= 2 {
		id, err := url.PathUnescape(parts[1])
		if err != nil {
			return routed{op: rt.op, err: errMalformed("the function id in the path is not valid URL encoding")}
		}
		var v violations
		label := "id"
		if rt.op == OpDescribe || rt.op == OpGet {
			label = "identifier"
		}
		v.checkResourceID(id, label)
		if e := v.err(); e != nil {
			return routed{op: rt.op, err: e}
		}
		rt.id = id
	}
	return rt
}

func unknownRoute(method, path string) routed {
	return routed{op: OpUnknown, err: apiErr(http.StatusNotFound, "UnknownOperation",
		"No connection-function operation matches %s %s. The emulator serves the nine operations under %sconnection-function(s) and %sdistributionsByConnectionFunction.",
		truncate(method, 16), truncate(path, 128), apiPrefix, apiPrefix)}
}
