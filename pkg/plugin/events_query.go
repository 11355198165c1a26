package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/containersec/container-security/pkg/events"
	"github.com/containersec/container-security/pkg/events/sqlitestore"
)

// Query types of the events contract (/work/contracts/events-api.md).
const (
	QueryTypeEvents      = "events"
	QueryTypeEvent       = "event"
	QueryTypeEventCounts = "eventCounts"
	QueryTypeEventValues = "eventValues"
)

// maxCountBuckets bounds the buckets of one eventCounts query; a smaller interval is widened.
const maxCountBuckets = 11000

// stringList accepts a JSON array of strings, one string, or null: a template variable with one value may be
// interpolated as a plain string.
type stringList []string

func (l *stringList) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*l = nil
		if one = strings.TrimSpace(one); one != "" {
			*l = []string{one}
		}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return errors.New("must be a string or an array of strings")
	}
	out := many[:0]
	for _, v := range many {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	*l = out
	return nil
}

type filtersJSON struct {
	MinPriority string     `json:"minPriority"`
	Rules       stringList `json:"rules"`
	Sources     stringList `json:"sources"`
	Tags        stringList `json:"tags"`
	Cluster     string     `json:"cluster"`
	Hostnames   stringList `json:"hostnames"`
	Namespaces  stringList `json:"namespaces"`
	Pods        stringList `json:"pods"`
	Images      stringList `json:"images"`
	Text        string     `json:"text"`
}

// eventsQuery is the DataQuery JSON of every event query type.
type eventsQuery struct {
	Filters filtersJSON `json:"filters"`
	Limit   *int        `json:"limit"`
	Cursor  string      `json:"cursor"`
	GroupBy string      `json:"groupBy"`
	Field   string      `json:"field"`
	ID      string      `json:"id"`
}

func parseEventsQuery(raw json.RawMessage) (eventsQuery, events.Filters, error) {
	var q eventsQuery
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &q); err != nil {
			var typ *json.UnmarshalTypeError
			if errors.As(err, &typ) {
				return q, events.Filters{}, fmt.Errorf("query field %q must be %s", typ.Field, typ.Type)
			}
			return q, events.Filters{}, fmt.Errorf("query is invalid: %v", err)
		}
	}
	f := events.Filters{
		Rules: q.Filters.Rules, Sources: q.Filters.Sources, Tags: q.Filters.Tags, Cluster: strings.TrimSpace(q.Filters.Cluster),
		Hostnames: q.Filters.Hostnames, Namespaces: q.Filters.Namespaces, Pods: q.Filters.Pods, Images: q.Filters.Images,
		Text: strings.TrimSpace(q.Filters.Text),
	}
	if mp := strings.TrimSpace(q.Filters.MinPriority); mp != "" {
		p, err := events.ParsePriority(mp)
		if err != nil {
			return q, f, fmt.Errorf("minPriority: %v", err)
		}
		f.MinPriority = &p
	}
	if len(f.Text) > 1024 {
		return q, f, errors.New("text filter is longer than 1024 characters")
	}
	// FTS5 ends a query string at a NUL byte (values are hashed and passed as parameters, so they may hold one).
	if strings.ContainsRune(f.Text, 0) {
		return q, f, errors.New("text filter must not contain a NUL byte")
	}
	// Every value becomes an FTS5 token and a bound parameter (SQLite allows 32,766 per statement) or a LogQL matcher.
	n := len(f.Rules) + len(f.Sources) + len(f.Tags) + len(f.Hostnames) + len(f.Namespaces) + len(f.Pods) + len(f.Images)
	if n > maxFilterValues {
		return q, f, fmt.Errorf("filters hold %d values; at most %d are allowed", n, maxFilterValues)
	}
	return q, f, nil
}

// maxFilterValues bounds the values of all filters of one query together.
const maxFilterValues = 1000

// storeError maps a store error to a response: the user's mistakes are 400s, the rest 500s.
func storeError(err error) backend.DataResponse {
	if errors.Is(err, sqlitestore.ErrBadCursor) || errors.Is(err, errBadLokiCursor) || errors.Is(err, sqlitestore.ErrUnsearchableText) {
		return backend.ErrDataResponse(backend.StatusBadRequest, err.Error())
	}
	return backend.ErrDataResponse(backend.StatusInternal, fmt.Sprintf("the event store failed: %v", err))
}

// eventsRequest is what every event query type starts with: a ready store and the parsed query; a problem with
// either is the user's to fix, so it comes back as a 400 response.
func (d *Datasource) eventsRequest(dq backend.DataQuery) (events.Reader, eventsQuery, events.Filters, *backend.DataResponse) {
	r, err := d.storeReady()
	if err == nil {
		var q eventsQuery
		var f events.Filters
		if q, f, err = parseEventsQuery(dq.JSON); err == nil {
			return r, q, f, nil
		}
	}
	bad := backend.ErrDataResponse(backend.StatusBadRequest, err.Error())
	return nil, eventsQuery{}, events.Filters{}, &bad
}

func (d *Datasource) queryEvents(ctx context.Context, dq backend.DataQuery) backend.DataResponse {
	r, q, f, bad := d.eventsRequest(dq)
	if bad != nil {
		return *bad
	}
	limit := events.DefaultLimit
	if q.Limit != nil {
		limit = *q.Limit
		if limit < 1 || limit > events.MaxLimit {
			return backend.ErrDataResponse(backend.StatusBadRequest, fmt.Sprintf("limit must be between 1 and %d, got %d", events.MaxLimit, limit))
		}
	}
	page, err := r.List(ctx, events.ListRequest{From: dq.TimeRange.From, To: dq.TimeRange.To, Filters: f, Limit: limit, Cursor: q.Cursor})
	if err != nil {
		return storeError(err)
	}
	frame := eventsFrame(page.Events)
	frame.Meta = &data.FrameMeta{
		PreferredVisualization: data.VisTypeTable,
		Custom:                 map[string]any{"nextCursor": page.NextCursor},
	}
	return backend.DataResponse{Frames: data.Frames{frame}}
}

func (d *Datasource) queryEvent(ctx context.Context, dq backend.DataQuery) backend.DataResponse {
	r, q, _, bad := d.eventsRequest(dq)
	if bad != nil {
		return *bad
	}
	id := strings.TrimSpace(q.ID)
	if id == "" {
		return backend.ErrDataResponse(backend.StatusBadRequest, `an event query needs the "id" of the event`)
	}
	e, err := r.Get(ctx, id)
	if err != nil && !errors.Is(err, sqlitestore.ErrNotFound) && !errors.Is(err, errLokiNotFound) {
		return storeError(err)
	}
	frame := eventsFrame(nil)
	frame.Meta = &data.FrameMeta{PreferredVisualization: data.VisTypeTable, Custom: map[string]any{"nextCursor": ""}}
	if e == nil {
		return backend.DataResponse{Frames: data.Frames{frame}, Error: fmt.Errorf("no event with id %q", id), Status: backend.StatusNotFound}
	}
	frame = eventsFrame([]events.Event{*e})
	frame.Meta = &data.FrameMeta{PreferredVisualization: data.VisTypeTable, Custom: map[string]any{"nextCursor": ""}}
	return backend.DataResponse{Frames: data.Frames{frame}}
}

// eventsFrame is the "events" frame of the contract, its fields in the contract's order.
func eventsFrame(evs []events.Event) *data.Frame {
	n := len(evs)
	ids, prio, rule, source, host, cluster, ns, pod, ctr, image, proc, cmd, user, parent, tags, output, fields :=
		make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n),
		make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n),
		make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	times := make([]time.Time, n)
	for i, e := range evs {
		ids[i], times[i], prio[i], rule[i], source[i], host[i], cluster[i] = e.ID, e.Time, e.Priority.String(), e.Rule, e.Source, e.Hostname, e.Cluster
		ns[i], pod[i], ctr[i], image[i], proc[i], cmd[i], user[i], parent[i] = e.Namespace, e.Pod, e.Container, e.Image, e.Process, e.Cmdline, e.User, e.Parent
		tags[i], output[i], fields[i] = strings.Join(e.Tags, ","), e.Output, string(e.OutputFields)
	}
	return data.NewFrame("events",
		data.NewField("id", nil, ids), data.NewField("time", nil, times), data.NewField("priority", nil, prio),
		data.NewField("rule", nil, rule), data.NewField("source", nil, source), data.NewField("hostname", nil, host),
		data.NewField("cluster", nil, cluster), data.NewField("namespace", nil, ns), data.NewField("pod", nil, pod),
		data.NewField("container", nil, ctr), data.NewField("image", nil, image), data.NewField("process", nil, proc),
		data.NewField("cmdline", nil, cmd), data.NewField("user", nil, user), data.NewField("parent", nil, parent),
		data.NewField("tags", nil, tags), data.NewField("output", nil, output), data.NewField("output_fields", nil, fields),
	)
}

// minuteBucketsFrom is the range from which eventCounts buckets are whole minutes.
const minuteBucketsFrom = time.Hour

// countBucket is the query interval (at least a second), widened when the range would need too many buckets.
// From an hour on it is also rounded up to whole minutes: the SQLite store keeps per-minute counts, and a bucket
// of 20 s (what Grafana asks for a 6 h panel about a thousand pixels wide) would make it count every event of
// the range instead (611 ms against 1.3 ms for 6 h of a million events a day, 2.3 s against 2 ms for 24 h at
// 30 s). An hour has 60 such buckets or more; shorter ranges hold few events and keep the interval.
func countBucket(dq backend.DataQuery) time.Duration {
	b := max(dq.Interval, time.Second)
	span := dq.TimeRange.To.Sub(dq.TimeRange.From)
	if span/b > maxCountBuckets {
		b = (span/maxCountBuckets + time.Second - 1).Truncate(time.Second)
	}
	if span >= minuteBucketsFrom && b%time.Minute != 0 {
		b = (b + time.Minute - 1).Truncate(time.Minute)
	}
	return b
}

func (d *Datasource) queryEventCounts(ctx context.Context, dq backend.DataQuery) backend.DataResponse {
	r, q, f, bad := d.eventsRequest(dq)
	if bad != nil {
		return *bad
	}
	if q.GroupBy == "" {
		q.GroupBy = string(events.DimPriority)
	}
	dim, err := events.ParseDimension(q.GroupBy, events.GroupDimensions)
	if err != nil {
		return backend.ErrDataResponse(backend.StatusBadRequest, "groupBy "+err.Error())
	}
	counts, err := r.Count(ctx, events.CountRequest{From: dq.TimeRange.From, To: dq.TimeRange.To, Filters: f, GroupBy: dim, Bucket: countBucket(dq)})
	if err != nil {
		return storeError(err)
	}
	frames := make(data.Frames, 0, len(counts.Series))
	for _, s := range counts.Series {
		times := make([]time.Time, len(s.Counts))
		values := make([]float64, len(s.Counts))
		for i, c := range s.Counts {
			times[i] = counts.Start.Add(time.Duration(i) * counts.Bucket)
			values[i] = float64(c)
		}
		frame := data.NewFrame(s.Value,
			data.NewField("time", nil, times),
			data.NewField("value", data.Labels{string(dim): s.Value}, values),
		)
		frame.Meta = &data.FrameMeta{Type: data.FrameTypeTimeSeriesMulti, TypeVersion: data.FrameTypeVersion{0, 1}}
		frames = append(frames, frame)
	}
	if counts.Of > 0 && len(frames) > 0 {
		frames[0].Meta.Notices = []data.Notice{topNotice(len(counts.Series), counts.Of, dim)}
		frames[0].Meta.Custom = map[string]int{"top": len(counts.Series), "of": counts.Of}
	}
	return backend.DataResponse{Frames: frames}
}

// topNotice says that a store bounded its answer to the most frequent values (Loki: lokistore.MaxSeries).
func topNotice(n, of int, dim events.Dimension) data.Notice {
	return data.Notice{Severity: data.NoticeSeverityInfo, Text: fmt.Sprintf("top %d of %d %s values: Loki answers at most max_query_series (500 by default) series per query", n, of, dim)}
}

func (d *Datasource) queryEventValues(ctx context.Context, dq backend.DataQuery) backend.DataResponse {
	r, q, f, bad := d.eventsRequest(dq)
	if bad != nil {
		return *bad
	}
	dim, err := events.ParseDimension(q.Field, events.ValueDimensions)
	if err != nil {
		return backend.ErrDataResponse(backend.StatusBadRequest, "field "+err.Error())
	}
	limit := events.MaxLimit
	if q.Limit != nil && *q.Limit > 0 && *q.Limit < limit {
		limit = *q.Limit
	}
	req := events.ValueRequest{From: dq.TimeRange.From, To: dq.TimeRange.To, Filters: f, Field: dim, Limit: limit}
	var vals []events.ValueCount
	of := 0
	if vo, ok := r.(interface {
		ValuesOf(context.Context, events.ValueRequest) ([]events.ValueCount, int, error)
	}); ok {
		vals, of, err = vo.ValuesOf(ctx, req)
	} else {
		vals, err = r.Values(ctx, req)
	}
	if err != nil {
		return storeError(err)
	}
	names := make([]string, len(vals))
	counts := make([]int64, len(vals))
	for i, v := range vals {
		names[i], counts[i] = v.Value, v.Count
	}
	frame := data.NewFrame("eventValues", data.NewField("value", nil, names), data.NewField("count", nil, counts))
	if of > len(vals) {
		frame.Meta = &data.FrameMeta{Notices: []data.Notice{topNotice(len(vals), of, dim)}, Custom: map[string]int{"top": len(vals), "of": of}}
	}
	return backend.DataResponse{Frames: data.Frames{frame}}
}
