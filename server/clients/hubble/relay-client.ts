/**
 * Our narrow client for Hubble Relay's observer.Observer (grpc-js + the .proto subset in ./proto).
 * Replies are zod-parsed here; failures become AppError UPSTREAM_ERROR with the gRPC status name in details.
 */
import * as grpc from '@grpc/grpc-js';
import { AppError, upstreamError } from '../../errors';
import type { Logger } from '../../log';
import type { Metrics } from '../../metrics';
import { relayUsesTls, type RelayTlsMode } from '../../cilium/relay';
import { observerClientConstructor } from './proto';
import {
  GetFlowsResponseSchema,
  GetNodesResponseSchema,
  ServerStatusResponseSchema,
  type GetFlowsRequest,
  type GetFlowsResponse,
  type GetNodesResponse,
  type ServerStatusResponse,
} from './schemas';

export interface RelayTlsOptions {
  /** PEM of the Hubble CA; absent = system roots. */
  ca?: Buffer;
  /** Client certificate + key for mTLS (relay server TLS requires a cert signed by the Hubble CA). */
  cert?: Buffer;
  key?: Buffer;
  /** e.g. "ui.hubble-relay.cilium.io" (the relay's server cert is for *.hubble-relay.cilium.io). */
  serverName?: string;
}

export interface RelayClientOptions {
  /** host:port, e.g. "hubble-relay.kube-system.svc:80". */
  address: string;
  /** null/absent = plaintext h2c (relay's default `disable-server-tls: true`). */
  tls?: RelayTlsOptions | null;
  log: Logger;
  metrics?: Metrics;
  /** Deadline of ServerStatus / GetNodes, ms. */
  unaryTimeoutMs?: number;
}

export interface GetFlowsCallOptions {
  /** Whole-call deadline in ms (bounded reads); absent for follow streams, which end on abort. */
  deadlineMs?: number;
}

export interface RelayClient {
  readonly address: string;
  readonly tls: boolean;
  serverStatus(): Promise<ServerStatusResponse>;
  getNodes(): Promise<GetNodesResponse>;
  /** Server stream of GetFlowsResponse; aborting `signal` (or breaking the loop) cancels the gRPC call. */
  getFlows(
    req: GetFlowsRequest,
    signal?: AbortSignal,
    opts?: GetFlowsCallOptions,
  ): AsyncIterable<GetFlowsResponse>;
  close(): void;
}

/** gRPC status name of a failed relay call, e.g. "UNAVAILABLE", from an AppError this module threw. */
export function relayErrorCode(e: unknown): string | null {
  if (!(e instanceof AppError)) return null;
  const d = e.details as { grpcCode?: unknown } | undefined;
  return typeof d?.grpcCode === 'string' ? d.grpcCode : null;
}

const STATUS_NAMES = Object.fromEntries(
  Object.entries(grpc.status)
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => [v as number, k]),
) as Record<number, string>;

function toAppError(e: unknown, address: string, operation: string): AppError {
  const err = e as Partial<grpc.ServiceError>;
  const code = typeof err.code === 'number' ? (STATUS_NAMES[err.code] ?? String(err.code)) : 'UNKNOWN';
  const detail = (err.details ?? (e instanceof Error ? e.message : String(e))).slice(0, 300);
  return upstreamError('relay', `${operation} on ${address} failed: ${code}: ${detail}`, {
    grpcCode: code,
    address,
  });
}

function credentialsFor(tls: RelayTlsOptions | null | undefined): grpc.ChannelCredentials {
  if (!tls) return grpc.credentials.createInsecure();
  return grpc.credentials.createSsl(tls.ca ?? null, tls.key ?? null, tls.cert ?? null);
}

export function createRelayClient(opts: RelayClientOptions): RelayClient {
  const Observer = observerClientConstructor();
  const channelOptions: grpc.ChannelOptions = {
    // Long follow streams through proxies/NAT: ping every 30 s.
    'grpc.keepalive_time_ms': 30_000,
    'grpc.keepalive_timeout_ms': 10_000,
    'grpc.max_receive_message_length': 16 * 1024 * 1024,
  };
  if (opts.tls?.serverName) {
    channelOptions['grpc.ssl_target_name_override'] = opts.tls.serverName;
    channelOptions['grpc.default_authority'] = opts.tls.serverName;
  }
  const client = new Observer(opts.address, credentialsFor(opts.tls), channelOptions) as grpc.Client &
    Record<string, (...args: unknown[]) => unknown>;
  const unaryTimeoutMs = opts.unaryTimeoutMs ?? 3_000;
  const log = opts.log.child({ upstream: 'relay', address: opts.address });

  function unary<T>(operation: 'ServerStatus' | 'GetNodes', parse: (v: unknown) => T): Promise<T> {
    const started = performance.now();
    const done = (outcome: 'ok' | 'error') =>
      opts.metrics?.observeUpstream('relay', operation, outcome, (performance.now() - started) / 1000);
    return new Promise<T>((resolve, reject) => {
      const fn = client[operation];
      if (!fn) return reject(new Error(`${operation} missing from the Observer definition`));
      fn.call(
        client,
        {},
        { deadline: Date.now() + unaryTimeoutMs },
        (err: grpc.ServiceError | null, value: unknown) => {
          if (err) {
            done('error');
            log.debug('relay call failed', { operation, code: err.code });
            return reject(toAppError(err, opts.address, operation));
          }
          try {
            const parsed = parse(value);
            done('ok');
            resolve(parsed);
          } catch (e) {
            done('error');
            reject(upstreamError('relay', `${operation}: unexpected reply shape`, { grpcCode: 'INTERNAL' }));
            log.warn('relay reply failed validation', { operation, error: String(e).slice(0, 300) });
          }
        },
      );
    });
  }

  async function* getFlows(
    req: GetFlowsRequest,
    signal?: AbortSignal,
    callOpts?: GetFlowsCallOptions,
  ): AsyncGenerator<GetFlowsResponse> {
    if (signal?.aborted) return;
    const started = performance.now();
    const metadata = new grpc.Metadata();
    const options: grpc.CallOptions = callOpts?.deadlineMs
      ? { deadline: Date.now() + callOpts.deadlineMs }
      : {};
    const call = (
      client.GetFlows as (
        r: unknown,
        m: grpc.Metadata,
        o: grpc.CallOptions,
      ) => grpc.ClientReadableStream<unknown>
    )(req, metadata, options);
    const onAbort = () => call.cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
    let outcome: 'ok' | 'error' = 'ok';
    try {
      for await (const raw of call) {
        const parsed = GetFlowsResponseSchema.safeParse(raw);
        if (!parsed.success) {
          log.warn('relay GetFlows message failed validation', { error: parsed.error.message.slice(0, 300) });
          continue;
        }
        yield parsed.data;
      }
    } catch (e) {
      if (signal?.aborted || (e as Partial<grpc.ServiceError>).code === grpc.status.CANCELLED) return;
      outcome = 'error';
      throw toAppError(e, opts.address, 'GetFlows');
    } finally {
      signal?.removeEventListener('abort', onAbort);
      // Ends the server stream too when the consumer stopped early (break/return).
      call.cancel();
      opts.metrics?.observeUpstream('relay', 'GetFlows', outcome, (performance.now() - started) / 1000);
    }
  }

  return {
    address: opts.address,
    tls: Boolean(opts.tls),
    serverStatus: () => unary('ServerStatus', (v) => ServerStatusResponseSchema.parse(v)),
    getNodes: () => unary('GetNodes', (v) => GetNodesResponseSchema.parse(v)),
    getFlows,
    close: () => client.close(),
  };
}

export interface RelayConnectorDeps {
  /** Current relay host:port or null when none is found; read on every call (cheap, from the cluster view). */
  getRelayAddress: () => string | null;
  /** HUBBLE_RELAY_TLS; default "auto" (TLS when the port is 443). */
  tlsMode?: RelayTlsMode;
  tls?: RelayTlsOptions;
  log: Logger;
  metrics?: Metrics;
  unaryTimeoutMs?: number;
  /** Injected in tests. */
  createClient?: (opts: RelayClientOptions) => RelayClient;
}

export interface RelayConnector {
  /** The client for the current address (the channel is re-created when the address changes), or null. */
  current(): RelayClient | null;
  /** The address current() would dial, or null. */
  address(): string | null;
  close(): void;
}

export function createRelayConnector(deps: RelayConnectorDeps): RelayConnector {
  const make = deps.createClient ?? createRelayClient;
  let client: RelayClient | null = null;
  return {
    address: () => deps.getRelayAddress(),
    current() {
      const address = deps.getRelayAddress();
      if (client && client.address !== address) {
        deps.log.info('relay address changed, re-creating the channel', {
          from: client.address,
          to: address,
        });
        client.close();
        client = null;
      }
      if (!address) return null;
      if (!client) {
        client = make({
          address,
          tls: relayUsesTls(deps.tlsMode ?? 'auto', address) ? (deps.tls ?? {}) : null,
          log: deps.log,
          ...(deps.metrics ? { metrics: deps.metrics } : {}),
          ...(deps.unaryTimeoutMs ? { unaryTimeoutMs: deps.unaryTimeoutMs } : {}),
        });
      }
      return client;
    },
    close() {
      client?.close();
      client = null;
    },
  };
}
