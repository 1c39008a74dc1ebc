/** Members: people in groups, by display name, with their personal identifiers kept apart. */
export { actingMember } from './acting-member.js';
export { MemberEntity, MemberIdentityEntity } from './member.entity.js';
export { MemberExportResolver } from './member-export.resolver.js';
export { memberLoaders } from './member.loaders.js';
export { createMember } from './member-records.js';
export { MemberResolver, ViewerMemberResolver } from './member.resolver.js';
export { Member } from './member.types.js';
