import { render } from 'preact';
import { Desk } from './Desk.js';

const root = document.getElementById('desk');
if (root) {
  root.replaceChildren();
  render(<Desk />, root);
}
