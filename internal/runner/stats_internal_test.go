package runner

import (
	"testing"
	"time"

	"github.com/cffuzz/cffuzz"
)

func TestUtilizationSummary(t *testing.T) {
	tests := []struct {
		reason string
		values []int
		want   cffuzz.UtilizationSummary
	}{
		{"no values", nil, cffuzz.UtilizationSummary{}},
		{"one value", []int{42}, cffuzz.UtilizationSummary{Count: 1, P50: 42, P90: 42, P95: 42, P99: 42, Max: 42,
			Histogram: [11]int64{4: 1}}},
		{"1..100 gives the nearest-rank percentiles", seq(1, 100), cffuzz.UtilizationSummary{Count: 100, P50: 50, P90: 90, P95: 95, P99: 99, Max: 100,
			Histogram: [11]int64{9, 10, 10, 10, 10, 10, 10, 10, 10, 10, 1}}},
		{"missing values (-1) are not counted", []int{-1, 5, -1}, cffuzz.UtilizationSummary{Count: 1, P50: 5, P90: 5, P95: 5, P99: 5, Max: 5,
			Histogram: [11]int64{1}}},
		{"values past the exact range keep their maximum", []int{10, 5000}, cffuzz.UtilizationSummary{Count: 2, P50: 10, P90: 5000, P95: 5000, P99: 5000, Max: 5000,
			Histogram: [11]int64{1: 1, 10: 1}}},
	}
	for _, tt := range tests {
		// Split the values over two counters and merge, as workers do.
		var a, b utilCounts
		for i, v := range tt.values {
			if i%2 == 0 {
				a.add(v)
			} else {
				b.add(v)
			}
		}
		a.merge(&b)
		if got := a.summary(); got != tt.want {
			t.Errorf("%s: got %+v, want %+v", tt.reason, got, tt.want)
		}
	}
}

func seq(from, to int) []int {
	var out []int
	for i := from; i <= to; i++ {
		out = append(out, i)
	}
	return out
}

func TestTimelineStaysBounded(t *testing.T) {
	var tl timeline
	for i := 1; i <= 10*maxTimeline; i++ {
		tl.tick(Snapshot{Elapsed: secondsDur(i), Cases: int64(100 * i)})
	}
	pts := tl.final(Snapshot{Elapsed: secondsDur(10*maxTimeline + 1), Cases: int64(100 * (10*maxTimeline + 1))})
	if len(pts) > maxTimeline || len(pts) < maxTimeline/4 {
		t.Fatalf("%d timeline points after %d ticks, want between %d and %d", len(pts), 10*maxTimeline, maxTimeline/4, maxTimeline)
	}
	for i := 1; i < len(pts); i++ {
		if pts[i].ElapsedMS <= pts[i-1].ElapsedMS {
			t.Fatalf("timeline not in order at %d: %v then %v", i, pts[i-1], pts[i])
		}
		if pts[i].CasesPerSec != 100 {
			t.Fatalf("point %d: rate %v, want 100 cases/s", i, pts[i].CasesPerSec)
		}
	}
}

func secondsDur(n int) time.Duration { return time.Duration(n) * time.Second }
