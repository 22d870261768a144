// Lets a command-line script import the app's server modules as the build does: `$lib/…` is
// src/lib/…, and `…?raw` is the file's text (the breached-password list). Registered with
// `node --import ./scripts/lib/app-modules.js --import tsx …` (see `npm run setup`).
import { register } from 'node:module';

register('./app-modules-hooks.js', import.meta.url);
