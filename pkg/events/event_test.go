package events

import (
	"strings"
	"testing"
	"time"
)

// falcosidekickEvent has the shape of falcosidekick's webhook body (types.FalcoPayload): a fresh uuid per event,
// priority as a name, output_fields with any JSON values; Falco 0.44's container plugin suggested outputs included.
const falcosidekickEvent = `{"uuid":"5a1b6f3e-2c5d-4f7e-9a1b-0c2d3e4f5a6b","output":"15:04:05.123456789: Notice A shell was spawned in a container with an attached terminal | evt_type=execve user=root user_uid=0 process=bash proc_exepath=/bin/bash parent=runc command=bash -il terminal=34816 container_id=3ad7b26ded6d container_name=nginx container_image_repository=docker.io/library/nginx container_image_tag=1.27 k8s_pod_name=web-6d4cf56db6-abcde k8s_ns_name=shop","priority":"Notice","rule":"Terminal shell in container","time":"2026-11-29T15:04:05.123456789Z","output_fields":{"container.id":"3ad7b26ded6d","container.image.repository":"docker.io/library/nginx","container.image.tag":"1.27","container.name":"nginx","evt.time":1795964645123456789,"evt.type":"execve","k8s.ns.name":"shop","k8s.pod.name":"web-6d4cf56db6-abcde","proc.cmdline":"bash -il","proc.exepath":"/bin/bash","proc.name":"bash","proc.pname":"runc","proc.tty":34816,"user.loginuid":-1,"user.name":"root","user.uid":0,"cluster":"prod-eu"},"source":"syscall","tags":["T1059","container","maturity_stable","mitre_execution","shell"],"hostname":"node-1"}`

// falcoJSONOutput is Falco's own json_output/http_output line: no uuid, null for unresolved fields.
const falcoJSONOutput = `{"hostname":"node-2","output":"16:00:00.000000001: Warning Sensitive file opened for reading by non-trusted program | file=/etc/shadow","output_fields":{"container.id":"host","container.name":null,"fd.name":"/etc/shadow","proc.name":"cat","user.name":"<NA>"},"priority":"Warning","rule":"Read sensitive file untrusted","source":"syscall","tags":["filesystem"],"time":"2026-11-29T16:00:00.000000001Z"}`

func TestParseFalcosidekickEvent(t *testing.T) {
	evs, err := Parse([]byte(falcosidekickEvent), Options{DefaultCluster: "default", ClusterField: "cluster"})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 {
		t.Fatalf("got %d events", len(evs))
	}
	e := evs[0]
	want := map[string]string{
		"id": "5a1b6f3e-2c5d-4f7e-9a1b-0c2d3e4f5a6b", "rule": "Terminal shell in container", "source": "syscall",
		"hostname": "node-1", "cluster": "prod-eu", "namespace": "shop", "pod": "web-6d4cf56db6-abcde",
		"container": "nginx", "image": "docker.io/library/nginx:1.27", "process": "bash", "cmdline": "bash -il",
		"user": "root", "parent": "runc", "tags": "T1059,container,maturity_stable,mitre_execution,shell",
	}
	got := map[string]string{
		"id": e.ID, "rule": e.Rule, "source": e.Source, "hostname": e.Hostname, "cluster": e.Cluster,
		"namespace": e.Namespace, "pod": e.Pod, "container": e.Container, "image": e.Image, "process": e.Process,
		"cmdline": e.Cmdline, "user": e.User, "parent": e.Parent, "tags": strings.Join(e.Tags, ","),
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: got %q want %q", k, got[k], v)
		}
	}
	if e.Priority != Notice || e.Priority.String() != "Notice" {
		t.Errorf("priority: %v", e.Priority)
	}
	if !e.Time.Equal(time.Date(2026, 11, 29, 15, 4, 5, 123456789, time.UTC)) {
		t.Errorf("time keeps nanoseconds: %v", e.Time)
	}
	if !strings.Contains(string(e.OutputFields), `"evt.time":1795964645123456789`) {
		t.Errorf("output_fields must keep numbers exactly: %s", e.OutputFields)
	}
}

func TestParseFalcoJSONOutputDerivesAStableID(t *testing.T) {
	a, err := Parse([]byte(falcoJSONOutput), Options{DefaultCluster: "lab"})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Parse([]byte(falcoJSONOutput), Options{})
	if a[0].ID != b[0].ID || !strings.HasPrefix(a[0].ID, "falco-") {
		t.Fatalf("same Falco event must get the same key: %q %q", a[0].ID, b[0].ID)
	}
	other := strings.Replace(falcoJSONOutput, "16:00:00.000000001Z", "16:00:00.000000002Z", 1)
	c, _ := Parse([]byte(other), Options{})
	if c[0].ID == a[0].ID {
		t.Fatal("events a nanosecond apart must get different keys")
	}
	e := a[0]
	if e.Cluster != "lab" || e.Container != "" || e.User != "" || e.Process != "cat" {
		t.Fatalf("null and <NA> are empty, default cluster applies: %+v", e)
	}
}

func TestParseArray(t *testing.T) {
	evs, err := Parse([]byte("[\n"+falcosidekickEvent+",\n"+falcoJSONOutput+"]"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 || evs[1].Hostname != "node-2" {
		t.Fatalf("got %+v", evs)
	}
}

func TestParseRejectsWithReasons(t *testing.T) {
	for name, tc := range map[string]struct {
		body string
		want []string
	}{
		"empty":            {"  ", []string{"request body is empty"}},
		"not json":         {"{rule:", []string{"not valid JSON"}},
		"empty array":      {"[]", []string{"empty array"}},
		"scalar":           {`"hello"`, []string{"must be a JSON object"}},
		"missing all":      {`{"output":"x"}`, []string{`missing "rule"`, `missing "priority"`, `missing "time"`}},
		"unknown priority": {`{"rule":"r","priority":"Severe","time":"2026-11-29T15:04:05Z"}`, []string{`unknown priority "Severe"`}},
		"numeric priority": {`{"rule":"r","priority":4,"time":"2026-11-29T15:04:05Z"}`, []string{`field "priority" must be string`}},
		"bad time":         {`{"rule":"r","priority":"Warning","time":"yesterday"}`, []string{`time "yesterday" is not RFC 3339`}},
		"zero time":        {`{"rule":"r","priority":"Warning","time":"0001-01-01T00:00:00Z"}`, []string{"outside 1970..2262"}},
		"far future":       {`{"rule":"r","priority":"Warning","time":"2300-01-01T00:00:00Z"}`, []string{"outside 1970..2262"}},
		"fields not obj":   {`{"rule":"r","priority":"Warning","time":"2026-11-29T15:04:05Z","output_fields":[1]}`, []string{`"output_fields" must be a JSON object`}},
		"long uuid":        {`{"uuid":"` + strings.Repeat("a", 200) + `","rule":"r","priority":"Warning","time":"2026-11-29T15:04:05Z"}`, []string{"longer than 128"}},
		"one bad in array": {"[" + falcoJSONOutput + `,{"rule":"r"}]`, []string{`event 1: missing "priority"`}},
		"array of junk":    {`[1,2`, []string{"not a valid JSON array"}},
	} {
		t.Run(name, func(t *testing.T) {
			evs, err := Parse([]byte(tc.body), Options{})
			if err == nil {
				t.Fatalf("expected an error, got %d events", len(evs))
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if evs != nil {
				t.Errorf("a rejected body yields no events")
			}
		})
	}
}

func TestParsePriority(t *testing.T) {
	for in, want := range map[string]Priority{"CRITICAL": Critical, "informational": Informational, "INFO": Informational, " debug ": Debug, "Emergency": Emergency} {
		if got, err := ParsePriority(in); err != nil || got != want {
			t.Errorf("%q: got %v %v", in, got, err)
		}
	}
	if _, err := ParsePriority("7"); err == nil {
		t.Error("numbers are not priority names")
	}
}

func TestImageFallsBackToContainerImage(t *testing.T) {
	evs, err := Parse([]byte(`{"rule":"r","priority":"Warning","time":"2026-11-29T15:04:05Z","output_fields":{"container.image":"quay.io/x/y:2"}}`), Options{})
	if err != nil || evs[0].Image != "quay.io/x/y:2" || string(evs[0].OutputFields) == "" {
		t.Fatalf("%+v %v", evs, err)
	}
}
