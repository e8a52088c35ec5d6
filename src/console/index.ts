/**
 * kyoto console (see docs/console.md).
 * @module
 */
export {};
