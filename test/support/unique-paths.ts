/** Sends `n` requests to unique, unknown paths (50 at a time over keep-alive) and reads /metrics before and after. */
export async function metricSeriesAfterUniquePaths(
  baseUrl: string,
  n: number,
): Promise<{ before: number; after: number; pathsInMetrics: number }> {
  const series = async () => {
    const text = await (await fetch(`${baseUrl}/metrics`)).text();
    const lines = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    return { count: lines.length, text };
  };
  const before = (await series()).count;
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const res = await fetch(`${baseUrl}/x${i}/${i.toString(36)}?q=${i}`);
      await res.body?.cancel();
    }
  };
  await Promise.all(Array.from({ length: 50 }, worker));
  const after = await series();
  const pathsInMetrics = (after.text.match(/\/x\d+\//g) ?? []).length;
  return { before, after: after.count, pathsInMetrics };
}
