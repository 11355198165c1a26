package plugin_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
)

// The built backend answers the tuning routes over Grafana's plugin protocol, on events it stored itself.
func TestTuningOverGrafanaProtocol(t *testing.T) {
	_, _, resources := startPlugin(t)
	pctx := pluginContext(t, `{"eventStore":"sqlite","sqlitePath":"`+filepath.Join(t.TempDir(), "events.db")+`"}`)
	now := time.Now().UTC()
	for i, proc := range []string{"sh", "sh", "sh", `b"a,s h`} {
		b, _ := json.Marshal(map[string]any{"uuid": fmt.Sprintf("tp-%d", i), "rule": "Terminal shell in container", "priority": "Notice",
			"time": now.Add(-time.Duration(i+1) * time.Minute).Format(time.RFC3339Nano), "output": "shell", "source": "syscall",
			"output_fields": map[string]any{"proc.name": proc, "container.image.repository": "ghcr.io/shop/app", "k8s.ns.name": "shop"}})
		if code, body := callResource(t, resources, pctx, "POST", "events", b, "X-Containersec-Ingest-Token", "token-never-returned"); code != 200 {
			t.Fatalf("ingest: %d %s", code, body)
		}
	}
	draft := `{"exception":{"rule":"Terminal shell in container","name":"n","fields":["container.image.repository","proc.name"],"comps":["=","="],"values":[["ghcr.io/shop/app","b\"a,s h"]]}}`
	var preview struct {
		Windows []struct {
			Period               string
			Total, Matched, Left int
			Exact                bool
		}
	}
	// The store commits in the background; ask until the events are there.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		code, body := callResource(t, resources, pctx, "POST", "tuning/preview", []byte(draft))
		if code != 200 {
			t.Fatalf("preview: %d %s", code, body)
		}
		_ = json.Unmarshal(body, &preview)
		if len(preview.Windows) == 2 && preview.Windows[1].Total == 4 || time.Now().After(deadline) {
			break
		}
	}
	if w := preview.Windows; len(w) != 2 || w[0].Total != 4 || w[0].Matched != 1 || w[0].Left != 3 || !w[0].Exact {
		t.Fatalf("preview windows %+v", w)
	}
	q := url.Values{"rule": {"Terminal shell in container"}, "fields": {"proc.name"}}
	// Grafana sends the path without the query, and the URL with it.
	stream, err := resources.CallResource(context.Background(), &pluginv2.CallResourceRequest{PluginContext: pctx, Path: "tuning/sources",
		Method: "GET", Url: "/tuning/sources?" + q.Encode()})
	if err != nil {
		t.Fatal(err)
	}
	msg, err := stream.Recv()
	if err != nil {
		t.Fatal(err)
	}
	code, body := msg.Code, msg.Body
	if code != 200 || !strings.Contains(string(body), `"total":4`) || !strings.Contains(string(body), `{"text":"sh","state":"text"}],"count":3`) {
		t.Fatalf("sources: %d %s", code, body)
	}
	code, body = callResource(t, resources, pctx, "POST", "tuning/preview", []byte(`{"exception":{"rule":"Terminal shell in container"}}`))
	if code != 400 || !strings.Contains(string(body), "the exception cannot be previewed") {
		t.Fatalf("bad draft: %d %s", code, body)
	}
}
