// What a password must be; checked by the API schema (wire/agent.ts) before anything is hashed.
export const MIN_PASSWORD_LENGTH = 8;
