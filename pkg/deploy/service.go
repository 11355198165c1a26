package deploy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"

	"helm.sh/helm/v4/pkg/action"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	rcommon "helm.sh/helm/v4/pkg/release/common"
	release "helm.sh/helm/v4/pkg/release/v1"
	"helm.sh/helm/v4/pkg/storage/driver"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/metadata"
	"k8s.io/client-go/rest"
)

// ActionConfigFunc gives the Helm action configuration for one namespace ("" = every namespace the credentials can
// list). Production code uses Helm's Secret storage driver; tests pass Helm's in-memory driver and fake kube client.
type ActionConfigFunc func(namespace string) (*action.Configuration, error)

// Service deploys custom rules into Falco releases with one set of cluster credentials.
type Service struct {
	actionConfig ActionConfigFunc
	clientset    kubernetes.Interface
	// metadata reads any object's labels and annotations (GitOps signals); nil on a fake clientset.
	metadata metadata.Interface
	charts   ChartLoader
	// DefaultNamespace is where releases are listed ("" = all namespaces the credentials can list).
	DefaultNamespace string
	// Timeout bounds one apply, rollback or recover from start to end.
	Timeout time.Duration
	// APITimeout bounds each request to the API server (rest.Config.Timeout); apiHost names it in messages.
	APITimeout time.Duration
	apiHost    string
	// HistoryMax is how many revisions Helm keeps (--history-max; 0 keeps all); older ones are pruned on each change.
	HistoryMax int
	// GuardSettings say whether an applied change's rollout is watched and rolled back when it fails (guard.go).
	GuardSettings GuardSettings
	guards        guardState
	logger        *slog.Logger

	// locks serialises changes to one release from this Grafana (across processes Helm's storage decides: pinRevision).
	locks sync.Map
	ops   operations
	// Finished, when set, hears every apply, rollback and recover when it ends (the plugin's audit log).
	Finished func(Operation)
	// reviewAccess asks the API server whether the credentials may do something (SelfSubjectAccessReview); nil only
	// in tests on Helm's in-memory storage, which have no authorizer.
	reviewAccess accessReviewer
}

// Config is everything a Service needs to reach one cluster.
type Config struct {
	REST             *rest.Config
	DefaultNamespace string
	Charts           ChartSource
	Logger           *slog.Logger
	// APITimeout bounds every request to the API server (default DefaultAPITimeout).
	APITimeout time.Duration
	// HistoryMax is the revisions Helm keeps (0 keeps all, as helm --history-max 0).
	HistoryMax int
	Guard      GuardSettings
}

// DefaultHistoryMax is what the helm CLI keeps by default (helm upgrade --history-max 10).
const DefaultHistoryMax = 10

// New builds a Service on real cluster credentials: Helm's Secret storage driver (what the helm CLI uses) and
// Helm's kube client.
func New(c Config) (*Service, error) {
	if c.REST == nil {
		return nil, errorf(CodeClusterNotConfigured, errNoCluster, "no Kubernetes cluster is configured for this datasource")
	}
	logger := c.Logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	rc := rest.CopyConfig(c.REST)
	if rc.QPS == 0 && rc.Burst == 0 {
		// client-go's defaults (rest.DefaultQPS 5, DefaultBurst 10) throttle a plan, which reads and dry-runs every
		// object of the release, by seconds ("client-side throttling" waits); one user's plan stays far below this.
		rc.QPS, rc.Burst = 50, 100
	}
	if c.APITimeout <= 0 {
		c.APITimeout = DefaultAPITimeout
	}
	// Every client built from rc (Helm's kube client and Secret driver, discovery, the clientset) inherits this bound:
	// Helm's Secret driver calls the API server with context.Background() (pkg/storage/driver/secrets.go).
	rc.Timeout = c.APITimeout
	cs, err := kubernetes.NewForConfig(rc)
	if err != nil {
		return nil, errorf(CodeClusterNotConfigured, err, "the Kubernetes client cannot be built: %v", err)
	}
	md, err := metadata.NewForConfig(rc)
	if err != nil {
		return nil, errorf(CodeClusterNotConfigured, err, "the Kubernetes client cannot be built: %v", err)
	}
	getters := &restGetters{}
	s := &Service{
		actionConfig: func(namespace string) (*action.Configuration, error) {
			cfg := action.NewConfiguration(action.ConfigurationSetLogger(logger.Handler()))
			if err := cfg.Init(getters.get(rc, namespace), namespace, "secret"); err != nil {
				return nil, err
			}
			return cfg, nil
		},
		clientset:        cs,
		metadata:         md,
		charts:           NewChartLoader(c.Charts),
		DefaultNamespace: c.DefaultNamespace,
		Timeout:          5 * time.Minute,
		APITimeout:       c.APITimeout,
		apiHost:          rc.Host,
		HistoryMax:       c.HistoryMax,
		GuardSettings:    c.Guard,
		logger:           logger,
		reviewAccess:     selfSubjectAccessReview(cs),
	}
	return s, nil
}

// NewWith builds a Service from parts: tests use Helm's memory driver, a fake kube client and a fake clientset.
func NewWith(actionConfig ActionConfigFunc, clientset kubernetes.Interface, charts ChartLoader) *Service {
	return &Service{actionConfig: actionConfig, clientset: clientset, charts: charts, Timeout: 5 * time.Minute, HistoryMax: DefaultHistoryMax,
		logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

// lock serialises a change that waits its turn (the rollout guard's rollback) with apply, rollback and recover (run).
func (s *Service) lock(namespace, name string) func() {
	m, _ := s.locks.LoadOrStore(namespace+"/"+name, &sync.Mutex{})
	mu := m.(*sync.Mutex)
	mu.Lock()
	return mu.Unlock
}

// Releases lists the Falco releases (chart name falco, latest revision of each) in the default namespace.
func (s *Service) Releases(ctx context.Context) ([]Release, error) {
	out, err := s.releases(ctx)
	return out, s.bounded(err)
}

func (s *Service) releases(ctx context.Context) ([]Release, error) {
	cfg, err := s.actionConfig(s.DefaultNamespace)
	if err != nil {
		return nil, classify(err, "list Helm releases")
	}
	list := action.NewList(cfg)
	list.AllNamespaces = s.DefaultNamespace == ""
	list.StateMask = action.ListAll
	found, err := list.Run()
	if err != nil {
		return nil, classify(err, "list Helm releases")
	}
	out := []Release{}
	for _, ri := range found {
		rel, err := toV1(ri)
		if err != nil || rel.Chart == nil || rel.Chart.Metadata == nil || rel.Chart.Metadata.Name != ChartName {
			continue
		}
		out = append(out, s.summary(ctx, rel))
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Namespace != out[j].Namespace {
			return out[i].Namespace < out[j].Namespace
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}

// Release reads the latest revision of one Falco release and its customRules files.
func (s *Service) Release(ctx context.Context, namespace, name string) (Release, []File, error) {
	_, rel, err := s.latest(namespace, name)
	if err != nil {
		return Release{}, nil, s.bounded(err)
	}
	files, err := customRules(rel.Config)
	if err != nil {
		return Release{}, nil, err
	}
	return s.summary(ctx, rel), files, nil
}

// latest loads the action configuration for the release's namespace and the release's latest revision.
func (s *Service) latest(namespace, name string) (*action.Configuration, *release.Release, error) {
	if err := checkReleaseRef(namespace, name); err != nil {
		return nil, nil, err
	}
	cfg, err := s.actionConfig(namespace)
	if err != nil {
		return nil, nil, classify(err, "read Helm releases")
	}
	ri, err := cfg.Releases.Last(name)
	if err != nil {
		if errors.Is(err, driver.ErrReleaseNotFound) {
			return nil, nil, errorf(CodeReleaseNotFound, err, "no Helm release %q in namespace %q", name, namespace)
		}
		return nil, nil, classify(err, "read Helm release "+namespace+"/"+name)
	}
	rel, err := toV1(ri)
	if err != nil {
		return nil, nil, err
	}
	if rel.Chart == nil || rel.Chart.Metadata == nil || rel.Chart.Metadata.Name != ChartName {
		chartName := "unknown"
		if rel.Chart != nil && rel.Chart.Metadata != nil {
			chartName = rel.Chart.Metadata.Name
		}
		return nil, nil, errorf(CodeReleaseNotFound, nil, "Helm release %s/%s is of chart %q, not %q", namespace, name, chartName, ChartName)
	}
	return cfg, rel, nil
}

func checkReleaseRef(namespace, name string) error {
	if namespace == "" || name == "" {
		return errorf(CodeBadRequest, nil, "name the release: namespace and name are both required")
	}
	if len(namespace) > 63 || len(name) > 53 || !dnsLabel.MatchString(namespace) || !dnsLabel.MatchString(name) {
		return errorf(CodeBadRequest, nil, "%q/%q is not a valid namespace and Helm release name", namespace, name)
	}
	return nil
}

func toV1(ri any) (*release.Release, error) {
	switch r := ri.(type) {
	case *release.Release:
		return r, nil
	case release.Release:
		return &r, nil
	}
	return nil, fmt.Errorf("unsupported Helm release type %T", ri)
}

func (s *Service) summary(ctx context.Context, rel *release.Release) Release {
	out := Release{
		Namespace: rel.Namespace,
		Name:      rel.Name,
		Revision:  rel.Version,
		ManagedBy: s.managedBy(ctx, rel),
	}
	if rel.Info != nil {
		out.Status = rel.Info.Status.String()
		out.Updated = rel.Info.LastDeployed.UTC()
		out.Description = scrubString(rel.Info.Description)
	}
	if rel.Chart != nil && rel.Chart.Metadata != nil {
		out.Chart = rel.Chart.Metadata.Name
		out.ChartVersion = rel.Chart.Metadata.Version
		out.AppVersion = rel.Chart.Metadata.AppVersion
	}
	return out
}

// preflight refuses a change Helm would refuse or that would not stick: stale revision, pending release, GitOps.
// The revision is checked first, so a writer that lost a race to another replica hears which revision won.
func (s *Service) preflight(ctx context.Context, cfg *action.Configuration, rel *release.Release, baseRevision int, recovering bool) error {
	if baseRevision <= 0 {
		return errorf(CodeBadRequest, nil, "baseRevision is required: send the revision the plan was made on")
	}
	if baseRevision != rel.Version {
		who := ""
		if rel.Info != nil {
			who = fmt.Sprintf(" (revision %d, %s at %s: %q)", rel.Version, rel.Info.Status, rel.Info.LastDeployed.UTC().Format(time.RFC3339), scrubString(rel.Info.Description))
			if u := userOf(rel.Info.Description); u != "" {
				who = fmt.Sprintf(" (revision %d by Grafana user %s, %s at %s: %q)", rel.Version, u, rel.Info.Status, rel.Info.LastDeployed.UTC().Format(time.RFC3339), rel.Info.Description)
			}
		}
		return errorf(CodeStaleRevision, nil, "release %s/%s changed since the plan: the plan was made on revision %d, the release is now at revision %d%s. Plan again",
			rel.Namespace, rel.Name, baseRevision, rel.Version, who)
	}
	pending := rel.Info != nil && rel.Info.Status.IsPending()
	if pending && !recovering {
		// Helm's upgrade refuses a release whose last revision is pending-* (pkg/action/upgrade.go prepareUpgrade,
		// errPending "another operation (install/upgrade/rollback) is in progress"): an interrupted helm run leaves it.
		return errorf(CodeReleasePending, nil,
			"release %s/%s is %s at revision %d: another Helm operation is in progress. Wait for it to finish; if nothing is running any more (an interrupted helm command), an Admin can recover it with the datasource's deploy/recover (preview: deploy/plan with recover), which does what `helm rollback %s %d -n %s` does, and try again",
			rel.Namespace, rel.Name, rel.Info.Status, rel.Version, rel.Name, lastGood(cfg, rel), rel.Namespace)
	}
	if recovering && !pending {
		return errorf(CodeBadRequest, nil, "release %s/%s is %s at revision %d, not pending: there is nothing to recover", rel.Namespace, rel.Name, rel.Info.Status, rel.Version)
	}
	if mb := s.managedBy(ctx, rel); mb.Kind != ManagedByHelm {
		tool := map[string]string{ManagedByFlux: "Flux", ManagedByArgoCD: "Argo CD"}[mb.Kind]
		return &Error{Code: CodeGitOpsManaged, Message: fmt.Sprintf(
			"release %s/%s is managed by %s (%s), which would revert a change made from Grafana: export the rules and commit them to the %s source instead",
			rel.Namespace, rel.Name, tool, mb.Detail, tool), Details: []any{mb}}
	}
	return nil
}

// lastGood is the newest deployed or superseded revision before rel, the usual target of a manual recovery.
func lastGood(cfg *action.Configuration, rel *release.Release) int {
	hist, err := cfg.Releases.History(rel.Name)
	if err != nil {
		return rel.Version - 1
	}
	best := 0
	for _, ri := range hist {
		r, err := toV1(ri)
		if err != nil || r.Version >= rel.Version || r.Info == nil {
			continue
		}
		if (r.Info.Status == rcommon.StatusDeployed || r.Info.Status == rcommon.StatusSuperseded) && r.Version > best {
			best = r.Version
		}
	}
	if best == 0 {
		return rel.Version - 1
	}
	return best
}

// History lists a release's revisions, newest first, with the Grafana user and the customRules files each changed.
func (s *Service) History(ctx context.Context, namespace, name string) ([]Revision, error) {
	cfg, _, err := s.latest(namespace, name)
	if err != nil {
		return nil, s.bounded(err)
	}
	revs, err := history(cfg, name)
	if err != nil {
		return nil, classify(err, "read the history of "+namespace+"/"+name)
	}
	out := make([]Revision, 0, len(revs))
	for i, r := range revs {
		rev := Revision{Revision: r.Version, User: ""}
		if r.Info != nil {
			rev.Updated = r.Info.LastDeployed.UTC()
			rev.Status = r.Info.Status.String()
			rev.Description = scrubString(r.Info.Description)
			rev.User = userOf(r.Info.Description)
			rev.AutomaticRollback = strings.HasPrefix(r.Info.Description, guardPrefix)
		}
		if r.Chart != nil && r.Chart.Metadata != nil {
			rev.ChartVersion = r.Chart.Metadata.Version
			rev.AppVersion = r.Chart.Metadata.AppVersion
		}
		var prev map[string]any
		if i > 0 {
			prev = revs[i-1].Config
		}
		changes, err := diffRules(prev, r.Config)
		if err == nil {
			rev.Files = changedNames(changes)
		}
		rev.Action = actionOf(rev.Description)
		rev.Rules, rev.RulesUnknown = changedRules(prev, r.Config)
		out = append(out, rev)
	}
	// Newest first, as the browser lists them.
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

// history returns every stored revision, oldest first.
func history(cfg *action.Configuration, name string) ([]*release.Release, error) {
	h := action.NewHistory(cfg)
	h.Max = 256
	ris, err := h.Run(name)
	if err != nil {
		return nil, err
	}
	revs := make([]*release.Release, 0, len(ris))
	for _, ri := range ris {
		r, err := toV1(ri)
		if err != nil {
			return nil, err
		}
		revs = append(revs, r)
	}
	sort.Slice(revs, func(i, j int) bool { return revs[i].Version < revs[j].Version })
	return revs, nil
}

// HistoryDiff is the customRules diff between two revisions of a release.
func (s *Service) HistoryDiff(ctx context.Context, namespace, name string, from, to int) ([]FileChange, error) {
	cfg, _, err := s.latest(namespace, name)
	if err != nil {
		return nil, s.bounded(err)
	}
	get := func(v int) (*release.Release, error) {
		ri, err := cfg.Releases.Get(name, v)
		if err != nil {
			if errors.Is(err, driver.ErrReleaseNotFound) {
				return nil, errorf(CodeReleaseNotFound, err, "release %s/%s has no revision %d (Helm keeps --history-max revisions)", namespace, name, v)
			}
			return nil, classify(err, "read a revision of "+namespace+"/"+name)
		}
		return toV1(ri)
	}
	a, err := get(from)
	if err != nil {
		return nil, err
	}
	b, err := get(to)
	if err != nil {
		return nil, err
	}
	return diffRules(a.Config, b.Config)
}

func changedNames(changes []FileChange) []string {
	names := []string{}
	for _, c := range changes {
		if c.Change != ChangeUnchanged {
			names = append(names, c.Name)
		}
	}
	return names
}

// describe is the release description of a Grafana change: helm history shows who deployed what.
// Helm's rollback refuses descriptions over action.MaxDescriptionLength (256) characters, so long file lists are cut.
func describe(user, what string, files []string) string {
	if user == "" {
		user = "unknown"
	}
	head := fmt.Sprintf("Grafana user %q %s", user, what)
	if len(files) == 0 {
		return truncate(head+": no customRules file changed", action.MaxDescriptionLength)
	}
	desc := head + ": " + strings.Join(files, ", ")
	for n := len(files); len([]rune(desc)) > action.MaxDescriptionLength && n > 0; n-- {
		desc = fmt.Sprintf("%s: %s (+%d more)", head, strings.Join(files[:n-1], ", "), len(files)-n+1)
	}
	return truncate(desc, action.MaxDescriptionLength)
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// userOf reads the Grafana user back from a description written by describe.
func userOf(desc string) string {
	m := describedBy.FindStringSubmatch(desc)
	if m == nil {
		return ""
	}
	var u string
	if _, err := fmt.Sscanf(m[1], "%q", &u); err != nil {
		return ""
	}
	return u
}

// chartOf names the chart and version of a release for messages.
func chartOf(c *chart.Chart) string {
	if c == nil || c.Metadata == nil {
		return "unknown chart"
	}
	return c.Metadata.Name + " " + c.Metadata.Version
}
