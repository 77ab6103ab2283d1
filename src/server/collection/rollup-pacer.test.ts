import { afterEach, describe, expect, it, vi } from "vitest";
import type { JobRunner } from "../platform/index.ts";
import { rollupPacer } from "./rollup-pacer.ts";

/** The pacer only decides when to enqueue: a runner that records the enqueued types is enough. */
function recorder(): { jobs: JobRunner; enqueued: string[] } {
  const enqueued: string[] = [];
  const jobs = {
    enqueue: async (type: string) => {
      enqueued.push(type);
      return String(enqueued.length);
    },
  } as unknown as JobRunner;
  return { jobs, enqueued };
}

describe("rollupPacer", () => {
  afterEach(() => vi.useRealTimers());

  it("enqueues one roll-up for the submissions of a delay, then one more for a later one", async () => {
    vi.useFakeTimers();
    const { jobs, enqueued } = recorder();
    const pace = rollupPacer(jobs, 2_000);
    for (let i = 0; i < 5; i++) pace();
    expect(enqueued).toEqual([]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(enqueued).toEqual(["indicators.rollup"]);
    pace();
    await vi.advanceTimersByTimeAsync(1_999);
    expect(enqueued).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(enqueued).toEqual(["indicators.rollup", "indicators.rollup"]);
  });
});
