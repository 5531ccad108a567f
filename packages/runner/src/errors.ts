/** An executor or runner option out of range; the message names the option, expected and got. */
export class ExecutorOptionsError extends Error {
  readonly code = 'KOPPEL_RUN_OPTIONS';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ExecutorOptionsError';
  }
}

/** A `verify:` lookup matched several entries, so it cannot tell whether the record landed. */
export class VerifyAmbiguousError extends Error {
  readonly code = 'KOPPEL_VERIFY_AMBIGUOUS';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'VerifyAmbiguousError';
  }
}

/** A run that cannot start: no input path, unsupported job option, run in use. */
export class RunSetupError extends Error {
  readonly code = 'KOPPEL_RUN_SETUP';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RunSetupError';
  }
}

/** The delivery store cannot be opened or written (permissions, a full disk, a damaged file). */
export class DeliveryStoreError extends Error {
  readonly code = 'KOPPEL_DELIVERY_STORE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeliveryStoreError';
  }
}

/** The state directory is a file, lies under a file, or cannot be created or written. */
export class StateDirError extends Error {
  readonly code = 'KOPPEL_STATE_DIR';
  /** The state directory as resolved (absolute). */
  readonly dir: string;
  constructor(dir: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StateDirError';
    this.dir = dir;
  }
}
