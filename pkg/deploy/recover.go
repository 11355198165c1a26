package deploy

import (
	"context"
	"fmt"

	"helm.sh/helm/v4/pkg/action"
	rcommon "helm.sh/helm/v4/pkg/release/common"
	release "helm.sh/helm/v4/pkg/release/v1"
)

// RecoverRequest takes a release out of pending-* (an interrupted helm or Grafana change) by rolling back to its last
// deployed revision, which is what `helm rollback <name> <revision>` does: Helm's rollback, unlike its upgrade, does
// not refuse a pending release (pkg/action/rollback.go prepareRollback reads Last without a pending check).
type RecoverRequest struct {
	Namespace       string
	Name            string
	BaseRevision    int // the pending revision the preview was made on
	ConfirmWarnings bool
	User            string
}

// Recover rolls a pending release back to its last deployed revision and records the Grafana user in its history.
func (s *Service) Recover(ctx context.Context, req RecoverRequest) (*Result, error) {
	return s.run(ctx, "recover", req.Namespace, req.Name, req.User, func(ctx context.Context) (*Result, error) {
		p, err := s.plan(ctx, PlanRequest{Namespace: req.Namespace, Name: req.Name, BaseRevision: req.BaseRevision, Recover: true})
		if err != nil {
			return nil, err
		}
		desc := describe(req.User, fmt.Sprintf("recovered %s revision %d by rolling back to revision %d", p.rel.Info.Status, p.rel.Version, p.Plan.RollbackTo), p.files)
		res, err := s.rollbackPlanned(ctx, p, req.ConfirmWarnings, desc, req.User)
		if err != nil {
			return nil, err
		}
		// Helm's rollback supersedes only deployed revisions (performRollback, DeployedAll): the interrupted one would
		// stay pending-* in the history forever. Record it as failed, as Helm's own failRelease would have.
		if ri, gerr := p.cfg.Releases.Get(p.rel.Name, p.rel.Version); gerr == nil {
			if stuck, cerr := toV1(ri); cerr == nil && stuck.Info != nil && stuck.Info.Status.IsPending() {
				stuck.Info.Status = rcommon.StatusFailed
				stuck.Info.Description = truncate(fmt.Sprintf("Grafana user %q recovered this interrupted revision with revision %d", orUnknown(req.User), res.Release.Revision), action.MaxDescriptionLength)
				if uerr := p.cfg.Releases.Update(stuck); uerr != nil {
					res.Description += fmt.Sprintf(" (revision %d could not be marked failed: %v)", p.rel.Version, uerr)
				}
			}
		}
		return res, nil
	})
}

// planRecover previews the rollback of a pending release to its last deployed (or superseded) revision.
func (s *Service) planRecover(ctx context.Context, cfg *action.Configuration, rel *release.Release) (*planned, error) {
	target := lastGood(cfg, rel)
	ti, err := cfg.Releases.Get(rel.Name, target)
	if err != nil {
		return nil, errorf(CodeReleaseNotFound, err, "release %s/%s has no deployed revision before revision %d to recover to: uninstall and install it again with helm", rel.Namespace, rel.Name, rel.Version)
	}
	if t, err := toV1(ti); err != nil || t.Info == nil || (t.Info.Status != rcommon.StatusDeployed && t.Info.Status != rcommon.StatusSuperseded) {
		return nil, errorf(CodeReleaseNotFound, err, "release %s/%s has no deployed revision before revision %d to recover to", rel.Namespace, rel.Name, rel.Version)
	}
	p, err := s.planRollback(ctx, cfg, rel, PlanRequest{Namespace: rel.Namespace, Name: rel.Name, BaseRevision: rel.Version, RollbackTo: target})
	if err != nil {
		return nil, err
	}
	p.Plan.Recover = true
	return p, nil
}

func orUnknown(user string) string {
	if user == "" {
		return "unknown"
	}
	return user
}
