import type { RuleDiagnostic, RulesFile } from '../../api/rules';

// WorkingCopyHandle is what the editor lends the panels around it (the deploy target above, deploy and export below).
export interface WorkingCopyHandle {
  datasourceUid: string;
  files: RulesFile[];
  // Errors the live validation found in the working copy.
  errorCount: number;
  // Replaces every file, as loading a release's customRules does.
  replaceFiles: (files: RulesFile[]) => void;
  // Marks problems the backend reported (a refused deploy) in the editor until the next edit.
  showProblems: (diagnostics: RuleDiagnostic[]) => void;
  goTo: (d: RuleDiagnostic) => void;
}
