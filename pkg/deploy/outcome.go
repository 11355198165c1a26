package deploy

import (
	"errors"
	"fmt"
	"strings"

	"helm.sh/helm/v4/pkg/action"
	"helm.sh/helm/v4/pkg/kube"
	ri "helm.sh/helm/v4/pkg/release"
	rcommon "helm.sh/helm/v4/pkg/release/common"
	release "helm.sh/helm/v4/pkg/release/v1"
	"helm.sh/helm/v4/pkg/storage/driver"
)

// errLostRace: another writer created a revision after the one this change was planned on.
var errLostRace = errors.New("another change created a newer revision of the release first")

// pinnedDriver lets Helm create exactly one revision number. Helm numbers a new revision Last()+1 and stores it with
// Create, which fails with ErrReleaseExists when that Secret exists (pkg/storage/driver/secrets.go, Create: the API
// server's create is atomic), so Helm's storage is the arbiter between Grafana replicas: a writer planned on revision
// N may only create N+1, never N+2 on top of a change it did not see.
type pinnedDriver struct {
	driver.Driver
	version int
}

func (p *pinnedDriver) Create(key string, rls ri.Releaser) error {
	if r, err := toV1(rls); err == nil && r.Version != p.version {
		return fmt.Errorf("%w (revision %d exists; this change was planned for revision %d)", errLostRace, r.Version-1, p.version)
	}
	return p.Driver.Create(key, rls)
}

// pinRevision makes cfg's storage create only revision next.
func pinRevision(cfg *action.Configuration, next int) *pinnedDriver {
	if p, ok := cfg.Releases.Driver.(*pinnedDriver); ok {
		p.version = next
		return p
	}
	p := &pinnedDriver{Driver: cfg.Releases.Driver, version: next}
	cfg.Releases.Driver = p
	return p
}

// lostRace says err means another writer changed the release first: Helm's "already exists" from the Secret driver,
// its pending refusal (pkg/action/upgrade.go: "Concurrent `helm upgrade`s will either fail here with `errPending` or
// when creating the release with "already exists"), or our pin.
func lostRace(err error) bool {
	return errors.Is(err, driver.ErrReleaseExists) || errors.Is(err, errLostRace) ||
		strings.Contains(err.Error(), "another operation (install/upgrade/rollback) is in progress")
}

// raceError names the revision that won, read back from Helm's storage.
func (s *Service) raceError(cfg *action.Configuration, namespace, name string, base int, doing string, err error) error {
	who := "another change"
	if ri, lerr := cfg.Releases.Last(name); lerr == nil {
		if r, cerr := toV1(ri); cerr == nil && r.Info != nil {
			who = fmt.Sprintf("revision %d (%s, %q)", r.Version, r.Info.Status, r.Info.Description)
			if u := userOf(r.Info.Description); u != "" {
				who = fmt.Sprintf("revision %d by Grafana user %s (%s)", r.Version, u, r.Info.Status)
			}
		}
	}
	return &Error{Code: CodeStaleRevision, Err: err, Message: fmt.Sprintf(
		"%s/%s was changed by another writer (another Grafana replica, datasource or helm) while this %s ran: %s won; nothing of this %s was applied. Plan again on the new revision",
		namespace, name, doing, who, doing)}
}

// failedChange answers a failed upgrade or rollback after reading the release back from Helm's storage. If this
// change's revision (base+1) was written and is not deployed, the last deployed revision (base) is restored with
// Helm's rollback, as fluxcd/helm-controller remediates a failed upgrade; the answer says exactly what is live.
func (s *Service) failedChange(p *planned, doing, user string, err error) error {
	ns, name, base := p.rel.Namespace, p.rel.Name, p.rel.Version
	if lostRace(err) {
		return s.raceError(p.cfg, ns, name, base, doing, err)
	}
	cause := classify(err, doing+" "+ns+"/"+name)
	var de *Error
	_ = errors.As(cause, &de)
	last, lerr := lastOf(p.cfg, name)
	switch {
	case lerr != nil:
		return &Error{Code: de.Code, Err: err, Details: de.Details, Message: fmt.Sprintf(
			"%s; and the release cannot be read back (%v): check it with `helm history %s -n %s`", de.Message, lerr, name, ns)}
	case last.Version <= base:
		return &Error{Code: de.Code, Err: err, Details: de.Details, Message: fmt.Sprintf(
			"%s. Nothing was changed: the release is still at revision %d (%s)", de.Message, last.Version, last.Info.Status)}
	case last.Version == base+1 && last.Info.Status == rcommon.StatusDeployed:
		return nil // Helm reported an error after recording success (e.g. a post-step); the change is live.
	case last.Version != base+1:
		return s.raceError(p.cfg, ns, name, base, doing, err)
	}
	if p.Plan.Recover || p.rel.Info == nil || p.rel.Info.Status != rcommon.StatusDeployed {
		// The change did not start from a deployed revision (a recovery, or a rollback from a failed one): no known
		// good state to restore automatically.
		return &Error{Code: de.Code, Err: err, Details: de.Details, Message: fmt.Sprintf(
			"%s. The release is now at revision %d (%s), started from revision %d (%s): objects of revision %d may be partly live. Recover it (deploy/recover), or check with `helm history %s -n %s`",
			de.Message, last.Version, last.Info.Status, base, p.rel.Info.Status, last.Version, name, ns)}
	}
	// Our revision base+1 is failed or pending: restore base.
	pinRevision(p.cfg, base+2)
	rb := action.NewRollback(p.cfg)
	rb.Version = base
	rb.Description = describe(user, fmt.Sprintf("restored revision %d after a failed change", base), nil)
	rb.WaitStrategy = kube.HookOnlyStrategy
	rb.Timeout = s.Timeout
	rb.MaxHistory = s.HistoryMax
	rb.ForceConflicts = true // as Apply: a release the helm CLI installed belongs to field manager "helm"
	rerr := rb.Run(name)
	after, aerr := lastOf(p.cfg, name)
	details := append([]any{map[string]any{"failedRevision": base + 1, "restoredRevision": base}}, de.Details...)
	if rerr == nil && aerr == nil && after.Info.Status == rcommon.StatusDeployed {
		return &Error{Code: de.Code, Err: err, Details: details, Message: fmt.Sprintf(
			"%s. Revision %d failed, so Grafana restored revision %d (now revision %d, %s): the objects of revision %d are live again",
			de.Message, base+1, base, after.Version, after.Info.Status, base)}
	}
	live := fmt.Sprintf("revision %d is %s", last.Version, last.Info.Status)
	if aerr == nil {
		live = fmt.Sprintf("revision %d is %s", after.Version, after.Info.Status)
	}
	return &Error{Code: de.Code, Err: err, Details: details, Message: fmt.Sprintf(
		"%s. Restoring revision %d failed too (%v): %s, and objects of revision %d may be partly live (Helm applies them kind by kind, the rules ConfigMap first). Recover it (deploy/recover), or run `helm rollback %s %d -n %s`",
		de.Message, base, firstErr(rerr, aerr), live, base+1, name, base, ns)}
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return errors.New("the release is not deployed after the rollback")
}

// lastOf reads the latest revision from Helm's storage.
func lastOf(cfg *action.Configuration, name string) (*release.Release, error) {
	r, err := cfg.Releases.Last(name)
	if err != nil {
		return nil, err
	}
	rel, err := toV1(r)
	if err != nil {
		return nil, err
	}
	if rel.Info == nil {
		return nil, fmt.Errorf("revision %d has no status", rel.Version)
	}
	return rel, nil
}
