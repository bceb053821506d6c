// A small JSON client for a running service: what every integration test uses to talk HTTP.
export interface HttpClient {
  request(method: string, path: string, token: string | null, body?: unknown): Promise<{ status: number; body: any }>;
  /** Logs in and returns the bearer token (fails the test when refused). */
  login(login: string, password: string): Promise<string>;
}

export function httpClient(url: string): HttpClient {
  async function request(method: string, path: string, token: string | null, body?: unknown) {
    const res = await fetch(url + path, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    let parsed: any = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON
    }
    return { status: res.status, body: parsed };
  }

  async function login(l: string, p: string) {
    const res = await request('POST', '/api/session', null, { login: l, password: p });
    if (res.status !== 200) throw new Error(`login ${l} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.token as string;
  }

  return { request, login };
}
