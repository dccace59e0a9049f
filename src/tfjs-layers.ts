/**
 * Polarity's own Keras layer, registered with TensorFlow.js on import, so that a network Polarity
 * saved loads in plain TF.js:
 *
 *     import 'polarity/tfjs-layers';
 *     const model = await tf.loadLayersModel(handler); // a saved lstm, bilstm or gru included
 *
 * Only the recurrent models' masked max pooling is Polarity's (TF.js's GlobalMaxPooling1D takes no
 * mask); every other layer of a saved model is a standard one. This module imports nothing of
 * Polarity beyond that layer and the small helper it reads tensors with (engine/tensor-io.ts), so it
 * is as cheap as TF.js itself.
 */
export { MaskedGlobalMaxPooling1D } from './models/neural/masked-max-pooling.js';
