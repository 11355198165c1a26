package deploy

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"helm.sh/helm/v4/pkg/action"
	"helm.sh/helm/v4/pkg/kube"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/kubectl/pkg/polymorphichelpers"
)

// GuardSettings say whether and how the backend watches the rollout of a change it applied.
type GuardSettings struct {
	// Enabled rolls a change back when its new pods crash-loop or are not ready within Timeout.
	Enabled bool
	// Timeout is how long the new pods may take to be ready (the datasource's rollout timeout).
	Timeout time.Duration
	// Interval is how often the workloads are read; 2 s when zero.
	Interval time.Duration
}

// States of a rollout guard.
const (
	GuardWatching       = "watching"
	GuardPassed         = "passed"
	GuardRolledBack     = "rolledBack"
	GuardRollbackFailed = "rollbackFailed"
	// GuardSuperseded: another revision replaced the guarded one; the guard stops without acting.
	GuardSuperseded = "superseded"
)

// guardPrefix starts the description of a revision the guard wrote, so history can tell it apart.
const guardPrefix = "Rollout guard rolled back"

// GuardStatus is what the rollout guard of a release's last change saw and did.
type GuardStatus struct {
	Revision         int        `json:"revision"`
	PreviousRevision int        `json:"previousRevision"`
	State            string     `json:"state"`
	Reason           string     `json:"reason,omitempty"`
	RollbackRevision int        `json:"rollbackRevision,omitempty"`
	Started          time.Time  `json:"started"`
	Finished         *time.Time `json:"finished,omitempty"`
	Watched          []string   `json:"watched"`
}

// guardState holds the last guard of each release ("namespace/name").
type guardState struct {
	mu   sync.Mutex
	last map[string]*GuardStatus
	// wg lets tests wait for running guards.
	wg sync.WaitGroup
}

func (g *guardState) set(key string, st GuardStatus) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.last == nil {
		g.last = map[string]*GuardStatus{}
	}
	g.last[key] = &st
}

// Guard returns the status of the rollout guard of the release's last change from this Grafana, or nil.
func (s *Service) Guard(namespace, name string) *GuardStatus {
	s.guards.mu.Lock()
	defer s.guards.mu.Unlock()
	if st, ok := s.guards.last[namespace+"/"+name]; ok {
		c := *st
		return &c
	}
	return nil
}

// WaitGuards blocks until every running guard has finished (tests and shutdown).
func (s *Service) WaitGuards() { s.guards.wg.Wait() }

// watchedWorkload is a DaemonSet or Deployment of the release whose pods the change replaces.
type watchedWorkload struct{ Kind, Namespace, Name string }

func (w watchedWorkload) String() string { return w.Kind + " " + w.Namespace + "/" + w.Name }

// startGuard watches the rollout of revision (made from previous) on its own context, after the upgrade returned:
// Helm's HookOnlyStrategy marks the release deployed as soon as the API server accepts the objects, before any pod
// runs, so only a watch of the pods tells whether Falco still runs on every node.
func (s *Service) startGuard(namespace, name string, revision, previous int, objects []ObjectChange) {
	key := namespace + "/" + name
	// The last guard's status belongs to an older revision from here on.
	s.guards.mu.Lock()
	delete(s.guards.last, key)
	s.guards.mu.Unlock()
	if !s.GuardSettings.Enabled || previous <= 0 {
		return
	}
	var watched []watchedWorkload
	var names []string
	for _, o := range objects {
		if (o.Kind == "DaemonSet" || o.Kind == "Deployment") && o.Change != ChangeRemoved {
			w := watchedWorkload{o.Kind, o.Namespace, o.Name}
			watched = append(watched, w)
			names = append(names, w.String())
		}
	}
	if len(watched) == 0 {
		return
	}
	st := GuardStatus{Revision: revision, PreviousRevision: previous, State: GuardWatching, Started: time.Now().UTC(), Watched: names}
	s.guards.set(key, st)
	s.guards.wg.Add(1)
	go func() {
		defer s.guards.wg.Done()
		s.runGuard(namespace, name, st, watched)
	}()
}

func (s *Service) runGuard(namespace, name string, st GuardStatus, watched []watchedWorkload) {
	key := namespace + "/" + name
	timeout := s.GuardSettings.Timeout
	if timeout <= 0 {
		timeout = 5 * time.Minute
	}
	interval := s.GuardSettings.Interval
	if interval <= 0 {
		interval = 2 * time.Second
	}
	finish := func(state, reason string, rollbackRev int) {
		now := time.Now().UTC()
		st.State, st.Reason, st.RollbackRevision, st.Finished = state, reason, rollbackRev, &now
		s.guards.set(key, st)
		s.logger.Info("rollout guard finished", "release", key, "revision", st.Revision, "state", state, "reason", reason)
	}
	deadline := st.Started.Add(timeout)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), interval+30*time.Second)
		if cur, ok := s.currentRevision(namespace, name); ok && cur != st.Revision {
			cancel()
			finish(GuardSuperseded, fmt.Sprintf("revision %d replaced revision %d before its rollout finished", cur, st.Revision), 0)
			return
		}
		done, failure := true, ""
		for _, w := range watched {
			ok, why := s.workloadHealth(ctx, w, st.Started)
			if why != "" {
				failure = why
				break
			}
			done = done && ok
		}
		cancel()
		switch {
		case failure != "":
			s.guardRollback(namespace, name, st, failure, finish)
			return
		case done:
			finish(GuardPassed, "every new pod is ready", 0)
			return
		case time.Now().After(deadline):
			why := fmt.Sprintf("the new pods were not all ready within %s:", timeout)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			for _, w := range watched {
				why += " " + s.progressOf(ctx, w) + ";"
			}
			cancel()
			s.guardRollback(namespace, name, st, strings.TrimSuffix(why, ";"), finish)
			return
		}
		time.Sleep(interval)
	}
}

func (s *Service) currentRevision(namespace, name string) (int, bool) {
	_, rel, err := s.latest(namespace, name)
	if err != nil {
		return 0, false
	}
	return rel.Version, true
}

// guardRollback does what `helm rollback <release> <previous>` does, under the release's lock, unless another change
// came first; the new revision's description says why.
func (s *Service) guardRollback(namespace, name string, st GuardStatus, reason string, finish func(string, string, int)) {
	defer s.lock(namespace, name)()
	cfg, rel, err := s.latest(namespace, name)
	if err != nil {
		finish(GuardRollbackFailed, fmt.Sprintf("%s; the rollback to revision %d could not read the release: %v", reason, st.PreviousRevision, err), 0)
		return
	}
	if rel.Version != st.Revision {
		finish(GuardSuperseded, fmt.Sprintf("%s; revision %d replaced revision %d meanwhile, so nothing was rolled back", reason, rel.Version, st.Revision), 0)
		return
	}
	user := ""
	if rel.Info != nil {
		user = userOf(rel.Info.Description)
	}
	if user == "" {
		user = "unknown"
	}
	desc := truncate(fmt.Sprintf("%s revision %d (Grafana user %q) to %d: %s", guardPrefix, st.Revision, user, st.PreviousRevision, reason), action.MaxDescriptionLength)
	rb := action.NewRollback(cfg)
	rb.Version = st.PreviousRevision
	rb.Description = desc
	rb.WaitStrategy = kube.HookOnlyStrategy
	rb.Timeout = s.Timeout
	rb.MaxHistory = s.HistoryMax
	rb.ForceConflicts = true // as Apply: a release the helm CLI installed belongs to field manager "helm"
	if err := rb.Run(name); err != nil {
		finish(GuardRollbackFailed, fmt.Sprintf("%s; the rollback to revision %d failed: %v", reason, st.PreviousRevision, classify(err, "roll back "+namespace+"/"+name)), 0)
		return
	}
	after := 0
	if cur, ok := s.currentRevision(namespace, name); ok {
		after = cur
	}
	finish(GuardRolledBack, reason, after)
}

// workloadHealth says whether a workload finished its rollout, or why it never will (a new pod that is stuck).
func (s *Service) workloadHealth(ctx context.Context, w watchedWorkload, since time.Time) (bool, string) {
	var obj runtime.Object
	var selector *metav1.LabelSelector
	var template map[string]string
	switch w.Kind {
	case "DaemonSet":
		ds, err := s.clientset.AppsV1().DaemonSets(w.Namespace).Get(ctx, w.Name, metav1.GetOptions{})
		if err != nil {
			return false, "" // unreadable for now: the deadline decides
		}
		obj, selector, template = ds, ds.Spec.Selector, ds.Spec.Template.Annotations
	default:
		d, err := s.clientset.AppsV1().Deployments(w.Namespace).Get(ctx, w.Name, metav1.GetOptions{})
		if err != nil {
			return false, ""
		}
		obj, selector, template = d, d.Spec.Selector, d.Spec.Template.Annotations
	}
	if why := s.stuckNewPod(ctx, w, selector, template, since); why != "" {
		return false, why
	}
	content, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
	if err != nil {
		return false, ""
	}
	u := &unstructured.Unstructured{Object: content}
	// kubectl rollout status's judgement (k8s.io/kubectl/pkg/polymorphichelpers/rollout_status.go).
	var done bool
	if w.Kind == "DaemonSet" {
		_, done, err = (&polymorphichelpers.DaemonSetStatusViewer{}).Status(u, 0)
	} else {
		_, done, err = (&polymorphichelpers.DeploymentStatusViewer{}).Status(u, 0)
	}
	return err == nil && done, ""
}

// stuckNewPod names a pod of the new template that will not come up by itself (podProblem). A new pod carries the
// template's checksum annotations (the controller copies the pod template's metadata; the Falco chart's
// templates/pod-template.tpl sets checksum/rules, falcosidekick's checksum/config); without them, a pod created
// since the change counts as new.
func (s *Service) stuckNewPod(ctx context.Context, w watchedWorkload, selector *metav1.LabelSelector, template map[string]string, since time.Time) string {
	sel, err := metav1.LabelSelectorAsSelector(selector)
	if err != nil {
		return ""
	}
	pods, err := s.clientset.CoreV1().Pods(w.Namespace).List(ctx, metav1.ListOptions{LabelSelector: sel.String()})
	if err != nil {
		return ""
	}
	for i := range pods.Items {
		p := &pods.Items[i]
		if !isNewPod(p, template, since) {
			continue
		}
		if prob, bad := podProblem(p); bad {
			return fmt.Sprintf("%s: pod %s is %s (%s)", w, p.Name, prob.Reason, prob.Message)
		}
	}
	return ""
}

func isNewPod(p *corev1.Pod, template map[string]string, since time.Time) bool {
	checked := false
	for k, v := range template {
		if strings.HasPrefix(k, "checksum/") {
			checked = true
			if p.Annotations[k] != v {
				return false
			}
		}
	}
	// creationTimestamp has whole seconds.
	return checked || !p.CreationTimestamp.Time.Before(since.Truncate(time.Second))
}

// progressOf says how far a workload's rollout got, for the guard's reason.
func (s *Service) progressOf(ctx context.Context, w watchedWorkload) string {
	switch w.Kind {
	case "DaemonSet":
		ds, err := s.clientset.AppsV1().DaemonSets(w.Namespace).Get(ctx, w.Name, metav1.GetOptions{})
		if err != nil {
			return fmt.Sprintf("%s unreadable (%v)", w, err)
		}
		if ds.Status.ObservedGeneration < ds.Generation {
			return fmt.Sprintf("%s: the DaemonSet controller has not picked up the change", w)
		}
		return fmt.Sprintf("%s has %d of %d pods updated, %d available", w, ds.Status.UpdatedNumberScheduled, ds.Status.DesiredNumberScheduled, ds.Status.NumberAvailable)
	default:
		d, err := s.clientset.AppsV1().Deployments(w.Namespace).Get(ctx, w.Name, metav1.GetOptions{})
		if err != nil {
			return fmt.Sprintf("%s unreadable (%v)", w, err)
		}
		want := int32(1)
		if d.Spec.Replicas != nil {
			want = *d.Spec.Replicas
		}
		return fmt.Sprintf("%s has %d of %d replicas updated, %d available", w, d.Status.UpdatedReplicas, want, d.Status.AvailableReplicas)
	}
}

// Restart is a workload a change restarts, as the plan shows it.
type Restart struct {
	Kind      string `json:"kind"`
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	// Pods is how many pods restart (the DaemonSet's desired pods, the Deployment's replicas); -1 when unknown.
	Pods int32 `json:"pods"`
	// MaxUnavailable is how many restart at once (the update strategy's maxUnavailable, resolved against Pods).
	MaxUnavailable int32  `json:"maxUnavailable"`
	Strategy       string `json:"strategy"`
	Message        string `json:"message"`
}

// restarts says which pods a change restarts, read from the live workloads' update strategy and status.
func (s *Service) restarts(ctx context.Context, objects []ObjectChange) []Restart {
	out := []Restart{}
	for _, o := range objects {
		if o.Change != ChangeModified {
			continue
		}
		switch o.Kind {
		case "DaemonSet":
			out = append(out, s.daemonSetRestart(ctx, o))
		case "Deployment":
			r := Restart{Kind: o.Kind, Namespace: o.Namespace, Name: o.Name, Pods: -1, Strategy: "RollingUpdate"}
			if d, err := s.clientset.AppsV1().Deployments(o.Namespace).Get(ctx, o.Name, metav1.GetOptions{}); err == nil {
				r.Pods = 1
				if d.Spec.Replicas != nil {
					r.Pods = *d.Spec.Replicas
				}
				r.Strategy = string(d.Spec.Strategy.Type)
			}
			r.Message = fmt.Sprintf("Deployment %s/%s restarts its %s", o.Namespace, o.Name, podCount(r.Pods))
			out = append(out, r)
		}
	}
	return out
}

func (s *Service) daemonSetRestart(ctx context.Context, o ObjectChange) Restart {
	r := Restart{Kind: o.Kind, Namespace: o.Namespace, Name: o.Name, Pods: -1, MaxUnavailable: 1, Strategy: string(appsv1.RollingUpdateDaemonSetStrategyType)}
	ds, err := s.clientset.AppsV1().DaemonSets(o.Namespace).Get(ctx, o.Name, metav1.GetOptions{})
	if err == nil {
		r.Pods = ds.Status.DesiredNumberScheduled
		r.Strategy = string(ds.Spec.UpdateStrategy.Type)
		if ru := ds.Spec.UpdateStrategy.RollingUpdate; ru != nil && ru.MaxUnavailable != nil {
			// As the DaemonSet controller resolves it: a percentage of the desired pods, rounded up
			// (pkg/controller/daemon/util/daemonset_util.go, UnavailableCount).
			if n, err := intstr.GetScaledValueFromIntOrPercent(ru.MaxUnavailable, int(max(r.Pods, 0)), true); err == nil && n > 0 {
				r.MaxUnavailable = int32(n) // #nosec G115 -- bounded by the pod count, an int32
			}
		}
	}
	// The chart's pod template carries checksum/rules (templates/pod-template.tpl), so every rules change replaces
	// every Falco pod; a node's events go unseen from the old pod's stop until the new pod has loaded its rules.
	unwatched := "each node is unwatched while its Falco pod restarts"
	switch r.Strategy {
	case string(appsv1.OnDeleteDaemonSetStrategyType):
		r.Message = fmt.Sprintf("DaemonSet %s/%s uses updateStrategy OnDelete: its %s keep the old rules until each is deleted by hand; %s", o.Namespace, o.Name, podCount(r.Pods), unwatched)
	default:
		at := fmt.Sprintf("%d node(s) at a time", r.MaxUnavailable)
		if r.MaxUnavailable == 1 {
			at = "one node at a time"
		}
		r.Message = fmt.Sprintf("Falco restarts on %s of DaemonSet %s/%s, %s (updateStrategy RollingUpdate, maxUnavailable %d); %s", nodeCount(r.Pods), o.Namespace, o.Name, at, r.MaxUnavailable, unwatched)
	}
	return r
}

func podCount(n int32) string {
	if n < 0 {
		return "pods (the live object cannot be read)"
	}
	return fmt.Sprintf("%d pod(s)", n)
}

func nodeCount(n int32) string {
	if n < 0 {
		return "every node (how many cannot be read)"
	}
	return fmt.Sprintf("all %d node(s)", n)
}
