// Every GraphQL document the conversation sends. Their result and variable types
// are generated from schema.gql and these documents by graphql-codegen
// (`npm run codegen`, into web/shared/graphql-types.ts; a test fails when that file
// is stale), and test/web/documents.spec.ts validates every document here against
// schema.gql with graphql-js, so a renamed or removed field fails the tests rather
// than a reader's browser. Each template literal is marked `/* GraphQL */` so
// codegen finds it; a document interpolates the fragments it spreads, which codegen
// reads from their own literals.

import type {
  ConversationQuery,
  InterestFieldsFragment,
  ResponseFieldsFragment,
  ThreadFieldsFragment,
  ViewerFieldsFragment,
} from '../shared/graphql-types.js';

export type ResponseNode = ResponseFieldsFragment;
export type ThreadNode = ThreadFieldsFragment;
export type Viewer = ViewerFieldsFragment;
export type InterestNode = InterestFieldsFragment;
export type PromptNode = ConversationQuery['essay']['prompts'][number];

/** The part of a Relay connection the conversation reads. */
export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

// Fragments are spread, and each document carries the definitions it spreads; the
// API's limits measure an operation with its fragments expanded.
const responseFields = /* GraphQL */ `
  fragment ResponseFields on Response {
    id
    bodyHtml
    body
    createdAt
    editedAt
    deletedAt
    visibility
    moderationState
    replyCount
    parent {
      id
    }
    prompt {
      id
    }
    author {
      id
      displayName
      role
    }
  }
`;

// The first 3 replies of each thread come with it.
const threadFields = /* GraphQL */ `
  fragment ThreadFields on Response {
    ...ResponseFields
    replies(first: 3) {
      edges {
        cursor
        node {
          ...ResponseFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
  ${responseFields}
`;

const viewerFields = /* GraphQL */ `
  fragment ViewerFields on Me {
    id
    email
    displayName
    role
  }
`;

const interestFields = /* GraphQL */ `
  fragment InterestFields on CollaboratorInterest {
    id
    message
    areas
    building
    link
    availability
    contactEmail
    createdAt
    essay {
      id
    }
  }
`;

// Responses come 10 at a time, newest first.
export const conversationQuery = /* GraphQL */ `
  query Conversation($slug: String!) {
    essay(slug: $slug) {
      id
      slug
      title
      prompts {
        id
        text
        isOpen
        responseCount
        responses(first: 10, order: NEWEST) {
          edges {
            cursor
            node {
              ...ThreadFields
            }
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
      }
    }
    me {
      ...ViewerFields
      interests(first: 100) {
        edges {
          cursor
          node {
            ...InterestFields
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
  ${threadFields}
  ${viewerFields}
  ${interestFields}
`;

/** Asked apart from the rest, so an API without the field only skips the question. */
export const displayNameChosenQuery = /* GraphQL */ `
  query DisplayNameChosen {
    me {
      displayNameChosen
    }
  }
`;

export const moreResponsesQuery = /* GraphQL */ `
  query MoreResponses($promptId: ID!, $after: String) {
    prompt(id: $promptId) {
      responses(first: 10, after: $after, order: NEWEST) {
        edges {
          cursor
          node {
            ...ThreadFields
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
  ${threadFields}
`;

export const repliesQuery = /* GraphQL */ `
  query Replies($id: ID!, $after: String) {
    response(id: $id) {
      replies(first: 100, after: $after) {
        edges {
          cursor
          node {
            ...ResponseFields
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
  ${responseFields}
`;

export const previewQuery = /* GraphQL */ `
  query Preview($markdown: String!) {
    previewMarkdown(markdown: $markdown)
  }
`;

export const respondMutation = /* GraphQL */ `
  mutation Respond($input: RespondInput!) {
    respond(input: $input) {
      ...ThreadFields
    }
  }
  ${threadFields}
`;

export const replyMutation = /* GraphQL */ `
  mutation Reply($responseId: ID!, $body: String!, $form: FormSignalsInput) {
    replyToResponse(responseId: $responseId, body: $body, form: $form) {
      ...ResponseFields
    }
  }
  ${responseFields}
`;

export const editMutation = /* GraphQL */ `
  mutation Edit($id: ID!, $body: String!) {
    editResponse(id: $id, body: $body) {
      ...ResponseFields
    }
  }
  ${responseFields}
`;

export const deleteMutation = /* GraphQL */ `
  mutation Delete($id: ID!) {
    deleteResponse(id: $id) {
      ...ResponseFields
    }
  }
  ${responseFields}
`;

export const responseAddedSubscription = /* GraphQL */ `
  subscription ResponseAdded($promptId: ID!) {
    responseAdded(promptId: $promptId) {
      ...ResponseFields
    }
  }
  ${responseFields}
`;

export const responseRemovedSubscription = /* GraphQL */ `
  subscription ResponseRemoved($essayId: ID!) {
    responseRemoved(essayId: $essayId)
  }
`;

export const requestSignInMutation = /* GraphQL */ `
  mutation RequestSignIn($email: String!, $returnTo: String) {
    requestSignIn(email: $email, returnTo: $returnTo)
  }
`;

export const signInWithCodeMutation = /* GraphQL */ `
  mutation SignInWithCode($email: String!, $code: String!) {
    signInWithCode(email: $email, code: $code) {
      token
      user {
        ...ViewerFields
      }
    }
  }
  ${viewerFields}
`;

export const signOutMutation = /* GraphQL */ `
  mutation SignOut {
    signOut
  }
`;

export const updateProfileMutation = /* GraphQL */ `
  mutation UpdateProfile($displayName: String!) {
    updateProfile(displayName: $displayName) {
      ...ViewerFields
    }
  }
  ${viewerFields}
`;

export const expressInterestMutation = /* GraphQL */ `
  mutation ExpressInterest($input: ExpressInterestInput!) {
    expressInterest(input: $input) {
      ...InterestFields
    }
  }
  ${interestFields}
`;

export const subscribeMutation = /* GraphQL */ `
  mutation Subscribe($input: SubscribeInput!) {
    subscribe(input: $input)
  }
`;
