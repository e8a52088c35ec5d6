/**
 * kyoto stream (see docs/stream.md).
 * @module
 */
export {};
