package catalog

import (
	"os"
	"path/filepath"
	"testing"
)

const corpus = "../../../../shared/corpus"

func TestLookupField(t *testing.T) {
	c := Get()
	if len(c.Fields) != 629 {
		t.Fatalf("fields: got %d, the corpus lists 629", len(c.Fields))
	}
	for name, want := range map[string]struct{ field, arg string }{
		"proc.name":                   {"proc.name", ""},
		"evt.arg.flags":               {"evt.arg", "flags"},
		"evt.rawarg.res":              {"evt.rawarg", "res"},
		"evt.type.is.open":            {"evt.type.is", "open"},
		"ka.req.pod.volumes.hostpath": {"ka.req.pod.volumes.hostpath", ""},
	} {
		f, arg, ok := c.LookupField(name)
		if !ok || f.Name != want.field || arg != want.arg {
			t.Errorf("%s: got %v %q %v, want %s %q", name, f, arg, ok, want.field, want.arg)
		}
	}
	for _, name := range []string{"proc.nme", "proc.name.extra", "evt", ""} {
		if f, _, ok := c.LookupField(name); ok {
			t.Errorf("%s must not resolve, got %s", name, f.Name)
		}
	}
	if _, err := os.Stat(filepath.Join(corpus, "falco-fields", "fields.json")); err != nil {
		t.Fatal(err)
	}
}

// evt.type values libsinsp accepts (sinsp_filtercheck_event.cpp validate_filter_value): event table names, also
// meta events and the "NA" filler, and ppm_sc names, also syscalls with no event of their own (generic events).
func TestKnownEventName(t *testing.T) {
	c := Get()
	if c.EventNamesFrom == "" {
		t.Fatal("the catalog must say which libs sources its event names come from")
	}
	for _, n := range []string{"execve", "openat2", "switch", "container", "procexit", "asyncevent", "NA", "syscall",
		"unknown", "restart_syscall", "getpid", "signal_deliver", "page_fault_user", "_llseek", "newfstatat", ""} {
		if !c.KnownEventName(n) {
			t.Errorf("%q is an event name libsinsp knows", n)
		}
	}
	for _, n := range []string{"opn", "bogus_evt", "Execve", "EXECVE", "execve ", "evt.type", "na"} {
		if c.KnownEventName(n) {
			t.Errorf("%q is no event name libsinsp knows", n)
		}
	}
}
