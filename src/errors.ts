/**
 * Typed errors. Each one says which file (and line, where there is one) was wrong and what was
 * expected, so that the CLI can print the message as it is and a library user can branch on the type.
 */
export class PolarityError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A dataset source could not be read: missing path, wrong format, bad review. */
export class DatasetError extends PolarityError {
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
    options?: { cause?: unknown },
  ) {
    super(DatasetError.format(message, file, line), options);
  }

  private static format(message: string, file?: string, line?: number): string {
    if (file === undefined) return message;
    return line === undefined ? `${file}: ${message}` : `${file}:${line}: ${message}`;
  }
}

/** A download failed or did not match its checksum. */
export class DownloadError extends PolarityError {}

/** A saved model directory is missing a file, is truncated, or holds something foreign. */
export class ModelFormatError extends PolarityError {
  constructor(
    message: string,
    readonly file?: string,
    options?: { cause?: unknown },
  ) {
    super(file === undefined ? message : `${file}: ${message}`, options);
  }
}

/** An option has a value outside what it accepts. */
export class OptionError extends PolarityError {}

/** A TensorFlow.js backend could not be set up. */
export class BackendError extends PolarityError {}
