import { describe, expect, it } from 'vitest';
import { ApiError, describeError } from './errors';

describe('describeError', () => {
  it.each([
    [
      '401 → session expired',
      new ApiError(401, 'UNAUTHENTICATED', 'rejected JWT'),
      'session',
      'error.session',
      false,
    ],
    [
      '403 → no permission',
      new ApiError(403, 'FORBIDDEN', 'not a member'),
      'forbidden',
      'error.forbidden',
      false,
    ],
    [
      '502 ours → console/cluster failed',
      new ApiError(502, 'UPSTREAM_ERROR', 'console: 500'),
      'upstream',
      'error.upstream',
      true,
    ],
    [
      '502 from the console proxy → backend unreachable',
      new ApiError(502, null, 'Bad Gateway'),
      'unreachable',
      'error.unreachable',
      true,
    ],
    [
      '504 from a gateway → backend unreachable',
      new ApiError(504, null, 'Gateway Timeout'),
      'unreachable',
      'error.unreachable',
      true,
    ],
    [
      'network error → backend unreachable',
      new ApiError(0, null, 'Failed to fetch'),
      'unreachable',
      'error.unreachable',
      true,
    ],
    [
      '503 ours → syncing',
      new ApiError(503, 'UNAVAILABLE', 'not synced'),
      'unavailable',
      'error.unavailable',
      true,
    ],
    [
      '429 → busy, retry in a moment',
      new ApiError(429, 'TOO_MANY_REQUESTS', 'you already have 2 summary requests running'),
      'busy',
      'error.busy',
      true,
    ],
    [
      '409 → conflict with message',
      new ApiError(409, 'NOT_REGISTERED', 'register first'),
      'conflict',
      'error.conflict',
      false,
    ],
    ['400 → invalid', new ApiError(400, 'INVALID_INPUT', 'team'), 'invalid', 'error.invalid', false],
    ['anything else → unknown', new Error('boom'), 'unknown', 'error.unknown', true],
  ])('%s', (_name, err, kind, key, retryable) => {
    const d = describeError(err);
    expect(d).toMatchObject({ kind, key, retryable });
  });

  it("keeps the backend's message as the detail, but not a proxy's status text", () => {
    expect(describeError(new ApiError(502, 'UPSTREAM_ERROR', 'console: team not found')).detail).toBe(
      'console: team not found',
    );
    expect(describeError(new ApiError(502, null, 'Bad Gateway')).detail).toBeNull();
  });
});
