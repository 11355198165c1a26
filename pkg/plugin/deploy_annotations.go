package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/containersec/container-security/pkg/deploy"
)

// QueryTypeDeployAnnotations serves the rules deploy history (deploys, rollbacks, recoveries) as annotations.
const QueryTypeDeployAnnotations = "deployAnnotations"

// deployAnnotationsQuery names the release (both empty: the one Falco release in the datasource's Falco namespace)
// and, optionally, a rule: then only the revisions that changed that rule, or whose changes cannot be told.
type deployAnnotationsQuery struct {
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	Rule      string `json:"rule"`
}

// errNoFalcoRelease: nothing was ever deployed, so there is nothing to annotate.
var errNoFalcoRelease = errors.New("no Falco release")

// falcoRelease picks the release: the one named, or the only Falco release the deploy settings reach.
func falcoRelease(ctx context.Context, svc *deploy.Service, namespace, name string) (string, string, error) {
	if namespace != "" && name != "" {
		return namespace, name, nil
	}
	if namespace != "" || name != "" {
		return "", "", &deploy.Error{Code: deploy.CodeBadRequest, Message: `name the release with both "namespace" and "name", or with neither`}
	}
	rels, err := svc.Releases(ctx)
	if err != nil {
		return "", "", err
	}
	switch len(rels) {
	case 0:
		return "", "", errNoFalcoRelease
	case 1:
		return rels[0].Namespace, rels[0].Name, nil
	}
	names := make([]string, len(rels))
	for i, r := range rels {
		names[i] = r.Namespace + "/" + r.Name
	}
	return "", "", &deploy.Error{Code: deploy.CodeBadRequest, Message: fmt.Sprintf("%d Falco releases are reachable (%s): name one with \"namespace\" and \"name\"", len(rels), strings.Join(names, ", "))}
}

// Reading the history is allowed to whoever may call GET deploy/history (no role check there either).
func (d *Datasource) queryDeployAnnotations(ctx context.Context, dq backend.DataQuery) backend.DataResponse {
	var q deployAnnotationsQuery
	if len(dq.JSON) > 0 {
		if err := json.Unmarshal(dq.JSON, &q); err != nil {
			return backend.ErrDataResponse(backend.StatusBadRequest, fmt.Sprintf("deploy annotations query is invalid: %v", err))
		}
	}
	q.Rule = strings.TrimSpace(q.Rule)
	svc, err := d.deploy.service()
	if err != nil {
		return deployDataError(err)
	}
	ns, name, err := falcoRelease(ctx, svc, strings.TrimSpace(q.Namespace), strings.TrimSpace(q.Name))
	if errors.Is(err, errNoFalcoRelease) {
		frame := annotationsFrame(nil)
		frame.Meta = &data.FrameMeta{Notices: []data.Notice{{Severity: data.NoticeSeverityInfo, Text: "no Falco release found: nothing was deployed yet"}}}
		return backend.DataResponse{Frames: data.Frames{frame}}
	}
	if err != nil {
		return deployDataError(err)
	}
	revs, err := svc.History(ctx, ns, name)
	if err != nil {
		return deployDataError(err)
	}
	keep := make([]deploy.Revision, 0, len(revs))
	for _, r := range revs {
		if r.Updated.Before(dq.TimeRange.From) || r.Updated.After(dq.TimeRange.To) {
			continue
		}
		if q.Rule != "" && !r.RulesUnknown && !contains(r.Rules, q.Rule) {
			continue
		}
		keep = append(keep, r)
	}
	return backend.DataResponse{Frames: data.Frames{annotationsFrame(keep)}}
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

// deployDataError answers a deploy error in a query: the same status the resource route would give.
func deployDataError(err error) backend.DataResponse {
	var de *deploy.Error
	if errors.As(err, &de) {
		status, ok := deployStatus[de.Code]
		if !ok {
			status = 500
		}
		return backend.ErrDataResponse(backend.Status(status), deploy.Scrub(de.Message))
	}
	return backend.ErrDataResponse(backend.StatusInternal, deploy.Scrub(err.Error()))
}

// annotationsFrame has the fields Grafana's annotation support reads by name (time, title, text, tags: scenes
// src/querying/layers/annotations/standardAnnotationsSupport.ts getAnnotationsFromData splits a tags string on ",").
func annotationsFrame(revs []deploy.Revision) *data.Frame {
	n := len(revs)
	times := make([]time.Time, n)
	titles, texts, tags := make([]string, n), make([]string, n), make([]string, n)
	revisions, actions, users := make([]int64, n), make([]string, n), make([]string, n)
	for i, r := range revs {
		times[i], revisions[i], actions[i], users[i] = r.Updated, int64(r.Revision), r.Action, r.User
		who := r.User
		if who == "" {
			who = "outside Grafana"
		}
		titles[i] = fmt.Sprintf("Falco rules %s, revision %d, by %s", r.Action, r.Revision, who)
		texts[i] = annotationText(r)
		t := []string{"user:" + tagValue(who), "action:" + r.Action, "revision:" + strconv.Itoa(r.Revision)}
		for _, f := range r.Files {
			t = append(t, "file:"+tagValue(f))
		}
		for _, rule := range r.Rules {
			t = append(t, "rule:"+tagValue(rule))
		}
		tags[i] = strings.Join(t, ",")
	}
	return data.NewFrame("annotations",
		data.NewField("time", nil, times), data.NewField("title", nil, titles), data.NewField("text", nil, texts),
		data.NewField("tags", nil, tags), data.NewField("revision", nil, revisions), data.NewField("action", nil, actions),
		data.NewField("user", nil, users))
}

// tagValue keeps a value in one tag: Grafana splits the tags string on commas.
func tagValue(s string) string { return strings.ReplaceAll(s, ",", ";") }

func annotationText(r deploy.Revision) string {
	var b strings.Builder
	b.WriteString(r.Description)
	fmt.Fprintf(&b, "\nStatus: %s.", r.Status)
	if len(r.Files) > 0 {
		fmt.Fprintf(&b, "\nFiles changed: %s.", strings.Join(r.Files, ", "))
	} else {
		b.WriteString("\nNo customRules file changed.")
	}
	switch {
	case r.RulesUnknown:
		b.WriteString("\nRules changed: unknown (a rules file of this revision or the one before could not be read).")
	case len(r.Rules) > 0:
		fmt.Fprintf(&b, "\nRules changed: %s.", strings.Join(r.Rules, ", "))
	}
	return b.String()
}
