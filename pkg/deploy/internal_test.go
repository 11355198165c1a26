package deploy

import (
	"errors"
	"strings"
	"testing"

	"helm.sh/helm/v4/pkg/action"
)

func wantCode(t *testing.T, err error, code string) *Error {
	t.Helper()
	var de *Error
	if !errors.As(err, &de) {
		t.Fatalf("want a deploy error %q, got %v", code, err)
	}
	if de.Code != code {
		t.Fatalf("want code %q, got %q: %s", code, de.Code, de.Message)
	}
	return de
}

func TestDescribeStaysWithinHelmsLimitAndReadsBack(t *testing.T) {
	var files []string
	for i := 0; i < 40; i++ {
		files = append(files, strings.Repeat("x", 20)+".yaml")
	}
	d := describe("admin@example.com", "deployed custom rules", files)
	if n := len([]rune(d)); n > action.MaxDescriptionLength {
		t.Fatalf("description is %d characters", n)
	}
	if !strings.Contains(d, "more)") || userOf(d) != "admin@example.com" {
		t.Fatalf("description %q", d)
	}
	if userOf("Upgrade complete") != "" || userOf(`Grafana user "a\"b" deployed`) != `a"b` {
		t.Fatal("userOf")
	}
}

func TestClassifyNamesTheMissingVerb(t *testing.T) {
	err := classify(errors.New(`configmaps "falco-rules" is forbidden: User "system:serviceaccount:monitoring:grafana" cannot patch resource "configmaps" in API group "" in the namespace "falco"`), "upgrade falco/falco")
	de := wantCode(t, err, CodeKubeForbidden)
	if !strings.Contains(de.Message, "cannot patch configmaps in namespace falco") {
		t.Fatalf("message: %s", de.Message)
	}
	wantCode(t, classify(errors.New("Kubernetes cluster unreachable: dial tcp 127.0.0.1:1: connect: connection refused"), "x"), CodeClusterUnreachable)
}
