package plugin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/containersec/container-security/pkg/deploy"
	"github.com/containersec/container-security/pkg/events"
)

// Windows of a rule's rate around a deploy: equal on both sides, as long as the time since the deploy, at most a day.
const (
	minRateWindow = 10 * time.Minute
	maxRateWindow = 24 * time.Hour
)

// rateWindow is one side of the comparison: the events of the rule in [From, To) and their rate.
type rateWindow struct {
	From    time.Time `json:"from"`
	To      time.Time `json:"to"`
	Events  int64     `json:"events"`
	PerHour float64   `json:"perHour"`
}

// deployRef is the revision the comparison is about.
type deployRef struct {
	Namespace string    `json:"namespace"`
	Name      string    `json:"name"`
	Revision  int       `json:"revision"`
	Time      time.Time `json:"time"`
	Action    string    `json:"action"`
	User      string    `json:"user"`
}

// ruleRate is the answer of GET tuning/rule-rate. State: "compared", "no_deploy" (no revision in the history changed
// the rule), "too_soon" (less than minRateWindow since it): Before/After are set only when compared.
type ruleRate struct {
	Rule   string      `json:"rule"`
	State  string      `json:"state"`
	Deploy *deployRef  `json:"deploy,omitempty"`
	Before *rateWindow `json:"before,omitempty"`
	After  *rateWindow `json:"after,omitempty"`
	// Note says what the figures cannot show (the store's oldest event is after the window's start, revisions whose
	// changed rules cannot be told).
	Notes []string `json:"notes"`
}

// handleRuleRate compares a rule's stored events before and after the last deploy that changed it. Reading it is
// allowed to whoever may read the deploy history and the events (neither checks a role).
func (d *Datasource) handleRuleRate(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	rule := strings.TrimSpace(q.Get("rule"))
	if rule == "" {
		writeError(w, http.StatusBadRequest, `"rule" is required: the Falco rule whose rate to compare`)
		return
	}
	reader, err := d.storeReady()
	if err != nil {
		writeError(w, http.StatusServiceUnavailable, "the event store is unavailable: "+storeErrorFor(r.Context(), err))
		return
	}
	svc := d.deployService(w)
	if svc == nil {
		return
	}
	out, err := d.ruleRate(r.Context(), svc, reader, rule, q.Get("namespace"), q.Get("name"), time.Now())
	if err != nil {
		var de *deploy.Error
		if errors.As(err, &de) {
			writeDeployError(w, err)
			return
		}
		writeStoreReadError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (d *Datasource) ruleRate(ctx context.Context, svc *deploy.Service, reader events.Reader, rule, namespace, name string, now time.Time) (*ruleRate, error) {
	out := &ruleRate{Rule: rule, State: "no_deploy", Notes: []string{}}
	ns, rel, err := falcoRelease(ctx, svc, strings.TrimSpace(namespace), strings.TrimSpace(name))
	if errors.Is(err, errNoFalcoRelease) {
		out.Notes = append(out.Notes, "no Falco release found")
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	revs, err := svc.History(ctx, ns, rel)
	if err != nil {
		return nil, err
	}
	var last *deploy.Revision
	unknown := 0
	for i := range revs { // newest first
		r := revs[i]
		if r.Status != "deployed" && r.Status != "superseded" {
			continue // a failed or pending revision never ran
		}
		if r.RulesUnknown {
			unknown++
			continue
		}
		if contains(r.Rules, rule) {
			last = &revs[i]
			break
		}
	}
	if unknown > 0 {
		out.Notes = append(out.Notes, fmt.Sprintf("%d newer revision(s) have rules files that cannot be read: whether they changed this rule is unknown", unknown))
	}
	if last == nil {
		return out, nil
	}
	out.Deploy = &deployRef{Namespace: ns, Name: rel, Revision: last.Revision, Time: last.Updated, Action: last.Action, User: last.User}
	since := now.Sub(last.Updated)
	if since < minRateWindow {
		out.State = "too_soon"
		out.Notes = append(out.Notes, fmt.Sprintf("only %s since the deploy; the comparison needs at least %s after it", since.Round(time.Second), minRateWindow))
		return out, nil
	}
	win := min(since, maxRateWindow)
	t := last.Updated
	count := func(from, to time.Time) (*rateWindow, error) {
		// The stores count [From, To] with both ends in (sqlitestore countInto): the deploy's instant is after, not before.
		vals, err := reader.Values(ctx, events.ValueRequest{From: from, To: to.Add(-time.Nanosecond), Filters: events.Filters{Rules: []string{rule}}, Field: events.DimRule, Limit: 1})
		if err != nil {
			return nil, err
		}
		w := &rateWindow{From: from.UTC(), To: to.UTC()}
		for _, v := range vals {
			w.Events += v.Count
		}
		w.PerHour = float64(w.Events) / to.Sub(from).Hours()
		return w, nil
	}
	if out.Before, err = count(t.Add(-win), t); err != nil {
		return nil, err
	}
	if out.After, err = count(t, t.Add(win)); err != nil {
		return nil, err
	}
	out.State = "compared"
	if st, err := reader.Status(ctx); err == nil && !st.Oldest.IsZero() && st.Oldest.After(t.Add(-win)) {
		out.Notes = append(out.Notes, fmt.Sprintf("the event store holds events only from %s: the figure before the deploy may be low", st.Oldest.UTC().Format(time.RFC3339)))
	}
	return out, nil
}
