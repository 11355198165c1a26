package sqlitestore

import (
	"context"
	"sync"
	"testing"

	"github.com/containersec/container-security/pkg/events"
)

// A lone sender (falcosidekick's default: one request at a time) is committed at once: no commit waits for more
// requests. Concurrent senders make the writer gather for them again.
func TestLoneSenderIsCommittedWithoutWaiting(t *testing.T) {
	s := openTest(t, Config{})
	for i := range 200 {
		ingest(t, s, ev(t, i, "Warning", "r", "ns", "p"))
	}
	if n := s.gatherWaits.Load(); n != 0 {
		t.Fatalf("%d of 200 lone requests waited for others before their commit", n)
	}
	var wg sync.WaitGroup
	for w := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				if _, err := s.Ingest(context.Background(), []events.Event{ev(t, 1000+w*100+i, "Warning", "r", "ns", "p")}); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if s.gatherWaits.Load() == 0 {
		t.Fatal("16 concurrent senders never made the writer gather")
	}
}
