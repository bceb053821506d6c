// The process logger: pino, with secrets redacted wherever they might appear — in fields named
// like secrets, in auth headers, and in URLs (the WebSocket takes its session token as `?token=`).
import pino, { type DestinationStream, type Logger } from 'pino';

export const REDACT = [
  'secret',
  'password',
  'adminPassword',
  'token',
  'mailImapUrl',
  '*.mailImapUrl',
  '*.secret',
  '*.password',
  '*.adminPassword',
  '*.token',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

const CENSOR = '[redacted]';
const SECRET_PARAM = /([?&](?:token|access_token|password|secret)=)[^&#]*/gi;

// A customer link's token is its path: `/r/<token>`.
const LINK_PATH = /^(\/r\/)[^/?#]+/;

/** The URL with the values of secret-bearing query parameters (and a customer link's token) replaced. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAM, `$1${CENSOR}`).replace(LINK_PATH, `$1${CENSOR}`);
}

interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/** Fastify's request serializer, minus what a URL may carry. */
function req(r: LoggedRequest) {
  return {
    method: r.method,
    url: typeof r.url === 'string' ? redactUrl(r.url) : r.url,
    host: r.host,
    remoteAddress: r.ip,
    remotePort: r.socket?.remotePort,
  };
}

/** `destination` defaults to stdout; tests pass their own to read what would be written. */
export function createLogger(level = 'info', destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: REDACT, censor: CENSOR }, serializers: { req } };
  return destination ? pino(options, destination) : pino(options);
}
