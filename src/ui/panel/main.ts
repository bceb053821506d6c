// The agent panel's entry point.
import { h, render } from 'preact';
import { App } from './components/app-view';
import { boot } from './live';

render(h(App, null), document.getElementById('app')!);
void boot();
