package plugin

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// QueryTypeStoreStatus returns one row describing the configured event store.
const QueryTypeStoreStatus = "storeStatus"

// storeCheck is what the event store looks like from this process right now.
type storeCheck struct {
	Kind      string
	Location  string
	OK        bool
	Message   string
	SizeBytes int64
}

// checkStore probes the store without changing it: for SQLite it proves the directory is writable by
// creating and removing a temporary file next to the database.
func checkStore(s Settings) storeCheck {
	switch s.EventStore {
	case StoreLoki:
		return storeCheck{Kind: StoreLoki, Location: s.LokiURL, OK: true, Message: "Loki URL is valid; events are read from Loki"}
	default:
		c := storeCheck{Kind: StoreSQLite, Location: s.SQLitePath}
		dir := filepath.Dir(s.SQLitePath)
		if err := os.MkdirAll(dir, 0o750); err != nil {
			c.Message = fmt.Sprintf("cannot create the event store directory %s: %v; choose a path Grafana can write to", dir, cleanErr(err))
			return c
		}
		f, err := os.CreateTemp(dir, ".write-check-*")
		if err != nil {
			c.Message = fmt.Sprintf("the event store directory %s is not writable: %v; fix its permissions or choose another path", dir, cleanErr(err))
			return c
		}
		name := f.Name()
		_ = f.Close()
		_ = os.Remove(name)
		if st, err := os.Stat(s.SQLitePath); err == nil {
			if st.IsDir() {
				c.Message = fmt.Sprintf("the event store path %s is a directory; add a file name such as events.db", s.SQLitePath)
				return c
			}
			c.SizeBytes = st.Size()
		} else if !errors.Is(err, fs.ErrNotExist) {
			c.Message = fmt.Sprintf("cannot read the event store %s: %v", s.SQLitePath, cleanErr(err))
			return c
		}
		c.OK = true
		c.Message = fmt.Sprintf("event store directory %s is writable", dir)
		return c
	}
}

// cleanErr drops the path a PathError repeats, since our messages already name it.
func cleanErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func (d *Datasource) queryStoreStatus(_ context.Context, _ backend.DataQuery) backend.DataResponse {
	c := checkStore(d.settings)
	frame := data.NewFrame("store",
		data.NewField("kind", nil, []string{c.Kind}),
		data.NewField("location", nil, []string{c.Location}),
		data.NewField("ok", nil, []bool{c.OK}),
		data.NewField("message", nil, []string{c.Message}),
		data.NewField("sizeBytes", nil, []int64{c.SizeBytes}),
		data.NewField("retentionDays", nil, []int64{int64(d.settings.RetentionDays)}),
		data.NewField("ingestTokenConfigured", nil, []bool{d.settings.IngestToken != ""}),
	)
	return backend.DataResponse{Frames: data.Frames{frame}}
}
