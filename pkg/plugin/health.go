package plugin

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// componentHealth is one line of the health report; later features (Prometheus, Kubernetes) add components.
type componentHealth struct {
	Name    string `json:"name"`
	OK      bool   `json:"ok"`
	Message string `json:"message"`
}

// CheckHealth reports every configured component, so "Save & test" tells the user exactly what to fix.
func (d *Datasource) CheckHealth(ctx context.Context, _ *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	var components []componentHealth
	if d.settingsErr != nil {
		components = append(components, componentHealth{Name: "settings", OK: false, Message: strings.Join(asSettingsError(d.settingsErr), "; ")})
	} else {
		c := checkStore(d.settings)
		components = append(components, componentHealth{Name: "event store (" + c.Kind + ")", OK: c.OK, Message: c.Message})
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
	return &backend.CheckHealthResult{Status: status, Message: message, JSONDetails: details}, nil
}
