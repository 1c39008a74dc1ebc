/** Erasure of a member by crypto-shredding: who may ask, who approves, and what goes. */
export { ErasureResolver } from './erasure.resolver.js';
