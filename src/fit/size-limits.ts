/**
 * The parameter ceiling every family with a weight matrix shares: 250 million parameters (1 GB of
 * float32 weights), 60 times the tutorial MLP and twice a 400,000-word × 300-dimension GloVe
 * embedding. Networks check it (models/neural/network-size.ts, which says why in full) and so does
 * fastText's bucket matrix (models/fasttext/fasttext-options.ts): a saved model's weights pass
 * through one buffer, and a larger one is slow to load.
 */
export const MAX_NETWORK_PARAMETERS = 250_000_000;
