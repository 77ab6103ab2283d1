import v8 from "node:v8";
import vm from "node:vm";

/** Heap growth (bytes) since the last collection beyond which `releaseGarbage` collects. */
const GROWTH_BEFORE_COLLECTING = 32 * 1024 * 1024;

let collect: (() => void) | undefined;
let heapAfterLastCollection = 0;

/**
 * Called between two slices of a long read or write (an import): collects the garbage when the
 * heap has grown by more than 32 Mo since the last time. Without it V8 lets the records of every
 * slice, promoted to the old generation while they wait for their write, pile up as garbage until
 * it nears its (large) heap limit: on a national file that is ≈ 100 Mo of resident memory for
 * nothing. A full collection of a small heap costs a few milliseconds, paid once per 32 Mo
 * allocated, never on every slice.
 */
export function releaseGarbage(): void {
  const used = process.memoryUsage().heapUsed;
  if (used - heapAfterLastCollection < GROWTH_BEFORE_COLLECTING) return;
  if (!collect) {
    // The collector is reachable from JavaScript only with --expose-gc: the flag is set here, at
    // the first need, and the function taken from a new context, where V8 then defines it.
    v8.setFlagsFromString("--expose-gc");
    collect = vm.runInNewContext("gc") as () => void;
  }
  collect();
  heapAfterLastCollection = process.memoryUsage().heapUsed;
}
