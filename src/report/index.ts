/** Reports: charts (Vega-Lite specs from plain data), rendering to SVG and PNG, and report directories. */
export { VEGA_LITE_SCHEMA, FONT, LABEL_COLORS, THEME, labelScale, specHeader } from './theme.js';
export type { ChartSpec, ChartTitle } from './theme.js';
export { histogram, niceStep, boxSummary } from './summaries.js';
export type { ValueGroup, HistogramBin, HistogramOptions, BoxSummary } from './summaries.js';
export { lengthHistogramChart, boxPlotChart, labelBalanceChart, wordsChart } from './dataset-charts.js';
export type {
  LengthHistogramOptions,
  BoxPlotOptions,
  LabelCount,
  WordScore,
  WordsChartOptions,
} from './dataset-charts.js';
export { trainingCurvesChart } from './training-charts.js';
export { confusionMatrixChart, rocCurveChart, type RocData } from './evaluation-charts.js';
export { barChart, lineChart, type ChartPoint, type XYChartOptions } from './table-charts.js';
export { renderChart, renderSvg, svgToPng, fontsAvailable } from './render.js';
export type { RenderOptions, RenderedChart } from './render.js';
export { tableToCsv, formatCell, type Table, type TableColumn, type Cell } from './table.js';
export { writeReport, REPORT_INDEX } from './report.js';
export type { Report, ReportSection, ReportItem, ChartItem, TableItem, WrittenReport } from './report.js';
export {
  profileDataset,
  datasetReport,
  type DatasetProfile,
  type DatasetReportOptions,
} from './dataset-report.js';
export { trainingReport, type TrainingReportOptions } from './training-report.js';
export { evaluationReport, type EvaluationReportOptions } from './evaluation-report.js';
export {
  crossValidationReport,
  searchReport,
  METRIC_NAMES,
  type ResultsReportOptions,
} from './results-report.js';
