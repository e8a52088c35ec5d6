/**
 * kyoto time (see docs/time.md).
 * @module
 */
export {};
