import { lastValueFrom } from 'rxjs';
import { getBackendSrv } from '@grafana/runtime';

export interface HealthComponent {
  name: string;
  ok: boolean;
  message: string;
}

export interface FalcoHealth {
  status: 'OK' | 'ERROR' | 'UNKNOWN';
  message: string;
  components: HealthComponent[];
}

interface HealthResponse {
  status?: string;
  message?: string;
  details?: { components?: HealthComponent[] };
}

// checkFalcoHealth runs the datasource's CheckHealth through Grafana (the same call as "Save & test").
export async function checkFalcoHealth(uid: string): Promise<FalcoHealth> {
  try {
    const res = await lastValueFrom(
      getBackendSrv().fetch<HealthResponse>({
        url: `/api/datasources/uid/${encodeURIComponent(uid)}/health`,
        method: 'GET',
        showErrorAlert: false,
      })
    );
    return toHealth(res.data);
  } catch (err: unknown) {
    // Grafana answers 400 with the same body when the check fails.
    const data = (err as { data?: HealthResponse })?.data;
    if (data?.message) {
      return toHealth(data);
    }
    return { status: 'UNKNOWN', message: 'Grafana did not answer the health check', components: [] };
  }
}

function toHealth(d: HealthResponse): FalcoHealth {
  return {
    status: d.status === 'OK' ? 'OK' : 'ERROR',
    message: d.message ?? '',
    components: d.details?.components ?? [],
  };
}
