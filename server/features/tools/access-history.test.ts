import { describe, expect, it } from 'vitest';
import type { ConsoleEvent } from '../../clients/rainbond/types';
import { lastAccessChangeOf } from './access-history';

const ev = (over: Partial<ConsoleEvent>): ConsoleEvent => ({
  optType: 'handle-service-outerport',
  userName: 'admin',
  requestBody: '{"operation":"open","enterprise_id":"e","operator":"admin"}',
  status: 'success',
  createTime: '2025-05-01T16:00:00+08:00',
  ...over,
});

describe('lastAccessChangeOf (events newest first)', () => {
  it.each([
    [
      'an open',
      [ev({})],
      { external: true, user: 'admin', at: '2025-05-01T08:00:00.000Z', source: 'console' },
    ],
    [
      'a close after an open',
      [ev({ requestBody: '{"operation":"close"}', userName: 'olivia' }), ev({})],
      { external: false, user: 'olivia', at: '2025-05-01T08:00:00.000Z', source: 'console' },
    ],
    [
      'past other events and a failed change',
      [ev({ optType: 'restart' }), ev({ status: 'failure', requestBody: '{"operation":"close"}' }), ev({})],
      { external: true, user: 'admin', at: '2025-05-01T08:00:00.000Z', source: 'console' },
    ],
    ['none for inner-port changes only', [ev({ optType: 'handle-service-innerport' })], null],
    ['none for a truncated body', [ev({ requestBody: '{"operation":"op' })], null],
    ['none for a bad time', [ev({ createTime: 'yesterday' })], null],
    ['none at all', [], null],
  ])('%s', (_n, events, expected) => {
    expect(lastAccessChangeOf(events)).toEqual(expected);
  });

  it('names an unknown user "?"', () => {
    expect(lastAccessChangeOf([ev({ userName: '' })])?.user).toBe('?');
  });
});
