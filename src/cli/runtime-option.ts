import { Option } from 'commander';
import type { Classifier } from '../models/classifier.js';
import {
  loadScoringClassifier,
  loadScoringModel,
  RUNTIMES,
  type RuntimeName,
  type ScoringModel,
} from '../models/onnx-classifier.js';
import type { ModelManifest } from '../persist/manifest.js';

/**
 * `--runtime`: where the model is scored, Polarity's own code or the model's ONNX graph in
 * onnxruntime; `more` adds what it means for the command.
 */
export function runtimeOption(more = ''): Option {
  return new Option(
    '--runtime <name>',
    "where the model is scored: polarity (Polarity's own code, TensorFlow.js for the networks) or onnx (the model's ONNX graph, built in memory as `polarity export` would write it, run by onnxruntime-node, an optional package: npm install onnxruntime-node; for the families with an export)" +
      more,
  )
    .choices(RUNTIMES)
    .default('polarity');
}

/**
 * Loads `--model` for scoring on `--runtime`. `threads`: onnxruntime's threads per scorer (one per
 * --workers thread); undefined leaves onnxruntime's default, one per physical core.
 */
export function loadForRuntime(dir: string, runtime: string, threads?: number): Promise<Classifier> {
  return loadScoringClassifier(dir, runtime as RuntimeName, { threads });
}

/**
 * As {@link loadForRuntime}, with the model's manifest, read once: `manifest` when the command read
 * it already, else the one the load read.
 */
export function loadModelForRuntime(
  dir: string,
  runtime: string,
  manifest?: ModelManifest,
): Promise<ScoringModel> {
  return loadScoringModel(dir, runtime as RuntimeName, {}, manifest);
}
