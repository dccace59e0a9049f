/** fastText's classifier: averaged word and hashed word n-gram vectors → softmax, trained by sparse SGD. */
export * from './word-ngrams.js';
export * from './input-rows.js';
export * from './fasttext-options.js';
export * from './fasttext-model.js';
export * from './sgd.js';
export * from './matrix-file.js';
export * from './fasttext-classifier.js';
export * from './fasttext-trainer.js';
export * from './summary.js';
