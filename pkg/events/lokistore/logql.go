// Package lokistore reads Falco events that falcosidekick's Loki output wrote. Its stream labels (outputs/loki.go,
// newLokiPayload) are rule, source and priority, plus hostname, tags (sorted, comma-joined) when present and any
// customfields/extralabels with "." turned into "_" (k8s_ns_name, k8s_pod_name); the line is the event's output
// text, or the whole payload as JSON with loki.format: json.
package lokistore

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/containersec/container-security/pkg/events"
)

// labelOf is the stream label a dimension is read from.
var labelOf = map[events.Dimension]string{
	events.DimPriority:  "priority",
	events.DimRule:      "rule",
	events.DimNamespace: "k8s_ns_name",
	events.DimPod:       "k8s_pod_name",
	events.DimHostname:  "hostname",
	events.DimSource:    "source",
	events.DimTag:       "tags",
}

// quote writes a LogQL string literal: LogQL reads Go's string syntax, so strconv.Quote escapes quotes,
// backslashes and control characters; a value can never end the literal.
func quote(s string) string { return strconv.Quote(s) }

// anyOf is a regular expression matching exactly one of the values.
func anyOf(vals []string) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		parts[i] = regexp.QuoteMeta(v)
	}
	return strings.Join(parts, "|")
}

// Selector is the stream selector and pipeline for the filters: label matchers first (the cheap part for
// Loki), then a line filter for free text. Cluster and image are not labels: the reader checks them on the
// parsed events.
func Selector(f events.Filters) string {
	matchers := []string{`rule=~".+"`}
	add := func(label string, vals []string) {
		switch len(vals) {
		case 0:
		case 1:
			matchers = append(matchers, label+"="+quote(vals[0]))
		default:
			matchers = append(matchers, label+"=~"+quote(anyOf(vals)))
		}
	}
	add("rule", f.Rules)
	add("source", f.Sources)
	add("hostname", f.Hostnames)
	add("k8s_ns_name", f.Namespaces)
	add("k8s_pod_name", f.Pods)
	if f.MinPriority != nil {
		var names []string
		for p := events.Emergency; p <= *f.MinPriority; p++ {
			names = append(names, p.String())
		}
		matchers = append(matchers, "priority=~"+quote(strings.Join(names, "|")))
	}
	if len(f.Tags) > 0 {
		// tags is one label of sorted, comma-joined tags: match any of them as a whole item.
		matchers = append(matchers, "tags=~"+quote("(.*,)?("+anyOf(f.Tags)+")(,.*)?"))
	}
	q := "{" + strings.Join(matchers, ", ") + "}"
	if f.Text != "" {
		q += " |~ " + quote("(?i)"+regexp.QuoteMeta(f.Text))
	}
	return q
}
