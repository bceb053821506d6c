// An AMI message as asterisk-manager hands it over: header keys lower-cased; a key sent twice
// becomes an array; `Variable`/`ChanVariable` headers become an object of name → value.
export type RawAmiValue = string | string[] | Record<string, string>;
export type RawAmiMessage = Record<string, RawAmiValue | undefined>;
