package deploy

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	release "helm.sh/helm/v4/pkg/release/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// Labels and annotations that say a GitOps tool owns the release's objects.
const (
	// Flux's helm-controller post-renders every object with "<group>/name" and "<group>/namespace" labels of its
	// HelmRelease, group helm.toolkit.fluxcd.io (fluxcd/helm-controller internal/postrender/origin_labels.go,
	// originLabels), so they are in the manifest Helm stores and on the live objects.
	fluxNameLabel      = "helm.toolkit.fluxcd.io/name"
	fluxNamespaceLabel = "helm.toolkit.fluxcd.io/namespace"
	// Argo CD's annotation tracking (the default since Argo CD 3.0) marks objects "<app>:<group>/<kind>:<ns>/<name>"
	// (argoproj/argo-cd common/common.go, AnnotationKeyAppInstance).
	argoTrackingAnnotation = "argocd.argoproj.io/tracking-id"
	// Argo CD's label tracking writes the Application's name into its instance label: LabelKeyAppInstance,
	// app.kubernetes.io/instance by default (common/common.go), or the application.instanceLabelKey of argocd-cm,
	// for which Argo CD's FAQ recommends argocd.argoproj.io/instance.
	argoInstanceLabel        = "argocd.argoproj.io/instance"
	argoDefaultInstanceLabel = "app.kubernetes.io/instance"
	// LabelKeyLegacyApplicationName (Argo CD 0.10 and earlier).
	argoLegacyAppLabel = "applications.argoproj.io/app-name"
)

// liveLookups bounds the concurrent metadata reads of one release's objects.
const liveLookups = 8

// managedBy tells plain Helm from Flux and Argo CD by every signal they leave: on the objects of the stored manifest
// and on the live objects of the release (a GitOps tool may label only what it applies).
func (s *Service) managedBy(ctx context.Context, rel *release.Release) ManagedBy {
	memo, _ := ctx.Value(managerMemoKey{}).(*managerMemo)
	key := fmt.Sprintf("%s/%s/%d", rel.Namespace, rel.Name, rel.Version)
	if memo != nil {
		memo.mu.Lock()
		mb, ok := memo.m[key]
		memo.mu.Unlock()
		if ok {
			return mb
		}
	}
	mb := s.detectManager(ctx, rel)
	if memo != nil {
		memo.mu.Lock()
		memo.m[key] = mb
		memo.mu.Unlock()
	}
	return mb
}

type managerMemoKey struct{}

// managerMemo keeps what managedBy found for the length of one request: a plan asks twice (preflight and summary),
// and each answer reads every object of the release.
type managerMemo struct {
	mu sync.Mutex
	m  map[string]ManagedBy
}

func withManagerMemo(ctx context.Context) context.Context {
	if ctx.Value(managerMemoKey{}) != nil {
		return ctx
	}
	return context.WithValue(ctx, managerMemoKey{}, &managerMemo{m: map[string]ManagedBy{}})
}

func (s *Service) detectManager(ctx context.Context, rel *release.Release) ManagedBy {
	objs := parseManifest(rel.Manifest, rel.Namespace)
	keys := make([]string, 0, len(objs))
	for k := range objs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		o := objs[k]
		meta, _ := o.Obj["metadata"].(map[string]any)
		if mb, ok := gitOpsSignal(stringMap(meta["labels"]), stringMap(meta["annotations"]), "", "in the stored manifest"); ok {
			return mb
		}
	}
	if mb, ok := s.liveGitOps(ctx, objs, keys); ok {
		return mb
	}
	return ManagedBy{Kind: ManagedByHelm, Detail: "Helm release " + rel.Namespace + "/" + rel.Name}
}

// gitOpsSignal reads one object's labels and annotations. renderedInstance is the app.kubernetes.io/instance the
// chart rendered: Helm charts set that label to the release name themselves, so only a live value that differs from
// the rendered one is Argo CD's label tracking.
func gitOpsSignal(labels, annotations map[string]string, renderedInstance, where string) (ManagedBy, bool) {
	if name := labels[fluxNameLabel]; name != "" {
		return ManagedBy{Kind: ManagedByFlux, Detail: fmt.Sprintf("HelmRelease %s/%s", labels[fluxNamespaceLabel], name)}, true
	}
	if id := annotations[argoTrackingAnnotation]; id != "" {
		app := id
		if i := strings.Index(id, ":"); i > 0 {
			app = id[:i]
		}
		return ManagedBy{Kind: ManagedByArgoCD, Detail: "Application " + app}, true
	}
	for _, l := range []string{argoInstanceLabel, argoLegacyAppLabel} {
		if app := labels[l]; app != "" {
			return ManagedBy{Kind: ManagedByArgoCD, Detail: fmt.Sprintf("Application %s (label %s)", app, l)}, true
		}
	}
	if where != "in the stored manifest" {
		if app, ok := labels[argoDefaultInstanceLabel]; ok && app != renderedInstance {
			return ManagedBy{Kind: ManagedByArgoCD, Detail: fmt.Sprintf("Application %s (label %s=%s on the live object, rendered %q)", app, argoDefaultInstanceLabel, app, renderedInstance)}, true
		}
	}
	return ManagedBy{}, false
}

// liveGitOps reads the metadata of every object of the release from the API server (at most liveLookups at once)
// and returns the first GitOps signal in manifest order. Unreadable objects are skipped: the plan's dry run and
// the permission checks report what the credentials cannot read.
func (s *Service) liveGitOps(ctx context.Context, objs map[string]manifestObject, keys []string) (ManagedBy, bool) {
	found := make([]*ManagedBy, len(keys))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sem := make(chan struct{}, liveLookups)
	var wg sync.WaitGroup
	for i, k := range keys {
		o := objs[k]
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			labels, annotations, ok := s.liveMetadata(ctx, o)
			if !ok {
				return
			}
			meta, _ := o.Obj["metadata"].(map[string]any)
			rendered := stringMap(meta["labels"])[argoDefaultInstanceLabel]
			if mb, ok := gitOpsSignal(labels, annotations, rendered, "live"); ok {
				mb.Detail += fmt.Sprintf(", seen on live %s %s", o.Kind, o.Name)
				found[i] = &mb
			}
		}()
	}
	wg.Wait()
	for _, mb := range found {
		if mb != nil {
			return *mb, true
		}
	}
	return ManagedBy{}, false
}

// liveMetadata reads one object's labels and annotations: through the metadata API when the service has one,
// else (tests on a fake clientset) the DaemonSet through the typed client.
func (s *Service) liveMetadata(ctx context.Context, o manifestObject) (map[string]string, map[string]string, bool) {
	if s.metadata == nil {
		if o.Kind != "DaemonSet" || s.clientset == nil {
			return nil, nil, false
		}
		ds, err := s.clientset.AppsV1().DaemonSets(o.Namespace).Get(ctx, o.Name, metav1.GetOptions{})
		if err != nil {
			return nil, nil, false
		}
		return ds.Labels, ds.Annotations, true
	}
	apiVersion, _ := o.Obj["apiVersion"].(string)
	gv, err := schema.ParseGroupVersion(apiVersion)
	if err != nil || o.Name == "" {
		return nil, nil, false
	}
	// The plural of every kind the Falco chart renders follows the regular rule this guess implements.
	gvr, _ := meta.UnsafeGuessKindToResource(gv.WithKind(o.Kind))
	var m *metav1.PartialObjectMetadata
	if clusterScoped[o.Kind] {
		m, err = s.metadata.Resource(gvr).Get(ctx, o.Name, metav1.GetOptions{})
	} else {
		m, err = s.metadata.Resource(gvr).Namespace(o.Namespace).Get(ctx, o.Name, metav1.GetOptions{})
	}
	if err != nil {
		return nil, nil, false
	}
	return m.Labels, m.Annotations, true
}

func stringMap(v any) map[string]string {
	m, _ := v.(map[string]any)
	out := make(map[string]string, len(m))
	for k, x := range m {
		if s, ok := x.(string); ok {
			out[k] = s
		}
	}
	return out
}
