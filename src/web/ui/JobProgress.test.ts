import { describe, expect, it } from "vitest";
import { jobPercent, jobProgressText } from "./JobProgress.tsx";

describe("job progress in words", () => {
  it("gives the share done and the counts in French", () => {
    const job = { state: "running" as const, progress: { done: 1200, total: 3000, message: null } };
    expect(jobPercent(job)).toBe(40);
    expect(jobProgressText(job, "établissements")).toBe("1\u202f200 sur 3\u202f000 établissements (40 %)");
  });

  it("says the state while nothing is counted", () => {
    expect(jobPercent({ progress: null })).toBeNull();
    expect(jobProgressText({ state: "queued", progress: null })).toBe("En attente");
    expect(jobPercent({ progress: { done: 0, total: 0, message: null } })).toBeNull();
  });

  it("stays between 0 and 100", () => {
    expect(jobPercent({ progress: { done: 12, total: 10, message: null } })).toBe(100);
  });
});
