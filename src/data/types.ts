/** One labelled text. IMDB examples also carry the review id and star rating from their file name. */
export interface Example {
  readonly text: string;
  readonly label: string;
  readonly id?: string;
  readonly rating?: number;
}

/** A dataset's two splits: what a model trains on, and what it is scored on. */
export type SplitName = 'train' | 'test';

/** A labelled dataset with its train and test splits. Labels are sorted, so label indices are stable. */
export interface Dataset {
  readonly name: string;
  readonly labels: readonly string[];
  readonly train: readonly Example[];
  readonly test: readonly Example[];
}
