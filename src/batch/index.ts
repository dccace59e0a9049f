export { scoreInOrder, type ScoreStreamOptions, type ScoredChunk } from './score-stream.js';
export { ScoringPool, type ScoringPoolOptions } from './scoring-pool.js';
