/**
 * kyoto signal (see docs/).
 * @module
 */
export {};
