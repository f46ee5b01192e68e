package generators

import (
	"bytes"
	"fmt"
	"math/rand"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/cffuzz/cffuzz"
	"github.com/leanovate/gopter"
)

// classDetectors recognise the forms of the class model in generated
// values, independently of how they were made: field → form → pattern.
// The DN forms are looked for in issuer and subject, the URI forms in
// ocspEndpoint.
var classDetectors = map[string]map[string]*regexp.Regexp{
	"dn-value": {
		"printable":      regexp.MustCompile(`=[A-Za-z0-9 '()+./:=?-]+(,|$)`),
		"escape-special": regexp.MustCompile(`\\[,+"\\<>;=]`),
		"escape-hex":     regexp.MustCompile(`\\[0-9A-Fa-f]{2}`),
		"escape-edges":   regexp.MustCompile(`=\\[# ]|\\ (,|\+|$)`),
		"hex-string":     regexp.MustCompile(`=#[0-9A-F]{4,}`),
		"quote":          regexp.MustCompile("[\"'`\u2018\u2019\u201C\u201D\u00AB\u00BB]"),
		"separator":      regexp.MustCompile(`=[^,]*([/:@_*.=-]|\\[,+;])`),
		"percent":        regexp.MustCompile(`%`),
		"non-ascii":      regexp.MustCompile(`[^\x00-\x7f]`),
		"long":           regexp.MustCompile(`=[A-Za-z0-9]{65,}`),
		"control":        regexp.MustCompile(`[\x00-\x1f\x7f]`),
	},
	"dn-type": {
		"oid":        regexp.MustCompile(`(^|[,+] ?)\d+(\.\d+)+=`),
		"other-name": regexp.MustCompile(`(^|[,+] ?)(DC|UID|serialNumber|title|SN|GN|street|postalCode|businessCategory|jurisdictionC|organizationIdentifier|dnQualifier|pseudonym)=`),
		"case":       regexp.MustCompile(`(^|[,+] ?)(cn|Cn|o|ou|c|st|l)=`),
		"multi-rdn":  regexp.MustCompile(`[^\\]\+[A-Za-z0-9.]+=`),
	},
	"san": {
		"dns":          regexp.MustCompile(`(^|,)DNS:[a-z0-9]`),
		"dns-wildcard": regexp.MustCompile(`DNS:\*\.`),
		"dns-idn":      regexp.MustCompile(`DNS:xn--`),
		"dns-odd":      regexp.MustCompile(`DNS:_|DNS:[^,]*\.(,|$)|DNS:[A-Z0-9.-]*[A-Z][A-Z0-9.-]*(,|$)`),
		"ip4":          regexp.MustCompile(`IP Address:\d+\.`),
		"ip6":          regexp.MustCompile(`IP Address:[0-9A-Fa-f]*:`),
		"uri":          regexp.MustCompile(`URI:https?://`),
		"uri-spiffe":   regexp.MustCompile(`URI:spiffe://`),
		"email":        regexp.MustCompile(`email:[^,]*@`),
		"dirname":      regexp.MustCompile(`DirName:/C=`),
		"othername":    regexp.MustCompile(`othername:|Registered ID:`),
		"non-ascii":    regexp.MustCompile(`[^\x00-\x7f]`),
		"separator":    regexp.MustCompile(`DirName:/O=[^,/]*[,;=+/:.@_* -]`),
		"control":      regexp.MustCompile(`[\x00-\x1f\x7f]`),
	},
	"uri": {
		"http":        regexp.MustCompile(`^http://`),
		"https-port":  regexp.MustCompile(`^https?://[^/]*:\d+/`),
		"ip-host":     regexp.MustCompile(`^http://(\d+\.|\[)`),
		"percent":     regexp.MustCompile(`%`),
		"query":       regexp.MustCompile(`\?[^=]*=`),
		"userinfo":    regexp.MustCompile(`^http://[^/@]+@`),
		"non-ascii":   regexp.MustCompile(`[^\x00-\x7f]`),
		"punctuation": regexp.MustCompile("/[^/]*[\\\\\"'`\u2018\u2019\u201C\u201D\u00AB\u00BB,;=+:@_* ]"),
		"control":     regexp.MustCompile(`[\x00-\x1f\x7f]`),
	},
	"serialNumber": {
		"colon-lower":     regexp.MustCompile(`^([0-9a-f]{2}:)*[0-9a-f]*[a-f][0-9a-f]*(:[0-9a-f]{2})*$`),
		"colon-upper":     regexp.MustCompile(`^([0-9A-F]{2}:)*[0-9A-F]*[A-F][0-9A-F]*(:[0-9A-F]{2})*$`),
		"leading-zero":    regexp.MustCompile(`^00:([89a-fA-F]|00)`),
		"short-long":      regexp.MustCompile(`^[0-9a-fA-F]{2}$|^([0-9a-fA-F]{2}:){19}[0-9a-fA-F]{2}$`),
		"plain-hex":       regexp.MustCompile(`^[0-9a-fA-F]{4,}$`),
		"odd-digits":      regexp.MustCompile(`^[0-9a-fA-F]:`),
		"other-separator": regexp.MustCompile(`^[0-9a-f]{2}[ .-][0-9a-f]{2}`),
		"decimal":         regexp.MustCompile(`^[0-9]{4,}$`),
	},
	"sha256Fingerprint": {
		"base64url":          regexp.MustCompile(`^[A-Za-z0-9_-]{43}=$`),
		"hex-lower":          regexp.MustCompile(`^[0-9a-f]{64}$`),
		"hex-upper":          regexp.MustCompile(`^[0-9A-F]{64}$`),
		"colon-upper":        regexp.MustCompile(`^([0-9A-F]{2}:){31}[0-9A-F]{2}$`),
		"colon-lower":        regexp.MustCompile(`^([0-9a-f]{2}:){31}[0-9a-f]{2}$`),
		"base64-std":         regexp.MustCompile(`^[A-Za-z0-9+/]*[+/][A-Za-z0-9+/]*=$`),
		"base64url-unpadded": regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`),
		"sha1-length":        regexp.MustCompile(`^([0-9a-fA-F]{2}:){19}[0-9a-fA-F]{2}$`),
	},
}

// modelFields maps a model to the keys whose values it is detected in.
var modelFields = map[string][]string{
	"dn-value": {"issuer", "subject"}, "dn-type": {"issuer", "subject"}, "san": {"san"},
	"uri": {"ocspEndpoint"}, "serialNumber": {"serialNumber"}, "sha256Fingerprint": {"sha256Fingerprint"},
}

var models = map[string]*fieldModel{
	"dn-value": dnValueModel, "dn-type": dnTypeModel, "san": sanModel, "uri": uriModel,
	"serialNumber": serialModel, "sha256Fingerprint": fingerprintModel,
}

// stated is the share of production values of the field drawn from form
// f by the model, the probability docs/generators.md states.
func stated(m *fieldModel, f form) float64 {
	if !f.valid {
		return 0
	}
	return m.prob * float64(f.weight) / float64(m.cumValid[len(m.cumValid)-1])
}

// TestClassModelDetectors checks that every form's values are what its
// detector recognises, and that exactly the forms marked valid give
// production-valid values in their field.
func TestClassModelDetectors(t *testing.T) {
	names := make([]string, 0, len(models))
	for name := range models {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		m := models[name]
		for k, f := range m.forms {
			r := rand.New(SplitMix(uint64(5 + k)))
			re := classDetectors[name][f.name]
			if re == nil {
				t.Fatalf("%s/%s: no detector", name, f.name)
			}
			hits := 0
			for range 300 {
				v := f.value(r)
				if re.MatchString(dnContext(name, v)) {
					hits++
				}
				if name == "dn-type" {
					continue
				}
				ok := fieldValid(modelFields[name][0], dnContext(name, v))
				if ok != f.valid {
					t.Fatalf("%s/%s: %q valid = %v, the model says %v", name, f.name, v, ok, f.valid)
				}
			}
			if hits < 200 {
				t.Errorf("%s/%s: the detector recognised %d of 300 values", name, f.name, hits)
			}
		}
	}
}

// dnContext puts a DN value or type into a DN, as plainDN does.
func dnContext(model, v string) string {
	switch model {
	case "dn-value":
		return "CN=" + v + ",O=x"
	case "dn-type":
		return v + "=x"
	}
	return v
}

// fieldValid reports whether value is production-valid in field key,
// through Validate on a minimal object.
func fieldValid(key, value string) bool {
	leaf := Certificate{SerialNumber: "01", Issuer: "CN=a", Subject: "CN=b", SHA256Fingerprint: strings.Repeat("ab", 32),
		Validity: Validity{NotBefore: "2024-01-01T00:00:00Z", NotAfter: "2030-01-01T00:00:00Z"}}
	switch key {
	case "issuer":
		leaf.Issuer = value
	case "san":
		leaf.SAN = value
	case "ocspEndpoint":
		leaf.OCSPEndpoint = value
	case "serialNumber":
		leaf.SerialNumber = value
	case "sha256Fingerprint":
		leaf.SHA256Fingerprint = value
	}
	c := Connection{ClientIP: "192.0.2.1", ConnectionID: "AAAA", Endpoint: "d1.cloudfront.net", DistributionID: "E1", ClientCertificate: &ClientCertificate{Certificates: Certificates{Leaf: leaf}}}
	return Validate(c.Marshal()) == nil
}

// reach counts, over cases, the values of each field that show each form
// of the class model, and of each character class.
type reach struct {
	values map[string]int            // field → values
	forms  map[string]map[string]int // model → form → values showing it
	chars  map[string][]int          // field → character class → values holding one
	badUTF int                       // objects with invalid UTF-8 or a lone surrogate in a string
}

func newReach() *reach {
	rc := &reach{values: map[string]int{}, forms: map[string]map[string]int{}, chars: map[string][]int{}}
	for name := range models {
		rc.forms[name] = map[string]int{}
	}
	return rc
}

var loneSurrogate = regexp.MustCompile(`\\u[dD][89a-fA-F][0-9a-fA-F]{2}`)

// add counts the values of object in rc and, when also is not nil, in also.
func (rc *reach) add(object []byte, also *reach) {
	if !utf8.Valid(object) || loneSurrogate.Match(object) {
		rc.badUTF++
		if also != nil {
			also.badUTF++
		}
	}
	t, ok := ParseTree(object)
	if !ok {
		return
	}
	for _, l := range t.Leaves() {
		rc.count(l, also)
	}
}

// count counts one leaf in rc and, when also is not nil, in also.
func (rc *reach) count(l Leaf, also *reach) {
	each := func(f func(*reach)) {
		f(rc)
		if also != nil {
			f(also)
		}
	}
	each(func(x *reach) { x.values[l.Key]++ })
	for name, keys := range modelFields {
		if !contains(keys, l.Key) {
			continue
		}
		for form, re := range classDetectors[name] {
			if re.MatchString(l.Value) {
				each(func(x *reach) { x.forms[name][form]++ })
			}
		}
	}
	switch l.Key {
	case "issuer", "subject", "san", "ocspEndpoint":
		var seen [numCharClasses]bool
		for _, c := range l.Value {
			seen[ClassOf(string(c))] = true
		}
		each(func(x *reach) {
			if x.chars[l.Key] == nil {
				x.chars[l.Key] = make([]int, numCharClasses)
			}
			for i, s := range seen {
				if s {
					x.chars[l.Key][i]++
				}
			}
		})
	}
}

// TestClassReach measures the reach of the class model over 10,000 cases
// of the default campaign: every form of every field and every character
// class of the free-text fields appears at least minReach times;
// production cases show each valid form at least half as often as the
// model states, and no form that is not production-valid. With -v it
// prints the table of docs/generators.md.
func TestClassReach(t *testing.T) {
	const n, minReach = 10000, 10
	g, err := New(Options{Now: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	all, prod := newReach(), newReach()
	for i := uint64(0); i < n; i++ {
		switch c := g.Case(1, i); c.Family {
		case FamilyBoundary: // production objects padded to the size limit: no classes of their own
		case FamilyProduction:
			all.add(c.Object, prod)
		default:
			all.add(c.Object, nil)
		}
	}
	names := make([]string, 0, len(models))
	for name := range models {
		names = append(names, name)
	}
	sort.Strings(names)
	var table strings.Builder
	fmt.Fprintf(&table, "| field | class | production-valid | stated share of production values | values showing it, production family | values showing it, all %d cases |\n| --- | --- | --- | --- | --- | --- |\n", n)
	for _, name := range names {
		m := models[name]
		values := 0
		for _, k := range modelFields[name] {
			values += prod.values[k]
		}
		for _, f := range m.forms {
			p, a := prod.forms[name][f.name], all.forms[name][f.name]
			fmt.Fprintf(&table, "| %s | %s | %v | %.2f %% | %d of %d | %d |\n", name, f.name, f.valid, 100*stated(m, f), p, values, a)
			if a < minReach {
				t.Errorf("%s/%s: %d values in %d cases, want at least %d", name, f.name, a, n, minReach)
			}
			if want := stated(m, f) * float64(values) / 2; float64(p) < want {
				t.Errorf("%s/%s: %d of %d production values, want at least half of the stated %.2f %%", name, f.name, p, values, 100*stated(m, f))
			}
			if !f.valid && p > 0 {
				t.Errorf("%s/%s: %d production values of a form CloudFront never sends", name, f.name, p)
			}
		}
	}
	multi := all.forms["dn-type"]["multi-rdn"]
	fmt.Fprintf(&table, "| dn-type | multi-rdn | true | 5 %% of components | %d of %d | %d |\n", prod.forms["dn-type"]["multi-rdn"], prod.values["issuer"]+prod.values["subject"], multi)
	if multi < minReach {
		t.Errorf("dn-type/multi-rdn: %d values in %d cases, want at least %d", multi, n, minReach)
	}
	fmt.Fprintf(&table, "\n| field | %s |\n| --- |%s\n", strings.Join(CharClassNames[:], " | "), strings.Repeat(" --- |", len(CharClassNames)))
	for _, k := range []string{"issuer", "subject", "san", "ocspEndpoint"} {
		fmt.Fprintf(&table, "| %s |", k)
		for c, cnt := range all.chars[k] {
			fmt.Fprintf(&table, " %d / %d |", prod.chars[k][c], cnt)
			if cnt < minReach {
				t.Errorf("%s: character class %s in %d values of %d cases, want at least %d", k, CharClassNames[c], cnt, n, minReach)
			}
			if CharClass(c) == ClassControl && prod.chars[k][c] > 0 {
				t.Errorf("%s: control characters in %d production values", k, prod.chars[k][c])
			}
		}
		table.WriteString("\n")
	}
	fmt.Fprintf(&table, "\nobjects with invalid UTF-8 or a lone surrogate escape: %d of %d (production family: %d)\n", all.badUTF, n, prod.badUTF)
	if all.badUTF < minReach || prod.badUTF > 0 {
		t.Errorf("invalid UTF-8 in %d objects (%d production), want at least %d, none production", all.badUTF, prod.badUTF, minReach)
	}
	t.Logf("class reach (production / all):\n%s", table.String())
}

// TestClassModelShrinks checks that gopter's shrinking of production
// connections, now with values of every class, stays production: every
// shrink candidate of a field validates and is simpler than the value.
func TestClassModelShrinks(t *testing.T) {
	g, err := New(Options{Now: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	gen := g.ConnectionGen()
	checked := 0
	for i := range 300 {
		p := &gopter.GenParameters{MaxSize: i % 101, MaxShrinkCount: 1000, Rng: rand.New(SplitMix(uint64(i)))}
		res := gen(p)
		v, _ := res.Retrieve()
		orig := v.(Connection)
		next := res.Shrinker(v)
		for k := 0; k < 60; k++ {
			c, ok := next()
			if !ok {
				break
			}
			conn := c.(Connection)
			b := conn.Marshal()
			if err := Validate(b); err != nil {
				t.Fatalf("draw %d, shrink %d: not production: %v\n%s\nfrom %s", i, k, err, b, orig.Marshal())
			}
			if len(b) > len(orig.Marshal()) {
				t.Fatalf("draw %d, shrink %d: %d bytes, more than the %d it shrinks", i, k, len(b), len(orig.Marshal()))
			}
			checked++
		}
	}
	t.Logf("%d shrink candidates checked", checked)
}

// TestMalformedClassInvalid checks the malformed family's class-invalid
// variant: a field in a form CloudFront never sends, classified malformed.
func TestMalformedClassInvalid(t *testing.T) {
	g, err := New(Options{Weights: map[string]int{FamilyMalformed: 1}, Now: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for i := uint64(0); i < 3000; i++ {
		c := g.Case(3, i)
		if c.Variant != "class-invalid" {
			continue
		}
		n++
		if Classify(c.Object) != cffuzz.ClassMalformed || bytes.Contains(c.Object, []byte(`"clientIp":""`)) {
			t.Fatalf("case %d: class-invalid object classifies as %s:\n%s", i, Classify(c.Object), c.Object)
		}
	}
	if n < 50 {
		t.Errorf("only %d class-invalid cases in 3000 malformed ones", n)
	}
}

// TestMutationOddSeeds mutates seeds of odd shapes (class-model keys
// holding numbers, arrays and objects, escaped and duplicate keys, no
// certificate at all): no panic, and every case is labelled as Classify
// labels it.
func TestMutationOddSeeds(t *testing.T) {
	seeds := [][]byte{
		[]byte(`{}`),
		[]byte(`{"san":["DNS:a","DNS:b"],"issuer":1,"subject":{"CN":"x"},"serialNumber":null}`),
		[]byte(`{"iss\u0075er":"CN=a","issuer":"CN=b","x":[{"sha256Fingerprint":"ab"},{"ocspEndpoint":""}]}`),
		[]byte(`{"clientIp":"1.2.3.4","connectionId":"AAAA","clientCertificate":{"certificates":{"leaf":{}}}}`),
		[]byte(`[1,2]`), []byte(`"x"`), []byte(`not json`),
	}
	g, err := New(Options{Weights: map[string]int{FamilyMutation: 1}, Seeds: seeds, Now: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	for i := uint64(0); i < 3000; i++ {
		c := g.Case(8, i)
		if got := Classify(c.Object); got != c.Class {
			t.Fatalf("case %d (%s): labelled %s, classifies as %s: %.300s", i, c.Variant, c.Class, got, c.Object)
		}
	}
}
