import { lastValueFrom } from 'rxjs';
import { getBackendSrv } from '@grafana/runtime';
import { toDeployError } from './deploy';

// GET tuning/rule-rate (pkg/plugin/rule_rate.go): a rule's stored events before and after the last deploy that changed it.

export interface RateWindow {
  from: string;
  to: string;
  events: number;
  perHour: number;
}

export interface RuleRate {
  rule: string;
  state: 'compared' | 'no_deploy' | 'too_soon';
  deploy?: { namespace: string; name: string; revision: number; time: string; action: string; user: string };
  before?: RateWindow;
  after?: RateWindow;
  notes: string[];
}

export async function getRuleRate(uid: string, rule: string): Promise<RuleRate> {
  try {
    const res = await lastValueFrom(
      getBackendSrv().fetch<RuleRate>({
        url: `/api/datasources/uid/${encodeURIComponent(uid)}/resources/tuning/rule-rate?${new URLSearchParams({ rule })}`,
        method: 'GET',
        showErrorAlert: false,
      })
    );
    return { ...res.data, notes: res.data.notes ?? [] };
  } catch (e) {
    throw toDeployError(e);
  }
}
