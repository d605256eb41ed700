// Every GraphQL operation of the console. `npm run codegen` types them
// against ../graph/*.graphqls into src/gql/.
import { graphql } from '../gql'

export const WebhookCallFieldsFragment = graphql(`
  fragment WebhookCallFields on WebhookCall {
    id
    kind
    status
    origin
    filter
    targetURL
    webhookName
    fileName
    folderName
    attemptCount
    nextAttemptAt
    responseStatus
    error
    createdAt
    completedAt
    webhook {
      id
    }
  }
`)

/** Both kinds of a webhook's calls, each on its own: deliveries of files and validations of the URL. */
export const WebhookActivityFieldsFragment = graphql(`
  fragment WebhookActivityFields on Webhook {
    lastDelivery: lastCall(kind: DELIVERY) {
      id
      kind
      status
      createdAt
      error
    }
    lastValidation: lastCall(kind: VALIDATION) {
      id
      kind
      status
      createdAt
      error
    }
    deliveries24h: callStats24h(kind: DELIVERY) {
      pending
      running
      retrying
      succeeded
      failed
      canceled
    }
    validations24h: callStats24h(kind: VALIDATION) {
      pending
      running
      retrying
      succeeded
      failed
      canceled
    }
  }
`)

export const WebhookListQuery = graphql(`
  query WebhookList {
    webhooks(first: 100, orderBy: { field: CREATED_AT, direction: ASC }) {
      totalCount
      edges {
        node {
          id
          name
          url
          active
          allFolders
          filter
          validationStatus
          lastValidatedAt
          lastValidationError
          createdAt
          folders {
            id
            name
          }
          ...WebhookActivityFields
        }
      }
    }
  }
`)

export const WebhookOptionsQuery = graphql(`
  query WebhookOptions {
    webhooks(first: 100, orderBy: { field: NAME, direction: ASC }) {
      edges {
        node {
          id
          name
        }
      }
    }
  }
`)

export const WebhookDetailQuery = graphql(`
  query WebhookDetail($id: ID!) {
    node(id: $id) {
      id
      ... on Webhook {
        name
        url
        active
        allFolders
        filter
        validationStatus
        lastValidatedAt
        lastValidationError
        createdAt
        updatedAt
        signingSecret
        headers {
          id
          name
          value
        }
        folders {
          id
          name
        }
        ...WebhookActivityFields
      }
    }
  }
`)

export const FolderOptionsQuery = graphql(`
  query FolderOptions {
    folders(first: 100, orderBy: { field: NAME, direction: ASC }) {
      totalCount
      edges {
        node {
          id
          name
        }
      }
    }
  }
`)

export const CreateWebhookMutation = graphql(`
  mutation CreateWebhook($input: CreateWebhookInput!) {
    createWebhook(input: $input) {
      id
      name
      url
      active
      validationStatus
      lastValidatedAt
      lastValidationError
    }
  }
`)

export const UpdateWebhookMutation = graphql(`
  mutation UpdateWebhook($id: ID!, $input: UpdateWebhookInput!) {
    updateWebhook(id: $id, input: $input) {
      id
      name
      url
      active
      allFolders
      filter
      validationStatus
      lastValidatedAt
      lastValidationError
      updatedAt
      headers {
        id
        name
        value
      }
      folders {
        id
        name
      }
    }
  }
`)

export const DeleteWebhookMutation = graphql(`
  mutation DeleteWebhook($id: ID!) {
    deleteWebhook(id: $id)
  }
`)

export const RevalidateWebhookMutation = graphql(`
  mutation RevalidateWebhook($id: ID!) {
    revalidateWebhook(id: $id) {
      id
      validationStatus
      lastValidatedAt
      lastValidationError
    }
  }
`)

export const RotateWebhookSecretMutation = graphql(`
  mutation RotateWebhookSecret($id: ID!) {
    rotateWebhookSecret(id: $id) {
      id
      signingSecret
    }
  }
`)

export const WebhookCallsQuery = graphql(`
  query WebhookCalls($first: Int, $after: Cursor, $last: Int, $before: Cursor, $where: WebhookCallWhereInput) {
    webhookCalls(
      first: $first
      after: $after
      last: $last
      before: $before
      where: $where
      orderBy: { field: CREATED_AT, direction: DESC }
    ) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      edges {
        cursor
        node {
          ...WebhookCallFields
        }
      }
    }
  }
`)

export const WebhookCallDetailQuery = graphql(`
  query WebhookCallDetail($id: ID!) {
    node(id: $id) {
      id
      ... on WebhookCall {
        ...WebhookCallFields
        payload
        file {
          id
          name
          downloadURL
        }
        folder {
          id
          name
        }
        attempts {
          id
          number
          startedAt
          durationMs
          responseStatus
          error
          responseBody
          requestHeaders {
            name
            value
          }
        }
      }
    }
  }
`)

export const WebhookCallUpdatedSubscription = graphql(`
  subscription WebhookCallUpdated($webhookID: ID, $kinds: [WebhookCallKind!], $statuses: [WebhookCallStatus!]) {
    webhookCallUpdated(webhookID: $webhookID, kinds: $kinds, statuses: $statuses) {
      ...WebhookCallFields
    }
  }
`)

export const RetryWebhookCallMutation = graphql(`
  mutation RetryWebhookCall($id: ID!) {
    retryWebhookCall(id: $id) {
      ...WebhookCallFields
    }
  }
`)

export const FoldersQuery = graphql(`
  query Folders {
    folders(first: 100, orderBy: { field: NAME, direction: ASC }) {
      totalCount
      edges {
        node {
          id
          name
          createdAt
          webhooks {
            id
            name
          }
        }
      }
    }
  }
`)

export const CreateFolderMutation = graphql(`
  mutation CreateFolder($input: CreateFolderInput!) {
    createFolder(input: $input) {
      id
      name
      createdAt
    }
  }
`)

export const RecentFilesQuery = graphql(`
  query RecentFiles($first: Int!) {
    files(first: $first, orderBy: { field: CREATED_AT, direction: DESC }) {
      totalCount
      edges {
        node {
          id
          name
          contentType
          sizeBytes
          createdAt
          downloadURL
          folder {
            id
            name
          }
        }
      }
    }
  }
`)

export const ApiTokensQuery = graphql(`
  query ApiTokens {
    apiTokens {
      id
      name
      role
      prefix
      createdAt
      lastUsedAt
      expiresAt
      revokedAt
    }
  }
`)

export const CreateApiTokenMutation = graphql(`
  mutation CreateApiToken($input: CreateApiTokenInput!) {
    createApiToken(input: $input) {
      secret
      token {
        id
        name
        role
        prefix
        createdAt
        lastUsedAt
        expiresAt
        revokedAt
      }
    }
  }
`)

export const RevokeApiTokenMutation = graphql(`
  mutation RevokeApiToken($id: ID!) {
    revokeApiToken(id: $id) {
      id
      revokedAt
    }
  }
`)

/** The upload mutation's text, sent by XMLHttpRequest (multipart) for progress events. */
export const UploadFileMutation = graphql(`
  mutation UploadFile($folderID: ID!, $file: Upload!) {
    uploadFile(folderID: $folderID, file: $file) {
      id
      name
      sizeBytes
      createdAt
      callCount
    }
  }
`)
