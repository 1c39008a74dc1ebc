/** Agreements: versioned documents members sign, and the signatures (which confirm held seats). */
export { AgreementEntity, AgreementKind, AgreementVersionEntity, SignatureChannel, SignatureEntity } from './agreement.entity.js';
export { agreementLoaders } from './agreement.loaders.js';
export { AgreementResolver, AgreementVersionResolver, MemberSignaturesResolver, SignatureResolver } from './agreement.resolver.js';
export { Agreement } from './agreement.types.js';
