package deploy

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"helm.sh/helm/v4/pkg/action"
	"helm.sh/helm/v4/pkg/kube"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
)

// ApplyRequest deploys Files as the release's whole customRules.
type ApplyRequest struct {
	Namespace       string
	Name            string
	BaseRevision    int
	Files           []File
	ConfirmWarnings bool
	// User is the Grafana login that asked for it; it goes into the release description.
	User string
}

// RollbackRequest rolls the release back to ToRevision.
type RollbackRequest struct {
	Namespace       string
	Name            string
	BaseRevision    int
	ToRevision      int
	ConfirmWarnings bool
	User            string
}

// Result is the new revision after an apply or rollback.
type Result struct {
	Release     Release `json:"release"`
	Description string  `json:"description"`
	Plan        *Plan   `json:"-"`
}

// Apply plans the change again on the current revision (so nothing unvalidated or unconfirmed reaches Helm) and
// upgrades the release with the complete chart at its deployed version. It runs to completion detached from ctx
// (run); when ctx ends first the answer is *Started.
func (s *Service) Apply(ctx context.Context, req ApplyRequest) (*Result, error) {
	return s.run(ctx, "apply", req.Namespace, req.Name, req.User, func(ctx context.Context) (*Result, error) {
		p, err := s.plan(ctx, PlanRequest{Namespace: req.Namespace, Name: req.Name, BaseRevision: req.BaseRevision, Files: req.Files})
		if err != nil {
			return nil, err
		}
		if err := confirmed(p.Plan, req.ConfirmWarnings); err != nil {
			return nil, err
		}
		desc := describe(req.User, "deployed custom rules", p.files)
		pinRevision(p.cfg, p.rel.Version+1)
		up := action.NewUpgrade(p.cfg)
		up.Namespace = p.rel.Namespace
		up.ResetValues = true // values = p.values: the user values with customRules replaced (see plan)
		up.Description = desc
		up.DisableOpenAPIValidation = true // the plan above had the API server validate every object (serverDryRun)
		// Helm does not wait for the pods (HookOnlyStrategy marks the release deployed at once): the rollout guard
		// (guard.go) watches them server-side and the browser follows the DaemonSet rollout (Rollout).
		up.WaitStrategy = kube.HookOnlyStrategy
		up.Timeout = s.Timeout
		up.MaxHistory = s.HistoryMax
		// A release `helm install` (v4) applied server-side belongs to the field manager "helm"; this process applies as
		// another manager, so the rules change would conflict (helm/v4 pkg/action/upgrade.go: ForceConflicts, "Overwrite
		// value, become sole manager", as `helm upgrade --force-conflicts`). The user asked for this upgrade.
		up.ForceConflicts = true
		if _, err := up.RunWithContext(ctx, p.rel.Name, p.chart, p.values); err != nil {
			if ferr := s.failedChange(p, "upgrade", req.User, err); ferr != nil {
				return nil, ferr
			}
		}
		res, err := s.readBack(ctx, p, desc)
		if err != nil {
			return nil, err
		}
		// The change is live (failedChange returns nil only then): watch its rollout.
		s.startGuard(res.Release.Namespace, res.Release.Name, res.Release.Revision, p.rel.Version, p.Plan.Objects)
		return res, nil
	})
}

// Rollback rolls the release back to an earlier revision with Helm's rollback (which reapplies that revision's
// stored manifest, subchart objects included).
func (s *Service) Rollback(ctx context.Context, req RollbackRequest) (*Result, error) {
	if req.ToRevision <= 0 {
		return nil, errorf(CodeBadRequest, nil, "toRevision is required: the revision to roll back to")
	}
	return s.run(ctx, "rollback", req.Namespace, req.Name, req.User, func(ctx context.Context) (*Result, error) {
		p, err := s.plan(ctx, PlanRequest{Namespace: req.Namespace, Name: req.Name, BaseRevision: req.BaseRevision, RollbackTo: req.ToRevision})
		if err != nil {
			return nil, err
		}
		return s.rollbackPlanned(ctx, p, req.ConfirmWarnings, describe(req.User, fmt.Sprintf("rolled back to revision %d", req.ToRevision), p.files), req.User)
	})
}

// rollbackPlanned runs Helm's rollback to p.Plan.RollbackTo and reads the result back from Helm's storage.
func (s *Service) rollbackPlanned(ctx context.Context, p *planned, confirm bool, desc, user string) (*Result, error) {
	if err := confirmed(p.Plan, confirm); err != nil {
		return nil, err
	}
	pinRevision(p.cfg, p.rel.Version+1)
	rb := action.NewRollback(p.cfg)
	rb.Version = p.Plan.RollbackTo
	rb.Description = desc
	rb.WaitStrategy = kube.HookOnlyStrategy
	rb.Timeout = s.Timeout
	rb.MaxHistory = s.HistoryMax
	rb.ForceConflicts = true // as for the upgrade above
	if err := rb.Run(p.rel.Name); err != nil {
		if ferr := s.failedChange(p, "rollback", user, err); ferr != nil {
			return nil, ferr
		}
	}
	return s.readBack(ctx, p, desc)
}

// readBack states the release as Helm's storage holds it after the change, not as Helm's return value says.
func (s *Service) readBack(ctx context.Context, p *planned, desc string) (*Result, error) {
	rel, err := lastOf(p.cfg, p.rel.Name)
	if err != nil {
		return nil, classify(err, "read back "+p.rel.Namespace+"/"+p.rel.Name+" after the change")
	}
	return &Result{Release: s.summary(ctx, rel), Description: desc, Plan: p.Plan}, nil
}

func confirmed(p *Plan, confirm bool) error {
	if !p.ConfirmRequired || confirm {
		return nil
	}
	details := make([]any, len(p.Warnings))
	msgs := make([]string, len(p.Warnings))
	for i, w := range p.Warnings {
		details[i] = w
		msgs[i] = w.Message
	}
	return &Error{Code: CodeConfirmRequired, Details: details, Message: fmt.Sprintf(
		"this change does more than update the rules; confirm these %d warning(s) to go ahead: %s", len(p.Warnings), strings.Join(msgs, "; "))}
}

// classify turns a Helm or Kubernetes error into a deploy Error with a code the user can act on.
func classify(err error, doing string) error {
	if err == nil {
		return nil
	}
	var de *Error
	if errors.As(err, &de) {
		return de
	}
	msg := err.Error()
	if e := escalationError(err, doing); e != nil {
		return e
	}
	if m := forbiddenText.FindStringSubmatch(msg); m != nil || apierrors.IsForbidden(err) {
		if m == nil {
			return errorf(CodeKubeForbidden, err, "the datasource's Kubernetes credentials are not allowed to %s: %v", doing, err)
		}
		res := m[2]
		if m[3] != "" {
			res += "." + m[3]
		}
		where := "cluster-wide"
		if m[4] != "" {
			where = "in namespace " + m[4]
		}
		return &Error{Code: CodeKubeForbidden, Err: err, Details: []any{map[string]string{"verb": m[1], "resource": res, "namespace": m[4]}},
			Message: fmt.Sprintf("the datasource's Kubernetes credentials cannot %s %s %s (needed to %s); %s", m[1], res, where, doing, grantHint(res, m[4]))}
	}
	if apierrors.IsUnauthorized(err) {
		return errorf(CodeClusterNotConfigured, err, "the Kubernetes API server rejected the datasource's credentials (401) while trying to %s: check the token or certificate", doing)
	}
	if strings.Contains(msg, "another operation (install/upgrade/rollback) is in progress") {
		return errorf(CodeReleasePending, err, "Helm refused to %s: another operation is in progress on the release. Wait for it, or recover with helm rollback", doing)
	}
	var ne net.Error
	var ue *url.Error
	if strings.Contains(msg, "cluster unreachable") || errors.As(err, &ne) || errors.As(err, &ue) || errors.Is(err, context.DeadlineExceeded) ||
		strings.Contains(msg, "connection refused") || strings.Contains(msg, "no such host") {
		return errorf(CodeClusterUnreachable, err, "the Kubernetes API server cannot be reached to %s: %v", doing, err)
	}
	if apierrors.IsInvalid(err) || apierrors.IsBadRequest(err) {
		return errorf(CodeServerRejected, err, "the Kubernetes API server rejects the change (%s): %v", doing, err)
	}
	return errorf(CodeHelmFailed, err, "Helm failed to %s: %v", doing, err)
}
