import { useEffect, useState } from 'react';
import { getRulesCatalog, RulesCatalog } from '../../api/rules';

interface CatalogState {
  uid?: string;
  catalog?: RulesCatalog;
  error?: string;
}

// useRulesCatalog loads what autocomplete offers; without it the editor still validates.
export function useRulesCatalog(datasourceUid: string): CatalogState {
  const [state, setState] = useState<CatalogState>({});
  useEffect(() => {
    let current = true;
    getRulesCatalog(datasourceUid).then(
      (catalog) => current && setState({ uid: datasourceUid, catalog }),
      (e: Error) => current && setState({ uid: datasourceUid, error: e.message })
    );
    return () => {
      current = false;
    };
  }, [datasourceUid]);
  // An answer for a datasource no longer shown is not used.
  return state.uid === datasourceUid ? state : {};
}
