import { describe, expect, it } from 'vitest';
import { ciliumVersionFromTag, imageTag, isAtLeast, parseVersion } from './versions';

describe('versions', () => {
  it.each([
    ['quay.io/cilium/cilium:v1.17.5@sha256:abcd', 'v1.17.5'],
    ['quay.io/cilium/cilium:v1.11.20', 'v1.11.20'],
    ['docker.io/grafana/grafana:9.3.6', '9.3.6'],
    ['localhost:5000/cilium/cilium:v1.16.0', 'v1.16.0'],
    ['localhost:5000/cilium/cilium', null],
    ['quay.io/cilium/cilium@sha256:abcd', null],
    ['', null],
  ])('imageTag(%j) = %j', (image, tag) => {
    expect(imageTag(image)).toBe(tag);
  });

  it.each([
    ['v1.17.5', '1.17.5'],
    ['v1.18.0-rc.1', '1.18.0-rc.1'],
    ['1.11.20', '1.11.20'],
    ['latest', 'latest'],
    [null, null],
  ])('ciliumVersionFromTag(%j) = %j', (tag, v) => {
    expect(ciliumVersionFromTag(tag)).toBe(v);
  });

  it.each([
    ['v1.17.5', [1, 17, 5]],
    ['1.18.0-rc.1', [1, 18, 0]],
    ['v0.13', [0, 13, 0]],
    ['latest', null],
    [null, null],
  ])('parseVersion(%j) = %j', (v, parsed) => {
    expect(parseVersion(v)).toEqual(parsed);
  });

  it.each([
    ['1.11.20', 1, 13, false],
    ['1.13.0', 1, 13, true],
    ['1.17.5', 1, 13, true],
    ['2.0.0', 1, 13, true],
    [null, 1, 13, true],
    ['latest', 1, 13, true],
  ])('isAtLeast(%j, %d, %d) = %j', (v, major, minor, expected) => {
    expect(isAtLeast(v, major, minor)).toBe(expected);
  });
});
