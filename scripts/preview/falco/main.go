// Command falco puts the Falco datasource's built backend binary behind Grafana's HTTP routes for the dev stack and
// the browser journeys (scripts/preview): it starts the binary the way Grafana's plugin manager does (go-plugin,
// the SDK's handshake, gRPC, as pkg/plugin/protocol_test.go does) and forwards /api/ds/query, /health and
// /resources/* to QueryData, CheckHealth and CallResource with the plugin context Grafana would send. It prints its
// address on the first line.
//
// The signed-in user comes from the X-Grafana-Org-Role header the dev server sets from its role switch: this program
// only ever listens on 127.0.0.1 and stands in for Grafana's own authentication.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/grpcplugin"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
)

const (
	uid      = "falco"
	pluginID = "containersec-falco-datasource"
	prefix   = "/api/datasources/uid/" + uid
)

// plugin is the running binary; stop and start inject the "backend down" fault the journeys test.
type plugin struct {
	binary string
	mu     sync.Mutex
	client *goplugin.Client
	diag   pluginv2.DiagnosticsClient
	data   pluginv2.DataClient
	res    pluginv2.ResourceClient
}

func (p *plugin) start() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.client != nil {
		return nil
	}
	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig: goplugin.HandshakeConfig{
			ProtocolVersion:  grpcplugin.ProtocolVersion,
			MagicCookieKey:   grpcplugin.MagicCookieKey,
			MagicCookieValue: grpcplugin.MagicCookieValue,
		},
		VersionedPlugins: map[int]goplugin.PluginSet{grpcplugin.ProtocolVersion: {
			"diagnostics": &grpcplugin.DiagnosticsGRPCPlugin{},
			"resource":    &grpcplugin.ResourceGRPCPlugin{},
			"data":        &grpcplugin.DataGRPCPlugin{},
		}},
		Cmd:              exec.Command(p.binary),
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		Logger:           hclog.New(&hclog.LoggerOptions{Output: os.Stderr, Level: hclog.Warn}),
		StartTimeout:     30 * time.Second,
	})
	rpc, err := client.Client()
	if err != nil {
		client.Kill()
		return fmt.Errorf("handshake with %s: %w", p.binary, err)
	}
	get := func(name string) any {
		raw, err := rpc.Dispense(name)
		if err != nil {
			log.Fatalf("dispense %s: %v", name, err)
		}
		return raw
	}
	p.client, p.diag, p.data, p.res = client, get("diagnostics").(pluginv2.DiagnosticsClient), get("data").(pluginv2.DataClient), get("resource").(pluginv2.ResourceClient)
	return nil
}

func (p *plugin) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.client != nil {
		p.client.Kill()
		p.client = nil
	}
}

// errUnavailable is what Grafana answers when a backend plugin is not running (pkg/plugins/backendplugin: ErrPluginUnavailable).
var errUnavailable = errors.New("plugin unavailable")

func (p *plugin) clients() (pluginv2.DiagnosticsClient, pluginv2.DataClient, pluginv2.ResourceClient, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.client == nil || p.client.Exited() {
		return nil, nil, nil, errUnavailable
	}
	return p.diag, p.data, p.res, nil
}

type gateway struct {
	plugin   *plugin
	jsonData []byte
	secure   map[string]string
	updated  int64
}

// pluginContext is what Grafana sends with every call: the org, the signed-in user and the datasource's settings.
func (g *gateway) pluginContext(r *http.Request) *pluginv2.PluginContext {
	role := r.Header.Get("X-Grafana-Org-Role")
	if role == "" {
		role = "Viewer"
	}
	login := strings.ToLower(role)
	return backend.ToProto().PluginContext(backend.PluginContext{
		OrgID:    1,
		PluginID: pluginID,
		User:     &backend.User{Login: login, Name: role + " user", Email: login + "@example.com", Role: role},
		DataSourceInstanceSettings: &backend.DataSourceInstanceSettings{
			ID: 1, UID: uid, Name: "Falco", Type: pluginID, JSONData: g.jsonData,
			DecryptedSecureJSONData: g.secure, Updated: time.UnixMilli(g.updated),
		},
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func unavailable(w http.ResponseWriter, err error) {
	writeJSON(w, http.StatusServiceUnavailable, map[string]string{"message": err.Error()})
}

// health answers as Grafana's /health route does: 200 with status and message, 400 with the same body on failure.
func (g *gateway) health(w http.ResponseWriter, r *http.Request) {
	diag, _, _, err := g.plugin.clients()
	if err != nil {
		unavailable(w, err)
		return
	}
	res, err := diag.CheckHealth(r.Context(), &pluginv2.CheckHealthRequest{PluginContext: g.pluginContext(r)})
	if err != nil {
		unavailable(w, err)
		return
	}
	var details any
	_ = json.Unmarshal(res.JsonDetails, &details)
	status := http.StatusOK
	if res.Status != pluginv2.CheckHealthResponse_OK {
		status = http.StatusBadRequest
	}
	writeJSON(w, status, map[string]any{"status": backend.FromProto().CheckHealthResponse(res).Status.String(), "message": res.Message, "details": details})
}

// resource hands the request to CallResource and streams its answer back, as Grafana's resource route does.
func (g *gateway) resource(w http.ResponseWriter, r *http.Request) {
	_, _, res, err := g.plugin.clients()
	if err != nil {
		unavailable(w, err)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": err.Error()})
		return
	}
	path := strings.TrimPrefix(r.URL.Path, prefix+"/resources/")
	url := path
	if r.URL.RawQuery != "" {
		url += "?" + r.URL.RawQuery
	}
	headers := map[string]*pluginv2.StringList{}
	for k, v := range r.Header {
		headers[k] = &pluginv2.StringList{Values: v}
	}
	stream, err := res.CallResource(r.Context(), &pluginv2.CallResourceRequest{
		PluginContext: g.pluginContext(r), Path: path, Method: r.Method, Url: url, Body: body, Headers: headers,
	})
	if err != nil {
		unavailable(w, err)
		return
	}
	wrote := false
	for {
		msg, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if !wrote {
				unavailable(w, err)
			}
			return
		}
		if !wrote {
			for k, l := range msg.Headers {
				for _, v := range l.Values {
					w.Header().Add(k, v)
				}
			}
			code := int(msg.Code)
			if code == 0 {
				code = http.StatusOK
			}
			w.WriteHeader(code)
			wrote = true
		}
		_, _ = w.Write(msg.Body)
	}
}

// dsQuery is the body the browser's DataSourceWithBackend posts to /api/ds/query.
type dsQuery struct {
	Queries []json.RawMessage `json:"queries"`
	From    string            `json:"from"`
	To      string            `json:"to"`
}

type queryHead struct {
	RefID         string  `json:"refId"`
	QueryType     string  `json:"queryType"`
	IntervalMs    float64 `json:"intervalMs"`
	MaxDataPoints int64   `json:"maxDataPoints"`
}

// query turns Grafana's /api/ds/query body into QueryData and answers with the frames in Grafana's JSON
// (backend.QueryDataResponse's MarshalJSON, the same encoder Grafana's query service uses).
func (g *gateway) query(w http.ResponseWriter, r *http.Request) {
	_, data, _, err := g.plugin.clients()
	if err != nil {
		unavailable(w, err)
		return
	}
	var body dsQuery
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": "bad query body: " + err.Error()})
		return
	}
	from, _ := strconv.ParseInt(body.From, 10, 64)
	to, _ := strconv.ParseInt(body.To, 10, 64)
	req := &backend.QueryDataRequest{Headers: map[string]string{}}
	for _, raw := range body.Queries {
		var h queryHead
		_ = json.Unmarshal(raw, &h)
		req.Queries = append(req.Queries, backend.DataQuery{
			RefID: h.RefID, QueryType: h.QueryType, MaxDataPoints: h.MaxDataPoints,
			Interval:  time.Duration(h.IntervalMs) * time.Millisecond,
			TimeRange: backend.TimeRange{From: time.UnixMilli(from), To: time.UnixMilli(to)}, JSON: raw,
		})
	}
	protoReq := backend.ToProto().QueryDataRequest(req)
	protoReq.PluginContext = g.pluginContext(r)
	protoRes, err := data.QueryData(r.Context(), protoReq)
	if err != nil {
		unavailable(w, err)
		return
	}
	res, err := backend.FromProto().QueryDataResponse(protoRes)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"message": err.Error()})
		return
	}
	status := http.StatusOK
	for _, dr := range res.Responses {
		if dr.Error != nil {
			status = http.StatusBadRequest // Grafana answers 400 when a query failed, with the error in its result
		}
	}
	b, err := json.Marshal(res)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"message": err.Error()})
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func main() {
	binary := flag.String("plugin", "", "the built backend binary (dist/datasource/gpx_falco_linux_amd64)")
	jsonData := flag.String("json-data", "{}", "the datasource's jsonData")
	secureFile := flag.String("secure-file", "", "a JSON file with the datasource's secureJsonData (ingestToken, kubeconfig)")
	flag.Parse()
	secure := map[string]string{}
	if *secureFile != "" {
		b, err := os.ReadFile(*secureFile)
		if err != nil {
			log.Fatal(err)
		}
		if err := json.Unmarshal(b, &secure); err != nil {
			log.Fatalf("%s: %v", *secureFile, err)
		}
	}
	p := &plugin{binary: *binary}
	if err := p.start(); err != nil {
		log.Fatal(err)
	}
	defer p.stop()
	g := &gateway{plugin: p, jsonData: []byte(*jsonData), secure: secure, updated: time.Now().UnixMilli()}

	mux := http.NewServeMux()
	mux.HandleFunc("/api/ds/query", g.query)
	mux.HandleFunc(prefix+"/health", g.health)
	mux.HandleFunc(prefix+"/resources/", g.resource)
	// The journeys' fault switch: stop the binary (every call answers "plugin unavailable"), start it again.
	mux.HandleFunc("POST /devstack/plugin/stop", func(w http.ResponseWriter, r *http.Request) { p.stop(); w.WriteHeader(http.StatusNoContent) })
	mux.HandleFunc("POST /devstack/plugin/start", func(w http.ResponseWriter, r *http.Request) {
		if err := p.start(); err != nil {
			unavailable(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})

	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("http://%s\n", listener.Addr())
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	server := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = server.Serve(listener) }()
	<-ctx.Done()
	_ = server.Shutdown(context.Background())
}
