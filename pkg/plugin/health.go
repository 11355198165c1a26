package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// componentHealth is one line of the health report; later features (Prometheus, Kubernetes) add components.
type componentHealth struct {
	Name    string `json:"name"`
	OK      bool   `json:"ok"`
	Message string `json:"message"`
}

// CheckHealth reports every configured component, so "Save & test" tells the user exactly what to fix.
func (d *Datasource) CheckHealth(ctx context.Context, req *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	var components []componentHealth
	if d.settingsErr != nil {
		components = append(components, componentHealth{Name: "settings", OK: false, Message: strings.Join(asSettingsError(d.settingsErr), "; ")})
	} else {
		components = append(components, d.storeHealth(ctx))
		if d.settings.EventStore == StoreSQLite {
			c := componentHealth{Name: "event ingest", OK: d.settings.IngestToken != ""}
			if c.OK {
				c.Message = "falcosidekick can send events to /api/datasources/uid/" + d.uid + "/resources/events with the " + IngestTokenHeader + " header"
			} else {
				c.Message = "no ingest token is set: events are refused until you set one in the datasource's secure settings"
			}
			components = append(components, c)
		}
	}
	if c, ok := d.deployHealth(ctx); ok {
		components = append(components, c)
	}

	status := backend.HealthStatusOk
	var failed []string
	for _, c := range components {
		if !c.OK {
			status = backend.HealthStatusError
			failed = append(failed, c.Name+": "+c.Message)
		}
	}
	message := "Falco datasource is working: " + components[0].Message
	if len(failed) > 0 {
		message = strings.Join(failed, "; ")
	}
	details, _ := json.Marshal(map[string]any{"components": components})
	res := &backend.CheckHealthResult{Status: status, Message: message, JSONDetails: details}
	return redactServerPath(res, req.PluginContext.User, d.settings.SQLitePath), nil
}

func (d *Datasource) storeHealth(ctx context.Context) componentHealth {
	c := componentHealth{Name: "event store (" + d.settings.EventStore + ")"}
	r, err := d.storeReady()
	if err != nil {
		c.Message = storeErrorFor(ctx, err)
		return c
	}
	st, err := r.Status(ctx)
	if err != nil {
		c.Message = fmt.Sprintf("the event store does not answer: %v", err)
		return c
	}
	if st.Problem != "" {
		c.Message = fmt.Sprintf("event store %s cannot store events since %s: %s; ingest answers with Retry-After and resumes by itself once that is fixed", d.settings.SQLitePath, st.ProblemSince.UTC().Format(time.RFC3339), st.Problem)
		return c
	}
	c.OK = true
	switch d.settings.EventStore {
	case StoreLoki:
		c.Message = fmt.Sprintf("Loki at %s answers", d.settings.LokiURL)
	default:
		c.Message = fmt.Sprintf("event store %s holds %d events", d.settings.SQLitePath, st.Events)
	}
	return c
}
