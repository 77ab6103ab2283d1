import { describe, expect, it } from "vitest";
import { formatInteger } from "../format.ts";
import {
  checkSettings,
  type SettingField,
  settingFieldMessage,
  settingInputLabel,
  settingsDraft,
} from "./settings-form.ts";

const days: SettingField<"audit" | "sessions">[] = [
  { key: "audit", label: "Journal d'audit", hint: "", min: 30, max: 3650 },
  { key: "sessions", label: "Sessions expirées", hint: "", min: 1, max: 3650 },
];
const share: SettingField<"dominance">[] = [
  { key: "dominance", label: "Part maximale (en %)", hint: "", min: 51, max: 100, factor: 100 },
];
const retention = { idPrefix: "conservation", unit: "jours", formatNumber: formatInteger };
const secret = { idPrefix: "secret" };
/** Intl's French thousands separator is a narrow no-break space. */
const norm = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");

describe("settings form", () => {
  it("shows the stored values as typed (a share in %)", () => {
    expect(settingsDraft(days, { audit: 365, sessions: 30 })).toEqual({ audit: "365", sessions: "30" });
    expect(settingsDraft(share, { dominance: 0.85 })).toEqual({ dominance: "85" });
  });

  it("reads back whole numbers within bounds, divided by the factor", () => {
    expect(checkSettings(days, { audit: " 400 ", sessions: "1" }, retention)).toEqual({
      errors: [],
      values: { audit: 400, sessions: 1 },
    });
    expect(checkSettings(share, { dominance: "90" }, secret).values).toEqual({ dominance: 0.9 });
  });

  it("refuses empty, decimal and out-of-bounds values, one error per field", () => {
    for (const typed of ["", "29", "3651", "45.5", "abc"]) {
      const checked = checkSettings(days, { audit: typed, sessions: "10" }, retention);
      expect(checked.values).toBeNull();
      expect(checked.errors.map((e) => [e.fieldId, e.label, norm(e.message)])).toEqual([
        ["conservation-audit", "Journal d'audit", "saisissez un nombre entier de jours entre 30 et 3 650."],
      ]);
    }
    expect(checkSettings(share, {}, secret).errors).toEqual([
      {
        fieldId: "secret-dominance",
        label: "Part maximale (en %)",
        message: "saisissez un nombre entier entre 51 et 100.",
      },
    ]);
  });

  it("says the unit in the label and the bounds under a refused field", () => {
    const [audit] = days;
    const [dominance] = share;
    if (!audit || !dominance) throw new Error("champs absents");
    expect(settingInputLabel(retention, audit)).toBe("Journal d'audit (en jours)");
    expect(settingInputLabel(secret, dominance)).toBe("Part maximale (en %)");
    expect(norm(settingFieldMessage(retention, audit))).toBe("Saisissez un nombre entier entre 30 et 3 650.");
    expect(settingFieldMessage(secret, dominance)).toBe("Saisissez un nombre entier entre 51 et 100.");
  });
});
