//go:build tools

// Package kube pins the two programs this module builds: the real Kubernetes API server and etcd.
package kube

import (
	_ "go.etcd.io/etcd/server/v3/etcdmain"
	_ "k8s.io/kubernetes/cmd/kube-apiserver/app"
)
