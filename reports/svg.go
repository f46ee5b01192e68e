package reports

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/cffuzz/cffuzz"
)

// Charts are drawn as inline SVG built here from numbers only; every piece of
// text is escaped with template.HTMLEscapeString before it joins the markup.

const (
	chartW, chartH                     = 520, 220
	padLeft, padRight, padTop, padBott = 48, 12, 12, 36
)

type svgChart struct {
	b  strings.Builder
	id string
}

func newChart(id, title, desc string) *svgChart {
	c := &svgChart{id: id}
	fmt.Fprintf(&c.b, `<svg class="chart" role="img" viewBox="0 0 %d %d" width="%d" height="%d" aria-labelledby="%s-title %s-desc" xmlns="http://www.w3.org/2000/svg">`,
		chartW, chartH, chartW, chartH, id, id)
	fmt.Fprintf(&c.b, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`,
		id, esc(title), id, esc(desc))
	// axes
	fmt.Fprintf(&c.b, `<line class="axis" x1="%d" y1="%d" x2="%d" y2="%d"/>`, padLeft, padTop, padLeft, chartH-padBott)
	fmt.Fprintf(&c.b, `<line class="axis" x1="%d" y1="%d" x2="%d" y2="%d"/>`, padLeft, chartH-padBott, chartW-padRight, chartH-padBott)
	return c
}

func (c *svgChart) text(x, y float64, anchor, class, s string) {
	fmt.Fprintf(&c.b, `<text x="%.1f" y="%.1f" text-anchor="%s" class="%s">%s</text>`, x, y, anchor, class, esc(s))
}

// yTicks labels the y axis at 0, max/2 and max.
func (c *svgChart) yTicks(maxV float64, format func(float64) string) {
	for _, f := range []float64{0, 0.5, 1} {
		y := yPos(f*maxV, maxV)
		fmt.Fprintf(&c.b, `<line class="grid" x1="%d" y1="%.1f" x2="%d" y2="%.1f"/>`, padLeft, y, chartW-padRight, y)
		c.text(padLeft-6, y+4, "end", "tick", format(f*maxV))
	}
}

func (c *svgChart) empty(msg string) template.HTML {
	c.text(chartW/2, chartH/2, "middle", "note", msg)
	return c.done()
}

func (c *svgChart) done() template.HTML {
	c.b.WriteString(`</svg>`)
	return template.HTML(c.b.String()) // #nosec: built from numbers and escaped text only
}

func esc(s string) string { return template.HTMLEscapeString(s) }

func yPos(v, maxV float64) float64 {
	if maxV <= 0 {
		return chartH - padBott
	}
	return float64(chartH-padBott) - v/maxV*float64(chartH-padBott-padTop)
}

func xPos(v, maxV float64) float64 {
	if maxV <= 0 {
		return padLeft
	}
	return padLeft + v/maxV*float64(chartW-padLeft-padRight)
}

func niceMax(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := 1.0
	for p*10 < v {
		p *= 10
	}
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

func intLabel(v float64) string { return fmt.Sprintf("%.0f", v) }

// utilizationChart draws Report.Utilization.Histogram as bars, the bucket at
// or over 100% in the warning colour.
func utilizationChart(u cffuzz.UtilizationSummary) template.HTML {
	c := newChart("util", "Compute utilization histogram",
		fmt.Sprintf("Number of successful tests by ComputeUtilization, in buckets of 10 percent; %d tests, max %d%%.", u.Count, u.Max))
	var maxV float64
	for _, n := range u.Histogram {
		maxV = max(maxV, float64(n))
	}
	if maxV == 0 {
		return c.empty("no utilization recorded")
	}
	maxV = niceMax(maxV)
	c.yTicks(maxV, intLabel)
	slot := float64(chartW-padLeft-padRight) / float64(len(u.Histogram))
	for i, n := range u.Histogram {
		x := padLeft + float64(i)*slot
		y := yPos(float64(n), maxV)
		label := fmt.Sprintf("%d–%d%%", i*10, i*10+9)
		class := "bar"
		if i == len(u.Histogram)-1 {
			label = fmt.Sprintf("100–%d%%", max(u.Max, 100))
			class = "bar over"
		}
		fmt.Fprintf(&c.b, `<rect class="%s" x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%s: %d</title></rect>`,
			class, x+2, y, slot-4, float64(chartH-padBott)-y, esc(label), n)
		c.text(x, chartH-padBott+14, "middle", "tick", fmt.Sprintf("%d", i*10))
	}
	// The last bucket is open: [100, max]. Its right end is labelled with
	// the largest value seen, so that the axis covers every value.
	c.text(float64(chartW-padRight), chartH-padBott+14, "end", "tick", fmt.Sprintf("%d", max(u.Max, 110)))
	c.text(float64(chartW)/2, chartH-4, "middle", "axis-label", "ComputeUtilization (%)")
	return c.done()
}

// timelineChart draws one series of the timeline as a line against elapsed
// time.
// A step chart (counts) gets whole-number ticks.
func timelineChart(id, title, desc, unit string, tl []cffuzz.TimelinePoint, value func(cffuzz.TimelinePoint) float64, step bool) template.HTML {
	c := newChart(id, title, desc)
	if len(tl) == 0 {
		return c.empty("no timeline samples")
	}
	var maxX, maxY float64
	for _, p := range tl {
		maxX = max(maxX, float64(p.ElapsedMS))
		maxY = max(maxY, value(p))
	}
	maxY = niceMax(maxY)
	if step && maxY < 10 && int(maxY)%2 == 1 {
		maxY++ // so that the middle tick is a whole number
	}
	format := intLabel
	if maxY < 10 && !step {
		format = func(v float64) string { return fmt.Sprintf("%.1f", v) }
	}
	c.yTicks(maxY, format)
	var pts []string
	prevY := yPos(0, maxY)
	for i, p := range tl {
		x, y := xPos(float64(p.ElapsedMS), maxX), yPos(value(p), maxY)
		if step && i > 0 {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x, prevY))
		}
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", x, y))
		prevY = y
	}
	fmt.Fprintf(&c.b, `<polyline class="line" points="%s"/>`, strings.Join(pts, " "))
	for _, f := range []float64{0, 0.5, 1} {
		c.text(xPos(f*maxX, maxX), chartH-padBott+14, "middle", "tick", fmt.Sprintf("%.0fs", f*maxX/1000))
	}
	c.text(float64(chartW)/2, chartH-4, "middle", "axis-label", "elapsed time ("+unit+")")
	return c.done()
}
