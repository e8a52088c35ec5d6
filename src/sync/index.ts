/**
 * kyoto sync (see docs/sync.md).
 * @module
 */
export {};
