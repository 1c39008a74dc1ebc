/** Static demo content: realistic, clearly fictional. Identifiers use example.org and 555 numbers. */

export const PROGRAMS = [
  {
    title: 'Steady Ground: Managing Anxiety Together',
    summary: 'Eight weeks of CBT-based skills for worry, panic and avoidance, practised in a supportive group.',
    focusAreas: ['anxiety', 'panic', 'worry'],
    sessionLengthMinutes: 90,
    modules: [
      'Understanding the anxiety cycle',
      'Noticing thoughts without obeying them',
      'Breathing and grounding skills',
      'Facing avoidance one step at a time',
      'Worry time and uncertainty',
      'Self-compassion under pressure',
      'Building a relapse-prevention plan',
      'Looking back, looking forward',
    ],
  },
  {
    title: 'After Loss: A Grief Support Circle',
    summary: 'A gentle, six-session space to share grief, honour the people we lost and find ways to carry on.',
    focusAreas: ['grief', 'bereavement'],
    sessionLengthMinutes: 75,
    modules: [
      'Telling our stories',
      'The waves of grief',
      'Anniversaries and hard days',
      'Changed relationships',
      'Meaning and memory',
      'Carrying them with us',
    ],
  },
  {
    title: 'Low Mood, New Habits',
    summary: 'Behavioural activation for depression: small, valued actions that rebuild energy and connection.',
    focusAreas: ['depression', 'low mood'],
    sessionLengthMinutes: 90,
    modules: [
      'How mood and activity feed each other',
      'Tracking the week',
      'Values as a compass',
      'Scheduling what matters',
      'Getting unstuck from rumination',
      'Reaching out to others',
      'Keeping momentum',
      'Your own plan',
    ],
  },
  {
    title: 'Rest & Reset: Better Sleep',
    summary: 'Four sessions of CBT for insomnia: sleep scheduling, stimulus control and a calmer mind at night.',
    focusAreas: ['sleep', 'insomnia'],
    sessionLengthMinutes: 60,
    modules: ['How sleep works', 'Sleep scheduling', 'Quieting the busy mind', 'Keeping good nights going'],
  },
];

export const THERAPISTS = [
  {
    displayName: 'Dr. Amara Okafor',
    credentials: 'Clinical Psychologist (PsyD)',
    timeZone: 'America/New_York',
    email: 'amara.okafor@kindred.test',
  },
  {
    displayName: 'Jonas Weber',
    credentials: 'Licensed Psychotherapist (HPG)',
    timeZone: 'Europe/Berlin',
    email: 'jonas.weber@kindred.test',
  },
  {
    displayName: 'Priya Raman',
    credentials: 'Licensed Clinical Social Worker (LCSW)',
    timeZone: 'Europe/London',
    email: 'priya.raman@kindred.test',
  },
];

export const FIRST_NAMES = [
  'Maya',
  'Liam',
  'Sofia',
  'Noah',
  'Aisha',
  'Ethan',
  'Chloe',
  'Mateo',
  'Hana',
  'Oliver',
  'Zara',
  'Lucas',
  'Ingrid',
  'Kwame',
  'Elena',
  'Ravi',
  'Nora',
  'Tomás',
  'Yuki',
  'Samir',
  'Freya',
  'Diego',
  'Amelia',
  'Kofi',
  'Leila',
  'Finn',
  'Mei',
  'Arjun',
  'Clara',
  'Jamal',
  'Ines',
  'Hugo',
  'Anya',
  'Malik',
  'Greta',
  'Theo',
  'Rosa',
  'Idris',
  'Lena',
  'Omar',
];

export const LAST_NAMES = [
  'Alvarez',
  'Bennett',
  'Chowdhury',
  'Dubois',
  'Eriksen',
  'Fischer',
  'Garcia',
  'Haddad',
  'Ito',
  'Jensen',
  'Kowalski',
  'Larsen',
  'Mensah',
  'Nakamura',
  'Okoye',
  'Petrov',
  'Quinn',
  'Rossi',
  'Schmidt',
  'Tanaka',
];

export const PRONOUNS = ['she/her', 'he/him', 'they/them', null];

export const CONFIDENTIALITY_TEXT = `# Group confidentiality agreement

1. What members share in the group stays in the group.
2. I will use only first names or chosen names, and will not record sessions.
3. I will not contact other members outside the group about what they shared without their consent.
4. I understand that the therapist may break confidentiality only to keep someone safe, as the law requires.
`;
