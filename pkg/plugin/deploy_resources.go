package plugin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
	"k8s.io/client-go/rest"

	"github.com/containersec/container-security/pkg/deploy"
	"github.com/containersec/container-security/pkg/rules"
)

// deployState builds the deploy service once per datasource instance (Grafana makes a new instance when the
// settings change), on first use: a datasource that never deploys never touches the cluster.
type deployState struct {
	once  sync.Once
	build func() (*deploy.Service, error)
	svc   *deploy.Service
	err   error
	// audit receives one line per apply and rollback: who, which release, what, and the result.
	audit log.Logger
}

func newDeployState(s DeploySettings) *deployState {
	return &deployState{audit: log.DefaultLogger, build: func() (*deploy.Service, error) {
		if len(s.Problems) > 0 {
			return nil, &deploy.Error{Code: deploy.CodeClusterNotConfigured, Message: "the datasource's deploy settings are invalid: " + strings.Join(s.Problems, "; ")}
		}
		var cfg *rest.Config
		var err error
		switch s.KubeAccess {
		case KubeAccessKubeconfig:
			cfg, err = deploy.KubeconfigConfig([]byte(s.Kubeconfig), s.KubeContext)
		default:
			cfg, err = deploy.InClusterConfig()
		}
		if err != nil {
			return nil, err
		}
		cfg.UserAgent = "containersec-falco-datasource"
		svc, err := deploy.New(deploy.Config{REST: cfg, DefaultNamespace: s.FalcoNamespace, Charts: s.chartSource(),
			APITimeout: time.Duration(s.KubeRequestTimeoutSeconds) * time.Second, HistoryMax: s.HistoryMax,
			Guard: deploy.GuardSettings{Enabled: s.RolloutGuard, Timeout: time.Duration(s.RolloutTimeoutSeconds) * time.Second}})
		if err != nil {
			return nil, err
		}
		// Applies run on after their request ends: their outcome goes to the audit log when they finish.
		svc.Finished = func(op deploy.Operation) { auditOperation(log.DefaultLogger, op) }
		return svc, nil
	}}
}

func (s *deployState) service() (*deploy.Service, error) {
	s.once.Do(func() { s.svc, s.err = s.build() })
	return s.svc, s.err
}

// deployStatus maps each deploy error code to its HTTP status (contracts/deploy-api.md, "Errors").
var deployStatus = map[string]int{
	deploy.CodeForbiddenRole:        http.StatusForbidden,
	deploy.CodeStaleRevision:        http.StatusConflict,
	deploy.CodeReleasePending:       http.StatusConflict,
	deploy.CodeGitOpsManaged:        http.StatusConflict,
	deploy.CodeConfirmRequired:      http.StatusConflict,
	deploy.CodeInvalidRules:         http.StatusUnprocessableEntity,
	deploy.CodeServerRejected:       http.StatusUnprocessableEntity,
	deploy.CodeKubeForbidden:        http.StatusForbidden,
	deploy.CodeClusterUnreachable:   http.StatusBadGateway,
	deploy.CodeChartUnavailable:     http.StatusBadGateway,
	deploy.CodeHelmFailed:           http.StatusBadGateway,
	deploy.CodeClusterNotConfigured: http.StatusBadRequest,
	deploy.CodeReleaseNotFound:      http.StatusNotFound,
	deploy.CodeBadRequest:           http.StatusBadRequest,
}

// auditOperation logs how an apply, rollback or recover ended, with the Grafana user and the release read back.
func auditOperation(l log.Logger, op deploy.Operation) {
	args := []any{"operation", op.Kind, "id", op.ID, "user", op.User, "release", op.Namespace + "/" + op.Name, "state", op.State}
	if op.Release != nil {
		args = append(args, "revision", op.Release.Revision, "status", op.Release.Status, "description", deploy.Scrub(op.Description))
	}
	if op.Error != nil {
		args = append(args, "code", op.Error.Code, "error", deploy.Scrub(op.Error.Message))
		l.Warn("Falco rules deploy finished", args...)
		return
	}
	l.Info("Falco rules deploy finished", args...)
}

// writeDeployError answers a deploy error; every message is scrubbed of credentials (API server and Helm errors may
// quote object content).
func writeDeployError(w http.ResponseWriter, err error) {
	var started *deploy.Started
	if errors.As(err, &started) {
		// The caller stopped waiting; the change goes on (deploy.Service.run): poll deploy/operation.
		writeJSON(w, http.StatusAccepted, map[string]any{"operation": started.Operation})
		return
	}
	var de *deploy.Error
	if !errors.As(err, &de) {
		writeJSON(w, http.StatusInternalServerError, ErrorBody{Error: deploy.Scrub(err.Error()), Code: deploy.CodeHelmFailed})
		return
	}
	status, ok := deployStatus[de.Code]
	if !ok {
		status = http.StatusInternalServerError
	}
	writeJSON(w, status, ErrorBody{Error: deploy.Scrub(de.Message), Details: de.Details, Code: de.Code})
}

// grafanaAdmin is the only org role that may change the cluster. The role comes from Grafana in the plugin
// context (PluginContext.User), never from the request; calls without a user (alerting, background) are refused.
const grafanaAdmin = "Admin"

func requireAdmin(ctx context.Context, action string) (*backend.User, error) {
	u := backend.UserFromContext(ctx)
	if u == nil || u.Login == "" {
		return nil, &deploy.Error{Code: deploy.CodeForbiddenRole, Message: fmt.Sprintf("%s needs the Grafana Admin role; this call carries no Grafana user", action)}
	}
	if u.Role != grafanaAdmin {
		role := u.Role
		if role == "" {
			role = "without a role"
		}
		return nil, &deploy.Error{Code: deploy.CodeForbiddenRole, Message: fmt.Sprintf("%s needs the Grafana Admin role; you are %s", action, role)}
	}
	return u, nil
}

// requirePlanner allows Admins, and Editors when the datasource says so: a plan renders objects with the
// datasource's cluster credentials.
func (d *Datasource) requirePlanner(ctx context.Context, action string) error {
	if !d.settings.Deploy.EditorsCanPlan {
		_, err := requireAdmin(ctx, action)
		return err
	}
	u := backend.UserFromContext(ctx)
	if u != nil && u.Login != "" && (u.Role == grafanaAdmin || u.Role == "Editor") {
		return nil
	}
	role := "without a role"
	if u != nil && u.Role != "" {
		role = u.Role
	}
	return &deploy.Error{Code: deploy.CodeForbiddenRole, Message: fmt.Sprintf("%s needs the Grafana Admin or Editor role (this datasource lets Editors plan); you are %s", action, role)}
}

func releaseRef(r *http.Request) (string, string) {
	q := r.URL.Query()
	return q.Get("namespace"), q.Get("name")
}

func (d *Datasource) deployService(w http.ResponseWriter) *deploy.Service {
	svc, err := d.deploy.service()
	if err != nil {
		writeDeployError(w, err)
		return nil
	}
	return svc
}

func (d *Datasource) handleDeployReleases(w http.ResponseWriter, r *http.Request) {
	svc := d.deployService(w)
	if svc == nil {
		return
	}
	rels, err := svc.Releases(r.Context())
	if err != nil {
		writeDeployError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"releases": rels})
}

func (d *Datasource) handleDeployRelease(w http.ResponseWriter, r *http.Request) {
	svc := d.deployService(w)
	if svc == nil {
		return
	}
	ns, name := releaseRef(r)
	rel, files, err := svc.Release(r.Context(), ns, name)
	if err != nil {
		writeDeployError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"release": rel, "files": files})
}

// deployRequest is the body of plan, apply and rollback.
type deployRequest struct {
	Namespace       string        `json:"namespace"`
	Name            string        `json:"name"`
	BaseRevision    int           `json:"baseRevision"`
	Files           *[]rules.File `json:"files"`
	RollbackTo      int           `json:"rollbackTo"`
	ToRevision      int           `json:"toRevision"`
	Recover         bool          `json:"recover"`
	ConfirmWarnings bool          `json:"confirmWarnings"`
}

// decodeDeployRequest reads and checks the body; it answers the client itself and returns false on a bad one.
func decodeDeployRequest(w http.ResponseWriter, r *http.Request, needFiles bool) (deployRequest, bool) {
	var req deployRequest
	if !decodeJSONBody(w, r, &req) {
		return req, false
	}
	if req.Namespace == "" || req.Name == "" {
		writeJSON(w, http.StatusBadRequest, ErrorBody{Error: `send the release as "namespace" and "name"`, Code: deploy.CodeBadRequest})
		return req, false
	}
	if req.BaseRevision <= 0 {
		writeJSON(w, http.StatusBadRequest, ErrorBody{Error: `"baseRevision" is required: the release revision the plan was made on`, Code: deploy.CodeBadRequest})
		return req, false
	}
	if needFiles {
		if req.Files == nil {
			writeJSON(w, http.StatusBadRequest, ErrorBody{Error: `request body has no "files": send the whole customRules as [{"name", "content"}] (an empty list removes every custom rules file)`, Code: deploy.CodeBadRequest})
			return req, false
		}
		if len(*req.Files) > 0 {
			if status, msg := rulesFileProblem(*req.Files); status != 0 {
				writeJSON(w, status, ErrorBody{Error: msg, Code: deploy.CodeBadRequest})
				return req, false
			}
		}
	}
	return req, true
}

func files(req deployRequest) []rules.File {
	if req.Files == nil {
		return nil
	}
	return *req.Files
}

func (d *Datasource) handleDeployPlan(w http.ResponseWriter, r *http.Request) {
	if err := d.requirePlanner(r.Context(), "Previewing a deployment"); err != nil {
		d.auditRefused(r.Context(), "plan", err)
		writeDeployError(w, err)
		return
	}
	req, ok := decodeDeployRequest(w, r, false)
	if !ok {
		return
	}
	if req.RollbackTo == 0 && req.Files == nil && !req.Recover {
		writeJSON(w, http.StatusBadRequest, ErrorBody{Error: `send "files" (the whole customRules to deploy), "rollbackTo" (a revision to preview a rollback to) or "recover": true (the way out of a pending release)`, Code: deploy.CodeBadRequest})
		return
	}
	if req.Files != nil && len(*req.Files) > 0 {
		if status, msg := rulesFileProblem(*req.Files); status != 0 {
			writeJSON(w, status, ErrorBody{Error: msg, Code: deploy.CodeBadRequest})
			return
		}
	}
	svc := d.deployService(w)
	if svc == nil {
		return
	}
	plan, err := svc.Plan(r.Context(), deploy.PlanRequest{Namespace: req.Namespace, Name: req.Name, BaseRevision: req.BaseRevision,
		Files: files(req), RollbackTo: req.RollbackTo, Recover: req.Recover})
	if err != nil {
		writeDeployError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, plan)
}

func (d *Datasource) handleDeployApply(w http.ResponseWriter, r *http.Request) {
	user, err := requireAdmin(r.Context(), "Deploying rules")
	if err != nil {
		d.auditRefused(r.Context(), "apply", err)
		writeDeployError(w, err)
		return
	}
	req, ok := decodeDeployRequest(w, r, true)
	if !ok {
		return
	}
	svc := d.deployService(w)
	if svc == nil {
		return
	}
	names := make([]string, 0, len(files(req)))
	for _, f := range files(req) {
		names = append(names, f.Name)
	}
	res, err := svc.Apply(r.Context(), deploy.ApplyRequest{Namespace: req.Namespace, Name: req.Name, BaseRevision: req.BaseRevision,
		Files: files(req), ConfirmWarnings: req.ConfirmWarnings, User: user.Login})
	d.auditResult(r.Context(), "apply", user, req, res, err, "files", strings.Join(names, ","))
	if err != nil {
		writeDeployError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"release": res.Release, "description": res.Description})
}

func (d *Datasource) handleDeployRollback(w http.ResponseWriter, r *http.Request) {
	user, err := requireAdmin(r.Context(), "Rolling back the Falco release")
	if err != nil {
		d.auditRefused(r.Context(), "rollback", err)
		writeDeployError(w, err)
		return
	}
	req, ok := decodeDeployRequest(w, r, false)
	if !ok {
		return
	}
	if req.ToRevision <= 0 {
		writeJSON(w, http.StatusBadRequest, ErrorBody{Error: `"toRevision" is required: the revision to roll back to`, Code: deploy.CodeBadRequest})
		return
	}
	svc := d.deployService(w)
	if svc == nil {
		return
	}
	res, err := svc.Rollback(r.Context(), deploy.RollbackRequest{Namespace: req.Namespace, Name: req.Name, BaseRevision: req.BaseRevision,
		ToRevision: req.ToRevision, ConfirmWarnings: req.ConfirmWarnings, User: user.Login})
	d.auditResult(r.Context(), "rollback", user, req, res, err, "toRevision", strconv.Itoa(req.ToRevision))
	if err != nil {
		writeDeployError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"release": res.Release, "description": res.Description})
}

// auditResult logs one apply or rollback with the Grafana user and the outcome.
func (d *Datasource) auditResult(ctx context.Context, op string, user *backend.User, req deployRequest, res *deploy.Result, err error, kv ...any) {
	args := []any{"operation", op, "user", user.Login, "role", user.Role, "release", req.Namespace + "/" + req.Name, "baseRevision", req.BaseRevision}
	args = append(args, kv...)
	var started *deploy.Started
	if errors.As(err, &started) {
		args = append(args, "result", "running after the request ended", "id", started.Operation.ID)
		d.deploy.audit.FromContext(ctx).Info("Falco rules deploy", args...)
		return
	}
	if err != nil {
		args = append(args, "result", "refused or failed", "code", deploy.CodeOf(err), "error", deploy.Scrub(err.Error()))
		d.deploy.audit.FromContext(ctx).Warn("Falco rules deploy", args...)
		return
	}
	args = append(args, "result", "ok", "revision", res.Release.Revision, "status", res.Release.Status, "description", deploy.Scrub(res.Description))
	d.deploy.audit.FromContext(ctx).Info("Falco rules deploy", args...)
}

func (d *Datasource) auditRefused(ctx context.Context, op string, err error) {
	login, role := "", ""
	if u := backend.UserFromContext(ctx); u != nil {
		login, role = u.Login, u.Role
	}
	d.deploy.audit.FromContext(ctx).Warn("Falco rules deploy", "operation", op, "user", login, "role", role, "result", "refused", "code", deploy.CodeOf(err), "error", deploy.Scrub(err.Error()))
}

func (d *Datasource) handleDeployRollout(w http.ResponseWriter, r *http.Request) {
	svc := d.deployService(w)
	if svc == nil {
		return
	}
	ns, name := releaseRef(r)
	ro, err := svc.Rollout(r.Context(), ns, name)
	if err != nil {
		writeDeployError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, ro)
}

func (d *Datasource) handleDeployHistory(w http.ResponseWriter, r *http.Request) {
	svc := d.deployService(w)
	if svc == nil {
		return
	}
	ns, name := releaseRef(r)
	revs, err := svc.History(r.Context(), ns, name)
	if err != nil {
		writeDeployError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"revisions": revs})
}

func (d *Datasource) handleDeployHistoryDiff(w http.ResponseWriter, r *http.Request) {
	ns, name := releaseRef(r)
	from, errFrom := strconv.Atoi(r.URL.Query().Get("from"))
	to, errTo := strconv.Atoi(r.URL.Query().Get("to"))
	if errFrom != nil || errTo != nil || from <= 0 || to <= 0 {
		writeJSON(w, http.StatusBadRequest, ErrorBody{Error: `"from" and "to" must be revision numbers (1 or more)`, Code: deploy.CodeBadRequest})
		return
	}
	svc := d.deployService(w)
	if svc == nil {
		return
	}
	changes, err := svc.HistoryDiff(r.Context(), ns, name, from, to)
	if err != nil {
		writeDeployError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"files": changes})
}

// deployHealth checks the cluster access for deploying rules when it is configured: a kubeconfig was chosen, or the
// deploy settings have problems. The default in-cluster access is not checked, so a Grafana outside Kubernetes that
// never deploys keeps a green "Save & test".
func (d *Datasource) deployHealth(ctx context.Context) (componentHealth, bool) {
	s := d.settings.Deploy
	if s.KubeAccess != KubeAccessKubeconfig && len(s.Problems) == 0 {
		return componentHealth{}, false
	}
	c := componentHealth{Name: "Kubernetes (rules deploy)"}
	svc, err := d.deploy.service()
	if err != nil {
		c.Message = err.Error()
		return c, true
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	rels, err := svc.Releases(ctx)
	if err != nil {
		c.Message = err.Error()
		return c, true
	}
	where := "namespace " + s.FalcoNamespace
	if s.FalcoNamespace == "" {
		where = "the namespaces these credentials can list"
	}
	c.OK = true
	c.Message = fmt.Sprintf("%d Falco release(s) in %s", len(rels), where)
	return c, true
}
