import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConnectionTurns, inForeground, runInBackground, runInForeground } from "./connection-turns.ts";

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Records the order in which acquirers get the connection, each holding it until released. */
function recorder(turns: ConnectionTurns) {
  const order: string[] = [];
  const take = async (name: string, lane: "foreground" | "background") => {
    await turns.acquire(lane);
    order.push(name);
  };
  return { order, take };
}

describe("ConnectionTurns", () => {
  it("serves a lone background caller at once", async () => {
    const turns = new ConnectionTurns();
    await turns.acquire("background");
    turns.release();
    await turns.acquire("background");
  });

  it("hands the connection to waiting requests before earlier background work", async () => {
    const turns = new ConnectionTurns(() => 0, 0);
    const { order, take } = recorder(turns);
    await turns.acquire("background");
    const waits = [take("job 1", "background"), take("job 2", "background"), take("page", "foreground")];
    turns.release();
    await tick();
    expect(order).toEqual(["page"]);
    turns.release();
    await tick();
    turns.release();
    await Promise.all(waits);
    expect(order).toEqual(["page", "job 1", "job 2"]);
  });

  it("keeps background waiting for the grace after a request's statement, so the request's next one goes first", async () => {
    let now = 0;
    const turns = new ConnectionTurns(() => now, 15);
    const { order, take } = recorder(turns);
    await turns.acquire("foreground");
    const job = take("job", "background");
    now = 5;
    turns.release(); // the page's first statement ends at 5: the job waits until 20
    await tick();
    expect(order).toEqual([]);
    now = 8;
    await take("page, next statement", "foreground");
    now = 9;
    turns.release();
    now = 30; // the grace has run out: the timer hands the connection to the job
    await job;
    expect(order).toEqual(["page, next statement", "job"]);
  });

  it("lets background work that has waited its limit go before the requests", async () => {
    let now = 0;
    const turns = new ConnectionTurns(() => now, 4, 40);
    const { order, take } = recorder(turns);
    await turns.acquire("foreground");
    const job = take("job", "background");
    const first = take("page 1", "foreground");
    now = 10;
    turns.release();
    await first;
    const second = take("page 2", "foreground");
    now = 45; // the job has waited 45 ms: it passes before page 2
    turns.release();
    await job;
    turns.release();
    await second;
    expect(order).toEqual(["page 1", "job", "page 2"]);
  });

  it("never lets two callers hold the connection, and serves every one (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ lane: fc.constantFrom("foreground", "background"), holdTicks: fc.nat(2) }), {
          minLength: 1,
          maxLength: 12,
        }),
        async (callers) => {
          const turns = new ConnectionTurns(() => performance.now(), 1);
          let holders = 0;
          let most = 0;
          await Promise.all(
            callers.map(async ({ lane, holdTicks }) => {
              await turns.acquire(lane as "foreground" | "background");
              holders++;
              most = Math.max(most, holders);
              for (let i = 0; i < holdTicks; i++) await tick();
              holders--;
              turns.release();
            }),
          );
          expect(most).toBe(1);
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe("the lanes of a caller", () => {
  it("are foreground inside a request's handling, across awaits, and background inside a job", async () => {
    expect(inForeground()).toBe(false);
    await runInForeground(async () => {
      await tick();
      expect(inForeground()).toBe(true);
      await runInBackground(async () => {
        await tick();
        expect(inForeground()).toBe(false);
      });
      expect(inForeground()).toBe(true);
    });
  });
});
