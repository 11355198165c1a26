package sqlitestore

import (
	"database/sql"
	"strings"
	"time"

	"github.com/containersec/container-security/pkg/events"
)

// Per-minute counts per (dimension, cluster, value, priority), kept in the ingest transaction, answer
// eventCounts over long ranges without reading every event. Pods are left out: too many values per minute.
var rollupDims = []events.Dimension{events.DimPriority, events.DimRule, events.DimNamespace, events.DimHostname, events.DimSource, events.DimTag}

const minuteNs = int64(time.Minute)

type rollupKey struct {
	dim      events.Dimension
	minute   int64
	cluster  string
	value    string
	priority int
}

type rollup map[rollupKey]int64

func newRollup() rollup { return rollup{} }

func (r rollup) add(e *events.Event, n int64) {
	m := e.Time.UnixNano() / minuteNs // truncated as SQLite's integer division does in rollupSelect
	p := int(e.Priority)
	for _, d := range rollupDims {
		switch d {
		case events.DimTag:
			for _, t := range uniqueTags(e.Tags) {
				r[rollupKey{d, m, e.Cluster, t, p}] += n
			}
		default:
			r[rollupKey{d, m, e.Cluster, dimOf(e, d), p}] += n
		}
	}
}

func dimOf(e *events.Event, d events.Dimension) string {
	switch d {
	case events.DimPriority:
		return ""
	case events.DimRule:
		return e.Rule
	case events.DimNamespace:
		return e.Namespace
	case events.DimHostname:
		return e.Hostname
	case events.DimSource:
		return e.Source
	}
	return ""
}

func (r rollup) write(tx *sql.Tx) error {
	const perInsert = 500
	args := make([]any, 0, perInsert*6)
	flush := func() error {
		if len(args) == 0 {
			return nil
		}
		q := `INSERT INTO event_counts (dim, minute, cluster, value, priority, n) VALUES ` +
			strings.TrimSuffix(strings.Repeat("(?,?,?,?,?,?),", len(args)/6), ",") +
			` ON CONFLICT (dim, minute, cluster, value, priority) DO UPDATE SET n = n + excluded.n`
		_, err := tx.Exec(q, args...)
		args = args[:0]
		return err
	}
	for k, n := range r {
		args = append(args, string(k.dim), k.minute, k.cluster, k.value, k.priority, n)
		if len(args) == perInsert*6 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// rollupSelect is the rollup rows of the events WHERE cond holds, each count multiplied by sign: the schema
// migration builds the table from existing events with it, retention subtracts what it deletes.
func rollupSelect(cond string, sign int) string {
	n := "count(*)"
	if sign < 0 {
		n = "-count(*)"
	}
	m := "events.time / 60000000000"
	return `SELECT * FROM (
		SELECT 'priority' AS dim, ` + m + ` AS minute, cluster, '' AS value, priority, ` + n + ` AS n FROM events WHERE ` + cond + ` GROUP BY 2, 3, 5
		UNION ALL SELECT 'rule', ` + m + `, cluster, rule, priority, ` + n + ` FROM events WHERE ` + cond + ` GROUP BY 2, 3, 4, 5
		UNION ALL SELECT 'namespace', ` + m + `, cluster, namespace, priority, ` + n + ` FROM events WHERE ` + cond + ` GROUP BY 2, 3, 4, 5
		UNION ALL SELECT 'hostname', ` + m + `, cluster, hostname, priority, ` + n + ` FROM events WHERE ` + cond + ` GROUP BY 2, 3, 4, 5
		UNION ALL SELECT 'source', ` + m + `, cluster, source, priority, ` + n + ` FROM events WHERE ` + cond + ` GROUP BY 2, 3, 4, 5
		UNION ALL SELECT 'tag', ` + m + `, cluster, event_tags.tag, priority, ` + n + ` FROM events JOIN event_tags ON event_tags.tseq = events.seq WHERE ` + cond + ` GROUP BY 2, 3, 4, 5
	) WHERE true`
}
