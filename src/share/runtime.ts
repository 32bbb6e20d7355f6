// The share session's heavy half (yjs, y-webrtc, simple-peer, ws), bundled on its own as
// dist/shareRuntime.js so the extension host loads it only when a session or server starts.
export { ShareSession } from './session';
export { startSignalingServer } from './signalingServer';
export { rebuildTeamFromLog } from './offlineTeam';
