/**
 * Options that several families read the same way, declared once here and listed by each family
 * that reads them (options that only share a name, such as `epochs`, are each family's own).
 */
import { parseClassWeight, type ClassWeightSpec } from '../fit/class-weight.js';
import { custom, type OptionDeclaration } from './options.js';

/** Weights per label for training: the neural, linear and fastText families read it alike. */
export const CLASS_WEIGHT_OPTION: OptionDeclaration<ClassWeightSpec, 'classWeight'> = {
  key: 'classWeight',
  value: custom('auto, none or label=weight pairs', 'spec', parseClassWeight),
  help: "weigh each label's training reviews: auto (n / (labels × n_label), scikit-learn's 'balanced'), none, or label=weight pairs such as neg=2,pos=1",
  // A saved ensemble member was trained already: it would silently ignore the weights.
  passedToMembers: false,
};
