package events

import (
	"encoding/json"
	"strings"
)

// Output field keys are Falco's field names as they appear in output_fields. Container and Kubernetes fields come
// from the container plugin (Falco >= 0.41; suggested outputs appended through append_output), k8saudit fields
// from the k8saudit plugin; the first non-empty key of each list wins.
var (
	namespaceKeys = []string{"k8s.ns.name", "ka.target.namespace"}
	podKeys       = []string{"k8s.pod.name"}
	containerKeys = []string{"container.name"}
	processKeys   = []string{"proc.name"}
	cmdlineKeys   = []string{"proc.cmdline"}
	userKeys      = []string{"user.name", "ka.user.name"}
	parentKeys    = []string{"proc.pname"}
)

func extractWorkload(ev *Event, fields map[string]json.RawMessage, opts Options) {
	get := func(keys []string) string {
		for _, k := range keys {
			if v := stringField(fields, k); v != "" {
				return v
			}
		}
		return ""
	}
	ev.Namespace = get(namespaceKeys)
	ev.Pod = get(podKeys)
	ev.Container = get(containerKeys)
	ev.Process = get(processKeys)
	ev.Cmdline = get(cmdlineKeys)
	ev.User = get(userKeys)
	ev.Parent = get(parentKeys)
	ev.Image = imageOf(fields)
	ev.Cluster = opts.DefaultCluster
	if opts.ClusterField != "" {
		if c := stringField(fields, opts.ClusterField); c != "" {
			ev.Cluster = c
		}
	}
}

// imageOf is repository:tag; container.image (the full reference) when the repository is not in the output.
func imageOf(fields map[string]json.RawMessage) string {
	if repo := stringField(fields, "container.image.repository"); repo != "" {
		if tag := stringField(fields, "container.image.tag"); tag != "" {
			return repo + ":" + tag
		}
		return repo
	}
	return stringField(fields, "container.image")
}

// stringField reads a string value; Falco writes null, and older versions "<NA>", for a field it could not resolve.
func stringField(fields map[string]json.RawMessage, key string) string {
	raw, ok := fields[key]
	if !ok || len(raw) == 0 || raw[0] != '"' {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	s = strings.TrimSpace(s)
	if s == "<NA>" {
		return ""
	}
	return s
}
