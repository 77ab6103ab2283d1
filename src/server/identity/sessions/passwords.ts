import { type Algorithm, hash, parseOptions, verify } from "@node-rs/argon2";

/**
 * Local passwords: argon2id hashes and the password policy (docs/identity.md).
 *
 * Parameters: argon2id, 64 MiB of memory, 3 passes, 1 lane — the second recommended setting of
 * RFC 9106 (§4) with one lane instead of four, so that a small server does not run four threads
 * per login; about 0.1–0.3 s per hash on one core. The salt (16 bytes) and the parameters are in
 * the PHC string stored in `app_user.password_hash`; `needsRehash` tells when a stored hash was
 * made with other parameters, and the login then stores a new one.
 */

// `Algorithm` is an ambient const enum, which isolated modules cannot read: 2 is Argon2id.
const ARGON2ID = 2 as Algorithm;
export const ARGON2_OPTIONS = {
  algorithm: ARGON2ID,
  memoryCost: 65_536,
  timeCost: 3,
  parallelism: 1,
} as const;

/** Longer input is refused before hashing: a password policy, not a way to make the server hash megabytes. */
export const MAX_PASSWORD_LENGTH = 256;
export const MIN_PASSWORD_LENGTH = 12;
export const MIN_CHARACTER_CLASSES = 3;

/** The same password typed on two keyboards may come composed or decomposed (é): hash one form. */
function normalize(password: string): string {
  return password.normalize("NFC");
}

export async function hashPassword(password: string): Promise<string> {
  return hash(normalize(password), ARGON2_OPTIONS);
}

/** False for a wrong password and for a stored value that is not an argon2 hash. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  if (password.length > MAX_PASSWORD_LENGTH) return false;
  try {
    return await verify(stored, normalize(password));
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the time of a verification when there is no hash to check (unknown e-mail, account
 * without a password), so that response times do not tell which e-mails have an account.
 */
export async function verifyNothing(password: string): Promise<false> {
  dummyHash ??= hashPassword("vigie: aucun compte ne porte ce mot de passe");
  await verifyPassword(await dummyHash, password.slice(0, MAX_PASSWORD_LENGTH));
  return false;
}

/** Was this hash made with other parameters than today's (then it is replaced at the next login)? */
export function needsRehash(stored: string): boolean {
  try {
    const o = parseOptions(stored);
    return (
      o.algorithm !== ARGON2ID ||
      o.memoryCost !== ARGON2_OPTIONS.memoryCost ||
      o.timeCost !== ARGON2_OPTIONS.timeCost ||
      o.parallelism !== ARGON2_OPTIONS.parallelism
    );
  } catch {
    return true;
  }
}

/**
 * Words anyone tries first: a password containing one of them is refused, whatever its length
 * (compared without case or accents). Deliberately short: the lockout and the rate limit make
 * long dictionaries of little use, and long lists refuse good passphrases.
 */
export const COMMON_WORDS = [
  "motdepasse",
  "password",
  "passw0rd",
  "azerty",
  "qwerty",
  "123456",
  "654321",
  "abcdef",
  "111111",
  "000000",
  "vigie",
  "admin",
  "bonjour",
  "soleil",
  "changeme",
] as const;

const CLASSES: readonly { label: string; test: RegExp }[] = [
  { label: "minuscules", test: /\p{Ll}/u },
  { label: "majuscules", test: /\p{Lu}/u },
  { label: "chiffres", test: /\p{Nd}/u },
  { label: "caractères spéciaux", test: /[^\p{Ll}\p{Lu}\p{Nd}]/u },
];

export type PasswordCheck = { ok: true } | { ok: false; problems: string[]; message: string };

function fold(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();
}

/**
 * The password policy, following the ANSSI and CNIL recommendations for passwords protected by
 * a lockout: at least 12 characters of at least 3 of the 4 kinds (lower case, upper case,
 * digits, others), not the e-mail's local part, no common word, not one repeated character.
 * Every problem is listed, in French, so the person fixes them at once.
 */
export function checkPasswordPolicy(password: string, email?: string): PasswordCheck {
  const problems: string[] = [];
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) {
    problems.push(`comporter au moins ${MIN_PASSWORD_LENGTH} caractères (il en a ${length})`);
  }
  if (password.length > MAX_PASSWORD_LENGTH)
    problems.push(`comporter au plus ${MAX_PASSWORD_LENGTH} caractères`);
  const missing = CLASSES.filter((c) => !c.test.test(password)).map((c) => c.label);
  if (CLASSES.length - missing.length < MIN_CHARACTER_CLASSES) {
    problems.push(
      `mêler au moins ${MIN_CHARACTER_CLASSES} types de caractères parmi minuscules, majuscules, chiffres et caractères spéciaux (il manque : ${missing.join(", ")})`,
    );
  }
  const folded = fold(password);
  const local = fold(email?.split("@")[0] ?? "");
  if (local.length >= 3 && folded.includes(local)) {
    problems.push("ne pas contenir l'identifiant de l'adresse électronique");
  }
  const common = COMMON_WORDS.find((w) => folded.includes(w));
  if (common) problems.push(`ne pas contenir un mot trop courant (« ${common} »)`);
  if (length > 0 && new Set(password).size === 1) problems.push("ne pas répéter un seul caractère");
  if (problems.length === 0) return { ok: true };
  return {
    ok: false,
    problems,
    message: `Ce mot de passe ne convient pas. Il doit : ${problems.join(" ; ")}.`,
  };
}
