// Reads a mocha spec-reporter log and prints its counts as JSON {passed, failed, skipped}.
// A log without mocha's summary (mocha crashed before reporting) counts as one failure.
import { readFileSync } from 'node:fs';

const text = readFileSync(process.argv[2], 'utf8').replace(/\u001b\[[0-9;]*m/g, '');
const count = (word) => {
  const matches = [...text.matchAll(new RegExp(`^\\s*(\\d+) ${word}\\b`, 'gm'))];
  return matches.length ? Number(matches[matches.length - 1][1]) : 0;
};
const hasSummary = /^\s*\d+ passing\b/m.test(text);
console.log(
  JSON.stringify({ passed: count('passing'), failed: hasSummary ? count('failing') : 1, skipped: count('pending') }),
);
