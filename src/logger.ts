// The process logger: pino, with secrets redacted wherever they might appear.
import pino, { type Logger } from 'pino';

export const REDACT = [
  'secret',
  'password',
  'adminPassword',
  'token',
  '*.secret',
  '*.password',
  '*.adminPassword',
  '*.token',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

export function createLogger(level = 'info'): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' } });
}
