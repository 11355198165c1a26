package plugin_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend/grpcplugin"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
)

// pluginBinary is the backend as Grafana runs it: PLUGIN_BINARY when set (the mage build in
// dist/datasource), otherwise built here with the same static settings.
func pluginBinary(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("PLUGIN_BINARY"); p != "" {
		return p
	}
	if runtime.GOOS != "linux" {
		t.Skip("builds a linux binary")
	}
	out := filepath.Join(t.TempDir(), "gpx_falco_linux_"+runtime.GOARCH)
	cmd := exec.Command("go", "build", "-ldflags", "-w -s", "-o", out, "github.com/containersec/container-security/pkg")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the plugin: %v\n%s", err, b)
	}
	return out
}

// startPlugin launches the binary the way Grafana's plugin manager does: go-plugin, Grafana's
// handshake from the SDK, gRPC only.
func startPlugin(t *testing.T) (pluginv2.DiagnosticsClient, pluginv2.DataClient, pluginv2.ResourceClient) {
	t.Helper()
	cmd := exec.Command(pluginBinary(t))
	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig: goplugin.HandshakeConfig{
			ProtocolVersion:  grpcplugin.ProtocolVersion,
			MagicCookieKey:   grpcplugin.MagicCookieKey,
			MagicCookieValue: grpcplugin.MagicCookieValue,
		},
		VersionedPlugins: map[int]goplugin.PluginSet{
			grpcplugin.ProtocolVersion: {
				"diagnostics": &grpcplugin.DiagnosticsGRPCPlugin{},
				"resource":    &grpcplugin.ResourceGRPCPlugin{},
				"data":        &grpcplugin.DataGRPCPlugin{},
			},
		},
		Cmd:              cmd,
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		Logger:           hclog.New(&hclog.LoggerOptions{Output: io.Discard}),
		StartTimeout:     30 * time.Second,
	})
	t.Cleanup(client.Kill)
	rpc, err := client.Client()
	if err != nil {
		t.Fatalf("handshake with the plugin failed: %v", err)
	}
	dispense := func(name string) any {
		raw, err := rpc.Dispense(name)
		if err != nil {
			t.Fatalf("dispense %s: %v", name, err)
		}
		return raw
	}
	return dispense("diagnostics").(pluginv2.DiagnosticsClient), dispense("data").(pluginv2.DataClient), dispense("resource").(pluginv2.ResourceClient)
}

func pluginContext(t *testing.T, jsonData string) *pluginv2.PluginContext {
	return &pluginv2.PluginContext{
		OrgId:    1,
		PluginId: "containersec-falco-datasource",
		DataSourceInstanceSettings: &pluginv2.DataSourceInstanceSettings{
			Id: 1, Uid: "falco", Name: "Falco", JsonData: []byte(jsonData),
			DecryptedSecureJsonData: map[string]string{"ingestToken": "token-never-returned"},
			LastUpdatedMS:           time.Now().UnixMilli(),
		},
	}
}

func callResource(t *testing.T, c pluginv2.ResourceClient, pctx *pluginv2.PluginContext, method, path string, body []byte, extraHeaders ...string) (int32, []byte) {
	t.Helper()
	headers := map[string]*pluginv2.StringList{"Content-Type": {Values: []string{"application/json"}}}
	for i := 0; i+1 < len(extraHeaders); i += 2 {
		headers[extraHeaders[i]] = &pluginv2.StringList{Values: []string{extraHeaders[i+1]}}
	}
	stream, err := c.CallResource(context.Background(), &pluginv2.CallResourceRequest{
		PluginContext: pctx, Path: path, Method: method, Url: "/" + path, Body: body,
		Headers: headers,
	})
	if err != nil {
		t.Fatalf("CallResource %s %s: %v", method, path, err)
	}
	var code int32
	var out []byte
	for {
		msg, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("CallResource stream: %v", err)
		}
		if msg.Code != 0 {
			code = msg.Code
		}
		out = append(out, msg.Body...)
	}
	return code, out
}

func TestPluginOverGrafanaProtocol(t *testing.T) {
	diag, dataClient, resources := startPlugin(t)
	storePath := filepath.Join(t.TempDir(), "events.db")
	good := pluginContext(t, `{"eventStore":"sqlite","sqlitePath":"`+storePath+`"}`)
	ctx := context.Background()

	t.Run("CheckHealth reports the event store, its path only to an Admin", func(t *testing.T) {
		res, err := diag.CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: good})
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != pluginv2.CheckHealthResponse_OK || !strings.Contains(res.Message, "holds 0 events") || strings.Contains(res.Message, storePath) {
			t.Fatalf("without a user: got %v %q", res.Status, res.Message)
		}
		admin := pluginContext(t, `{"eventStore":"sqlite","sqlitePath":"`+storePath+`"}`)
		admin.User = &pluginv2.User{Login: "admin", Role: "Admin"}
		res, err = diag.CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: admin})
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != pluginv2.CheckHealthResponse_OK || !strings.Contains(res.Message, storePath+" holds 0 events") {
			t.Fatalf("as Admin: got %v %q", res.Status, res.Message)
		}
	})

	t.Run("CheckHealth names invalid settings", func(t *testing.T) {
		bad := pluginContext(t, `{"eventStore":"loki","lokiUrl":"ftp://x"}`)
		bad.DataSourceInstanceSettings.Uid, bad.DataSourceInstanceSettings.Id = "falco-bad", 2
		res, err := diag.CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: bad})
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != pluginv2.CheckHealthResponse_ERROR || !strings.Contains(res.Message, "must start with http:// or https://") {
			t.Fatalf("got %v %q", res.Status, res.Message)
		}
	})

	t.Run("QueryData answers a real query and rejects a bad one", func(t *testing.T) {
		res, err := dataClient.QueryData(ctx, &pluginv2.QueryDataRequest{
			PluginContext: good,
			Queries: []*pluginv2.DataQuery{
				{RefId: "A", QueryType: "storeStatus", Json: []byte(`{"queryType":"storeStatus"}`), TimeRange: &pluginv2.TimeRange{FromEpochMS: 0, ToEpochMS: 1}},
				{RefId: "B", QueryType: "dropTables", Json: []byte(`{"queryType":"dropTables"}`), TimeRange: &pluginv2.TimeRange{}},
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		a := res.Responses["A"]
		if a.Error != "" || len(a.Frames) != 1 {
			t.Fatalf("A: %+v", a)
		}
		frame, err := data.UnmarshalArrowFrame(a.Frames[0])
		if err != nil {
			t.Fatal(err)
		}
		if st, _ := frame.FieldByName("store"); st == nil || st.At(0) != "sqlite" {
			t.Fatalf("store field: %v", st)
		}
		if n, _ := frame.FieldByName("events"); n == nil || n.At(0) != int64(0) {
			t.Fatalf("events field: %v", n)
		}
		b := res.Responses["B"]
		if b.Status != 400 || !strings.Contains(b.Error, `unknown query type "dropTables"`) {
			t.Fatalf("B: status %d error %q", b.Status, b.Error)
		}
	})

	t.Run("CallResource serves routes and rejects bad calls", func(t *testing.T) {
		code, body := callResource(t, resources, good, "GET", "settings", nil)
		if code != 200 || strings.Contains(string(body), "token-never-returned") {
			t.Fatalf("settings: %d %s", code, body)
		}
		var settings map[string]any
		if err := json.Unmarshal(body, &settings); err != nil || settings["sqlitePath"] != storePath || settings["ingestTokenConfigured"] != true {
			t.Fatalf("settings body %s (%v)", body, err)
		}

		code, body = callResource(t, resources, good, "GET", "no/such/route", nil)
		var e struct{ Error string }
		if code != 404 || json.Unmarshal(body, &e) != nil || !strings.Contains(e.Error, "no resource") {
			t.Fatalf("unknown route: %d %s", code, body)
		}
		code, body = callResource(t, resources, good, "POST", "settings", []byte(`{}`))
		if code != 405 {
			t.Fatalf("wrong method: %d %s", code, body)
		}
	})

	t.Run("CallResource validates rules with Falco's codes and positions", func(t *testing.T) {
		broken := `{"files":[{"name":"custom_rules.yaml","content":"- rule: Shell\n  desc: d\n  condition: spawned_process and proc.nmae = bash\n  output: o\n  priority: WARNING\n"}]}`
		code, body := callResource(t, resources, good, "POST", "rules/validate", []byte(broken))
		var res struct {
			Diagnostics []struct {
				Code   string
				Line   int
				Column int
				File   string
			}
		}
		if code != 200 || json.Unmarshal(body, &res) != nil || len(res.Diagnostics) != 1 {
			t.Fatalf("validate: %d %s", code, body)
		}
		if d := res.Diagnostics[0]; d.Code != "LOAD_ERR_COMPILE_CONDITION" || d.Line != 3 || d.Column != 34 || d.File != "custom_rules.yaml" {
			t.Fatalf("diagnostic: %+v", d)
		}
		code, body = callResource(t, resources, good, "POST", "rules/validate", []byte(`{"files":[{"name":"../x.yaml","content":""}]}`))
		if code != 400 || !strings.Contains(string(body), "no path") {
			t.Fatalf("path in a file name: %d %s", code, body)
		}
	})

	t.Run("CallResource ingests an event that QueryData then returns", func(t *testing.T) {
		event := []byte(`{"uuid":"proto-1","rule":"Terminal shell in container","priority":"Critical","time":"2026-11-29T15:00:00.5Z","output":"shell","hostname":"node-1","source":"syscall","tags":["shell"],"output_fields":{"k8s.ns.name":"shop","k8s.pod.name":"web-1"}}`)
		code, body := callResource(t, resources, good, "POST", "events", event)
		if code != 401 {
			t.Fatalf("without the token header: %d %s", code, body)
		}
		code, body = callResource(t, resources, good, "POST", "events", event, "X-Containersec-Ingest-Token", "wrong")
		if code != 403 {
			t.Fatalf("wrong token: %d %s", code, body)
		}
		code, body = callResource(t, resources, good, "POST", "events", event, "X-Containersec-Ingest-Token", "token-never-returned")
		if code != 200 || !strings.Contains(string(body), `"stored":1`) {
			t.Fatalf("ingest: %d %s", code, body)
		}
		res, err := dataClient.QueryData(ctx, &pluginv2.QueryDataRequest{
			PluginContext: good,
			Queries: []*pluginv2.DataQuery{{RefId: "E", QueryType: "events", Json: []byte(`{"queryType":"events","filters":{"namespaces":["shop"]}}`),
				TimeRange: &pluginv2.TimeRange{FromEpochMS: 1795964400000 - 3600000, ToEpochMS: 1795964400000 + 3600000}}},
		})
		if err != nil {
			t.Fatal(err)
		}
		e := res.Responses["E"]
		if e.Error != "" || len(e.Frames) != 1 {
			t.Fatalf("E: %+v", e)
		}
		frame, err := data.UnmarshalArrowFrame(e.Frames[0])
		if err != nil {
			t.Fatal(err)
		}
		id, _ := frame.FieldByName("id")
		pod, _ := frame.FieldByName("pod")
		if frame.Rows() != 1 || id.At(0) != "proto-1" || pod.At(0) != "web-1" {
			t.Fatalf("events frame: %d rows", frame.Rows())
		}
	})

	t.Run("QueryData answers a rules query as a table", func(t *testing.T) {
		res, err := dataClient.QueryData(ctx, &pluginv2.QueryDataRequest{
			PluginContext: good,
			Queries: []*pluginv2.DataQuery{{RefId: "R", QueryType: "rules", TimeRange: &pluginv2.TimeRange{},
				Json: []byte(`{"queryType":"rules","minPriority":"error","search":"curl","customRules":"- rule: Curl\n  desc: d\n  condition: spawned_process and proc.name = curl\n  output: o\n  priority: critical\n  tags: [mitre_exfiltration]\n"}`)}},
		})
		if err != nil {
			t.Fatal(err)
		}
		r := res.Responses["R"]
		if r.Error != "" || len(r.Frames) != 1 {
			t.Fatalf("R: %+v", r)
		}
		frame, err := data.UnmarshalArrowFrame(r.Frames[0])
		if err != nil {
			t.Fatal(err)
		}
		name, _ := frame.FieldByName("name")
		mitre, _ := frame.FieldByName("mitreTactic")
		if frame.Rows() != 1 || name.At(0) != "Curl" || mitre.At(0) != "exfiltration" {
			t.Fatalf("rules frame: %d rows", frame.Rows())
		}
	})
}
