/**
 * kyoto parallel (see docs/parallel.md).
 * @module
 */
export {};
