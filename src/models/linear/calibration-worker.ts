/** Worker side of {@link calibrateAside}: calibrates the task it was started with and sends the sigmoids back. */
import { parentPort, workerData } from 'node:worker_threads';
import { calibrateProblems, type CalibrationTask } from './calibration.js';

parentPort?.postMessage(calibrateProblems(workerData as CalibrationTask));
