import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Objective, RoadmapDocument } from "../../src/contracts/roadmaps.ts";
import type { RoadmapCheckpointDto, RoadmapDetail } from "../../src/contracts/roadmaps-api.ts";
import { testEngine } from "../helpers/db.ts";
import {
  type IdentityTestApp,
  makeUser,
  openIdentityTestApp,
  type SignedIn,
  signIn,
} from "../helpers/identity.ts";
import { storeAggregate } from "../helpers/observatory.ts";

/**
 * Objective statuses computed from the indicator values of the territory (the observatory's
 * stored aggregates), the roll-up to fields, targets, ambitions and the roadmap, checkpoints that
 * freeze the values, and figures under statistical confidentiality hidden from the public.
 */

let t: IdentityTestApp;
let dane: SignedIn;

/** One stored aggregate of the observatory, for the académie 04. */
function aggregate(
  indicatorCode: string,
  node: { level: string; code: string },
  period: string,
  value: number,
  status = "published",
) {
  return storeAggregate(t.db, indicatorCode, { ...node, academyCode: "04" }, period, value, status);
}

const academy = { level: "academy", code: "04", name: "Bordeaux" } as const;

function objective(id: string, indicatorCode: string, unit: string, fields: Partial<Objective>): Objective {
  return {
    id,
    indicatorCode,
    territory: academy,
    mode: "level",
    target: 0,
    unit,
    comparator: ">=",
    perYear: false,
    ...fields,
  } as Objective;
}

beforeAll(async () => {
  t = await openIdentityTestApp();
  await makeUser(t.db, "dane@ac-bordeaux.fr", [["academy-steering", "04"]]);
  dane = await signIn(t.app, "dane@ac-bordeaux.fr");
  // Pix certification: 40 % → 55 % → 70 % (target 80 % in 2026-2027: on the trajectory).
  await aggregate("pix_certification_rate", academy, "2023-2024", 40);
  await aggregate("pix_certification_rate", academy, "2024-2025", 55);
  await aggregate("pix_certification_rate", academy, "2025-2026", 70);
  // Pix Orga activated: 100 % reached.
  await aggregate("pix_orga_activation_rate", academy, "2025-2026", 100);
  // Trainee days: 2 000 in 2025 for 10 000 in 2025 → late.
  await aggregate("trainee_days", academy, "2025", 2000);
  // Under statistical confidentiality: not shown to the public.
  await aggregate("teachers_trained_in_digital_rate", academy, "2025-2026", 12, "suppressed-frequency");
}, 60_000);
afterAll(async () => t?.close());

describe(`roadmap statuses on ${testEngine}`, () => {
  let roadmap: RoadmapDetail;
  it("computes each objective's status from the values and rolls them up", async () => {
    const created = (
      await dane.request({
        method: "POST",
        url: "/api/v1/roadmaps",
        payload: { territory: "academy:04", title: "Suivi" },
      })
    ).json() as RoadmapDetail;
    const document: RoadmapDocument = structuredClone(created.document);
    const ref = (indicatorCode: string, objectives: Objective[]) => ({
      indicatorCode,
      label: indicatorCode,
      objectives,
    });
    document.ambitions = [
      {
        id: "a1",
        title: "Compétences numériques",
        targets: [
          {
            id: "c1",
            title: "Certifier les élèves",
            focus: [],
            operationalFields: [
              {
                id: "f1",
                title: "Pix",
                actions: [],
                qualitativeObjectives: [],
                recommendationRefs: [],
                indicatorRefs: [
                  ref("pix_certification_rate", [
                    objective("o-pix", "pix_certification_rate", "%", {
                      schoolYear: "2026-2027",
                      baseline: { value: 40, schoolYear: "2023-2024" },
                      target: 80,
                    }),
                  ]),
                  ref("pix_orga_activation_rate", [
                    objective("o-orga", "pix_orga_activation_rate", "%", {
                      schoolYear: "2025-2026",
                      target: 100,
                    }),
                  ]),
                ],
              },
            ],
          },
        ],
      },
      {
        id: "a2",
        title: "Former",
        targets: [
          {
            id: "c2",
            title: "Former les enseignants",
            focus: [],
            operationalFields: [
              {
                id: "f2",
                title: "Formation",
                actions: [],
                qualitativeObjectives: [],
                recommendationRefs: [],
                indicatorRefs: [
                  ref("trainee_days", [
                    objective("o-days", "trainee_days", "jours", { year: 2025, target: 10000 }),
                  ]),
                  ref("teachers_trained_in_digital_rate", [
                    objective("o-secret", "teachers_trained_in_digital_rate", "%", {
                      schoolYear: "2026-2027",
                      target: 30,
                    }),
                  ]),
                  ref("self_assessment_schools_rate", [
                    objective("o-none", "self_assessment_schools_rate", "%", { year: 2026, target: 20 }),
                  ]),
                ],
              },
            ],
          },
        ],
      },
    ];
    const res = await dane.request({
      method: "PUT",
      url: `/api/v1/roadmaps/${created.id}`,
      payload: { version: created.version, document },
    });
    expect(res.statusCode, res.body).toBe(200);
    roadmap = res.json() as RoadmapDetail;
    const o = roadmap.evaluation.objectives;
    expect(o["o-pix"]).toMatchObject({
      status: "on_track",
      statusLabel: "en bonne voie",
      current: { period: "2025-2026", value: 70 },
      baseline: { year: 2023, value: 40 },
      targetValue: 80,
      targetYear: 2026,
    });
    expect(o["o-pix"]?.progress).toBeCloseTo(0.75);
    // Trajectory 40 % (2023) → 80 % (2026): 66.7 % expected in 2025.
    expect(o["o-pix"]?.expected).toBeCloseTo(66.67, 1);
    expect(o["o-orga"]).toMatchObject({ status: "reached", statusLabel: "atteint", progress: 1 });
    expect(o["o-days"]).toMatchObject({ status: "late", statusLabel: "en retard" });
    expect(o["o-none"]).toMatchObject({ status: "no_data", statusLabel: "sans donnée", current: null });
    // The DANE is entitled to the suppressed figure of their académie; without a baseline, the
    // oldest value is the baseline: a single value is on the trajectory.
    expect(o["o-secret"]).toMatchObject({
      status: "on_track",
      current: { value: 12 },
      baseline: { value: 12 },
    });

    const n = roadmap.evaluation.nodes;
    expect(n.f1).toMatchObject({
      status: "on_track",
      total: 2,
      counts: { reached: 1, on_track: 1 },
      reachedShare: 0.5,
    });
    expect(n.a2).toMatchObject({ status: "late", total: 3, counts: { late: 1, on_track: 1, no_data: 1 } });
    expect(roadmap.evaluation.roadmap).toMatchObject({ status: "late", total: 5 });
  });

  it("does not show figures under statistical confidentiality to the public", async () => {
    await dane.request({ method: "POST", url: `/api/v1/roadmaps/${roadmap.id}/publish` });
    const pub = (await t.app.inject({ url: `/api/v1/roadmaps/${roadmap.id}` })).json() as RoadmapDetail;
    expect(pub.evaluation.objectives["o-secret"]).toMatchObject({ status: "no_data", current: null });
    expect(pub.evaluation.objectives["o-pix"]).toMatchObject({ status: "on_track" });
  });

  it("freezes values at a checkpoint: later values do not change it", async () => {
    const res = await dane.request({
      method: "POST",
      url: `/api/v1/roadmaps/${roadmap.id}/checkpoints`,
      payload: { date: "2026-06-30", title: "Bilan de fin d'année", comment: "Avant la rentrée" },
    });
    expect(res.statusCode, res.body).toBe(201);
    const checkpoint = res.json() as RoadmapCheckpointDto;
    const pix = checkpoint.values.find((v) => v.objectiveId === "o-pix");
    expect(pix).toMatchObject({
      period: "2025-2026",
      value: 70,
      numerator: 70,
      denominator: 100,
      coverage: 0.8,
      status: "on_track",
      cellStatus: "published",
    });
    expect(checkpoint.values).toHaveLength(5);

    await aggregate("pix_certification_rate", academy, "2026-2027", 85);
    const now = (await dane.request({ url: `/api/v1/roadmaps/${roadmap.id}` })).json() as RoadmapDetail;
    expect(now.evaluation.objectives["o-pix"]).toMatchObject({ status: "reached", current: { value: 85 } });
    const frozen = now.checkpoints[0]?.values.find((v) => v.objectiveId === "o-pix");
    expect(frozen).toMatchObject({ value: 70, status: "on_track" });

    // The suppressed figure frozen for the DANE stays hidden from the public.
    const pub = (await t.app.inject({ url: `/api/v1/roadmaps/${roadmap.id}/checkpoints` })).json() as {
      items: RoadmapCheckpointDto[];
    };
    expect(pub.items[0]?.values.find((v) => v.objectiveId === "o-secret")).toMatchObject({
      value: null,
      statusLabel: "secret statistique",
    });
    const own = now.checkpoints[0]?.values.find((v) => v.objectiveId === "o-secret");
    expect(own).toMatchObject({ value: 12, cellStatus: "suppressed-frequency" });
  });
});
