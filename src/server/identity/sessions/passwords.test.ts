import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkPasswordPolicy,
  hashPassword,
  needsRehash,
  verifyNothing,
  verifyPassword,
} from "./passwords.ts";

describe("password hashing", () => {
  it("hashes with argon2id and the documented parameters, and verifies", async () => {
    const stored = await hashPassword("Correct-cheval-42");
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=65536,t=3,p=1\$/);
    expect(await verifyPassword(stored, "Correct-cheval-42")).toBe(true);
    expect(await verifyPassword(stored, "correct-cheval-42")).toBe(false);
    expect(needsRehash(stored)).toBe(false);
  });

  it("accepts the composed and the decomposed form of the same password", async () => {
    const stored = await hashPassword("Été-à-la-mer-2025");
    expect(await verifyPassword(stored, "Été-à-la-mer-2025".normalize("NFD"))).toBe(true);
  });

  it("refuses what is not an argon2 hash, and asks to rehash older parameters", async () => {
    expect(await verifyPassword("not a hash", "x")).toBe(false);
    expect(await verifyNothing("anything")).toBe(false);
    expect(
      needsRehash(
        "$argon2id$v=19$m=19456,t=2,p=1$op5BkJhVsER9lGBDLzMntw$0FA877Kz3Hx7zNcoY2QwCl44oufdNJT+pIYqoG8ko8g",
      ),
    ).toBe(true);
    expect(needsRehash("garbage")).toBe(true);
  });
});

describe("password policy", () => {
  it("accepts long passwords of three kinds of characters", () => {
    expect(checkPasswordPolicy("Correct-cheval-42", "marie.curie@ac-bordeaux.fr")).toEqual({ ok: true });
    expect(checkPasswordPolicy("cheval correct pile 42")).toEqual({ ok: true });
    expect(checkPasswordPolicy("ÉtéÀLaMer2025")).toEqual({ ok: true });
  });

  it("lists every problem in French", () => {
    const r = checkPasswordPolicy("court");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([
      "comporter au moins 12 caractères (il en a 5)",
      "mêler au moins 3 types de caractères parmi minuscules, majuscules, chiffres et caractères spéciaux (il manque : majuscules, chiffres, caractères spéciaux)",
    ]);
    expect(r.message).toBe(
      "Ce mot de passe ne convient pas. Il doit : comporter au moins 12 caractères (il en a 5) ; mêler au moins 3 types de caractères parmi minuscules, majuscules, chiffres et caractères spéciaux (il manque : majuscules, chiffres, caractères spéciaux).",
    );
  });

  it("refuses the e-mail's local part, common words and one repeated character", () => {
    const problems = (pw: string, email?: string) => {
      const r = checkPasswordPolicy(pw, email);
      return r.ok ? [] : r.problems;
    };
    expect(problems("Marie.Curie-2025", "marie.curie@ac-bordeaux.fr")).toEqual([
      "ne pas contenir l'identifiant de l'adresse électronique",
    ]);
    expect(problems("MotDePasse-2025")).toEqual(["ne pas contenir un mot trop courant (« motdepasse »)"]);
    expect(problems("Azerty123456!")).toEqual(["ne pas contenir un mot trop courant (« azerty »)"]);
    expect(problems("aaaaaaaaaaaaaaaa")).toContain("ne pas répéter un seul caractère");
    expect(problems("x".repeat(300))).toContain("comporter au plus 256 caractères");
  });

  it("never accepts a password shorter than 12 characters or of fewer than 3 kinds", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 40 }), (pw) => {
        const r = checkPasswordPolicy(pw);
        if (!r.ok) return;
        expect([...pw].length).toBeGreaterThanOrEqual(12);
        const kinds = [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[^\p{Ll}\p{Lu}\p{Nd}]/u].filter((re) => re.test(pw));
        expect(kinds.length).toBeGreaterThanOrEqual(3);
      }),
    );
  });
});
