package plugin

import (
	"context"
	"fmt"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/httpclient"

	"github.com/containersec/container-security/pkg/events"
	"github.com/containersec/container-security/pkg/events/lokistore"
)

var (
	errBadLokiCursor = lokistore.ErrBadCursor
	errLokiNotFound  = lokistore.ErrNotFound
)

// newLokiReader reads events from Loki with the SDK's HTTP client, so basic auth (basicAuthPassword in
// secureJsonData), custom headers (httpHeaderName/Value), TLS and proxy settings apply as in any datasource.
func newLokiReader(ctx context.Context, s backend.DataSourceInstanceSettings, settings Settings) (events.Reader, error) {
	opts, err := s.HTTPClientOptions(ctx)
	if err != nil {
		return nil, fmt.Errorf("Loki HTTP client settings are invalid: %v", err)
	}
	client, err := httpclient.New(opts)
	if err != nil {
		return nil, fmt.Errorf("cannot build the Loki HTTP client: %v", err)
	}
	return lokistore.New(lokistore.Config{URL: settings.LokiURL, Client: client, Options: settings.parseOptions()})
}
