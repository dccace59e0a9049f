export { textWords, type TextWord } from './words.js';
export {
  occlusionAttributions,
  withoutWord,
  type OcclusionResult,
  type PredictFunction,
  type WordAttribution,
} from './occlusion.js';
export { spreadOverWords } from './spread.js';
export {
  explainText,
  type ExplainTextOptions,
  type ExplanationMethod,
  type TextExplanation,
} from './explain-text.js';
