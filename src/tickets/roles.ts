// The staff roles, declared once: the database, HTTP, sockets and the rules all read them from here.
// What each role may do to a request is `authorize` (lifecycle.ts).
export const ROLES = ['agent', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];
