package sqlitestore

import (
	"hash/fnv"
	"strconv"
	"strings"

	"github.com/containersec/container-security/pkg/events"
)

// Every filter value of an event is one token in the FTS5 column "facets": a letter naming the field and the
// value's 64-bit FNV-1a hash in hex, so any value (spaces, quotes, unicode, SQL) is one plain token that the
// unicode61 tokenizer keeps whole and no user text ever becomes FTS5 syntax. A hash may collide, so queries also
// compare the columns themselves; the token only finds the candidates.
const (
	facetRule      = 'r'
	facetNamespace = 'n'
	facetPod       = 'p'
	facetImage     = 'i'
	facetCluster   = 'c'
	facetHostname  = 'h'
	facetSource    = 's'
	facetTag       = 't'
	facetID        = 'd'
)

func facetToken(field byte, value string) string {
	h := fnv.New64a()
	_, _ = h.Write([]byte(value))
	var b [17]byte
	b[0] = field
	return string(strconv.AppendUint(b[:1], h.Sum64(), 16))
}

// facets is the "facets" column of an event.
func facets(e *events.Event) string {
	var b strings.Builder
	b.Grow(19 * (9 + len(e.Tags)))
	for _, f := range []struct {
		field byte
		value string
	}{{facetRule, e.Rule}, {facetNamespace, e.Namespace}, {facetPod, e.Pod}, {facetImage, e.Image}, {facetCluster, e.Cluster},
		{facetHostname, e.Hostname}, {facetSource, e.Source}, {facetID, e.ID}} {
		b.WriteString(facetToken(f.field, f.value))
		b.WriteByte(' ')
	}
	for _, t := range uniqueTags(e.Tags) {
		b.WriteString(facetToken(facetTag, t))
		b.WriteByte(' ')
	}
	return b.String()
}

// matchExpr is the FTS5 query of the filters that the facets and the output words answer ("" when none does; the
// priority is the shard's):
// within a field any value, across fields all. Free text is one phrase whose last word may be a prefix, the user's
// text being data, never FTS5 syntax (quotes are doubled inside the phrase).
func matchExpr(f events.Filters) string {
	var parts []string
	anyOf := func(field byte, vals []string) {
		if len(vals) == 0 {
			return
		}
		toks := make([]string, len(vals))
		for i, v := range vals {
			toks[i] = facetToken(field, v)
		}
		parts = append(parts, "facets : ("+strings.Join(toks, " OR ")+")")
	}
	anyOf(facetRule, f.Rules)
	anyOf(facetSource, f.Sources)
	anyOf(facetHostname, f.Hostnames)
	anyOf(facetNamespace, f.Namespaces)
	anyOf(facetPod, f.Pods)
	anyOf(facetImage, f.Images)
	anyOf(facetTag, f.Tags)
	if f.Cluster != "" {
		anyOf(facetCluster, []string{f.Cluster})
	}
	if q := textQuery(f.Text); q != "" {
		parts = append(parts, "output : "+q)
	}
	return strings.Join(parts, " AND ")
}

func textQuery(text string) string {
	text = strings.TrimSpace(strings.ReplaceAll(text, "\x00", " ")) // FTS5 would end the query string at a NUL
	if text == "" {
		return ""
	}
	return `"` + strings.ReplaceAll(text, `"`, `""`) + `" *`
}
