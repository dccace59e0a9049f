/**
 * How the step size moves over training: fixed, or falling linearly to (nearly) 0 at the last step
 * of the last epoch (see `learningRateAt`). Shared by the networks and fastText.
 */
export const LEARNING_RATE_SCHEDULES = ['constant', 'linear'] as const;
export type LearningRateSchedule = (typeof LEARNING_RATE_SCHEDULES)[number];

/**
 * The step size of gradient step `step` (0-based) out of `totalSteps`: the base rate throughout
 * ('constant'), or falling in a straight line from the base rate towards 0 ('linear', as fastText's
 * SGD and the "linear decay" of BERT-style training). With a linear schedule the last steps move
 * the weights least, so the model that training ends with no longer depends on which batches
 * happened to come last: the constant rate left cnn-global's last epoch leaning to one label on
 * one seed of three (see the README).
 */
export function learningRateAt(
  schedule: LearningRateSchedule,
  baseRate: number,
  step: number,
  totalSteps: number,
): number {
  if (schedule === 'constant') return baseRate;
  // Never exactly 0: the last step still learns a little, as fastText's does.
  return baseRate * (1 - Math.min(step, totalSteps - 1) / totalSteps);
}
