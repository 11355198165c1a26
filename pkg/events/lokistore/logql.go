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
func Selector(f events.Filters) string { return selector(f, "", nil) }

// selector is Selector with one more matcher: label among values (the top values a count is bounded to).
func selector(f events.Filters, label string, values []string) string {
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
	if label != "" {
		matchers = append(matchers, label+"=~"+quote(anyOf(values)))
	}
	q := "{" + strings.Join(matchers, ", ") + "}"
	if f.Text != "" {
		q += " |~ " + quote("(?i)"+regexp.QuoteMeta(f.Text))
	}
	if len(f.Images) > 0 {
		// Not a label: a line holds its image's repository in both formats (the text line's
		// container_image_repository=, the JSON line's container.image.repository); the reader compares the
		// whole image on each event.
		repos := make([]string, len(f.Images))
		for i, img := range f.Images {
			repos[i] = imageRepository(img)
		}
		q += " |~ " + quote(anyOf(repos))
	}
	return q
}

// imageRepository is an image's repository: "repository:tag" without the tag (a registry's ":port" is kept).
func imageRepository(image string) string {
	if i := strings.LastIndexByte(image, ':'); i >= 0 && !strings.Contains(image[i:], "/") {
		return image[:i]
	}
	return image
}

// imageOfLine reads the image of a text line: Falco appends the container plugin's suggested output fields to
// every rule's output (falco.yaml append_output: suggested_output, on in the chart's values), written
// "container_image_repository=nginx container_image_tag=1.27", "<NA>" or nothing when unknown. falcosidekick's
// Loki output writes that output as the line (outputs/loki.go newLokiPayload). The image is the parser's:
// repository:tag, or the repository alone.
func imageOfLine(line string) string {
	field := func(key string) string {
		i := strings.Index(line, " "+key+"=")
		if i < 0 {
			return ""
		}
		v := line[i+len(key)+2:]
		if j := strings.IndexByte(v, ' '); j >= 0 {
			v = v[:j]
		}
		if v == "<NA>" {
			return ""
		}
		return v
	}
	repo := field("container_image_repository")
	if repo == "" {
		return ""
	}
	if tag := field("container_image_tag"); tag != "" {
		return repo + ":" + tag
	}
	return repo
}
