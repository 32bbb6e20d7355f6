// Command ids of the light panel feature (package.json declares the palette's one).
export const LIGHT_PANEL_COMMANDS = {
  show: 'lightNetwork.showLightNetwork',
  /** Not in the palette: lets in-host tests see what the webview last reported. */
  state: 'lightNetwork.lightField.state',
} as const;
