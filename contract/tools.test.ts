import { describe, expect, it } from 'vitest';
import { isToolPath, LaunchInputSchema } from './tools';

describe('launch paths', () => {
  it.each([
    '/',
    '/graph?g0.expr=up%7Bjob%3D%22x%22%7D',
    '/d/vtuWtdumz',
    '/?namespace=dev&verdicts=DROPPED',
    '/a%20b',
    '/x#frag',
  ])('accepts %s', (p) => expect(isToolPath(p)).toBe(true));

  it.each([
    '',
    'graph',
    '//evil.example/',
    'http://evil.example/',
    'https:/x',
    '/\\evil.example',
    '/a b',
    '/a/../b',
    '/a/%2e%2e/b',
    '/%2F%2Fevil.example',
    '/./x',
    '/%00',
    '/%zz',
    '/__cobs/logout',
    '/__COBS',
    `/${'a'.repeat(2048)}`,
  ])('refuses %j', (p) => expect(isToolPath(p)).toBe(false));

  it('the body schema allows no other field', () => {
    expect(LaunchInputSchema.safeParse({ path: '/x', url: 'http://x' }).success).toBe(false);
    expect(LaunchInputSchema.parse({})).toEqual({});
  });
});
