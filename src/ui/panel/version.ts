// The release the panel was built from: put in by the build (esbuild `define`, src/ui/build.ts).
declare const __CALLDESK_VERSION__: string | undefined;

export const VERSION: string = typeof __CALLDESK_VERSION__ === 'string' ? __CALLDESK_VERSION__ : 'dev';
