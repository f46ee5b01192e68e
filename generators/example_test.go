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
