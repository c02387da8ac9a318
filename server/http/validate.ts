/** zod at the HTTP boundary: every failure is 400 INVALID_INPUT naming the fields, never a 5xx. */
import type { Context } from 'hono';
import type { z } from 'zod';
import { invalidInput } from '../errors';
import { MAX_BODY_BYTES, readBoundedText } from './body-limit';
import type { AppEnv } from './env';

export { MAX_BODY_BYTES };

function fields(error: z.ZodError): { field: string; problem: string }[] {
  return error.issues.map((i) => ({ field: i.path.join('.') || '(root)', problem: i.message }));
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw invalidInput(`invalid ${what}`, { fields: fields(r.error) });
  return r.data;
}

/** Query parameters as a plain object; a repeated parameter is invalid (ambiguous). */
export function parseQuery<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  const all = c.req.queries();
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(all)) {
    if (v.length > 1)
      throw invalidInput(`query parameter ${k} given more than once`, {
        fields: [{ field: k, problem: 'repeated' }],
      });
    flat[k] = v[0] ?? '';
  }
  return parseWith(schema, flat, 'query');
}

/** JSON body, read at most up to MAX_BODY_BYTES; an empty body counts as `{}`. */
export async function parseJsonBody<S extends z.ZodType>(c: Context<AppEnv>, schema: S): Promise<z.infer<S>> {
  const text = await readBoundedText(c);
  let value: unknown = {};
  if (text.trim() !== '') {
    try {
      value = JSON.parse(text);
    } catch {
      throw invalidInput('body is not valid JSON');
    }
  }
  return parseWith(schema, value, 'body');
}
