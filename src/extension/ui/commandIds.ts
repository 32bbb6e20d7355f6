// Command ids of the extension host's own commands (package.json declares the same ids).
export const COMMANDS = {
  train: 'lightNetwork.trainWorkspace',
  cancelTraining: 'lightNetwork.cancelTraining',
  pause: 'lightNetwork.pauseSuggestions',
  resume: 'lightNetwork.resumeSuggestions',
  statistics: 'lightNetwork.showStatistics',
  forgetFile: 'lightNetwork.forgetFile',
  reset: 'lightNetwork.resetMemory',
  settings: 'lightNetwork.openSettings',
  showMenu: 'lightNetwork.showMenu',
} as const;
