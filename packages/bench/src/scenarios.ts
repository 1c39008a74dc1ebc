/** Kindred-only scenarios: what the admin app, a therapist and partner apps really send. */
export const GROUP_DETAIL_DOCUMENT = /* GraphQL */ `
  query GroupDetail($id: ID!) {
    group(id: $id) {
      id title status capacity seatsTaken seatsHeld seatsAvailable waitlistLength
      program { id title }
      leadTherapist { id displayName }
      coTherapists { id displayName }
      nextSession { id startsAt }
      reservations(first: 50, statuses: [HELD, CONFIRMED]) {
        nodes { id status createdAt expiresAt needsSignature member { id displayName } }
        pageInfo { hasNextPage endCursor }
      }
      waitlist(first: 50) {
        nodes { id waitlistPosition createdAt member { id displayName } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`;

/** The assigned therapist's roster with personal identifiers: every read writes an audit row. */
export const THERAPIST_ROSTER_DOCUMENT = /* GraphQL */ `
  query TherapistRoster($id: ID!) {
    group(id: $id) {
      id title
      reservations(first: 50, statuses: [HELD, CONFIRMED]) {
        nodes {
          id status
          member { id displayName pronouns legalName email phone dateOfBirth emergencyContact { name phone relationship } }
        }
      }
    }
  }
`;

export const NODES_DOCUMENT = /* GraphQL */ `
  query Nodes($ids: [ID!]!) {
    nodes(ids: $ids) {
      id
      ... on Group { title groupStatus: status seatsAvailable }
      ... on Program { title programStatus: status }
      ... on Therapist { displayName }
      ... on Session { startsAt sessionStatus: status }
    }
  }
`;
