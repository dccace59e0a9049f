#!/usr/bin/env node
// The `polarity` executable: kept apart from main.ts so that importing the CLI (tests, library
// users) never runs it, whatever path or symlink the executable is started through. The crash
// guards (exit-status.ts) are installed here for the same reason: they end the process.
import { installCrashGuards } from './exit-status.js';
import { main } from './main.js';

installCrashGuards();
process.exitCode = await main(process.argv.slice(2));
