package plugin_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
)

// The deploy annotations over Grafana's plugin protocol, from the built binary, with a cluster that does not answer:
// the query type is registered and says what is wrong. Their content against a real API server is checked in
// deploy_kube_annotations_test.go.
func TestDeployAnnotationsOverGrafanaProtocol(t *testing.T) {
	_, dataClient, resources := startPlugin(t)
	kubeconfig := `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: c, context: {cluster: c, user: u}}]
current-context: c
`
	pctx := pluginContext(t, `{"eventStore":"sqlite","sqlitePath":"`+t.TempDir()+`/events.db","kubeAccess":"kubeconfig","falcoNamespace":"falco"}`)
	pctx.DataSourceInstanceSettings.DecryptedSecureJsonData["kubeconfig"] = kubeconfig
	pctx.User = &pluginv2.User{Login: "viewer", Role: "Viewer"}
	now := time.Now()
	tr := &pluginv2.TimeRange{FromEpochMS: now.Add(-time.Hour).UnixMilli(), ToEpochMS: now.UnixMilli()}
	res, err := dataClient.QueryData(context.Background(), &pluginv2.QueryDataRequest{PluginContext: pctx, Queries: []*pluginv2.DataQuery{
		{RefId: "A", QueryType: "deployAnnotations", Json: []byte(`{"rule":"Terminal shell in container"}`), TimeRange: tr},
		{RefId: "B", QueryType: "deployAnnotations", Json: []byte(`{"name":"falco"}`), TimeRange: tr},
		{RefId: "C", QueryType: "deployAnnotations", Json: []byte(`{"rule":7}`), TimeRange: tr},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if a := res.Responses["A"]; a.Status != 502 || !strings.Contains(a.Error, "127.0.0.1:1") {
		t.Fatalf("unreachable cluster: %d %q", a.Status, a.Error)
	}
	if b := res.Responses["B"]; b.Status != 400 || !strings.Contains(b.Error, `both "namespace" and "name"`) {
		t.Fatalf("half a release: %d %q", b.Status, b.Error)
	}
	if c := res.Responses["C"]; c.Status != 400 || !strings.Contains(c.Error, "deploy annotations query is invalid") {
		t.Fatalf("bad JSON: %d %q", c.Status, c.Error)
	}
	if code, body := callResource(t, resources, pctx, "GET", "tuning/rule-rate", nil); code != 400 || !strings.Contains(string(body), `\"rule\" is required`) {
		t.Fatalf("rule rate without a rule: %d %s", code, body)
	}
}
