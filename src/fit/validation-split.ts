import type { Example } from '../data/types.js';
import type { Random } from '../util/random.js';

/**
 * Carves a validation slice from the training split (never from the test split), after a seeded
 * shuffle so that both parts hold both labels. Returns the rest for training, in its original order.
 */
export function splitForValidation(
  examples: readonly Example[],
  fraction: number,
  random: Random,
): { train: Example[]; validation: Example[] } {
  const count = Math.round(examples.length * fraction);
  if (count === 0) return { train: [...examples], validation: [] };
  const order = random.shuffle(Array.from({ length: examples.length }, (_, i) => i));
  const held = new Set(order.slice(0, count));
  return {
    train: examples.filter((_, i) => !held.has(i)),
    validation: order.slice(0, count).map((i) => examples[i]),
  };
}
