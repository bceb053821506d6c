// HTTP exactly as written: the path goes on the wire byte for byte (fetch would normalise it) and
// any header can be set, as an attacker's client would.
import http from 'node:http';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  body: any;
}

export function rawRequest(
  baseUrl: string,
  method: string,
  path: string,
  opts: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  const u = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, method, path, headers: opts.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: any = text;
        try {
          body = text ? JSON.parse(text) : null;
        } catch {
          // not JSON
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** The same path with the first letter of every segment percent-encoded (`/api/x` → `/%61pi/%78`). */
export function percentEncoded(path: string): string {
  return path
    .split('/')
    .map((seg) => (seg && /^[A-Za-z]/.test(seg) ? `%${seg.charCodeAt(0).toString(16)}${seg.slice(1)}` : seg))
    .join('/');
}
