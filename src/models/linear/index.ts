/** Linear n-gram models: naive Bayes, logistic regression / SVM by dual coordinate descent, NBSVM. */
export * from '../../fit/sparse-ops.js';
export * from './dual-cd-svm.js';
export * from '../../fit/logistic.js';
export * from './naive-bayes.js';
export * from './nbsvm.js';
export * from './platt.js';
export * from './probabilities.js';
export * from './weights-file.js';
export * from './linear-options.js';
export * from './one-vs-rest.js';
export * from './linear-classifier.js';
export * from './linear-trainer.js';
