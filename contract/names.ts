/** Name rules shared by the server, the packaging and the panel; no zod, so the panel may import the values. */

/**
 * DNS-1123 label: Kubernetes namespace and object names, RBDPlugin metadata.name; lower-case letters, digits
 * and "-", alphanumeric at both ends, at most 63 characters, e.g. "cilium-observability".
 */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Ids of the Hubble UI tool's `links`: the team's namespace, and the same view filtered to DROPPED. */
export const HUBBLE_NAMESPACE_LINK = 'namespace-flows';
export const HUBBLE_DROPPED_LINK = 'namespace-dropped';

/** Relay node states in which a node sends no flows (the others: connected, gone, unknown). */
export const UNAVAILABLE_NODE_STATES: readonly string[] = ['NODE_UNAVAILABLE', 'NODE_ERROR'];
export const isUnavailableNodeState = (state: string): boolean => UNAVAILABLE_NODE_STATES.includes(state);
