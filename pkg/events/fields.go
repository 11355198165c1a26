package events

import (
	"encoding/json"
	"slices"
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

const (
	imageRepositoryKey = "container.image.repository"
	imageTagKey        = "container.image.tag"
	imageKey           = "container.image" // the full reference, when the repository is not in the output
)

// workloadKeys are all the keys above, each once: the output_fields an event is read for.
var workloadKeys = func() []string {
	var keys []string
	for _, list := range [][]string{namespaceKeys, podKeys, containerKeys, processKeys, cmdlineKeys, userKeys, parentKeys, {imageRepositoryKey, imageTagKey, imageKey}} {
		for _, k := range list {
			if !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	if len(keys) >= maxFieldKeys {
		panic("events: more output_fields keys than fieldValues holds")
	}
	return keys
}()

// maxFieldKeys is what fieldValues holds: workloadKeys and the cluster key.
const maxFieldKeys = 16

// fieldValues are the values of the output_fields keys the workload fields are read from, as a
// map[string]string decoded by encoding/json holds them: per key, the string it was last given, "" when its last
// value is not a string or it is absent. Keys match exactly (a map's keys do not fold case).
type fieldValues struct {
	clusterKey string               // Options.ClusterField
	vals       [maxFieldKeys]string // by slot
}

// slotOf is where key's value is kept: its index in workloadKeys, len(workloadKeys) for the cluster key when it is
// not one of them, -1 for a key not read. The key may be a string or bytes (the decoder's own, compared without a
// copy).
func slotOf[S ~string | ~[]byte](f *fieldValues, key S) int {
	for i, k := range workloadKeys {
		if string(key) == k {
			return i
		}
	}
	if string(key) == f.clusterKey && f.clusterKey != "" {
		return len(workloadKeys)
	}
	return -1
}

// fromMap takes the values from output_fields decoded by encoding/json into a map[string]string: a value that is
// not a string fails to decode and leaves "" under its key, which is what fieldValues keeps for it.
func (f *fieldValues) fromMap(obj []byte) {
	var m map[string]string
	_ = json.Unmarshal(obj, &m) // obj is a valid object (the event's decoding checked it): only type errors
	for i, k := range workloadKeys {
		f.vals[i] = m[k]
	}
	if i := slotOf(f, f.clusterKey); i == len(workloadKeys) {
		f.vals[i] = m[f.clusterKey]
	}
}

// get reads a string value; Falco writes null, and older versions "<NA>", for a field it could not resolve.
func (f *fieldValues) get(key string) string {
	i := slotOf(f, key)
	if i < 0 {
		return ""
	}
	s := strings.TrimSpace(f.vals[i])
	if s == "<NA>" {
		return ""
	}
	return s
}

func extractWorkload(ev *Event, fields *fieldValues, opts Options) {
	get := func(keys []string) string {
		for _, k := range keys {
			if v := fields.get(k); v != "" {
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
		if c := fields.get(opts.ClusterField); c != "" {
			ev.Cluster = c
		}
	}
}

// imageOf is repository:tag; container.image (the full reference) when the repository is not in the output.
func imageOf(fields *fieldValues) string {
	if repo := fields.get(imageRepositoryKey); repo != "" {
		if tag := fields.get(imageTagKey); tag != "" {
			return repo + ":" + tag
		}
		return repo
	}
	return fields.get(imageKey)
}
