// The share commands: Share Session (confirm what is shared, make a room and an invite), Join
// Session, Leave Session, Copy Invite, Forget Team Memory, Forget a Collaborator's Memory and
// Remember a Forgotten Collaborator, and the local signaling server.
import * as vscode from 'vscode';
import { createInvite, decodeInvite, encodeInvite, InviteError, type Invite } from '../../share/invite';
import type { SignalingServer } from '../../share/signalingServer';
import type { LightNetworkServices } from '../services';
import { registerCommandTable, type CommandHandlers } from '../ui/commandTable';
import { SHARE_COMMANDS } from './shareCommandIds';
import type { CollaboratorChoice, ShareController } from './shareController';
import { loadShareRuntime } from './shareRuntime';
import { shareSettings } from './shareSettings';

export function registerShareCommands(services: LightNetworkServices, controller: ShareController): vscode.Disposable[] {
  let server: SignalingServer | undefined;

  /** Nothing is shared before the user has seen what and said yes. */
  const confirmSharing = async (action: string): Promise<boolean> => {
    // Peers share text: say so plainly. What goes is the memory's token streams (the words and
    // symbols of the learned files, in order, chunk by chunk), without file names or layout.
    const stats = services.local.stats();
    const chunks = services.local.documentCount;
    const choice = await vscode.window.showWarningMessage(
      `${action}: collaborators will receive the text this workspace's memory learned: ` +
        `${stats.tokens.toLocaleString()} tokens (words and symbols, in order) in ${chunks.toLocaleString()} chunks of files, ` +
        `without file names, and every change to it while the session runs, and the word you are typing. Secrets are cut out and never shared.`,
      { modal: true },
      'Share My Memory',
    );
    return choice === 'Share My Memory';
  };

  const start = async (invite: Invite): Promise<void> => {
    try {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Light Network: starting session' }, () => controller.start(invite));
    } catch (error) {
      services.log.error(`Share: could not start the session: ${error}`);
      void vscode.window.showErrorMessage(`Light Network: could not start the session: ${(error as Error).message}`);
    }
  };

  const copyInvite = async (): Promise<void> => {
    const invite = controller.currentInvite;
    if (!invite) return void vscode.window.showInformationMessage('Light Network: no session is running.');
    await vscode.env.clipboard.writeText(encodeInvite(invite));
    void vscode.window.showInformationMessage('Light Network: invite code copied. Send it to your collaborators over a channel you trust.');
  };

  /** The writer named by a command's argument, or picked by the user among `which`. */
  const pickCollaborator = async (argument: unknown, which: (choice: CollaboratorChoice) => boolean, placeHolder: string, none: string): Promise<CollaboratorChoice | undefined> => {
    const choices = (await controller.collaboratorChoices()).filter(which);
    if (typeof argument === 'string') return choices.find((choice) => choice.writer === argument) ?? { writer: argument, label: argument, forgotten: false };
    if (choices.length === 0) return void vscode.window.showInformationMessage(`Light Network: ${none}`);
    const picked = await vscode.window.showQuickPick(
      choices.map((choice) => ({
        label: choice.label,
        description: choice.writer,
        detail: choice.batches !== undefined ? `${choice.batches} batches in the team memory now` : 'not in this session',
        choice,
      })),
      { placeHolder, matchOnDescription: true },
    );
    return picked?.choice;
  };

  const setForgotten = async (argument: unknown, forgotten: boolean): Promise<void> => {
    const choice = forgotten
      ? await pickCollaborator(argument, (c) => !c.forgotten, 'Whose text should the team memory forget?', 'no collaborator has taught the team memory in this workspace.')
      : await pickCollaborator(argument, (c) => c.forgotten, 'Whose text should the team memory take again?', 'no collaborator is forgotten in this workspace.');
    if (!choice) return;
    let when: 'now' | 'next session';
    try {
      when = forgotten ? await controller.forgetCollaborator(choice.writer) : await controller.rememberCollaborator(choice.writer);
    } catch (error) {
      return void vscode.window.showErrorMessage(`Light Network: ${(error as Error).message}`);
    }
    const later = when === 'next session' ? ' (there is no saved team log to rebuild it from now: from the next session on)' : '';
    void vscode.window.showInformationMessage(
      forgotten
        ? `Light Network: the team memory forgot what ${choice.label} taught it${later}; their batches are refused in this workspace until Remember a Forgotten Collaborator.`
        : `Light Network: the team memory holds what ${choice.label} shared again${later}.`,
    );
  };

  /** Peer to peer, or the team relay when one is set (lightNetwork.share.relay). */
  const pickSharePath = async (signaling: string[], relay: string): Promise<'mesh' | 'relay' | undefined> => {
    if (!relay) return 'mesh';
    const picked = await vscode.window.showQuickPick(
      [
        { label: 'Team relay', description: relay, detail: 'Any number of collaborators; the team memory stays on the relay, encrypted, while nobody is online.', path: 'relay' as const },
        { label: 'Peer to peer', description: signaling.join(', ') || 'no signaling server set', detail: 'Collaborators connect to each other directly (up to about 20).', path: 'mesh' as const },
      ],
      { title: 'Share Session', placeHolder: 'How should collaborators connect?' },
    );
    return picked?.path;
  };

  const alreadySharing = (): boolean => {
    if (controller.state.kind === 'idle') return false;
    void vscode.window.showInformationMessage('Light Network: a session is already running (Leave Session first).');
    return true;
  };

  const commands: CommandHandlers<typeof SHARE_COMMANDS> = {
    [SHARE_COMMANDS.share]: async () => {
      if (alreadySharing()) return;
      const { signaling, relay } = shareSettings();
      const path = await pickSharePath(signaling, relay);
      if (!path) return;
      if (path === 'mesh' && signaling.length === 0) {
        return void vscode.window.showErrorMessage('Light Network: set lightNetwork.share.signaling to a signaling server first (or run Start Signaling Server).');
      }
      let invite: Invite;
      try {
        invite = path === 'relay' ? createInvite([], relay) : createInvite(signaling);
      } catch (error) {
        return void vscode.window.showErrorMessage(`Light Network: ${(error as Error).message}`);
      }
      if (!(await confirmSharing('Share Session'))) return;
      await start(invite);
      if (controller.state.kind === 'active') await copyInvite();
    },
    [SHARE_COMMANDS.join]: async (code?: string) => {
      if (alreadySharing()) return;
      const text =
        typeof code === 'string'
          ? code
          : await vscode.window.showInputBox({
              title: 'Join a Light Network session',
              prompt: 'Paste the invite code you were given',
              ignoreFocusOut: true,
              password: true,
              validateInput: (value) => inviteProblem(value),
            });
      if (!text) return;
      let invite: Invite;
      try {
        invite = decodeInvite(text);
      } catch (error) {
        return void vscode.window.showErrorMessage(`Light Network: ${(error as Error).message}`);
      }
      if (!(await confirmSharing('Join Session'))) return;
      await start(invite);
    },
    [SHARE_COMMANDS.leave]: async () => {
      if (controller.state.kind === 'idle') return void vscode.window.showInformationMessage('Light Network: no session is running.');
      await controller.leave();
      const kept = shareSettings().keepTeamMemoryOnLeave;
      void vscode.window.showInformationMessage(
        kept ? 'Light Network: left the session; the team memory is kept (Forget Team Memory removes it).' : 'Light Network: left the session and forgot the team memory.',
      );
    },
    [SHARE_COMMANDS.copyInvite]: copyInvite,
    [SHARE_COMMANDS.forgetTeam]: async () => {
      if (controller.state.kind !== 'idle') return void vscode.window.showInformationMessage('Light Network: leave the session before forgetting the team memory.');
      await controller.forgetTeam();
      void vscode.window.showInformationMessage('Light Network: team memory forgotten.');
    },
    [SHARE_COMMANDS.forgetCollaborator]: (writer?: unknown) => setForgotten(writer, true),
    [SHARE_COMMANDS.rememberCollaborator]: (writer?: unknown) => setForgotten(writer, false),
    [SHARE_COMMANDS.startServer]: async () => {
      if (server) return void vscode.window.showInformationMessage(`Light Network: the signaling server is running on ${server.url}.`);
      const { serverHost, serverPort, signalingLimits, allowedOrigins, limitNotes } = shareSettings();
      for (const note of limitNotes.filter((line) => line.startsWith('signalingServer.'))) services.log.warn(`Share: setting lightNetwork.share.${note}`);
      try {
        const { startSignalingServer } = loadShareRuntime(services.context);
        server = await startSignalingServer({
          host: serverHost,
          port: serverPort,
          ...signalingLimits,
          allowedOrigins,
          log: (line) => services.log.info(`Share: ${line}`),
        });
        void vscode.window.showInformationMessage(`Light Network: signaling server running on ${server.url} (until this window closes or Stop Signaling Server).`);
      } catch (error) {
        void vscode.window.showErrorMessage(`Light Network: cannot run a signaling server on ${serverHost}:${serverPort}: ${(error as Error).message}`);
      }
    },
    [SHARE_COMMANDS.stopServer]: async () => {
      if (!server) return;
      await server.close();
      server = undefined;
      void vscode.window.showInformationMessage('Light Network: signaling server stopped.');
    },
  };

  return [
    ...registerCommandTable(commands),
    { dispose: () => void server?.close() },
  ];
}

function inviteProblem(value: string): string | undefined {
  if (value.trim() === '') return undefined;
  try {
    decodeInvite(value);
    return undefined;
  } catch (error) {
    return error instanceof InviteError ? error.message : String(error);
  }
}
