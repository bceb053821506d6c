// What the panel does, for the components: turns the server's pushes into pop-ups, open work and
// lists (pushes.ts, cases.ts, callback-list.ts), and carries out the agent's actions through the API
// (session-flow.ts, request-actions.ts). Components call these functions and render the store.
export { agentText, dismissNote, editors, errorText, note, phoneText } from './panel-state';
export { boot, setLang, signIn, signOut } from './session-flow';
export { closeCase, focusCase, openCase, toggleLinking } from './cases';
export { anotherProblem, customerDecision, discardDraft, linkToExisting, markNumberTold, register, type Decision } from './request-actions';
export { discardCallbacks, refreshCallbacks } from './callback-list';
