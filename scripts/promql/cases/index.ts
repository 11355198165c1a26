import { apiServerCases } from './apiServer';
import { falcoHealthCases } from './falcoHealth';
import { falcoRuntimeCases } from './falcoRuntime';
import { networkCases } from './network';
import { postureCases } from './posture';
import { riskCases } from './risk';
import type { QueryCase } from './shared';
import { workloadCases } from './workloads';

export const QUERY_CASES: QueryCase[] = [
  ...falcoRuntimeCases,
  ...falcoHealthCases,
  ...workloadCases,
  ...networkCases,
  ...apiServerCases,
  ...postureCases,
  ...riskCases,
];
