// The virtual module made at build time by scripts/lib/vscodeSuitesPlugin.mjs.
declare module 'light-network:vscode-suites' {
  export interface SuiteFile {
    /** Path relative to the repository root, e.g. test/vscode/suites/extension/training.test.ts. */
    file: string;
    load(): Promise<unknown>;
  }
  export const suites: SuiteFile[];
}
