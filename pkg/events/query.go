package events

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Filters narrow every query type; empty lists and strings do not filter.
type Filters struct {
	MinPriority *Priority // that priority and more severe
	Rules       []string
	Sources     []string
	Tags        []string // an event matches when it has any of them
	Cluster     string
	Hostnames   []string
	Namespaces  []string
	Pods        []string
	Images      []string
	Text        string // free text in the output
}

// Dimension is what counts are grouped by and values are listed for.
type Dimension string

const (
	DimPriority  Dimension = "priority"
	DimRule      Dimension = "rule"
	DimNamespace Dimension = "namespace"
	DimPod       Dimension = "pod"
	DimHostname  Dimension = "hostname"
	DimSource    Dimension = "source"
	DimTag       Dimension = "tag"
	DimCluster   Dimension = "cluster"
	DimImage     Dimension = "image"
)

// GroupDimensions are the eventCounts groupings; ValueDimensions the eventValues fields.
var (
	GroupDimensions = []Dimension{DimPriority, DimRule, DimNamespace, DimPod, DimHostname, DimSource, DimTag}
	ValueDimensions = []Dimension{DimPriority, DimRule, DimNamespace, DimPod, DimHostname, DimSource, DimTag, DimCluster, DimImage}
)

// ParseDimension checks a dimension against the allowed list and names the choices when it is not there.
func ParseDimension(s string, allowed []Dimension) (Dimension, error) {
	names := make([]string, len(allowed))
	for i, d := range allowed {
		if string(d) == strings.ToLower(strings.TrimSpace(s)) {
			return d, nil
		}
		names[i] = string(d)
	}
	return "", fmt.Errorf("%q is not one of %s", s, strings.Join(names, ", "))
}

const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

// ListRequest asks for events in [From, To], newest first, continuing after Cursor.
type ListRequest struct {
	From, To time.Time
	Filters  Filters
	Limit    int
	Cursor   string
}

// Page is one page of events; NextCursor is "" on the last page.
type Page struct {
	Events     []Event
	NextCursor string
}

// CountRequest asks for event counts per Bucket in [From, To], one series per value of GroupBy.
type CountRequest struct {
	From, To time.Time
	Filters  Filters
	GroupBy  Dimension
	Bucket   time.Duration
}

// Series is the counts of one group value; Counts[i] is the bucket starting at Start + i*Bucket.
type Series struct {
	Value  string
	Counts []int64
}

// Counts is the answer of a CountRequest: buckets with no events hold 0.
type Counts struct {
	Start  time.Time
	Bucket time.Duration
	Series []Series
	Of     int // when not 0: Series hold the top values of Of (a store that bounds its series: Loki)
}

// ValueRequest asks for the values of Field in [From, To], most frequent first.
type ValueRequest struct {
	From, To time.Time
	Filters  Filters
	Field    Dimension
	Limit    int
}

// ValueCount is one value and how many events carry it.
type ValueCount struct {
	Value string
	Count int64
}

// Status describes a store for the storeStatus query.
type Status struct {
	Store         string
	Events        int64
	Oldest        time.Time
	Newest        time.Time
	SizeBytes     int64
	LastIngest    time.Time
	Refused       int64
	RetentionDays int
	MaxStoreMB    int
	// Problem is what makes writes fail now ("disk full", ...), since ProblemSince; "" while they succeed.
	Problem      string
	ProblemSince time.Time
}

// IngestResult says how many events were new and how many were already stored (same id).
type IngestResult struct {
	Stored     int
	Duplicates int
	// Conflicts are the uuids of events refused because that uuid is stored with other content.
	Conflicts []string
}

// Reader answers the query types; both the SQLite and the Loki store implement it.
type Reader interface {
	List(ctx context.Context, req ListRequest) (Page, error)
	Get(ctx context.Context, id string) (*Event, error)
	Count(ctx context.Context, req CountRequest) (Counts, error)
	Values(ctx context.Context, req ValueRequest) ([]ValueCount, error)
	Status(ctx context.Context) (Status, error)
}

// AlignedStart is the start of the bucket of size b holding from, buckets being aligned to multiples of b since the epoch.
func AlignedStart(from time.Time, b time.Duration) time.Time {
	return time.Unix(0, from.UnixNano()-mod(from.UnixNano(), int64(b))).UTC()
}

func mod(a, b int64) int64 {
	m := a % b
	if m < 0 {
		m += b
	}
	return m
}

// FieldGroup is one distinct tuple of output_fields members and how many events hold it.
type FieldGroup struct {
	// Values are the members' JSON text ("\"nginx\"", "null", "42"); nil when the event's output_fields has no
	// such key.
	Values []*string
	Count  int64
	Recent int64 // of Count, the events at or after the request's Split
}

// FieldGrouper counts events by the values of output_fields keys (the SQLite store; Loki does not).
type FieldGrouper interface {
	GroupByFields(ctx context.Context, from, to, split time.Time, f Filters, fields []string) ([]FieldGroup, error)
}
