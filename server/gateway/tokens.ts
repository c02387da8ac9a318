/**
 * Launch tickets and sessions as sealed, stateless tokens: AES-256-GCM with a key derived (HKDF-SHA256) from
 * SESSION_SECRET per purpose, so a ticket never opens as a session nor the other way round, and the browser can
 * neither read nor change what is inside (the user's console JWT travels in it, for the periodic re-check).
 * Any replica with the same SESSION_SECRET opens what another sealed. Format: "v1." + base64url(iv | data | tag).
 */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import { z } from 'zod';
import { ToolIdSchema } from '../../contract';

export type Purpose = 'ticket' | 'session';

/** A token longer than this is refused before any decoding (a cookie must stay under 4 KB). */
export const MAX_TOKEN_LENGTH = 3800;

/** Who, for which tool on which host, in which team: what a ticket and the session it becomes both carry. */
const BindingSchema = z.object({
  uid: z.number().int(),
  /** Rainbond user name, e.g. "alice" (Grafana's auth.proxy user). */
  user: z.string().max(256),
  tool: ToolIdSchema,
  /** Host the token is valid on, as in access.urls, e.g. "gr1a2b3c-8081-dev.apps.example.com". */
  host: z.string().max(300),
  team: z.string().max(64),
  region: z.string().max(64),
  jwt: z.string().max(8192),
});

export const TicketSchema = BindingSchema.extend({
  /** Random id: single use is enforced on it. */
  jti: z.string().min(16).max(64),
  path: z.string().max(2048),
  /** Gateway address of the replica that issued it (it arbitrates single use), null = none reachable. */
  iss: z.string().max(300).nullable(),
  /** ms since the epoch. */
  iat: z.number(),
  exp: z.number(),
});
export type Ticket = z.infer<typeof TicketSchema>;

export const SessionSchema = BindingSchema.extend({
  sid: z.string().min(16).max(64),
  /** Launch time: the absolute lifetime counts from here (ms). */
  auth: z.number(),
  /** Last request (ms): the idle timeout counts from here. */
  seen: z.number(),
  /** Last time the user's right was confirmed by the console (ms). */
  chk: z.number(),
});
export type Session = z.infer<typeof SessionSchema>;

export interface Sealer {
  seal(purpose: Purpose, payload: object): string;
  /** The payload, or null for anything forged, truncated, of another purpose or another secret. */
  open<S extends z.ZodType>(purpose: Purpose, token: string, schema: S): z.infer<S> | null;
  /** HMAC-SHA256 (hex) for the replicas' own calls to each other. */
  sign(data: string): string;
  verify(data: string, signature: string): boolean;
}

export const newId = () => randomBytes(16).toString('base64url');

export function createSealer(secret: string | Buffer): Sealer {
  const ikm = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
  const derive = (info: string) =>
    Buffer.from(hkdfSync('sha256', ikm, 'cilium-observability/gateway', info, 32));
  // KeyObjects once: a raw Buffer key is imported again by every cipher
  const keys: Record<Purpose, KeyObject> = {
    ticket: createSecretKey(derive('ticket v1')),
    session: createSecretKey(derive('session v1')),
  };
  const peerKey = createSecretKey(derive('peer v1'));

  return {
    seal(purpose, payload) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', keys[purpose], iv);
      c.setAAD(Buffer.from(purpose));
      const data = Buffer.concat([c.update(JSON.stringify(payload), 'utf8'), c.final()]);
      return `v1.${Buffer.concat([iv, data, c.getAuthTag()]).toString('base64url')}`;
    },
    open(purpose, token, schema) {
      if (token.length > MAX_TOKEN_LENGTH || !token.startsWith('v1.')) return null;
      const raw = Buffer.from(token.slice(3), 'base64url');
      if (raw.length < 12 + 16 + 2) return null;
      try {
        const d = createDecipheriv('aes-256-gcm', keys[purpose], raw.subarray(0, 12));
        d.setAAD(Buffer.from(purpose));
        d.setAuthTag(raw.subarray(raw.length - 16));
        const text = Buffer.concat([d.update(raw.subarray(12, raw.length - 16)), d.final()]).toString('utf8');
        const r = schema.safeParse(JSON.parse(text));
        return r.success ? r.data : null;
      } catch {
        return null;
      }
    },
    sign(data) {
      return createHmac('sha256', peerKey).update(data).digest('hex');
    },
    verify(data, signature) {
      const want = Buffer.from(createHmac('sha256', peerKey).update(data).digest('hex'));
      const got = Buffer.from(signature);
      return got.length === want.length && timingSafeEqual(got, want);
    },
  };
}
