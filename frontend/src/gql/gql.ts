/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query UploadOptions {\n    uploadOptions {\n      direct\n      maxDirectUploadBytes\n      maxUploadBytes\n    }\n  }\n": typeof types.UploadOptionsDocument,
    "\n  mutation CreateUpload($folderID: ID!, $name: String!, $contentType: String, $size: Int!) {\n    createUpload(folderID: $folderID, name: $name, contentType: $contentType, size: $size) {\n      id\n      partCount\n      receivedParts {\n        number\n        sizeBytes\n      }\n      parts {\n        number\n        offset\n        sizeBytes\n        url\n      }\n    }\n  }\n": typeof types.CreateUploadDocument,
    "\n  mutation UploadParts($id: ID!) {\n    uploadParts(id: $id) {\n      id\n      partCount\n      receivedParts {\n        number\n        sizeBytes\n      }\n      parts {\n        number\n        offset\n        sizeBytes\n        url\n      }\n    }\n  }\n": typeof types.UploadPartsDocument,
    "\n  mutation CompleteUpload($id: ID!) {\n    completeUpload(id: $id) {\n      id\n      name\n      sizeBytes\n      createdAt\n      callCount\n    }\n  }\n": typeof types.CompleteUploadDocument,
    "\n  mutation AbortUpload($id: ID!) {\n    abortUpload(id: $id) {\n      id\n      state\n    }\n  }\n": typeof types.AbortUploadDocument,
    "\n  mutation UploadFile($folderID: ID!, $file: Upload!) {\n    uploadFile(folderID: $folderID, file: $file) {\n      id\n      name\n      sizeBytes\n      createdAt\n      callCount\n    }\n  }\n": typeof types.UploadFileDocument,
    "\n  subscription WebhookCallUpdated($webhookID: ID, $kinds: [WebhookCallKind!], $statuses: [WebhookCallStatus!]) {\n    webhookCallUpdated(webhookID: $webhookID, kinds: $kinds, statuses: $statuses) {\n      ...WebhookCallFields\n    }\n  }\n": typeof types.WebhookCallUpdatedDocument,
    "\n  mutation CreateWebhook($input: CreateWebhookInput!) {\n    createWebhook(input: $input) {\n      id\n      name\n      url\n      active\n      validationStatus\n      lastValidatedAt\n      lastValidationError\n    }\n  }\n": typeof types.CreateWebhookDocument,
    "\n  query WebhookCallDetail($id: ID!) {\n    node(id: $id) {\n      id\n      ... on WebhookCall {\n        ...WebhookCallFields\n        payload\n        file {\n          id\n          name\n          downloadURL\n        }\n        folder {\n          id\n          name\n        }\n        attempts {\n          id\n          number\n          startedAt\n          durationMs\n          responseStatus\n          retryAfterSeconds\n          error\n          responseBody\n          requestHeaders {\n            name\n            value\n          }\n        }\n      }\n    }\n  }\n": typeof types.WebhookCallDetailDocument,
    "\n  fragment WebhookCallFields on WebhookCall {\n    id\n    kind\n    status\n    origin\n    filter\n    targetURL\n    webhookName\n    fileName\n    folderName\n    attemptCount\n    test\n    nextAttemptAt\n    waitReason\n    retryDelays\n    responseStatus\n    error\n    createdAt\n    completedAt\n    webhook {\n      id\n    }\n  }\n": typeof types.WebhookCallFieldsFragmentDoc,
    "\n  query WebhookCalls($first: Int, $after: Cursor, $last: Int, $before: Cursor, $where: WebhookCallWhereInput) {\n    webhookCalls(\n      first: $first\n      after: $after\n      last: $last\n      before: $before\n      where: $where\n      orderBy: { field: CREATED_AT, direction: DESC }\n    ) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          ...WebhookCallFields\n        }\n      }\n    }\n  }\n": typeof types.WebhookCallsDocument,
    "\n  mutation RetryWebhookCall($id: ID!) {\n    retryWebhookCall(id: $id) {\n      ...WebhookCallFields\n    }\n  }\n": typeof types.RetryWebhookCallDocument,
    "\n  query WebhookOptions {\n    webhooks(first: 100, orderBy: { field: NAME, direction: ASC }) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.WebhookOptionsDocument,
    "\n  mutation DeleteWebhook($id: ID!) {\n    deleteWebhook(id: $id)\n  }\n": typeof types.DeleteWebhookDocument,
    "\n  query Folders {\n    folders(first: 100, orderBy: { field: NAME, direction: ASC }) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          createdAt\n          webhooks {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n": typeof types.FoldersDocument,
    "\n  mutation CreateFolder($input: CreateFolderInput!) {\n    createFolder(input: $input) {\n      id\n      name\n      createdAt\n    }\n  }\n": typeof types.CreateFolderDocument,
    "\n  query RecentFiles($first: Int!) {\n    files(first: $first, orderBy: { field: CREATED_AT, direction: DESC }) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          contentType\n          sizeBytes\n          createdAt\n          downloadURL\n          folder {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n": typeof types.RecentFilesDocument,
    "\n  query RecoverableCallCount($webhookID: ID!, $since: Time!, $until: Time!, $statuses: [WebhookCallStatus!]) {\n    recoverableCallCount(webhookID: $webhookID, since: $since, until: $until, statuses: $statuses)\n  }\n": typeof types.RecoverableCallCountDocument,
    "\n  mutation RecoverWebhookCalls($webhookID: ID!, $since: Time!, $until: Time!, $statuses: [WebhookCallStatus!]) {\n    recoverWebhookCalls(webhookID: $webhookID, since: $since, until: $until, statuses: $statuses)\n  }\n": typeof types.RecoverWebhookCallsDocument,
    "\n  query TestFileOptions($where: FileWhereInput) {\n    files(first: 20, orderBy: { field: CREATED_AT, direction: DESC }, where: $where) {\n      edges {\n        node {\n          id\n          name\n          createdAt\n          folder {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n": typeof types.TestFileOptionsDocument,
    "\n  mutation SendTestFile($webhookID: ID!, $fileID: ID!) {\n    sendTestFile(webhookID: $webhookID, fileID: $fileID) {\n      id\n      status\n      test\n    }\n  }\n": typeof types.SendTestFileDocument,
    "\n  query TestCall($id: ID!) {\n    node(id: $id) {\n      id\n      ... on WebhookCall {\n        status\n        error\n        responseStatus\n      }\n    }\n  }\n": typeof types.TestCallDocument,
    "\n  query SendAgainOptions($fileID: ID!) {\n    webhooks(first: 100, orderBy: { field: NAME, direction: ASC }) {\n      edges {\n        node {\n          id\n          name\n          active\n        }\n      }\n    }\n    webhookCalls(first: 100, where: { hasFileWith: [{ id: $fileID }], kind: DELIVERY, test: false }) {\n      edges {\n        node {\n          id\n          status\n          webhook {\n            id\n          }\n        }\n      }\n    }\n  }\n": typeof types.SendAgainOptionsDocument,
    "\n  mutation RedeliverFile($fileID: ID!, $webhookIDs: [ID!]) {\n    redeliverFile(fileID: $fileID, webhookIDs: $webhookIDs) {\n      id\n      status\n    }\n  }\n": typeof types.RedeliverFileDocument,
    "\n  query ApiTokens {\n    apiTokens {\n      id\n      name\n      role\n      prefix\n      createdAt\n      lastUsedAt\n      expiresAt\n      revokedAt\n    }\n  }\n": typeof types.ApiTokensDocument,
    "\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      secret\n      token {\n        id\n        name\n        role\n        prefix\n        createdAt\n        lastUsedAt\n        expiresAt\n        revokedAt\n      }\n    }\n  }\n": typeof types.CreateApiTokenDocument,
    "\n  mutation RevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id) {\n      id\n      revokedAt\n    }\n  }\n": typeof types.RevokeApiTokenDocument,
    "\n  query WebhookDetail($id: ID!) {\n    node(id: $id) {\n      id\n      ... on Webhook {\n        name\n        url\n        active\n        allFolders\n        filter\n        validationStatus\n        lastValidatedAt\n        lastValidationError\n        disabledReason\n        disabledAt\n        createdAt\n        updatedAt\n        signingSecret\n        headers {\n          id\n          name\n          value\n        }\n        folders {\n          id\n          name\n        }\n        maxRequestsPerSecond\n        maxConcurrent\n        timeoutSeconds\n        retryDelays\n        ordered\n        ...WebhookActivityFields\n      }\n    }\n  }\n": typeof types.WebhookDetailDocument,
    "\n  query FolderOptions {\n    folders(first: 100, orderBy: { field: NAME, direction: ASC }) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.FolderOptionsDocument,
    "\n  mutation RevalidateWebhook($id: ID!) {\n    revalidateWebhook(id: $id) {\n      id\n      validationStatus\n      lastValidatedAt\n      lastValidationError\n    }\n  }\n": typeof types.RevalidateWebhookDocument,
    "\n  mutation RotateWebhookSecret($id: ID!) {\n    rotateWebhookSecret(id: $id) {\n      id\n      signingSecret\n    }\n  }\n": typeof types.RotateWebhookSecretDocument,
    "\n  mutation UpdateWebhook($id: ID!, $input: UpdateWebhookInput!) {\n    updateWebhook(id: $id, input: $input) {\n      id\n      name\n      url\n      active\n      allFolders\n      filter\n      validationStatus\n      lastValidatedAt\n      lastValidationError\n      disabledReason\n      disabledAt\n      updatedAt\n      headers {\n        id\n        name\n        value\n      }\n      folders {\n        id\n        name\n      }\n      maxRequestsPerSecond\n      maxConcurrent\n      timeoutSeconds\n      retryDelays\n      ordered\n    }\n  }\n": typeof types.UpdateWebhookDocument,
    "\n  query WebhookList {\n    webhooks(first: 100, orderBy: { field: CREATED_AT, direction: ASC }) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          url\n          active\n          allFolders\n          filter\n          validationStatus\n          lastValidatedAt\n          lastValidationError\n          disabledReason\n          createdAt\n          folders {\n            id\n            name\n          }\n          ...WebhookActivityFields\n        }\n      }\n    }\n  }\n": typeof types.WebhookListDocument,
    "\n  fragment WebhookActivityFields on Webhook {\n    lastDelivery: lastCall(kind: DELIVERY) {\n      id\n      kind\n      status\n      createdAt\n      error\n    }\n    lastValidation: lastCall(kind: VALIDATION) {\n      id\n      kind\n      status\n      createdAt\n      error\n    }\n    deliveries24h: callStats24h(kind: DELIVERY) {\n      pending\n      running\n      retrying\n      succeeded\n      failed\n      canceled\n    }\n    validations24h: callStats24h(kind: VALIDATION) {\n      pending\n      running\n      retrying\n      succeeded\n      failed\n      canceled\n    }\n  }\n": typeof types.WebhookActivityFieldsFragmentDoc,
};
const documents: Documents = {
    "\n  query UploadOptions {\n    uploadOptions {\n      direct\n      maxDirectUploadBytes\n      maxUploadBytes\n    }\n  }\n": types.UploadOptionsDocument,
    "\n  mutation CreateUpload($folderID: ID!, $name: String!, $contentType: String, $size: Int!) {\n    createUpload(folderID: $folderID, name: $name, contentType: $contentType, size: $size) {\n      id\n      partCount\n      receivedParts {\n        number\n        sizeBytes\n      }\n      parts {\n        number\n        offset\n        sizeBytes\n        url\n      }\n    }\n  }\n": types.CreateUploadDocument,
    "\n  mutation UploadParts($id: ID!) {\n    uploadParts(id: $id) {\n      id\n      partCount\n      receivedParts {\n        number\n        sizeBytes\n      }\n      parts {\n        number\n        offset\n        sizeBytes\n        url\n      }\n    }\n  }\n": types.UploadPartsDocument,
    "\n  mutation CompleteUpload($id: ID!) {\n    completeUpload(id: $id) {\n      id\n      name\n      sizeBytes\n      createdAt\n      callCount\n    }\n  }\n": types.CompleteUploadDocument,
    "\n  mutation AbortUpload($id: ID!) {\n    abortUpload(id: $id) {\n      id\n      state\n    }\n  }\n": types.AbortUploadDocument,
    "\n  mutation UploadFile($folderID: ID!, $file: Upload!) {\n    uploadFile(folderID: $folderID, file: $file) {\n      id\n      name\n      sizeBytes\n      createdAt\n      callCount\n    }\n  }\n": types.UploadFileDocument,
    "\n  subscription WebhookCallUpdated($webhookID: ID, $kinds: [WebhookCallKind!], $statuses: [WebhookCallStatus!]) {\n    webhookCallUpdated(webhookID: $webhookID, kinds: $kinds, statuses: $statuses) {\n      ...WebhookCallFields\n    }\n  }\n": types.WebhookCallUpdatedDocument,
    "\n  mutation CreateWebhook($input: CreateWebhookInput!) {\n    createWebhook(input: $input) {\n      id\n      name\n      url\n      active\n      validationStatus\n      lastValidatedAt\n      lastValidationError\n    }\n  }\n": types.CreateWebhookDocument,
    "\n  query WebhookCallDetail($id: ID!) {\n    node(id: $id) {\n      id\n      ... on WebhookCall {\n        ...WebhookCallFields\n        payload\n        file {\n          id\n          name\n          downloadURL\n        }\n        folder {\n          id\n          name\n        }\n        attempts {\n          id\n          number\n          startedAt\n          durationMs\n          responseStatus\n          retryAfterSeconds\n          error\n          responseBody\n          requestHeaders {\n            name\n            value\n          }\n        }\n      }\n    }\n  }\n": types.WebhookCallDetailDocument,
    "\n  fragment WebhookCallFields on WebhookCall {\n    id\n    kind\n    status\n    origin\n    filter\n    targetURL\n    webhookName\n    fileName\n    folderName\n    attemptCount\n    test\n    nextAttemptAt\n    waitReason\n    retryDelays\n    responseStatus\n    error\n    createdAt\n    completedAt\n    webhook {\n      id\n    }\n  }\n": types.WebhookCallFieldsFragmentDoc,
    "\n  query WebhookCalls($first: Int, $after: Cursor, $last: Int, $before: Cursor, $where: WebhookCallWhereInput) {\n    webhookCalls(\n      first: $first\n      after: $after\n      last: $last\n      before: $before\n      where: $where\n      orderBy: { field: CREATED_AT, direction: DESC }\n    ) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          ...WebhookCallFields\n        }\n      }\n    }\n  }\n": types.WebhookCallsDocument,
    "\n  mutation RetryWebhookCall($id: ID!) {\n    retryWebhookCall(id: $id) {\n      ...WebhookCallFields\n    }\n  }\n": types.RetryWebhookCallDocument,
    "\n  query WebhookOptions {\n    webhooks(first: 100, orderBy: { field: NAME, direction: ASC }) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.WebhookOptionsDocument,
    "\n  mutation DeleteWebhook($id: ID!) {\n    deleteWebhook(id: $id)\n  }\n": types.DeleteWebhookDocument,
    "\n  query Folders {\n    folders(first: 100, orderBy: { field: NAME, direction: ASC }) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          createdAt\n          webhooks {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n": types.FoldersDocument,
    "\n  mutation CreateFolder($input: CreateFolderInput!) {\n    createFolder(input: $input) {\n      id\n      name\n      createdAt\n    }\n  }\n": types.CreateFolderDocument,
    "\n  query RecentFiles($first: Int!) {\n    files(first: $first, orderBy: { field: CREATED_AT, direction: DESC }) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          contentType\n          sizeBytes\n          createdAt\n          downloadURL\n          folder {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n": types.RecentFilesDocument,
    "\n  query RecoverableCallCount($webhookID: ID!, $since: Time!, $until: Time!, $statuses: [WebhookCallStatus!]) {\n    recoverableCallCount(webhookID: $webhookID, since: $since, until: $until, statuses: $statuses)\n  }\n": types.RecoverableCallCountDocument,
    "\n  mutation RecoverWebhookCalls($webhookID: ID!, $since: Time!, $until: Time!, $statuses: [WebhookCallStatus!]) {\n    recoverWebhookCalls(webhookID: $webhookID, since: $since, until: $until, statuses: $statuses)\n  }\n": types.RecoverWebhookCallsDocument,
    "\n  query TestFileOptions($where: FileWhereInput) {\n    files(first: 20, orderBy: { field: CREATED_AT, direction: DESC }, where: $where) {\n      edges {\n        node {\n          id\n          name\n          createdAt\n          folder {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n": types.TestFileOptionsDocument,
    "\n  mutation SendTestFile($webhookID: ID!, $fileID: ID!) {\n    sendTestFile(webhookID: $webhookID, fileID: $fileID) {\n      id\n      status\n      test\n    }\n  }\n": types.SendTestFileDocument,
    "\n  query TestCall($id: ID!) {\n    node(id: $id) {\n      id\n      ... on WebhookCall {\n        status\n        error\n        responseStatus\n      }\n    }\n  }\n": types.TestCallDocument,
    "\n  query SendAgainOptions($fileID: ID!) {\n    webhooks(first: 100, orderBy: { field: NAME, direction: ASC }) {\n      edges {\n        node {\n          id\n          name\n          active\n        }\n      }\n    }\n    webhookCalls(first: 100, where: { hasFileWith: [{ id: $fileID }], kind: DELIVERY, test: false }) {\n      edges {\n        node {\n          id\n          status\n          webhook {\n            id\n          }\n        }\n      }\n    }\n  }\n": types.SendAgainOptionsDocument,
    "\n  mutation RedeliverFile($fileID: ID!, $webhookIDs: [ID!]) {\n    redeliverFile(fileID: $fileID, webhookIDs: $webhookIDs) {\n      id\n      status\n    }\n  }\n": types.RedeliverFileDocument,
    "\n  query ApiTokens {\n    apiTokens {\n      id\n      name\n      role\n      prefix\n      createdAt\n      lastUsedAt\n      expiresAt\n      revokedAt\n    }\n  }\n": types.ApiTokensDocument,
    "\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      secret\n      token {\n        id\n        name\n        role\n        prefix\n        createdAt\n        lastUsedAt\n        expiresAt\n        revokedAt\n      }\n    }\n  }\n": types.CreateApiTokenDocument,
    "\n  mutation RevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id) {\n      id\n      revokedAt\n    }\n  }\n": types.RevokeApiTokenDocument,
    "\n  query WebhookDetail($id: ID!) {\n    node(id: $id) {\n      id\n      ... on Webhook {\n        name\n        url\n        active\n        allFolders\n        filter\n        validationStatus\n        lastValidatedAt\n        lastValidationError\n        disabledReason\n        disabledAt\n        createdAt\n        updatedAt\n        signingSecret\n        headers {\n          id\n          name\n          value\n        }\n        folders {\n          id\n          name\n        }\n        maxRequestsPerSecond\n        maxConcurrent\n        timeoutSeconds\n        retryDelays\n        ordered\n        ...WebhookActivityFields\n      }\n    }\n  }\n": types.WebhookDetailDocument,
    "\n  query FolderOptions {\n    folders(first: 100, orderBy: { field: NAME, direction: ASC }) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.FolderOptionsDocument,
    "\n  mutation RevalidateWebhook($id: ID!) {\n    revalidateWebhook(id: $id) {\n      id\n      validationStatus\n      lastValidatedAt\n      lastValidationError\n    }\n  }\n": types.RevalidateWebhookDocument,
    "\n  mutation RotateWebhookSecret($id: ID!) {\n    rotateWebhookSecret(id: $id) {\n      id\n      signingSecret\n    }\n  }\n": types.RotateWebhookSecretDocument,
    "\n  mutation UpdateWebhook($id: ID!, $input: UpdateWebhookInput!) {\n    updateWebhook(id: $id, input: $input) {\n      id\n      name\n      url\n      active\n      allFolders\n      filter\n      validationStatus\n      lastValidatedAt\n      lastValidationError\n      disabledReason\n      disabledAt\n      updatedAt\n      headers {\n        id\n        name\n        value\n      }\n      folders {\n        id\n        name\n      }\n      maxRequestsPerSecond\n      maxConcurrent\n      timeoutSeconds\n      retryDelays\n      ordered\n    }\n  }\n": types.UpdateWebhookDocument,
    "\n  query WebhookList {\n    webhooks(first: 100, orderBy: { field: CREATED_AT, direction: ASC }) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          url\n          active\n          allFolders\n          filter\n          validationStatus\n          lastValidatedAt\n          lastValidationError\n          disabledReason\n          createdAt\n          folders {\n            id\n            name\n          }\n          ...WebhookActivityFields\n        }\n      }\n    }\n  }\n": types.WebhookListDocument,
    "\n  fragment WebhookActivityFields on Webhook {\n    lastDelivery: lastCall(kind: DELIVERY) {\n      id\n      kind\n      status\n      createdAt\n      error\n    }\n    lastValidation: lastCall(kind: VALIDATION) {\n      id\n      kind\n      status\n      createdAt\n      error\n    }\n    deliveries24h: callStats24h(kind: DELIVERY) {\n      pending\n      running\n      retrying\n      succeeded\n      failed\n      canceled\n    }\n    validations24h: callStats24h(kind: VALIDATION) {\n      pending\n      running\n      retrying\n      succeeded\n      failed\n      canceled\n    }\n  }\n": types.WebhookActivityFieldsFragmentDoc,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UploadOptions {\n    uploadOptions {\n      direct\n      maxDirectUploadBytes\n      maxUploadBytes\n    }\n  }\n"): (typeof documents)["\n  query UploadOptions {\n    uploadOptions {\n      direct\n      maxDirectUploadBytes\n      maxUploadBytes\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateUpload($folderID: ID!, $name: String!, $contentType: String, $size: Int!) {\n    createUpload(folderID: $folderID, name: $name, contentType: $contentType, size: $size) {\n      id\n      partCount\n      receivedParts {\n        number\n        sizeBytes\n      }\n      parts {\n        number\n        offset\n        sizeBytes\n        url\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateUpload($folderID: ID!, $name: String!, $contentType: String, $size: Int!) {\n    createUpload(folderID: $folderID, name: $name, contentType: $contentType, size: $size) {\n      id\n      partCount\n      receivedParts {\n        number\n        sizeBytes\n      }\n      parts {\n        number\n        offset\n        sizeBytes\n        url\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UploadParts($id: ID!) {\n    uploadParts(id: $id) {\n      id\n      partCount\n      receivedParts {\n        number\n        sizeBytes\n      }\n      parts {\n        number\n        offset\n        sizeBytes\n        url\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UploadParts($id: ID!) {\n    uploadParts(id: $id) {\n      id\n      partCount\n      receivedParts {\n        number\n        sizeBytes\n      }\n      parts {\n        number\n        offset\n        sizeBytes\n        url\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CompleteUpload($id: ID!) {\n    completeUpload(id: $id) {\n      id\n      name\n      sizeBytes\n      createdAt\n      callCount\n    }\n  }\n"): (typeof documents)["\n  mutation CompleteUpload($id: ID!) {\n    completeUpload(id: $id) {\n      id\n      name\n      sizeBytes\n      createdAt\n      callCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AbortUpload($id: ID!) {\n    abortUpload(id: $id) {\n      id\n      state\n    }\n  }\n"): (typeof documents)["\n  mutation AbortUpload($id: ID!) {\n    abortUpload(id: $id) {\n      id\n      state\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UploadFile($folderID: ID!, $file: Upload!) {\n    uploadFile(folderID: $folderID, file: $file) {\n      id\n      name\n      sizeBytes\n      createdAt\n      callCount\n    }\n  }\n"): (typeof documents)["\n  mutation UploadFile($folderID: ID!, $file: Upload!) {\n    uploadFile(folderID: $folderID, file: $file) {\n      id\n      name\n      sizeBytes\n      createdAt\n      callCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription WebhookCallUpdated($webhookID: ID, $kinds: [WebhookCallKind!], $statuses: [WebhookCallStatus!]) {\n    webhookCallUpdated(webhookID: $webhookID, kinds: $kinds, statuses: $statuses) {\n      ...WebhookCallFields\n    }\n  }\n"): (typeof documents)["\n  subscription WebhookCallUpdated($webhookID: ID, $kinds: [WebhookCallKind!], $statuses: [WebhookCallStatus!]) {\n    webhookCallUpdated(webhookID: $webhookID, kinds: $kinds, statuses: $statuses) {\n      ...WebhookCallFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateWebhook($input: CreateWebhookInput!) {\n    createWebhook(input: $input) {\n      id\n      name\n      url\n      active\n      validationStatus\n      lastValidatedAt\n      lastValidationError\n    }\n  }\n"): (typeof documents)["\n  mutation CreateWebhook($input: CreateWebhookInput!) {\n    createWebhook(input: $input) {\n      id\n      name\n      url\n      active\n      validationStatus\n      lastValidatedAt\n      lastValidationError\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebhookCallDetail($id: ID!) {\n    node(id: $id) {\n      id\n      ... on WebhookCall {\n        ...WebhookCallFields\n        payload\n        file {\n          id\n          name\n          downloadURL\n        }\n        folder {\n          id\n          name\n        }\n        attempts {\n          id\n          number\n          startedAt\n          durationMs\n          responseStatus\n          retryAfterSeconds\n          error\n          responseBody\n          requestHeaders {\n            name\n            value\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query WebhookCallDetail($id: ID!) {\n    node(id: $id) {\n      id\n      ... on WebhookCall {\n        ...WebhookCallFields\n        payload\n        file {\n          id\n          name\n          downloadURL\n        }\n        folder {\n          id\n          name\n        }\n        attempts {\n          id\n          number\n          startedAt\n          durationMs\n          responseStatus\n          retryAfterSeconds\n          error\n          responseBody\n          requestHeaders {\n            name\n            value\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment WebhookCallFields on WebhookCall {\n    id\n    kind\n    status\n    origin\n    filter\n    targetURL\n    webhookName\n    fileName\n    folderName\n    attemptCount\n    test\n    nextAttemptAt\n    waitReason\n    retryDelays\n    responseStatus\n    error\n    createdAt\n    completedAt\n    webhook {\n      id\n    }\n  }\n"): (typeof documents)["\n  fragment WebhookCallFields on WebhookCall {\n    id\n    kind\n    status\n    origin\n    filter\n    targetURL\n    webhookName\n    fileName\n    folderName\n    attemptCount\n    test\n    nextAttemptAt\n    waitReason\n    retryDelays\n    responseStatus\n    error\n    createdAt\n    completedAt\n    webhook {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebhookCalls($first: Int, $after: Cursor, $last: Int, $before: Cursor, $where: WebhookCallWhereInput) {\n    webhookCalls(\n      first: $first\n      after: $after\n      last: $last\n      before: $before\n      where: $where\n      orderBy: { field: CREATED_AT, direction: DESC }\n    ) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          ...WebhookCallFields\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query WebhookCalls($first: Int, $after: Cursor, $last: Int, $before: Cursor, $where: WebhookCallWhereInput) {\n    webhookCalls(\n      first: $first\n      after: $after\n      last: $last\n      before: $before\n      where: $where\n      orderBy: { field: CREATED_AT, direction: DESC }\n    ) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          ...WebhookCallFields\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RetryWebhookCall($id: ID!) {\n    retryWebhookCall(id: $id) {\n      ...WebhookCallFields\n    }\n  }\n"): (typeof documents)["\n  mutation RetryWebhookCall($id: ID!) {\n    retryWebhookCall(id: $id) {\n      ...WebhookCallFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebhookOptions {\n    webhooks(first: 100, orderBy: { field: NAME, direction: ASC }) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query WebhookOptions {\n    webhooks(first: 100, orderBy: { field: NAME, direction: ASC }) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteWebhook($id: ID!) {\n    deleteWebhook(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteWebhook($id: ID!) {\n    deleteWebhook(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Folders {\n    folders(first: 100, orderBy: { field: NAME, direction: ASC }) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          createdAt\n          webhooks {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Folders {\n    folders(first: 100, orderBy: { field: NAME, direction: ASC }) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          createdAt\n          webhooks {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateFolder($input: CreateFolderInput!) {\n    createFolder(input: $input) {\n      id\n      name\n      createdAt\n    }\n  }\n"): (typeof documents)["\n  mutation CreateFolder($input: CreateFolderInput!) {\n    createFolder(input: $input) {\n      id\n      name\n      createdAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RecentFiles($first: Int!) {\n    files(first: $first, orderBy: { field: CREATED_AT, direction: DESC }) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          contentType\n          sizeBytes\n          createdAt\n          downloadURL\n          folder {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query RecentFiles($first: Int!) {\n    files(first: $first, orderBy: { field: CREATED_AT, direction: DESC }) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          contentType\n          sizeBytes\n          createdAt\n          downloadURL\n          folder {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RecoverableCallCount($webhookID: ID!, $since: Time!, $until: Time!, $statuses: [WebhookCallStatus!]) {\n    recoverableCallCount(webhookID: $webhookID, since: $since, until: $until, statuses: $statuses)\n  }\n"): (typeof documents)["\n  query RecoverableCallCount($webhookID: ID!, $since: Time!, $until: Time!, $statuses: [WebhookCallStatus!]) {\n    recoverableCallCount(webhookID: $webhookID, since: $since, until: $until, statuses: $statuses)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RecoverWebhookCalls($webhookID: ID!, $since: Time!, $until: Time!, $statuses: [WebhookCallStatus!]) {\n    recoverWebhookCalls(webhookID: $webhookID, since: $since, until: $until, statuses: $statuses)\n  }\n"): (typeof documents)["\n  mutation RecoverWebhookCalls($webhookID: ID!, $since: Time!, $until: Time!, $statuses: [WebhookCallStatus!]) {\n    recoverWebhookCalls(webhookID: $webhookID, since: $since, until: $until, statuses: $statuses)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TestFileOptions($where: FileWhereInput) {\n    files(first: 20, orderBy: { field: CREATED_AT, direction: DESC }, where: $where) {\n      edges {\n        node {\n          id\n          name\n          createdAt\n          folder {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query TestFileOptions($where: FileWhereInput) {\n    files(first: 20, orderBy: { field: CREATED_AT, direction: DESC }, where: $where) {\n      edges {\n        node {\n          id\n          name\n          createdAt\n          folder {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendTestFile($webhookID: ID!, $fileID: ID!) {\n    sendTestFile(webhookID: $webhookID, fileID: $fileID) {\n      id\n      status\n      test\n    }\n  }\n"): (typeof documents)["\n  mutation SendTestFile($webhookID: ID!, $fileID: ID!) {\n    sendTestFile(webhookID: $webhookID, fileID: $fileID) {\n      id\n      status\n      test\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TestCall($id: ID!) {\n    node(id: $id) {\n      id\n      ... on WebhookCall {\n        status\n        error\n        responseStatus\n      }\n    }\n  }\n"): (typeof documents)["\n  query TestCall($id: ID!) {\n    node(id: $id) {\n      id\n      ... on WebhookCall {\n        status\n        error\n        responseStatus\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SendAgainOptions($fileID: ID!) {\n    webhooks(first: 100, orderBy: { field: NAME, direction: ASC }) {\n      edges {\n        node {\n          id\n          name\n          active\n        }\n      }\n    }\n    webhookCalls(first: 100, where: { hasFileWith: [{ id: $fileID }], kind: DELIVERY, test: false }) {\n      edges {\n        node {\n          id\n          status\n          webhook {\n            id\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query SendAgainOptions($fileID: ID!) {\n    webhooks(first: 100, orderBy: { field: NAME, direction: ASC }) {\n      edges {\n        node {\n          id\n          name\n          active\n        }\n      }\n    }\n    webhookCalls(first: 100, where: { hasFileWith: [{ id: $fileID }], kind: DELIVERY, test: false }) {\n      edges {\n        node {\n          id\n          status\n          webhook {\n            id\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RedeliverFile($fileID: ID!, $webhookIDs: [ID!]) {\n    redeliverFile(fileID: $fileID, webhookIDs: $webhookIDs) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation RedeliverFile($fileID: ID!, $webhookIDs: [ID!]) {\n    redeliverFile(fileID: $fileID, webhookIDs: $webhookIDs) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiTokens {\n    apiTokens {\n      id\n      name\n      role\n      prefix\n      createdAt\n      lastUsedAt\n      expiresAt\n      revokedAt\n    }\n  }\n"): (typeof documents)["\n  query ApiTokens {\n    apiTokens {\n      id\n      name\n      role\n      prefix\n      createdAt\n      lastUsedAt\n      expiresAt\n      revokedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      secret\n      token {\n        id\n        name\n        role\n        prefix\n        createdAt\n        lastUsedAt\n        expiresAt\n        revokedAt\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      secret\n      token {\n        id\n        name\n        role\n        prefix\n        createdAt\n        lastUsedAt\n        expiresAt\n        revokedAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id) {\n      id\n      revokedAt\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id) {\n      id\n      revokedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebhookDetail($id: ID!) {\n    node(id: $id) {\n      id\n      ... on Webhook {\n        name\n        url\n        active\n        allFolders\n        filter\n        validationStatus\n        lastValidatedAt\n        lastValidationError\n        disabledReason\n        disabledAt\n        createdAt\n        updatedAt\n        signingSecret\n        headers {\n          id\n          name\n          value\n        }\n        folders {\n          id\n          name\n        }\n        maxRequestsPerSecond\n        maxConcurrent\n        timeoutSeconds\n        retryDelays\n        ordered\n        ...WebhookActivityFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query WebhookDetail($id: ID!) {\n    node(id: $id) {\n      id\n      ... on Webhook {\n        name\n        url\n        active\n        allFolders\n        filter\n        validationStatus\n        lastValidatedAt\n        lastValidationError\n        disabledReason\n        disabledAt\n        createdAt\n        updatedAt\n        signingSecret\n        headers {\n          id\n          name\n          value\n        }\n        folders {\n          id\n          name\n        }\n        maxRequestsPerSecond\n        maxConcurrent\n        timeoutSeconds\n        retryDelays\n        ordered\n        ...WebhookActivityFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FolderOptions {\n    folders(first: 100, orderBy: { field: NAME, direction: ASC }) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query FolderOptions {\n    folders(first: 100, orderBy: { field: NAME, direction: ASC }) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevalidateWebhook($id: ID!) {\n    revalidateWebhook(id: $id) {\n      id\n      validationStatus\n      lastValidatedAt\n      lastValidationError\n    }\n  }\n"): (typeof documents)["\n  mutation RevalidateWebhook($id: ID!) {\n    revalidateWebhook(id: $id) {\n      id\n      validationStatus\n      lastValidatedAt\n      lastValidationError\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RotateWebhookSecret($id: ID!) {\n    rotateWebhookSecret(id: $id) {\n      id\n      signingSecret\n    }\n  }\n"): (typeof documents)["\n  mutation RotateWebhookSecret($id: ID!) {\n    rotateWebhookSecret(id: $id) {\n      id\n      signingSecret\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateWebhook($id: ID!, $input: UpdateWebhookInput!) {\n    updateWebhook(id: $id, input: $input) {\n      id\n      name\n      url\n      active\n      allFolders\n      filter\n      validationStatus\n      lastValidatedAt\n      lastValidationError\n      disabledReason\n      disabledAt\n      updatedAt\n      headers {\n        id\n        name\n        value\n      }\n      folders {\n        id\n        name\n      }\n      maxRequestsPerSecond\n      maxConcurrent\n      timeoutSeconds\n      retryDelays\n      ordered\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateWebhook($id: ID!, $input: UpdateWebhookInput!) {\n    updateWebhook(id: $id, input: $input) {\n      id\n      name\n      url\n      active\n      allFolders\n      filter\n      validationStatus\n      lastValidatedAt\n      lastValidationError\n      disabledReason\n      disabledAt\n      updatedAt\n      headers {\n        id\n        name\n        value\n      }\n      folders {\n        id\n        name\n      }\n      maxRequestsPerSecond\n      maxConcurrent\n      timeoutSeconds\n      retryDelays\n      ordered\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebhookList {\n    webhooks(first: 100, orderBy: { field: CREATED_AT, direction: ASC }) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          url\n          active\n          allFolders\n          filter\n          validationStatus\n          lastValidatedAt\n          lastValidationError\n          disabledReason\n          createdAt\n          folders {\n            id\n            name\n          }\n          ...WebhookActivityFields\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query WebhookList {\n    webhooks(first: 100, orderBy: { field: CREATED_AT, direction: ASC }) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          url\n          active\n          allFolders\n          filter\n          validationStatus\n          lastValidatedAt\n          lastValidationError\n          disabledReason\n          createdAt\n          folders {\n            id\n            name\n          }\n          ...WebhookActivityFields\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment WebhookActivityFields on Webhook {\n    lastDelivery: lastCall(kind: DELIVERY) {\n      id\n      kind\n      status\n      createdAt\n      error\n    }\n    lastValidation: lastCall(kind: VALIDATION) {\n      id\n      kind\n      status\n      createdAt\n      error\n    }\n    deliveries24h: callStats24h(kind: DELIVERY) {\n      pending\n      running\n      retrying\n      succeeded\n      failed\n      canceled\n    }\n    validations24h: callStats24h(kind: VALIDATION) {\n      pending\n      running\n      retrying\n      succeeded\n      failed\n      canceled\n    }\n  }\n"): (typeof documents)["\n  fragment WebhookActivityFields on Webhook {\n    lastDelivery: lastCall(kind: DELIVERY) {\n      id\n      kind\n      status\n      createdAt\n      error\n    }\n    lastValidation: lastCall(kind: VALIDATION) {\n      id\n      kind\n      status\n      createdAt\n      error\n    }\n    deliveries24h: callStats24h(kind: DELIVERY) {\n      pending\n      running\n      retrying\n      succeeded\n      failed\n      canceled\n    }\n    validations24h: callStats24h(kind: VALIDATION) {\n      pending\n      running\n      retrying\n      succeeded\n      failed\n      canceled\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;