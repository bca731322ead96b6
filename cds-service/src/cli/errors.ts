/**
 * CLI failures: `usage` (bad arguments; exit 2) and `input` (a file that cannot be used; exit 1).
 * main.ts is the only place that turns one into an exit code and a message.
 */
export type CliErrorKind = 'usage' | 'input';

export class CliError extends Error {
  constructor(
    readonly kind: CliErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }

  get exitCode(): number {
    return this.kind === 'usage' ? 2 : 1;
  }
}
