import { describe, expect, it } from 'vitest';
import { hubbleUiScheme, hubbleUiUrl } from './hubble-ui-urls';

describe('hubbleUiScheme', () => {
  it.each([
    ['v0.8.5', 'path'],
    ['v0.9.2', 'path'],
    ['v0.10.0', 'query'],
    ['v0.12.1', 'query'],
    ['v0.13.2', 'query-verdicts'],
    ['v0.13.5', 'query-verdicts'],
    [null, 'query-verdicts'],
    ['latest', 'query-verdicts'],
  ])('hubble-ui %j uses the %s URL scheme', (v, scheme) => {
    expect(hubbleUiScheme(v)).toBe(scheme);
  });
});

describe('hubbleUiUrl', () => {
  it.each([
    ['v0.8.5', 'http://ui.example/dev-team', 'http://ui.example/dev-team?verdict=2'],
    ['v0.11.0', 'http://ui.example/?namespace=dev-team', 'http://ui.example/?namespace=dev-team&verdict=2'],
    ['v0.13.2', 'http://ui.example/?namespace=dev-team', 'http://ui.example/?namespace=dev-team&verdicts=2'],
    [null, 'http://ui.example/?namespace=dev-team', 'http://ui.example/?namespace=dev-team&verdicts=2'],
  ])('hubble-ui %j: namespace %s, dropped %s', (version, page, dropped) => {
    expect(hubbleUiUrl('http://ui.example/', version, { namespace: 'dev-team' })).toBe(page);
    expect(hubbleUiUrl('http://ui.example', version, { namespace: 'dev-team', verdict: 'DROPPED' })).toBe(
      dropped,
    );
  });

  it('encodes the namespace', () => {
    expect(hubbleUiUrl('http://ui', 'v0.13.2', { namespace: 'a b' })).toBe('http://ui/?namespace=a%20b');
  });
});
