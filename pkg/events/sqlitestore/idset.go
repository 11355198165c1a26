package sqlitestore

import (
	"database/sql"
	"hash/maphash"
	"slices"
)

// idSet holds a 64-bit hash of the id of every stored event, in memory, so the writer checks a new event's uuid
// without a B-tree lookup: most ids are new, and a miss is certain. A hit (a resend, or two ids sharing a hash) is
// settled by reading the stored event (Store.eventByID). It replaces the unique index on events.id of schema 4,
// whose random uuids cost a random index page per event in every commit (README, "Event store benchmark").
//
// The hash is keyed by a random seed of this process, so a sender cannot choose ids that collide to make every
// check go to the store. Most hashes sit in one sorted slice (8 bytes per event; a Go map of them took 38 MB per
// million), the ones added and removed since in two small maps (at most 1/32 of it), merged into the slice when they grow. Owned by the
// writer goroutine (insert and prune run there); built before it starts.
type idSet struct {
	seed    maphash.Seed
	sorted  []uint64         // ascending, a hash once per id that has it
	added   map[uint64]int32 // ids added since the last merge, by hash
	removed map[uint64]int32 // ids of sorted removed since the last merge, by hash
}

func newIDSet(capacity int) *idSet {
	return &idSet{seed: maphash.MakeSeed(), sorted: make([]uint64, 0, capacity), added: map[uint64]int32{}, removed: map[uint64]int32{}}
}

func (s *idSet) hash(id string) uint64 { return maphash.String(s.seed, id) }

// inSorted is how many ids of sorted have hash h.
func (s *idSet) inSorted(h uint64) int32 {
	i, found := slices.BinarySearch(s.sorted, h)
	if !found {
		return 0
	}
	n := int32(0)
	for ; i < len(s.sorted) && s.sorted[i] == h; i++ {
		n++
	}
	return n
}

// mayHold says whether an event with this id may be stored: false is certain.
func (s *idSet) mayHold(id string) bool {
	h := s.hash(id)
	return s.added[h] > 0 || s.inSorted(h) > s.removed[h]
}

func (s *idSet) add(id string) {
	s.added[s.hash(id)]++
	if len(s.added) > max(1<<12, len(s.sorted)/32) { // a merge copies the array: at most once per 1/32 of it
		s.merge()
	}
}

func (s *idSet) remove(id string) {
	h := s.hash(id)
	if n := s.added[h]; n > 0 {
		if n == 1 {
			delete(s.added, h)
		} else {
			s.added[h] = n - 1
		}
		return
	}
	if s.removed[h] < s.inSorted(h) {
		s.removed[h]++
	}
	if len(s.removed) > max(1<<12, len(s.sorted)/32) {
		s.merge()
	}
}

// merge folds added and removed into sorted in place (no second array: at a million events it would be 8 MB of
// garbage at each merge): the removed hashes are dropped in a pass forward, the added ones merged in from the back.
func (s *idSet) merge() {
	w := 0
	for _, h := range s.sorted {
		if n := s.removed[h]; n > 0 {
			s.removed[h] = n - 1
			continue
		}
		s.sorted[w] = h
		w++
	}
	add := make([]uint64, 0, len(s.added))
	for h, n := range s.added {
		for range n {
			add = append(add, h)
		}
	}
	slices.Sort(add)
	n := w + len(add)
	if n > cap(s.sorted) {
		grown := make([]uint64, w, n+n/16)
		copy(grown, s.sorted[:w])
		s.sorted = grown
	}
	s.sorted = s.sorted[:n]
	i, j := w-1, len(add)-1
	for k := n - 1; j >= 0; k-- {
		if i >= 0 && s.sorted[i] > add[j] {
			s.sorted[k] = s.sorted[i]
			i--
		} else {
			s.sorted[k] = add[j]
			j--
		}
	}
	s.added, s.removed = map[uint64]int32{}, map[uint64]int32{}
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
		set.sorted = append(set.sorted, set.hash(id))
	}
	slices.Sort(set.sorted)
	return set, rows.Err()
}
