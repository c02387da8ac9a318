/**
 * Opening a protected tool: the new tab is opened inside the click (a tab opened after an await is a popup the
 * browser may block), detached from this page (no opener), and sent to the single-use launch URL once the backend
 * issued it; on failure it is closed again.
 */
export interface TabOpener {
  open(url: string, target: string, features?: string): Window | null;
}

export async function openInNewTab(getUrl: () => Promise<string>, win: TabOpener = window): Promise<void> {
  const tab = win.open('', '_blank');
  if (tab) tab.opener = null;
  try {
    const url = await getUrl();
    if (tab) tab.location.replace(url);
    else win.open(url, '_blank', 'noopener,noreferrer');
  } catch (e) {
    tab?.close();
    throw e;
  }
}
