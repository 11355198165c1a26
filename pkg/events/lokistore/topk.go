package lokistore

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/containersec/container-security/pkg/events"
)

// MaxSeries bounds the series of every metric query the reader sends. Loki refuses a query whose result holds
// more series than max_query_series, 500 by default (pkg/validation/limits.go: "querier.max-query-series", 500;
// pkg/querier/queryrange/limits.go seriesLimiter answers 400 "maximum number of series (500) reached for a single
// query"): a count or value list by pod or image of a real cluster has more. Counts and values are the top
// MaxSeries values of the range (topk), and the answer says of how many.
const MaxSeries = 100

// topValues finds the label's top n values over [from, to] (one instant topk, at most n series) and how many values
// there are (count of the grouped series: one series).
func (r *Reader) topValues(ctx context.Context, label string, f events.Filters, from, to time.Time, n int) ([]string, int, error) {
	rng := strconv.FormatInt(int64(max(to.Sub(from).Truncate(time.Second), time.Second)/time.Second), 10) + "s"
	grouped := "sum by (" + label + ") (count_over_time(" + Selector(f) + " [" + rng + "]))"
	raw, err := r.get(ctx, "/loki/api/v1/query", url.Values{"query": {"count(" + grouped + ")"}, "time": {ns(to)}}, "vector")
	if err != nil {
		return nil, 0, err
	}
	var total []series
	if err := json.Unmarshal(raw, &total); err != nil {
		return nil, 0, fmt.Errorf("Loki's vector is malformed: %v", err)
	}
	of := 0
	if len(total) > 0 {
		c, ok := sampleValue(total[0].Value[1])
		if !ok {
			return nil, 0, fmt.Errorf("Loki's vector has a malformed sample")
		}
		of = int(c)
	}
	if of <= n {
		return nil, of, nil // every value fits: no need to name them
	}
	raw, err = r.get(ctx, "/loki/api/v1/query", url.Values{"query": {"topk(" + strconv.Itoa(n) + ", " + grouped + ")"}, "time": {ns(to)}}, "vector")
	if err != nil {
		return nil, 0, err
	}
	var top []series
	if err := json.Unmarshal(raw, &top); err != nil {
		return nil, 0, fmt.Errorf("Loki's vector is malformed: %v", err)
	}
	vals := make([]string, 0, len(top))
	for _, s := range top {
		vals = append(vals, s.Metric[label])
	}
	return vals, of, nil
}
