package runner

import (
	"sync"

	"github.com/cffuzz/cffuzz"
)

// Snapshot is the campaign's progress at one moment, given to
// Options.Progress (cffuzz.Snapshot).
type Snapshot = cffuzz.Snapshot

// maxTimeline bounds the timeline; when full, every other point is dropped
// and the sampling interval doubles, so a campaign of any length keeps at
// most this many points, evenly spread.
const maxTimeline = 512

// timeline samples progress about every second.
type timeline struct {
	mu     sync.Mutex
	points []cffuzz.TimelinePoint
	every  int // keep one sample of every `every` ticks
	ticks  int
	// last is the previous tick, for the rate over the interval.
	last Snapshot
}

func (t *timeline) tick(s Snapshot) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.every == 0 {
		t.every = 1
	}
	t.ticks++
	if t.ticks%t.every != 0 {
		return
	}
	t.points = append(t.points, t.point(s))
	if len(t.points) >= maxTimeline {
		kept := t.points[:0]
		for i := 1; i < len(t.points); i += 2 {
			kept = append(kept, t.points[i])
		}
		t.points = kept
		t.every *= 2
	}
}

// final appends the last point and returns the timeline.
func (t *timeline) final(s Snapshot) []cffuzz.TimelinePoint {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append(t.points, t.point(s))
}

// point makes a timeline point whose rate is the one since the previous point.
func (t *timeline) point(s Snapshot) cffuzz.TimelinePoint {
	perSec := s.CasesPerSec
	if d := (s.Elapsed - t.last.Elapsed).Seconds(); d > 0 && t.last.Elapsed > 0 {
		perSec = float64(s.Cases-t.last.Cases) / d
	}
	t.last = s
	return cffuzz.TimelinePoint{ElapsedMS: s.Elapsed.Milliseconds(), Cases: s.Cases, CasesPerSec: perSec, Findings: s.Findings}
}
