package lokistore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/containersec/container-security/pkg/events"
)

// Errors the plugin maps to 400/404.
var (
	ErrBadCursor = errors.New("cursor is not valid for this event store; start from the first page")
	ErrNotFound  = errors.New("no event with this id")
)

// Config says where Loki is and how events' clusters are named.
type Config struct {
	URL     string       // base URL, e.g. http://loki:3100
	Client  *http.Client // from the SDK's httpclient (auth, TLS, proxy)
	Options events.Options
	Now     func() time.Time
}

// Reader answers the event queries from Loki's HTTP API.
type Reader struct{ cfg Config }

var _ events.Reader = (*Reader)(nil)

// New checks the URL and returns a reader; it does not contact Loki.
func New(cfg Config) (*Reader, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("Loki URL must be http(s)://host:port")
	}
	if cfg.Client == nil {
		cfg.Client = http.DefaultClient
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.URL = strings.TrimSuffix(cfg.URL, "/")
	return &Reader{cfg: cfg}, nil
}

type apiResponse struct {
	Status string `json:"status"`
	Data   struct {
		ResultType string          `json:"resultType"`
		Result     json.RawMessage `json:"result"`
	} `json:"data"`
}

type stream struct {
	Stream map[string]string `json:"stream"`
	Values [][2]string       `json:"values"`
}

type series struct {
	Metric map[string]string `json:"metric"`
	Values [][2]any          `json:"values"` // matrix: [unix seconds, "count"]
	Value  [2]any            `json:"value"`  // vector
}

// maxErrorBody bounds how much of Loki's error answer is repeated to the user.
const maxErrorBody = 512

func (r *Reader) get(ctx context.Context, path string, params url.Values, wantType string) (json.RawMessage, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.cfg.URL+path+"?"+params.Encode(), nil)
	if err != nil {
		return nil, err
	}
	resp, err := r.cfg.Client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error repeats the whole URL with the query
		}
		return nil, fmt.Errorf("Loki does not answer: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("reading Loki's answer: %v", err)
	}
	if resp.StatusCode != http.StatusOK {
		msg := strings.TrimSpace(string(body))
		if len(msg) > maxErrorBody {
			msg = msg[:maxErrorBody] + "…"
		}
		return nil, fmt.Errorf("Loki answered %d: %s", resp.StatusCode, msg)
	}
	var ar apiResponse
	if err := json.Unmarshal(body, &ar); err != nil || ar.Status != "success" {
		return nil, fmt.Errorf("Loki's answer is not a successful query result")
	}
	if ar.Data.ResultType != wantType {
		return nil, fmt.Errorf("Loki answered a %q result where %q was expected", ar.Data.ResultType, wantType)
	}
	return ar.Data.Result, nil
}

func ns(t time.Time) string { return strconv.FormatInt(t.UnixNano(), 10) }

// event turns one Loki entry into an event: the whole payload with loki.format json, else the labels and the
// output text. Its id carries its time, so Get can ask Loki for that instant only.
func (r *Reader) event(labels map[string]string, tsNs, line string) (events.Event, error) {
	ts, err := strconv.ParseInt(tsNs, 10, 64)
	if err != nil {
		return events.Event{}, fmt.Errorf("Loki entry has a bad timestamp %q", tsNs)
	}
	var e events.Event
	if strings.HasPrefix(strings.TrimSpace(line), "{") {
		if evs, err := events.Parse([]byte(line), r.cfg.Options); err == nil && len(evs) == 1 {
			e = evs[0]
		}
	}
	if e.Rule == "" {
		e = events.Event{Rule: labels["rule"], Source: labels["source"], Hostname: labels["hostname"], Namespace: labels["k8s_ns_name"],
			Pod: labels["k8s_pod_name"], Output: line, OutputFields: json.RawMessage("{}"), Cluster: r.cfg.Options.DefaultCluster}
		if p, err := events.ParsePriority(labels["priority"]); err == nil {
			e.Priority = p
		}
		if t := labels["tags"]; t != "" {
			e.Tags = strings.Split(t, ",")
		}
		e.Image = imageOfLine(line)
		if c := labels[strings.NewReplacer(".", "_", "[", "", "]", "").Replace(r.cfg.Options.ClusterField)]; r.cfg.Options.ClusterField != "" && c != "" {
			e.Cluster = c
		}
	}
	e.Time = time.Unix(0, ts).UTC()
	h := sha256.Sum256([]byte(line + "\x00" + labels["rule"] + "\x00" + labels["hostname"]))
	e.ID = tsNs + "-" + hex.EncodeToString(h[:8])
	return e, nil
}

// keep applies the filters Loki cannot: cluster and image are not labels.
func keep(e events.Event, f events.Filters) bool {
	if f.Cluster != "" && e.Cluster != f.Cluster {
		return false
	}
	return len(f.Images) == 0 || slices.Contains(f.Images, e.Image)
}

// cursor is the time of the last event shown and how many events at that nanosecond were shown.
func encodeCursor(t int64, seen int) string { return fmt.Sprintf("%d.%d", t, seen) }

func decodeCursor(c string) (int64, int, error) {
	a, b, ok := strings.Cut(c, ".")
	t, err1 := strconv.ParseInt(a, 10, 64)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 0 {
		return 0, 0, ErrBadCursor
	}
	return t, n, nil
}

// List asks Loki for the newest entries (direction=backward), merges its streams newest first and pages with
// a cursor of (time, events already shown at that time).
func (r *Reader) List(ctx context.Context, req events.ListRequest) (events.Page, error) {
	limit := req.Limit
	if limit <= 0 {
		limit = events.DefaultLimit
	}
	limit = min(limit, events.MaxLimit)
	end := req.To.UnixNano() + 1 // Loki's end is exclusive
	skipAt, skip := int64(-1), 0
	if req.Cursor != "" {
		t, n, err := decodeCursor(req.Cursor)
		if err != nil {
			return events.Page{}, err
		}
		end, skipAt, skip = t+1, t, n
	}
	var out []events.Event
	for round := 0; round < 5 && len(out) <= limit; round++ {
		params := url.Values{"query": {Selector(req.Filters)}, "start": {ns(req.From)}, "end": {strconv.FormatInt(end, 10)},
			"limit": {strconv.Itoa(limit + 1 + skip)}, "direction": {"backward"}}
		raw, err := r.get(ctx, "/loki/api/v1/query_range", params, "streams")
		if err != nil {
			return events.Page{}, err
		}
		var streams []stream
		if err := json.Unmarshal(raw, &streams); err != nil {
			return events.Page{}, fmt.Errorf("Loki's streams are malformed: %v", err)
		}
		var batch []events.Event
		for _, s := range streams {
			for _, v := range s.Values {
				e, err := r.event(s.Stream, v[0], v[1])
				if err != nil {
					return events.Page{}, err
				}
				batch = append(batch, e)
			}
		}
		slices.SortStableFunc(batch, func(a, b events.Event) int {
			if c := b.Time.Compare(a.Time); c != 0 {
				return c
			}
			return strings.Compare(b.ID, a.ID)
		})
		entries := len(batch)
		for _, e := range batch {
			t := e.Time.UnixNano()
			if t > skipAt && skipAt >= 0 {
				continue
			}
			if t == skipAt && skip > 0 {
				skip--
				continue
			}
			if keep(e, req.Filters) {
				out = append(out, e)
			}
		}
		if entries < limit+1 || len(batch) == 0 {
			break // Loki has nothing older
		}
		// Filtered out too many: continue before the oldest entry of this round.
		oldest := batch[len(batch)-1].Time.UnixNano()
		seenAtOldest := 0
		for _, e := range batch {
			if e.Time.UnixNano() == oldest {
				seenAtOldest++
			}
		}
		end, skipAt, skip = oldest+1, oldest, seenAtOldest
	}
	page := events.Page{Events: out}
	if len(out) > limit {
		page.Events = out[:limit]
		last := page.Events[limit-1].Time.UnixNano()
		n := 0
		for _, e := range page.Events {
			if e.Time.UnixNano() == last {
				n++
			}
		}
		page.NextCursor = encodeCursor(last, n)
	}
	return page, nil
}

// Get finds an event by the id List gave it: its time, then the hash of its line.
func (r *Reader) Get(ctx context.Context, id string) (*events.Event, error) {
	tsPart, _, ok := strings.Cut(id, "-")
	ts, err := strconv.ParseInt(tsPart, 10, 64)
	if !ok || err != nil {
		return nil, ErrNotFound
	}
	params := url.Values{"query": {Selector(events.Filters{})}, "start": {tsPart}, "end": {strconv.FormatInt(ts+1, 10)}, "limit": {"1000"}, "direction": {"backward"}}
	raw, err := r.get(ctx, "/loki/api/v1/query_range", params, "streams")
	if err != nil {
		return nil, err
	}
	var streams []stream
	if err := json.Unmarshal(raw, &streams); err != nil {
		return nil, fmt.Errorf("Loki's streams are malformed: %v", err)
	}
	for _, s := range streams {
		for _, v := range s.Values {
			if e, err := r.event(s.Stream, v[0], v[1]); err == nil && e.ID == id {
				return &e, nil
			}
		}
	}
	return nil, ErrNotFound
}

func sampleValue(v any) (float64, bool) {
	s, ok := v.(string)
	if !ok {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// Count runs sum by (label) (count_over_time(...[bucket])) as a range query with step = bucket, over the top
// MaxSeries values of the range when there are more (Counts.Of says of how many); tags, one comma-joined label,
// are split into one series per tag.
func (r *Reader) Count(ctx context.Context, req events.CountRequest) (events.Counts, error) {
	label, ok := labelOf[req.GroupBy]
	if !ok {
		return events.Counts{}, fmt.Errorf("cannot group Loki events by %q", req.GroupBy)
	}
	if req.Filters.Cluster != "" || len(req.Filters.Images) > 0 {
		return events.Counts{}, errors.New("event counts from Loki cannot filter by cluster or image: they are not Loki labels")
	}
	bucket := max(req.Bucket.Truncate(time.Second), time.Second)
	start := events.AlignedStart(req.From, bucket)
	n := int((req.To.UnixNano()-start.UnixNano())/int64(bucket)) + 1
	step := strconv.FormatInt(int64(bucket/time.Second), 10) + "s"
	// At most MaxSeries series: the values of the whole range's top MaxSeries (topValues), matched by label.
	top, of, err := r.topValues(ctx, label, req.Filters, start, start.Add(time.Duration(n)*bucket), MaxSeries)
	if err != nil {
		return events.Counts{}, err
	}
	sel := Selector(req.Filters)
	if top != nil {
		sel = selector(req.Filters, label, top)
	}
	q := "sum by (" + label + ") (count_over_time(" + sel + " [" + step + "]))"
	// The sample at T counts (T-bucket, T]: evaluating at bucket ends puts each bucket's events in its sample.
	params := url.Values{"query": {q}, "start": {ns(start.Add(bucket))}, "end": {ns(start.Add(time.Duration(n) * bucket))}, "step": {step}}
	raw, err := r.get(ctx, "/loki/api/v1/query_range", params, "matrix")
	if err != nil {
		return events.Counts{}, err
	}
	var result []series
	if err := json.Unmarshal(raw, &result); err != nil {
		return events.Counts{}, fmt.Errorf("Loki's matrix is malformed: %v", err)
	}
	out := events.Counts{Start: start, Bucket: bucket}
	if top != nil {
		out.Of = of
	}
	index := map[string]int{}
	add := func(value string, b int, c int64) {
		i, ok := index[value]
		if !ok {
			i = len(out.Series)
			index[value] = i
			out.Series = append(out.Series, events.Series{Value: value, Counts: make([]int64, n)})
		}
		out.Series[i].Counts[b] += c
	}
	for _, s := range result {
		values := []string{s.Metric[label]}
		if req.GroupBy == events.DimTag {
			values = strings.Split(s.Metric[label], ",")
		}
		for _, v := range s.Values {
			secs, ok1 := v[0].(float64)
			c, ok2 := sampleValue(v[1])
			if !ok1 || !ok2 {
				return events.Counts{}, errors.New("Loki's matrix has a malformed sample")
			}
			b := int((int64(secs*1e9)-start.UnixNano())/int64(bucket)) - 1
			if b < 0 || b >= n {
				continue
			}
			for _, val := range values {
				add(val, b, int64(c))
			}
		}
	}
	return out, nil
}

// Values runs an instant topk(sum by (label) (count_over_time(...[range]))) at the end of the range: the most
// frequent values, at most MaxSeries (ValuesOf says of how many).
func (r *Reader) Values(ctx context.Context, req events.ValueRequest) ([]events.ValueCount, error) {
	vals, _, err := r.ValuesOf(ctx, req)
	return vals, err
}

// ValuesOf is Values and how many values the range has (more than returned when they are over MaxSeries).
func (r *Reader) ValuesOf(ctx context.Context, req events.ValueRequest) ([]events.ValueCount, int, error) {
	label, ok := labelOf[req.Field]
	if !ok {
		return nil, 0, fmt.Errorf("values of %q are not available from Loki: it is not a Loki label", req.Field)
	}
	n := MaxSeries
	if req.Limit > 0 && req.Limit < n && req.Field != events.DimTag { // a tags label holds several tags
		n = req.Limit
	}
	top, of, err := r.topValues(ctx, label, req.Filters, req.From, req.To, n)
	if err != nil {
		return nil, 0, err
	}
	sel := Selector(req.Filters)
	if top != nil {
		sel = selector(req.Filters, label, top)
	}
	rng := max(req.To.Sub(req.From).Truncate(time.Second), time.Second)
	q := "sum by (" + label + ") (count_over_time(" + sel + " [" + strconv.FormatInt(int64(rng/time.Second), 10) + "s]))"
	raw, err := r.get(ctx, "/loki/api/v1/query", url.Values{"query": {q}, "time": {ns(req.To)}}, "vector")
	if err != nil {
		return nil, 0, err
	}
	var result []series
	if err := json.Unmarshal(raw, &result); err != nil {
		return nil, 0, fmt.Errorf("Loki's vector is malformed: %v", err)
	}
	counts := map[string]int64{}
	for _, s := range result {
		c, ok := sampleValue(s.Value[1])
		if !ok {
			return nil, 0, errors.New("Loki's vector has a malformed sample")
		}
		vals := []string{s.Metric[label]}
		if req.Field == events.DimTag {
			vals = strings.Split(s.Metric[label], ",")
		}
		for _, v := range vals {
			if v != "" {
				counts[v] += int64(c)
			}
		}
	}
	out := make([]events.ValueCount, 0, len(counts))
	for v, c := range counts {
		out = append(out, events.ValueCount{Value: v, Count: c})
	}
	slices.SortFunc(out, func(a, b events.ValueCount) int {
		if a.Count != b.Count {
			return int(b.Count - a.Count)
		}
		return strings.Compare(a.Value, b.Value)
	})
	if req.Limit > 0 && len(out) > req.Limit {
		out = out[:req.Limit]
	}
	return out, of, nil
}

// Status counts the last 24 hours of Falco events in Loki (Loki keeps no total we could read cheaply).
func (r *Reader) Status(ctx context.Context) (events.Status, error) {
	now := r.cfg.Now()
	raw, err := r.get(ctx, "/loki/api/v1/query", url.Values{"query": {"sum(count_over_time(" + Selector(events.Filters{}) + " [24h]))"}, "time": {ns(now)}}, "vector")
	if err != nil {
		return events.Status{}, err
	}
	var result []series
	if err := json.Unmarshal(raw, &result); err != nil {
		return events.Status{}, fmt.Errorf("Loki's vector is malformed: %v", err)
	}
	st := events.Status{Store: "loki"}
	if len(result) > 0 {
		c, _ := sampleValue(result[0].Value[1])
		st.Events = int64(c)
	}
	return st, nil
}
