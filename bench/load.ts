export interface LatencyFigures {
  requests: number;
  errors: number;
  /** Requests abandoned after `timeoutMs` (counted in `errors` too). */
  timeouts?: number;
  p50: number;
  p95: number;
  p99: number;
  rps: number;
}

/**
 * A bounded HTTP load on a local server: `clients` concurrent loops send `total` GET requests
 * (cycling through `urls`) and every latency is kept, so percentiles are exact. With `timeoutMs`,
 * a request is abandoned after that long, counted as a time-out, and timed at that bound.
 */
export async function measureLatency(
  baseUrl: string,
  urls: readonly string[],
  options: { clients: number; total: number; timeoutMs?: number },
): Promise<LatencyFigures> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  let timeouts = 0;
  const start = performance.now();
  const worker = async () => {
    while (next < options.total) {
      const url = urls[next++ % urls.length] as string;
      const t = performance.now();
      try {
        const res = await fetch(
          baseUrl + url,
          options.timeoutMs ? { signal: AbortSignal.timeout(options.timeoutMs) } : {},
        );
        await res.arrayBuffer();
        if (!res.ok) errors++;
      } catch (err) {
        if (!(err instanceof Error && err.name === "TimeoutError")) throw err;
        timeouts++;
        errors++;
      }
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
    ...(options.timeoutMs ? { timeouts } : {}),
    p50: pct(0.5),
    p95: pct(0.95),
    p99: pct(0.99),
    rps: Math.round(latencies.length / seconds),
  };
}
