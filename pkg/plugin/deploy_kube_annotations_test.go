package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/containersec/container-security/pkg/deploy"
	"github.com/containersec/container-security/pkg/events"
)

// Rule names of internal/deploytest's GoodRule and OtherRule.
const (
	shellTestRule = "Shell in grafana test container"
	curlTestRule  = "Curl in grafana test container"
)

// deployAnnotationsFrame runs the annotation query as Grafana's annotation layer sends it.
func deployAnnotationsFrame(t *testing.T, d *Datasource, user *backend.User, from, to time.Time, query string) (*data.Frame, backend.DataResponse) {
	t.Helper()
	ctx := backend.WithUser(context.Background(), user)
	res, err := d.QueryData(ctx, &backend.QueryDataRequest{PluginContext: backend.PluginContext{User: user}, Queries: []backend.DataQuery{{
		RefID: "Anno", QueryType: QueryTypeDeployAnnotations, TimeRange: backend.TimeRange{From: from, To: to}, JSON: json.RawMessage(query)}}})
	if err != nil {
		t.Fatal(err)
	}
	r := res.Responses["Anno"]
	if r.Error != nil || len(r.Frames) != 1 {
		return nil, r
	}
	return r.Frames[0], r
}

func annoColumn(t *testing.T, f *data.Frame, name string) []string {
	t.Helper()
	field, idx := f.FieldByName(name)
	if idx < 0 {
		t.Fatalf("frame has no %q field", name)
	}
	out := make([]string, field.Len())
	for i := range out {
		out[i] = fmt.Sprint(field.At(i))
	}
	return out
}

// checkDeployAnnotations runs after TestDeployOnRealAPIServer's install (revision 1, GoodRule), apply (2, OtherRule)
// and rollback (3, back to GoodRule): the history Helm keeps in the real API server, as annotations.
func checkDeployAnnotations(t *testing.T, d *Datasource, testStart time.Time) {
	now := time.Now()
	t.Run("every revision is an annotation with user, action, revision, files and rules", func(t *testing.T) {
		f, r := deployAnnotationsFrame(t, d, viewer, testStart, now.Add(time.Minute), `{}`)
		if f == nil {
			t.Fatalf("%v %s", r.Error, r.Status)
		}
		tags := annoColumn(t, f, "tags")
		want := []string{
			"user:admin,action:rollback,revision:3,file:a.yaml,rule:" + curlTestRule + ",rule:" + shellTestRule,
			"user:admin,action:deploy,revision:2,file:a.yaml,rule:" + curlTestRule + ",rule:" + shellTestRule,
			"user:outside Grafana,action:install,revision:1,file:a.yaml,rule:" + shellTestRule,
		}
		if strings.Join(tags, "\n") != strings.Join(want, "\n") {
			t.Fatalf("tags:\n%s\nwant:\n%s", strings.Join(tags, "\n"), strings.Join(want, "\n"))
		}
		if titles := annoColumn(t, f, "title"); titles[1] != "Falco rules deploy, revision 2, by admin" {
			t.Fatalf("titles %q", titles)
		}
		if text := annoColumn(t, f, "text")[0]; !strings.Contains(text, `Grafana user "admin" rolled back to revision 1`) || !strings.Contains(text, "Rules changed: "+curlTestRule) {
			t.Fatalf("text %q", text)
		}
		for _, tm := range annoColumn(t, f, "time") {
			if tm == "" || strings.HasPrefix(tm, "0001") {
				t.Fatalf("times %v", annoColumn(t, f, "time"))
			}
		}
	})
	t.Run("a rule's annotations are the revisions that changed it", func(t *testing.T) {
		f, _ := deployAnnotationsFrame(t, d, viewer, testStart, now.Add(time.Minute), `{"rule":"`+curlTestRule+`","namespace":"falco","name":"falco"}`)
		if revs := annoColumn(t, f, "revision"); strings.Join(revs, ",") != "3,2" {
			t.Fatalf("revisions that changed %q: %v", curlTestRule, revs)
		}
		f, _ = deployAnnotationsFrame(t, d, viewer, testStart, now.Add(time.Minute), `{"rule":"Rule nobody deployed"}`)
		if f.Rows() != 0 {
			t.Fatalf("%d annotations for a rule no revision changed", f.Rows())
		}
	})
	t.Run("the time range bounds the annotations", func(t *testing.T) {
		f, _ := deployAnnotationsFrame(t, d, viewer, now.Add(-48*time.Hour), testStart, `{}`)
		if f.Rows() != 0 {
			t.Fatalf("%d annotations before the test began", f.Rows())
		}
	})
	t.Run("a release named by half is refused", func(t *testing.T) {
		_, r := deployAnnotationsFrame(t, d, viewer, testStart, now, `{"namespace":"falco"}`)
		if r.Status != backend.StatusBadRequest || !strings.Contains(r.Error.Error(), `"namespace" and "name"`) {
			t.Fatalf("%d %v", r.Status, r.Error)
		}
		_, r = deployAnnotationsFrame(t, d, viewer, testStart, now, `{"namespace":"falco","name":"nope"}`)
		if r.Status != backend.StatusNotFound {
			t.Fatalf("an unknown release: %d %v", r.Status, r.Error)
		}
	})
	t.Run("rule rate before and after the last deploy that changed the rule", func(t *testing.T) {
		rec, _ := call(t, d, viewer, http.MethodGet, "/tuning/rule-rate?rule="+strings.ReplaceAll(curlTestRule, " ", "%20"), nil)
		var got ruleRate
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || rec.Code != 200 {
			t.Fatalf("%d %s", rec.Code, rec.Body.String())
		}
		// The rollback was seconds ago.
		if got.State != "too_soon" || got.Deploy == nil || got.Deploy.Revision != 3 || got.Deploy.Action != deploy.ActionRollback || got.Before != nil {
			t.Fatalf("%s", rec.Body.String())
		}
		rec, _ = call(t, d, viewer, http.MethodGet, "/tuning/rule-rate?rule=Rule%20nobody%20deployed", nil)
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"state":"no_deploy"`) {
			t.Fatalf("%d %s", rec.Code, rec.Body.String())
		}
		rec, eb := call(t, d, viewer, http.MethodGet, "/tuning/rule-rate", nil)
		if rec.Code != http.StatusBadRequest || !strings.Contains(eb.Error, `"rule"`) {
			t.Fatalf("%d %s", rec.Code, rec.Body.String())
		}

		// Two hours later: 240 events in the hour before the rollback, 3 in the hour after; another rule's do not count.
		at := got.Deploy.Time
		var evs []events.Event
		add := func(rule string, from time.Time, n int) {
			for i := range n {
				evs = append(evs, events.Event{ID: fmt.Sprintf("%s-%s-%d", rule, from, i), Time: from.Add(time.Duration(i) * time.Hour / time.Duration(n)), Rule: rule, Priority: events.Notice, Source: "syscall"})
			}
		}
		add(curlTestRule, at.Add(-time.Hour), 240)
		add(curlTestRule, at, 3)
		add(shellTestRule, at, 50)
		add(curlTestRule, at.Add(-3*time.Hour), 7) // outside the window
		if _, err := d.ingester.Ingest(context.Background(), evs); err != nil {
			t.Fatal(err)
		}
		svc, _ := d.deploy.service()
		rr, err := d.ruleRate(context.Background(), svc, d.reader, curlTestRule, "", "", at.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if rr.State != "compared" || rr.Before.Events != 240 || rr.After.Events != 3 || rr.Before.PerHour != 240 || rr.After.PerHour != 3 ||
			!rr.Before.To.Equal(at.UTC()) || !rr.After.From.Equal(at.UTC()) || rr.After.To.Sub(rr.After.From) != time.Hour {
			b, _ := json.Marshal(rr)
			t.Fatalf("%s", b)
		}
		// A day later the windows stop growing at 24 h each.
		rr, _ = d.ruleRate(context.Background(), svc, d.reader, curlTestRule, "", "", at.Add(72*time.Hour))
		if rr.Before.To.Sub(rr.Before.From) != 24*time.Hour || rr.Before.Events != 247 {
			b, _ := json.Marshal(rr)
			t.Fatalf("%s", b)
		}
	})
}
