package lokistore

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/containersec/container-security/pkg/events"
)

// lokiEntry is one pushed line with its stream labels.
type lokiEntry struct {
	labels map[string]string
	ts     int64
	line   string
}

// lokiLimitError is Loki's answer when a metric query's result has more series than max_query_series
// (pkg/querier/queryrange/limits.go: limitErrTmpl, answered 400 by seriesLimiter); 500 is the default
// (pkg/validation/limits.go: querier.max-query-series).
const lokiMaxQuerySeries = 500

func lokiLimitError(n int) string {
	return fmt.Sprintf("maximum number of series (%d) reached for a single query; consider reducing query cardinality by adding more specific stream selectors, reducing the time range, or aggregating results with functions like sum(), count() or topk()", n)
}

// miniLoki evaluates the query shapes the reader sends over pushed entries, as Loki would: stream selectors with
// = and =~ matchers (anchored RE2), |~ line filters, sum by (label) (count_over_time(sel [range])) as a range
// query (samples at start, start+step, ... counting (t-range, t]) or instant query, wrapped in count(...) or
// topk(n, ...). A result with more than max_query_series series is Loki's 400.
type miniLoki struct {
	entries []lokiEntry
	metric  []string // metric queries received
}

var (
	reSumBy  = regexp.MustCompile(`^sum by \((\w+)\) \(count_over_time\((.*) \[(\d+)s\]\)\)$`)
	reTopk   = regexp.MustCompile(`^topk\((\d+), (.*)\)$`)
	reCount  = regexp.MustCompile(`^count\((.*)\)$`)
	reSel    = regexp.MustCompile(`^\{(.*?)\}((?: \|~ "(?:[^"\\]|\\.)*")*)$`)
	reMatch  = regexp.MustCompile(`(\w+)(=~|=)("(?:[^"\\]|\\.)*")`)
	reFilter = regexp.MustCompile(`\|~ ("(?:[^"\\]|\\.)*")`)
)

// selects compiles a stream selector with its line filters into a test of an entry.
func selects(sel string) (func(lokiEntry) bool, error) {
	m := reSel.FindStringSubmatch(sel)
	if m == nil {
		return nil, fmt.Errorf("parse error: %q", sel)
	}
	type matcher struct {
		label string
		re    *regexp.Regexp
	}
	var ms []matcher
	for _, mm := range reMatch.FindAllStringSubmatch(m[1], -1) {
		v, err := strconv.Unquote(mm[3])
		if err != nil {
			return nil, err
		}
		if mm[2] == "=" {
			v = regexp.QuoteMeta(v)
		}
		re, err := regexp.Compile("^(?:" + v + ")$")
		if err != nil {
			return nil, err
		}
		ms = append(ms, matcher{mm[1], re})
	}
	var filters []*regexp.Regexp
	for _, fm := range reFilter.FindAllStringSubmatch(m[2], -1) {
		v, err := strconv.Unquote(fm[1])
		if err != nil {
			return nil, err
		}
		re, err := regexp.Compile(v)
		if err != nil {
			return nil, err
		}
		filters = append(filters, re)
	}
	return func(e lokiEntry) bool {
		for _, m := range ms {
			if !m.re.MatchString(e.labels[m.label]) { // an absent label is ""
				return false
			}
		}
		for _, f := range filters {
			if !f.MatchString(e.line) {
				return false
			}
		}
		return true
	}, nil
}

type sample struct {
	metric map[string]string
	v      float64
}

// eval is the instant value of a metric query at t (ns).
func (l *miniLoki) eval(q string, t int64) ([]sample, error) {
	if m := reCount.FindStringSubmatch(q); m != nil {
		in, err := l.eval(m[1], t)
		if err != nil || len(in) == 0 {
			return nil, err
		}
		return []sample{{metric: map[string]string{}, v: float64(len(in))}}, nil
	}
	if m := reTopk.FindStringSubmatch(q); m != nil {
		k, _ := strconv.Atoi(m[1])
		in, err := l.eval(m[2], t)
		if err != nil {
			return nil, err
		}
		slices.SortStableFunc(in, func(a, b sample) int {
			if a.v != b.v {
				return int(b.v - a.v)
			}
			return 0
		})
		return in[:min(k, len(in))], nil
	}
	m := reSumBy.FindStringSubmatch(q)
	if m == nil {
		return nil, fmt.Errorf("parse error: %q", q)
	}
	label, sel := m[1], m[2]
	rng, _ := strconv.ParseInt(m[3], 10, 64)
	ok, err := selects(sel)
	if err != nil {
		return nil, err
	}
	sums := map[string]float64{}
	for _, e := range l.entries {
		if e.ts > t-rng*1e9 && e.ts <= t && ok(e) {
			sums[e.labels[label]]++
		}
	}
	var out []sample
	for v, c := range sums {
		out = append(out, sample{metric: map[string]string{label: v}, v: c})
	}
	slices.SortFunc(out, func(a, b sample) int { return strings.Compare(a.metric[label], b.metric[label]) })
	return out, nil
}

func (l *miniLoki) answer(path string, q url.Values) (int, string) {
	query := q.Get("query")
	if reSel.MatchString(query) { // a log query, newest first
		ok, err := selects(query)
		if err != nil {
			return 400, err.Error()
		}
		start, _ := strconv.ParseInt(q.Get("start"), 10, 64)
		end, _ := strconv.ParseInt(q.Get("end"), 10, 64)
		limit, _ := strconv.Atoi(q.Get("limit"))
		var hits []lokiEntry
		for _, e := range l.entries {
			if e.ts >= start && e.ts < end && ok(e) {
				hits = append(hits, e)
			}
		}
		slices.SortFunc(hits, func(a, b lokiEntry) int { return int(b.ts - a.ts) })
		var streams []string
		for _, e := range hits[:min(limit, len(hits))] {
			streams = append(streams, streamJSON(e.labels, [2]string{strconv.FormatInt(e.ts, 10), e.line}))
		}
		return 200, streamsBody(streams...)
	}
	l.metric = append(l.metric, query)
	type promSeries struct {
		Metric map[string]string `json:"metric"`
		Values [][2]any          `json:"values,omitempty"`
		Value  []any             `json:"value,omitempty"`
	}
	var result []promSeries
	resultType := "vector"
	if path == "/loki/api/v1/query_range" {
		resultType = "matrix"
		start, _ := strconv.ParseInt(q.Get("start"), 10, 64)
		end, _ := strconv.ParseInt(q.Get("end"), 10, 64)
		step, _ := time.ParseDuration(q.Get("step"))
		index := map[string]int{}
		for t := start; t <= end; t += int64(step) {
			s, err := l.eval(query, t)
			if err != nil {
				return 400, err.Error()
			}
			for _, x := range s {
				b, _ := json.Marshal(x.metric)
				i, ok := index[string(b)]
				if !ok {
					i = len(result)
					index[string(b)] = i
					result = append(result, promSeries{Metric: x.metric})
				}
				result[i].Values = append(result[i].Values, [2]any{float64(t) / 1e9, strconv.FormatFloat(x.v, 'f', -1, 64)})
			}
		}
	} else {
		t, _ := strconv.ParseInt(q.Get("time"), 10, 64)
		s, err := l.eval(query, t)
		if err != nil {
			return 400, err.Error()
		}
		for _, x := range s {
			result = append(result, promSeries{Metric: x.metric, Value: []any{float64(t) / 1e9, strconv.FormatFloat(x.v, 'f', -1, 64)}})
		}
	}
	if len(result) > lokiMaxQuerySeries {
		return http.StatusBadRequest, lokiLimitError(lokiMaxQuerySeries)
	}
	b, _ := json.Marshal(map[string]any{"status": "success", "data": map[string]any{"resultType": resultType, "result": result}})
	return 200, string(b)
}

// A cluster of 1,290 pods (90 busy ones) in 40 namespaces, pushed in falcosidekick's text format (labels of outputs/loki.go, the
// line Falco's output with the container plugin's suggested fields).
func clusterEntries() []lokiEntry {
	var out []lokiEntry
	spread := 0
	for i := range 6000 {
		pod := fmt.Sprintf("busy-%02d-5d8f7", (i/3)%90) // a third of the events, about 20 each
		if i%3 != 0 {
			pod = fmt.Sprintf("app-%04d-5d8f7", spread%1200) // about 3 each
			spread++
		}
		ns := fmt.Sprintf("team-%02d", i%40)
		ts := base.Add(time.Duration(i) * 500 * time.Millisecond)
		repo, tag := fmt.Sprintf("ghcr.io/acme/svc-%d", i%7), fmt.Sprintf("1.%d", i%3)
		line := fmt.Sprintf("%s: Notice A shell was spawned in a container with an attached terminal | evt_type=execve user=root process=sh command=sh -i container_id=%012x container_name=app container_image_repository=%s container_image_tag=%s k8s_pod_name=%s k8s_ns_name=%s",
			ts.Format("15:04:05.000000000"), i, repo, tag, pod, ns)
		if i%11 == 0 {
			line = fmt.Sprintf("%s: Warning Sensitive file opened for reading by non-trusted program | file=/etc/shadow process=cat container_id=host container_name=host container_image_repository= container_image_tag= k8s_pod_name=<NA> k8s_ns_name=<NA>", ts.Format("15:04:05.000000000"))
			out = append(out, lokiEntry{labels: map[string]string{"rule": "Read sensitive file untrusted", "priority": "Warning", "source": "syscall", "hostname": "node-1"}, ts: ts.UnixNano(), line: line})
			continue
		}
		out = append(out, lokiEntry{labels: map[string]string{"rule": "Terminal shell in container", "priority": "Notice", "source": "syscall", "hostname": fmt.Sprintf("node-%d", i%12),
			"k8s_ns_name": ns, "k8s_pod_name": pod, "tags": "T1059,container,shell"}, ts: ts.UnixNano(), line: line})
	}
	return out
}

// Every count and value query the reader sends stays under Loki's max_query_series with 1,200 pods, where the
// plain grouping the reader used to send gets Loki's limit error from the same stand-in; the answer says top N of M.
func TestCountsAndValuesStayUnderMaxQuerySeries(t *testing.T) {
	l := &miniLoki{entries: clusterEntries()}
	_, r := startFake(t, l.answer)
	from, to := base, base.Add(time.Hour)
	// The stand-in refuses what Loki refuses: the unbounded grouping by pod.
	code, body := l.answer("/loki/api/v1/query", url.Values{"query": {`sum by (k8s_pod_name) (count_over_time({rule=~".+"} [3600s]))`}, "time": {ns(to)}})
	if code != 400 || !strings.Contains(body, "maximum number of series (500) reached") {
		t.Fatalf("stand-in without the limit: %d %s", code, body)
	}
	l.metric = nil

	c, err := r.Count(context.Background(), events.CountRequest{From: from, To: to, GroupBy: events.DimPod, Bucket: 5 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Series) != MaxSeries || c.Of != 1291 { // 1,290 pods and the host events without one
		t.Fatalf("top %d of %d, want top %d of 1291", len(c.Series), c.Of, MaxSeries)
	}
	// The series are the busiest values, each with all its events: none left out has more than the least kept.
	truth := map[string]int64{}
	for _, e := range l.entries {
		if e.ts > c.Start.UnixNano() && e.ts <= to.UnixNano() {
			truth[e.labels["k8s_pod_name"]]++
		}
	}
	kept, least := map[string]bool{}, int64(1<<62)
	busy := 0
	for _, s := range c.Series {
		var n int64
		for _, x := range s.Counts {
			n += x
		}
		if n != truth[s.Value] {
			t.Fatalf("%q: %d events counted, %d pushed", s.Value, n, truth[s.Value])
		}
		kept[s.Value], least = true, min(least, n)
		if strings.HasPrefix(s.Value, "busy-") {
			busy++
		}
	}
	for v, n := range truth {
		if !kept[v] && n > least {
			t.Fatalf("%q (%d events) left out of the top while one with %d is in", v, n, least)
		}
	}
	if busy != 90 {
		t.Fatalf("%d of the 90 busy pods in the top %d", busy, MaxSeries)
	}
	vals, of, err := r.ValuesOf(context.Background(), events.ValueRequest{From: from, To: to, Field: events.DimPod, Limit: 1000})
	if err != nil || len(vals) != MaxSeries-1 || of != 1291 { // the top 100 holds the host events' "" value, not listed
		t.Fatalf("values: %d of %d %v", len(vals), of, err)
	}
	if vals[0].Count < vals[len(vals)-1].Count || !strings.HasPrefix(vals[0].Value, "busy-") {
		t.Fatalf("values most frequent first: %v", vals[:3])
	}
	small, of, err := r.ValuesOf(context.Background(), events.ValueRequest{From: from, To: to, Field: events.DimNamespace})
	if err != nil || len(small) != 40 || of != 41 {
		t.Fatalf("namespaces, all of them: %d of %d %v", len(small), of, err)
	}
	cn, err := r.Count(context.Background(), events.CountRequest{From: from, To: to, GroupBy: events.DimNamespace, Bucket: 5 * time.Minute})
	if err != nil || len(cn.Series) != 41 || cn.Of != 0 {
		t.Fatalf("namespace counts are whole: %d series, of %d, %v", len(cn.Series), cn.Of, err)
	}
	for _, q := range l.metric {
		if strings.HasPrefix(q, "sum by (k8s_pod_name)") && !strings.Contains(q, "k8s_pod_name=~") {
			t.Fatalf("an unbounded grouping by pod was sent: %s", q)
		}
	}
}

// The image filter works on falcosidekick's text lines: the image is read from the container plugin's fields Falco
// appends to the output, and Loki is asked for lines holding the repository.
func TestImageFilterOnTextLines(t *testing.T) {
	l := &miniLoki{entries: clusterEntries()}
	f, r := startFake(t, l.answer)
	page, err := r.List(context.Background(), events.ListRequest{From: base, To: base.Add(time.Hour), Limit: 20,
		Filters: events.Filters{Images: []string{"ghcr.io/acme/svc-3:1.2"}}})
	if err != nil || len(page.Events) != 20 {
		t.Fatalf("%d events %v", len(page.Events), err)
	}
	for _, e := range page.Events {
		if e.Image != "ghcr.io/acme/svc-3:1.2" || !strings.Contains(e.Output, "container_image_repository=ghcr.io/acme/svc-3 container_image_tag=1.2") {
			t.Fatalf("image %q of %q", e.Image, e.Output)
		}
	}
	if q := f.queries[0].Get("query"); !strings.HasSuffix(q, ` |~ "ghcr\\.io/acme/svc-3"`) {
		t.Fatalf("the line filter narrows Loki's answer: %s", q)
	}
	for line, want := range map[string]string{
		"x | container_id=host container_name=host container_image_repository= container_image_tag= k8s_pod_name=<NA>": "",
		"x | container_image_repository=<NA> container_image_tag=<NA>":                                                 "",
		"x | container_image_repository=nginx container_image_tag=":                                                    "nginx",
		"x | container_image_repository=registry:5000/app container_image_tag=1.0 k8s_ns_name=a":                       "registry:5000/app:1.0",
		"x | user=root":                          "",
		"x | my_container_image_repository=evil": "",
	} {
		if got := imageOfLine(line); got != want {
			t.Errorf("imageOfLine(%q) = %q, want %q", line, got, want)
		}
	}
	if got := imageRepository("registry:5000/app:1.0"); got != "registry:5000/app" {
		t.Errorf("repository of an image with a registry port: %q", got)
	}
	if got := imageRepository("registry:5000/app"); got != "registry:5000/app" {
		t.Errorf("repository without a tag: %q", got)
	}
}
