/** Structured logs: one JSON line per request with id, route, status, duration; never a JWT, even at debug. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../../server/log';
import { startStack, type Stack } from '../support/stack';

const lines: string[] = [];
let s: Stack;
beforeAll(async () => {
  s = await startStack({ log: createLogger('debug', (l) => lines.push(l)) });
});
afterAll(async () => {
  await s?.close();
});

it('logs every request as one JSON line and never writes the JWT, even on errors and at debug level', async () => {
  // an enterprise admin, so the changes get as far as the risk check
  const jwt = s.token('root');
  const expired = s.console.mintToken('alice', { expiresInSeconds: -5 });
  const h = { Authorization: `GRJWT ${jwt}`, 'Content-Type': 'application/json', 'X-Request-Id': 'req-42' };
  await fetch(s.api('status'), { headers: h });
  await fetch(s.api('tools/hubble-ui/registration'), { method: 'POST', headers: h, body: '{}' });
  await fetch(s.api('tools/hubble-ui/access'), {
    method: 'PUT',
    headers: h,
    body: '{"external":true,"mode":"open"}',
  });
  await fetch(s.api('status'), { headers: { Authorization: `GRJWT ${expired}` } });
  await fetch(s.api('status'), { headers: { Cookie: `token=${jwt}` } });

  expect(lines.length).toBeGreaterThan(5);
  const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  const requests = parsed.filter((p) => p.msg === 'request');
  expect(requests.find((r) => r.requestId === 'req-42' && r.route === '/api/v1/status')).toMatchObject({
    level: 'info',
    method: 'GET',
    status: 200,
    durationMs: expect.any(Number),
  });
  expect(requests.some((r) => r.status === 409 && r.error === 'RISKS_NOT_ACKNOWLEDGED')).toBe(true);
  expect(requests.some((r) => r.status === 401)).toBe(true);
  // Console calls are logged at debug.
  expect(parsed.some((p) => p.level === 'debug')).toBe(true);
  const all = lines.join('\n');
  for (const secret of [jwt, expired, jwt.split('.')[2]!, expired.split('.')[2]!])
    expect(all).not.toContain(secret);
});
