import { describe, expect, it } from 'vitest';
import { openInNewTab, type TabOpener } from './launch';

function fakeWindow(blocked = false) {
  const tab = { opener: {} as unknown, replaced: [] as string[], closed: false };
  const calls: string[][] = [];
  const win: TabOpener = {
    open(url, target, features) {
      calls.push([url, target, features ?? '']);
      if (blocked) return null;
      return {
        get opener() {
          return tab.opener;
        },
        set opener(v: unknown) {
          tab.opener = v;
        },
        location: { replace: (u: string) => tab.replaced.push(u) },
        close: () => (tab.closed = true),
      } as unknown as Window;
    },
  };
  return { win, tab, calls };
}

describe('openInNewTab', () => {
  it('opens the tab before the URL is known, detached, then sends it there', async () => {
    const { win, tab, calls } = fakeWindow();
    let resolve: (u: string) => void = () => undefined;
    const done = openInNewTab(() => new Promise((r) => (resolve = r)), win);
    // opened synchronously, inside the click
    expect(calls).toEqual([['', '_blank', '']]);
    expect(tab.opener).toBeNull();
    resolve('http://t.example/__cobs/launch?ticket=v1.x');
    await done;
    expect(tab.replaced).toEqual(['http://t.example/__cobs/launch?ticket=v1.x']);
  });

  it('closes the tab when the launch fails, and rethrows', async () => {
    const { win, tab } = fakeWindow();
    await expect(openInNewTab(() => Promise.reject(new Error('403')), win)).rejects.toThrow('403');
    expect(tab.closed).toBe(true);
  });

  it('falls back to a plain noopener tab when the first was blocked', async () => {
    const { win, calls } = fakeWindow(true);
    await openInNewTab(() => Promise.resolve('http://t.example/x'), win);
    expect(calls[1]).toEqual(['http://t.example/x', '_blank', 'noopener,noreferrer']);
  });
});
