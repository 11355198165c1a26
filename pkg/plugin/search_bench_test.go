package plugin

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/containersec/container-security/pkg/events"
)

// BenchmarkEventsSearch times free text and filtered queries as the store grows: EVENTS_SEARCH_DAYS days (1 by
// default; 5 is the 5M figure) of EVENTS_SEARCH_PER_DAY events (1,000,000) seeded through the store, queries over
// the last 24 h (an analyst's question does not grow with the retention); then filtered queries while 64 senders
// ingest at full speed through the resource handler. Each figure is printed with the machine's load average.
func BenchmarkEventsSearch(b *testing.B) {
	days, perDay := 1, 1_000_000
	if *benchQuick { // npm run bench:events -- --quick: the same lines on a tenth of the store
		perDay = 100_000
	}
	if v, err := strconv.Atoi(os.Getenv("EVENTS_SEARCH_DAYS")); err == nil && v > 0 {
		days = v
	}
	if v, err := strconv.Atoi(os.Getenv("EVENTS_SEARCH_PER_DAY")); err == nil && v > 0 {
		perDay = v
	}
	n := days * perDay
	label := fmt.Sprintf("@%dM", n/1_000_000)
	if n%1_000_000 != 0 {
		label = fmt.Sprintf("@%d", n)
	}
	d := benchDatasource(b, 100000)
	defer d.Dispose()
	scen := newBenchScenario()
	seedEnd := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	end := seedEnd.Add(5 * time.Minute)
	start := end.Add(-24 * time.Hour)
	seedStart := seedEnd.Add(-time.Duration(days) * 24 * time.Hour)
	step := time.Duration(days) * 24 * time.Hour / time.Duration(n)

	began := time.Now()
	seedBench(b, d, scen, n, seedStart, step)
	// The store at rest: every event indexed (queries themselves never wait for the index).
	if w, ok := d.reader.(interface{ WaitIndexed(context.Context) }); ok {
		w.WaitIndexed(context.Background())
	}
	if st, _ := d.reader.Status(context.Background()); st.Events != int64(n) {
		b.Fatalf("stored %d of %d events", st.Events, n)
	}
	fmt.Printf("\nseeded %d events over %d day(s) in %s\n", n, days, time.Since(began).Round(time.Second))

	// On a shared machine the wall time of a query grows with the load; the process's CPU time per query (nothing
	// else runs in it at rest) is what the query costs, and what it takes on an idle core.
	line := func(name string, v [2]time.Duration, target string) {
		fmt.Printf("%s: %.1f ms (CPU %.1f ms per query; target %s; load average %s)\n", name, float64(v[0].Microseconds())/1000, float64(v[1].Microseconds())/1000, target, loadAverage())
	}
	p95 := func(queryType, js string) [2]time.Duration {
		var times, cpus []time.Duration
		for range 20 {
			t0, c0 := time.Now(), processCPU()
			res := runBenchQuery(d, queryType, js, start, end, time.Minute)
			times, cpus = append(times, time.Since(t0)), append(cpus, processCPU()-c0)
			if res.Error != nil {
				b.Fatalf("%s %s: %v", queryType, js, res.Error)
			}
		}
		slices.Sort(times)
		slices.Sort(cpus)
		return [2]time.Duration{times[len(times)*95/100-1], cpus[len(cpus)*95/100-1]}
	}
	line("free-text list p95 "+label+" (events limit 100, 24 h, a word in 20% of events)", p95(QueryTypeEvents, `{"filters":{"text":"shadow"}}`), "< 50 ms")
	line("free-text count p95 "+label+" (eventCounts 24 h by priority at 1 min, a word in 20% of events)", p95(QueryTypeEventCounts, `{"groupBy":"priority","filters":{"text":"shadow"}}`), "< 200 ms")
	line("free-text list p95 "+label+" (a phrase in 20% of events)", p95(QueryTypeEvents, `{"filters":{"text":"203.0.113.5 4444"}}`), "< 50 ms")
	line("free-text list p95 "+label+" (a pod name in 0.25% of events)", p95(QueryTypeEvents, `{"filters":{"text":"`+scen.pods[123]+`"}}`), "< 50 ms")
	line("free-text count p95 "+label+" (by rule, a word in 20% of events)", p95(QueryTypeEventCounts, `{"groupBy":"rule","filters":{"text":"shadow"}}`), "")
	line("filtered list p95 "+label+" (one namespace)", p95(QueryTypeEvents, `{"filters":{"namespaces":["team-07"]}}`), "< 50 ms")

	// Filtered queries while 64 senders ingest at full speed.
	const senders = 64
	var stop atomic.Bool
	var sent atomic.Int64
	var wg sync.WaitGroup
	var scenMu sync.Mutex
	ingestBegan := time.Now()
	for range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				i := int(sent.Add(1))
				scenMu.Lock()
				body := scen.body(n+i, seedEnd.Add(time.Duration(i)*50*time.Microsecond))
				scenMu.Unlock()
				rec := &benchRecorder{}
				_ = d.CallResource(context.Background(), &backend.CallResourceRequest{Method: "POST", Path: "events", URL: "events", Body: body,
					Headers: map[string][]string{"Content-Type": {"application/json"}, IngestTokenHeader: {"bench-token"}}}, rec)
				if rec.status == 503 {
					time.Sleep(time.Millisecond)
				}
			}
		}()
	}
	time.Sleep(2 * time.Second) // past the start
	ingestStart := end.Add(-5 * time.Minute)
	crit := events.Critical
	queries := []events.Filters{{Namespaces: []string{"team-07"}}, {Rules: []string{scen.rules[3]}}, {MinPriority: &crit}, {Text: "shadow"}}
	// The store's List on this goroutine's own thread: its CPU time is the query's, whatever else the machine runs.
	runtime.LockOSThread()
	var times, cpus []time.Duration
	byKind := make([][]time.Duration, len(queries))
	var found int
	for i := 0; time.Since(ingestBegan) < 22*time.Second; i++ {
		t0, c0 := time.Now(), threadCPU()
		// The last hour, where the new events arrive and the unindexed tail is.
		p, err := d.reader.List(context.Background(), events.ListRequest{From: ingestStart, To: end.Add(time.Hour), Filters: queries[i%len(queries)]})
		times, cpus = append(times, time.Since(t0)), append(cpus, threadCPU()-c0)
		byKind[i%len(queries)] = append(byKind[i%len(queries)], times[len(times)-1])
		if err != nil {
			b.Fatal(err)
		}
		if len(p.Events) > 0 {
			found++
		}
		time.Sleep(20 * time.Millisecond)
	}
	runtime.UnlockOSThread()
	stop.Store(true)
	wg.Wait()
	rate := float64(sent.Load()) / time.Since(ingestBegan).Seconds()
	slices.Sort(times)
	slices.Sort(cpus)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	var kinds []string
	for k, name := range []string{"namespace", "rule", "minPriority", "free text"} {
		slices.Sort(byKind[k])
		kinds = append(kinds, fmt.Sprintf("%s %.1f", name, ms(byKind[k][len(byKind[k])*95/100])))
	}
	fmt.Printf("filtered query p95 during ingest: %.1f ms (CPU %.1f ms per query), p50 %.1f ms (CPU %.1f ms), over %d queries (p95 by filter, ms: %s; %d found events) while 64 senders ingested %.0f events/s (target < 20 ms; load average %s)\n",
		ms(times[len(times)*95/100]), ms(cpus[len(cpus)*95/100]), ms(times[len(times)/2]), ms(cpus[len(cpus)/2]), len(times), strings.Join(kinds, ", "), found, rate, loadAverage())
}

// threadCPU is the CPU time of the calling OS thread (Linux RUSAGE_THREAD).
func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1, &ru); err != nil { // RUSAGE_THREAD
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loadAverage is the machine's 1, 5 and 15 minute load (Linux), for figures taken on a shared machine.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
