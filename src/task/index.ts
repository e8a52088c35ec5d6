/**
 * kyoto task (see docs/).
 * @module
 */
export {};
