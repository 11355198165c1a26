package deploy

import (
	"context"
	"fmt"
	"sort"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/kubectl/pkg/polymorphichelpers"
)

// Container waiting reasons that mean the pod will not come up by itself (kubelet's reasons:
// pkg/kubelet/images and pkg/kubelet/kuberuntime).
var stuckReasons = map[string]bool{
	"CrashLoopBackOff": true, "ImagePullBackOff": true, "ErrImagePull": true, "InvalidImageName": true,
	"CreateContainerConfigError": true, "CreateContainerError": true, "RunContainerError": true,
	"ErrImageNeverPull": true, "PreCreateHookError": true, "PostStartHookError": true,
}

// Rollout reports the rollout of every DaemonSet the release renders (Falco's, and any subchart's), the way
// `kubectl rollout status daemonset` judges it, with the pods that fail.
func (s *Service) Rollout(ctx context.Context, namespace, name string) (*Rollout, error) {
	ro, err := s.rollout(ctx, namespace, name)
	return ro, s.bounded(err)
}

func (s *Service) rollout(ctx context.Context, namespace, name string) (*Rollout, error) {
	_, rel, err := s.latest(namespace, name)
	if err != nil {
		return nil, err
	}
	out := &Rollout{Done: true, DaemonSets: []DaemonSetRollout{}, Guard: s.Guard(rel.Namespace, rel.Name)}
	objs := parseManifest(rel.Manifest, rel.Namespace)
	keys := make([]string, 0, len(objs))
	for k, o := range objs {
		if o.Kind == "DaemonSet" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		o := objs[k]
		ds, err := s.clientset.AppsV1().DaemonSets(o.Namespace).Get(ctx, o.Name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			// Rendered by the release but not in the cluster (deleted by hand, or not created yet): not done.
			out.Done = false
			out.DaemonSets = append(out.DaemonSets, DaemonSetRollout{Namespace: o.Namespace, Name: o.Name, FailingPods: []PodProblem{},
				Missing: true})
			continue
		}
		if err != nil {
			return nil, classify(err, fmt.Sprintf("read DaemonSet %s/%s", o.Namespace, o.Name))
		}
		r, err := s.daemonSetRollout(ctx, ds)
		if err != nil {
			return nil, err
		}
		out.Done = out.Done && r.Done
		out.DaemonSets = append(out.DaemonSets, r)
	}
	return out, nil
}

func (s *Service) daemonSetRollout(ctx context.Context, ds *appsv1.DaemonSet) (DaemonSetRollout, error) {
	r := DaemonSetRollout{
		Namespace: ds.Namespace, Name: ds.Name,
		Desired: ds.Status.DesiredNumberScheduled, Updated: ds.Status.UpdatedNumberScheduled,
		Ready: ds.Status.NumberReady, Available: ds.Status.NumberAvailable,
		FailingPods: []PodProblem{},
	}
	// kubectl's own judgement (k8s.io/kubectl/pkg/polymorphichelpers/rollout_status.go, DaemonSetStatusViewer):
	// done once the controller observed the new generation and every desired pod is updated and available.
	content, err := runtime.DefaultUnstructuredConverter.ToUnstructured(ds)
	if err != nil {
		return r, err
	}
	_, done, err := (&polymorphichelpers.DaemonSetStatusViewer{}).Status(&unstructured.Unstructured{Object: content}, 0)
	if err != nil {
		// An OnDelete DaemonSet has no rollout status: its pods change only when deleted.
		done = false
	}
	r.Done = done
	sel, err := metav1.LabelSelectorAsSelector(ds.Spec.Selector)
	if err != nil {
		return r, nil
	}
	pods, err := s.clientset.CoreV1().Pods(ds.Namespace).List(ctx, metav1.ListOptions{LabelSelector: sel.String()})
	if err != nil {
		return r, classify(err, "list the pods of DaemonSet "+ds.Namespace+"/"+ds.Name)
	}
	for i := range pods.Items {
		p := &pods.Items[i]
		if !ownedBy(p, ds) {
			continue
		}
		if prob, bad := podProblem(p); bad {
			r.FailingPods = append(r.FailingPods, prob)
		}
	}
	sort.Slice(r.FailingPods, func(i, j int) bool { return r.FailingPods[i].Name < r.FailingPods[j].Name })
	return r, nil
}

func ownedBy(p *corev1.Pod, ds *appsv1.DaemonSet) bool {
	for _, o := range p.OwnerReferences {
		if o.Kind == "DaemonSet" && (o.UID == ds.UID || (ds.UID == "" && o.Name == ds.Name)) {
			return true
		}
	}
	return false
}

// podProblem names why a pod does not come up: a container stuck waiting (crash loop, image pull, bad config), a
// container that exited with an error, a failed pod, or a pod the scheduler cannot place.
func podProblem(p *corev1.Pod) (PodProblem, bool) {
	if p.Status.Phase == corev1.PodFailed {
		return PodProblem{Name: p.Name, Reason: orDefault(p.Status.Reason, "Failed"), Message: p.Status.Message}, true
	}
	statuses := append(append([]corev1.ContainerStatus{}, p.Status.InitContainerStatuses...), p.Status.ContainerStatuses...)
	for _, cs := range statuses {
		if w := cs.State.Waiting; w != nil && stuckReasons[w.Reason] {
			msg := fmt.Sprintf("container %s: %s", cs.Name, w.Message)
			if t := cs.LastTerminationState.Terminated; t != nil {
				msg = fmt.Sprintf("container %s exited with code %d (%s) after %d restart(s): %s", cs.Name, t.ExitCode, t.Reason, cs.RestartCount, firstLine(t.Message))
			}
			return PodProblem{Name: p.Name, Reason: w.Reason, Message: msg}, true
		}
		if t := cs.State.Terminated; t != nil && t.ExitCode != 0 {
			return PodProblem{Name: p.Name, Reason: orDefault(t.Reason, "Error"), Message: fmt.Sprintf("container %s exited with code %d: %s", cs.Name, t.ExitCode, firstLine(t.Message))}, true
		}
	}
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodScheduled && c.Status == corev1.ConditionFalse && c.Reason == corev1.PodReasonUnschedulable {
			return PodProblem{Name: p.Name, Reason: c.Reason, Message: c.Message}, true
		}
	}
	return PodProblem{}, false
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func firstLine(s string) string {
	for i, c := range s {
		if c == '\n' {
			return s[:i]
		}
	}
	if len(s) > 500 {
		return s[:500] + "…"
	}
	return s
}
