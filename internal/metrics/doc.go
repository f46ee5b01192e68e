// Package metrics exposes what a cffuzz campaign does as Prometheus metrics.
//
// A Campaign owns its own registry (never the global one) and implements
// runner.Observer, so the campaign runner feeds it as cases, requests,
// throttles and findings happen. The metrics can then leave the process in
// three ways, one per way cffuzz is run:
//
//   - Serve or Handler: a /metrics endpoint for a long campaign, scraped by
//     Prometheus (bound to 127.0.0.1 unless told otherwise);
//   - Push: a push to a Prometheus Pushgateway at the end of a CI job or a
//     shard, grouped by campaign and shard so that shards do not overwrite
//     each other;
//   - WriteFile: the text exposition format in a file, kept as a CI artifact
//     when there is no Pushgateway.
//
// Every metric name starts with "cffuzz_", uses base units and ends in
// "_total" for counters. Labels only ever hold values from small, fixed sets
// (target, generator family, outcome, API operation, HTTP status, oracle,
// severity): never inputs, messages, ids or signatures. docs/metrics.md lists
// every metric.
package metrics
