package sqlitestore

import (
	"cmp"
	"slices"
	"strings"
	"sync"

	"github.com/containersec/container-security/pkg/events"
)

// recentEvents holds the events the writer committed last, in ins order, so a list query matches the tail (the
// events its snapshot of the index does not hold yet) in memory. Read from the events table, that tail cost a seek
// and the output's pages per event: under full-speed ingest (a tail of thousands) about half of a filtered query's
// CPU. Entries are added after their commit and kept a while after the index took them (recentKeep), for queries
// whose snapshot of the index is a little older.
type recentEvents struct {
	mu      sync.RWMutex
	entries []recentEntry // ins ascending
	// Every committed event with ins above dropped is here (unless retention deleted it), up to added.
	dropped, added int64
}

type recentEntry struct {
	ftsEntry
	lower string // the output in lower case when it is ASCII, for free text (textMatcher.matchLower); else ""
}

// recentKeep is how many indexed events stay in memory behind the index, for queries that began before its last commit.
const recentKeep = ftsBacklog / 8

func newRecentEvents(ins int64) *recentEvents { return &recentEvents{dropped: ins, added: ins} }

// add appends one commit's entries and lets go of those the index took more than recentKeep events ago.
func (r *recentEvents) add(entries []ftsEntry, indexed int64) {
	sorted := make([]recentEntry, len(entries))
	for i, e := range entries {
		sorted[i].ftsEntry = e
		if isASCII(e.ev.Output) {
			sorted[i].lower = strings.ToLower(e.ev.Output)
		}
	}
	slices.SortFunc(sorted, func(a, b recentEntry) int { return cmp.Compare(a.ins, b.ins) })
	r.mu.Lock()
	defer r.mu.Unlock()
	r.entries = append(r.entries, sorted...)
	if n := len(sorted); n > 0 {
		r.added = max(r.added, sorted[n-1].ins)
	}
	r.dropIndexed(indexed)
}

// forgetIndexed lets go of the events the index took more than recentKeep events ago.
func (r *recentEvents) forgetIndexed(indexed int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.dropIndexed(indexed)
}

func (r *recentEvents) dropIndexed(indexed int64) {
	keepFrom := indexed - recentKeep
	i, _ := slices.BinarySearchFunc(r.entries, keepFrom, func(e recentEntry, ins int64) int { return cmp.Compare(e.ins, ins) })
	if i > 0 {
		r.dropped = max(r.dropped, r.entries[i-1].ins)
		// A new array when most of it goes, so the one that held a burst is not kept alive by its tail.
		if i > len(r.entries)/2 {
			r.entries = slices.Clone(r.entries[i:])
		} else {
			r.entries = slices.Delete(r.entries, 0, i)
		}
	}
}

// forget removes the events retention deleted (keys up to lastKey).
func (r *recentEvents) forget(lastKey int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.entries = slices.DeleteFunc(r.entries, func(e recentEntry) bool { return e.key <= lastKey })
}

// keys returns the keys of the events with ins in (from, to] that pass sel, and false when memory does not hold
// all of them (the query then reads them from the events table).
func (r *recentEvents) keys(from, to int64, sel selection) ([]int64, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if from < r.dropped || to > r.added {
		return nil, false
	}
	i, _ := slices.BinarySearchFunc(r.entries, from+1, func(e recentEntry, ins int64) int { return cmp.Compare(e.ins, ins) })
	var keys []int64
	for _, e := range r.entries[i:] {
		if e.ins > to {
			break
		}
		if sel.passes(e.ev, e.key, e.lower) {
			keys = append(keys, e.key)
		}
	}
	return keys, true
}

// passes is sel's conditions on the events' columns (selectEvents and tailPart), evaluated on the event as
// eventArgs stores it: the same comparisons, tags matched in the stored comma-joined column as instr() does.
// lower is the output in lower case when it is ASCII ("" otherwise).
func (sel selection) passes(e *events.Event, key int64, lower string) bool {
	t := e.Time.UnixNano()
	if key < sel.lo || key > sel.keyHi || t < sel.lo || t > sel.hi {
		return false
	}
	f := sel.filters
	if f.MinPriority != nil && int(e.Priority) > int(*f.MinPriority) {
		return false
	}
	in := func(v string, vals []string) bool { return len(vals) == 0 || slices.Contains(vals, v) }
	if !in(e.Rule, f.Rules) || !in(e.Source, f.Sources) || !in(e.Hostname, f.Hostnames) || !in(e.Namespace, f.Namespaces) ||
		!in(e.Pod, f.Pods) || !in(e.Image, f.Images) || (f.Cluster != "" && e.Cluster != f.Cluster) {
		return false
	}
	if len(f.Tags) > 0 {
		column := "," + strings.Join(e.Tags, ",") + ","
		if !slices.ContainsFunc(f.Tags, func(tag string) bool { return strings.Contains(column, ","+tag+",") }) {
			return false
		}
	}
	if !sel.hasText {
		return true
	}
	if lower != "" && sel.text.ascii {
		return sel.text.matchLower(lower)
	}
	return sel.text.match(e.Output)
}
