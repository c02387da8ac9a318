/** Puts the panel's CSS into <head> once while at least one panel is mounted; removes it after the last unmount. */
import { CSS_PLACEHOLDER } from './inline-css';

const ATTR = 'data-cobs-style';
let users = 0;

export function acquireStyle(doc: Document = document): void {
  users++;
  if (doc.head.querySelector(`style[${ATTR}]`)) return;
  const style = doc.createElement('style');
  style.setAttribute(ATTR, '');
  style.textContent = CSS_PLACEHOLDER;
  doc.head.appendChild(style);
}

export function releaseStyle(doc: Document = document): void {
  users = Math.max(0, users - 1);
  if (users === 0) doc.head.querySelector(`style[${ATTR}]`)?.remove();
}
