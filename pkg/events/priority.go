// Package events is the Falco event model: parsing what falcosidekick and Falco send, validating it, and the
// filters and query shapes every event store answers. It knows nothing of Grafana.
package events

import (
	"fmt"
	"strings"
)

// Priority is Falco's severity, numbered as Falco numbers it: 0 = Emergency (most severe) … 7 = Debug.
type Priority int

const (
	Emergency Priority = iota
	Alert
	Critical
	Error
	Warning
	Notice
	Informational
	Debug
)

// priorityNames are Falco's spellings (falco_common::format_priority), which falcosidekick repeats.
var priorityNames = [...]string{"Emergency", "Alert", "Critical", "Error", "Warning", "Notice", "Informational", "Debug"}

func (p Priority) String() string {
	if p < Emergency || p > Debug {
		return fmt.Sprintf("Priority(%d)", int(p))
	}
	return priorityNames[p]
}

// lowerPriorityNames are priorityNames in lower case, what ParsePriority compares with.
var lowerPriorityNames = func() (l [len(priorityNames)]string) {
	for i, n := range priorityNames {
		l[i] = strings.ToLower(n)
	}
	return l
}()

// ParsePriority reads a priority name case-insensitively; "info" is accepted because Falco's rule files use INFO.
func ParsePriority(s string) (Priority, error) {
	t := strings.TrimSpace(s)
	// Every event has a priority: an ASCII one is compared without lower-casing a copy. For ASCII, EqualFold is
	// exactly "equal in lower case"; beyond it EqualFold folds differently from ToLower, so it gets ToLower.
	equal := strings.EqualFold
	if !isASCII(t) {
		t = strings.ToLower(t)
		equal = func(a, b string) bool { return a == b }
	}
	if equal(t, "info") {
		return Informational, nil
	}
	for i, n := range lowerPriorityNames {
		if equal(t, n) {
			return Priority(i), nil
		}
	}
	return 0, fmt.Errorf("unknown priority %q: use one of emergency, alert, critical, error, warning, notice, informational, debug", s)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
