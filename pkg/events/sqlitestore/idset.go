package sqlitestore

import (
	"database/sql"
	"hash/maphash"
)

// idSet holds a 64-bit hash of the id of every stored event, in memory, so the writer checks a new event's uuid
// without a B-tree lookup: most ids are new, and a miss is certain. A hit (a resend, or two ids sharing a hash) is
// settled by reading the stored event (Store.eventByID). It replaces the unique index on events.id of schema 4,
// whose random uuids cost a random index page per event in every commit (README, "Event store benchmark").
//
// The hash is keyed by a random seed of this process, so a sender cannot choose ids that collide to make every
// check go to the store. Owned by the writer goroutine (insert and prune run there); built before it starts.
type idSet struct {
	seed maphash.Seed
	one  map[uint64]struct{}
	more map[uint64]int32 // further ids with a hash already in one (a multiset, so removing one id keeps the others)
}

func newIDSet(capacity int) *idSet {
	return &idSet{seed: maphash.MakeSeed(), one: make(map[uint64]struct{}, capacity), more: map[uint64]int32{}}
}

func (s *idSet) hash(id string) uint64 { return maphash.String(s.seed, id) }

// mayHold says whether an event with this id may be stored: false is certain.
func (s *idSet) mayHold(id string) bool {
	_, ok := s.one[s.hash(id)]
	return ok
}

func (s *idSet) add(id string) {
	h := s.hash(id)
	if _, ok := s.one[h]; ok {
		s.more[h]++
		return
	}
	s.one[h] = struct{}{}
}

func (s *idSet) remove(id string) {
	h := s.hash(id)
	if n := s.more[h]; n > 0 {
		if n == 1 {
			delete(s.more, h)
		} else {
			s.more[h] = n - 1
		}
		return
	}
	delete(s.one, h)
}

func (s *idSet) len() int { return len(s.one) + int(sumValues(s.more)) }

func sumValues(m map[uint64]int32) (n int64) {
	for _, v := range m {
		n += int64(v)
	}
	return n
}

// loadIDSet reads the ids of every stored event from event_ids (a narrow table written in key order with the
// events, so this reads a few dozen bytes per event, not the events themselves).
func loadIDSet(db *sql.DB, capacity int64) (*idSet, error) {
	set := newIDSet(int(capacity))
	rows, err := db.Query(`SELECT id FROM event_ids`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var id string
	for rows.Next() {
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		set.add(id)
	}
	return set, rows.Err()
}
