package deploy

import (
	"fmt"
	"regexp"
)

// Where provisioning/kubernetes grants what (README "Kubernetes RBAC for deploying").
const (
	roleManifest        = "provisioning/kubernetes/falco-deployer-rbac.yaml"
	clusterRoleManifest = "provisioning/kubernetes/falco-deployer-clusterrole.yaml"
)

// escalationRefused is the API server's refusal to let a subject write a (Cluster)Role granting more than it holds
// (k8s.io/kubernetes pkg/registry/rbac/validation, ConfirmNoEscalation: "is attempting to grant RBAC permissions not
// currently held").
var escalationRefused = regexp.MustCompile(`(clusterroles|roles)\.rbac\.authorization\.k8s\.io "([^"]+)" is forbidden: .*is attempting to grant RBAC permissions not currently held`)

// grantHint says which manifest grants a permission the credentials lack.
func grantHint(resource, namespace string) string {
	switch {
	case namespace != "":
		return fmt.Sprintf("the Role in %s grants it: kubectl apply -n %s -f %s", roleManifest, namespace, roleManifest)
	case resource == "clusterroles.rbac.authorization.k8s.io" || resource == "clusterrolebindings.rbac.authorization.k8s.io":
		return fmt.Sprintf("the ClusterRole in %s grants it for falco-talon's and k8s-metacollector's ClusterRole and ClusterRoleBinding (by name): kubectl apply -f %s", clusterRoleManifest, clusterRoleManifest)
	default:
		return "it is cluster-scoped, so only a ClusterRole can grant it; none in provisioning/kubernetes does, as the Falco chart's objects do not need it"
	}
}

// escalationError explains a refused (Cluster)Role write, or returns nil.
func escalationError(err error, doing string) *Error {
	m := escalationRefused.FindStringSubmatch(err.Error())
	if m == nil {
		return nil
	}
	if m[1] == "clusterroles" {
		return &Error{Code: CodeKubeForbidden, Err: err, Details: []any{map[string]string{"verb": "escalate", "resource": "clusterroles.rbac.authorization.k8s.io", "name": m[2]}},
			Message: fmt.Sprintf("the datasource's Kubernetes credentials may not write ClusterRole %s, which grants permissions they do not hold (needed to %s); %s",
				m[2], doing, grantHint("clusterroles.rbac.authorization.k8s.io", ""))}
	}
	return &Error{Code: CodeKubeForbidden, Err: err, Details: []any{map[string]string{"verb": "escalate", "resource": "roles.rbac.authorization.k8s.io", "name": m[2]}},
		Message: fmt.Sprintf("the datasource's Kubernetes credentials may not write Role %s, which grants permissions they do not hold (needed to %s); the Role in %s holds what the Falco chart's Roles grant",
			m[2], doing, roleManifest)}
}
