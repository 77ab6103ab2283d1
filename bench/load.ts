/**
 * A bounded HTTP load on a local server: `clients` concurrent loops send `total` GET requests
 * (cycling through `urls`) and every latency is kept, so percentiles are exact.
 */
export async function measureLatency(
  baseUrl: string,
  urls: readonly string[],
  options: { clients: number; total: number },
): Promise<{ requests: number; errors: number; p50: number; p95: number; p99: number; rps: number }> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const start = performance.now();
  const worker = async () => {
    while (next < options.total) {
      const url = urls[next++ % urls.length] as string;
      const t = performance.now();
      const res = await fetch(baseUrl + url);
      await res.arrayBuffer();
      if (!res.ok) errors++;
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: options.clients }, worker));
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    Math.round((latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0) * 10) / 10;
  return {
    requests: latencies.length,
    errors,
    p50: pct(0.5),
    p95: pct(0.95),
    p99: pct(0.99),
    rps: Math.round(latencies.length / seconds),
  };
}
