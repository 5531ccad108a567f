export {
  AfasClient,
  type AfasClientOptions,
  type AfasFile,
  createAfasClient,
  type DeleteOptions,
  type ImageSize,
  type UpdateInput,
  type UpdateRequest,
  type WriteOptions,
} from './afas-client.js';
export {
  type AuthContext,
  type AuthStrategy,
  afasTokenAuth,
  type OAuthClientCredentialsOptions,
  oauthClientCredentials,
} from './auth.js';
export {
  type BackoffOptions,
  backoff,
  type Classification,
  type ClassifierPatterns,
  type ClassifyOptions,
  classify,
  DEFAULT_PATTERNS,
  type ErrorAction,
} from './classify.js';
export {
  type AuthOptions,
  buildBaseUrl,
  type ConnectionOptions,
  checkBaseUrl,
  DEFAULT_TIMEOUTS,
  type EnvironmentType,
  type Language,
  type RequestTimeouts,
  resolveConnection,
  TIMEOUT_ENV,
  timeoutsFromEnv,
} from './connection-options.js';
export { amsterdamToInstant, formatAfasDate, formatAfasDateTime, parseAfasDate } from './dates.js';
export {
  AfasConnectionResetError,
  AfasError,
  AfasNetworkError,
  AfasOptionsError,
  AfasOtpInvalidError,
  AfasQueryError,
  AfasResponseError,
  AfasTimeoutError,
  AfasTokenError,
  AfasUnverifiedAnswerError,
  bodyExcerpt,
  MAX_ERROR_BODY_BYTES,
  MAX_EXCERPT_CHARS,
  type NetworkErrorKind,
  ProfitError,
  type RequestPhase,
} from './errors.js';
export {
  type Filter,
  FilterBuilder,
  type FilterCondition,
  type FilterValue,
  filterValueText,
  OPERATORS,
  type Operator,
  type OperatorName,
  operatorNumber,
  toWireFilter,
  type WireCondition,
  type WireFilter,
  where,
} from './filter.js';
export {
  DEFAULT_MAX_SKIP,
  type GetOptions,
  type GetPage,
  type GetReader,
  MAX_CELLS_PER_CALL,
  type PagedOptions,
  sizeTake,
} from './get-connector.js';
export {
  formatAmsterdamOffset,
  type GetConnectorRangesOptions,
  type GetConnectorReadOptions,
  type GetConnectorRecordsOptions,
  getConnectorRanges,
  getConnectorRecords,
  getConnectorValue,
  readGetConnector,
} from './get-connector-source.js';
export {
  buildGetQuery,
  type FilterMode,
  filterJson,
  type GetQuery,
  MAX_QUERY_LENGTH,
  planFilter,
} from './get-query.js';
export {
  describeStalled,
  formatMs,
  type HttpMethod,
  type HttpResult,
  type PendingRequest,
} from './http.js';
export { intBoundaries, stringBoundaries } from './key-range.js';
export {
  afasMetainfoProvider,
  type ConnectionClientOptions,
  clientForConnection,
  METAINFO_TIMEOUTS,
  type MetainfoProviderOptions,
} from './metainfo-provider.js';
export type {
  AfasDataType,
  AppMetainfo,
  CodeValue,
  ConnectorInfo,
  GetField,
  GetMetainfo,
  UpdateField,
  UpdateMetainfo,
  UpdateObject,
} from './metainfo-types.js';
export { type OtpRequestOptions, requestOtp, validateOtp } from './otp.js';
export { parseProfitError, parseRetryAfterHeader } from './parse-profit-error.js';
export { redact } from './redact.js';
export { type SliceOptions, sliceFilters } from './slices.js';
export { type NormalizedToken, normalizeToken } from './token.js';
export { type Row, typeRow } from './typed-row.js';
export {
  buildUpdateBody,
  type ElementAction,
  type ElementSpec,
  type PayloadValue,
  type UpdateBody,
} from './update-payload.js';
export {
  checkUpdateAnswer,
  type ElementResults,
  parseUpdateResults,
  resultsPerElement,
  type UpdateAnswer,
  type UpdateAnswerInput,
  type UpdateResults,
} from './update-results.js';
export { connectorPath, type DeleteLevel, deletePath } from './update-url.js';
