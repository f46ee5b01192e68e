package metrics

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/prometheus/client_golang/prometheus/push"
)

// Push sends the campaign's metrics to the Pushgateway at url under job.
//
// The group is Options.Campaign and Options.Shard (as the grouping labels
// "campaign" and "shard", when set) overridden by grouping. Each shard of a
// campaign thus lands in a group of its own, and shards never overwrite each
// other's counters.
//
// Push uses the Pushgateway's POST ("add") semantics: it replaces only the
// metrics of the same name within that one group and leaves the group's other
// metrics alone, so a final push keeps, for instance, a gauge that an earlier
// push set and this one no longer carries. (PUT would replace the whole
// group.) The Pushgateway never forgets a group: delete it when a campaign is
// retired.
func (c *Campaign) Push(ctx context.Context, url, job string, grouping map[string]string) error {
	if url == "" {
		return errors.New("push metrics: empty Pushgateway URL (e.g. http://127.0.0.1:9091)")
	}
	if job == "" {
		return errors.New("push metrics: empty job name")
	}
	groups := map[string]string{}
	if c.opts.Campaign != "" {
		groups["campaign"] = c.opts.Campaign
	}
	if c.opts.Shard != "" {
		groups["shard"] = c.opts.Shard
	}
	for k, v := range grouping {
		groups[k] = v
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	p := push.New(url, job).Gatherer(c.reg)
	for _, k := range keys {
		p = p.Grouping(k, groups[k])
	}
	if err := p.AddContext(ctx); err != nil {
		return fmt.Errorf("push metrics to %s (job %q): %w", url, job, err)
	}
	return nil
}
