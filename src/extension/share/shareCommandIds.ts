// Command ids of the share feature (package.json declares the same ids).
export const SHARE_COMMANDS = {
  share: 'lightNetwork.shareSession',
  join: 'lightNetwork.joinSession',
  leave: 'lightNetwork.leaveSession',
  copyInvite: 'lightNetwork.copyInvite',
  forgetTeam: 'lightNetwork.forgetTeamMemory',
  forgetCollaborator: 'lightNetwork.forgetCollaborator',
  rememberCollaborator: 'lightNetwork.rememberCollaborator',
  startServer: 'lightNetwork.startSignalingServer',
  stopServer: 'lightNetwork.stopSignalingServer',
} as const;
