package runner

import "github.com/cffuzz/cffuzz"

// Observer is told what a campaign does as it happens (cffuzz.Observer).
type Observer = cffuzz.Observer

// NopObserver is an Observer that does nothing.
type NopObserver = cffuzz.NopObserver
