import { describe, expect, it } from 'vitest';
import { prefixKeyframes, renameVars, scopeSelector } from './css-scope';

describe('css isolation', () => {
  it.each([
    ['.el-button', '.cobs-root .cobs-el-button'],
    ['.el-button+.el-button', '.cobs-root .cobs-el-button+.cobs-el-button'],
    [':root', '.cobs-root'],
    ['body', '.cobs-root'],
    ['html.dark', null],
    ['.cobs-root', '.cobs-root'],
    ['.cobs-root *', '.cobs-root *'],
    ['a', '.cobs-root a'],
    ['.cobs-tab.is-active', '.cobs-root .cobs-tab.is-active'],
  ])('%s → %s', (input, output) => expect(scopeSelector(input)).toBe(output));

  it('renames Element Plus variables', () => {
    expect(renameVars('var(--el-color-primary, var(--el-x))')).toBe(
      'var(--cobs-el-color-primary, var(--cobs-el-x))',
    );
  });

  it('prefixes keyframes and the animations that use them', () => {
    expect(
      prefixKeyframes('@keyframes rotating{0%{}}.a{animation:rotating 2s linear}.b{animation:spin 1s}'),
    ).toBe('@keyframes cobs-rotating{0%{}}.a{animation:cobs-rotating 2s linear}.b{animation:spin 1s}');
  });
});
