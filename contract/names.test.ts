import { describe, expect, it } from 'vitest';
import { DNS1123_LABEL } from './names';

describe('DNS1123_LABEL', () => {
  it.each([
    ['cilium-observability', true],
    ['kube-system', true],
    ['a', true],
    ['0abc', true],
    ['a'.repeat(63), true],
    ['a'.repeat(64), false],
    ['Kube_System', false],
    ['-cilium', false],
    ['cilium-', false],
    ['', false],
  ])('%j → %s', (name, valid) => {
    expect(DNS1123_LABEL.test(name)).toBe(valid);
  });
});
