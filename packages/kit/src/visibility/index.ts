/**
 * The one visibility rule of the platform: who sees which rows and who may change them. Every
 * subgraph's scope class (`subgraphs/<name>/src/scope.ts`) extends `Visibility` with its domain and
 * adds only domain words (campaign's assertCanEdit, playback's assertCanRecord…). Decided once:
 *
 * - **Tenant.** Every row belongs to a tenant; a viewer sees its own tenant's rows and nothing else.
 *   A row of another tenant, or of a store the viewer cannot see, is NOT_FOUND — for writes too,
 *   so its existence does not leak.
 * - **Parties.** A viewer is exactly one of: a device (role DEVICE), a partner (role PARTNER), or a
 *   person (HQ and store roles). Roles besides DEVICE / PARTNER on such a token grant nothing: a
 *   partner's rights are its scopes only, a device's its own display only.
 * - **Stores.** HQ roles see every store of the tenant; store roles the stores their token grants;
 *   partners every store, but only with the domain's `<domain>:read` or `<domain>:write` scope
 *   (FORBIDDEN otherwise); a device only the store of its own display.
 * - **A device's store** is looked up in the subgraph's own record of the display (a `deviceStore`
 *   function the subgraph provides), not taken from the token: a display moved to another store
 *   stops seeing the old one at once, not when its token expires. A display the subgraph has no
 *   record of sees no store. A subgraph that keeps no record of displays (queue) provides no
 *   lookup, and the token's store applies there.
 * - **Displays.** A device sees only rows of its own display (and, where a subgraph says so, its
 *   store's own row); rows without a display are invisible to it.
 * - **Writes.** Partners write only with `<domain>:write`, and only where the subgraph enforces it
 *   (see PARTNER_SCOPES). People write by role: HQ admins tenant-wide, store managers their stores,
 *   store staff act (serve, acknowledge) in their stores; HQ editors where a domain says so.
 */
export * from './scopes.js';
export * from './visibility.js';
