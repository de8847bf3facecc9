// Every GraphQL document the desk sends: typed by codegen (`npm run codegen`) and
// validated against schema.gql by test/web/documents.spec.ts, as the conversation's.
// The desk is a client of the API like any other: what a reader may not see, the
// API refuses, whichever page asks.

import type {
  DeskDetailQuery,
  DeskQueueQuery,
  DeskRowFieldsFragment,
} from '../shared/graphql-types.js';

export type QueueRow = DeskRowFieldsFragment;
export type QueueEssay = DeskQueueQuery['essays']['edges'][number]['node'];
export type ResponseDetail = DeskDetailQuery['response'];

export const deskMeQuery = /* GraphQL */ `
  query DeskMe {
    me {
      id
      displayName
      role
    }
  }
`;

// Field lists the documents share, once each (a document names each fragment it spreads).
const essayRef = /* GraphQL */ `
  fragment DeskEssayRef on Essay {
    id
    title
  }
`;

const promptRef = /* GraphQL */ `
  fragment DeskPromptRef on Prompt {
    id
    text
  }
`;

const interestFields = /* GraphQL */ `
  fragment DeskInterestFields on CollaboratorInterest {
    id
    status
    message
    areas
    building
    link
    availability
    contactEmail
    consentToContact
  }
`;

const countFields = /* GraphQL */ `
  fragment DeskCounts on ReviewQueueCounts {
    inbox
    shortlist
    needsReply
    held
    reported
  }
`;

const deskRowFields = /* GraphQL */ `
  fragment DeskRowFields on Response {
    id
    body
    createdAt
    editedAt
    visibility
    replyCount
    labels
    reviewStatus
    reviewNote
    moderationState
    heldReason
    reportCount
    parent {
      id
    }
    author {
      id
      displayName
    }
    essay {
      ...DeskEssayRef
    }
    prompt {
      ...DeskPromptRef
    }
    interest {
      id
      status
    }
  }
`;

export const deskQueueQuery = /* GraphQL */ `
  query DeskQueue($filter: ReviewQueueFilter, $after: String) {
    reviewQueue(filter: $filter, first: 50, after: $after) {
      edges {
        node {
          ...DeskRowFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
    reviewQueueCounts {
      ...DeskCounts
    }
    essays(first: 100) {
      edges {
        node {
          ...DeskEssayRef
          status
          prompts {
            ...DeskPromptRef
          }
        }
      }
    }
  }
  ${deskRowFields}
  ${essayRef}
  ${promptRef}
  ${countFields}
`;

export const deskCountsChangedSubscription = /* GraphQL */ `
  subscription DeskCountsChanged {
    deskCountsChanged {
      ...DeskCounts
    }
  }
  ${countFields}
`;

const deskReplyFields = /* GraphQL */ `
  fragment DeskReplyFields on Response {
    id
    bodyHtml
    createdAt
    author {
      id
      displayName
      role
    }
  }
`;

export const deskDetailQuery = /* GraphQL */ `
  query DeskDetail($id: ID!) {
    response(id: $id) {
      ...DeskRowFields
      bodyHtml
      edits {
        body
        replacedAt
      }
      parent {
        ...DeskReplyFields
      }
      replies(first: 50) {
        edges {
          node {
            ...DeskReplyFields
          }
        }
      }
      interest {
        ...DeskInterestFields
      }
    }
  }
  ${deskRowFields}
  ${deskReplyFields}
  ${essayRef}
  ${promptRef}
  ${interestFields}
`;

export const deskReviewMutation = /* GraphQL */ `
  mutation DeskReview($input: ReviewResponseInput!) {
    reviewResponse(input: $input) {
      ...DeskRowFields
    }
  }
  ${deskRowFields}
  ${essayRef}
  ${promptRef}
`;

export const deskReviewManyMutation = /* GraphQL */ `
  mutation DeskReviewMany($ids: [ID!]!, $status: ReviewStatus!) {
    reviewResponses(ids: $ids, status: $status) {
      id
      reviewStatus
    }
  }
`;

export const deskReplyMutation = /* GraphQL */ `
  mutation DeskReply($responseId: ID!, $body: String!) {
    replyToResponse(responseId: $responseId, body: $body) {
      id
    }
  }
`;

/** A reader's responses, for their history (all essays) or their offer's card (one essay). */
export const deskWriterQuery = /* GraphQL */ `
  query DeskWriter($writerId: ID!, $essayId: ID) {
    reviewQueue(filter: { writerId: $writerId, essayId: $essayId }, first: 20) {
      edges {
        node {
          id
          body
          createdAt
          visibility
          reviewStatus
          essay {
            ...DeskEssayRef
          }
        }
      }
    }
  }
  ${essayRef}
`;

export const deskResponseAddedSubscription = /* GraphQL */ `
  subscription DeskResponseAdded {
    deskResponseAdded {
      id
      author {
        id
        role
      }
    }
  }
`;

export const deskInterestsQuery = /* GraphQL */ `
  query DeskInterests {
    collaboratorInterests(first: 100) {
      edges {
        node {
          ...DeskInterestFields
          note
          createdAt
          essay {
            ...DeskEssayRef
          }
          reader {
            id
            displayName
          }
        }
      }
    }
  }
  ${interestFields}
  ${essayRef}
`;

export const deskMoveInterestMutation = /* GraphQL */ `
  mutation DeskMoveInterest($id: ID!, $status: InterestStatus!, $note: String) {
    updateInterestStatus(id: $id, status: $status, note: $note) {
      id
      status
      note
    }
  }
`;

export const deskEssaysQuery = /* GraphQL */ `
  query DeskEssays {
    essays(first: 100) {
      edges {
        node {
          ...DeskEssayFields
        }
      }
    }
  }
  fragment DeskEssayFields on Essay {
    id
    slug
    title
    status
    publishedAt
    responseCount
    subscriberCount
    prompts {
      id
      text
      isOpen
      responseCount
    }
  }
`;

export const deskImportMutation = /* GraphQL */ `
  mutation DeskImport($markdown: String!) {
    importEssay(markdown: $markdown) {
      ...DeskEssayRef
      slug
      prompts {
        ...DeskPromptRef
      }
    }
  }
  ${essayRef}
  ${promptRef}
`;

export const deskPublishMutation = /* GraphQL */ `
  mutation DeskPublish($id: ID!) {
    publishEssay(id: $id) {
      id
      status
    }
  }
`;

export const deskArchiveMutation = /* GraphQL */ `
  mutation DeskArchive($id: ID!) {
    archiveEssay(id: $id) {
      id
      status
    }
  }
`;

export const deskAddPromptMutation = /* GraphQL */ `
  mutation DeskAddPrompt($essayId: ID!, $text: String!) {
    addPrompt(essayId: $essayId, text: $text) {
      id
    }
  }
`;

export const deskRewordPromptMutation = /* GraphQL */ `
  mutation DeskRewordPrompt($id: ID!, $text: String!) {
    updatePrompt(id: $id, text: $text) {
      id
      text
    }
  }
`;

export const deskClosePromptMutation = /* GraphQL */ `
  mutation DeskClosePrompt($id: ID!) {
    closePrompt(id: $id) {
      id
      isOpen
    }
  }
`;

const deskDigestFields = /* GraphQL */ `
  fragment DeskDigestFields on Me {
    id
    reviewDigest {
      enabled
      sendHour
      timezone
    }
  }
`;

export const deskSettingsQuery = /* GraphQL */ `
  query DeskSettings {
    me {
      displayName
      ...DeskDigestFields
    }
  }
  ${deskDigestFields}
`;

export const deskDigestMutation = /* GraphQL */ `
  mutation DeskDigest($input: ReviewDigestSettingsInput!) {
    updateReviewDigestSettings(input: $input) {
      ...DeskDigestFields
    }
  }
  ${deskDigestFields}
`;

export const deskRenameMutation = /* GraphQL */ `
  mutation DeskRename($displayName: String!) {
    updateProfile(displayName: $displayName) {
      id
      displayName
    }
  }
`;

export const deskReopenPromptMutation = /* GraphQL */ `
  mutation DeskReopenPrompt($id: ID!) {
    reopenPrompt(id: $id) {
      id
      isOpen
    }
  }
`;

export const deskOpenReportsQuery = /* GraphQL */ `
  query DeskOpenReports {
    reports(first: 100, status: OPEN) {
      edges {
        node {
          id
          reason
          note
          createdAt
          response {
            id
          }
        }
      }
    }
  }
`;

export const deskApproveMutation = /* GraphQL */ `
  mutation DeskApprove($id: ID!) {
    approveResponse(id: $id) {
      id
      moderationState
    }
  }
`;

export const deskRejectMutation = /* GraphQL */ `
  mutation DeskReject($id: ID!, $reason: String!) {
    rejectResponse(id: $id, reason: $reason) {
      id
      moderationState
    }
  }
`;

export const deskResolveReportMutation = /* GraphQL */ `
  mutation DeskResolveReport($id: ID!, $action: ReportAction!) {
    resolveReport(id: $id, action: $action) {
      id
      status
    }
  }
`;

export const deskBanMutation = /* GraphQL */ `
  mutation DeskBan($userId: ID!, $reason: String!, $hideExisting: Boolean!) {
    banReader(userId: $userId, reason: $reason, hideExisting: $hideExisting) {
      userId
      hideExisting
    }
  }
`;

export const deskUnbanMutation = /* GraphQL */ `
  mutation DeskUnban($userId: ID!) {
    unbanReader(userId: $userId)
  }
`;

const deskModerationFields = /* GraphQL */ `
  fragment DeskModerationFields on ModerationSettings {
    essayId
    mode
    blockedTerms
    maxLinks
  }
`;

export const deskModerationSettingsQuery = /* GraphQL */ `
  query DeskModerationSettings($essayId: ID) {
    moderationSettings(essayId: $essayId) {
      ...DeskModerationFields
    }
    essays(first: 100) {
      edges {
        node {
          ...DeskEssayRef
        }
      }
    }
  }
  ${deskModerationFields}
  ${essayRef}
`;

export const deskUpdateModerationSettingsMutation = /* GraphQL */ `
  mutation DeskUpdateModerationSettings($input: ModerationSettingsInput!) {
    updateModerationSettings(input: $input) {
      ...DeskModerationFields
    }
  }
  ${deskModerationFields}
`;

export const deskAuditLogQuery = /* GraphQL */ `
  query DeskAuditLog($filter: AuditLogFilter, $after: String) {
    auditLog(filter: $filter, first: 20, after: $after) {
      edges {
        node {
          id
          action
          occurredAt
          subjectType
          subjectId
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;
