package runtime

import (
	"math"
	"slices"
	"sync"
	"time"
)

// Host-speed normalization (docs/runtime.md, "Utilization and the time
// limit"). The budget that is 100 points of utilization is CPU time on a
// reference machine; a machine 1.5 times slower (or one whose sibling
// hardware thread is busy) spends 1.5 times the CPU time on the same work.
// An executor measures a fixed reference workload when it starts and scales
// every run's CPU time by
//
//	factor = ReferenceCPU / (the host's CPU time for the workload)
//
// so that Result.CPUTime, Result.Utilization and the time limit are on the
// reference machine's scale whatever machine runs the campaign.

// ReferenceCPU is the CPU time the reference workload takes on the
// reference machine, as MeasureReferenceCPU(48) measures it: the median of
// 60 measurements on the 2-core AMD EPYC VM cffuzz is developed and
// benchmarked on, at a load average of about 2 (docs/runtime.md, "Host
// speed", has the measurements).
const ReferenceCPU = 245 * time.Microsecond

// Bounds of a measured factor: a measurement outside them is not a speed
// difference but a broken clock or a starved measurement, and is clamped.
const (
	MinSpeedFactor = 0.125
	MaxSpeedFactor = 8
)

// SpeedDeadBand is the measurement's own error: a measured factor within
// [1/SpeedDeadBand, SpeedDeadBand] is taken as 1. On the reference machine
// measurements under load ranged 235–260 µs (and, in a loaded stretch,
// up to 457 µs over 300 ms), and scaling a whole campaign by such a factor
// only adds error to every utilization: with it, a planted slow bug was
// lost in 1 of 4 loaded runs of its benchmark, with raw CPU time in none.
// A host outside the band is corrected.
const SpeedDeadBand = 1.25

// speedRuns is how many times the reference workload runs per
// measurement; the least CPU time counts (noise only ever adds time).
const speedRuns = 48

// The runs of a measurement go in batches of speedBatch, speedBatchGap
// apart, so that they span about 600 ms of wall-clock time: on a loaded
// machine the CPU time of the same work swells for tens of milliseconds to
// a second or more at a time, and 40 back-to-back runs (10 ms) can all
// fall into one such stretch (measured: 430 µs where the machine measured
// 230 µs; over 300 ms, 240–457 µs at a load average of 17).
const (
	speedBatch    = 4
	speedBatchGap = 50 * time.Millisecond
)

// speedMaxAge is how long a measurement is reused by the executors that
// start after it in the same process; speedKeep is how long the best
// (fastest) of a process's measurements stays its factor when a later one
// is slower.
const (
	speedMaxAge = time.Minute
	speedKeep   = 10 * time.Minute
)

// referenceWorkload is the reference JavaScript: what connection-function
// policy code does (string building, split and join, regular expressions,
// property access, array search), a few hundred microseconds of goja's
// time. It must never change: ReferenceCPU was measured on it.
const referenceWorkload = `
const ALLOWED = ['api', 'edge', 'payments', 'ops', 'billing', 'search'];
const HEX = /^[0-9a-f]{2}$/;
function parse(dn) {
  const attrs = {};
  const parts = dn.split(',');
  for (let i = 0; i < parts.length; i++) {
    const kv = parts[i].split('=');
    const k = kv[0].trim().toUpperCase();
    attrs[k] = (attrs[k] || []).concat([kv.slice(1).join('=').trim()]);
  }
  return attrs;
}
function connectionHandler(connection) {
  const leaf = connection.clientCertificate.certificates.leaf;
  let score = 0;
  let out = '';
  for (let round = 0; round < 4; round++) {
    const a = parse(leaf.subject + ',OU=team' + round + ',CN=host-' + round + '.example.com');
    const ou = a.OU || [];
    for (let j = 0; j < ou.length; j++) {
      if (ALLOWED.indexOf(ou[j].toLowerCase()) !== -1) {
        score++;
      }
    }
    const fp = leaf.sha256Fingerprint.split(':');
    for (let j = 0; j < fp.length; j++) {
      if (HEX.test(fp[j])) {
        out += fp[j];
      }
    }
    out = out.slice(-64) + (/^CN=[a-z-]+\d*\.example\.com$/.test('CN=host-' + round + '.example.com') ? 'y' : 'n');
  }
  if (score > 0 && out.length > 0) {
    connection.allow();
  } else {
    connection.deny();
  }
}
`

// referenceObject is the connection object the reference workload runs on.
const referenceObject = `{"clientIp":"203.0.113.7","clientCertificate":{"certificates":{"leaf":{` +
	`"subject":"CN=device-42.example.com,OU=Edge,OU=Payments,O=Example Corp,L=Seattle,ST=WA,C=US",` +
	`"issuer":"CN=Example Corp Intermediate CA,O=Example Corp,C=US","serialNumber":"0a:1b:2c:3d",` +
	`"sha256Fingerprint":"ff:0e:9b:27:b6:8e:02:51:8e:8f:b3:54:84:9c:53:7e:c7:de:7b:e3:8d:83:fc:68:a7:7f:cf:4e:04:c9:a6:ab",` +
	`"validity":{"notBefore":"2025-01-01T00:00:00Z","notAfter":"2027-01-01T00:00:00Z"}}}}}`

// speedCache is the process's best recent measurement and when the last
// one was made.
var speedCache struct {
	mu     sync.Mutex
	factor float64   // the largest factor measured since bestAt - speedKeep
	bestAt time.Time // when it was measured
	at     time.Time // when the last measurement was made
}

// SpeedFactor is the host-speed factor an executor built with opts uses:
// opts.SpeedFactor when it is positive, 1 (raw CPU time) when it is
// negative, and otherwise this host's measured factor (ReferenceCPU over
// the host's CPU time for the reference workload). The measurement is made
// by the first executor that needs it and reused by those that start
// within a minute of it; it takes about 600 ms of wall-clock time (12 ms
// of CPU). The factor describes the machine's speed, not its passing load
// (which confirmation treats as noise): when a later measurement is slower
// than one of the last ten minutes, the faster one stays. Pass the result
// in Options.SpeedFactor to fix it (NewProcessPool does, so that every
// worker uses the parent's factor).
func SpeedFactor(opts Options) float64 {
	switch {
	case opts.SpeedFactor > 0:
		return opts.SpeedFactor
	case opts.SpeedFactor < 0:
		return 1
	}
	speedCache.mu.Lock()
	defer speedCache.mu.Unlock()
	if speedCache.factor > 0 && time.Since(speedCache.at) < speedMaxAge {
		return speedCache.factor
	}
	f := speedFactorOf(MeasureReferenceCPU(speedRuns))
	now := time.Now()
	speedCache.at = now
	if f >= speedCache.factor || now.Sub(speedCache.bestAt) > speedKeep {
		speedCache.factor, speedCache.bestAt = f, now
	}
	return speedCache.factor
}

// speedFactorOf is the factor of a host that took cpu for the reference
// workload, clamped to [MinSpeedFactor, MaxSpeedFactor]; 1 when cpu is not
// positive (no thread CPU clock) or the factor is within SpeedDeadBand.
func speedFactorOf(cpu time.Duration) float64 {
	if cpu <= 0 {
		return 1
	}
	f := float64(ReferenceCPU) / float64(cpu)
	if f > 1/SpeedDeadBand && f < SpeedDeadBand {
		return 1
	}
	return math.Min(MaxSpeedFactor, math.Max(MinSpeedFactor, f))
}

// MeasureReferenceCPU runs the reference workload runs times in this
// process, with the executor machinery and raw CPU time, in batches of
// speedBatch runs speedBatchGap apart, each batch after a warm-up run that
// does not count (after a pause the caches are cold and the core may have
// slowed down), and returns the least CPU time of a run; 0 if it could not
// run.
func MeasureReferenceCPU(runs int) time.Duration {
	p, err := compile([]byte(referenceWorkload), true)
	if err != nil {
		return 0 // cannot happen: the workload is fixed and valid
	}
	opts := Options{SpeedFactor: -1}.withDefaults()
	req := Request{Code: []byte(referenceWorkload), Object: []byte(referenceObject), Seed: 1, Now: time.Unix(1767225600, 0)}
	var cpus []time.Duration
	for len(cpus) < max(runs, 1) {
		if len(cpus) > 0 {
			time.Sleep(speedBatchGap)
		}
		for i := 0; i <= speedBatch && len(cpus) < max(runs, 1); i++ {
			res, err := execute(p, req, opts)
			if err != nil || res.ErrorName != "" || res.Decision != DecisionAllow {
				return 0
			}
			if i > 0 { // the batch's first run warms it up
				cpus = append(cpus, res.CPUTime)
			}
		}
	}
	return slices.Min(cpus)
}

// ExecutorSpeedFactor returns the host-speed factor ex scales CPU time by,
// and false when ex is not one of this package's executors (a caller's own
// Executor does not say).
func ExecutorSpeedFactor(ex Executor) (float64, bool) {
	if s, ok := ex.(interface{ speedFactor() float64 }); ok {
		return s.speedFactor(), true
	}
	return 0, false
}

func (e *inProcess) speedFactor() float64   { return e.opts.speed() }
func (p *processPool) speedFactor() float64 { return p.opts.Options.speed() }
