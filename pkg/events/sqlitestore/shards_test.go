package sqlitestore

import (
	"context"
	"math"

	"github.com/containersec/container-security/pkg/events"
)

// ftsIntegrityCheck runs FTS5's integrity-check on every shard of the index.
func ftsIntegrityCheck(s *Store) error {
	tx, err := s.fw.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck
	shards, err := listShards(context.Background(), tx, "main", math.MinInt64, math.MaxInt64, int(events.Debug))
	if err != nil {
		return err
	}
	for _, sh := range shards {
		t := `"` + sh.table() + `"`
		if _, err := tx.Exec(`INSERT INTO ` + t + ` (` + t + `) VALUES ('integrity-check')`); err != nil {
			return err
		}
	}
	return nil
}

// ftsEntriesOf counts the index rows holding the event id's token, over every shard.
func ftsEntriesOf(s *Store, id string) (int, error) {
	tx, err := s.r.Begin()
	if err != nil {
		return 0, err
	}
	defer tx.Rollback() //nolint:errcheck
	shards, err := listShards(context.Background(), tx, "fts", math.MinInt64, math.MaxInt64, int(events.Debug))
	if err != nil {
		return 0, err
	}
	total := 0
	for _, sh := range shards {
		t := `"` + sh.table() + `"`
		var n int
		if err := tx.QueryRow(`SELECT count(*) FROM fts.`+t+` WHERE `+t+` MATCH ?`, "facets : "+facetToken(facetID, id)).Scan(&n); err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}
