// The one table of which settings need what reaction when they change (config.ts's
// onSettingsChange delivers them). No vscode import, so unit tests check it against package.json.

/** What a change of a setting needs beyond being read fresh the next time it is used. */
export type SettingsReaction = keyof typeof SETTING_REACTIONS;

/**
 * The settings whose change needs more than a fresh read, by reaction. The others: completions.*
 * apply to the next completion, memory.budgetMB to the next training, training.onStartup to the
 * next start, training.workers when the worker pool starts (after a window reload), share.* to
 * the next session.
 */
export const SETTING_REACTIONS = {
  /** What may be learned changed: an incremental training learns what is now included and drops what is not. */
  relearn: ['lightNetwork.exclude', 'lightNetwork.training.maxFileSizeKB', 'files.exclude'],
  /** How many words the light field draws: a new snapshot. */
  rebuildLightField: ['lightNetwork.lightField.neurons'],
  /** The light panel's options (its neuron limit, reduced motion) are sent to it again. */
  lightFieldOptions: ['lightNetwork.lightField.neurons', 'workbench.reduceMotion'],
} as const satisfies Record<string, readonly string[]>;

