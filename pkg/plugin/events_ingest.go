package plugin

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"

	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/containersec/container-security/pkg/events"
	"github.com/containersec/container-security/pkg/events/sqlitestore"
)

// IngestTokenHeader carries the datasource's ingest token. Grafana passes a resource call's request headers to
// the plugin (pkg/api/plugin_resource.go: CallResourceRequest.Headers = req.Header) after checking and removing
// its own Authorization; falcosidekick sends it through webhook.customHeaders.
const IngestTokenHeader = "X-Containersec-Ingest-Token"

// maxIngestBody is the largest event body: falcosidekick sends one event per request, a few KiB.
const maxIngestBody = 1 << 20

// ingestAnswer is the 200 body: how many events are new and how many were already stored.
type ingestAnswer struct {
	Stored     int `json:"stored"`
	Duplicates int `json:"duplicates"`
}

// tokenMatches compares in constant time; hashing first hides the token's length too.
func tokenMatches(given, want string) bool {
	g, w := sha256.Sum256([]byte(given)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:]) == 1 && want != ""
}

// handleIngest stores falcosidekick's webhook events. falcosidekick never retries: any status but
// 200/201/202/204 drops the event (outputs/client.go), so 200 is sent only once the event is committed.
func (d *Datasource) handleIngest(w http.ResponseWriter, r *http.Request) {
	logger := log.DefaultLogger.FromContext(r.Context())
	given := r.Header.Get(IngestTokenHeader)
	if given == "" {
		writeError(w, http.StatusUnauthorized, "missing "+IngestTokenHeader+" header: send the Falco datasource's ingest token")
		return
	}
	if !tokenMatches(given, d.settings.IngestToken) {
		logger.Warn("event ingest refused: wrong ingest token")
		writeError(w, http.StatusForbidden, "the ingest token is not valid for this datasource")
		return
	}
	if d.settingsErr != nil {
		writeError(w, http.StatusBadRequest, "the datasource settings are invalid: "+d.settingsErr.Error())
		return
	}
	if d.ingester == nil {
		if d.storeErr != nil {
			w.Header().Set("Retry-After", "60")
			writeError(w, http.StatusServiceUnavailable, "the event store is unavailable: "+d.storeErr.Error()) // the plain reason: a sender is no Admin
			return
		}
		writeError(w, http.StatusBadRequest, "this datasource reads events from Loki: send them to Loki with falcosidekick's Loki output")
		return
	}
	// Read into a buffer of the announced length (Grafana's resource call sets it): one allocation, not a doubling.
	var buf bytes.Buffer
	if n := r.ContentLength; n > 0 && n <= maxIngestBody {
		buf.Grow(int(n) + bytes.MinRead)
	}
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, maxIngestBody))
	body := buf.Bytes()
	if err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body is larger than %d bytes", maxIngestBody))
			return
		}
		writeError(w, http.StatusBadRequest, "cannot read the request body")
		return
	}
	evs, err := events.Parse(body, d.settings.parseOptions())
	if err != nil {
		var ie *events.InputError
		if errors.As(err, &ie) {
			details := make([]any, len(ie.Problems))
			for i, p := range ie.Problems {
				details[i] = p
			}
			writeError(w, http.StatusBadRequest, "no event stored: "+ie.Problems[0], details...)
			return
		}
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	res, err := d.ingester.Ingest(r.Context(), evs)
	switch {
	case errors.Is(err, sqlitestore.ErrBusy):
		w.Header().Set("Retry-After", "1")
		writeError(w, http.StatusServiceUnavailable, "the event store is busy; retry in a second")
		return
	case errors.Is(err, sqlitestore.ErrDiskFull):
		// The store logs each condition once a minute with a count (storeerrors.go): no line per request here.
		w.Header().Set("Retry-After", "60")
		writeError(w, http.StatusInsufficientStorage, "the event store's disk is full; nothing was stored; resend later (the store resumes by itself when space returns)")
		return
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		// The request ended while its transaction was queued or committing: it may still commit.
		w.Header().Set("Retry-After", "1")
		writeError(w, http.StatusServiceUnavailable, "the request ended before the event store answered: the events may have been stored; resending is safe, duplicates are ignored")
		return
	case err != nil:
		w.Header().Set("Retry-After", "5")
		writeError(w, http.StatusServiceUnavailable, "the event store could not store the events; nothing was stored; resending is safe")
		return
	}
	if len(res.Conflicts) > 0 {
		details := make([]any, len(res.Conflicts))
		for i, id := range res.Conflicts {
			details[i] = id
		}
		writeError(w, http.StatusConflict, fmt.Sprintf("event uuid %q is already stored with other content; nothing was overwritten (%d other events of this request stored, %d duplicates)",
			res.Conflicts[0], res.Stored, res.Duplicates), details...)
		return
	}
	writeJSON(w, http.StatusOK, ingestAnswer{Stored: res.Stored, Duplicates: res.Duplicates})
}
