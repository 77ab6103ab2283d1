import type { Profile } from "../framework/types.ts";
import { dnbProfile } from "./dnb.ts";
import { enrolmentsProfile } from "./enrolments.ts";
import { ipsProfile } from "./ips.ts";
import { ivacProfile } from "./ivac.ts";
import { pixAssessmentProfile } from "./pix-assessment.ts";
import { pixCertificationProfile } from "./pix-certification.ts";
import { pixProfilesProfile } from "./pix-profiles.ts";
import { usageProfile } from "./usage.ts";

/**
 * Every import profile, as `vigie import <code>` and the upload route know them. Each profile
 * adds its own line; the framework (reader, header matching, runner, commit job, routes, CLI)
 * serves them all the same way.
 */
export const PROFILES: readonly Profile[] = [
  pixProfilesProfile,
  pixAssessmentProfile,
  pixCertificationProfile,
  usageProfile,
  ipsProfile,
  enrolmentsProfile,
  ivacProfile,
  dnbProfile,
];
