package plugin

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/containersec/container-security/pkg/deploy"
)

// Cluster access kinds of the deploy settings.
const (
	KubeAccessInCluster  = "inCluster"
	KubeAccessKubeconfig = "kubeconfig"
)

const (
	defaultFalcoNamespace     = "falco"
	defaultChartRepositoryURL = "https://falcosecurity.github.io/charts"
	defaultRolloutTimeout     = 300
	maxRolloutTimeout         = 3600
	maxRequestTimeout         = 600
	maxHistoryMax             = 1000
)

// DeploySettings say how the datasource reaches the cluster and the Falco chart (deploy-api.md, "Datasource settings").
type DeploySettings struct {
	KubeAccess            string `json:"kubeAccess"`
	KubeContext           string `json:"kubeContext"`
	FalcoNamespace        string `json:"falcoNamespace"`
	ChartSource           string `json:"chartSource"`
	ChartRepositoryURL    string `json:"chartRepositoryUrl"`
	ChartOCIRef           string `json:"chartOciRef"`
	ChartRepositoryUser   string `json:"chartRepositoryUser"`
	RolloutTimeoutSeconds int    `json:"rolloutTimeoutSeconds"`
	// EditorsCanPlan lets Editors preview deployments (plans render objects with the datasource's credentials); Admin only by default.
	EditorsCanPlan bool `json:"editorsCanPlan"`
	// KubeRequestTimeoutSeconds bounds each request to the API server; ChartDownloadTimeoutSeconds each chart download request.
	KubeRequestTimeoutSeconds   int `json:"kubeRequestTimeoutSeconds"`
	ChartDownloadTimeoutSeconds int `json:"chartDownloadTimeoutSeconds"`
	// HistoryMax is how many revisions Helm keeps per release (helm --history-max; 0 keeps all).
	HistoryMax int `json:"historyMax"`
	// RolloutGuard rolls a change back when its new pods crash-loop or are not ready within RolloutTimeoutSeconds.
	RolloutGuard bool `json:"rolloutGuard"`
	// Kubeconfig and ChartRepositoryPassword live in secureJsonData only and are never sent to the browser.
	Kubeconfig              string `json:"-"`
	ChartRepositoryPassword string `json:"-"`
	// Problems name every invalid deploy setting; deploy endpoints refuse to run while there are any.
	Problems []string `json:"-"`
}

// deployJSON mirrors the deploy part of jsonData; pointers tell "not set" from empty.
type deployJSON struct {
	KubeAccess            string  `json:"kubeAccess"`
	KubeContext           string  `json:"kubeContext"`
	FalcoNamespace        *string `json:"falcoNamespace"`
	ChartSource           string  `json:"chartSource"`
	ChartRepositoryURL    *string `json:"chartRepositoryUrl"`
	ChartOCIRef           string  `json:"chartOciRef"`
	ChartRepositoryUser   string  `json:"chartRepositoryUser"`
	RolloutTimeoutSeconds *int    `json:"rolloutTimeoutSeconds"`
	EditorsCanPlan        bool    `json:"editorsCanPlan"`
	KubeRequestTimeout    *int    `json:"kubeRequestTimeoutSeconds"`
	ChartDownloadTimeout  *int    `json:"chartDownloadTimeoutSeconds"`
	HistoryMax            *int    `json:"historyMax"`
	RolloutGuard          *bool   `json:"rolloutGuard"`
}

func parseDeploySettings(raw deployJSON, secure map[string]string) DeploySettings {
	out := DeploySettings{
		KubeAccess:                  strings.TrimSpace(raw.KubeAccess),
		KubeContext:                 strings.TrimSpace(raw.KubeContext),
		FalcoNamespace:              defaultFalcoNamespace,
		ChartSource:                 strings.TrimSpace(raw.ChartSource),
		ChartRepositoryURL:          defaultChartRepositoryURL,
		ChartOCIRef:                 strings.TrimSpace(raw.ChartOCIRef),
		ChartRepositoryUser:         strings.TrimSpace(raw.ChartRepositoryUser),
		RolloutTimeoutSeconds:       defaultRolloutTimeout,
		EditorsCanPlan:              raw.EditorsCanPlan,
		KubeRequestTimeoutSeconds:   int(deploy.DefaultAPITimeout.Seconds()),
		ChartDownloadTimeoutSeconds: int(deploy.DefaultChartTimeout.Seconds()),
		HistoryMax:                  deploy.DefaultHistoryMax,
		RolloutGuard:                true,
		Kubeconfig:                  secure["kubeconfig"],
		ChartRepositoryPassword:     secure["chartRepositoryPassword"],
	}
	if out.KubeAccess == "" {
		out.KubeAccess = KubeAccessInCluster
	}
	if out.ChartSource == "" {
		out.ChartSource = deploy.ChartSourceRepository
	}
	if raw.FalcoNamespace != nil {
		out.FalcoNamespace = strings.TrimSpace(*raw.FalcoNamespace)
	}
	if raw.ChartRepositoryURL != nil && strings.TrimSpace(*raw.ChartRepositoryURL) != "" {
		out.ChartRepositoryURL = strings.TrimSpace(*raw.ChartRepositoryURL)
	}
	if raw.RolloutTimeoutSeconds != nil {
		out.RolloutTimeoutSeconds = *raw.RolloutTimeoutSeconds
	}
	if raw.KubeRequestTimeout != nil {
		out.KubeRequestTimeoutSeconds = *raw.KubeRequestTimeout
	}
	if raw.ChartDownloadTimeout != nil {
		out.ChartDownloadTimeoutSeconds = *raw.ChartDownloadTimeout
	}
	if raw.HistoryMax != nil {
		out.HistoryMax = *raw.HistoryMax
	}
	if raw.RolloutGuard != nil {
		out.RolloutGuard = *raw.RolloutGuard
	}

	p := &out.Problems
	switch out.KubeAccess {
	case KubeAccessInCluster:
	case KubeAccessKubeconfig:
		if out.Kubeconfig == "" {
			*p = append(*p, "cluster access is \"kubeconfig\" but no kubeconfig is saved in the secure settings")
		}
	default:
		*p = append(*p, fmt.Sprintf("cluster access %q is not supported: choose %q or %q", raw.KubeAccess, KubeAccessInCluster, KubeAccessKubeconfig))
	}
	if out.FalcoNamespace != "" && (len(out.FalcoNamespace) > 63 || !isDNSLabel(out.FalcoNamespace)) {
		*p = append(*p, fmt.Sprintf("Falco namespace %q is not a valid namespace name", out.FalcoNamespace))
	}
	switch out.ChartSource {
	case deploy.ChartSourceRepository:
		if msg := checkChartRepositoryURL(out.ChartRepositoryURL); msg != "" {
			*p = append(*p, msg)
		}
	case deploy.ChartSourceOCI:
		if !strings.HasPrefix(out.ChartOCIRef, "oci://") || len(out.ChartOCIRef) <= len("oci://") {
			*p = append(*p, fmt.Sprintf("OCI chart reference %q must look like oci://ghcr.io/falcosecurity/charts/falco", out.ChartOCIRef))
		}
	case deploy.ChartSourceNone:
	default:
		*p = append(*p, fmt.Sprintf("chart source %q is not supported: choose %q, %q or %q", raw.ChartSource, deploy.ChartSourceRepository, deploy.ChartSourceOCI, deploy.ChartSourceNone))
	}
	if out.RolloutTimeoutSeconds < 10 || out.RolloutTimeoutSeconds > maxRolloutTimeout {
		*p = append(*p, fmt.Sprintf("rollout timeout must be between 10 and %d seconds, got %d", maxRolloutTimeout, out.RolloutTimeoutSeconds))
	}
	if out.KubeRequestTimeoutSeconds < 1 || out.KubeRequestTimeoutSeconds > maxRequestTimeout {
		*p = append(*p, fmt.Sprintf("Kubernetes request timeout must be between 1 and %d seconds, got %d", maxRequestTimeout, out.KubeRequestTimeoutSeconds))
	}
	if out.ChartDownloadTimeoutSeconds < 1 || out.ChartDownloadTimeoutSeconds > maxRequestTimeout {
		*p = append(*p, fmt.Sprintf("chart download timeout must be between 1 and %d seconds, got %d", maxRequestTimeout, out.ChartDownloadTimeoutSeconds))
	}
	if out.HistoryMax < 0 || out.HistoryMax > maxHistoryMax {
		*p = append(*p, fmt.Sprintf("revisions to keep must be between 0 (keep all) and %d, got %d", maxHistoryMax, out.HistoryMax))
	}
	return out
}

func isDNSLabel(s string) bool {
	for i, c := range s {
		ok := c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' && i > 0 && i < len(s)-1
		if !ok {
			return false
		}
	}
	return s != ""
}

func checkChartRepositoryURL(raw string) string {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return fmt.Sprintf("chart repository URL %q is not a valid URL", withoutPassword(raw))
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Sprintf("chart repository URL %q must start with https:// (or http://)", withoutPassword(raw))
	case u.Host == "":
		return fmt.Sprintf("chart repository URL %q has no host", withoutPassword(raw))
	case u.User != nil:
		return fmt.Sprintf("chart repository URL %q must not contain credentials: use the repository user and password settings", withoutPassword(raw))
	}
	return ""
}

// chartSource is the deploy package's view of the chart settings.
func (s DeploySettings) chartSource() deploy.ChartSource {
	return deploy.ChartSource{Kind: s.ChartSource, RepositoryURL: s.ChartRepositoryURL, OCIRef: s.ChartOCIRef,
		Username: s.ChartRepositoryUser, Password: s.ChartRepositoryPassword, Timeout: time.Duration(s.ChartDownloadTimeoutSeconds) * time.Second}
}
