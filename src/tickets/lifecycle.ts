// The request rules, one door: commands and transitions, the pure decider, who may do what.
// Each part lives in its own file; import from here.
export * from './commands';
export * from './decision';
export { decide } from './decide';
export * from './permissions';
export * from './actions';
