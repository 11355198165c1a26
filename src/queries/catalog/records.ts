// Names of the series this project's recording rules write (rules/prometheus). Panels that would be too slow over a
// day read these instead of the raw series; the `.definition` entries hold the expression each one records.

export const CPU_RATIO_RECORD = 'containersec:container_cpu_limit_ratio';
export const MEMORY_RATIO_RECORD = 'containersec:container_memory_limit_ratio';
export const POD_CPU_RATIO_RECORD = 'containersec:pod_cpu_limit_ratio';
export const POD_MEMORY_RATIO_RECORD = 'containersec:pod_memory_limit_ratio';
export const RESTARTS_RECORD = 'containersec:pod_restarts:increase1h';
export const POD_RESTARTS_RECORD = 'containersec:pod_restarts:count1m';
export const POD_OOM_EVENTS_RECORD = 'containersec:pod_oom_events:count1m';
export const FALCO_EVENTS_RECORD = 'containersec:pod_falco_events:1h';
export const RISK_SCORE_RECORD = 'containersec:pod_risk_score';
export const POD_PACKETS_RECORD = 'containersec:pod_network_packets:rate5m';
export const POD_CPU_RECORD = 'containersec:pod_cpu_usage:rate5m';
export const POD_MEMORY_RECORD = 'containersec:pod_memory_working_set:bytes';
export const POD_PROCESSES_RECORD = 'containersec:pod_processes';
export const POD_THREADS_RECORD = 'containersec:pod_threads';
export const POD_FACTS_RECORD = 'containersec:pod_container_facts';
