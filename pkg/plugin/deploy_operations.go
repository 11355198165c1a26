package plugin

import (
	"net/http"

	"github.com/containersec/container-security/pkg/deploy"
)

// handleDeployRecover takes a pending-* release back to its last deployed revision (what `helm rollback` does), for
// an Admin, after the same preview (POST deploy/plan with "recover": true).
func (d *Datasource) handleDeployRecover(w http.ResponseWriter, r *http.Request) {
	user, err := requireAdmin(r.Context(), "Recovering the Falco release")
	if err != nil {
		d.auditRefused(r.Context(), "recover", err)
		writeDeployError(w, err)
		return
	}
	req, ok := decodeDeployRequest(w, r, false)
	if !ok {
		return
	}
	svc := d.deployService(w)
	if svc == nil {
		return
	}
	res, err := svc.Recover(r.Context(), deploy.RecoverRequest{Namespace: req.Namespace, Name: req.Name, BaseRevision: req.BaseRevision,
		ConfirmWarnings: req.ConfirmWarnings, User: user.Login})
	d.auditResult(r.Context(), "recover", user, req, res, err)
	if err != nil {
		writeDeployError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"release": res.Release, "description": res.Description})
}

// handleDeployOperation is the last apply, rollback or recover of a release from this Grafana: the UI polls it
// after a 202 (the request ended before the change did).
func (d *Datasource) handleDeployOperation(w http.ResponseWriter, r *http.Request) {
	svc := d.deployService(w)
	if svc == nil {
		return
	}
	ns, name := releaseRef(r)
	op, err := svc.Operation(ns, name)
	if err != nil {
		writeDeployError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, op)
}

// handleDeployPermissions asks the API server (SelfSubjectAccessReview) for every permission an apply to the named
// release needs, or to each Falco release in the datasource's namespace when none is named.
func (d *Datasource) handleDeployPermissions(w http.ResponseWriter, r *http.Request) {
	if err := d.requirePlanner(r.Context(), "Checking the deploy permissions"); err != nil {
		writeDeployError(w, err)
		return
	}
	svc := d.deployService(w)
	if svc == nil {
		return
	}
	ns, name := releaseRef(r)
	var targets [][2]string
	if ns != "" || name != "" {
		targets = append(targets, [2]string{ns, name})
	} else {
		rels, err := svc.Releases(r.Context())
		if err != nil {
			writeDeployError(w, err)
			return
		}
		for _, rel := range rels {
			targets = append(targets, [2]string{rel.Namespace, rel.Name})
		}
	}
	checks := []*deploy.PermissionCheck{}
	for _, t := range targets {
		pc, err := svc.Permissions(r.Context(), t[0], t[1])
		if err != nil {
			writeDeployError(w, err)
			return
		}
		checks = append(checks, pc)
	}
	writeJSON(w, http.StatusOK, map[string]any{"checks": checks})
}
