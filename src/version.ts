// The release this code is: package.json's version (semver; CHANGELOG.md lists what each release
// changed). Bundled in by esbuild, so `npm start` reports the same as the sources.
import pkg from '../package.json';

export const VERSION: string = pkg.version;
