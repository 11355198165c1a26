package plugin

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/containersec/container-security/pkg/events"
)

var tuningOthers = flag.Int("tuning-others", 100000, "bench:tuning: events of other rules stored beside the noisy rule's 200,000")

// BenchmarkTuning (npm run bench:tuning) measures the figures: the exception preview of one rule with
// 200,000 stored events over 7 d, and its top-sources table over 24 h, each p95 of 30 calls through the routes.
func BenchmarkTuning(b *testing.B) {
	d := benchDatasource(b, 4096)
	defer d.Dispose()
	now := time.Now().UTC()
	old := tuningNow
	tuningNow = func() time.Time { return now }
	defer func() { tuningNow = old }()
	scen := newBenchScenario()
	const noisy = 200000
	total := noisy + *tuningOthers
	start := now.Add(-7 * 24 * time.Hour).Add(time.Minute)
	step := (7*24*time.Hour - 2*time.Minute) / time.Duration(total)
	batch := make([]events.Event, 0, 1000)
	t0 := time.Now()
	for i := range total {
		evs, err := events.Parse(scen.body(i, start.Add(time.Duration(i)*step)), events.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if (i+1)*noisy/total != i*noisy/total {
			evs[0].Rule = shellRule // spread the noisy rule's events over the week
		}
		batch = append(batch, evs[0])
		if len(batch) == cap(batch) || i == total-1 {
			if _, err := d.ingester.Ingest(context.Background(), batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	d.reader.(interface{ WaitIndexed(context.Context) }).WaitIndexed(context.Background())
	mux := newMux(d.routes())
	var noisyStored int64
	{
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/tuning/sources?"+url.Values{"rule": {shellRule}, "fields": {"proc.name"},
			"from": {fmt.Sprint(now.Add(-7 * 24 * time.Hour).UnixMilli())}}.Encode(), nil))
		var v tuningSourcesView
		_ = json.Unmarshal(rec.Body.Bytes(), &v)
		noisyStored = v.Total
	}
	// p95 of 30 calls after a first one (the builder's live preview: each edit of a value or comp asks again).
	p95 := func(req func(i int) *http.Request) (first, p time.Duration) {
		var lat []time.Duration
		for i := range 31 {
			rec := httptest.NewRecorder()
			t1 := time.Now()
			mux.ServeHTTP(rec, req(i))
			if i == 0 {
				first = time.Since(t1)
				continue
			}
			lat = append(lat, time.Since(t1))
			if rec.Code != 200 {
				b.Fatalf("%d %s", rec.Code, rec.Body)
			}
		}
		slices.Sort(lat)
		return first, lat[len(lat)*95/100]
	}
	previewFirst, preview := p95(func(i int) *http.Request {
		body := fmt.Sprintf(`{"exception":{"rule":%q,"name":"b","fields":["container.image.repository","proc.name"],"comps":["=","="],"values":[["ghcr.io/acme/team-%02d","bash"]]}}`, shellRule, i%40)
		r := httptest.NewRequest(http.MethodPost, "/tuning/preview", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		return r
	})
	sourcesFirst, sources := p95(func(int) *http.Request {
		return httptest.NewRequest(http.MethodGet, "/tuning/sources?"+url.Values{"rule": {shellRule}, "fields": {"container.image.repository,proc.name"}}.Encode(), nil)
	})
	fmt.Printf("store: %d events of %q over 7 d, %d of other rules, stored in %s\n", noisyStored, shellRule, total-int(noisyStored), time.Since(t0).Round(time.Second))
	printFigures([]benchFigure{
		{"exception preview p95", fmt.Sprintf("%.0f ms, first call %.0f ms (24 h and 7 d counts, samples; 30 drafts with other values; target < 300 ms)", ms(preview), ms(previewFirst))},
		{"top sources p95", fmt.Sprintf("%.0f ms, first call %.0f ms (24 h, image repository + process; target < 300 ms)", ms(sources), ms(sourcesFirst))},
	})
}

func ms(d time.Duration) float64 { return d.Seconds() * 1000 }
