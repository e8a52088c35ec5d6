/**
 * kyoto net (see docs/net.md).
 * @module
 */
export {};
