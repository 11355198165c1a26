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
	release "helm.sh/helm/v4/pkg/release/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
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

// historyMax is what the helm CLI keeps by default (--history-max 10); older revisions are pruned on each change.
const historyMax = 10

// Apply plans the change again on the current revision (so nothing unvalidated or unconfirmed reaches Helm) and
// upgrades the release with the complete chart at its deployed version.
func (s *Service) Apply(ctx context.Context, req ApplyRequest) (*Result, error) {
	defer s.lock(req.Namespace, req.Name)()
	p, err := s.plan(ctx, PlanRequest{Namespace: req.Namespace, Name: req.Name, BaseRevision: req.BaseRevision, Files: req.Files})
	if err != nil {
		return nil, err
	}
	if err := confirmed(p.Plan, req.ConfirmWarnings); err != nil {
		return nil, err
	}
	desc := describe(req.User, "deployed custom rules", p.files)
	up := action.NewUpgrade(p.cfg)
	up.Namespace = p.rel.Namespace
	up.ResetValues = true // values = p.values: the user values with customRules replaced (see plan)
	up.Description = desc
	// Do not wait for the pods: the browser follows the DaemonSet rollout (Rollout) and names failing pods.
	up.WaitStrategy = kube.HookOnlyStrategy
	up.Timeout = s.Timeout
	up.MaxHistory = historyMax
	// A release `helm install` (v4) applied server-side belongs to the field manager "helm"; this process applies as
	// another manager, so the rules change would conflict (helm/v4 pkg/action/upgrade.go: ForceConflicts, "Overwrite
	// value, become sole manager", as `helm upgrade --force-conflicts`). The user asked for this upgrade.
	up.ForceConflicts = true
	ri, err := up.RunWithContext(ctx, p.rel.Name, p.chart, p.values)
	if err != nil {
		return nil, classify(err, "upgrade "+p.rel.Namespace+"/"+p.rel.Name)
	}
	rel, err := toV1(ri)
	if err != nil {
		return nil, err
	}
	return &Result{Release: s.summary(ctx, rel), Description: desc, Plan: p.Plan}, nil
}

// Rollback rolls the release back to an earlier revision with Helm's rollback (which reapplies that revision's
// stored manifest, subchart objects included).
func (s *Service) Rollback(ctx context.Context, req RollbackRequest) (*Result, error) {
	defer s.lock(req.Namespace, req.Name)()
	if req.ToRevision <= 0 {
		return nil, errorf(CodeBadRequest, nil, "toRevision is required: the revision to roll back to")
	}
	p, err := s.plan(ctx, PlanRequest{Namespace: req.Namespace, Name: req.Name, BaseRevision: req.BaseRevision, RollbackTo: req.ToRevision})
	if err != nil {
		return nil, err
	}
	if err := confirmed(p.Plan, req.ConfirmWarnings); err != nil {
		return nil, err
	}
	desc := describe(req.User, fmt.Sprintf("rolled back to revision %d", req.ToRevision), p.files)
	rb := action.NewRollback(p.cfg)
	rb.Version = req.ToRevision
	rb.Description = desc
	rb.WaitStrategy = kube.HookOnlyStrategy
	rb.Timeout = s.Timeout
	rb.MaxHistory = historyMax
	rb.ForceConflicts = true // as for the upgrade above
	if err := rb.Run(p.rel.Name); err != nil {
		return nil, classify(err, "roll back "+p.rel.Namespace+"/"+p.rel.Name)
	}
	_, rel, err := s.latest(req.Namespace, req.Name)
	if err != nil {
		return nil, err
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

// Labels and annotations that say a GitOps tool owns the release's objects.
const (
	// Flux's helm-controller post-renders every object with these labels (internal/postrender/origin_labels.go,
	// group helm.toolkit.fluxcd.io), so they are in the manifest Helm stores.
	fluxNameLabel      = "helm.toolkit.fluxcd.io/name"
	fluxNamespaceLabel = "helm.toolkit.fluxcd.io/namespace"
	// Argo CD's annotation tracking (the default since Argo CD 3.0) marks live objects "<app>:<group>/<kind>:<ns>/<name>".
	argoTrackingAnnotation = "argocd.argoproj.io/tracking-id"
)

// managedBy tells plain Helm from Flux (labels in the stored manifest) and Argo CD (tracking annotation on the
// live DaemonSet).
func (s *Service) managedBy(ctx context.Context, rel *release.Release) ManagedBy {
	objs := parseManifest(rel.Manifest, rel.Namespace)
	for _, o := range objs {
		meta, _ := o.Obj["metadata"].(map[string]any)
		labels, _ := meta["labels"].(map[string]any)
		if name, ok := labels[fluxNameLabel].(string); ok && name != "" {
			ns, _ := labels[fluxNamespaceLabel].(string)
			return ManagedBy{Kind: ManagedByFlux, Detail: fmt.Sprintf("HelmRelease %s/%s", ns, name)}
		}
	}
	if s.clientset != nil {
		for _, o := range objs {
			if o.Kind != "DaemonSet" {
				continue
			}
			ds, err := s.clientset.AppsV1().DaemonSets(o.Namespace).Get(ctx, o.Name, metav1.GetOptions{})
			if err != nil {
				continue
			}
			if id := ds.Annotations[argoTrackingAnnotation]; id != "" {
				app := id
				if i := strings.Index(id, ":"); i > 0 {
					app = id[:i]
				}
				return ManagedBy{Kind: ManagedByArgoCD, Detail: "Application " + app}
			}
		}
	}
	return ManagedBy{Kind: ManagedByHelm, Detail: "Helm release " + rel.Namespace + "/" + rel.Name}
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
			Message: fmt.Sprintf("the datasource's Kubernetes credentials cannot %s %s %s (needed to %s); grant it with the Role in provisioning/kubernetes", m[1], res, where, doing)}
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
