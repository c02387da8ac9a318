/** The slice of react-dom 16 the tests use (no @types/react-dom installed; the host provides react-dom at run time). */
declare module 'react-dom' {
  import type { ReactElement } from 'react';
  export function render(element: ReactElement, container: Element): void;
  export function unmountComponentAtNode(container: Element): boolean;
  const ReactDOM: { render: typeof render; unmountComponentAtNode: typeof unmountComponentAtNode };
  export default ReactDOM;
}
