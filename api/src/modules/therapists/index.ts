/** Therapists: licensed clinicians' public professional profiles and their sign-in. */
export { TherapistEntity } from './therapist.entity.js';
export { therapistLoaders } from './therapist.loaders.js';
export { TherapistResolver, ViewerTherapistResolver } from './therapist.resolver.js';
export { Therapist } from './therapist.types.js';
