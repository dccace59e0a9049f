/** The report of `polarity train --report`: training curves and the per-epoch figures behind them. */
import type { EpochRecord } from '../models/classifier.js';
import type { Report } from './report.js';
import type { Cell } from './table.js';
import { trainingCurvesChart } from './training-charts.js';

export interface TrainingReportOptions {
  /** The model family, e.g. "cnn". */
  readonly model: string;
  /** Settings of the run shown in a table (hyper-parameters, seed), in the given order. */
  readonly settings?: Readonly<Record<string, Cell | boolean>>;
  readonly command?: string;
  readonly created?: Date;
}

export function trainingReport(history: readonly EpochRecord[], options: TrainingReportOptions): Report {
  const validated = history.some((r) => r.valLoss !== undefined);
  const settings = Object.entries(options.settings ?? {});
  return {
    title: `${options.model}: training report`,
    command: options.command,
    created: options.created,
    sections: [
      {
        heading: 'Training curves',
        text: validated
          ? 'Training figures are the mean over each epoch’s batches, as Keras reports them; validation figures are ' +
            'taken on the held-out slice at the end of the epoch. Validation loss rising while training loss falls ' +
            'is overfitting: fewer epochs would do better.'
          : 'No validation slice was held out, so there are only training curves; train with --validation-split ' +
            '(e.g. 0.2) to see how the model does on reviews it does not learn from.',
        items: [
          { kind: 'chart', name: 'training-curves', spec: trainingCurvesChart(history) },
          {
            kind: 'table',
            name: 'epochs',
            title: 'Epochs',
            table: {
              columns: [
                { key: 'epoch', title: 'epoch' },
                { key: 'loss', title: 'loss', decimals: 4 },
                { key: 'accuracy', title: 'accuracy', decimals: 4 },
                ...(validated
                  ? [
                      { key: 'valLoss', title: 'val_loss', decimals: 4 },
                      { key: 'valAccuracy', title: 'val_accuracy', decimals: 4 },
                    ]
                  : []),
                { key: 'seconds', title: 'seconds', decimals: 1 },
              ],
              rows: history.map((r) => ({
                epoch: r.epoch,
                loss: r.loss,
                accuracy: r.accuracy,
                valLoss: r.valLoss ?? null,
                valAccuracy: r.valAccuracy ?? null,
                seconds: r.seconds,
              })),
            },
          },
          ...(settings.length === 0
            ? []
            : [
                {
                  kind: 'table' as const,
                  name: 'settings',
                  title: 'Settings',
                  table: {
                    columns: [
                      { key: 'setting', title: 'setting' },
                      { key: 'value', title: 'value' },
                    ],
                    rows: settings.map(([setting, value]) => ({
                      setting,
                      value: typeof value === 'boolean' ? String(value) : value,
                    })),
                  },
                },
              ]),
        ],
      },
    ],
  };
}
