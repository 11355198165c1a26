// The scenario's size. CONTAINERSEC_SCENARIO_SCALE="nodes=30,podsPerNode=9,containers=2" adds nodes (each with its
// DaemonSet pods: Falco, kube-proxy, aws-node, node-exporter) and `podsPerNode` application pods of `containers`
// containers on every node to the fixed cluster; unset, the scenario is the fixed cluster alone (about 5,400 series).
// Read once when the cluster module loads: one process serves one size (the benchmark runs a child per size).
export interface ClusterScale {
  nodes: number; // at least the fixed cluster's 3
  podsPerNode: number;
  containers: number; // per application pod: an app container and containers - 1 sidecars
}

export const SCALE_ENV = 'CONTAINERSEC_SCENARIO_SCALE';

export function parseScale(text: string | undefined): ClusterScale | undefined {
  if (!text) {
    return undefined;
  }
  const fields = Object.fromEntries(
    text.split(',').map((part) => {
      const [key, value] = part.split('=').map((x) => x.trim());
      return [key, Number(value)];
    })
  );
  const scale = { nodes: fields.nodes, podsPerNode: fields.podsPerNode, containers: fields.containers ?? 1 };
  const keys = Object.keys(fields).filter((k) => !['nodes', 'podsPerNode', 'containers'].includes(k));
  if (
    keys.length > 0 ||
    !Number.isInteger(scale.nodes) ||
    scale.nodes < 3 ||
    !Number.isInteger(scale.podsPerNode) ||
    scale.podsPerNode < 0 ||
    !Number.isInteger(scale.containers) ||
    scale.containers < 1
  ) {
    throw new Error(
      `${SCALE_ENV}="${text}": expected nodes=<3 or more>,podsPerNode=<0 or more>[,containers=<1 or more>]`
    );
  }
  return scale;
}

export const SCALE = parseScale(process.env[SCALE_ENV]);
