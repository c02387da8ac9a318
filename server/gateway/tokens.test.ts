import { describe, expect, it } from 'vitest';
import { createSealer, SessionSchema, TicketSchema, type Ticket } from './tokens';

const ticket: Ticket = {
  jti: 'abcdefghijklmnopqrstuv',
  uid: 7,
  user: 'alice',
  tool: 'prometheus',
  host: 'gr1a2b3c-8081-dev.apps.example.test',
  team: 'dev',
  region: 'rainbond',
  path: '/graph',
  jwt: 'a.b.c',
  iss: null,
  iat: 1,
  exp: 2,
};

describe('sealed tokens', () => {
  const a = createSealer('x'.repeat(32));

  it('opens what it sealed, and nothing of the payload is readable in the token', () => {
    const t = a.seal('ticket', ticket);
    expect(t).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(Buffer.from(t.slice(3), 'base64url').toString('latin1')).not.toContain('alice');
    expect(a.open('ticket', t, TicketSchema)).toEqual(ticket);
  });

  it('another replica with the same secret opens it; another secret does not', () => {
    const t = a.seal('ticket', ticket);
    expect(createSealer('x'.repeat(32)).open('ticket', t, TicketSchema)).toEqual(ticket);
    expect(createSealer('y'.repeat(32)).open('ticket', t, TicketSchema)).toBeNull();
  });

  it('a ticket never opens as a session', () => {
    expect(a.open('session', a.seal('ticket', ticket), SessionSchema)).toBeNull();
  });

  it.each([
    ['a flipped byte', (t: string) => t.slice(0, 10) + (t[10] === 'A' ? 'B' : 'A') + t.slice(11)],
    ['truncated', (t: string) => t.slice(0, -4)],
    ['no version', (t: string) => t.slice(3)],
    ['too long', (t: string) => t + 'A'.repeat(4000)],
    ['garbage', () => 'v1.!!!'],
  ])('refuses %s', (_name, change) => {
    expect(a.open('ticket', change(a.seal('ticket', ticket)), TicketSchema)).toBeNull();
  });

  it('refuses a well-sealed payload of the wrong shape', () => {
    expect(a.open('ticket', a.seal('ticket', { ...ticket, tool: 'kibana' }), TicketSchema)).toBeNull();
  });

  it('signs and verifies the replicas’ calls', () => {
    const sig = a.sign('123\n{}');
    expect(createSealer('x'.repeat(32)).verify('123\n{}', sig)).toBe(true);
    expect(a.verify('124\n{}', sig)).toBe(false);
    expect(a.verify('123\n{}', 'short')).toBe(false);
  });
});
