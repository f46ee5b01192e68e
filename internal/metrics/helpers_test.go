package metrics_test

import (
	"strconv"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// gatherMetric returns the one series of name whose label values, in label
// name order, equal labels (all of them when labels is nil).
func gatherMetric(t *testing.T, g prometheus.Gatherer, name string, labels []string) *dto.Metric {
	t.Helper()
	mfs, err := g.Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	next:
		for _, m := range mf.GetMetric() {
			if labels != nil {
				var vals []string
				for _, lp := range m.GetLabel() {
					vals = append(vals, lp.GetValue())
				}
				// Label pairs come sorted by name; compare in the order
				// the metric declares them.
				if !sameSet(vals, labels) {
					continue next
				}
			}
			return m
		}
	}
	return nil
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]int{}
	for _, s := range a {
		seen[s]++
	}
	for _, s := range b {
		seen[s]--
	}
	for _, n := range seen {
		if n != 0 {
			return false
		}
	}
	return true
}

// gatherValue returns the value of a counter or gauge series, 0 when absent.
func gatherValue(t *testing.T, g prometheus.Gatherer, name string, labels []string) float64 {
	t.Helper()
	m := gatherMetric(t, g, name, labels)
	switch {
	case m == nil:
		return 0
	case m.Counter != nil:
		return m.GetCounter().GetValue()
	case m.Gauge != nil:
		return m.GetGauge().GetValue()
	}
	t.Fatalf("%s is neither a counter nor a gauge", name)
	return 0
}

func gatherLabel(t *testing.T, g prometheus.Gatherer, name, label string) string {
	t.Helper()
	m := gatherMetric(t, g, name, nil)
	if m == nil {
		t.Fatalf("no series %s", name)
	}
	for _, lp := range m.GetLabel() {
		if lp.GetName() == label {
			return lp.GetValue()
		}
	}
	return ""
}

func gatherHistogram(t *testing.T, g prometheus.Gatherer, name string) *dto.Histogram {
	t.Helper()
	m := gatherMetric(t, g, name, nil)
	if m == nil || m.Histogram == nil {
		t.Fatalf("no histogram %s", name)
	}
	return m.GetHistogram()
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}
