/**
 * (g)'s gateway, in its own process: the whole backend as in production (the API and the gateway listener, against
 * the fake console and Kubernetes API), Prometheus's upstream set to the stand-in tool (TOOL_UPSTREAMS). Prometheus
 * is registered, protected and launched as the panel does; the browser's Host and session cookie are reported.
 */
import { LaunchResultSchema } from '../../../contract';
import { sandboxCluster } from '../../fixtures/cluster';
import { gatewayRequest, pluginService, sessionCookieOf, splitUrl } from '../../support/gateway';
import { startStack } from '../../support/stack';
import { onStop, ready } from './child';

const upstream = process.env.BENCH_UPSTREAM;
if (!upstream) throw new Error('BENCH_UPSTREAM (the tool URL) is required');

const stack = await startStack({
  objects: [...sandboxCluster(), pluginService()],
  env: {
    TOOL_UPSTREAMS: `prometheus=${upstream}`,
    SESSION_SECRET: 'bench-session-secret-of-at-least-32-bytes',
    SELF_SERVICE: 'rbd-plugins/cilium-observability',
    LOG_LEVEL: 'error',
  },
});
const h = stack.headers('root');
await fetch(stack.api('tools/prometheus/registration'), { method: 'POST', headers: h, body: '{}' });
await fetch(stack.api('tools/prometheus/access'), { method: 'PUT', headers: h, body: '{"external":true}' });
const launched = await fetch(stack.api('tools/prometheus/launch'), {
  method: 'POST',
  headers: h,
  body: '{}',
});
const { host, path } = splitUrl(LaunchResultSchema.parse(await launched.json()).url);
const cookie = sessionCookieOf((await gatewayRequest(stack.gatewayUrl, path, { host })).headers);
if (!cookie) throw new Error('launching Prometheus opened no session');
const check = await gatewayRequest(stack.gatewayUrl, '/tiny', { host, headers: { cookie } });
if (check.status !== 200) throw new Error(`GET /tiny through the gateway answered ${check.status}`);

ready({ url: stack.gatewayUrl, host, cookie });
onStop(() => stack.close());
