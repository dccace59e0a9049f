#!/usr/bin/env node
// The `polarity` executable: kept apart from main.ts so that importing the CLI (tests, library
// users) never runs it, whatever path or symlink the executable is started through.
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
