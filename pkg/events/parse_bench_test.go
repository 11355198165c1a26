package events

import "testing"

// benchEvent is a typical falcosidekick webhook body (1.1 KB): uuid, a 342-character output, 4 tags and 17
// output_fields of strings and numbers, evt.time a number, as falcosidekick forwards Falco 0.44's events.
const benchEvent = `{"uuid":"0f6c2a4e-8b1d-4c3a-9e5f-7a2b1c0d9e8f","output":"10:21:33.482917365: Notice A shell was spawned in a container with an attached terminal | evt_type=execve user=root user_uid=0 user_loginuid=-1 process=bash proc_exepath=/bin/bash parent=containerd-shim command=bash -il terminal=34816 exe_flags=EXE_WRITABLE container_id=9c1e5b7a3f20 container_name=checkout image=ghcr.io/acme/checkout:2.14.3","priority":"Notice","rule":"Terminal shell in container","time":"2026-11-29T10:21:33.482917365Z","source":"syscall","tags":["container","maturity_stable","mitre_execution","shell"],"hostname":"ip-10-0-12-34.eu-west-1.compute.internal","output_fields":{"container.id":"9c1e5b7a3f20","container.image.repository":"ghcr.io/acme/checkout","container.image.tag":"2.14.3","container.name":"checkout","evt.arg.flags":"EXE_WRITABLE","evt.time":1795947693482917365,"evt.type":"execve","k8s.ns.name":"payments","k8s.pod.name":"checkout-7d9f8c6b5-x2k4q","proc.cmdline":"bash -il","proc.exepath":"/bin/bash","proc.name":"bash","proc.pname":"containerd-shim","proc.tty":34816,"user.loginuid":-1,"user.name":"root","user.uid":0}}`

// BenchmarkParse is the per-request cost of ingest: one falcosidekick event per HTTP request.
func BenchmarkParse(b *testing.B) {
	body := []byte(benchEvent)
	opts := Options{DefaultCluster: "default", ClusterField: "cluster"}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		evs, err := Parse(body, opts)
		if err != nil || len(evs) != 1 {
			b.Fatal(evs, err)
		}
	}
}

// BenchmarkParseArray is a batch of 50 events in one body (Falco http_output batches, falcosidekick never does).
func BenchmarkParseArray(b *testing.B) {
	body := []byte("[" + benchEvent)
	for range 49 {
		body = append(body, ","+benchEvent...)
	}
	body = append(body, ']')
	opts := Options{DefaultCluster: "default", ClusterField: "cluster"}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		evs, err := Parse(body, opts)
		if err != nil || len(evs) != 50 {
			b.Fatal(len(evs), err)
		}
	}
}
