package emulator

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// sigV4Verifier checks AWS Signature Version 4 (header form) against one
// set of credentials.
type sigV4Verifier struct {
	creds Credentials
	now   func() time.Time
}

const (
	sigAlgorithm = "AWS4-HMAC-SHA256"
	amzDateFmt   = "20060102T150405Z"
	sigService   = "cloudfront"
)

func errSignature(format string, args ...any) *APIError {
	return apiErr(http.StatusForbidden, "SignatureDoesNotMatch", format, args...)
}

func errIncompleteSignature(format string, args ...any) *APIError {
	return apiErr(http.StatusBadRequest, "IncompleteSignature", format, args...)
}

// authHeader is a parsed Authorization header.
type authHeader struct {
	akid, date, region, service string
	signedHeaders               []string
	signature                   string
}

func parseAuthorization(h string) (authHeader, *APIError) {
	var a authHeader
	alg, rest, ok := strings.Cut(h, " ")
	if !ok || alg != sigAlgorithm {
		return a, errIncompleteSignature("Authorization header requires the %s algorithm with Credential, SignedHeaders and Signature parameters.", sigAlgorithm)
	}
	fields := map[string]string{}
	for _, part := range strings.Split(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if ok {
			fields[k] = v
		}
	}
	cred, sh, sig := fields["Credential"], fields["SignedHeaders"], fields["Signature"]
	scope := strings.Split(cred, "/")
	if len(scope) != 5 || sh == "" || sig == "" || scope[4] != "aws4_request" {
		return a, errIncompleteSignature("Authorization header requires 'Credential' (AKID/date/region/service/aws4_request), 'SignedHeaders' and 'Signature' parameters.")
	}
	a = authHeader{akid: scope[0], date: scope[1], region: scope[2], service: scope[3], signedHeaders: strings.Split(sh, ";"), signature: sig}
	return a, nil
}

// verify checks r's signature over body.
func (v *sigV4Verifier) verify(r *http.Request, body []byte) *APIError {
	h := r.Header.Get("Authorization")
	if h == "" {
		return apiErr(http.StatusForbidden, "AccessDenied", "Missing Authentication Token: sign the request with AWS Signature Version 4.")
	}
	a, e := parseAuthorization(h)
	if e != nil {
		return e
	}
	if a.akid != v.creds.AccessKeyID {
		return apiErr(http.StatusForbidden, "InvalidClientTokenId", "The security token included in the request is invalid.")
	}
	if v.creds.SessionToken != "" && r.Header.Get("X-Amz-Security-Token") != v.creds.SessionToken {
		return apiErr(http.StatusForbidden, "InvalidClientTokenId", "The security token included in the request is invalid.")
	}
	if a.service != sigService {
		return errSignature("Credential should be scoped to correct service: '%s'.", sigService)
	}
	amzDate := r.Header.Get("X-Amz-Date")
	t, err := time.Parse(amzDateFmt, amzDate)
	if err != nil {
		return errIncompleteSignature("The request must carry an X-Amz-Date header in the form %s.", amzDateFmt)
	}
	if a.date != amzDate[:8] {
		return errSignature("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s'.", truncate(a.date, 16), amzDate[:8])
	}
	now := v.now().UTC()
	if d := now.Sub(t); d > v.creds.MaxSkew || -d > v.creds.MaxSkew {
		return errSignature("Signature expired: %s is now earlier than %s (%s - %s) or later than %s (%s + %s).",
			amzDate, now.Add(-v.creds.MaxSkew).Format(amzDateFmt), now.Format(amzDateFmt), v.creds.MaxSkew,
			now.Add(v.creds.MaxSkew).Format(amzDateFmt), now.Format(amzDateFmt), v.creds.MaxSkew)
	}
	payload := hexSHA256(body)
	if declared := r.Header.Get("X-Amz-Content-Sha256"); declared != "" && declared != "UNSIGNED-PAYLOAD" && declared != payload {
		return errSignature("The provided X-Amz-Content-Sha256 header does not match what was computed.")
	} else if declared == "UNSIGNED-PAYLOAD" {
		payload = declared
	}
	signedHost := false
	for _, name := range a.signedHeaders {
		signedHost = signedHost || name == "host"
	}
	if !signedHost {
		return errSignature("'Host' must be a 'SignedHeader' in the AWS Authorization.")
	}
	canonical := strings.Join([]string{
		r.Method,
		escapeRFC3986(r.URL.EscapedPath(), true),
		canonicalQuery(r),
		canonicalHeaders(r, a.signedHeaders),
		strings.Join(a.signedHeaders, ";"),
		payload,
	}, "\n")
	scope := a.date + "/" + a.region + "/" + a.service + "/aws4_request"
	toSign := sigAlgorithm + "\n" + amzDate + "\n" + scope + "\n" + hexSHA256([]byte(canonical))
	key := hmacSHA256([]byte("AWS4"+v.creds.SecretAccessKey), a.date)
	for _, part := range []string{a.region, a.service, "aws4_request"} {
		key = hmacSHA256(key, part)
	}
	want := hex.EncodeToString(hmacSHA256(key, toSign))
	if !hmac.Equal([]byte(want), []byte(a.signature)) {
		return errSignature("The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
	}
	return nil
}

func hexSHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// canonicalHeaders builds the canonical header block of the named headers.
func canonicalHeaders(r *http.Request, names []string) string {
	var b strings.Builder
	for _, name := range names {
		var values []string
		switch name {
		case "host":
			values = []string{r.Host}
		case "content-length":
			values = r.Header.Values("Content-Length")
			if len(values) == 0 {
				values = []string{strconv.FormatInt(r.ContentLength, 10)}
			}
		default:
			values = r.Header.Values(name)
		}
		b.WriteString(name)
		b.WriteByte(':')
		for i, v := range values {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strings.Join(strings.Fields(v), " "))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// canonicalQuery is the sorted, RFC 3986-encoded query string.
func canonicalQuery(r *http.Request) string {
	q := r.URL.Query()
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		vs := append([]string(nil), q[k]...)
		sort.Strings(vs)
		for _, v := range vs {
			parts = append(parts, escapeRFC3986(k, false)+"="+escapeRFC3986(v, false))
		}
	}
	return strings.Join(parts, "&")
}

// escapeRFC3986 percent-encodes every byte but the unreserved characters
// (and '/' when keepSlash is set).
func escapeRFC3986(s string, keepSlash bool) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' || keepSlash && c == '/' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}
