import type { Exporter, ExporterInfo } from './types';

export const FALCOSIDEKICK_PROBE = 'promhttp_metric_handler_requests_total{job=~".*falcosidekick.*"}';

// What each exporter is, a metric that proves it is scraped, and how to turn it on.
export const EXPORTERS: Record<Exporter, ExporterInfo> = {
  falco: {
    title: 'Falco (native metrics)',
    probeMetric: 'falcosecurity_falco_version_info',
    howToEnable:
      'Falco >= 0.39 with the Falco chart values metrics.enabled=true and serviceMonitor.create=true ' +
      '(the chart then turns on webserver.prometheus_metrics_enabled and exposes /metrics on port 8765).',
  },
  falcosidekick: {
    title: 'falcosidekick',
    // Its own counters appear only with the first event (client_golang creates a CounterVec child on first use), so a
    // fresh install would look absent. Its /metrics is promhttp.Handler() (main.go), whose InstrumentMetricHandler
    // (client_golang promhttp/http.go) creates promhttp_metric_handler_requests_total{code="200"|"500"|"503"} at
    // start-up; the chart's ServiceMonitor scrapes the Service <release>-falcosidekick, which becomes the job.
    probeMetric: FALCOSIDEKICK_PROBE,
    howToEnable:
      'falcosidekick >= 2.30, e.g. the Falco chart values falcosidekick.enabled=true and ' +
      'falcosidekick.serviceMonitor.enabled=true; it serves /metrics on port 2801, where the event counters appear after the first event.',
  },
  'falco-exporter': {
    title: 'falco-exporter (legacy)',
    probeMetric: 'falco_events',
    howToEnable:
      'Legacy: the falco-exporter chart with Falco gRPC output enabled. It cannot read Falco >= 0.44; ' +
      'use Falco native metrics or falcosidekick instead.',
  },
  cadvisor: {
    title: 'cAdvisor (kubelet)',
    probeMetric: 'container_cpu_usage_seconds_total',
    howToEnable:
      'kube-prometheus-stack scrapes it by default (kubelet.serviceMonitor.cAdvisor=true, job="kubelet", ' +
      'metrics_path="/metrics/cadvisor").',
  },
  'kube-state-metrics': {
    title: 'kube-state-metrics',
    probeMetric: 'kube_pod_info',
    howToEnable: 'Installed and scraped by kube-prometheus-stack by default (kubeStateMetrics.enabled=true).',
  },
  'node-exporter': {
    title: 'node_exporter',
    probeMetric: 'node_uname_info',
    howToEnable:
      'Installed by kube-prometheus-stack by default (nodeExporter.enabled=true); the netstat and conntrack ' +
      'collectors it needs are on by default.',
  },
  apiserver: {
    title: 'Kubernetes API server',
    probeMetric: 'apiserver_request_total',
    howToEnable: 'Scraped by kube-prometheus-stack by default (kubeApiServer.enabled=true).',
  },
  kyverno: {
    title: 'Kyverno',
    probeMetric: 'kyverno_policy_results_total',
    howToEnable:
      'The Kyverno chart with its metrics Service and a ServiceMonitor (admissionController.serviceMonitor.enabled=true).',
  },
  gatekeeper: {
    title: 'OPA Gatekeeper',
    probeMetric: 'gatekeeper_violations',
    howToEnable:
      'Gatekeeper exposes Prometheus metrics on port 8888 by default; add a PodMonitor or ServiceMonitor for it.',
  },
  'trivy-operator': {
    title: 'Trivy Operator',
    probeMetric: 'trivy_image_vulnerabilities',
    howToEnable: 'The trivy-operator chart with serviceMonitor.enabled=true.',
  },
  'recording-rules': {
    title: 'Container Security recording rules',
    probeMetric: 'containersec:pod_risk_score',
    howToEnable:
      'Apply rules/prometheus/containersec-prometheusrule.yaml (a PrometheusRule labelled release=<your kube-prometheus-stack release>).',
  },
};
