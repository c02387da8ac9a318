/** Name rules shared by the server, the packaging and the panel; no zod, so the panel may import the values. */

/**
 * DNS-1123 label: Kubernetes namespace and object names, RBDPlugin metadata.name; lower-case letters, digits
 * and "-", alphanumeric at both ends, at most 63 characters, e.g. "cilium-observability".
 */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
