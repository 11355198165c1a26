package plugin

import (
	"context"
	"errors"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/containersec/container-security/pkg/events"
)

var (
	errBadLokiCursor = errors.New("cursor is not valid for this event store; start from the first page")
	errLokiNotFound  = errors.New("no event with this id")
)

func newLokiReader(_ context.Context, _ backend.DataSourceInstanceSettings, _ Settings) (events.Reader, error) {
	return nil, errors.New("the Loki event store is not built yet")
}
