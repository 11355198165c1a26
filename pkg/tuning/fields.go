package tuning

import (
	"slices"
	"sort"

	"github.com/containersec/container-security/pkg/rules/catalog"
)

// Candidate is a field an exception of the rule may use.
type Candidate struct {
	Field   string `json:"field"`
	Type    string `json:"type"`
	Comp    string `json:"comp"`    // the suggested comp
	Checked bool   `json:"checked"` // part of the suggested exception
	Note    string `json:"note,omitempty"`
}

// defaultFields are the most specific stable identity of what fired, per source: the image and the process, the
// audit user and the resource; never pod names, which change with each rollout.
var defaultFields = map[string][]string{
	"syscall":   {"container.image.repository", "proc.name"},
	"k8s_audit": {"ka.user.name", "ka.target.resource"},
}

// pathFields hold paths: an exception on them usually covers a directory or an executable's location.
var pathFields = map[string]bool{"fd.name": true, "fd.directory": true, "proc.exepath": true,
	"proc.cwd": true, "fs.path.name": true, "fs.path.source": true, "fs.path.target": true, "proc.pexepath": true}

var notes = map[string]string{
	"k8s.pod.name":        "changes with each rollout; prefer the image or the workload",
	"container.id":        "changes with each container start",
	"proc.pid":            "changes with each process",
	"container.image.tag": "changes with each release; prefer the repository",
}

// Fields lists the fields an exception of a rule of this source may use, in the order the builder shows them:
// the keys the rule's events carry (outputKeys) that are string fields of the rule's source (the rules service's
// catalog, as the validator checks an exception's fields: pkg/rules/checks.go checkExceptions), the suggested
// ones first. With no stored events, the suggested fields of the source.
func Fields(cat *catalog.Catalog, source string, outputKeys []string) []Candidate {
	keys := outputKeys
	if len(keys) == 0 {
		keys = defaultFields[source]
	}
	var out []Candidate
	for _, k := range keys {
		f, _, ok := cat.LookupField(k)
		if !ok || (f.Source != "*" && f.Source != source) || f.Type != "CHARBUF" || f.Name != k {
			continue // only string fields whose values the events carry as they are compared
		}
		c := Candidate{Field: k, Type: f.Type, Comp: "=", Checked: slices.Contains(defaultFields[source], k), Note: notes[k]}
		if pathFields[k] {
			c.Comp = "startswith"
		}
		out = append(out, c)
	}
	rank := func(c Candidate) int {
		if i := slices.Index(defaultFields[source], c.Field); i >= 0 {
			return i
		}
		return 100
	}
	sort.SliceStable(out, func(i, j int) bool {
		if rank(out[i]) != rank(out[j]) {
			return rank(out[i]) < rank(out[j])
		}
		return out[i].Field < out[j].Field
	})
	if len(out) > 0 && !slices.ContainsFunc(out, func(c Candidate) bool { return c.Checked }) {
		out[0].Checked = true
	}
	return out
}

// Comps are the comps the builder offers: those the preview evaluates.
func Comps() []string { return []string{"=", "!=", "startswith", "endswith", "contains", "in"} }
