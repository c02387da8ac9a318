/**
 * Hubble UI deep links in the URL scheme of the running hubble-ui version: v0.8–0.9 put the namespace in the
 * path (`/shop?verdict=2`), v0.10–0.12 use `?namespace=shop&verdict=2`, v0.13+ `?namespace=shop&verdicts=2`.
 */
import { VERDICT_NUMBER, type FlowVerdict } from '../../contract/flow-filters';
import { parseVersion } from './versions';

export type HubbleUiScheme = 'path' | 'query' | 'query-verdicts';

/** Which URL scheme a hubble-ui image tag uses, e.g. "v0.13.2" → "query-verdicts"; unknown → newest. */
export function hubbleUiScheme(version: string | null): HubbleUiScheme {
  const p = parseVersion(version);
  if (!p) return 'query-verdicts';
  if (p[0] === 0 && p[1] <= 9) return 'path';
  if (p[0] === 0 && p[1] <= 12) return 'query';
  return 'query-verdicts';
}

export interface HubbleUiView {
  /** Kubernetes namespace to open, e.g. "shop". */
  namespace: string;
  /** Only flows with this verdict, e.g. "DROPPED". */
  verdict?: FlowVerdict;
}

/**
 * URL of a namespace view on a Hubble UI base URL, e.g. ("http://ui.example/", "v0.13.2",
 * { namespace: "shop", verdict: "DROPPED" }) → "http://ui.example/?namespace=shop&verdicts=2".
 */
export function hubbleUiUrl(baseUrl: string, uiVersion: string | null, view: HubbleUiView): string {
  const base = baseUrl.replace(/\/+$/, '');
  const ns = encodeURIComponent(view.namespace);
  const scheme = hubbleUiScheme(uiVersion);
  const page = scheme === 'path' ? `${base}/${ns}` : `${base}/?namespace=${ns}`;
  if (!view.verdict) return page;
  const verdict = VERDICT_NUMBER[view.verdict];
  if (scheme === 'path') return `${page}?verdict=${verdict}`;
  return `${page}&${scheme === 'query' ? 'verdict' : 'verdicts'}=${verdict}`;
}
