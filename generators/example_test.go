package generators_test

import (
	"fmt"
	"time"

	"github.com/cffuzz/cffuzz/generators"
)

func ExampleGenerator_Case() {
	g, err := generators.New(generators.Options{
		Now:     time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		Weights: map[string]int{generators.FamilyBoundary: 1},
	})
	if err != nil {
		panic(err)
	}
	a, b := g.Case(42, 7), g.Case(42, 7)
	fmt.Println(a.Family, a.Class, string(a.Object) == string(b.Object))
	// Output: boundary boundary true
}

func ExampleDictionaryFromJS() {
	code := []byte(`import cf from 'cloudfront';
const CONTRACTOR_ISSUERS = ['Example Corp Intermediate CA', 'Contractor CA'];
const VPN = /^10\.1\./;
function connectionHandler(connection) {
  return VPN.test(connection.clientIp) ? connection.allow() : connection.deny();
}`)
	kvs := generators.DictionaryFromKVS([]string{"revoked:4a3f5c92"}, []string{`{"reason":"keyCompromise"}`})
	dict := append(generators.DictionaryFromJS(code), kvs...)
	fmt.Printf("%q\n", dict)
	g, err := generators.New(generators.Options{Dictionary: dict})
	if err != nil {
		panic(err)
	}
	_ = g.Case(1, 0) // about a third of eligible fields now take a token
	// Output: ["10.1." "Contractor CA" "Example Corp Intermediate CA" "4a3f5c92" "keyCompromise" "revoked:4a3f5c92" "{\"reason\":\"keyCompromise\"}"]
}
