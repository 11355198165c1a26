package deploy

import (
	"context"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/client-go/kubernetes/fake"
)

func TestRestartsFollowTheDaemonSetsUpdateStrategy(t *testing.T) {
	pct := intstr.FromString("25%")
	ds := func(name string, strategy appsv1.DaemonSetUpdateStrategy) *appsv1.DaemonSet {
		return &appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "falco"}, Spec: appsv1.DaemonSetSpec{UpdateStrategy: strategy},
			Status: appsv1.DaemonSetStatus{DesiredNumberScheduled: 10}}
	}
	s := &Service{clientset: fake.NewClientset(
		ds("pct", appsv1.DaemonSetUpdateStrategy{Type: appsv1.RollingUpdateDaemonSetStrategyType, RollingUpdate: &appsv1.RollingUpdateDaemonSet{MaxUnavailable: &pct}}),
		ds("ondelete", appsv1.DaemonSetUpdateStrategy{Type: appsv1.OnDeleteDaemonSetStrategyType}))}
	got := s.restarts(context.Background(), []ObjectChange{
		{Kind: "DaemonSet", Namespace: "falco", Name: "pct", Change: ChangeModified},
		{Kind: "DaemonSet", Namespace: "falco", Name: "ondelete", Change: ChangeModified},
		{Kind: "DaemonSet", Namespace: "falco", Name: "gone", Change: ChangeModified},
		{Kind: "ConfigMap", Namespace: "falco", Name: "falco-rules", Change: ChangeModified},
	})
	if len(got) != 3 {
		t.Fatalf("restarts: %+v", got)
	}
	// 25% of 10 rounds up to 3, as the DaemonSet controller resolves it.
	if r := got[0]; r.Pods != 10 || r.MaxUnavailable != 3 || !strings.Contains(r.Message, "all 10 node(s) of DaemonSet falco/pct, 3 node(s) at a time") {
		t.Errorf("percentage: %+v", r)
	}
	if r := got[1]; r.Strategy != "OnDelete" || !strings.Contains(r.Message, "keep the old rules until each is deleted by hand") {
		t.Errorf("OnDelete: %+v", r)
	}
	if r := got[2]; r.Pods != -1 || !strings.Contains(r.Message, "every node (how many cannot be read)") {
		t.Errorf("unreadable: %+v", r)
	}
}
