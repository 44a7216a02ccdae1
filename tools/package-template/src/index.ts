/**
 * @deepspike/__NAME__ — __DESCRIPTION__
 * @packageDocumentation
 */
export {};
