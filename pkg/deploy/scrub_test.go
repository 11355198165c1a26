package deploy

import (
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// Hostile strings: every credential must disappear from the shown text, and its fingerprint must stay stable so a
// changed credential still shows as a change.
func TestScrubStringHidesCredentialsInFreeText(t *testing.T) {
	cases := map[string]struct {
		in      string
		secrets []string
		keep    []string
	}{
		"url userinfo":             {"url: http://falco:s3cr3t@sidekick:2801/", []string{"s3cr3t", "falco:"}, []string{"http://", "@sidekick:2801/"}},
		"raw @ inside password":    {"https://u:p@ss@w0rd@host/x", []string{"p@ss", "w0rd"}, []string{"@host/x"}},
		"token only userinfo":      {"redis://:hunter2@redis:6379/0", []string{"hunter2"}, []string{"@redis:6379/0"}},
		"query token":              {"https://hooks.example/x?token=abc123&channel=sec", []string{"abc123"}, []string{"channel=sec"}},
		"password= in args":        {"--db-password=Pa55word! --verbose", []string{"Pa55word!"}, []string{"--verbose"}},
		"yaml block":               {"http_output:\n  enabled: true\n  url: https://user:pw1@h/\n  password: pw2\nstdout_output:\n  enabled: true\n", []string{"pw1", "pw2"}, []string{"enabled: true", "stdout_output"}},
		"json":                     {`{"apiKey":"AKIA123","region":"eu-west-1","nested":{"client_secret":"cs-9"}}`, []string{"AKIA123", "cs-9"}, []string{`"region":"eu-west-1"`}},
		"authorization header":     {"Authorization: Bearer eyJhbGciOi.x.y", []string{"eyJhbGciOi"}, []string{"Authorization: Bearer "}},
		"connection string":        {"Server=db;User Id=sa;Password=Xyz!;", []string{"Xyz!"}, []string{"Server=db"}},
		"quoted with spaces":       {`password: "two words"`, []string{"two words"}, nil},
		"falco output field kept":  {"output: token=%proc.args", nil, []string{"token=%proc.args"}},
		"author is not auth":       {"author=alice", nil, []string{"author=alice"}},
		"empty value":              {"password=", nil, []string{"password="}},
		"multiline env heredoc":    {"export API_KEY=k-1\nexport HOME=/root\n", []string{"k-1"}, []string{"HOME=/root"}},
		"already hidden is stable": {"password: (hidden 0123456789ab)", nil, []string{"(hidden 0123456789ab)"}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			got := scrubString(c.in)
			for _, s := range c.secrets {
				if strings.Contains(got, s) {
					t.Errorf("%q still shows %q: %q", c.in, s, got)
				}
			}
			for _, k := range c.keep {
				if !strings.Contains(got, k) {
					t.Errorf("%q lost %q: %q", c.in, k, got)
				}
			}
			if len(c.secrets) > 0 && !strings.Contains(got, "(hidden ") {
				t.Errorf("no fingerprint in %q", got)
			}
			if scrubString(c.in) != got || scrubString(got) != got {
				t.Errorf("scrubbing is not stable: %q then %q", got, scrubString(got))
			}
		})
	}
	if scrubString("url: http://a:one@h/") == scrubString("url: http://a:two@h/") {
		t.Fatal("a changed password must show as a change")
	}
}

func TestRedactObjectHidesCredentialsInEveryRenderedKind(t *testing.T) {
	const doc = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: falco-falcosidekick
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"spec":{"webhook":"https://x:jsonpw@h/"}}'
spec:
  template:
    spec:
      volumes:
      - name: certs
        secret: {secretName: falco-certs}
      containers:
      - name: sidekick
        args: ["--slack-token", "xoxb-arg", "--port=2801", "--password=argpw"]
        env:
        - {name: SLACK_WEBHOOKURL, value: "https://hooks.slack.com/services/T0/B0/XYZ"}
        - {name: DEBUG, value: "false"}
        - {name: LOKI_HOSTPORT, value: "http://loki:lokipw@loki:3100"}
        - name: FROM_SECRET
          valueFrom: {secretKeyRef: {name: falco-falcosidekick, key: SLACK_TOKEN}}
---
`
	var obj map[string]any
	if err := yaml.Unmarshal([]byte(doc), &obj); err != nil {
		t.Fatal(err)
	}
	out := mustYAML(redactObject(obj))
	for _, s := range []string{"jsonpw", "xoxb-arg", "argpw", "T0/B0/XYZ", "lokipw"} {
		if strings.Contains(out, s) {
			t.Errorf("%q is shown:\n%s", s, out)
		}
	}
	for _, s := range []string{"secretName: falco-certs", "--port=2801", "value: \"false\"", "key: SLACK_TOKEN", "name: falco-falcosidekick", "@loki:3100"} {
		if !strings.Contains(out, s) {
			t.Errorf("%q is lost:\n%s", s, out)
		}
	}

	cm := map[string]any{"kind": "ConfigMap", "data": map[string]any{"falco.yaml": "http_output:\n  url: http://falco:cmpw@sidekick:2801\n"}}
	if got := mustYAML(redactObject(cm)); strings.Contains(got, "cmpw") || !strings.Contains(got, "@sidekick:2801") {
		t.Fatalf("ConfigMap: %s", got)
	}
	sec := map[string]any{"kind": "Secret", "data": map[string]any{"ANY": "c2VjcmV0"}, "stringData": map[string]any{"plain": "opaque"}}
	if got := mustYAML(redactObject(sec)); strings.Contains(got, "c2VjcmV0") || strings.Contains(got, "opaque") {
		t.Fatalf("Secret: %s", got)
	}
}
