// Command falco serves the Falco datasource's real resource handlers and health check over plain HTTP, as Grafana
// would route them, for the dev-only browser preview (scripts/preview). It prints its address on the first line.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/containersec/container-security/pkg/plugin"
)

const uid = "falco"

// Grafana's routes for one datasource: /health and /resources/<path>.
const prefix = "/api/datasources/uid/" + uid

func main() {
	dataDir, err := os.MkdirTemp("", "containersec-preview-falco-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dataDir)
	// The SQLite event store lives in the temp dir, as Grafana's data directory would hold it.
	jsonData := fmt.Sprintf(`{"eventStore":"sqlite","sqlitePath":%q}`, dataDir+"/events.db")
	inst, err := plugin.NewDatasource(context.Background(), backend.DataSourceInstanceSettings{UID: uid, Name: "Falco", JSONData: []byte(jsonData)})
	if err != nil {
		log.Fatal(err)
	}
	ds := inst.(*plugin.Datasource)

	mux := http.NewServeMux()
	mux.HandleFunc(prefix+"/health", func(w http.ResponseWriter, r *http.Request) { health(ds, w, r) })
	mux.HandleFunc(prefix+"/resources/", func(w http.ResponseWriter, r *http.Request) { resource(ds, w, r) })

	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("http://%s\n", listener.Addr())
	// The preview stops this server with SIGTERM: shut down and let the deferred cleanup remove the event store.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	server := &http.Server{Handler: mux}
	go func() { _ = server.Serve(listener) }()
	<-ctx.Done()
	_ = server.Shutdown(context.Background())
}

// health answers as Grafana's /health does: 200 with status and message, 400 with the same body when the check fails.
func health(ds *plugin.Datasource, w http.ResponseWriter, r *http.Request) {
	res, err := ds.CheckHealth(r.Context(), &backend.CheckHealthRequest{})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var details any
	_ = json.Unmarshal(res.JSONDetails, &details)
	status := http.StatusOK
	if res.Status != backend.HealthStatusOk {
		status = http.StatusBadRequest
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"status": res.Status.String(), "message": res.Message, "details": details})
}

// resource hands the request to the datasource's CallResource, as Grafana's resource route does.
func resource(ds *plugin.Datasource, w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	path := strings.TrimPrefix(r.URL.Path, prefix+"/resources/")
	url := path
	if r.URL.RawQuery != "" {
		url += "?" + r.URL.RawQuery
	}
	req := &backend.CallResourceRequest{Path: path, Method: r.Method, URL: url, Headers: r.Header, Body: body}
	send := backend.CallResourceResponseSenderFunc(func(res *backend.CallResourceResponse) error {
		for k, values := range res.Headers {
			for _, v := range values {
				w.Header().Add(k, v)
			}
		}
		w.WriteHeader(res.Status)
		_, err := w.Write(res.Body)
		return err
	})
	if err := ds.CallResource(r.Context(), req, send); err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
	}
}
