import type { RulesFile, ValidateResult } from '../../api/rules';

export interface ValidationState {
  result?: ValidateResult;
  // Why the last validation failed; the last good result stays shown beside it.
  error?: string;
  pending: boolean;
}

// The pause in typing after which the files are sent; pkg/rules validates a custom file in milliseconds.
export const VALIDATE_DELAY_MS = 400;

// DebouncedValidator sends the files once typing pauses and drops answers to requests a newer one superseded.
export class DebouncedValidator {
  private timer?: ReturnType<typeof setTimeout>;
  private latest = 0;
  private state: ValidationState = { pending: false };

  constructor(
    private readonly validate: (files: RulesFile[]) => Promise<ValidateResult>,
    private readonly onState: (state: ValidationState) => void,
    private readonly delayMs = VALIDATE_DELAY_MS
  ) {}

  schedule(files: RulesFile[]): void {
    clearTimeout(this.timer);
    this.latest++;
    this.emit({ ...this.state, pending: true });
    this.timer = setTimeout(() => this.send(files, this.latest), this.delayMs);
  }

  dispose(): void {
    clearTimeout(this.timer);
    // Any answer still in flight now belongs to an older request.
    this.latest++;
  }

  private async send(files: RulesFile[], request: number): Promise<void> {
    try {
      const result = await this.validate(files);
      if (request === this.latest) {
        this.emit({ result, pending: false });
      }
    } catch (e) {
      if (request === this.latest) {
        this.emit({ result: this.state.result, error: e instanceof Error ? e.message : String(e), pending: false });
      }
    }
  }

  private emit(state: ValidationState): void {
    this.state = state;
    this.onState(state);
  }
}
