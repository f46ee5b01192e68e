package coverage_test

import (
	"math"
	"testing"

	"github.com/cffuzz/cffuzz/coverage"
)

func TestBucket(t *testing.T) {
	tests := []struct {
		hits   uint32
		want   uint8
		reason string
	}{
		{0, 0, "not reached"},
		{1, 1, "once"},
		{2, 2, "twice"},
		{3, 3, "three times"},
		{4, 4, "4–7"},
		{7, 4, "4–7"},
		{8, 5, "8–15"},
		{15, 5, "8–15"},
		{16, 6, "16–31"},
		{31, 6, "16–31"},
		{32, 7, "32–127"},
		{127, 7, "32–127"},
		{128, 8, "128 and more"},
		{math.MaxUint32, 8, "saturated counts"},
	}
	for _, tt := range tests {
		if got := coverage.Bucket(tt.hits); got != tt.want {
			t.Errorf("Bucket(%d) = %d, want %d (%s)", tt.hits, got, tt.want, tt.reason)
		}
	}
}
