/** Debian's Chromium, as every browser test and the benchmark launch it (never a downloaded browser). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Headless-friendly flags; without the background-networking ones Chromium keeps dialling out on a closed network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
