// Writes the whole scenario as one OpenMetrics file: `npx tsx scripts/promql/scenario/generate.ts <file>`.
import { apiserverFamilies } from './exporters/apiserver';
import { cadvisorFamilies } from './exporters/cadvisor';
import { falcoFamilies } from './exporters/falco';
import { falcosidekickFamilies } from './exporters/falcosidekick';
import { kubeStateMetricsFamilies } from './exporters/kubeStateMetrics';
import { nodeExporterFamilies } from './exporters/nodeExporter';
import { policyEngineFamilies } from './exporters/policyEngines';
import { upFamily } from './exporters/up';
import { Family, writeOpenMetrics, WriteStats } from './openmetrics';

export function scenarioFamilies(): Family[] {
  const families = [
    upFamily(),
    ...falcoFamilies(),
    ...falcosidekickFamilies(),
    ...cadvisorFamilies(),
    ...kubeStateMetricsFamilies(),
    ...nodeExporterFamilies(),
    ...apiserverFamilies(),
    ...policyEngineFamilies(),
  ];
  const names = new Set<string>();
  for (const f of families) {
    // OpenMetrics allows each family once: a second block with the same name is a parse error in promtool.
    if (names.has(f.name)) {
      throw new Error(`metric family ${f.name} is generated twice`);
    }
    names.add(f.name);
  }
  return families;
}

export function generateScenario(path: string): WriteStats {
  return writeOpenMetrics(path, scenarioFamilies());
}

if (require.main === module) {
  const path = process.argv[2];
  if (!path) {
    console.error('usage: generate.ts <output.om>');
    process.exit(2);
  }
  const started = Date.now();
  const stats = generateScenario(path);
  console.log(
    `${stats.series} series, ${stats.samples} samples, ${(stats.bytes / 1e6).toFixed(0)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s`
  );
}
