package rules

import (
	"os"
	"testing"

	"github.com/containersec/container-security/pkg/rules/catalog"
)

// The validation benchmarks; each also reports cpu-ms/op, the process's CPU time per validation, which stays
// meaningful when other work shares the machine (wall time per op does not).
//
//	go test -run '^$' -bench 'ValidateCorpus|ValidateCustomFile|ValidateOverrides' -benchmem -count 5 ./pkg/rules/

// BenchmarkValidateCorpus loads and fully validates the four official rulesets: the editor's worst case.
func BenchmarkValidateCorpus(b *testing.B) {
	files := loadCorpus(b)
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		if res := Validate(files, Options{}); res.Errors() != 0 {
			b.Fatal("the corpus must validate without errors")
		}
	}
	reportCPU(b, start)
}

// BenchmarkValidateCustomFile validates one small custom file after the embedded defaults: the editor's common case.
func BenchmarkValidateCustomFile(b *testing.B) {
	content, err := os.ReadFile(shippedRules)
	if err != nil {
		b.Fatal(err)
	}
	files := []File{{Name: "containersec_rules.yaml", Content: string(content)}}
	opts := Options{Defaults: &catalog.Get().Defaults}
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		if res := Validate(files, opts); len(res.Diagnostics) != 0 {
			b.Fatal("the shipped rules must validate cleanly")
		}
	}
	reportCPU(b, start)
}

// overridesFile tunes the default ruleset the way users do: replaced and appended macros and lists the defaults
// use everywhere (spawned_process, container, shell_binaries), conditions and exceptions appended to default
// rules, priorities and outputs overridden. Every default rule that uses what changed is compiled again.
const overridesFile = `
- list: shell_binaries
  items: [fish, xonsh]
  override:
    items: append
- macro: container
  condition: (container.id != host and container.name exists)
  override:
    condition: replace
- macro: spawned_process
  condition: and proc.name != ""
  override:
    condition: append
- macro: user_known_read_sensitive_files_activities
  condition: (proc.name in (backup-agent, vault-agent))
  override:
    condition: replace
- rule: Terminal shell in container
  condition: and not proc.pname in (sshd, tmux)
  exceptions:
    - name: ci_runners
      fields: [proc.pname, container.image.repository]
      comps: [=, startswith]
      values:
        - [runner, ghcr.io/acme/]
        - [gitlab-runner, registry.gitlab.com/acme/]
  output: (team=%k8s.ns.name)
  override:
    condition: append
    exceptions: append
    output: append
- rule: Read sensitive file untrusted
  priority: critical
  tags: [pci, mitre_credential_access]
  override:
    priority: replace
    tags: replace
- rule: Netcat Remote Code Execution in Container
  enabled: false
  override:
    enabled: replace
`

// BenchmarkValidateOverrides validates one file of overrides after the defaults: the tuning case.
func BenchmarkValidateOverrides(b *testing.B) {
	files := []File{{Name: "overrides.yaml", Content: overridesFile}}
	opts := Options{Defaults: &catalog.Get().Defaults}
	if res := Validate(files, opts); len(res.Diagnostics) != 0 {
		b.Fatalf("the overrides must validate cleanly: %s", describe(res.Diagnostics))
	}
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		Validate(files, opts)
	}
	reportCPU(b, start)
}

func reportCPU(b *testing.B, start float64) {
	if start >= 0 && b.N > 0 {
		b.ReportMetric((cpuTime()-start)*1000/float64(b.N), "cpu-ms/op")
	}
}
