/**
 * The one source of every shape that crosses a boundary (server ↔ panel, SSE events). Imports only zod.
 * The panel imports types only (`import type`), plus the zod-free values of flow-filters.ts.
 */
export * from './common';
export * from './context';
export * from './tools';
export * from './overview';
export * from './insights';
export * from './map';
