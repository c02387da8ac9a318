/**
 * Build-time CSS isolation: every selector is put under our root class, Element Plus's `.el-` classes and `--el-`
 * variables become `.cobs-el-` / `--cobs-el-` (matching ElConfigProvider namespace "cobs-el"), and keyframes get a
 * `cobs-` prefix, so neither the host console's antd 3 CSS nor ours leaks into the other.
 */

import type { AtRule, Plugin as PostcssPlugin, Rule } from 'postcss';
export { ROOT_CLASS } from '../src/styles/root-class';
import { ROOT_CLASS } from '../src/styles/root-class';
/** String in the bundle that the build replaces with the (scoped, minified) CSS text. */
export { CSS_PLACEHOLDER } from '../src/styles/inline-css';

const ROOT = `.${ROOT_CLASS}`;

/** Maps one selector; null drops it (dark-mode `html.dark` rules are never wanted inside the console). */
export function scopeSelector(selector: string): string | null {
  const sel = selector.trim().replace(/\.el-/g, '.cobs-el-');
  if (/^html\.dark\b/.test(sel)) return null;
  if (sel.startsWith(ROOT)) return sel;
  const rootLike = /^(:root|html|body)(?![-\w])/.exec(sel);
  if (rootLike) return ROOT + sel.slice(rootLike[0].length);
  return `${ROOT} ${sel}`;
}

/** Renames Element Plus's CSS variables, e.g. `var(--el-color-primary)` → `var(--cobs-el-color-primary)`. */
export function renameVars(text: string): string {
  return text.replace(/--el-/g, '--cobs-el-');
}

/** Keyframe steps (`0% {…}`) are direct children of `@keyframes`. */
const insideKeyframes = (rule: Rule) =>
  rule.parent?.type === 'atrule' && /keyframes$/.test((rule.parent as AtRule).name);

/** A PostCSS plugin object (no import of postcss needed: Vite runs it on every CSS file, ours and Element Plus's). */
export function scopeCssPlugin(): PostcssPlugin {
  return {
    postcssPlugin: 'cobs-scope',
    Once(root) {
      root.walkRules((rule) => {
        if (insideKeyframes(rule)) return;
        const next = rule.selectors.map(scopeSelector).filter((s): s is string => s !== null);
        if (next.length === 0) rule.remove();
        else rule.selectors = next;
      });
      root.walkDecls((decl) => {
        decl.prop = renameVars(decl.prop);
        decl.value = renameVars(decl.value);
      });
    },
  };
}

/** On the final CSS text: `@keyframes rotating` → `@keyframes cobs-rotating` and the animations that use it. */
export function prefixKeyframes(css: string): string {
  const names = new Set<string>();
  for (const m of css.matchAll(/@(?:-webkit-)?keyframes\s+([-\w]+)/g))
    if (!m[1]!.startsWith('cobs-')) names.add(m[1]!);
  if (names.size === 0) return css;
  return css
    .replace(/@((?:-webkit-)?keyframes)\s+([-\w]+)/g, (all, kw: string, name: string) =>
      names.has(name) ? `@${kw} cobs-${name}` : all,
    )
    .replace(
      /(animation(?:-name)?\s*:)([^;}]+)/g,
      (_all, prop: string, value: string) =>
        prop + value.replace(/[-\w]+/g, (word) => (names.has(word) ? `cobs-${word}` : word)),
    );
}
