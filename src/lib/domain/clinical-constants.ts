/**
 * Every clinical number the domain uses, named once, with its source and unit.
 * Sources are summarised in docs/clinical/measures.md and docs/clinical/change.md.
 * The instrument thresholds are provisional: borrowed from the ORS/SRS literature for Stemme's
 * own open instruments, to be replaced by local estimates (`localCutoff`, `reliableChangeIndex`).
 */

/** Lowest and highest mark on one visual analogue line, in points (docs/clinical/measures.md: 0.0–10.0). */
export const ITEM_MIN = 0;
export const ITEM_MAX = 10;
/** Resolution of a mark: one decimal (docs/clinical/measures.md). Scoring works in integer tenths. */
export const ITEM_STEP = 0.1;
export const TENTHS_PER_POINT = 10;
/** Lines per built-in measure and the total they sum to (docs/clinical/measures.md: 4 visual analogue lines,
 *  total 0.0–40.0). A pack may define other item counts; its total range is checked against them. */
export const BUILT_IN_ITEM_COUNT = 4;
export const BUILT_IN_TOTAL_MIN = BUILT_IN_ITEM_COUNT * ITEM_MIN;
export const BUILT_IN_TOTAL_MAX = BUILT_IN_ITEM_COUNT * ITEM_MAX;

/** Outcome clinical cutoff, adults 18+, total 0–40; total at or above = non-clinical range.
 *  Miller et al. 2003, J Brief Therapy 2(2). */
export const OUTCOME_CUTOFF_ADULT = 25;
/** Outcome clinical cutoff, youth 13–17, total 0–40; secondary sources cited in docs/clinical/measures.md. */
export const OUTCOME_CUTOFF_YOUTH = 28;
/** Outcome clinical cutoff, children 6–12, total 0–40; Duncan et al. 2006, J Brief Therapy 5(2). */
export const OUTCOME_CUTOFF_CHILD = 32;
/**
 * Outcome minimum reliable difference, points of total 0–40: the "5 points" widely used for the
 * ORS (docs/clinical/measures.md). Stored directly as an RCI rather than as SD + reliability, because published
 * intake SDs and test–retest reliabilities vary by sample; 5 corresponds to SD × √(1 − r) ≈ 1.80
 * in 1.96 × √2 × SD × √(1 − r) (docs/clinical/change.md). Installations replace it with a local estimate.
 */
export const OUTCOME_RELIABLE_CHANGE = 5;
/** Alliance cutoff, total 0–40; below it the patient signals something is not working.
 *  OpenFIT documentation of the SRS (docs/clinical/measures.md). */
export const ALLIANCE_CUTOFF = 36;
/** Alliance drop, points of total: any fall of at least this much from the previous rating.
 *  OpenFIT alert rule (docs/clinical/measures.md). */
export const ALLIANCE_DROP = 1;

/** Age bands, whole years (docs/clinical/measures.md: adult cutoff 18+, youth 13–17, child 6–12). */
export const ADULT_MIN_AGE = 18;
export const YOUTH_MIN_AGE = 13;
export const YOUTH_MAX_AGE = 17;
export const CHILD_MIN_AGE = 6;
export const CHILD_MAX_AGE = 12;

/** Jacobson & Truax 1991: |RC| above this z value is reliable change (docs/clinical/change.md). */
export const RELIABLE_CHANGE_Z = 1.96;

/** Rule checkpoints (docs/clinical/change.md): no reliable improvement by session 3 → discuss;
 *  none by session 6 → consider changing the approach. Session numbers, 1 = intake. */
export const CHECKPOINT_DISCUSS_SESSION = 3;
export const CHECKPOINT_CHANGE_APPROACH_SESSION = 6;

/** Expected-trajectory bands (Stemme defaults, docs/clinical/change.md): target = 50th percentile of the residuals of
 *  episodes that ended recovered or improved; critical = 10th percentile of all residuals. */
export const TARGET_PERCENTILE = 50;
export const CRITICAL_PERCENTILE = 10;

/** Expected-trajectory fitting, Stemme defaults (configuration; no published source):
 *  - the last session band, 20: ratings at later sessions are pooled into it. ln t changes little
 *    past it (ln 20 ≈ 3.0, ln 30 ≈ 3.4) and few episodes run longer, so bands of their own would
 *    hold too few residuals for a stable percentile;
 *  - the fewest residuals a band needs for its own percentile, 10: with fewer, the 10th
 *    percentile (the critical line) is simply the lowest residual, so one outlier would set it;
 *    a thinner band borrows from the nearest band that has enough. */
export const DEFAULT_MAX_SESSION = 20;
export const DEFAULT_MIN_BAND_SIZE = 10;

/** Attendance signals (docs/clinical/dropout-and-milestones.md, "Signals the data itself gives"); every one is a
 *  configurable default, not a validated threshold.
 *  - missed appointments (no-show or late cancellation) counted over the last 4 weeks;
 *    two in that window is Stemme's default for "more than a single miss";
 *  - the share of all scheduled appointments missed: one Oslo unit found young patients missing
 *    more than one in three before its drop-out work, so the default fires above 1/3, judged once
 *    there are at least 3 appointments;
 *  - a transition date within 14 days either side. */
export const MISSED_WINDOW_DAYS = 28;
export const MISSED_IN_WINDOW = 2;
export const MISSED_SHARE = 1 / 3;
export const MISSED_SHARE_MIN_APPOINTMENTS = 3;
export const TRANSITION_WITHIN_DAYS = 14;

/** Planned days between sessions when the episode does not say (the long-gap signal compares the
 *  days since the last attended session with it). Stemme defaults, not validated thresholds: weekly
 *  to fortnightly outpatient contact is common in TSB; inpatients and groups meet at least weekly.
 *  Set per episode on the patient page. */
export const DEFAULT_SESSION_INTERVAL_DAYS = { outpatient: 14, inpatient: 7, group: 7 } as const;

/** Milestone meetings every fourth week, as at the Oslo University Hospital unit where they began
 *  (docs/clinical/dropout-and-milestones.md, "Milestone meetings"). The national pathway's minimum is an
 *  evaluation at least every 8 weeks outpatient and 6 weeks inpatient in the first year (same
 *  note); a per-setting configuration may not exceed those. */
export const MILESTONE_INTERVAL_DAYS = 28;
export const PATHWAY_MAX_EVALUATION_DAYS = { outpatient: 56, inpatient: 42, group: 56 } as const;
