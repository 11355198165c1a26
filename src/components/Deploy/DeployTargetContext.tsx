import React, { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import {
  DEFAULT_ROLLOUT_TIMEOUT_SECONDS,
  DeployError,
  DeploySettingsView,
  getDeploySettings,
  listReleases,
  Release,
  toDeployError,
} from '../../api/deploy';

export interface DeployTarget {
  datasourceUid: string;
  settings?: DeploySettingsView;
  releases?: Release[];
  loading: boolean;
  // Why the releases could not be listed: the cluster connection's status.
  error?: DeployError;
  target?: Release;
  select: (key: string) => void;
  // Lists the releases again and answers the chosen one as it is now.
  refresh: () => Promise<Release | undefined>;
  timeoutSeconds: number;
  exportOpen: boolean;
  setExportOpen: (open: boolean) => void;
}

export const releaseKey = (r: { namespace: string; name: string }) => `${r.namespace}/${r.name}`;

const Context = createContext<DeployTarget | undefined>(undefined);

export function useDeployTarget(): DeployTarget {
  const v = useContext(Context);
  if (!v) {
    throw new Error('useDeployTarget outside DeployTargetProvider');
  }
  return v;
}

// DeployTargetProvider knows the Falco datasource's cluster connection and the release the rules deploy to; the
// target picker above the editor and the deploy panel below it share it.
export function DeployTargetProvider({
  datasourceUid,
  children,
}: {
  datasourceUid: string;
  children: React.ReactNode;
}) {
  const [settings, setSettings] = useState<DeploySettingsView>();
  const [releases, setReleases] = useState<Release[]>();
  const [error, setError] = useState<DeployError>();
  const [loading, setLoading] = useState(true);
  const [selected, setSelected] = useState<string>();
  const [exportOpen, setExportOpen] = useState(false);
  const selectedRef = useRef<string>();
  const select = useCallback((key: string | undefined) => {
    selectedRef.current = key;
    setSelected(key);
  }, []);

  // The release chosen before stays chosen while it exists; otherwise the first one the backend lists.
  const took = useCallback(
    (list: Release[]) => {
      setReleases(list);
      setError(undefined);
      setLoading(false);
      const chosen = list.find((r) => releaseKey(r) === selectedRef.current) ?? list[0];
      select(chosen ? releaseKey(chosen) : undefined);
      return chosen;
    },
    [select]
  );
  const failed = useCallback((e: unknown) => {
    setError(toDeployError(e));
    setReleases(undefined);
    setLoading(false);
    return undefined;
  }, []);

  const refresh = useCallback(async () => {
    setLoading(true);
    return listReleases(datasourceUid).then(took, failed);
  }, [datasourceUid, took, failed]);

  useEffect(() => {
    getDeploySettings(datasourceUid).then(setSettings, () => setSettings(undefined));
    listReleases(datasourceUid).then(took, failed);
  }, [datasourceUid, took, failed]);

  const value = useMemo<DeployTarget>(
    () => ({
      datasourceUid,
      settings,
      releases,
      loading,
      error,
      target: releases?.find((r) => releaseKey(r) === selected),
      select,
      refresh,
      timeoutSeconds: settings?.rolloutTimeoutSeconds || DEFAULT_ROLLOUT_TIMEOUT_SECONDS,
      exportOpen,
      setExportOpen,
    }),
    [datasourceUid, settings, releases, loading, error, selected, select, refresh, exportOpen]
  );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}
