/**
 * The nodes of the observatory tree are the territory tree of the territories module, which
 * reads its own tables (`school`, `district`): this file only names what the indicators use.
 */
export { childrenOf, type ResolvedNode, resolveNodeKey } from "../territories/index.ts";
