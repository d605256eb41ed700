/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** What an API token may do. */
export type ApiTokenRole =
  /** Everything: every query and mutation, webhook URLs and signing secrets in full, API tokens. */
  | 'ADMIN'
  /** A third party's: it sees only its webhooks (the token's webhooks), their calls, the files those calls delivered and the folders they belong to; everything else answers as if it did not exist. It may retry and recover its calls, send a test file and rotate the signing secret; with manage, change its webhooks' delivery settings too (docs/PARTNERS.md). */
  | 'PARTNER'
  /** Read only: queries, with the query values and passwords of URLs masked, no signing secrets and no API tokens; mutations are refused with FORBIDDEN. */
  | 'VIEWER';

/** Narrows the audit log: an entry must match every field given. */
export type AuditLogFilter = {
  /** The action, exactly, such as "webhook.update". */
  action?: string | null | undefined;
  /** The name of the token the change was made with, exactly. */
  actorName?: string | null | undefined;
  /** Entries recorded at or after this time. */
  since?: string | null | undefined;
  /** The ID of the object changed. */
  subjectID?: string | number | null | undefined;
  /** Entries recorded before this time. */
  until?: string | null | undefined;
};

/** A new API token. */
export type CreateApiTokenInput = {
  /** When the token stops working; must be in the future. Unset: it never expires. */
  expiresAt?: string | null | undefined;
  /**
   * A PARTNER token's grant to change its webhooks' URL, headers, OAuth2
   * settings, client certificate, timeout, retry schedule and limits. Default
   * false; refused for other roles.
   */
  manage?: boolean | null | undefined;
  /** What the token is for: 1–255 characters. */
  name: string;
  /** What the token may do. */
  role: ApiTokenRole;
  /**
   * A PARTNER token's webhooks (1–100): all it sees and acts on. Refused for
   * other roles.
   */
  webhookIDs?: Array<string | number> | null | undefined;
};

/** A new folder. */
export type CreateFolderInput = {
  /** The folder's name: 1–255 characters, trimmed of surrounding spaces. */
  name: string;
};

/** A new portal link. */
export type CreatePortalLinkInput = {
  /** Whether the partner may change its webhooks' delivery settings; false by default. */
  manage?: boolean | null | undefined;
  /** The partner's name, which names the link's token: 1–255 characters; 'Portal link' when unset. */
  name?: string | null | undefined;
  /**
   * The partner view's title: at most 120 characters, trimmed of surrounding
   * spaces; unset or empty: SCOOPA_PORTAL_TITLE.
   */
  title?: string | null | undefined;
  /**
   * How long the link may be opened: a Go duration such as 30m or 24h, more
   * than 0 and at most 24h; 24h when unset.
   */
  validFor?: string | null | undefined;
  /** The partner's webhooks, all it will see and act on: 1 to 100, each existing. */
  webhookIDs: Array<string | number>;
};

/** A new webhook. It is validated (a call of its URL) before createWebhook answers. */
export type CreateWebhookInput = {
  /** A new webhook is inactive unless this is true. */
  active?: boolean | null | undefined;
  /** Fire for new files in every folder (origin PLATFORM). */
  allFolders?: boolean | null | undefined;
  /** CA certificates (PEM) that the receiver's certificate must chain to, instead of the system's. */
  caCertificate?: string | null | undefined;
  /** A client certificate presented to the receiver (mutual TLS): https URLs only (refused on an http URL). */
  clientCertificate?: WebhookClientCertificateInput | null | undefined;
  /**
   * Only files whose content type matches one of these patterns fire the
   * webhook: "type/subtype" (image/png) or "type/*" (video/*), ignoring case
   * and the type's parameters; at most 20. Unset or empty: every type.
   */
  contentTypes?: Array<string> | null | undefined;
  /** Only files whose name contains this text (case-insensitive) fire the webhook. */
  filter?: string | null | undefined;
  /** The folders whose new files call the webhook (origin FOLDER). */
  folderIDs?: Array<string | number> | null | undefined;
  /** Extra headers sent with every call, typically the receiver's credentials (values are never read back in full). */
  headers?: Array<WebhookHeaderInput> | null | undefined;
  /** At most this many requests in flight at once (1–1000). Unset: no limit. */
  maxConcurrent?: number | null | undefined;
  /**
   * At most this many requests per second (1–10000) to the URL, across all
   * workers. Calls beyond it wait (PENDING, with waitReason), they do not fail.
   * Unset: no limit.
   */
  maxRequestsPerSecond?: number | null | undefined;
  /** Only files of at most this many bytes fire the webhook (0 or more, not below minSizeBytes). Unset: no greatest size. */
  maxSizeBytes?: number | null | undefined;
  /** Only files of at least this many bytes fire the webhook (0 or more). Unset: no least size. */
  minSizeBytes?: number | null | undefined;
  /** The webhook's name: 1–255 characters. */
  name: string;
  /**
   * Only files whose whole name matches this pattern (ignoring case) fire the
   * webhook: * any run of characters, ? one character, [abc] one of those,
   * [a-z] one in the range, [!abc] one not listed; / is a character like any
   * other. Unset or empty: every name.
   */
  nameGlob?: string | null | undefined;
  /** OAuth2 client credentials: each call carries a bearer token from the token endpoint. */
  oauth2?: WebhookOAuth2Input | null | undefined;
  /**
   * Deliver the webhook's calls one at a time, in the order their files
   * arrived: a call waits (PENDING, with waitReason "waiting for call … to
   * finish") while an earlier call is pending, running or retrying; a call
   * that ends (SUCCEEDED, FAILED or CANCELED) releases the next. Test calls
   * (sendTestFile) neither wait nor hold others up. Default false.
   */
  ordered?: boolean | null | undefined;
  /**
   * Waits before each retry ("30s", "10m", "1h30m"): at most 10, each at least
   * 1s, adding up to at most 7 days; [] means no retry. Unset: SCOOPA_RETRY_DELAYS.
   * A call keeps the schedule in force when it was created.
   */
  retryDelays?: Array<string> | null | undefined;
  /** Timeout of one delivery request, 1–30 seconds. Unset: SCOOPA_DELIVERY_TIMEOUT. */
  timeoutSeconds?: number | null | undefined;
  /** Absolute http or https URL that receives the calls. */
  url: string;
};

/** A filter of files: they match when they meet every predicate set here (unset ones are ignored); not, and and or combine filters. */
export type FileWhereInput = {
  /** Matches what every one of these filters matches. */
  and?: Array<FileWhereInput> | null | undefined;
  /** `contentType` equals the value. */
  contentType?: string | null | undefined;
  /** `contentType` contains the text (case-sensitive). */
  contentTypeContains?: string | null | undefined;
  /** `contentType` contains the text, ignoring case. */
  contentTypeContainsFold?: string | null | undefined;
  /** `contentType` equals the text, ignoring case. */
  contentTypeEqualFold?: string | null | undefined;
  /** `contentType` is greater than the value. */
  contentTypeGT?: string | null | undefined;
  /** `contentType` is greater than or equal to the value. */
  contentTypeGTE?: string | null | undefined;
  /** `contentType` starts with the text (case-sensitive). */
  contentTypeHasPrefix?: string | null | undefined;
  /** `contentType` ends with the text (case-sensitive). */
  contentTypeHasSuffix?: string | null | undefined;
  /** `contentType` is one of the values. */
  contentTypeIn?: Array<string> | null | undefined;
  /** `contentType` is less than the value. */
  contentTypeLT?: string | null | undefined;
  /** `contentType` is less than or equal to the value. */
  contentTypeLTE?: string | null | undefined;
  /** `contentType` differs from the value. */
  contentTypeNEQ?: string | null | undefined;
  /** `contentType` is none of the values. */
  contentTypeNotIn?: Array<string> | null | undefined;
  /** `createdAt` equals the value. */
  createdAt?: string | null | undefined;
  /** `createdAt` is later than the value. */
  createdAtGT?: string | null | undefined;
  /** `createdAt` is the value or later. */
  createdAtGTE?: string | null | undefined;
  /** `createdAt` is one of the values. */
  createdAtIn?: Array<string> | null | undefined;
  /** `createdAt` is earlier than the value. */
  createdAtLT?: string | null | undefined;
  /** `createdAt` is the value or earlier. */
  createdAtLTE?: string | null | undefined;
  /** `createdAt` differs from the value. */
  createdAtNEQ?: string | null | undefined;
  /** `createdAt` is none of the values. */
  createdAtNotIn?: Array<string> | null | undefined;
  /** When true, only files that have a folder; when false, only those without. */
  hasFolder?: boolean | null | undefined;
  /** Only files whose folder matches every one of these filters. */
  hasFolderWith?: Array<FolderWhereInput> | null | undefined;
  /** `id` equals the value. */
  id?: string | number | null | undefined;
  /** `id` is greater than the value. */
  idGT?: string | number | null | undefined;
  /** `id` is greater than or equal to the value. */
  idGTE?: string | number | null | undefined;
  /** `id` is one of the values. */
  idIn?: Array<string | number> | null | undefined;
  /** `id` is less than the value. */
  idLT?: string | number | null | undefined;
  /** `id` is less than or equal to the value. */
  idLTE?: string | number | null | undefined;
  /** `id` differs from the value. */
  idNEQ?: string | number | null | undefined;
  /** `id` is none of the values. */
  idNotIn?: Array<string | number> | null | undefined;
  /** `name` equals the value. */
  name?: string | null | undefined;
  /** `name` contains the text (case-sensitive). */
  nameContains?: string | null | undefined;
  /** `name` contains the text, ignoring case. */
  nameContainsFold?: string | null | undefined;
  /** `name` equals the text, ignoring case. */
  nameEqualFold?: string | null | undefined;
  /** `name` is greater than the value. */
  nameGT?: string | null | undefined;
  /** `name` is greater than or equal to the value. */
  nameGTE?: string | null | undefined;
  /** `name` starts with the text (case-sensitive). */
  nameHasPrefix?: string | null | undefined;
  /** `name` ends with the text (case-sensitive). */
  nameHasSuffix?: string | null | undefined;
  /** `name` is one of the values. */
  nameIn?: Array<string> | null | undefined;
  /** `name` is less than the value. */
  nameLT?: string | null | undefined;
  /** `name` is less than or equal to the value. */
  nameLTE?: string | null | undefined;
  /** `name` differs from the value. */
  nameNEQ?: string | null | undefined;
  /** `name` is none of the values. */
  nameNotIn?: Array<string> | null | undefined;
  /** Matches what this filter does not match. */
  not?: FileWhereInput | null | undefined;
  /** Matches what at least one of these filters matches. */
  or?: Array<FileWhereInput> | null | undefined;
  /** `sha256` equals the value. */
  sha256?: string | null | undefined;
  /** `sha256` contains the text (case-sensitive). */
  sha256Contains?: string | null | undefined;
  /** `sha256` contains the text, ignoring case. */
  sha256ContainsFold?: string | null | undefined;
  /** `sha256` equals the text, ignoring case. */
  sha256EqualFold?: string | null | undefined;
  /** `sha256` is greater than the value. */
  sha256GT?: string | null | undefined;
  /** `sha256` is greater than or equal to the value. */
  sha256GTE?: string | null | undefined;
  /** `sha256` starts with the text (case-sensitive). */
  sha256HasPrefix?: string | null | undefined;
  /** `sha256` ends with the text (case-sensitive). */
  sha256HasSuffix?: string | null | undefined;
  /** `sha256` is one of the values. */
  sha256In?: Array<string> | null | undefined;
  /** `sha256` is less than the value. */
  sha256LT?: string | null | undefined;
  /** `sha256` is less than or equal to the value. */
  sha256LTE?: string | null | undefined;
  /** `sha256` differs from the value. */
  sha256NEQ?: string | null | undefined;
  /** `sha256` is none of the values. */
  sha256NotIn?: Array<string> | null | undefined;
  /** `sizeBytes` equals the value. */
  sizeBytes?: number | null | undefined;
  /** `sizeBytes` is greater than the value. */
  sizeBytesGT?: number | null | undefined;
  /** `sizeBytes` is greater than or equal to the value. */
  sizeBytesGTE?: number | null | undefined;
  /** `sizeBytes` is one of the values. */
  sizeBytesIn?: Array<number> | null | undefined;
  /** `sizeBytes` is less than the value. */
  sizeBytesLT?: number | null | undefined;
  /** `sizeBytes` is less than or equal to the value. */
  sizeBytesLTE?: number | null | undefined;
  /** `sizeBytes` differs from the value. */
  sizeBytesNEQ?: number | null | undefined;
  /** `sizeBytes` is none of the values. */
  sizeBytesNotIn?: Array<number> | null | undefined;
};

/** A filter of folders: they match when they meet every predicate set here (unset ones are ignored); not, and and or combine filters. */
export type FolderWhereInput = {
  /** Matches what every one of these filters matches. */
  and?: Array<FolderWhereInput> | null | undefined;
  /** `createdAt` equals the value. */
  createdAt?: string | null | undefined;
  /** `createdAt` is later than the value. */
  createdAtGT?: string | null | undefined;
  /** `createdAt` is the value or later. */
  createdAtGTE?: string | null | undefined;
  /** `createdAt` is one of the values. */
  createdAtIn?: Array<string> | null | undefined;
  /** `createdAt` is earlier than the value. */
  createdAtLT?: string | null | undefined;
  /** `createdAt` is the value or earlier. */
  createdAtLTE?: string | null | undefined;
  /** `createdAt` differs from the value. */
  createdAtNEQ?: string | null | undefined;
  /** `createdAt` is none of the values. */
  createdAtNotIn?: Array<string> | null | undefined;
  /** When true, only folders that have files; when false, only those without. */
  hasFiles?: boolean | null | undefined;
  /** Only folders with at least one of their files matching every one of these filters. */
  hasFilesWith?: Array<FileWhereInput> | null | undefined;
  /** When true, only folders that have webhooks; when false, only those without. */
  hasWebhooks?: boolean | null | undefined;
  /** Only folders with at least one of their webhooks matching every one of these filters. */
  hasWebhooksWith?: Array<WebhookWhereInput> | null | undefined;
  /** `id` equals the value. */
  id?: string | number | null | undefined;
  /** `id` is greater than the value. */
  idGT?: string | number | null | undefined;
  /** `id` is greater than or equal to the value. */
  idGTE?: string | number | null | undefined;
  /** `id` is one of the values. */
  idIn?: Array<string | number> | null | undefined;
  /** `id` is less than the value. */
  idLT?: string | number | null | undefined;
  /** `id` is less than or equal to the value. */
  idLTE?: string | number | null | undefined;
  /** `id` differs from the value. */
  idNEQ?: string | number | null | undefined;
  /** `id` is none of the values. */
  idNotIn?: Array<string | number> | null | undefined;
  /** `name` equals the value. */
  name?: string | null | undefined;
  /** `name` contains the text (case-sensitive). */
  nameContains?: string | null | undefined;
  /** `name` contains the text, ignoring case. */
  nameContainsFold?: string | null | undefined;
  /** `name` equals the text, ignoring case. */
  nameEqualFold?: string | null | undefined;
  /** `name` is greater than the value. */
  nameGT?: string | null | undefined;
  /** `name` is greater than or equal to the value. */
  nameGTE?: string | null | undefined;
  /** `name` starts with the text (case-sensitive). */
  nameHasPrefix?: string | null | undefined;
  /** `name` ends with the text (case-sensitive). */
  nameHasSuffix?: string | null | undefined;
  /** `name` is one of the values. */
  nameIn?: Array<string> | null | undefined;
  /** `name` is less than the value. */
  nameLT?: string | null | undefined;
  /** `name` is less than or equal to the value. */
  nameLTE?: string | null | undefined;
  /** `name` differs from the value. */
  nameNEQ?: string | null | undefined;
  /** `name` is none of the values. */
  nameNotIn?: Array<string> | null | undefined;
  /** Matches what this filter does not match. */
  not?: FolderWhereInput | null | undefined;
  /** Matches what at least one of these filters matches. */
  or?: Array<FolderWhereInput> | null | undefined;
  /**
   * search matches folders whose name contains the text, ignoring case and the
   * spaces around it; % and _ match themselves. Empty: no search. At most 255
   * characters.
   */
  search?: string | null | undefined;
};

/**
 * A change of a webhook: only the fields given change. A clear flag (clearFilter,
 * clearFolders...) removes its setting, and wins over a value given with it.
 */
export type UpdateWebhookInput = {
  /**
   * Activates or deactivates the webhook. Deactivating cancels its waiting
   * calls; activating clears disabledReason.
   */
  active?: boolean | null | undefined;
  /** Folders to assign to the webhook. */
  addFolderIDs?: Array<string | number> | null | undefined;
  /** Whether new files of every folder call the webhook (origin PLATFORM). */
  allFolders?: boolean | null | undefined;
  /** An empty text removes the CA certificates, as clearCACertificate does. */
  caCertificate?: string | null | undefined;
  /** Back to the system's CA certificates. */
  clearCACertificate?: boolean | null | undefined;
  /** Stops presenting a client certificate. */
  clearClientCertificate?: boolean | null | undefined;
  /** Removes the content type patterns: files of every type fire the webhook. */
  clearContentTypes?: boolean | null | undefined;
  /** Removes the filter: every file fires the webhook. */
  clearFilter?: boolean | null | undefined;
  /** Unassigns every folder (before addFolderIDs, if given). */
  clearFolders?: boolean | null | undefined;
  /** Removes the limit of requests in flight. */
  clearMaxConcurrent?: boolean | null | undefined;
  /** Removes the requests-per-second limit. */
  clearMaxRequestsPerSecond?: boolean | null | undefined;
  /** Removes the greatest size. */
  clearMaxSizeBytes?: boolean | null | undefined;
  /** Removes the least size. */
  clearMinSizeBytes?: boolean | null | undefined;
  /** Removes the name pattern. */
  clearNameGlob?: boolean | null | undefined;
  /** Stops using OAuth2: calls carry no bearer token any more. */
  clearOAuth2?: boolean | null | undefined;
  /** Back to the service's retry schedule (SCOOPA_RETRY_DELAYS). */
  clearRetryDelays?: boolean | null | undefined;
  /** Back to the service's timeout (SCOOPA_DELIVERY_TIMEOUT). */
  clearTimeoutSeconds?: boolean | null | undefined;
  /** A new client certificate (mutual TLS); see CreateWebhookInput. A change validates the webhook again. */
  clientCertificate?: WebhookClientCertificateInput | null | undefined;
  /** New content type patterns (see CreateWebhookInput); an empty list removes them. */
  contentTypes?: Array<string> | null | undefined;
  /** A new filter: only files whose name contains it (ignoring case) fire the webhook; empty removes it. */
  filter?: string | null | undefined;
  /** Replaces the whole set of headers when given. A header without a value keeps its stored value, unless `url` moves to another host. */
  headers?: Array<WebhookHeaderInput> | null | undefined;
  /** At most this many requests in flight at once (1–1000); see CreateWebhookInput. */
  maxConcurrent?: number | null | undefined;
  /** See CreateWebhookInput. A clear flag removes the setting (no limit, or the service's default). */
  maxRequestsPerSecond?: number | null | undefined;
  /** A new greatest size in bytes; the range with the stored or given minSizeBytes must hold. */
  maxSizeBytes?: number | null | undefined;
  /** A new least size in bytes; the range with the stored or given maxSizeBytes must hold. */
  minSizeBytes?: number | null | undefined;
  /** A new name: 1–255 characters. */
  name?: string | null | undefined;
  /** A new name pattern (see CreateWebhookInput); empty removes it. */
  nameGlob?: string | null | undefined;
  /** See CreateWebhookInput; a change of these validates the webhook again. */
  oauth2?: WebhookOAuth2Input | null | undefined;
  /**
   * See CreateWebhookInput. Applies to calls created afterwards: calls created
   * while the webhook was ordered still go one at a time after it is switched
   * off, and calls made before it was switched on are not waited for.
   */
  ordered?: boolean | null | undefined;
  /** Folders to unassign from the webhook. */
  removeFolderIDs?: Array<string | number> | null | undefined;
  /** Applies to calls created afterwards; calls already made keep their schedule. */
  retryDelays?: Array<string> | null | undefined;
  /** Timeout of one delivery request, 1–30 seconds. */
  timeoutSeconds?: number | null | undefined;
  /**
   * A URL on another origin (scheme, host or port) than the stored one needs
   * `headers` in the same update, with a value for every header kept: stored
   * values (credentials for the old host) are never sent to a new host.
   * Otherwise the update is refused with BAD_USER_INPUT on `headers`, naming
   * the headers.
   */
  url?: string | null | undefined;
};

/** The state of a direct upload. */
export type UploadState =
  /** Aborted by abortUpload, or expired; its parts are deleted. */
  | 'ABORTED'
  /** The file exists (file). */
  | 'COMPLETED'
  /** A completeUpload is checking the bytes; the upload then becomes COMPLETED, FAILED, or PENDING again. */
  | 'COMPLETING'
  /** The bytes were not what was declared (error says how); nothing was kept. */
  | 'FAILED'
  /** Parts may be sent; completeUpload makes the file. */
  | 'PENDING';

/** Whether new files call a webhook now and, if not, why (Webhook.activity). */
export type WebhookActivity =
  /** Switched active, with folders or allFolders: new files in them call it. */
  | 'ACTIVE'
  /**
   * Deactivated by the service itself: its calls failed for too long, or the
   * receiver answered 410 Gone (disabledReason says which).
   */
  | 'DISABLED'
  /** Switched off: active is false. */
  | 'INACTIVE'
  /**
   * Neither folders nor allFolders: no file calls it, whether or not it is
   * switched active, until folders (or allFolders) are assigned.
   */
  | 'NO_FOLDERS';

/** What a call is for. */
export type WebhookCallKind =
  /** The delivery of a new file (or of a file sent again, or a test file) to the webhook; retried on failure. */
  | 'DELIVERY'
  /** A test of the webhook's URL with the validation payload; attempted once, never retried. */
  | 'VALIDATION';

/** Why a file called a webhook. */
export type WebhookCallOrigin =
  /** The webhook is assigned to the file's folder. */
  | 'FOLDER'
  /** The webhook applies to all folders (allFolders). */
  | 'PLATFORM';

/** Where a call stands. PENDING, RUNNING and RETRYING calls are under way; SUCCEEDED, FAILED and CANCELED ones have ended, and only retryWebhookCall, recoverWebhookCalls or redeliverFile send them again. */
export type WebhookCallStatus =
  /** Ended without delivery: its webhook was deleted or deactivated while the call waited; error says why. */
  | 'CANCELED'
  /** The last attempt failed and no retry is left (or the receiver answered 410 Gone, or it was a test call). */
  | 'FAILED'
  /** Waiting for its first attempt (or, with waitReason, for a delivery limit or an earlier ordered call). */
  | 'PENDING'
  /** An attempt failed; the next is due at nextAttemptAt. */
  | 'RETRYING'
  /** An attempt is under way. */
  | 'RUNNING'
  /** An attempt got a 2xx answer. */
  | 'SUCCEEDED';

/** A filter of webhook calls: they match when they meet every predicate set here (unset ones are ignored); not, and and or combine filters. */
export type WebhookCallWhereInput = {
  /** Matches what every one of these filters matches. */
  and?: Array<WebhookCallWhereInput> | null | undefined;
  /** `attemptCount` equals the value. */
  attemptCount?: number | null | undefined;
  /** `attemptCount` is greater than the value. */
  attemptCountGT?: number | null | undefined;
  /** `attemptCount` is greater than or equal to the value. */
  attemptCountGTE?: number | null | undefined;
  /** `attemptCount` is one of the values. */
  attemptCountIn?: Array<number> | null | undefined;
  /** `attemptCount` is less than the value. */
  attemptCountLT?: number | null | undefined;
  /** `attemptCount` is less than or equal to the value. */
  attemptCountLTE?: number | null | undefined;
  /** `attemptCount` differs from the value. */
  attemptCountNEQ?: number | null | undefined;
  /** `attemptCount` is none of the values. */
  attemptCountNotIn?: Array<number> | null | undefined;
  /** `completedAt` equals the value. */
  completedAt?: string | null | undefined;
  /** `completedAt` is later than the value. */
  completedAtGT?: string | null | undefined;
  /** `completedAt` is the value or later. */
  completedAtGTE?: string | null | undefined;
  /** `completedAt` is one of the values. */
  completedAtIn?: Array<string> | null | undefined;
  /** When true, `completedAt` is null. */
  completedAtIsNil?: boolean | null | undefined;
  /** `completedAt` is earlier than the value. */
  completedAtLT?: string | null | undefined;
  /** `completedAt` is the value or earlier. */
  completedAtLTE?: string | null | undefined;
  /** `completedAt` differs from the value. */
  completedAtNEQ?: string | null | undefined;
  /** `completedAt` is none of the values. */
  completedAtNotIn?: Array<string> | null | undefined;
  /** When true, `completedAt` is not null. */
  completedAtNotNil?: boolean | null | undefined;
  /** `createdAt` equals the value. */
  createdAt?: string | null | undefined;
  /** `createdAt` is later than the value. */
  createdAtGT?: string | null | undefined;
  /** `createdAt` is the value or later. */
  createdAtGTE?: string | null | undefined;
  /** `createdAt` is one of the values. */
  createdAtIn?: Array<string> | null | undefined;
  /** `createdAt` is earlier than the value. */
  createdAtLT?: string | null | undefined;
  /** `createdAt` is the value or earlier. */
  createdAtLTE?: string | null | undefined;
  /** `createdAt` differs from the value. */
  createdAtNEQ?: string | null | undefined;
  /** `createdAt` is none of the values. */
  createdAtNotIn?: Array<string> | null | undefined;
  /** `error` equals the value. */
  error?: string | null | undefined;
  /** `error` contains the text (case-sensitive). */
  errorContains?: string | null | undefined;
  /** `error` contains the text, ignoring case. */
  errorContainsFold?: string | null | undefined;
  /** `error` equals the text, ignoring case. */
  errorEqualFold?: string | null | undefined;
  /** `error` is greater than the value. */
  errorGT?: string | null | undefined;
  /** `error` is greater than or equal to the value. */
  errorGTE?: string | null | undefined;
  /** `error` starts with the text (case-sensitive). */
  errorHasPrefix?: string | null | undefined;
  /** `error` ends with the text (case-sensitive). */
  errorHasSuffix?: string | null | undefined;
  /** `error` is one of the values. */
  errorIn?: Array<string> | null | undefined;
  /** When true, `error` is null. */
  errorIsNil?: boolean | null | undefined;
  /** `error` is less than the value. */
  errorLT?: string | null | undefined;
  /** `error` is less than or equal to the value. */
  errorLTE?: string | null | undefined;
  /** `error` differs from the value. */
  errorNEQ?: string | null | undefined;
  /** `error` is none of the values. */
  errorNotIn?: Array<string> | null | undefined;
  /** When true, `error` is not null. */
  errorNotNil?: boolean | null | undefined;
  /** `fileName` equals the value. */
  fileName?: string | null | undefined;
  /** `fileName` contains the text (case-sensitive). */
  fileNameContains?: string | null | undefined;
  /** `fileName` contains the text, ignoring case. */
  fileNameContainsFold?: string | null | undefined;
  /** `fileName` equals the text, ignoring case. */
  fileNameEqualFold?: string | null | undefined;
  /** `fileName` is greater than the value. */
  fileNameGT?: string | null | undefined;
  /** `fileName` is greater than or equal to the value. */
  fileNameGTE?: string | null | undefined;
  /** `fileName` starts with the text (case-sensitive). */
  fileNameHasPrefix?: string | null | undefined;
  /** `fileName` ends with the text (case-sensitive). */
  fileNameHasSuffix?: string | null | undefined;
  /** `fileName` is one of the values. */
  fileNameIn?: Array<string> | null | undefined;
  /** When true, `fileName` is null. */
  fileNameIsNil?: boolean | null | undefined;
  /** `fileName` is less than the value. */
  fileNameLT?: string | null | undefined;
  /** `fileName` is less than or equal to the value. */
  fileNameLTE?: string | null | undefined;
  /** `fileName` differs from the value. */
  fileNameNEQ?: string | null | undefined;
  /** `fileName` is none of the values. */
  fileNameNotIn?: Array<string> | null | undefined;
  /** When true, `fileName` is not null. */
  fileNameNotNil?: boolean | null | undefined;
  /** `folderID` equals the value. */
  folderID?: string | number | null | undefined;
  /** `folderID` is one of the values. */
  folderIDIn?: Array<string | number> | null | undefined;
  /** When true, `folderID` is null. */
  folderIDIsNil?: boolean | null | undefined;
  /** `folderID` differs from the value. */
  folderIDNEQ?: string | number | null | undefined;
  /** `folderID` is none of the values. */
  folderIDNotIn?: Array<string | number> | null | undefined;
  /** When true, `folderID` is not null. */
  folderIDNotNil?: boolean | null | undefined;
  /** `folderName` equals the value. */
  folderName?: string | null | undefined;
  /** `folderName` contains the text (case-sensitive). */
  folderNameContains?: string | null | undefined;
  /** `folderName` contains the text, ignoring case. */
  folderNameContainsFold?: string | null | undefined;
  /** `folderName` equals the text, ignoring case. */
  folderNameEqualFold?: string | null | undefined;
  /** `folderName` is greater than the value. */
  folderNameGT?: string | null | undefined;
  /** `folderName` is greater than or equal to the value. */
  folderNameGTE?: string | null | undefined;
  /** `folderName` starts with the text (case-sensitive). */
  folderNameHasPrefix?: string | null | undefined;
  /** `folderName` ends with the text (case-sensitive). */
  folderNameHasSuffix?: string | null | undefined;
  /** `folderName` is one of the values. */
  folderNameIn?: Array<string> | null | undefined;
  /** When true, `folderName` is null. */
  folderNameIsNil?: boolean | null | undefined;
  /** `folderName` is less than the value. */
  folderNameLT?: string | null | undefined;
  /** `folderName` is less than or equal to the value. */
  folderNameLTE?: string | null | undefined;
  /** `folderName` differs from the value. */
  folderNameNEQ?: string | null | undefined;
  /** `folderName` is none of the values. */
  folderNameNotIn?: Array<string> | null | undefined;
  /** When true, `folderName` is not null. */
  folderNameNotNil?: boolean | null | undefined;
  /** When true, only webhook calls that have a file; when false, only those without. */
  hasFile?: boolean | null | undefined;
  /** Only webhook calls whose file matches every one of these filters. */
  hasFileWith?: Array<FileWhereInput> | null | undefined;
  /** When true, only webhook calls that have a folder; when false, only those without. */
  hasFolder?: boolean | null | undefined;
  /** Only webhook calls whose folder matches every one of these filters. */
  hasFolderWith?: Array<FolderWhereInput> | null | undefined;
  /** When true, only webhook calls that have a webhook; when false, only those without. */
  hasWebhook?: boolean | null | undefined;
  /** Only webhook calls whose webhook matches every one of these filters. */
  hasWebhookWith?: Array<WebhookWhereInput> | null | undefined;
  /** `id` equals the value. */
  id?: string | number | null | undefined;
  /** `id` is greater than the value. */
  idGT?: string | number | null | undefined;
  /** `id` is greater than or equal to the value. */
  idGTE?: string | number | null | undefined;
  /** `id` is one of the values. */
  idIn?: Array<string | number> | null | undefined;
  /** `id` is less than the value. */
  idLT?: string | number | null | undefined;
  /** `id` is less than or equal to the value. */
  idLTE?: string | number | null | undefined;
  /** `id` differs from the value. */
  idNEQ?: string | number | null | undefined;
  /** `id` is none of the values. */
  idNotIn?: Array<string | number> | null | undefined;
  /** `kind` equals the value. */
  kind?: WebhookCallKind | null | undefined;
  /** `kind` is one of the values. */
  kindIn?: Array<WebhookCallKind> | null | undefined;
  /** `kind` differs from the value. */
  kindNEQ?: WebhookCallKind | null | undefined;
  /** `kind` is none of the values. */
  kindNotIn?: Array<WebhookCallKind> | null | undefined;
  /** `nextAttemptAt` equals the value. */
  nextAttemptAt?: string | null | undefined;
  /** `nextAttemptAt` is later than the value. */
  nextAttemptAtGT?: string | null | undefined;
  /** `nextAttemptAt` is the value or later. */
  nextAttemptAtGTE?: string | null | undefined;
  /** `nextAttemptAt` is one of the values. */
  nextAttemptAtIn?: Array<string> | null | undefined;
  /** When true, `nextAttemptAt` is null. */
  nextAttemptAtIsNil?: boolean | null | undefined;
  /** `nextAttemptAt` is earlier than the value. */
  nextAttemptAtLT?: string | null | undefined;
  /** `nextAttemptAt` is the value or earlier. */
  nextAttemptAtLTE?: string | null | undefined;
  /** `nextAttemptAt` differs from the value. */
  nextAttemptAtNEQ?: string | null | undefined;
  /** `nextAttemptAt` is none of the values. */
  nextAttemptAtNotIn?: Array<string> | null | undefined;
  /** When true, `nextAttemptAt` is not null. */
  nextAttemptAtNotNil?: boolean | null | undefined;
  /** Matches what this filter does not match. */
  not?: WebhookCallWhereInput | null | undefined;
  /**
   * notFetchedFor matches the delivery calls that SUCCEEDED at least this long
   * ago and whose file has not been fetched through their link since: a Go
   * duration such as "24h" or "90m", at least "1m". The export takes it too.
   */
  notFetchedFor?: string | null | undefined;
  /** Matches what at least one of these filters matches. */
  or?: Array<WebhookCallWhereInput> | null | undefined;
  /** `origin` equals the value. */
  origin?: WebhookCallOrigin | null | undefined;
  /** `origin` is one of the values. */
  originIn?: Array<WebhookCallOrigin> | null | undefined;
  /** When true, `origin` is null. */
  originIsNil?: boolean | null | undefined;
  /** `origin` differs from the value. */
  originNEQ?: WebhookCallOrigin | null | undefined;
  /** `origin` is none of the values. */
  originNotIn?: Array<WebhookCallOrigin> | null | undefined;
  /** When true, `origin` is not null. */
  originNotNil?: boolean | null | undefined;
  /** `payload` equals the value. */
  payload?: string | null | undefined;
  /** `payload` contains the text (case-sensitive). */
  payloadContains?: string | null | undefined;
  /** `payload` contains the text, ignoring case. */
  payloadContainsFold?: string | null | undefined;
  /** `payload` equals the text, ignoring case. */
  payloadEqualFold?: string | null | undefined;
  /** `payload` is greater than the value. */
  payloadGT?: string | null | undefined;
  /** `payload` is greater than or equal to the value. */
  payloadGTE?: string | null | undefined;
  /** `payload` starts with the text (case-sensitive). */
  payloadHasPrefix?: string | null | undefined;
  /** `payload` ends with the text (case-sensitive). */
  payloadHasSuffix?: string | null | undefined;
  /** `payload` is one of the values. */
  payloadIn?: Array<string> | null | undefined;
  /** `payload` is less than the value. */
  payloadLT?: string | null | undefined;
  /** `payload` is less than or equal to the value. */
  payloadLTE?: string | null | undefined;
  /** `payload` differs from the value. */
  payloadNEQ?: string | null | undefined;
  /** `payload` is none of the values. */
  payloadNotIn?: Array<string> | null | undefined;
  /** `responseStatus` equals the value. */
  responseStatus?: number | null | undefined;
  /** `responseStatus` is greater than the value. */
  responseStatusGT?: number | null | undefined;
  /** `responseStatus` is greater than or equal to the value. */
  responseStatusGTE?: number | null | undefined;
  /** `responseStatus` is one of the values. */
  responseStatusIn?: Array<number> | null | undefined;
  /** When true, `responseStatus` is null. */
  responseStatusIsNil?: boolean | null | undefined;
  /** `responseStatus` is less than the value. */
  responseStatusLT?: number | null | undefined;
  /** `responseStatus` is less than or equal to the value. */
  responseStatusLTE?: number | null | undefined;
  /** `responseStatus` differs from the value. */
  responseStatusNEQ?: number | null | undefined;
  /** `responseStatus` is none of the values. */
  responseStatusNotIn?: Array<number> | null | undefined;
  /** When true, `responseStatus` is not null. */
  responseStatusNotNil?: boolean | null | undefined;
  /** `status` equals the value. */
  status?: WebhookCallStatus | null | undefined;
  /** `status` is one of the values. */
  statusIn?: Array<WebhookCallStatus> | null | undefined;
  /** `status` differs from the value. */
  statusNEQ?: WebhookCallStatus | null | undefined;
  /** `status` is none of the values. */
  statusNotIn?: Array<WebhookCallStatus> | null | undefined;
  /** `targetURL` equals the value. */
  targetURL?: string | null | undefined;
  /** `targetURL` contains the text (case-sensitive). */
  targetURLContains?: string | null | undefined;
  /** `targetURL` contains the text, ignoring case. */
  targetURLContainsFold?: string | null | undefined;
  /** `targetURL` equals the text, ignoring case. */
  targetURLEqualFold?: string | null | undefined;
  /** `targetURL` is greater than the value. */
  targetURLGT?: string | null | undefined;
  /** `targetURL` is greater than or equal to the value. */
  targetURLGTE?: string | null | undefined;
  /** `targetURL` starts with the text (case-sensitive). */
  targetURLHasPrefix?: string | null | undefined;
  /** `targetURL` ends with the text (case-sensitive). */
  targetURLHasSuffix?: string | null | undefined;
  /** `targetURL` is one of the values. */
  targetURLIn?: Array<string> | null | undefined;
  /** `targetURL` is less than the value. */
  targetURLLT?: string | null | undefined;
  /** `targetURL` is less than or equal to the value. */
  targetURLLTE?: string | null | undefined;
  /** `targetURL` differs from the value. */
  targetURLNEQ?: string | null | undefined;
  /** `targetURL` is none of the values. */
  targetURLNotIn?: Array<string> | null | undefined;
  /** `test` equals the value. */
  test?: boolean | null | undefined;
  /** `test` differs from the value. */
  testNEQ?: boolean | null | undefined;
  /** `waitReason` equals the value. */
  waitReason?: string | null | undefined;
  /** `waitReason` contains the text (case-sensitive). */
  waitReasonContains?: string | null | undefined;
  /** `waitReason` contains the text, ignoring case. */
  waitReasonContainsFold?: string | null | undefined;
  /** `waitReason` equals the text, ignoring case. */
  waitReasonEqualFold?: string | null | undefined;
  /** `waitReason` is greater than the value. */
  waitReasonGT?: string | null | undefined;
  /** `waitReason` is greater than or equal to the value. */
  waitReasonGTE?: string | null | undefined;
  /** `waitReason` starts with the text (case-sensitive). */
  waitReasonHasPrefix?: string | null | undefined;
  /** `waitReason` ends with the text (case-sensitive). */
  waitReasonHasSuffix?: string | null | undefined;
  /** `waitReason` is one of the values. */
  waitReasonIn?: Array<string> | null | undefined;
  /** When true, `waitReason` is null. */
  waitReasonIsNil?: boolean | null | undefined;
  /** `waitReason` is less than the value. */
  waitReasonLT?: string | null | undefined;
  /** `waitReason` is less than or equal to the value. */
  waitReasonLTE?: string | null | undefined;
  /** `waitReason` differs from the value. */
  waitReasonNEQ?: string | null | undefined;
  /** `waitReason` is none of the values. */
  waitReasonNotIn?: Array<string> | null | undefined;
  /** When true, `waitReason` is not null. */
  waitReasonNotNil?: boolean | null | undefined;
  /** `webhookID` equals the value. */
  webhookID?: string | number | null | undefined;
  /** `webhookID` is one of the values. */
  webhookIDIn?: Array<string | number> | null | undefined;
  /** When true, `webhookID` is null. */
  webhookIDIsNil?: boolean | null | undefined;
  /** `webhookID` differs from the value. */
  webhookIDNEQ?: string | number | null | undefined;
  /** `webhookID` is none of the values. */
  webhookIDNotIn?: Array<string | number> | null | undefined;
  /** When true, `webhookID` is not null. */
  webhookIDNotNil?: boolean | null | undefined;
  /** `webhookName` equals the value. */
  webhookName?: string | null | undefined;
  /** `webhookName` contains the text (case-sensitive). */
  webhookNameContains?: string | null | undefined;
  /** `webhookName` contains the text, ignoring case. */
  webhookNameContainsFold?: string | null | undefined;
  /** `webhookName` equals the text, ignoring case. */
  webhookNameEqualFold?: string | null | undefined;
  /** `webhookName` is greater than the value. */
  webhookNameGT?: string | null | undefined;
  /** `webhookName` is greater than or equal to the value. */
  webhookNameGTE?: string | null | undefined;
  /** `webhookName` starts with the text (case-sensitive). */
  webhookNameHasPrefix?: string | null | undefined;
  /** `webhookName` ends with the text (case-sensitive). */
  webhookNameHasSuffix?: string | null | undefined;
  /** `webhookName` is one of the values. */
  webhookNameIn?: Array<string> | null | undefined;
  /** `webhookName` is less than the value. */
  webhookNameLT?: string | null | undefined;
  /** `webhookName` is less than or equal to the value. */
  webhookNameLTE?: string | null | undefined;
  /** `webhookName` differs from the value. */
  webhookNameNEQ?: string | null | undefined;
  /** `webhookName` is none of the values. */
  webhookNameNotIn?: Array<string> | null | undefined;
};

/**
 * A client certificate and its private key, in PEM (the key unencrypted). In
 * updateWebhook, an omitted key keeps the stored one (it must match).
 */
export type WebhookClientCertificateInput = {
  /** The certificate, PEM. */
  certificate: string;
  /** The private key of the certificate, PEM, unencrypted; stored encrypted and never read back. */
  key?: string | null | undefined;
};

/**
 * An extra header sent with every call of a webhook. In updateWebhook, a header
 * whose value is omitted keeps the value it has now (header values are never read
 * back in full, so a client can resend the set without knowing them).
 */
export type WebhookHeaderInput = {
  /**
   * The header's name, e.g. Authorization (at most 255 characters, each name
   * once). Headers the service sets itself (Content-Type, User-Agent and the
   * webhook-* signature headers) cannot be given.
   */
  name: string;
  /**
   * The header's value, at most 8192 bytes, without CR, LF or NUL. Needed in
   * createWebhook; in updateWebhook, omitted keeps the stored value.
   */
  value?: string | null | undefined;
};

/**
 * OAuth2 client credentials of a webhook. In updateWebhook, an omitted
 * clientSecret keeps the stored one, unless tokenURL moves to another host.
 */
export type WebhookOAuth2Input = {
  /** Sent as the audience parameter of the token request, when given. */
  audience?: string | null | undefined;
  /** The client ID sent to the token endpoint. */
  clientID: string;
  /** The client secret sent to the token endpoint; stored encrypted and never read back. Needed unless updateWebhook keeps the stored one. */
  clientSecret?: string | null | undefined;
  /** Scopes asked for in the token request (at most 20); none: the endpoint's default. */
  scopes?: Array<string> | null | undefined;
  /** Absolute http or https URL of the token endpoint; it passes the same address checks as the webhook's URL. */
  tokenURL: string;
};

/** Folders and filters to preview (webhookPreview), as CreateWebhookInput takes them. */
export type WebhookPreviewInput = {
  /** Examine the files of every folder instead. */
  allFolders?: boolean | null | undefined;
  /** Only files whose content type matches one of these patterns (video/*, image/png). */
  contentTypes?: Array<string> | null | undefined;
  /** Only files whose name contains this text (case-insensitive). */
  filter?: string | null | undefined;
  /** The folders whose files are examined. */
  folderIDs?: Array<string | number> | null | undefined;
  /** Only files of at most this many bytes. */
  maxSizeBytes?: number | null | undefined;
  /** Only files of at least this many bytes. */
  minSizeBytes?: number | null | undefined;
  /** Only files whose whole name matches this pattern (*, ?, [abc]). */
  nameGlob?: string | null | undefined;
};

/** The outcome of a webhook's last validation call (a POST of the validation payload, made when the webhook is saved, by revalidateWebhook and periodically). */
export type WebhookValidationStatus =
  /** The last validation call failed; lastValidationError says why. */
  | 'INVALID'
  /** No validation call has finished yet. */
  | 'UNVALIDATED'
  /** The last validation call got a 2xx answer. */
  | 'VALID';

/** A filter of webhooks: they match when they meet every predicate set here (unset ones are ignored); not, and and or combine filters. */
export type WebhookWhereInput = {
  /** `active` equals the value. */
  active?: boolean | null | undefined;
  /** `active` differs from the value. */
  activeNEQ?: boolean | null | undefined;
  /** `allFolders` equals the value. */
  allFolders?: boolean | null | undefined;
  /** `allFolders` differs from the value. */
  allFoldersNEQ?: boolean | null | undefined;
  /** Matches what every one of these filters matches. */
  and?: Array<WebhookWhereInput> | null | undefined;
  /** `createdAt` equals the value. */
  createdAt?: string | null | undefined;
  /** `createdAt` is later than the value. */
  createdAtGT?: string | null | undefined;
  /** `createdAt` is the value or later. */
  createdAtGTE?: string | null | undefined;
  /** `createdAt` is one of the values. */
  createdAtIn?: Array<string> | null | undefined;
  /** `createdAt` is earlier than the value. */
  createdAtLT?: string | null | undefined;
  /** `createdAt` is the value or earlier. */
  createdAtLTE?: string | null | undefined;
  /** `createdAt` differs from the value. */
  createdAtNEQ?: string | null | undefined;
  /** `createdAt` is none of the values. */
  createdAtNotIn?: Array<string> | null | undefined;
  /** `disabledAt` equals the value. */
  disabledAt?: string | null | undefined;
  /** `disabledAt` is later than the value. */
  disabledAtGT?: string | null | undefined;
  /** `disabledAt` is the value or later. */
  disabledAtGTE?: string | null | undefined;
  /** `disabledAt` is one of the values. */
  disabledAtIn?: Array<string> | null | undefined;
  /** When true, `disabledAt` is null. */
  disabledAtIsNil?: boolean | null | undefined;
  /** `disabledAt` is earlier than the value. */
  disabledAtLT?: string | null | undefined;
  /** `disabledAt` is the value or earlier. */
  disabledAtLTE?: string | null | undefined;
  /** `disabledAt` differs from the value. */
  disabledAtNEQ?: string | null | undefined;
  /** `disabledAt` is none of the values. */
  disabledAtNotIn?: Array<string> | null | undefined;
  /** When true, `disabledAt` is not null. */
  disabledAtNotNil?: boolean | null | undefined;
  /** When true, only webhooks that have folders; when false, only those without. */
  hasFolders?: boolean | null | undefined;
  /** Only webhooks with at least one of their folders matching every one of these filters. */
  hasFoldersWith?: Array<FolderWhereInput> | null | undefined;
  /** `id` equals the value. */
  id?: string | number | null | undefined;
  /** `id` is greater than the value. */
  idGT?: string | number | null | undefined;
  /** `id` is greater than or equal to the value. */
  idGTE?: string | number | null | undefined;
  /** `id` is one of the values. */
  idIn?: Array<string | number> | null | undefined;
  /** `id` is less than the value. */
  idLT?: string | number | null | undefined;
  /** `id` is less than or equal to the value. */
  idLTE?: string | number | null | undefined;
  /** `id` differs from the value. */
  idNEQ?: string | number | null | undefined;
  /** `id` is none of the values. */
  idNotIn?: Array<string | number> | null | undefined;
  /** `lastValidatedAt` equals the value. */
  lastValidatedAt?: string | null | undefined;
  /** `lastValidatedAt` is later than the value. */
  lastValidatedAtGT?: string | null | undefined;
  /** `lastValidatedAt` is the value or later. */
  lastValidatedAtGTE?: string | null | undefined;
  /** `lastValidatedAt` is one of the values. */
  lastValidatedAtIn?: Array<string> | null | undefined;
  /** When true, `lastValidatedAt` is null. */
  lastValidatedAtIsNil?: boolean | null | undefined;
  /** `lastValidatedAt` is earlier than the value. */
  lastValidatedAtLT?: string | null | undefined;
  /** `lastValidatedAt` is the value or earlier. */
  lastValidatedAtLTE?: string | null | undefined;
  /** `lastValidatedAt` differs from the value. */
  lastValidatedAtNEQ?: string | null | undefined;
  /** `lastValidatedAt` is none of the values. */
  lastValidatedAtNotIn?: Array<string> | null | undefined;
  /** When true, `lastValidatedAt` is not null. */
  lastValidatedAtNotNil?: boolean | null | undefined;
  /** `lastValidationError` equals the value. */
  lastValidationError?: string | null | undefined;
  /** `lastValidationError` contains the text (case-sensitive). */
  lastValidationErrorContains?: string | null | undefined;
  /** `lastValidationError` contains the text, ignoring case. */
  lastValidationErrorContainsFold?: string | null | undefined;
  /** `lastValidationError` equals the text, ignoring case. */
  lastValidationErrorEqualFold?: string | null | undefined;
  /** `lastValidationError` is greater than the value. */
  lastValidationErrorGT?: string | null | undefined;
  /** `lastValidationError` is greater than or equal to the value. */
  lastValidationErrorGTE?: string | null | undefined;
  /** `lastValidationError` starts with the text (case-sensitive). */
  lastValidationErrorHasPrefix?: string | null | undefined;
  /** `lastValidationError` ends with the text (case-sensitive). */
  lastValidationErrorHasSuffix?: string | null | undefined;
  /** `lastValidationError` is one of the values. */
  lastValidationErrorIn?: Array<string> | null | undefined;
  /** When true, `lastValidationError` is null. */
  lastValidationErrorIsNil?: boolean | null | undefined;
  /** `lastValidationError` is less than the value. */
  lastValidationErrorLT?: string | null | undefined;
  /** `lastValidationError` is less than or equal to the value. */
  lastValidationErrorLTE?: string | null | undefined;
  /** `lastValidationError` differs from the value. */
  lastValidationErrorNEQ?: string | null | undefined;
  /** `lastValidationError` is none of the values. */
  lastValidationErrorNotIn?: Array<string> | null | undefined;
  /** When true, `lastValidationError` is not null. */
  lastValidationErrorNotNil?: boolean | null | undefined;
  /** `maxConcurrent` equals the value. */
  maxConcurrent?: number | null | undefined;
  /** `maxConcurrent` is greater than the value. */
  maxConcurrentGT?: number | null | undefined;
  /** `maxConcurrent` is greater than or equal to the value. */
  maxConcurrentGTE?: number | null | undefined;
  /** `maxConcurrent` is one of the values. */
  maxConcurrentIn?: Array<number> | null | undefined;
  /** When true, `maxConcurrent` is null. */
  maxConcurrentIsNil?: boolean | null | undefined;
  /** `maxConcurrent` is less than the value. */
  maxConcurrentLT?: number | null | undefined;
  /** `maxConcurrent` is less than or equal to the value. */
  maxConcurrentLTE?: number | null | undefined;
  /** `maxConcurrent` differs from the value. */
  maxConcurrentNEQ?: number | null | undefined;
  /** `maxConcurrent` is none of the values. */
  maxConcurrentNotIn?: Array<number> | null | undefined;
  /** When true, `maxConcurrent` is not null. */
  maxConcurrentNotNil?: boolean | null | undefined;
  /** `maxRequestsPerSecond` equals the value. */
  maxRequestsPerSecond?: number | null | undefined;
  /** `maxRequestsPerSecond` is greater than the value. */
  maxRequestsPerSecondGT?: number | null | undefined;
  /** `maxRequestsPerSecond` is greater than or equal to the value. */
  maxRequestsPerSecondGTE?: number | null | undefined;
  /** `maxRequestsPerSecond` is one of the values. */
  maxRequestsPerSecondIn?: Array<number> | null | undefined;
  /** When true, `maxRequestsPerSecond` is null. */
  maxRequestsPerSecondIsNil?: boolean | null | undefined;
  /** `maxRequestsPerSecond` is less than the value. */
  maxRequestsPerSecondLT?: number | null | undefined;
  /** `maxRequestsPerSecond` is less than or equal to the value. */
  maxRequestsPerSecondLTE?: number | null | undefined;
  /** `maxRequestsPerSecond` differs from the value. */
  maxRequestsPerSecondNEQ?: number | null | undefined;
  /** `maxRequestsPerSecond` is none of the values. */
  maxRequestsPerSecondNotIn?: Array<number> | null | undefined;
  /** When true, `maxRequestsPerSecond` is not null. */
  maxRequestsPerSecondNotNil?: boolean | null | undefined;
  /** `name` equals the value. */
  name?: string | null | undefined;
  /** `name` contains the text (case-sensitive). */
  nameContains?: string | null | undefined;
  /** `name` contains the text, ignoring case. */
  nameContainsFold?: string | null | undefined;
  /** `name` equals the text, ignoring case. */
  nameEqualFold?: string | null | undefined;
  /** `name` is greater than the value. */
  nameGT?: string | null | undefined;
  /** `name` is greater than or equal to the value. */
  nameGTE?: string | null | undefined;
  /** `name` starts with the text (case-sensitive). */
  nameHasPrefix?: string | null | undefined;
  /** `name` ends with the text (case-sensitive). */
  nameHasSuffix?: string | null | undefined;
  /** `name` is one of the values. */
  nameIn?: Array<string> | null | undefined;
  /** `name` is less than the value. */
  nameLT?: string | null | undefined;
  /** `name` is less than or equal to the value. */
  nameLTE?: string | null | undefined;
  /** `name` differs from the value. */
  nameNEQ?: string | null | undefined;
  /** `name` is none of the values. */
  nameNotIn?: Array<string> | null | undefined;
  /** Matches what this filter does not match. */
  not?: WebhookWhereInput | null | undefined;
  /** Matches what at least one of these filters matches. */
  or?: Array<WebhookWhereInput> | null | undefined;
  /** `ordered` equals the value. */
  ordered?: boolean | null | undefined;
  /** `ordered` differs from the value. */
  orderedNEQ?: boolean | null | undefined;
  /**
   * search matches webhooks whose name, URL (for admins only: URLs may hold
   * credentials) or one of whose folders' names contains the text, ignoring
   * case and the spaces around it; % and _ match themselves. Empty: no search.
   * At most 255 characters.
   */
  search?: string | null | undefined;
  /** `timeoutSeconds` equals the value. */
  timeoutSeconds?: number | null | undefined;
  /** `timeoutSeconds` is greater than the value. */
  timeoutSecondsGT?: number | null | undefined;
  /** `timeoutSeconds` is greater than or equal to the value. */
  timeoutSecondsGTE?: number | null | undefined;
  /** `timeoutSeconds` is one of the values. */
  timeoutSecondsIn?: Array<number> | null | undefined;
  /** When true, `timeoutSeconds` is null. */
  timeoutSecondsIsNil?: boolean | null | undefined;
  /** `timeoutSeconds` is less than the value. */
  timeoutSecondsLT?: number | null | undefined;
  /** `timeoutSeconds` is less than or equal to the value. */
  timeoutSecondsLTE?: number | null | undefined;
  /** `timeoutSeconds` differs from the value. */
  timeoutSecondsNEQ?: number | null | undefined;
  /** `timeoutSeconds` is none of the values. */
  timeoutSecondsNotIn?: Array<number> | null | undefined;
  /** When true, `timeoutSeconds` is not null. */
  timeoutSecondsNotNil?: boolean | null | undefined;
  /** `updatedAt` equals the value. */
  updatedAt?: string | null | undefined;
  /** `updatedAt` is later than the value. */
  updatedAtGT?: string | null | undefined;
  /** `updatedAt` is the value or later. */
  updatedAtGTE?: string | null | undefined;
  /** `updatedAt` is one of the values. */
  updatedAtIn?: Array<string> | null | undefined;
  /** `updatedAt` is earlier than the value. */
  updatedAtLT?: string | null | undefined;
  /** `updatedAt` is the value or earlier. */
  updatedAtLTE?: string | null | undefined;
  /** `updatedAt` differs from the value. */
  updatedAtNEQ?: string | null | undefined;
  /** `updatedAt` is none of the values. */
  updatedAtNotIn?: Array<string> | null | undefined;
  /** `url` equals the value. */
  url?: string | null | undefined;
  /** `url` contains the text (case-sensitive). */
  urlContains?: string | null | undefined;
  /** `url` contains the text, ignoring case. */
  urlContainsFold?: string | null | undefined;
  /** `url` equals the text, ignoring case. */
  urlEqualFold?: string | null | undefined;
  /** `url` is greater than the value. */
  urlGT?: string | null | undefined;
  /** `url` is greater than or equal to the value. */
  urlGTE?: string | null | undefined;
  /** `url` starts with the text (case-sensitive). */
  urlHasPrefix?: string | null | undefined;
  /** `url` ends with the text (case-sensitive). */
  urlHasSuffix?: string | null | undefined;
  /** `url` is one of the values. */
  urlIn?: Array<string> | null | undefined;
  /** `url` is less than the value. */
  urlLT?: string | null | undefined;
  /** `url` is less than or equal to the value. */
  urlLTE?: string | null | undefined;
  /** `url` differs from the value. */
  urlNEQ?: string | null | undefined;
  /** `url` is none of the values. */
  urlNotIn?: Array<string> | null | undefined;
  /** `validationStatus` equals the value. */
  validationStatus?: WebhookValidationStatus | null | undefined;
  /** `validationStatus` is one of the values. */
  validationStatusIn?: Array<WebhookValidationStatus> | null | undefined;
  /** `validationStatus` differs from the value. */
  validationStatusNEQ?: WebhookValidationStatus | null | undefined;
  /** `validationStatus` is none of the values. */
  validationStatusNotIn?: Array<WebhookValidationStatus> | null | undefined;
};

export type FolderSearchQueryVariables = Exact<{
  first: number;
  where?: FolderWhereInput | null | undefined;
}>;


export type FolderSearchQuery = { folders: { totalCount: number, pageInfo: { hasNextPage: boolean }, edges: Array<{ node: { id: string, name: string } | null } | null> | null } };

export type WebhookChoicesQueryVariables = Exact<{
  where?: WebhookWhereInput | null | undefined;
}>;


export type WebhookChoicesQuery = { webhooks: { totalCount: number, edges: Array<{ node: { id: string, name: string, active: boolean } | null } | null> | null } };

export type UploadOptionsQueryVariables = Exact<{ [key: string]: never; }>;


export type UploadOptionsQuery = { uploadOptions: { direct: boolean, maxDirectUploadBytes: number, maxUploadBytes: number } };

export type CreateUploadMutationVariables = Exact<{
  folderID: string | number;
  name: string;
  contentType?: string | null | undefined;
  size: number;
}>;


export type CreateUploadMutation = { createUpload: { id: string, partCount: number, receivedParts: Array<{ number: number, sizeBytes: number }>, parts: Array<{ number: number, offset: number, sizeBytes: number, url: string }> } };

export type UploadPartsMutationVariables = Exact<{
  id: string | number;
}>;


export type UploadPartsMutation = { uploadParts: { id: string, partCount: number, receivedParts: Array<{ number: number, sizeBytes: number }>, parts: Array<{ number: number, offset: number, sizeBytes: number, url: string }> } };

export type CompleteUploadMutationVariables = Exact<{
  id: string | number;
}>;


export type CompleteUploadMutation = { completeUpload: { id: string, name: string, sizeBytes: number, createdAt: string, callCount: number } };

export type AbortUploadMutationVariables = Exact<{
  id: string | number;
}>;


export type AbortUploadMutation = { abortUpload: { id: string, state: UploadState } };

export type PartnerViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type PartnerViewerQuery = { viewer: { role: ApiTokenRole, tokenName: string, manage: boolean, portalTitle: string | null, webhooks: Array<{ id: string, name: string }> } };

export type UploadFileMutationVariables = Exact<{
  folderID: string | number;
  file: File;
}>;


export type UploadFileMutation = { uploadFile: { id: string, name: string, sizeBytes: number, createdAt: string, callCount: number } };

export type WebhookCallUpdatedSubscriptionVariables = Exact<{
  webhookID?: string | number | null | undefined;
  kinds?: Array<WebhookCallKind> | WebhookCallKind | null | undefined;
  statuses?: Array<WebhookCallStatus> | WebhookCallStatus | null | undefined;
}>;


export type WebhookCallUpdatedSubscription = { webhookCallUpdated: { ' $fragmentRefs'?: { 'WebhookCallFieldsFragment': WebhookCallFieldsFragment } } };

export type CreateWebhookMutationVariables = Exact<{
  input: CreateWebhookInput;
}>;


export type CreateWebhookMutation = { createWebhook: { id: string, name: string, url: string, active: boolean, validationStatus: WebhookValidationStatus, lastValidatedAt: string | null, lastValidationError: string | null } };

export type AuditLogQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  where?: AuditLogFilter | null | undefined;
}>;


export type AuditLogQuery = { auditLog: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, at: string, actorName: string, actorRole: string, action: string, subjectType: string, subjectID: string, subjectName: string, clientAddress: string, changes: Array<{ field: string, old: string | null, new: string | null }> } }> } };

export type WebhookCallDetailQueryVariables = Exact<{
  id: string | number;
}>;


export type WebhookCallDetailQuery = { node:
    | { id: string }
    | { id: string }
    | { id: string }
    | { id: string }
    | (
      { payload: string, id: string, file: { id: string, name: string, downloadURL: string } | null, folder: { id: string, name: string } | null, attempts: Array<{ id: string, number: number, startedAt: string, durationMs: number, responseStatus: number | null, retryAfterSeconds: number | null, error: string | null, responseBody: string | null, requestHeaders: Array<{ name: string, value: string }> }> | null }
      & { ' $fragmentRefs'?: { 'WebhookCallFieldsFragment': WebhookCallFieldsFragment } }
    )
    | { id: string }
    | { id: string }
   | null };

export type WebhookCallFieldsFragment = { id: string, kind: WebhookCallKind, status: WebhookCallStatus, origin: WebhookCallOrigin | null, filter: string | null, filters: string | null, targetURL: string, webhookName: string, fileName: string | null, folderName: string | null, attemptCount: number, test: boolean, nextAttemptAt: string | null, waitReason: string | null, retryDelays: Array<string> | null, responseStatus: number | null, error: string | null, createdAt: string, completedAt: string | null, fetch: { firstAt: string, count: number } | null, webhook: { id: string } | null } & { ' $fragmentName'?: 'WebhookCallFieldsFragment' };

export type WebhookCallsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
  where?: WebhookCallWhereInput | null | undefined;
}>;


export type WebhookCallsQuery = { webhookCalls: { totalCount: number, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null }, edges: Array<{ cursor: string, node: { ' $fragmentRefs'?: { 'WebhookCallFieldsFragment': WebhookCallFieldsFragment } } | null } | null> | null } };

export type RetryWebhookCallMutationVariables = Exact<{
  id: string | number;
}>;


export type RetryWebhookCallMutation = { retryWebhookCall: { ' $fragmentRefs'?: { 'WebhookCallFieldsFragment': WebhookCallFieldsFragment } } };

export type WebhookOptionsQueryVariables = Exact<{ [key: string]: never; }>;


export type WebhookOptionsQuery = { webhooks: { edges: Array<{ node: { id: string, name: string } | null } | null> | null } };

export type DeleteWebhookMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteWebhookMutation = { deleteWebhook: string };

export type WebhookStatsQueryVariables = Exact<{
  id: string | number;
  from: string;
  to: string;
}>;


export type WebhookStatsQuery = { webhookStats: { from: string, to: string, successRate: number | null, fetches: { delivered: number, fetched: number, rate: number | null }, total: { succeeded: number, failed: number, retrying: number, latencyP50Ms: number | null, latencyP95Ms: number | null }, buckets: Array<{ start: string, succeeded: number, failed: number, retrying: number, latencyP50Ms: number | null, latencyP95Ms: number | null }>, errors: Array<{ kind: string, count: number, lastSeen: string, lastFailedAt: string | null }> } };

export type WebhookSparklinesQueryVariables = Exact<{
  ids: Array<string | number> | string | number;
}>;


export type WebhookSparklinesQuery = { nodes: Array<
    | { id: string }
    | { id: string }
    | { id: string }
    | { id: string, recentStats: Array<{ start: string, succeeded: number, failed: number, retrying: number }> }
    | { id: string }
    | { id: string }
    | { id: string }
   | null> };

export type FoldersQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  where?: FolderWhereInput | null | undefined;
}>;


export type FoldersQuery = { folders: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string, createdAt: string, webhooks: Array<{ id: string, name: string }> | null } | null } | null> | null } };

export type CreateFolderMutationVariables = Exact<{
  input: CreateFolderInput;
}>;


export type CreateFolderMutation = { createFolder: { id: string, name: string, createdAt: string } };

export type RecentFilesQueryVariables = Exact<{
  first: number;
}>;


export type RecentFilesQuery = { files: { totalCount: number, edges: Array<{ node: { id: string, name: string, contentType: string, sizeBytes: number, createdAt: string, downloadURL: string, folder: { id: string, name: string } } | null } | null> | null } };

export type RecoverableCallCountQueryVariables = Exact<{
  webhookID: string | number;
  since: string;
  until: string;
  statuses?: Array<WebhookCallStatus> | WebhookCallStatus | null | undefined;
}>;


export type RecoverableCallCountQuery = { recoverableCallCount: number };

export type RecoverWebhookCallsMutationVariables = Exact<{
  webhookID: string | number;
  since: string;
  until: string;
  statuses?: Array<WebhookCallStatus> | WebhookCallStatus | null | undefined;
}>;


export type RecoverWebhookCallsMutation = { recoverWebhookCalls: number };

export type TestFileOptionsQueryVariables = Exact<{
  where?: FileWhereInput | null | undefined;
  first?: number | null | undefined;
}>;


export type TestFileOptionsQuery = { files: { edges: Array<{ node: { id: string, name: string, createdAt: string, folder: { id: string, name: string } } | null } | null> | null } };

export type SendTestFileMutationVariables = Exact<{
  webhookID: string | number;
  fileID: string | number;
}>;


export type SendTestFileMutation = { sendTestFile: { id: string, status: WebhookCallStatus, test: boolean } };

export type TestCallQueryVariables = Exact<{
  id: string | number;
}>;


export type TestCallQuery = { node:
    | { id: string }
    | { id: string }
    | { id: string }
    | { id: string }
    | { status: WebhookCallStatus, error: string | null, responseStatus: number | null, id: string }
    | { id: string }
    | { id: string }
   | null };

export type SendAgainOptionsQueryVariables = Exact<{
  fileID: string | number;
  where?: WebhookWhereInput | null | undefined;
}>;


export type SendAgainOptionsQuery = { webhooks: { totalCount: number, edges: Array<{ node: { id: string, name: string, active: boolean } | null } | null> | null }, webhookCalls: { edges: Array<{ node: { id: string, status: WebhookCallStatus, webhook: { id: string, name: string, active: boolean } | null } | null } | null> | null } };

export type RedeliverFileMutationVariables = Exact<{
  fileID: string | number;
  webhookIDs?: Array<string | number> | string | number | null | undefined;
}>;


export type RedeliverFileMutation = { redeliverFile: Array<{ id: string, status: WebhookCallStatus }> };

export type CreatePortalLinkMutationVariables = Exact<{
  input: CreatePortalLinkInput;
}>;


export type CreatePortalLinkMutation = { createPortalLink: { url: string, expiresAt: string, token: { id: string, name: string } } };

export type ApiTokensQueryVariables = Exact<{ [key: string]: never; }>;


export type ApiTokensQuery = { apiTokens: Array<{ id: string, name: string, role: ApiTokenRole, prefix: string, createdAt: string, lastUsedAt: string | null, expiresAt: string | null, revokedAt: string | null, manage: boolean, webhooks: Array<{ id: string, name: string }> | null }> };

export type CreateApiTokenMutationVariables = Exact<{
  input: CreateApiTokenInput;
}>;


export type CreateApiTokenMutation = { createApiToken: { secret: string, token: { id: string, name: string, role: ApiTokenRole, prefix: string, createdAt: string, lastUsedAt: string | null, expiresAt: string | null, revokedAt: string | null, manage: boolean, webhooks: Array<{ id: string, name: string }> | null } } };

export type RevokeApiTokenMutationVariables = Exact<{
  id: string | number;
}>;


export type RevokeApiTokenMutation = { revokeApiToken: { id: string, revokedAt: string | null } };

export type ConsoleSessionsQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleSessionsQuery = { sessions: Array<{ id: string, tokenName: string, role: ApiTokenRole, createdAt: string, lastSeenAt: string, expiresAt: string, clientAddress: string, userAgent: string, current: boolean }> };

export type EndSessionMutationVariables = Exact<{
  id: string | number;
}>;


export type EndSessionMutation = { endSession: { id: string, endedAt: string | null } };

export type WebhookDetailQueryVariables = Exact<{
  id: string | number;
}>;


export type WebhookDetailQuery = { node:
    | { id: string }
    | { id: string }
    | { id: string }
    | (
      { name: string, url: string, active: boolean, activity: WebhookActivity, inactiveReason: string | null, allFolders: boolean, filter: string | null, contentTypes: Array<string> | null, nameGlob: string | null, minSizeBytes: number | null, maxSizeBytes: number | null, validationStatus: WebhookValidationStatus, lastValidatedAt: string | null, lastValidationError: string | null, disabledReason: string | null, disabledAt: string | null, createdAt: string, updatedAt: string, signingSecret: string | null, maxRequestsPerSecond: number | null, maxConcurrent: number | null, timeoutSeconds: number | null, retryDelays: Array<string> | null, ordered: boolean, id: string, headers: Array<{ id: string, name: string, value: string }>, folders: Array<{ id: string, name: string }> | null, oauth2: { tokenURL: string, clientID: string, clientSecret: string, scopes: Array<string>, audience: string | null } | null, clientCertificate: { subject: string, issuer: string, notBefore: string, notAfter: string, fingerprint: string } | null, caCertificates: Array<{ subject: string, issuer: string, notBefore: string, notAfter: string, fingerprint: string }> }
      & { ' $fragmentRefs'?: { 'WebhookActivityFieldsFragment': WebhookActivityFieldsFragment } }
    )
    | { id: string }
    | { id: string }
    | { id: string }
   | null };

export type RevalidateWebhookMutationVariables = Exact<{
  id: string | number;
}>;


export type RevalidateWebhookMutation = { revalidateWebhook: { id: string, validationStatus: WebhookValidationStatus, lastValidatedAt: string | null, lastValidationError: string | null } };

export type RotateWebhookSecretMutationVariables = Exact<{
  id: string | number;
}>;


export type RotateWebhookSecretMutation = { rotateWebhookSecret: { id: string, signingSecret: string | null } };

export type UpdateWebhookMutationVariables = Exact<{
  id: string | number;
  input: UpdateWebhookInput;
}>;


export type UpdateWebhookMutation = { updateWebhook: { id: string, name: string, url: string, active: boolean, activity: WebhookActivity, inactiveReason: string | null, allFolders: boolean, filter: string | null, contentTypes: Array<string> | null, nameGlob: string | null, minSizeBytes: number | null, maxSizeBytes: number | null, validationStatus: WebhookValidationStatus, lastValidatedAt: string | null, lastValidationError: string | null, disabledReason: string | null, disabledAt: string | null, updatedAt: string, maxRequestsPerSecond: number | null, maxConcurrent: number | null, timeoutSeconds: number | null, retryDelays: Array<string> | null, ordered: boolean, headers: Array<{ id: string, name: string, value: string }>, folders: Array<{ id: string, name: string }> | null, oauth2: { tokenURL: string, clientID: string, clientSecret: string, scopes: Array<string>, audience: string | null } | null, clientCertificate: { subject: string, issuer: string, notBefore: string, notAfter: string, fingerprint: string } | null, caCertificates: Array<{ subject: string, issuer: string, notBefore: string, notAfter: string, fingerprint: string }> } };

export type WebhookPreviewQueryVariables = Exact<{
  input: WebhookPreviewInput;
}>;


export type WebhookPreviewQuery = { webhookPreview: { matched: number, examined: number, names: Array<string> } };

export type WebhookListQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  where?: WebhookWhereInput | null | undefined;
}>;


export type WebhookListQuery = { webhooks: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: (
        { id: string, name: string, url: string, active: boolean, activity: WebhookActivity, inactiveReason: string | null, allFolders: boolean, filter: string | null, validationStatus: WebhookValidationStatus, lastValidatedAt: string | null, lastValidationError: string | null, disabledReason: string | null, createdAt: string, folders: Array<{ id: string, name: string }> | null }
        & { ' $fragmentRefs'?: { 'WebhookActivityFieldsFragment': WebhookActivityFieldsFragment } }
      ) | null } | null> | null } };

export type WebhookActivityFieldsFragment = { lastDelivery: { id: string, kind: WebhookCallKind, status: WebhookCallStatus, createdAt: string, error: string | null } | null, lastValidation: { id: string, kind: WebhookCallKind, status: WebhookCallStatus, createdAt: string, error: string | null } | null, deliveries24h: { pending: number, running: number, retrying: number, succeeded: number, failed: number, canceled: number }, validations24h: { pending: number, running: number, retrying: number, succeeded: number, failed: number, canceled: number } } & { ' $fragmentName'?: 'WebhookActivityFieldsFragment' };

export const WebhookCallFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebhookCallFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"WebhookCall"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"origin"}},{"kind":"Field","name":{"kind":"Name","value":"filter"}},{"kind":"Field","name":{"kind":"Name","value":"filters"}},{"kind":"Field","name":{"kind":"Name","value":"targetURL"}},{"kind":"Field","name":{"kind":"Name","value":"webhookName"}},{"kind":"Field","name":{"kind":"Name","value":"fileName"}},{"kind":"Field","name":{"kind":"Name","value":"folderName"}},{"kind":"Field","name":{"kind":"Name","value":"attemptCount"}},{"kind":"Field","name":{"kind":"Name","value":"test"}},{"kind":"Field","name":{"kind":"Name","value":"nextAttemptAt"}},{"kind":"Field","name":{"kind":"Name","value":"waitReason"}},{"kind":"Field","name":{"kind":"Name","value":"retryDelays"}},{"kind":"Field","name":{"kind":"Name","value":"responseStatus"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"fetch"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"firstAt"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"webhook"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<WebhookCallFieldsFragment, unknown>;
export const WebhookActivityFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebhookActivityFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Webhook"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","alias":{"kind":"Name","value":"lastDelivery"},"name":{"kind":"Name","value":"lastCall"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"kind"},"value":{"kind":"EnumValue","value":"DELIVERY"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"lastValidation"},"name":{"kind":"Name","value":"lastCall"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"kind"},"value":{"kind":"EnumValue","value":"VALIDATION"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"deliveries24h"},"name":{"kind":"Name","value":"callStats24h"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"kind"},"value":{"kind":"EnumValue","value":"DELIVERY"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pending"}},{"kind":"Field","name":{"kind":"Name","value":"running"}},{"kind":"Field","name":{"kind":"Name","value":"retrying"}},{"kind":"Field","name":{"kind":"Name","value":"succeeded"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"canceled"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"validations24h"},"name":{"kind":"Name","value":"callStats24h"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"kind"},"value":{"kind":"EnumValue","value":"VALIDATION"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pending"}},{"kind":"Field","name":{"kind":"Name","value":"running"}},{"kind":"Field","name":{"kind":"Name","value":"retrying"}},{"kind":"Field","name":{"kind":"Name","value":"succeeded"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"canceled"}}]}}]}}]} as unknown as DocumentNode<WebhookActivityFieldsFragment, unknown>;
export const FolderSearchDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"FolderSearch"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"where"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"FolderWhereInput"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"folders"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"field"},"value":{"kind":"EnumValue","value":"NAME"}},{"kind":"ObjectField","name":{"kind":"Name","value":"direction"},"value":{"kind":"EnumValue","value":"ASC"}}]}},{"kind":"Argument","name":{"kind":"Name","value":"where"},"value":{"kind":"Variable","name":{"kind":"Name","value":"where"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]} as unknown as DocumentNode<FolderSearchQuery, FolderSearchQueryVariables>;
export const WebhookChoicesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WebhookChoices"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"where"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"WebhookWhereInput"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"webhooks"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"field"},"value":{"kind":"EnumValue","value":"NAME"}},{"kind":"ObjectField","name":{"kind":"Name","value":"direction"},"value":{"kind":"EnumValue","value":"ASC"}}]}},{"kind":"Argument","name":{"kind":"Name","value":"where"},"value":{"kind":"Variable","name":{"kind":"Name","value":"where"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"active"}}]}}]}}]}}]}}]} as unknown as DocumentNode<WebhookChoicesQuery, WebhookChoicesQueryVariables>;
export const UploadOptionsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"UploadOptions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uploadOptions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"direct"}},{"kind":"Field","name":{"kind":"Name","value":"maxDirectUploadBytes"}},{"kind":"Field","name":{"kind":"Name","value":"maxUploadBytes"}}]}}]}}]} as unknown as DocumentNode<UploadOptionsQuery, UploadOptionsQueryVariables>;
export const CreateUploadDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateUpload"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"folderID"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"contentType"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"size"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createUpload"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"folderID"},"value":{"kind":"Variable","name":{"kind":"Name","value":"folderID"}}},{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}},{"kind":"Argument","name":{"kind":"Name","value":"contentType"},"value":{"kind":"Variable","name":{"kind":"Name","value":"contentType"}}},{"kind":"Argument","name":{"kind":"Name","value":"size"},"value":{"kind":"Variable","name":{"kind":"Name","value":"size"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"partCount"}},{"kind":"Field","name":{"kind":"Name","value":"receivedParts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"sizeBytes"}}]}},{"kind":"Field","name":{"kind":"Name","value":"parts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"offset"}},{"kind":"Field","name":{"kind":"Name","value":"sizeBytes"}},{"kind":"Field","name":{"kind":"Name","value":"url"}}]}}]}}]}}]} as unknown as DocumentNode<CreateUploadMutation, CreateUploadMutationVariables>;
export const UploadPartsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UploadParts"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uploadParts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"partCount"}},{"kind":"Field","name":{"kind":"Name","value":"receivedParts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"sizeBytes"}}]}},{"kind":"Field","name":{"kind":"Name","value":"parts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"offset"}},{"kind":"Field","name":{"kind":"Name","value":"sizeBytes"}},{"kind":"Field","name":{"kind":"Name","value":"url"}}]}}]}}]}}]} as unknown as DocumentNode<UploadPartsMutation, UploadPartsMutationVariables>;
export const CompleteUploadDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CompleteUpload"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"completeUpload"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"sizeBytes"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"callCount"}}]}}]}}]} as unknown as DocumentNode<CompleteUploadMutation, CompleteUploadMutationVariables>;
export const AbortUploadDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AbortUpload"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"abortUpload"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}}]}}]}}]} as unknown as DocumentNode<AbortUploadMutation, AbortUploadMutationVariables>;
export const PartnerViewerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PartnerViewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"tokenName"}},{"kind":"Field","name":{"kind":"Name","value":"manage"}},{"kind":"Field","name":{"kind":"Name","value":"portalTitle"}},{"kind":"Field","name":{"kind":"Name","value":"webhooks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]} as unknown as DocumentNode<PartnerViewerQuery, PartnerViewerQueryVariables>;
export const UploadFileDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UploadFile"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"folderID"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"file"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Upload"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uploadFile"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"folderID"},"value":{"kind":"Variable","name":{"kind":"Name","value":"folderID"}}},{"kind":"Argument","name":{"kind":"Name","value":"file"},"value":{"kind":"Variable","name":{"kind":"Name","value":"file"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"sizeBytes"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"callCount"}}]}}]}}]} as unknown as DocumentNode<UploadFileMutation, UploadFileMutationVariables>;
export const WebhookCallUpdatedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"WebhookCallUpdated"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"webhookID"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"kinds"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"WebhookCallKind"}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"statuses"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"WebhookCallStatus"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"webhookCallUpdated"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"webhookID"},"value":{"kind":"Variable","name":{"kind":"Name","value":"webhookID"}}},{"kind":"Argument","name":{"kind":"Name","value":"kinds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"kinds"}}},{"kind":"Argument","name":{"kind":"Name","value":"statuses"},"value":{"kind":"Variable","name":{"kind":"Name","value":"statuses"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WebhookCallFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebhookCallFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"WebhookCall"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"origin"}},{"kind":"Field","name":{"kind":"Name","value":"filter"}},{"kind":"Field","name":{"kind":"Name","value":"filters"}},{"kind":"Field","name":{"kind":"Name","value":"targetURL"}},{"kind":"Field","name":{"kind":"Name","value":"webhookName"}},{"kind":"Field","name":{"kind":"Name","value":"fileName"}},{"kind":"Field","name":{"kind":"Name","value":"folderName"}},{"kind":"Field","name":{"kind":"Name","value":"attemptCount"}},{"kind":"Field","name":{"kind":"Name","value":"test"}},{"kind":"Field","name":{"kind":"Name","value":"nextAttemptAt"}},{"kind":"Field","name":{"kind":"Name","value":"waitReason"}},{"kind":"Field","name":{"kind":"Name","value":"retryDelays"}},{"kind":"Field","name":{"kind":"Name","value":"responseStatus"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"fetch"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"firstAt"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"webhook"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<WebhookCallUpdatedSubscription, WebhookCallUpdatedSubscriptionVariables>;
export const CreateWebhookDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateWebhook"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateWebhookInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createWebhook"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"validationStatus"}},{"kind":"Field","name":{"kind":"Name","value":"lastValidatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastValidationError"}}]}}]}}]} as unknown as DocumentNode<CreateWebhookMutation, CreateWebhookMutationVariables>;
export const AuditLogDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AuditLog"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Cursor"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"where"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"AuditLogFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"auditLog"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"where"},"value":{"kind":"Variable","name":{"kind":"Name","value":"where"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"actorName"}},{"kind":"Field","name":{"kind":"Name","value":"actorRole"}},{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"subjectType"}},{"kind":"Field","name":{"kind":"Name","value":"subjectID"}},{"kind":"Field","name":{"kind":"Name","value":"subjectName"}},{"kind":"Field","name":{"kind":"Name","value":"clientAddress"}},{"kind":"Field","name":{"kind":"Name","value":"changes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"old"}},{"kind":"Field","name":{"kind":"Name","value":"new"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<AuditLogQuery, AuditLogQueryVariables>;
export const WebhookCallDetailDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WebhookCallDetail"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"WebhookCall"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WebhookCallFields"}},{"kind":"Field","name":{"kind":"Name","value":"payload"}},{"kind":"Field","name":{"kind":"Name","value":"file"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"downloadURL"}}]}},{"kind":"Field","name":{"kind":"Name","value":"folder"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"attempts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"responseStatus"}},{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"responseBody"}},{"kind":"Field","name":{"kind":"Name","value":"requestHeaders"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebhookCallFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"WebhookCall"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"origin"}},{"kind":"Field","name":{"kind":"Name","value":"filter"}},{"kind":"Field","name":{"kind":"Name","value":"filters"}},{"kind":"Field","name":{"kind":"Name","value":"targetURL"}},{"kind":"Field","name":{"kind":"Name","value":"webhookName"}},{"kind":"Field","name":{"kind":"Name","value":"fileName"}},{"kind":"Field","name":{"kind":"Name","value":"folderName"}},{"kind":"Field","name":{"kind":"Name","value":"attemptCount"}},{"kind":"Field","name":{"kind":"Name","value":"test"}},{"kind":"Field","name":{"kind":"Name","value":"nextAttemptAt"}},{"kind":"Field","name":{"kind":"Name","value":"waitReason"}},{"kind":"Field","name":{"kind":"Name","value":"retryDelays"}},{"kind":"Field","name":{"kind":"Name","value":"responseStatus"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"fetch"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"firstAt"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"webhook"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<WebhookCallDetailQuery, WebhookCallDetailQueryVariables>;
export const WebhookCallsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WebhookCalls"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Cursor"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"last"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"before"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Cursor"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"where"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"WebhookCallWhereInput"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"webhookCalls"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"Variable","name":{"kind":"Name","value":"last"}}},{"kind":"Argument","name":{"kind":"Name","value":"before"},"value":{"kind":"Variable","name":{"kind":"Name","value":"before"}}},{"kind":"Argument","name":{"kind":"Name","value":"where"},"value":{"kind":"Variable","name":{"kind":"Name","value":"where"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"field"},"value":{"kind":"EnumValue","value":"CREATED_AT"}},{"kind":"ObjectField","name":{"kind":"Name","value":"direction"},"value":{"kind":"EnumValue","value":"DESC"}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WebhookCallFields"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebhookCallFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"WebhookCall"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"origin"}},{"kind":"Field","name":{"kind":"Name","value":"filter"}},{"kind":"Field","name":{"kind":"Name","value":"filters"}},{"kind":"Field","name":{"kind":"Name","value":"targetURL"}},{"kind":"Field","name":{"kind":"Name","value":"webhookName"}},{"kind":"Field","name":{"kind":"Name","value":"fileName"}},{"kind":"Field","name":{"kind":"Name","value":"folderName"}},{"kind":"Field","name":{"kind":"Name","value":"attemptCount"}},{"kind":"Field","name":{"kind":"Name","value":"test"}},{"kind":"Field","name":{"kind":"Name","value":"nextAttemptAt"}},{"kind":"Field","name":{"kind":"Name","value":"waitReason"}},{"kind":"Field","name":{"kind":"Name","value":"retryDelays"}},{"kind":"Field","name":{"kind":"Name","value":"responseStatus"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"fetch"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"firstAt"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"webhook"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<WebhookCallsQuery, WebhookCallsQueryVariables>;
export const RetryWebhookCallDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RetryWebhookCall"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryWebhookCall"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WebhookCallFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebhookCallFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"WebhookCall"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"origin"}},{"kind":"Field","name":{"kind":"Name","value":"filter"}},{"kind":"Field","name":{"kind":"Name","value":"filters"}},{"kind":"Field","name":{"kind":"Name","value":"targetURL"}},{"kind":"Field","name":{"kind":"Name","value":"webhookName"}},{"kind":"Field","name":{"kind":"Name","value":"fileName"}},{"kind":"Field","name":{"kind":"Name","value":"folderName"}},{"kind":"Field","name":{"kind":"Name","value":"attemptCount"}},{"kind":"Field","name":{"kind":"Name","value":"test"}},{"kind":"Field","name":{"kind":"Name","value":"nextAttemptAt"}},{"kind":"Field","name":{"kind":"Name","value":"waitReason"}},{"kind":"Field","name":{"kind":"Name","value":"retryDelays"}},{"kind":"Field","name":{"kind":"Name","value":"responseStatus"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"fetch"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"firstAt"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"webhook"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<RetryWebhookCallMutation, RetryWebhookCallMutationVariables>;
export const WebhookOptionsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WebhookOptions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"webhooks"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"field"},"value":{"kind":"EnumValue","value":"NAME"}},{"kind":"ObjectField","name":{"kind":"Name","value":"direction"},"value":{"kind":"EnumValue","value":"ASC"}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]} as unknown as DocumentNode<WebhookOptionsQuery, WebhookOptionsQueryVariables>;
export const DeleteWebhookDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteWebhook"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteWebhook"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}]}]}}]} as unknown as DocumentNode<DeleteWebhookMutation, DeleteWebhookMutationVariables>;
export const WebhookStatsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WebhookStats"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Time"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Time"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"webhookStats"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"Argument","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}},{"kind":"Argument","name":{"kind":"Name","value":"bucket"},"value":{"kind":"StringValue","value":"HOUR","block":false}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"from"}},{"kind":"Field","name":{"kind":"Name","value":"to"}},{"kind":"Field","name":{"kind":"Name","value":"successRate"}},{"kind":"Field","name":{"kind":"Name","value":"fetches"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"delivered"}},{"kind":"Field","name":{"kind":"Name","value":"fetched"}},{"kind":"Field","name":{"kind":"Name","value":"rate"}}]}},{"kind":"Field","name":{"kind":"Name","value":"total"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"succeeded"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"retrying"}},{"kind":"Field","name":{"kind":"Name","value":"latencyP50Ms"}},{"kind":"Field","name":{"kind":"Name","value":"latencyP95Ms"}}]}},{"kind":"Field","name":{"kind":"Name","value":"buckets"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"succeeded"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"retrying"}},{"kind":"Field","name":{"kind":"Name","value":"latencyP50Ms"}},{"kind":"Field","name":{"kind":"Name","value":"latencyP95Ms"}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"lastSeen"}},{"kind":"Field","name":{"kind":"Name","value":"lastFailedAt"}}]}}]}}]}}]} as unknown as DocumentNode<WebhookStatsQuery, WebhookStatsQueryVariables>;
export const WebhookSparklinesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WebhookSparklines"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ids"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ids"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ids"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Webhook"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"recentStats"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"succeeded"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"retrying"}}]}}]}}]}}]}}]} as unknown as DocumentNode<WebhookSparklinesQuery, WebhookSparklinesQueryVariables>;
export const FoldersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Folders"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Cursor"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"where"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"FolderWhereInput"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"folders"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"field"},"value":{"kind":"EnumValue","value":"NAME"}},{"kind":"ObjectField","name":{"kind":"Name","value":"direction"},"value":{"kind":"EnumValue","value":"ASC"}}]}},{"kind":"Argument","name":{"kind":"Name","value":"where"},"value":{"kind":"Variable","name":{"kind":"Name","value":"where"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"webhooks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<FoldersQuery, FoldersQueryVariables>;
export const CreateFolderDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateFolder"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateFolderInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createFolder"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]} as unknown as DocumentNode<CreateFolderMutation, CreateFolderMutationVariables>;
export const RecentFilesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RecentFiles"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"files"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"field"},"value":{"kind":"EnumValue","value":"CREATED_AT"}},{"kind":"ObjectField","name":{"kind":"Name","value":"direction"},"value":{"kind":"EnumValue","value":"DESC"}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"contentType"}},{"kind":"Field","name":{"kind":"Name","value":"sizeBytes"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"downloadURL"}},{"kind":"Field","name":{"kind":"Name","value":"folder"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<RecentFilesQuery, RecentFilesQueryVariables>;
export const RecoverableCallCountDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RecoverableCallCount"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"webhookID"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"since"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Time"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"until"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Time"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"statuses"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"WebhookCallStatus"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"recoverableCallCount"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"webhookID"},"value":{"kind":"Variable","name":{"kind":"Name","value":"webhookID"}}},{"kind":"Argument","name":{"kind":"Name","value":"since"},"value":{"kind":"Variable","name":{"kind":"Name","value":"since"}}},{"kind":"Argument","name":{"kind":"Name","value":"until"},"value":{"kind":"Variable","name":{"kind":"Name","value":"until"}}},{"kind":"Argument","name":{"kind":"Name","value":"statuses"},"value":{"kind":"Variable","name":{"kind":"Name","value":"statuses"}}}]}]}}]} as unknown as DocumentNode<RecoverableCallCountQuery, RecoverableCallCountQueryVariables>;
export const RecoverWebhookCallsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RecoverWebhookCalls"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"webhookID"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"since"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Time"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"until"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Time"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"statuses"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"WebhookCallStatus"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"recoverWebhookCalls"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"webhookID"},"value":{"kind":"Variable","name":{"kind":"Name","value":"webhookID"}}},{"kind":"Argument","name":{"kind":"Name","value":"since"},"value":{"kind":"Variable","name":{"kind":"Name","value":"since"}}},{"kind":"Argument","name":{"kind":"Name","value":"until"},"value":{"kind":"Variable","name":{"kind":"Name","value":"until"}}},{"kind":"Argument","name":{"kind":"Name","value":"statuses"},"value":{"kind":"Variable","name":{"kind":"Name","value":"statuses"}}}]}]}}]} as unknown as DocumentNode<RecoverWebhookCallsMutation, RecoverWebhookCallsMutationVariables>;
export const TestFileOptionsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TestFileOptions"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"where"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"FileWhereInput"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"20"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"files"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"field"},"value":{"kind":"EnumValue","value":"CREATED_AT"}},{"kind":"ObjectField","name":{"kind":"Name","value":"direction"},"value":{"kind":"EnumValue","value":"DESC"}}]}},{"kind":"Argument","name":{"kind":"Name","value":"where"},"value":{"kind":"Variable","name":{"kind":"Name","value":"where"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"folder"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<TestFileOptionsQuery, TestFileOptionsQueryVariables>;
export const SendTestFileDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SendTestFile"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"webhookID"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"fileID"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sendTestFile"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"webhookID"},"value":{"kind":"Variable","name":{"kind":"Name","value":"webhookID"}}},{"kind":"Argument","name":{"kind":"Name","value":"fileID"},"value":{"kind":"Variable","name":{"kind":"Name","value":"fileID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"test"}}]}}]}}]} as unknown as DocumentNode<SendTestFileMutation, SendTestFileMutationVariables>;
export const TestCallDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TestCall"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"WebhookCall"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"responseStatus"}}]}}]}}]}}]} as unknown as DocumentNode<TestCallQuery, TestCallQueryVariables>;
export const SendAgainOptionsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SendAgainOptions"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"fileID"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"where"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"WebhookWhereInput"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"webhooks"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"field"},"value":{"kind":"EnumValue","value":"NAME"}},{"kind":"ObjectField","name":{"kind":"Name","value":"direction"},"value":{"kind":"EnumValue","value":"ASC"}}]}},{"kind":"Argument","name":{"kind":"Name","value":"where"},"value":{"kind":"Variable","name":{"kind":"Name","value":"where"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"active"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"webhookCalls"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}},{"kind":"Argument","name":{"kind":"Name","value":"where"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"hasFileWith"},"value":{"kind":"ListValue","values":[{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"fileID"}}}]}]}},{"kind":"ObjectField","name":{"kind":"Name","value":"kind"},"value":{"kind":"EnumValue","value":"DELIVERY"}},{"kind":"ObjectField","name":{"kind":"Name","value":"test"},"value":{"kind":"BooleanValue","value":false}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"webhook"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"active"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<SendAgainOptionsQuery, SendAgainOptionsQueryVariables>;
export const RedeliverFileDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RedeliverFile"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"fileID"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"webhookIDs"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"redeliverFile"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"fileID"},"value":{"kind":"Variable","name":{"kind":"Name","value":"fileID"}}},{"kind":"Argument","name":{"kind":"Name","value":"webhookIDs"},"value":{"kind":"Variable","name":{"kind":"Name","value":"webhookIDs"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<RedeliverFileMutation, RedeliverFileMutationVariables>;
export const CreatePortalLinkDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreatePortalLink"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreatePortalLinkInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createPortalLink"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"token"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]} as unknown as DocumentNode<CreatePortalLinkMutation, CreatePortalLinkMutationVariables>;
export const ApiTokensDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ApiTokens"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"apiTokens"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"prefix"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastUsedAt"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"revokedAt"}},{"kind":"Field","name":{"kind":"Name","value":"manage"}},{"kind":"Field","name":{"kind":"Name","value":"webhooks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]} as unknown as DocumentNode<ApiTokensQuery, ApiTokensQueryVariables>;
export const CreateApiTokenDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateApiToken"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateApiTokenInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createApiToken"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"secret"}},{"kind":"Field","name":{"kind":"Name","value":"token"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"prefix"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastUsedAt"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"revokedAt"}},{"kind":"Field","name":{"kind":"Name","value":"manage"}},{"kind":"Field","name":{"kind":"Name","value":"webhooks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]} as unknown as DocumentNode<CreateApiTokenMutation, CreateApiTokenMutationVariables>;
export const RevokeApiTokenDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RevokeApiToken"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"revokeApiToken"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"revokedAt"}}]}}]}}]} as unknown as DocumentNode<RevokeApiTokenMutation, RevokeApiTokenMutationVariables>;
export const ConsoleSessionsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleSessions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sessions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"tokenName"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastSeenAt"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"clientAddress"}},{"kind":"Field","name":{"kind":"Name","value":"userAgent"}},{"kind":"Field","name":{"kind":"Name","value":"current"}}]}}]}}]} as unknown as DocumentNode<ConsoleSessionsQuery, ConsoleSessionsQueryVariables>;
export const EndSessionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"EndSession"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"endSession"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}}]}}]}}]} as unknown as DocumentNode<EndSessionMutation, EndSessionMutationVariables>;
export const WebhookDetailDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WebhookDetail"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Webhook"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"activity"}},{"kind":"Field","name":{"kind":"Name","value":"inactiveReason"}},{"kind":"Field","name":{"kind":"Name","value":"allFolders"}},{"kind":"Field","name":{"kind":"Name","value":"filter"}},{"kind":"Field","name":{"kind":"Name","value":"contentTypes"}},{"kind":"Field","name":{"kind":"Name","value":"nameGlob"}},{"kind":"Field","name":{"kind":"Name","value":"minSizeBytes"}},{"kind":"Field","name":{"kind":"Name","value":"maxSizeBytes"}},{"kind":"Field","name":{"kind":"Name","value":"validationStatus"}},{"kind":"Field","name":{"kind":"Name","value":"lastValidatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastValidationError"}},{"kind":"Field","name":{"kind":"Name","value":"disabledReason"}},{"kind":"Field","name":{"kind":"Name","value":"disabledAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"signingSecret"}},{"kind":"Field","name":{"kind":"Name","value":"headers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"folders"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"maxRequestsPerSecond"}},{"kind":"Field","name":{"kind":"Name","value":"maxConcurrent"}},{"kind":"Field","name":{"kind":"Name","value":"timeoutSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"retryDelays"}},{"kind":"Field","name":{"kind":"Name","value":"ordered"}},{"kind":"Field","name":{"kind":"Name","value":"oauth2"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tokenURL"}},{"kind":"Field","name":{"kind":"Name","value":"clientID"}},{"kind":"Field","name":{"kind":"Name","value":"clientSecret"}},{"kind":"Field","name":{"kind":"Name","value":"scopes"}},{"kind":"Field","name":{"kind":"Name","value":"audience"}}]}},{"kind":"Field","name":{"kind":"Name","value":"clientCertificate"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"subject"}},{"kind":"Field","name":{"kind":"Name","value":"issuer"}},{"kind":"Field","name":{"kind":"Name","value":"notBefore"}},{"kind":"Field","name":{"kind":"Name","value":"notAfter"}},{"kind":"Field","name":{"kind":"Name","value":"fingerprint"}}]}},{"kind":"Field","name":{"kind":"Name","value":"caCertificates"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"subject"}},{"kind":"Field","name":{"kind":"Name","value":"issuer"}},{"kind":"Field","name":{"kind":"Name","value":"notBefore"}},{"kind":"Field","name":{"kind":"Name","value":"notAfter"}},{"kind":"Field","name":{"kind":"Name","value":"fingerprint"}}]}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"WebhookActivityFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebhookActivityFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Webhook"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","alias":{"kind":"Name","value":"lastDelivery"},"name":{"kind":"Name","value":"lastCall"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"kind"},"value":{"kind":"EnumValue","value":"DELIVERY"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"lastValidation"},"name":{"kind":"Name","value":"lastCall"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"kind"},"value":{"kind":"EnumValue","value":"VALIDATION"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"deliveries24h"},"name":{"kind":"Name","value":"callStats24h"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"kind"},"value":{"kind":"EnumValue","value":"DELIVERY"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pending"}},{"kind":"Field","name":{"kind":"Name","value":"running"}},{"kind":"Field","name":{"kind":"Name","value":"retrying"}},{"kind":"Field","name":{"kind":"Name","value":"succeeded"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"canceled"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"validations24h"},"name":{"kind":"Name","value":"callStats24h"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"kind"},"value":{"kind":"EnumValue","value":"VALIDATION"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pending"}},{"kind":"Field","name":{"kind":"Name","value":"running"}},{"kind":"Field","name":{"kind":"Name","value":"retrying"}},{"kind":"Field","name":{"kind":"Name","value":"succeeded"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"canceled"}}]}}]}}]} as unknown as DocumentNode<WebhookDetailQuery, WebhookDetailQueryVariables>;
export const RevalidateWebhookDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RevalidateWebhook"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"revalidateWebhook"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"validationStatus"}},{"kind":"Field","name":{"kind":"Name","value":"lastValidatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastValidationError"}}]}}]}}]} as unknown as DocumentNode<RevalidateWebhookMutation, RevalidateWebhookMutationVariables>;
export const RotateWebhookSecretDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RotateWebhookSecret"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rotateWebhookSecret"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"signingSecret"}}]}}]}}]} as unknown as DocumentNode<RotateWebhookSecretMutation, RotateWebhookSecretMutationVariables>;
export const UpdateWebhookDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateWebhook"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateWebhookInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateWebhook"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"activity"}},{"kind":"Field","name":{"kind":"Name","value":"inactiveReason"}},{"kind":"Field","name":{"kind":"Name","value":"allFolders"}},{"kind":"Field","name":{"kind":"Name","value":"filter"}},{"kind":"Field","name":{"kind":"Name","value":"contentTypes"}},{"kind":"Field","name":{"kind":"Name","value":"nameGlob"}},{"kind":"Field","name":{"kind":"Name","value":"minSizeBytes"}},{"kind":"Field","name":{"kind":"Name","value":"maxSizeBytes"}},{"kind":"Field","name":{"kind":"Name","value":"validationStatus"}},{"kind":"Field","name":{"kind":"Name","value":"lastValidatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastValidationError"}},{"kind":"Field","name":{"kind":"Name","value":"disabledReason"}},{"kind":"Field","name":{"kind":"Name","value":"disabledAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"headers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"folders"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"maxRequestsPerSecond"}},{"kind":"Field","name":{"kind":"Name","value":"maxConcurrent"}},{"kind":"Field","name":{"kind":"Name","value":"timeoutSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"retryDelays"}},{"kind":"Field","name":{"kind":"Name","value":"ordered"}},{"kind":"Field","name":{"kind":"Name","value":"oauth2"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tokenURL"}},{"kind":"Field","name":{"kind":"Name","value":"clientID"}},{"kind":"Field","name":{"kind":"Name","value":"clientSecret"}},{"kind":"Field","name":{"kind":"Name","value":"scopes"}},{"kind":"Field","name":{"kind":"Name","value":"audience"}}]}},{"kind":"Field","name":{"kind":"Name","value":"clientCertificate"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"subject"}},{"kind":"Field","name":{"kind":"Name","value":"issuer"}},{"kind":"Field","name":{"kind":"Name","value":"notBefore"}},{"kind":"Field","name":{"kind":"Name","value":"notAfter"}},{"kind":"Field","name":{"kind":"Name","value":"fingerprint"}}]}},{"kind":"Field","name":{"kind":"Name","value":"caCertificates"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"subject"}},{"kind":"Field","name":{"kind":"Name","value":"issuer"}},{"kind":"Field","name":{"kind":"Name","value":"notBefore"}},{"kind":"Field","name":{"kind":"Name","value":"notAfter"}},{"kind":"Field","name":{"kind":"Name","value":"fingerprint"}}]}}]}}]}}]} as unknown as DocumentNode<UpdateWebhookMutation, UpdateWebhookMutationVariables>;
export const WebhookPreviewDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WebhookPreview"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"WebhookPreviewInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"webhookPreview"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"matched"}},{"kind":"Field","name":{"kind":"Name","value":"examined"}},{"kind":"Field","name":{"kind":"Name","value":"names"}}]}}]}}]} as unknown as DocumentNode<WebhookPreviewQuery, WebhookPreviewQueryVariables>;
export const WebhookListDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WebhookList"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Cursor"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"where"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"WebhookWhereInput"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"webhooks"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"field"},"value":{"kind":"EnumValue","value":"CREATED_AT"}},{"kind":"ObjectField","name":{"kind":"Name","value":"direction"},"value":{"kind":"EnumValue","value":"ASC"}}]}},{"kind":"Argument","name":{"kind":"Name","value":"where"},"value":{"kind":"Variable","name":{"kind":"Name","value":"where"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"activity"}},{"kind":"Field","name":{"kind":"Name","value":"inactiveReason"}},{"kind":"Field","name":{"kind":"Name","value":"allFolders"}},{"kind":"Field","name":{"kind":"Name","value":"filter"}},{"kind":"Field","name":{"kind":"Name","value":"validationStatus"}},{"kind":"Field","name":{"kind":"Name","value":"lastValidatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastValidationError"}},{"kind":"Field","name":{"kind":"Name","value":"disabledReason"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"folders"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"WebhookActivityFields"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebhookActivityFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Webhook"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","alias":{"kind":"Name","value":"lastDelivery"},"name":{"kind":"Name","value":"lastCall"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"kind"},"value":{"kind":"EnumValue","value":"DELIVERY"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"lastValidation"},"name":{"kind":"Name","value":"lastCall"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"kind"},"value":{"kind":"EnumValue","value":"VALIDATION"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"deliveries24h"},"name":{"kind":"Name","value":"callStats24h"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"kind"},"value":{"kind":"EnumValue","value":"DELIVERY"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pending"}},{"kind":"Field","name":{"kind":"Name","value":"running"}},{"kind":"Field","name":{"kind":"Name","value":"retrying"}},{"kind":"Field","name":{"kind":"Name","value":"succeeded"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"canceled"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"validations24h"},"name":{"kind":"Name","value":"callStats24h"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"kind"},"value":{"kind":"EnumValue","value":"VALIDATION"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pending"}},{"kind":"Field","name":{"kind":"Name","value":"running"}},{"kind":"Field","name":{"kind":"Name","value":"retrying"}},{"kind":"Field","name":{"kind":"Name","value":"succeeded"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"canceled"}}]}}]}}]} as unknown as DocumentNode<WebhookListQuery, WebhookListQueryVariables>;