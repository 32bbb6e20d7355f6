// Prints the weekly report for the harbour master: watches, tides and lamp faults.
'use strict';

const WEEK = 7 * 24 * 60 * 60 * 1000;

function parseArguments(argv) {
  const options = { week: 1, year: new Date().getUTCFullYear() };
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--week') options.week = Number(argv[++i]);
    else if (argv[i] === '--year') options.year = Number(argv[++i]);
    else throw new Error(`unknown option: ${argv[i]}`);
  }
  if (!Number.isInteger(options.week) || options.week < 1 || options.week > 53) {
    throw new Error('--week must be a whole number from 1 to 53');
  }
  return options;
}

function weekStart(year, week) {
  const januaryFirst = Date.UTC(year, 0, 1);
  return new Date(januaryFirst + (week - 1) * WEEK);
}

function printSection(title, lines) {
  console.log(`\n${title}`);
  console.log('-'.repeat(title.length));
  for (const line of lines) console.log(line);
  if (lines.length === 0) console.log('(none)');
}

function main() {
  const options = parseArguments(process.argv.slice(2));
  const start = weekStart(options.year, options.week);
  const end = new Date(start.getTime() + WEEK);
  console.log(`Harbour Light, week ${options.week} of ${options.year}`);
  printSection('Watches', []);
  printSection('Tides', []);
  printSection('Lamp faults', []);
  console.log(`\nReport covers ${start.toISOString().slice(0, 10)} to ${end.toISOString().slice(0, 10)}.`);
}

main();
