import { apiServerCases } from './apiServer';
import { falcoHealthCases } from './falcoHealth';
import { falcoRuntimeCases, perMinuteDefinitionCases } from './falcoRuntime';
import { falcoSelfCases } from './falcoSelf';
import { networkCases } from './network';
import { podFactCases } from './podFacts';
import { postureCases } from './posture';
import { riskCases } from './risk';
import type { QueryCase } from './shared';
import { topPodCases, workloadCases } from './workloads';

export const QUERY_CASES: QueryCase[] = [
  ...falcoRuntimeCases,
  ...falcoHealthCases,
  ...workloadCases,
  ...networkCases,
  ...apiServerCases,
  ...postureCases,
  ...riskCases,
  ...falcoSelfCases,
  ...podFactCases,
  ...topPodCases,
  ...perMinuteDefinitionCases,
];
