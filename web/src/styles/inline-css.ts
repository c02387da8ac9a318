/** Replaced at build time by the panel's whole CSS text (web/vite.config.ts); stays as-is in tests. */
export const CSS_PLACEHOLDER = '__COBS_INLINE_CSS__';
