import { loadScenario, scenarioFrames, type AmiFrame } from '../../src/simulator/scenarios';

export * from '../../src/simulator/scenarios';
export * from '../../src/simulator/captured-calls';
export * from '../../src/simulator/synthesis';

/** A recorded scenario with one caller number swapped for another (the same call otherwise). */
export function withNumber(name: string, from: string, to: string): AmiFrame[] {
  return scenarioFrames(loadScenario(name)).map((f) => ({ t: f.t, data: f.data.toString().split(from).join(to) }));
}
