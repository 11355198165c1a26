package sqlitestore

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/containersec/container-security/pkg/events"
)

// Under full-speed ingest from many senders, the store's files (events, index, both WALs) never pass the cap by
// more than 10%, measured every few milliseconds, and retention keeps the newest events.
func TestCapBoundsTheFilesUnderFullSpeedIngest(t *testing.T) {
	const limit = 8 << 20
	s := openTest(t, Config{MaxBytes: limit})
	if autoVacuum(t, s.w, "main") != 2 || autoVacuum(t, s.fw, "main") != 2 {
		t.Fatal("auto_vacuum is off: freed pages would never leave the files")
	}
	var maxSeen atomic.Int64
	var atMax atomic.Value
	stop := make(chan struct{})
	var sampler sync.WaitGroup
	sampler.Add(1)
	go func() {
		defer sampler.Done()
		for {
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
			if b := diskBytes(s.cfg.Path); b > maxSeen.Load() {
				maxSeen.Store(b)
				var parts []string
				for _, f := range storeFiles(s.cfg.Path) {
					if fi, err := os.Stat(f); err == nil {
						parts = append(parts, fmt.Sprintf("%s=%d", f[strings.LastIndex(f, "/")+1:], fi.Size()))
					}
				}
				atMax.Store(strings.Join(parts, " "))
			}
		}
	}()
	var next atomic.Int64
	var wg sync.WaitGroup
	const total = 40000 // about three times what fits under the cap
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1))
				if i > total {
					return
				}
				e := ev(t, i, "Warning", "A", "shop", "web-1", "shell")
				e.Output = strings.Repeat(fmt.Sprintf("padding %d ", i), 8)
				if _, err := s.Ingest(context.Background(), []events.Event{e}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	time.Sleep(100 * time.Millisecond)
	close(stop)
	sampler.Wait()
	st := status(t, s)
	t.Logf("at the peak: %v", atMax.Load())
	t.Logf("files at most %d bytes (cap %d), %d of %d events kept, %d bytes now", maxSeen.Load(), limit, st.Events, total, st.SizeBytes)
	if maxSeen.Load() > limit*11/10 {
		t.Fatalf("the files reached %d bytes, over the cap of %d by more than 10%%", maxSeen.Load(), limit)
	}
	if st.Events == 0 || st.Events >= total {
		t.Fatalf("retention must keep some and delete some: %d of %d events", st.Events, total)
	}
	if newest, err := s.Get(context.Background(), fmt.Sprintf("id-%d", total)); err != nil || newest == nil {
		t.Fatalf("the newest event must be kept: %v", err)
	}
}
