package deploy_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/containersec/container-security/pkg/deploy"
)

// A caller that stops waiting (ctx cancelled before the apply starts) gets *Started; the apply still runs to the end
// and the operation says so, with the release read back from Helm's storage.
func TestApplyRunsOnAfterTheCallerLeaves(t *testing.T) {
	f := newFixture(t, sidekickValues(map[string]any{"a.yaml": goodRule}))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := f.svc.Apply(ctx, deploy.ApplyRequest{Namespace: "falco", Name: "falco", BaseRevision: 1,
		Files: []deploy.File{{Name: "a.yaml", Content: otherRule}}, User: "admin"})
	var started *deploy.Started
	if !errors.As(err, &started) || started.Operation.State != deploy.OperationRunning || started.Operation.Kind != "apply" {
		t.Fatalf("want *Started, got %v", err)
	}
	deadline := time.Now().Add(time.Minute)
	for {
		op, err := f.svc.Operation("falco", "falco")
		if err != nil {
			t.Fatal(err)
		}
		if op.State != deploy.OperationRunning {
			if op.State != deploy.OperationSucceeded || op.Release == nil || op.Release.Revision != 2 || op.Release.Status != "deployed" || op.Finished == nil {
				t.Fatalf("operation: %+v", op)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the apply never finished")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if f.last().Version != 2 {
		t.Fatalf("revision %d", f.last().Version)
	}
}

// Two applies of one release in one process: one runs, the other is refused with 409 (running, or stale once the
// first has written its revision); never two revisions.
func TestApplyIsSerialisedPerRelease(t *testing.T) {
	f := newFixture(t, sidekickValues(map[string]any{"a.yaml": goodRule}))
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, content := range []string{otherRule, goodRule + "\n"} {
		wg.Add(1)
		go func(i int, content string) {
			defer wg.Done()
			_, errs[i] = f.svc.Apply(context.Background(), deploy.ApplyRequest{Namespace: "falco", Name: "falco", BaseRevision: 1,
				Files: []deploy.File{{Name: "a.yaml", Content: content}}, User: "admin", ConfirmWarnings: true})
		}(i, content)
	}
	wg.Wait()
	ok, refused := 0, 0
	for _, err := range errs {
		switch c := deploy.CodeOf(err); {
		case err == nil:
			ok++
		case c == deploy.CodeReleasePending || c == deploy.CodeStaleRevision:
			refused++
		default:
			t.Fatalf("unexpected error: %v", err)
		}
	}
	if ok != 1 || refused != 1 || f.last().Version != 2 {
		t.Fatalf("ok %d refused %d revision %d: %v", ok, refused, f.last().Version, errs)
	}
}
