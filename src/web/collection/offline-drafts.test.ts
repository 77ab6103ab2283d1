import { describe, expect, it } from "vitest";
import {
  clearDraft,
  type DraftStorage,
  draftChoice,
  draftKey,
  type OfflineDraft,
  readDraft,
  writeDraft,
} from "./offline-drafts.ts";

function memoryStorage(): DraftStorage & { size: () => number } {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
    size: () => items.size,
  };
}

const draft = (savedAt: string, revision = 3): OfflineDraft => ({
  campaignId: "7",
  uai: "0330001a",
  revision,
  answers: { pupils: { value: 12, unknown: false } },
  savedAt,
});

describe("offline drafts", () => {
  it("keeps one draft per campaign and school; the newer replaces the older", () => {
    const storage = memoryStorage();
    writeDraft(storage, draft("2026-12-01T10:00:00.000Z"));
    writeDraft(storage, {
      ...draft("2026-12-01T10:05:00.000Z"),
      answers: { pupils: { value: 13, unknown: false } },
    });
    writeDraft(storage, { ...draft("2026-12-01T10:06:00.000Z"), campaignId: "8" });
    expect(storage.size()).toBe(2);
    expect(readDraft(storage, "7", "0330001A")?.answers.pupils?.value).toBe(13);
    expect(readDraft(storage, "9", "0330001A")).toBeNull();
  });
  it("is cleared once saved, but not when a newer one was written during the save", () => {
    const storage = memoryStorage();
    writeDraft(storage, draft("2026-12-01T10:05:00.000Z"));
    clearDraft(storage, "7", "0330001A", "2026-12-01T10:04:00.000Z");
    expect(readDraft(storage, "7", "0330001A")).not.toBeNull();
    clearDraft(storage, "7", "0330001A", "2026-12-01T10:05:00.000Z");
    expect(readDraft(storage, "7", "0330001A")).toBeNull();
  });
  it("drops an unreadable draft", () => {
    const storage = memoryStorage();
    storage.setItem(draftKey("7", "0330001A"), "{pas du json");
    expect(readDraft(storage, "7", "0330001A")).toBeNull();
    expect(storage.size()).toBe(0);
    storage.setItem(
      draftKey("7", "0330001A"),
      JSON.stringify({ ...draft("x"), answers: { a: { value: [] } } }),
    );
    expect(readDraft(storage, "7", "0330001A")).toBeNull();
  });
  it("a draft on the stored revision is sent; one on another revision is stale; one holding the stored answers is dropped", () => {
    const stored = { revision: 3, answers: { pupils: { value: 10, unknown: false } } };
    expect(draftChoice(draft("2026-12-01T10:01:00.000Z"), stored)).toBe("send");
    // The clocks do not decide: a draft stamped before the server's last save is still sent.
    expect(draftChoice(draft("2020-01-01T00:00:00.000Z"), stored)).toBe("send");
    expect(draftChoice(draft("2026-12-01T10:01:00.000Z", 2), stored)).toBe("stale");
    expect(draftChoice(draft("2026-12-01T10:01:00.000Z", 4), stored)).toBe("stale");
    expect(
      draftChoice(draft("2026-12-01T10:01:00.000Z", 2), { ...stored, answers: draft("x").answers }),
    ).toBe("obsolete");
    expect(draftChoice(draft("2026-12-01T10:01:00.000Z", 0), { revision: 0, answers: {} })).toBe("send");
  });
  it("a storage that refuses writes loses nothing but the draft", () => {
    const full: DraftStorage = {
      getItem: () => null,
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
      removeItem: () => undefined,
    };
    expect(() => writeDraft(full, draft("2026-12-01T10:00:00.000Z"))).not.toThrow();
  });
});
