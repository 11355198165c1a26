// Package plugin is the only package that knows Grafana: it parses settings, dispatches queries by type,
// serves resource routes and answers health checks; domain packages do the work.
package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
	"github.com/grafana/grafana-plugin-sdk-go/backend/resource/httpadapter"

	"github.com/containersec/container-security/pkg/events"
)

// PluginID is the datasource's id in src/datasource/plugin.json.
const PluginID = "containersec-falco-datasource"

var (
	_ backend.QueryDataHandler      = (*Datasource)(nil)
	_ backend.CheckHealthHandler    = (*Datasource)(nil)
	_ backend.CallResourceHandler   = (*Datasource)(nil)
	_ instancemgmt.InstanceDisposer = (*Datasource)(nil)
)

// queryHandler answers one query of one type.
type queryHandler func(ctx context.Context, q backend.DataQuery) backend.DataResponse

// Datasource is one configured Falco datasource.
type Datasource struct {
	backend.CallResourceHandler
	uid         string
	settings    Settings
	settingsErr error
	queries     map[string]queryHandler
	deploy      *deployState

	reader     events.Reader
	ingester   eventIngester
	storeErr   error
	closeStore func() error
}

// NewDatasource builds an instance even from invalid settings, so the user sees what to fix in
// CheckHealth and query errors instead of an opaque plugin failure.
func NewDatasource(ctx context.Context, s backend.DataSourceInstanceSettings) (instancemgmt.Instance, error) {
	settings, err := ParseSettings(s)
	if err != nil {
		log.DefaultLogger.FromContext(ctx).Warn("Falco datasource settings are invalid", "uid", s.UID, "error", err)
	}
	d := &Datasource{settings: settings, settingsErr: err, uid: s.UID, deploy: newDeployState(settings.Deploy)}
	if err == nil {
		d.openStore(ctx, s)
	}
	d.queries = map[string]queryHandler{
		QueryTypeStoreStatus: d.queryStoreStatus,
		QueryTypeRules:       d.queryRules,
		QueryTypeEvents:      d.queryEvents,
		QueryTypeEvent:       d.queryEvent,
		QueryTypeEventCounts: d.queryEventCounts,
		QueryTypeEventValues: d.queryEventValues,
		// Deploy history as annotations (deploy_annotations.go).
		QueryTypeDeployAnnotations: d.queryDeployAnnotations,
	}
	d.CallResourceHandler = httpadapter.New(newMux(d.routes()))
	return d, nil
}

// Dispose is called when settings change and a new instance replaces this one: queued events are committed
// and the file closed.
func (d *Datasource) Dispose() {
	if d.closeStore != nil {
		if err := d.closeStore(); err != nil {
			log.DefaultLogger.Warn("closing the event store failed", "error", err)
		}
	}
}

// knownQueryTypes lists the registry's keys for error messages.
func (d *Datasource) knownQueryTypes() string {
	types := make([]string, 0, len(d.queries))
	for t := range d.queries {
		types = append(types, fmt.Sprintf("%q", t))
	}
	sort.Strings(types)
	return strings.Join(types, ", ")
}

// QueryData answers each query on its own: one bad query never fails the others.
func (d *Datasource) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	resp := backend.NewQueryDataResponse()
	for _, q := range req.Queries {
		resp.Responses[q.RefID] = d.query(ctx, q)
	}
	return resp, nil
}

func (d *Datasource) query(ctx context.Context, q backend.DataQuery) (res backend.DataResponse) {
	defer func() {
		if r := recover(); r != nil {
			log.DefaultLogger.FromContext(ctx).Error("query handler panicked", "queryType", q.QueryType, "panic", r, "stack", string(debug.Stack()))
			res = backend.ErrDataResponse(backend.StatusInternal, fmt.Sprintf("query type %q failed unexpectedly; the Grafana server log has the details", q.QueryType))
		}
	}()
	if len(q.JSON) > 0 && !json.Valid(q.JSON) {
		return backend.ErrDataResponse(backend.StatusBadRequest, "query is not valid JSON")
	}
	if q.QueryType == "" {
		return backend.ErrDataResponse(backend.StatusBadRequest, "query has no queryType; choose one of "+d.knownQueryTypes())
	}
	h, ok := d.queries[q.QueryType]
	if !ok {
		return backend.ErrDataResponse(backend.StatusBadRequest, fmt.Sprintf("unknown query type %q; choose one of %s", q.QueryType, d.knownQueryTypes()))
	}
	// The rules language service needs no event store: a datasource whose store settings are incomplete (no
	// sqlitePath yet) still serves the Rules page.
	if d.settingsErr != nil && q.QueryType != QueryTypeRules {
		return backend.ErrDataResponse(backend.StatusBadRequest, d.settingsErr.Error())
	}
	return h(ctx, q)
}
