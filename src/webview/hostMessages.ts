// Where each message from the host goes: one handler method per message type. A new message type
// is a new case here and a new method on the handler.
import { unpackField, type LightField } from '../lightfield/packing';
import type { FieldSettings, HostToWebview, PeerMessage, PredictionMessage } from '../protocol/lightMessages';
import type { WordDescription } from './descriptions';

export interface HostMessageHandler {
  settings(settings: FieldSettings): void;
  /** `grew`: the field grew from training or the team (the backlight swells). */
  field(field: LightField, changedAt: number, grew: boolean): void;
  ignite(word: string, predictions: PredictionMessage[]): void;
  peers(peers: PeerMessage[]): void;
  lightPath(phrase: string): void;
  description(word: string, description: WordDescription): void;
  error(message: string): void;
}

export function dispatchHostMessage(message: HostToWebview, to: HostMessageHandler): void {
  switch (message.type) {
    case 'settings':
      return to.settings(message.settings);
    case 'field':
      return to.field(unpackField(message.bytes), message.changedAt, message.source === 'training' || message.source === 'team');
    case 'ignite':
      return to.ignite(message.word, message.predictions);
    case 'peers':
      return to.peers(message.peers);
    case 'lightPath':
      return to.lightPath(message.phrase);
    case 'description': {
      const { type, requestId, word, ...description } = message;
      return to.description(word, description);
    }
    case 'error':
      return to.error(message.message);
  }
}
