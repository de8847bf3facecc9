// Every GraphQL document the conversation sends, each beside the TypeScript type
// of its answer. Types are written by hand; test/web/documents.spec.ts validates
// every document here against schema.gql with graphql-js, so a renamed or removed
// field fails the tests rather than a reader's browser.

export type Visibility = 'PUBLIC' | 'PRIVATE';

export interface ResponseNode {
  id: string;
  bodyHtml: string | null;
  body: string | null;
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
  visibility: Visibility;
  replyCount: number;
  parent: { id: string } | null;
  prompt: { id: string };
  author: { id: string; displayName: string; role: 'AUTHOR' | 'READER' };
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export interface ThreadNode extends ResponseNode {
  replies: Connection<ResponseNode>;
}

export interface PromptNode {
  id: string;
  text: string;
  isOpen: boolean;
  responseCount: number;
  responses: Connection<ThreadNode>;
}

export interface Viewer {
  id: string;
  email: string;
  displayName: string;
  role: 'AUTHOR' | 'READER';
}

export interface InterestNode {
  id: string;
  message: string;
  areas: string[];
  building: string;
  link: string | null;
  availability: string | null;
  contactEmail: string;
  createdAt: string;
  essay: { id: string };
}

export const REPLIES_SHOWN = 3;
export const RESPONSES_PAGE = 10;

// Selections are written out rather than spread as fragments: the API's depth
// limit counts each fragment spread as a level.
const responseFields = /* GraphQL */ `
    id
    bodyHtml
    body
    createdAt
    editedAt
    deletedAt
    visibility
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
`;

const threadFields = /* GraphQL */ `
    ${responseFields}
    replies(first: ${REPLIES_SHOWN}) {
      edges {
        cursor
        node {
          ${responseFields}
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
`;

const viewerFields = /* GraphQL */ `
    id
    email
    displayName
    role
`;

const interestFields = /* GraphQL */ `
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
`;

export interface ConversationData {
  essay: { id: string; slug: string; title: string; prompts: PromptNode[] };
  me: (Viewer & { interests: Connection<InterestNode> }) | null;
}
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
        responses(first: ${RESPONSES_PAGE}, order: NEWEST) {
          edges {
            cursor
            node {
              ${threadFields}
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
      ${viewerFields}
      interests(first: 100) {
        edges {
          cursor
          node {
            ${interestFields}
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

/** Asked apart from the rest, so an API without the field only skips the question. */
export interface DisplayNameChosenData {
  me: { displayNameChosen: boolean } | null;
}
export const displayNameChosenQuery = /* GraphQL */ `
  query DisplayNameChosen {
    me {
      displayNameChosen
    }
  }
`;

export interface MoreResponsesData {
  prompt: { responses: Connection<ThreadNode> };
}
export const moreResponsesQuery = /* GraphQL */ `
  query MoreResponses($promptId: ID!, $after: String) {
    prompt(id: $promptId) {
      responses(first: ${RESPONSES_PAGE}, after: $after, order: NEWEST) {
        edges {
          cursor
          node {
            ${threadFields}
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

export interface RepliesData {
  response: { replies: Connection<ResponseNode> };
}
export const repliesQuery = /* GraphQL */ `
  query Replies($id: ID!, $after: String) {
    response(id: $id) {
      replies(first: 100, after: $after) {
        edges {
          cursor
          node {
            ${responseFields}
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

export interface PreviewData {
  previewMarkdown: string;
}
export const previewQuery = /* GraphQL */ `
  query Preview($markdown: String!) {
    previewMarkdown(markdown: $markdown)
  }
`;

export interface RespondData {
  respond: ThreadNode;
}
export const respondMutation = /* GraphQL */ `
  mutation Respond($input: RespondInput!) {
    respond(input: $input) {
      ${threadFields}
    }
  }
`;

export interface ReplyData {
  replyToResponse: ResponseNode;
}
export const replyMutation = /* GraphQL */ `
  mutation Reply($responseId: ID!, $body: String!) {
    replyToResponse(responseId: $responseId, body: $body) {
      ${responseFields}
    }
  }
`;

export interface EditData {
  editResponse: ResponseNode;
}
export const editMutation = /* GraphQL */ `
  mutation Edit($id: ID!, $body: String!) {
    editResponse(id: $id, body: $body) {
      ${responseFields}
    }
  }
`;

export interface DeleteData {
  deleteResponse: ResponseNode;
}
export const deleteMutation = /* GraphQL */ `
  mutation Delete($id: ID!) {
    deleteResponse(id: $id) {
      ${responseFields}
    }
  }
`;

export interface ResponseAddedData {
  responseAdded: ResponseNode;
}
export const responseAddedSubscription = /* GraphQL */ `
  subscription ResponseAdded($promptId: ID!) {
    responseAdded(promptId: $promptId) {
      ${responseFields}
    }
  }
`;

export const requestSignInMutation = /* GraphQL */ `
  mutation RequestSignIn($email: String!, $returnTo: String) {
    requestSignIn(email: $email, returnTo: $returnTo)
  }
`;

export interface SignInWithCodeData {
  signInWithCode: { token: string; user: Viewer };
}
export const signInWithCodeMutation = /* GraphQL */ `
  mutation SignInWithCode($email: String!, $code: String!) {
    signInWithCode(email: $email, code: $code) {
      token
      user {
        ${viewerFields}
      }
    }
  }
`;

export const signOutMutation = /* GraphQL */ `
  mutation SignOut {
    signOut
  }
`;

export interface UpdateProfileData {
  updateProfile: Viewer;
}
export const updateProfileMutation = /* GraphQL */ `
  mutation UpdateProfile($displayName: String!) {
    updateProfile(displayName: $displayName) {
      ${viewerFields}
    }
  }
`;

export interface ExpressInterestData {
  expressInterest: InterestNode;
}
export const expressInterestMutation = /* GraphQL */ `
  mutation ExpressInterest($input: ExpressInterestInput!) {
    expressInterest(input: $input) {
      ${interestFields}
    }
  }
`;

export const subscribeMutation = /* GraphQL */ `
  mutation Subscribe($input: SubscribeInput!) {
    subscribe(input: $input)
  }
`;
