package plugin

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/containersec/container-security/pkg/events"
	"github.com/containersec/container-security/pkg/events/sqlitestore"
)

// QueryTypeStoreStatus returns one row describing the configured event store.
const QueryTypeStoreStatus = "storeStatus"

// eventIngester is a store that accepts events (SQLite); Loki is fed by falcosidekick directly.
type eventIngester interface {
	Ingest(ctx context.Context, evs []events.Event) (events.IngestResult, error)
}

// openStore opens the configured store; its error is kept so health checks and queries can name it.
func (d *Datasource) openStore(ctx context.Context, s backend.DataSourceInstanceSettings) {
	logger := log.DefaultLogger.FromContext(ctx)
	switch d.settings.EventStore {
	case StoreSQLite:
		st, err := sqlitestore.Open(sqlitestore.Config{
			Path:          d.settings.SQLitePath,
			RetentionDays: d.settings.RetentionDays,
			MaxBytes:      int64(d.settings.MaxStoreMB) << 20,
			Logf:          func(msg string, kv ...any) { log.DefaultLogger.Warn(msg, append(kv, "uid", s.UID)...) },
		})
		if err != nil {
			logger.Warn("cannot open the event store", "uid", s.UID, "error", err)
			d.storeErr = err
			if errors.Is(err, sqlitestore.ErrLocked) {
				d.storeErr = lockedStore{err}
			}
			return
		}
		d.reader, d.ingester, d.closeStore = st, st, st.Close
	case StoreLoki:
		r, err := newLokiReader(ctx, s, d.settings)
		if err != nil {
			d.storeErr = err
			return
		}
		d.reader = r
	}
}

// lockedStore says to everyone that another process holds the store; storeErrorFor names the path to Admins.
type lockedStore struct{ full error }

func (e lockedStore) Error() string { return sqlitestore.ErrLocked.Error() }
func (e lockedStore) Unwrap() error { return e.full }

// storeErrorFor is the text of a store error for the signed-in user: the store's path only for Admins.
func storeErrorFor(ctx context.Context, err error) string {
	var l lockedStore
	if errors.As(err, &l) {
		if u := backend.UserFromContext(ctx); u != nil && u.Role == "Admin" {
			return l.full.Error()
		}
	}
	return err.Error()
}

// storeReady is the store or the reason there is none.
func (d *Datasource) storeReady() (events.Reader, error) {
	if d.settingsErr != nil {
		return nil, d.settingsErr
	}
	if d.storeErr != nil {
		return nil, d.storeErr
	}
	if d.reader == nil {
		return nil, errors.New("no event store is configured")
	}
	return d.reader, nil
}

func optionalTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func (d *Datasource) queryStoreStatus(ctx context.Context, _ backend.DataQuery) backend.DataResponse {
	r, err := d.storeReady()
	if err != nil {
		return backend.ErrDataResponse(backend.StatusBadRequest, storeErrorFor(ctx, err))
	}
	st, err := r.Status(ctx)
	if err != nil {
		return backend.ErrDataResponse(backend.StatusInternal, fmt.Sprintf("cannot read the event store status: %v", err))
	}
	frame := data.NewFrame("storeStatus",
		data.NewField("store", nil, []string{st.Store}),
		data.NewField("events", nil, []int64{st.Events}),
		data.NewField("oldest", nil, []*time.Time{optionalTime(st.Oldest)}),
		data.NewField("newest", nil, []*time.Time{optionalTime(st.Newest)}),
		data.NewField("sizeBytes", nil, []int64{st.SizeBytes}),
		data.NewField("lastIngest", nil, []*time.Time{optionalTime(st.LastIngest)}),
		data.NewField("refused", nil, []int64{st.Refused}),
		data.NewField("retentionDays", nil, []int64{int64(d.settings.RetentionDays)}),
		data.NewField("maxStoreMB", nil, []int64{int64(d.settings.MaxStoreMB)}),
		data.NewField("problem", nil, []string{st.Problem}),
		data.NewField("problemSince", nil, []*time.Time{optionalTime(st.ProblemSince)}),
	)
	return backend.DataResponse{Frames: data.Frames{frame}}
}
