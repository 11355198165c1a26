package deploy

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/pmezard/go-difflib/difflib"
	"helm.sh/helm/v4/pkg/action"
	ci "helm.sh/helm/v4/pkg/chart"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/kube"
	release "helm.sh/helm/v4/pkg/release/v1"
	releaseutil "helm.sh/helm/v4/pkg/release/v1/util"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/cli-runtime/pkg/resource"
	"sigs.k8s.io/yaml"

	"github.com/containersec/container-security/pkg/rules"
)

var (
	dnsLabel    = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	describedBy = regexp.MustCompile(`^Grafana user ("(?:[^"\\]|\\.)*") `)
	// The API server's RBAC refusal, e.g. `configmaps "falco-rules" is forbidden: User "x" cannot patch resource
	// "configmaps" in API group "" in the namespace "falco"` (k8s.io/apiserver authorization/authorizer messages).
	forbiddenText = regexp.MustCompile(`cannot (\S+) resource "([^"]+)"(?: in API group "([^"]*)")?(?: in the namespace "([^"]+)")?`)
)

// Field manager of the plan's server-side dry-run apply.
const planFieldManager = "containersec-grafana-plan"

// dryRunParallel bounds the plan's concurrent dry-run requests (the client's QPS limit applies on top).
const dryRunParallel = 8

// PlanRequest is a proposed change: deploy Files as the whole customRules, or roll back to RollbackTo.
type PlanRequest struct {
	Namespace    string
	Name         string
	BaseRevision int
	Files        []File
	RollbackTo   int
	// Recover previews (and Recover runs) the way out of a pending-* release: a rollback to the last deployed revision.
	Recover bool
}

// planned is a plan and what an apply needs to carry it out.
type planned struct {
	Plan   *Plan
	cfg    *action.Configuration
	rel    *release.Release
	chart  *chart.Chart
	values map[string]any
	files  []string
}

// Plan validates the files, renders the upgrade with a dry run and diffs it against the deployed release.
func (s *Service) Plan(ctx context.Context, req PlanRequest) (*Plan, error) {
	p, err := s.plan(ctx, req)
	if err != nil {
		return nil, s.bounded(err)
	}
	return p.Plan, nil
}

func (s *Service) plan(ctx context.Context, req PlanRequest) (*planned, error) {
	ctx = withManagerMemo(ctx)
	cfg, rel, err := s.latest(req.Namespace, req.Name)
	if err != nil {
		return nil, err
	}
	if err := s.preflight(ctx, cfg, rel, req.BaseRevision, req.Recover); err != nil {
		return nil, err
	}
	if req.Recover {
		return s.planRecover(ctx, cfg, rel)
	}
	if req.RollbackTo != 0 {
		return s.planRollback(ctx, cfg, rel, req)
	}
	files := append([]File(nil), req.Files...)
	// Falco reads a rules directory in file-name order; validateAsLoaded orders the files after the release's own
	// falco.rules_files and loads the default ruleset first only if the release loads it.
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	if err := checkFiles(files); err != nil {
		return nil, err
	}
	rulesFiles, res, rulesFilesWarnings := validateAsLoaded(rel, files)
	var errs, warns []rules.Diagnostic
	for _, d := range res.Diagnostics {
		if d.Severity == rules.SeverityError {
			errs = append(errs, d)
		} else {
			warns = append(warns, d)
		}
	}
	if len(errs) > 0 {
		details := make([]any, len(errs))
		for i, d := range errs {
			details[i] = d
		}
		first := errs[0]
		return nil, &Error{Code: CodeInvalidRules, Details: details, Message: fmt.Sprintf(
			"Falco would refuse these rules and its pods would crash-loop: %d error(s), the first in %s line %d column %d: %s%s",
			len(errs), first.File, first.Line, first.Column, first.Message, loadedNote(rulesFiles))}
	}

	ch, err := s.charts.Load(ctx, rel.Chart.Metadata.Version)
	if err != nil {
		return nil, err
	}
	if err := checkChart(ch, rel); err != nil {
		return nil, err
	}

	newVals, err := valuesWithRules(rel.Config, files)
	if err != nil {
		return nil, err
	}
	oldFiles, err := customRules(rel.Config)
	if err != nil {
		return nil, err
	}
	fileChanges := diffFiles(oldFiles, files)

	up := action.NewUpgrade(cfg)
	up.Namespace = rel.Namespace
	// A server dry run renders with cluster lookups and checks every object against the cluster's schema (Build with
	// validation), but never sends the objects to the API server (pkg/action/upgrade.go performUpgrade returns
	// before any apply when isDryRun): the real server-side check is serverDryRun below.
	up.DryRunStrategy = action.DryRunServer
	// The values are the release's own user values with customRules replaced (valuesWithRules), over the chart's
	// defaults: Helm's ResetThenReuseValues would merge customRules maps (util.CoalesceTables) and so never remove a
	// file, hence ResetValues with the full user values.
	up.ResetValues = true
	up.WaitStrategy = kube.HookOnlyStrategy
	up.Timeout = s.Timeout
	// serverDryRun below has the API server check every object against its own schema (fieldValidation=Strict);
	// Helm's client-side OpenAPI check parses the server's OpenAPI v3 documents on each call (a third of a plan's CPU).
	up.DisableOpenAPIValidation = true
	ri, err := up.RunWithContext(ctx, rel.Name, ch, newVals)
	if err != nil {
		return nil, classify(err, "render the upgrade of "+rel.Namespace+"/"+rel.Name)
	}
	next, err := toV1(ri)
	if err != nil {
		return nil, err
	}

	plan := &Plan{
		Release:      s.summary(ctx, rel),
		BaseRevision: rel.Version,
		Files:        fileChanges,
		Diagnostics:  warns,
		ValuesDiff:   unified("values (helm get values)", mustYAML(redactValues(rel.Config)), mustYAML(redactValues(newVals))),
	}
	if plan.Diagnostics == nil {
		plan.Diagnostics = []rules.Diagnostic{}
	}
	plan.Objects, plan.Warnings = diffManifests(rel, next)
	plan.Restarts = s.restarts(ctx, plan.Objects)
	plan.RulesFiles = rulesFiles
	plan.Warnings = append(plan.Warnings, rulesFilesWarnings...)
	if cv := chartVersionOf(ch); cv != chartVersionOf(rel.Chart) {
		plan.Warnings = append(plan.Warnings, Warning{Code: WarnChartVersionChange, Message: fmt.Sprintf("the chart changes from %s to %s", chartVersionOf(rel.Chart), cv)})
	}
	finish(plan)
	// Before anything else touches the cluster: an apply refused part-way would leave the release pending.
	if err := s.preflightPermissions(ctx, cfg, rel, next.Manifest, "this apply"); err != nil {
		return nil, err
	}
	validated, err := serverDryRun(cfg, next.Manifest)
	if err != nil {
		return nil, err
	}
	plan.ServerValidated = validated
	return &planned{Plan: plan, cfg: cfg, rel: rel, chart: ch, values: newVals, files: changedNames(fileChanges)}, nil
}

func (s *Service) planRollback(ctx context.Context, cfg *action.Configuration, rel *release.Release, req PlanRequest) (*planned, error) {
	if req.RollbackTo < 0 || req.RollbackTo >= rel.Version {
		return nil, errorf(CodeBadRequest, nil, "cannot roll back to revision %d: choose an earlier revision than %d", req.RollbackTo, rel.Version)
	}
	ti, err := cfg.Releases.Get(rel.Name, req.RollbackTo)
	if err != nil {
		return nil, errorf(CodeReleaseNotFound, err, "release %s/%s has no revision %d any more (Helm keeps the last --history-max revisions)", rel.Namespace, rel.Name, req.RollbackTo)
	}
	target, err := toV1(ti)
	if err != nil {
		return nil, err
	}
	fileChanges, err := diffRules(rel.Config, target.Config)
	if err != nil {
		return nil, err
	}
	plan := &Plan{
		Release:      s.summary(ctx, rel),
		BaseRevision: rel.Version,
		RollbackTo:   target.Version,
		Files:        fileChanges,
		Diagnostics:  []rules.Diagnostic{},
		ValuesDiff:   unified("values (helm get values)", mustYAML(redactValues(rel.Config)), mustYAML(redactValues(target.Config))),
	}
	plan.Objects, plan.Warnings = diffManifests(rel, target)
	plan.Restarts = s.restarts(ctx, plan.Objects)
	if a, b := chartVersionOf(rel.Chart), chartVersionOf(target.Chart); a != b {
		plan.Warnings = append(plan.Warnings, Warning{Code: WarnChartVersionChange, Message: fmt.Sprintf("rolling back changes the chart from %s to %s", a, b)})
	}
	if !reflect.DeepEqual(withoutRules(rel.Config), withoutRules(target.Config)) {
		plan.Warnings = append(plan.Warnings, Warning{Code: WarnValuesChange, Message: fmt.Sprintf("revision %d has other values than customRules: see the values diff", target.Version)})
	}
	finish(plan)
	if err := s.preflightPermissions(ctx, cfg, rel, target.Manifest, "this rollback"); err != nil {
		return nil, err
	}
	validated, err := serverDryRun(cfg, target.Manifest)
	if err != nil {
		return nil, err
	}
	plan.ServerValidated = validated
	return &planned{Plan: plan, cfg: cfg, rel: rel, files: changedNames(fileChanges)}, nil
}

func finish(plan *Plan) {
	if plan.Objects == nil {
		plan.Objects = []ObjectChange{}
	}
	if plan.Warnings == nil {
		plan.Warnings = []Warning{}
	}
	plan.ConfirmRequired = len(plan.Warnings) > 0
}

func chartVersionOf(c *chart.Chart) string {
	if c == nil || c.Metadata == nil {
		return ""
	}
	return c.Metadata.Version
}

// checkFiles refuses names the chart's ConfigMap cannot carry and duplicates (a ConfigMap key is [-._a-zA-Z0-9]+).
func checkFiles(files []File) error {
	seen := map[string]bool{}
	for _, f := range files {
		if !fileName.MatchString(f.Name) {
			return errorf(CodeBadRequest, nil, "file name %q must be a plain file name (letters, digits, '.', '_', '-') ending in .yaml or .yml", f.Name)
		}
		if seen[f.Name] {
			return errorf(CodeBadRequest, nil, "file name %q is used twice", f.Name)
		}
		seen[f.Name] = true
	}
	return nil
}

var fileName = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9._-]{0,199}\.ya?ml$`)

// checkChart makes sure the chart to upgrade with is the deployed chart, complete with its subcharts: Helm's
// install and upgrade silently skip a dependency missing from charts/ (action.CheckDependencies is what the helm
// CLI runs first), and an upgrade without falcosidekick's chart deletes falcosidekick.
func checkChart(ch *chart.Chart, rel *release.Release) error {
	if ch == nil || ch.Metadata == nil {
		return errorf(CodeChartUnavailable, nil, "the chart source returned no chart")
	}
	if ch.Metadata.Name != ChartName || ch.Metadata.Version != rel.Chart.Metadata.Version {
		return errorf(CodeChartUnavailable, nil, "the chart source returned %s, not the deployed %s", chartOf(ch), chartOf(rel.Chart))
	}
	if reqs := ch.Metadata.Dependencies; len(reqs) > 0 {
		deps := make([]ci.Dependency, len(reqs))
		for i, d := range reqs {
			deps[i] = d
		}
		if err := action.CheckDependencies(ch, deps); err != nil {
			return errorf(CodeChartUnavailable, err, "chart %s from the chart source is incomplete (%v): an upgrade with it would delete the subcharts' objects; point the datasource at a chart repository that serves the packaged chart", chartOf(ch), err)
		}
	}
	return nil
}

// customRules reads the customRules files from a release's user values, sorted by name.
func customRules(config map[string]any) ([]File, error) {
	raw, ok := config["customRules"]
	if !ok || raw == nil {
		return []File{}, nil
	}
	m, ok := raw.(map[string]any)
	if !ok {
		return nil, errorf(CodeBadRequest, nil, "the release's customRules value is a %T, not a map of file name to rules text", raw)
	}
	files := make([]File, 0, len(m))
	for name, v := range m {
		text, ok := v.(string)
		if !ok {
			if v == nil {
				continue
			}
			text = fmt.Sprint(v)
		}
		files = append(files, File{Name: name, Content: text})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	return files, nil
}

// valuesWithRules is a deep copy of the user values with customRules set to exactly these files.
func valuesWithRules(config map[string]any, files []File) (map[string]any, error) {
	out, err := deepCopy(config)
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		delete(out, "customRules")
		return out, nil
	}
	cr := make(map[string]any, len(files))
	for _, f := range files {
		cr[f.Name] = f.Content
	}
	out["customRules"] = cr
	return out, nil
}

func withoutRules(config map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range config {
		if k != "customRules" {
			out[k] = v
		}
	}
	return out
}

func deepCopy(m map[string]any) (map[string]any, error) {
	if m == nil {
		return map[string]any{}, nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	return out, nil
}

func mustYAML(v any) string {
	if m, ok := v.(map[string]any); ok && len(m) == 0 {
		return ""
	}
	b, err := yaml.Marshal(v)
	if err != nil {
		return fmt.Sprintf("# cannot show: %v\n", err)
	}
	return string(b)
}

// unified is a unified diff (3 lines of context) of two texts, "" when equal.
func unified(name, a, b string) string {
	if a == b {
		return ""
	}
	d, err := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A: difflib.SplitLines(withNewline(a)), B: difflib.SplitLines(withNewline(b)),
		FromFile: "a/" + name, ToFile: "b/" + name, Context: 3,
	})
	if err != nil {
		return fmt.Sprintf("# diff failed: %v\n", err)
	}
	return d
}

func withNewline(s string) string {
	if s == "" || strings.HasSuffix(s, "\n") {
		return s
	}
	return s + "\n"
}

func diffFiles(old, next []File) []FileChange {
	a := map[string]string{}
	for _, f := range old {
		a[f.Name] = f.Content
	}
	b := map[string]string{}
	for _, f := range next {
		b[f.Name] = f.Content
	}
	names := map[string]bool{}
	for n := range a {
		names[n] = true
	}
	for n := range b {
		names[n] = true
	}
	sorted := make([]string, 0, len(names))
	for n := range names {
		sorted = append(sorted, n)
	}
	sort.Strings(sorted)
	out := make([]FileChange, 0, len(sorted))
	for _, n := range sorted {
		av, inA := a[n]
		bv, inB := b[n]
		c := FileChange{Name: n, Diff: unified(n, av, bv)}
		switch {
		case !inA:
			c.Change = ChangeAdded
		case !inB:
			c.Change = ChangeRemoved
		case av != bv:
			c.Change = ChangeModified
		default:
			c.Change = ChangeUnchanged
		}
		out = append(out, c)
	}
	return out
}

func diffRules(oldConfig, newConfig map[string]any) ([]FileChange, error) {
	a, err := customRules(oldConfig)
	if err != nil {
		return nil, err
	}
	b, err := customRules(newConfig)
	if err != nil {
		return nil, err
	}
	return diffFiles(a, b), nil
}

// manifestObject is one document of a release manifest.
type manifestObject struct {
	Kind, Namespace, Name, Source, Text string
	Obj                                 map[string]any
}

func (o manifestObject) key() string { return o.Kind + "/" + o.Namespace + "/" + o.Name }

// clusterScoped kinds a chart may render; they have no namespace.
var clusterScoped = map[string]bool{"ClusterRole": true, "ClusterRoleBinding": true, "Namespace": true,
	"CustomResourceDefinition": true, "PriorityClass": true, "SecurityContextConstraints": true, "StorageClass": true,
	"ValidatingWebhookConfiguration": true, "MutatingWebhookConfiguration": true, "APIService": true, "PersistentVolume": true}

// parseManifest splits a release manifest into its objects (releaseutil.SplitManifests, as Helm stores them: each
// document starts with "# Source: <chart>/templates/<file>").
func parseManifest(manifest, namespace string) map[string]manifestObject {
	out := map[string]manifestObject{}
	for _, doc := range releaseutil.SplitManifests(manifest) {
		var obj map[string]any
		if err := yaml.Unmarshal([]byte(doc), &obj); err != nil || obj == nil {
			continue
		}
		kind, _ := obj["kind"].(string)
		meta, _ := obj["metadata"].(map[string]any)
		if kind == "" || meta == nil {
			continue
		}
		name, _ := meta["name"].(string)
		ns, _ := meta["namespace"].(string)
		if ns == "" && !clusterScoped[kind] {
			ns = namespace
		}
		src := ""
		for _, line := range strings.Split(doc, "\n") {
			if strings.HasPrefix(line, "# Source: ") {
				src = strings.TrimPrefix(line, "# Source: ")
				break
			}
		}
		// Shown redacted (scrub.go): Secret data and every credential inside any string; compared in full through Obj.
		text := "# Source: " + src + "\n" + mustYAML(redactObject(obj))
		o := manifestObject{Kind: kind, Namespace: ns, Name: name, Source: src, Text: text, Obj: obj}
		out[o.key()] = o
	}
	return out
}

// subchartOf names the subchart that rendered an object ("falco/charts/falcosidekick/templates/x.yaml"), or "".
func subchartOf(source string) string {
	parts := strings.Split(source, "/")
	if len(parts) >= 3 && parts[1] == "charts" {
		return parts[2]
	}
	return ""
}

const (
	rulesConfigMapSource = ChartName + "/templates/rules-configmap.yaml"
	daemonSetSource      = ChartName + "/templates/daemonset.yaml"
	rulesChecksum        = "checksum/rules"
)

// diffManifests lists every object that differs between two revisions' manifests and the warnings they raise.
// Expected: the Falco chart's rules ConfigMap (templates/rules-configmap.yaml) and the Falco DaemonSet when its only
// change is the pod template's checksum/rules annotation (templates/pod-template.tpl), which rolls the pods.
func diffManifests(from, to *release.Release) ([]ObjectChange, []Warning) {
	a := parseManifest(from.Manifest, from.Namespace)
	b := parseManifest(to.Manifest, to.Namespace)
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	var objs []ObjectChange
	var warns []Warning
	for _, k := range sorted {
		oa, inA := a[k]
		ob, inB := b[k]
		o := ob
		if !inB {
			o = oa
		}
		c := ObjectChange{Kind: o.Kind, Namespace: o.Namespace, Name: o.Name}
		label := fmt.Sprintf("%s %s", o.Kind, o.Name)
		if o.Namespace != "" {
			label = fmt.Sprintf("%s %s/%s", o.Kind, o.Namespace, o.Name)
		}
		switch {
		case !inA:
			c.Change = ChangeAdded
			c.Diff = unified(strings.ToLower(o.Kind)+"/"+o.Name+".yaml", "", ob.Text)
		case !inB:
			c.Change = ChangeRemoved
			c.Diff = unified(strings.ToLower(o.Kind)+"/"+o.Name+".yaml", oa.Text, "")
		case reflect.DeepEqual(oa.Obj, ob.Obj):
			continue
		default:
			c.Change = ChangeModified
			c.Diff = unified(strings.ToLower(o.Kind)+"/"+o.Name+".yaml", oa.Text, ob.Text)
		}
		switch {
		case o.Kind == "ConfigMap" && o.Source == rulesConfigMapSource:
			c.Expected = true
		case c.Change == ChangeModified && o.Kind == "DaemonSet" && o.Source == daemonSetSource && onlyRulesChecksum(oa.Obj, ob.Obj):
			c.Expected = true
		}
		if !c.Expected {
			switch sub := subchartOf(o.Source); {
			case c.Change == ChangeRemoved && sub != "":
				warns = append(warns, Warning{Code: WarnSubchartObjectRemoved, Message: fmt.Sprintf("%s of subchart %s would be deleted", label, sub)})
			default:
				warns = append(warns, Warning{Code: WarnUnexpectedObjectChange, Message: fmt.Sprintf("%s would be %s, which a rules change alone does not do", label, c.Change)})
			}
			if c.Change == ChangeModified {
				for _, im := range imageChanges(oa.Obj, ob.Obj) {
					warns = append(warns, Warning{Code: WarnImageChange, Message: fmt.Sprintf("%s: %s", label, im)})
				}
			}
		}
		objs = append(objs, c)
	}
	return objs, warns
}

// onlyRulesChecksum says two DaemonSets differ in nothing but the pod template's checksum/rules annotation.
func onlyRulesChecksum(a, b map[string]any) bool {
	strip := func(m map[string]any) map[string]any {
		c, err := deepCopy(m)
		if err != nil {
			return m
		}
		if ann := nested(c, "spec", "template", "metadata", "annotations"); ann != nil {
			delete(ann, rulesChecksum)
		}
		return c
	}
	return reflect.DeepEqual(strip(a), strip(b))
}

func nested(m map[string]any, path ...string) map[string]any {
	cur := m
	for _, p := range path {
		next, ok := cur[p].(map[string]any)
		if !ok {
			return nil
		}
		cur = next
	}
	return cur
}

// imageChanges lists container images that differ between two versions of a workload's pod template.
func imageChanges(a, b map[string]any) []string {
	images := func(m map[string]any) map[string]string {
		out := map[string]string{}
		spec := nested(m, "spec", "template", "spec")
		if spec == nil {
			spec = nested(m, "spec") // a bare Pod
		}
		if spec == nil {
			return out
		}
		for _, field := range []string{"initContainers", "containers"} {
			list, _ := spec[field].([]any)
			for _, c := range list {
				cm, _ := c.(map[string]any)
				name, _ := cm["name"].(string)
				image, _ := cm["image"].(string)
				out[field+"/"+name] = image
			}
		}
		return out
	}
	ia, ib := images(a), images(b)
	var out []string
	for k, v := range ib {
		if old, ok := ia[k]; ok && old != v {
			out = append(out, fmt.Sprintf("container %s image changes from %s to %s", k[strings.Index(k, "/")+1:], old, v))
		}
	}
	sort.Strings(out)
	return out
}

// serverDryRun sends every rendered object to the API server as a server-side apply with dryRun=All: the server
// runs defaulting, validation, admission and RBAC without persisting anything (what `kubectl apply --server-side
// --dry-run=server` does). Helm's own server dry run never sends the objects. It reports false when the kube client
// cannot reach a real server (tests with Helm's fake kube client).
func serverDryRun(cfg *action.Configuration, manifest string) (bool, error) {
	infos, err := cfg.KubeClient.Build(bytes.NewBufferString(manifest), false)
	if err != nil {
		return false, classify(err, "read the rendered objects")
	}
	validated := len(infos) > 0
	force := true
	// The objects are independent dry runs: up to dryRunParallel at once; the first failure in manifest order wins.
	errs := make([]error, len(infos))
	sem := make(chan struct{}, dryRunParallel)
	var wg sync.WaitGroup
	for i, info := range infos {
		if info.Client == nil || info.Mapping == nil || info.Object == nil {
			validated = false
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			data, err := json.Marshal(info.Object)
			if err != nil {
				errs[i] = err
				return
			}
			_, err = resource.NewHelper(info.Client, info.Mapping).DryRun(true).WithFieldManager(planFieldManager).
				WithFieldValidation(metav1.FieldValidationStrict).Patch(info.Namespace, info.Name, types.ApplyPatchType, data, &metav1.PatchOptions{Force: &force})
			if err != nil {
				errs[i] = classify(err, fmt.Sprintf("check %s %s with the API server", info.Mapping.GroupVersionKind.Kind, info.Name))
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return false, err
		}
	}
	return validated, nil
}
