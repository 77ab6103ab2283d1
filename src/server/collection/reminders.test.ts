import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays } from "./calendar.ts";
import { daysBetween, lastReminderPoint, reminderDecision, reminderMail } from "./reminders.ts";

/** When a late school gets a reminder (docs/collection.md, « Relances »). */

const campaign = { opensOn: "2026-03-02", closesOn: "2026-03-31" };
const rules = { days: [7, 1], minIntervalDays: 3, maxCount: 3 };
const never = { count: 0, lastDay: null };

describe("reminder days", () => {
  it("takes the last point on or before today, none before the first or before the opening", () => {
    expect(lastReminderPoint(campaign, [7, 1], "2026-03-23")).toBeNull();
    expect(lastReminderPoint(campaign, [7, 1], "2026-03-24")).toBe("2026-03-24");
    expect(lastReminderPoint(campaign, [7, 1], "2026-03-29")).toBe("2026-03-24");
    expect(lastReminderPoint(campaign, [7, 1], "2026-03-30")).toBe("2026-03-30");
    expect(lastReminderPoint(campaign, [-5, 7, 1], "2026-04-06")).toBe("2026-04-05");
    expect(lastReminderPoint(campaign, [40], "2026-03-20")).toBeNull();
  });

  it("sends a scheduled reminder once per point", () => {
    const point = "2026-03-24";
    expect(reminderDecision("scheduled", rules, never, point, "2026-03-24")).toBe("due");
    expect(
      reminderDecision("scheduled", rules, { count: 1, lastDay: "2026-03-24" }, point, "2026-03-26"),
    ).toBe("not_due");
    expect(reminderDecision("scheduled", rules, never, null, "2026-03-20")).toBe("not_due");
  });

  it("never mails a school twice within the minimum interval, nor beyond the maximum count, whatever the kind", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("scheduled" as const, "manual" as const),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 0, max: 10 }),
        (kind, count, ago, minIntervalDays, maxCount) => {
          const today = "2026-03-30";
          const history = { count, lastDay: count > 0 ? addDays(today, -ago) : null };
          const decision = reminderDecision(
            kind,
            { days: [7, 1], minIntervalDays, maxCount },
            history,
            today,
            today,
          );
          if (decision === "due") {
            expect(count).toBeLessThan(maxCount);
            if (history.lastDay)
              expect(daysBetween(history.lastDay, today)).toBeGreaterThanOrEqual(minIntervalDays);
          }
        },
      ),
    );
  });
});

describe("reminder mail", () => {
  it("names the campaign, the school, the closing date and links to the school's form", () => {
    const mail = reminderMail(
      "principal@college.fr",
      { id: "12", title: "Équipement 2025-2026", closesOn: "2026-03-31", expiryDays: 30 },
      { uai: "0330001A", name: "Collège Montaigne" },
      "https://vigie.example",
      "2026-03-24",
    );
    expect(mail.subject).toBe("Relance : « Équipement 2025-2026 » attend les réponses de Collège Montaigne");
    expect(mail.text).toContain("Collège Montaigne (0330001A)");
    expect(mail.text).toContain("se clôt le 31/03/2026");
    expect(mail.text).toContain("https://vigie.example/collecte/12/0330001A");
    const late = reminderMail(
      "principal@college.fr",
      { id: "12", title: "Équipement", closesOn: "2026-03-31", expiryDays: 30 },
      { uai: "0330001A", name: "Collège Montaigne" },
      "https://vigie.example",
      "2026-04-02",
    );
    expect(late.text).toContain("encore acceptées jusqu'au 30/04/2026");
  });
});
