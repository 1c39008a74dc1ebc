/** Partners: organisations whose apps call the API with keys. */
export { PartnerApiKeyEntity, PartnerEntity } from './partner.entity.js';
export { partnerLoaders } from './partner.loaders.js';
export { PartnerResolver, ViewerPartnerResolver } from './partner.resolver.js';
export { Partner } from './partner.types.js';
