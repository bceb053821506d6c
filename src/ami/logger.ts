// The slice of a pino logger the AMI edge uses, so that any pino-compatible logger can be passed in.
export type AmiLogFn = (obj: object, msg?: string) => void;

export interface AmiLogger {
  child(bindings: Record<string, unknown>): AmiLogger;
  debug: AmiLogFn;
  info: AmiLogFn;
  warn: AmiLogFn;
  error: AmiLogFn;
}
