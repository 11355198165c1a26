import { locationService } from '@grafana/runtime';
import { prefixRoute, ROUTES } from '../../constants';
import { loadWorkingCopy, saveWorkingCopy } from '../RuleEditor/workingCopy';
import { addException, Inserted } from './exceptionYaml';
import type { ExceptionDraft } from './tuningApi';

// openInRulesEditor writes the exception into this browser's working copy of the datasource's rules files and opens
// the Rules page on that file. Nothing is deployed: the Rules page validates it and the normal plan and apply follow.
export function openInRulesEditor(datasourceUid: string, draft: ExceptionDraft): Inserted {
  const loaded = loadWorkingCopy(datasourceUid);
  const out = addException(loaded.files, draft);
  const problem = saveWorkingCopy(datasourceUid, out.files);
  if (problem) {
    throw new Error(`the working copy could not be saved in this browser: ${problem}`);
  }
  locationService.push({ pathname: prefixRoute(ROUTES.Rules), search: `?file=${encodeURIComponent(out.file)}` });
  return out;
}
