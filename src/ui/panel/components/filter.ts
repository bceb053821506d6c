// One filter of a list's filter row: its visible label above its control.
import { h, type VNode } from 'preact';

export const filter = (name: string, label: VNode<any>, control: VNode<any>) => h('div', { class: `filter filter-${name}` }, label, control);
