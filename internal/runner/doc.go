// Package runner runs a campaign: it derives each case from (seed, index),
// paces requests with a rate limiter, runs workers, retries transport errors,
// backs off on throttles, stops on budgets or signals, splits the case space
// into shards, and turns oracle signals into confirmed, deduplicated and
// minimized findings.
package runner
