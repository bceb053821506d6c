// What the supervisors' figures, review queue and surge detection count with. Each has a default
// from the product's design; an installation may change them in config (`supervision`).

export interface SupervisionThresholds {
  /** A caller gone within this many seconds is a short abandon (not held against the team). */
  shortAbandonSeconds: number;
  /** Answered within this many seconds counts for the service level. */
  serviceLevelSeconds: number;
}

export const DEFAULT_THRESHOLDS: SupervisionThresholds = {
  shortAbandonSeconds: 5,
  serviceLevelSeconds: 20,
};
