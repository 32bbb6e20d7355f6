// Headless Chromium through playwright-core, with the flags measured to run VS Code's web
// workbench and WebGL (SwiftShader) on this kind of machine. Each launch gets a fresh profile.
import { chromium, type Browser } from 'playwright-core';
import { chromiumPath, requireInstalled } from './paths';

export const chromiumFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--enable-unsafe-swiftshader', // WebGL/WebGL2 in software; never --use-gl=swiftshader (breaks WebGL)
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  requireInstalled();
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [...chromiumFlags, ...extraArgs],
  });
}
