package plugin

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// benchQuick (npm run bench:events -- --quick) prints the same figures on a smaller store, in under 3 minutes.
var benchQuick = flag.Bool("quick", false, "bench:events on a smaller store")

// benchFigure is one line of the benchmark's summary: `name: value (load ...)`.
type benchFigure struct{ name, value string }

// printFigures prints one line per figure with the machine's load average (the machine may be shared).
func printFigures(figs []benchFigure) {
	load, _ := os.ReadFile("/proc/loadavg")
	l := strings.Join(strings.Fields(string(load))[:min(3, len(strings.Fields(string(load))))], " ")
	for _, f := range figs {
		fmt.Printf("%s: %s (load %s)\n", f.name, f.value, l)
	}
}

// benchDatasource is a fresh datasource with its own store for one measurement.
func benchDatasource(b *testing.B, maxStoreMB int) *Datasource {
	return benchDatasourceAt(b, filepath.Join(b.TempDir(), "events.db"), maxStoreMB)
}

// benchDatasourceAt opens the datasource the benchmarks ingest into and query: its store at path, 30 days of
// retention, the cap in MB, and an ingest token. The caller disposes of it.
func benchDatasourceAt(b *testing.B, path string, maxStoreMB int) *Datasource {
	inst, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{UID: "bench-" + filepath.Base(filepath.Dir(path)),
		JSONData:                []byte(fmt.Sprintf(`{"sqlitePath":%q,"retentionDays":30,"maxStoreMB":%d}`, path, maxStoreMB)),
		DecryptedSecureJSONData: map[string]string{"ingestToken": "bench-token"}})
	if err != nil {
		b.Fatal(err)
	}
	d := inst.(*Datasource)
	if d.storeErr != nil {
		b.Fatal(d.storeErr)
	}
	return d
}

// sendFor runs senders falcosidekick-like senders (one request at a time each, the next after the answer) for d,
// and returns how many events were acknowledged and each request's latency.
func sendFor(b *testing.B, d *Datasource, senders int, dur time.Duration, start time.Time, next *atomic.Int64) (int64, []time.Duration) {
	scen := newBenchScenario()
	var mu sync.Mutex
	var acked atomic.Int64
	var lat []time.Duration
	var wg sync.WaitGroup
	deadline := time.Now().Add(dur)
	for range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for time.Now().Before(deadline) {
				i := int(next.Add(1))
				mu.Lock()
				body := scen.body(i, start.Add(time.Duration(i)*50*time.Microsecond))
				mu.Unlock()
				t0 := time.Now()
				rec := &benchRecorder{}
				err := d.CallResource(context.Background(), &backend.CallResourceRequest{Method: "POST", Path: "events", URL: "events", Body: body,
					Headers: map[string][]string{"Content-Type": {"application/json"}, IngestTokenHeader: {"bench-token"}}}, rec)
				mine = append(mine, time.Since(t0))
				if err == nil && rec.status == 200 {
					acked.Add(1)
				} else if rec.status != 503 {
					b.Errorf("ingest answered %d (%v)", rec.status, err)
					return
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return acked.Load(), lat
}

func p99(lat []time.Duration) time.Duration {
	if len(lat) == 0 {
		return 0
	}
	slices.Sort(lat)
	return lat[min(len(lat)-1, len(lat)*99/100)]
}

// benchSendersAndCap measures ingest by sender count (falcosidekick sends one request at a time per output by
// default: config.go defaultMaxConcurrentHttpRequests = 1; the chart runs two replicas) and the size cap under
// full-speed ingest past it.
func benchSendersAndCap(b *testing.B) []benchFigure {
	dur, capDur := 10*time.Second, 40*time.Second
	if *benchQuick {
		dur, capDur = 4*time.Second, 15*time.Second
	}
	start := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	var figs []benchFigure
	for _, n := range []int{1, 2, 64} {
		d := benchDatasource(b, 100000)
		cpu := processCPU()
		acked, lat := sendFor(b, d, n, dur, start, new(atomic.Int64))
		cpu = processCPU() - cpu
		name := fmt.Sprintf("events/s %d senders", n)
		if n == 1 {
			name = "events/s 1 sender"
		}
		// CPU per event says what a dedicated machine would do when this one is shared.
		figs = append(figs, benchFigure{name, fmt.Sprintf("%.0f (request p99 %.1f ms; %.0f µs CPU per event, senders included)",
			float64(acked)/dur.Seconds(), float64(p99(lat).Microseconds())/1000, float64(cpu.Microseconds())/float64(max(acked, 1)))})
		d.Dispose()
	}

	// The cap: 20 MB, 64 senders at full speed for capDur (several times the cap), the files sampled every 5 ms.
	const capMB = 20
	d := benchDatasource(b, capMB)
	defer d.Dispose()
	var maxBytes atomic.Int64
	var retaining atomic.Bool
	stop := make(chan struct{})
	var sampler sync.WaitGroup
	sampler.Add(1)
	go func() {
		defer sampler.Done()
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
			st, err := d.reader.Status(context.Background())
			if err != nil {
				continue
			}
			if st.SizeBytes > maxBytes.Load() {
				maxBytes.Store(st.SizeBytes)
			}
			if st.SizeBytes > capMB<<20*7/10 {
				retaining.Store(true)
			}
		}
	}()
	// Latencies count once retention runs (the files passed the share of the cap where it starts deleting).
	var during []time.Duration
	acked := int64(0)
	var next atomic.Int64 // one numbering across the rounds: every event has its own uuid and time
	for t0 := time.Now(); time.Since(t0) < capDur; {
		a, lat := sendFor(b, d, 64, time.Second, start, &next)
		acked += a
		if retaining.Load() {
			during = append(during, lat...)
		}
	}
	close(stop)
	sampler.Wait()
	st, _ := d.reader.Status(context.Background())
	figs = append(figs,
		benchFigure{"store bytes max / cap", fmt.Sprintf("%.1f MB / %d MB (%.0f%%; %d events sent, %d kept)", float64(maxBytes.Load())/(1<<20), capMB, float64(maxBytes.Load())*100/float64(capMB<<20), acked, st.Events)},
		benchFigure{"ingest p99 during retention", fmt.Sprintf("%.1f ms (%d requests, 64 senders)", float64(p99(during).Microseconds())/1000, len(during))},
	)
	return figs
}
