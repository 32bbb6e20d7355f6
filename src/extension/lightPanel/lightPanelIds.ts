// Command ids of the light panel feature (package.json declares the palette's one).
export const LIGHT_PANEL_COMMANDS = {
  show: 'lightNetwork.showLightNetwork',
  /** Not in the palette: lets in-host tests see what the webview last reported. */
  state: 'lightNetwork.lightField.state',
  /** Not in the palette: Ask the Memory lights its phrase in the field this way, when the panel is open. */
  lightPath: 'lightNetwork.lightField.lightPath',
} as const;
