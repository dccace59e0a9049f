/**
 * Importing this registers the toy family, naming this module as the one that does: worker threads
 * (`predict --workers N`) import it in turn before they load a model, so they know the family too.
 */
import { registerFamily } from '../../../src/models/families.js';
import { wordVoteFamily } from './family.js';

registerFamily(wordVoteFamily, { module: import.meta.url });
