// Package deploy deploys custom Falco rules through the Falco chart's Helm values (customRules), on the Helm v4 SDK
// and client-go: find Falco releases, read one, plan a change (validate, render, diff), apply it, show history, roll
// back, and follow the DaemonSet rollout. It knows nothing of Grafana: pkg/plugin maps its errors to HTTP answers and
// passes the Grafana user in.
package deploy

import (
	"errors"
	"fmt"
	"time"

	"github.com/containersec/container-security/pkg/rules"
)

// ChartName is the chart whose releases this package manages (falcosecurity/charts, chart "falco").
const ChartName = "falco"

// Managers of a release: only plain Helm may be changed from Grafana.
const (
	ManagedByHelm   = "helm"
	ManagedByFlux   = "flux"
	ManagedByArgoCD = "argocd"
)

// ManagedBy says who owns a release's desired state.
type ManagedBy struct {
	Kind   string `json:"kind"`
	Detail string `json:"detail,omitempty"`
}

// Release is the summary of a Falco Helm release at its latest revision.
type Release struct {
	Namespace    string    `json:"namespace"`
	Name         string    `json:"name"`
	Revision     int       `json:"revision"`
	Status       string    `json:"status"`
	Chart        string    `json:"chart"`
	ChartVersion string    `json:"chartVersion"`
	AppVersion   string    `json:"appVersion"`
	Updated      time.Time `json:"updated"`
	Description  string    `json:"description"`
	ManagedBy    ManagedBy `json:"managedBy"`
}

// File is one custom rules file (a customRules entry: file name -> rules YAML).
type File = rules.File

// Changes of a file or object in a plan.
const (
	ChangeAdded     = "added"
	ChangeModified  = "modified"
	ChangeRemoved   = "removed"
	ChangeUnchanged = "unchanged"
)

// FileChange is one rules file of a plan or history diff.
type FileChange struct {
	Name   string `json:"name"`
	Change string `json:"change"`
	Diff   string `json:"diff"`
}

// ObjectChange is one rendered Kubernetes object that the change would add, modify or remove.
type ObjectChange struct {
	Kind      string `json:"kind"`
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	Change    string `json:"change"`
	Diff      string `json:"diff"`
	// Expected is true only for the rules ConfigMap and a DaemonSet whose only change is checksum/rules.
	Expected bool `json:"expected"`
}

// Warning codes: anything a rules change should not do.
const (
	WarnChartVersionChange     = "chart_version_change"
	WarnSubchartObjectRemoved  = "subchart_object_removed"
	WarnImageChange            = "image_change"
	WarnUnexpectedObjectChange = "unexpected_object_change"
	WarnValuesChange           = "values_change"
)

// Warning is a change the user must confirm before it is applied.
type Warning struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Plan is what an apply (or rollback) would do, computed with a dry run.
type Plan struct {
	Release      Release `json:"release"`
	BaseRevision int     `json:"baseRevision"`
	RollbackTo   int     `json:"rollbackTo,omitempty"`
	// Recover: this is the way out of a pending-* release, a rollback to RollbackTo (its last deployed revision).
	Recover         bool               `json:"recover,omitempty"`
	Files           []FileChange       `json:"files"`
	Objects         []ObjectChange     `json:"objects"`
	Warnings        []Warning          `json:"warnings"`
	ConfirmRequired bool               `json:"confirmRequired"`
	Diagnostics     []rules.Diagnostic `json:"diagnostics"`
	// ValuesDiff is the unified diff of the release's user-supplied values (helm get values) before and after.
	ValuesDiff string `json:"valuesDiff"`
	// ServerValidated says every rendered object passed the API server's own dry-run apply (dryRun=All).
	ServerValidated bool `json:"serverValidated"`
	// Restarts are the workloads whose pods the change replaces, and how (guard.go).
	Restarts []Restart `json:"restarts"`
	// RulesFiles is how the release loads rules (falco.rules_files) and which custom files it loads (rulesfiles.go).
	RulesFiles *RulesFilesCheck `json:"rulesFiles,omitempty"`
}

// Revision is one entry of a release's history.
type Revision struct {
	Revision     int       `json:"revision"`
	Updated      time.Time `json:"updated"`
	Status       string    `json:"status"`
	ChartVersion string    `json:"chartVersion"`
	AppVersion   string    `json:"appVersion"`
	Description  string    `json:"description"`
	// User is the Grafana user who made the revision, read from the description; empty when not made from Grafana.
	User string `json:"user"`
	// Files are the customRules files this revision changed compared with the one before it.
	Files []string `json:"files"`
	// AutomaticRollback marks a revision the rollout guard wrote; its description says why.
	AutomaticRollback bool `json:"automaticRollback,omitempty"`
	// Action is what made the revision, read from its description (actionOf): deploy, rollback, recover, install...
	Action string `json:"action"`
	// Rules are the Falco rules whose items this revision's customRules changed (rules.ChangedRules); RulesUnknown is
	// set when a file of it or of the revision before could not be read, so the rules cannot be told.
	Rules        []string `json:"rules"`
	RulesUnknown bool     `json:"rulesUnknown,omitempty"`
}

// PodProblem is a pod of a DaemonSet that does not come up.
type PodProblem struct {
	Name    string `json:"name"`
	Reason  string `json:"reason"`
	Message string `json:"message"`
}

// DaemonSetRollout is the rollout state of one DaemonSet of the release.
type DaemonSetRollout struct {
	Namespace   string       `json:"namespace"`
	Name        string       `json:"name"`
	Desired     int32        `json:"desired"`
	Updated     int32        `json:"updated"`
	Ready       int32        `json:"ready"`
	Available   int32        `json:"available"`
	Done        bool         `json:"done"`
	FailingPods []PodProblem `json:"failingPods"`
	// Missing: the release renders this DaemonSet but the cluster has none.
	Missing bool `json:"missing,omitempty"`
}

// Rollout is the state of every DaemonSet the release renders.
type Rollout struct {
	Done       bool               `json:"done"`
	DaemonSets []DaemonSetRollout `json:"daemonSets"`
	// Guard is the rollout guard of the last change applied from this Grafana, if any.
	Guard *GuardStatus `json:"guard,omitempty"`
}

// Error codes; pkg/plugin maps each to an HTTP status.
const (
	CodeForbiddenRole        = "forbidden_role"
	CodeStaleRevision        = "stale_revision"
	CodeReleasePending       = "release_pending"
	CodeGitOpsManaged        = "gitops_managed"
	CodeConfirmRequired      = "confirm_required"
	CodeInvalidRules         = "invalid_rules"
	CodeKubeForbidden        = "kube_forbidden"
	CodeClusterUnreachable   = "cluster_unreachable"
	CodeChartUnavailable     = "chart_unavailable"
	CodeClusterNotConfigured = "cluster_not_configured"
	CodeReleaseNotFound      = "release_not_found"
	CodeBadRequest           = "bad_request"
	CodeHelmFailed           = "helm_failed"
	CodeServerRejected       = "server_rejected"
)

// Error is a deploy failure the user can act on: Code says which, Message says what happened and what to do.
type Error struct {
	Code    string
	Message string
	Details []any
	Err     error
}

func (e *Error) Error() string { return e.Message }
func (e *Error) Unwrap() error { return e.Err }

func errorf(code string, err error, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Err: err}
}

// CodeOf returns the code of a deploy error, or "" for any other error.
func CodeOf(err error) string {
	var de *Error
	if errors.As(err, &de) {
		return de.Code
	}
	return ""
}
