export {
  scoreInOrder,
  type ScoreStreamOptions,
  type ScoredChunk,
  type ScoredRow,
  type SkipReason,
} from './score-stream.js';
export { ScoringPool, type ScoringPoolOptions } from './scoring-pool.js';
