import { center } from '/app.js';
center();
