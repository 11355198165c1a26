import { useEffect, useRef, useState } from 'react';
import { RulesFile, validateRules } from '../../api/rules';
import { DebouncedValidator, ValidationState } from './validator';

// useRulesValidation validates the files through the Falco datasource whenever they change, debounced.
export function useRulesValidation(datasourceUid: string, files: RulesFile[]): ValidationState {
  const [state, setState] = useState<ValidationState>({ pending: false });
  const validator = useRef<DebouncedValidator>();

  useEffect(() => {
    const v = new DebouncedValidator((f) => validateRules(datasourceUid, f), setState);
    validator.current = v;
    return () => v.dispose();
  }, [datasourceUid]);

  useEffect(() => {
    if (files.length > 0) {
      validator.current?.schedule(files);
    }
  }, [files, datasourceUid]);

  return state;
}
