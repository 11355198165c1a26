package sqlitestore

import (
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"errors"
	"strings"
	"time"

	"modernc.org/sqlite"

	"github.com/containersec/container-security/pkg/events"
)

// Per-hour rows of 60 per-minute counts per (dimension, hour, cluster, value, priority) answer eventCounts and
// eventValues over long ranges without reading the events: a day grouped by namespace is 24 rows per namespace and
// priority instead of a million events (or 1,440 per-minute rows). The counts of the events the writer stored
// since the last flush are kept in memory and written every rollupFlushEvery (or rollupFlushEvents events) in the
// same transaction as events; meta.rollup_ins is the last ins they hold, and queries count the events above it
// from the events themselves, in the same snapshot.
var rollupDims = []events.Dimension{events.DimPriority, events.DimRule, events.DimNamespace, events.DimPod, events.DimImage,
	events.DimHostname, events.DimSource, events.DimTag}

const (
	minuteNs          = int64(time.Minute)
	hourNs            = int64(time.Hour)
	countsBlobSize    = 60 * 4 // 60 little-endian int32
	rollupFlushEvery  = time.Second
	rollupFlushEvents = 5000
)

func init() {
	// containersec_add_counts(a, b) adds two count blobs minute by minute (the upsert of a flush or of retention).
	sqlite.MustRegisterDeterministicScalarFunction("containersec_add_counts", 2, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		a, ok1 := args[0].([]byte)
		b, ok2 := args[1].([]byte)
		if !ok1 || !ok2 || len(a) != countsBlobSize || len(b) != countsBlobSize {
			return nil, errors.New("containersec_add_counts: two count blobs expected")
		}
		ca, _ := decodeCounts(a)
		cb, _ := decodeCounts(b)
		for i := range ca {
			ca[i] += cb[i]
		}
		return encodeCounts(&ca), nil
	})
}

type rollupKey struct {
	dim      events.Dimension
	hour     int64
	cluster  string
	value    string
	priority int
}

// rollup is counts per key and minute of the hour.
type rollup map[rollupKey]*[60]int32

func (r rollup) add(e *events.Event, n int32) {
	t := e.Time.UnixNano()
	h, m := t/hourNs, (t%hourNs)/minuteNs
	p := int(e.Priority)
	for _, d := range rollupDims {
		if d == events.DimTag {
			for _, tag := range uniqueTags(e.Tags) {
				r.bump(rollupKey{d, h, e.Cluster, tag, p}, m, n)
			}
			continue
		}
		r.bump(rollupKey{d, h, e.Cluster, dimOf(e, d), p}, m, n)
	}
}

func (r rollup) bump(k rollupKey, minute int64, n int32) {
	c := r[k]
	if c == nil {
		c = new([60]int32)
		r[k] = c
	}
	c[minute] += n
}

// merge adds o into r.
func (r rollup) merge(o rollup) {
	for k, c := range o {
		into := r[k]
		if into == nil {
			r[k] = c
			continue
		}
		for i, n := range c {
			into[i] += n
		}
	}
}

func dimOf(e *events.Event, d events.Dimension) string {
	switch d {
	case events.DimRule:
		return e.Rule
	case events.DimNamespace:
		return e.Namespace
	case events.DimPod:
		return e.Pod
	case events.DimImage:
		return e.Image
	case events.DimHostname:
		return e.Hostname
	case events.DimSource:
		return e.Source
	case events.DimCluster:
		return e.Cluster
	}
	return ""
}

// write adds the counts to event_counts.
func (r rollup) write(tx *sql.Tx) error {
	const perInsert = 400
	args := make([]any, 0, perInsert*6)
	flush := func() error {
		if len(args) == 0 {
			return nil
		}
		q := `INSERT INTO event_counts (dim, hour, cluster, value, priority, counts) VALUES ` +
			strings.TrimSuffix(strings.Repeat("(?,?,?,?,?,?),", len(args)/6), ",") +
			` ON CONFLICT (dim, hour, cluster, value, priority) DO UPDATE SET counts = containersec_add_counts(counts, excluded.counts)`
		_, err := tx.Exec(q, args...)
		args = args[:0]
		return err
	}
	for k, c := range r {
		args = append(args, string(k.dim), k.hour, k.cluster, k.value, k.priority, encodeCounts(c))
		if len(args) == perInsert*6 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// The count blobs are 60 little-endian int32 written and read by encoding/binary's own []int32 path, so no
// signed/unsigned conversion is needed (gosec G115).

func encodeCounts(c *[60]int32) []byte {
	b, err := binary.Append(make([]byte, 0, countsBlobSize), binary.LittleEndian, c[:])
	if err != nil {
		panic(err) // []int32 always encodes
	}
	return b
}

func decodeCounts(b []byte) (out [60]int32, ok bool) {
	if len(b) != countsBlobSize {
		return out, false
	}
	if _, err := binary.Decode(b, binary.LittleEndian, out[:]); err != nil {
		return out, false
	}
	return out, true
}
