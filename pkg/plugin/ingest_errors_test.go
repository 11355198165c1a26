package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/containersec/container-security/pkg/events"
	"github.com/containersec/container-security/pkg/events/sqlitestore"
)

type failingIngester struct{ err error }

func (f failingIngester) Ingest(context.Context, []events.Event) (events.IngestResult, error) {
	return events.IngestResult{}, f.err
}

// What a sender reads when the store cannot take its events: a full disk is 507, a request that ended before the
// commit answered says the events may be stored and a resend is safe; both with Retry-After.
func TestIngestStoreFailureAnswers(t *testing.T) {
	d := ingestDatasource(t)
	body := []byte(sidekickBody(1, "Critical", "r", "ns", "p"))
	for name, tc := range map[string]struct {
		err    error
		status int
		want   string
	}{
		"disk full": {fmt.Errorf("%w: database or disk is full (13)", sqlitestore.ErrDiskFull), 507, "disk is full"},
		"timeout":   {context.DeadlineExceeded, 503, "may have been stored; resending is safe, duplicates are ignored"},
		"canceled":  {fmt.Errorf("waiting: %w", context.Canceled), 503, "may have been stored; resending is safe, duplicates are ignored"},
		"other":     {fmt.Errorf("disk I/O error (10)"), 503, "nothing was stored"},
	} {
		d.ingester = failingIngester{tc.err}
		rec := post(t, d, testToken, body)
		var eb ErrorBody
		if rec.Code != tc.status || rec.Header().Get("Retry-After") == "" || json.Unmarshal(rec.Body.Bytes(), &eb) != nil || !strings.Contains(eb.Error, tc.want) {
			t.Fatalf("%s: got %d (Retry-After %q) %s, want %d with %q", name, rec.Code, rec.Header().Get("Retry-After"), rec.Body, tc.status, tc.want)
		}
	}
}

// Another process holds the store: Admins read its path in the health check, others a plain reason.
func TestLockedStoreMessageByRole(t *testing.T) {
	d := ingestDatasource(t)
	d.reader, d.ingester = nil, nil
	d.storeErr = lockedStore{&sqlitestore.LockedError{Path: "/var/lib/grafana/falco/events.db"}}
	for role, wantPath := range map[string]bool{"Admin": true, "Viewer": false} {
		ctx := backend.WithUser(context.Background(), &backend.User{Login: "u", Role: role})
		res, err := d.CheckHealth(ctx, &backend.CheckHealthRequest{})
		if err != nil || res.Status != backend.HealthStatusError {
			t.Fatalf("%s: %v %+v", role, err, res)
		}
		if strings.Contains(res.Message, "/var/lib/grafana/falco/events.db") != wantPath || !strings.Contains(res.Message, "another") {
			t.Fatalf("%s reads %q", role, res.Message)
		}
	}
	rec := post(t, d, testToken, []byte(sidekickBody(1, "Critical", "r", "ns", "p")))
	if rec.Code != 503 || strings.Contains(rec.Body.String(), "/var/lib") || rec.Header().Get("Retry-After") == "" {
		t.Fatalf("a sender gets 503 with the plain reason: %d %s", rec.Code, rec.Body)
	}
}

// The same uuid with other content is 409 naming the uuid; the stored event stays as it was.
func TestIngestSameUUIDOtherContentIs409(t *testing.T) {
	d := ingestDatasource(t)
	first := sidekickBody(7, "Critical", "Terminal shell in container", "shop", "web-1")
	if rec := post(t, d, testToken, []byte(first)); rec.Code != 200 {
		t.Fatalf("first: %d %s", rec.Code, rec.Body)
	}
	if rec := post(t, d, testToken, []byte(first)); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"duplicates":1`) {
		t.Fatalf("identical resend: %d %s", rec.Code, rec.Body)
	}
	changed := strings.Replace(first, "Terminal shell in container in", "Something else in", 1)
	rec := post(t, d, testToken, []byte(changed))
	var eb ErrorBody
	if rec.Code != 409 || json.Unmarshal(rec.Body.Bytes(), &eb) != nil || !strings.Contains(eb.Error, `"uuid-7"`) {
		t.Fatalf("same uuid, other output: %d %s", rec.Code, rec.Body)
	}
	got, err := d.reader.Get(context.Background(), "uuid-7")
	if err != nil || strings.Contains(got.Output, "Something else") || eventCount(t, d) != 1 {
		t.Fatalf("the stored event must stay as it was: %+v %v", got, err)
	}
}
