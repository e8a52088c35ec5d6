/**
 * kyoto io (see docs/).
 * @module
 */
export {};
