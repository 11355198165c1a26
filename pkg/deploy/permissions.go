package deploy

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	"helm.sh/helm/v4/pkg/action"
	release "helm.sh/helm/v4/pkg/release/v1"
	authorizationv1 "k8s.io/api/authorization/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// Permission is one request an apply makes, and whether the datasource's credentials may make it.
type Permission struct {
	Verb      string `json:"verb"`
	Group     string `json:"group"`
	Resource  string `json:"resource"`
	Namespace string `json:"namespace,omitempty"`
	Name      string `json:"name,omitempty"`
	// Why says which step of Helm needs it.
	Why     string `json:"why"`
	Granted bool   `json:"granted"`
}

// PermissionCheck is every permission an apply to a release needs, asked of the API server.
type PermissionCheck struct {
	Namespace   string       `json:"namespace"`
	Name        string       `json:"name"`
	Permissions []Permission `json:"permissions"`
	Missing     int          `json:"missing"`
	// RBAC is the rules to add (a Role per namespace, a ClusterRole for cluster-scoped objects), "" when none.
	RBAC string `json:"rbac"`
}

type accessReviewer func(ctx context.Context, a authorizationv1.ResourceAttributes) (bool, error)

// selfSubjectAccessReview asks the API server whether these credentials may make one request (what `kubectl auth
// can-i` does); RBAC answers it as it would answer the request itself.
func selfSubjectAccessReview(cs kubernetes.Interface) accessReviewer {
	return func(ctx context.Context, a authorizationv1.ResourceAttributes) (bool, error) {
		r, err := cs.AuthorizationV1().SelfSubjectAccessReviews().Create(ctx,
			&authorizationv1.SelfSubjectAccessReview{Spec: authorizationv1.SelfSubjectAccessReviewSpec{ResourceAttributes: &a}}, metav1.CreateOptions{})
		if err != nil {
			return false, err
		}
		return r.Status.Allowed, nil
	}
}

// storageVerbs are the Secret verbs Helm's storage uses on an upgrade or rollback (pkg/storage/driver/secrets.go):
// Query and List (Last, History, Deployed) list; Get reads the revision rolled back to; Create writes the new
// revision; Update marks the old one superseded and the new one deployed or failed; Delete (after a Get) prunes
// revisions past --history-max.
var storageVerbs = []string{"get", "list", "create", "update", "delete"}

// requiredPermissions lists what an upgrade from current to next needs. Helm's kube client (pkg/kube/client.go,
// Client.update) gets every target object, creates those missing (a create, or a server-side apply patch that the
// API server authorises as create too) and patches the others; objects only in current are got and deleted.
func requiredPermissions(cfg *action.Configuration, rel *release.Release, nextManifest string) ([]Permission, error) {
	cur, err := cfg.KubeClient.Build(bytes.NewBufferString(rel.Manifest), false)
	if err != nil {
		return nil, classify(err, "read the release's objects")
	}
	next, err := cfg.KubeClient.Build(bytes.NewBufferString(nextManifest), false)
	if err != nil {
		return nil, classify(err, "read the rendered objects")
	}
	var out []Permission
	add := func(verb, group, res, ns, name, why string) {
		out = append(out, Permission{Verb: verb, Group: group, Resource: res, Namespace: ns, Name: name, Why: why})
	}
	for _, v := range storageVerbs {
		add(v, "", "secrets", rel.Namespace, "", "Helm's release storage (sh.helm.release.v1."+rel.Name+".v<revision>)")
	}
	inCur := map[string]bool{}
	for _, info := range cur {
		if info.Mapping != nil {
			inCur[info.Mapping.GroupVersionKind.GroupKind().String()+"/"+info.Namespace+"/"+info.Name] = true
		}
	}
	inNext := map[string]bool{}
	for _, info := range next {
		if info.Mapping == nil {
			continue // Helm's fake kube client in tests maps nothing
		}
		gr := info.Mapping.Resource.GroupResource()
		k := info.Mapping.GroupVersionKind.GroupKind().String() + "/" + info.Namespace + "/" + info.Name
		inNext[k] = true
		what := info.Mapping.GroupVersionKind.Kind + " " + info.Name
		add("get", gr.Group, gr.Resource, info.Namespace, info.Name, "read "+what)
		add("patch", gr.Group, gr.Resource, info.Namespace, info.Name, "apply "+what)
		if !inCur[k] {
			add("create", gr.Group, gr.Resource, info.Namespace, "", "create "+what)
		}
	}
	for _, info := range cur {
		if info.Mapping == nil {
			continue
		}
		k := info.Mapping.GroupVersionKind.GroupKind().String() + "/" + info.Namespace + "/" + info.Name
		if inNext[k] {
			continue
		}
		gr := info.Mapping.Resource.GroupResource()
		what := info.Mapping.GroupVersionKind.Kind + " " + info.Name
		add("get", gr.Group, gr.Resource, info.Namespace, info.Name, "read "+what+" before deleting it")
		add("delete", gr.Group, gr.Resource, info.Namespace, info.Name, "delete "+what+" (no longer rendered)")
	}
	return out, nil
}

// checkPermissions asks the API server about each permission (8 at a time) and fills in Granted.
func (s *Service) checkPermissions(ctx context.Context, rel *release.Release, perms []Permission) (*PermissionCheck, error) {
	pc := &PermissionCheck{Namespace: rel.Namespace, Name: rel.Name, Permissions: perms}
	if s.reviewAccess == nil {
		for i := range perms {
			perms[i].Granted = true
		}
		return pc, nil
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	sem := make(chan struct{}, 8)
	for i := range perms {
		wg.Add(1)
		sem <- struct{}{}
		go func(p *Permission) {
			defer wg.Done()
			defer func() { <-sem }()
			ok, err := s.reviewAccess(ctx, authorizationv1.ResourceAttributes{Verb: p.Verb, Group: p.Group, Resource: p.Resource, Namespace: p.Namespace, Name: p.Name})
			mu.Lock()
			defer mu.Unlock()
			if err != nil && firstErr == nil {
				firstErr = err
			}
			p.Granted = ok
		}(&perms[i])
	}
	wg.Wait()
	if firstErr != nil {
		return nil, classify(firstErr, "check the credentials' permissions (SelfSubjectAccessReview)")
	}
	sort.SliceStable(perms, func(i, j int) bool { return !perms[i].Granted && perms[j].Granted })
	for _, p := range perms {
		if !p.Granted {
			pc.Missing++
		}
	}
	pc.RBAC = rbacFor(perms)
	return pc, nil
}

// rbacFor writes the RBAC rules that grant the missing permissions: one Role per namespace, one ClusterRole.
func rbacFor(perms []Permission) string {
	type key struct{ ns, group, res string }
	verbs := map[key][]string{}
	var keys []key
	for _, p := range perms {
		if p.Granted {
			continue
		}
		k := key{p.Namespace, p.Group, p.Resource}
		if _, ok := verbs[k]; !ok {
			keys = append(keys, k)
		}
		if !contains(verbs[k], p.Verb) {
			verbs[k] = append(verbs[k], p.Verb)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].ns != keys[j].ns {
			return keys[i].ns < keys[j].ns
		}
		return keys[i].group+"/"+keys[i].res < keys[j].group+"/"+keys[j].res
	})
	var b strings.Builder
	last := "\x00"
	for _, k := range keys {
		if k.ns != last {
			if k.ns == "" {
				b.WriteString("# add to a ClusterRole bound to the datasource's identity (cluster-scoped objects):\n")
			} else {
				fmt.Fprintf(&b, "# add to the rules of a Role in namespace %s bound to the datasource's identity:\n", k.ns)
			}
			last = k.ns
		}
		fmt.Fprintf(&b, "- apiGroups: [%q]\n  resources: [%s]\n  verbs: [%s]\n", k.group, k.res, strings.Join(verbs[k], ", "))
	}
	return b.String()
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// forbiddenPlan is the 403 that blocks a plan whose apply would fail part-way for lack of a permission.
func forbiddenPlan(pc *PermissionCheck, doing string) error {
	var lines, hints []string
	var details []any
	for _, p := range pc.Permissions {
		if p.Granted {
			continue
		}
		where := "cluster-wide"
		if p.Namespace != "" {
			where = "in namespace " + p.Namespace
		}
		res := p.Resource
		if p.Group != "" {
			res += "." + p.Group
		}
		lines = append(lines, fmt.Sprintf("%s %s %s (%s)", p.Verb, res, where, p.Why))
		// Which shipped manifest grants it (rbac.go), once per manifest.
		if h := grantHint(res, p.Namespace); !contains(hints, h) {
			hints = append(hints, h)
		}
		details = append(details, p)
	}
	details = append(details, map[string]string{"rbac": pc.RBAC})
	return &Error{Code: CodeKubeForbidden, Details: details, Message: fmt.Sprintf(
		"the datasource's Kubernetes credentials lack %d permission(s) that %s of %s/%s needs, so nothing will be changed until they are granted: cannot %s. %s. RBAC to add:\n%s",
		pc.Missing, doing, pc.Namespace, pc.Name, strings.Join(lines, "; cannot "), strings.Join(hints, "; "), pc.RBAC)}
}

// Permissions checks what an apply to a release as it stands needs (its objects and Helm's storage).
func (s *Service) Permissions(ctx context.Context, namespace, name string) (*PermissionCheck, error) {
	cfg, rel, err := s.latest(namespace, name)
	if err != nil {
		return nil, s.bounded(err)
	}
	perms, err := requiredPermissions(cfg, rel, rel.Manifest)
	if err != nil {
		return nil, s.bounded(err)
	}
	pc, err := s.checkPermissions(ctx, rel, perms)
	return pc, s.bounded(err)
}

// preflightPermissions blocks a plan whose apply would be refused part-way.
func (s *Service) preflightPermissions(ctx context.Context, cfg *action.Configuration, rel *release.Release, nextManifest, doing string) error {
	perms, err := requiredPermissions(cfg, rel, nextManifest)
	if err != nil {
		return err
	}
	pc, err := s.checkPermissions(ctx, rel, perms)
	if err != nil {
		return err
	}
	if pc.Missing > 0 {
		return forbiddenPlan(pc, doing)
	}
	return nil
}
