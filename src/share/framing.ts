// Splits data-channel messages into frames and reassembles them under a size cap. Native WebRTC
// for Node caps one message at 256 KiB and y-webrtc sends a whole document in one message on first
// sync, so without framing a memory of more than ~10k n-grams never syncs (HARNESS.md).
// Frame = one flag byte (bit 0: last frame of the message) + payload. Channels are reliable and
// ordered, so frames of one message arrive contiguously. Every frame but a message's last is full,
// so the receiver refuses any other: the byte cap then bounds the number of parts held too (empty
// or tiny frames would otherwise pile up without adding to the byte count).

export const FRAME_BYTES = 64 * 1024;
const FLAG_LAST = 1;

export class FrameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrameError';
  }
}

export function splitIntoFrames(message: Uint8Array, frameBytes = FRAME_BYTES): Uint8Array[] {
  const payloadBytes = frameBytes - 1;
  const frames: Uint8Array[] = [];
  let offset = 0;
  do {
    const end = Math.min(offset + payloadBytes, message.byteLength);
    const frame = new Uint8Array(1 + end - offset);
    frame[0] = end === message.byteLength ? FLAG_LAST : 0;
    frame.set(message.subarray(offset, end), 1);
    frames.push(frame);
    offset = end;
  } while (offset < message.byteLength);
  return frames;
}

export class FrameAssembler {
  private parts: Uint8Array[] = [];
  private size = 0;

  constructor(
    private readonly maxMessageBytes: number,
    private readonly frameBytes = FRAME_BYTES,
  ) {}

  /** Frames of the message being assembled so far. */
  get pendingFrames(): number {
    return this.parts.length;
  }

  /** Bytes of the message being assembled so far. */
  get pendingBytes(): number {
    return this.size;
  }

  /** Returns the whole message when `frame` was its last one. Throws FrameError past the cap. */
  push(frame: Uint8Array): Uint8Array | undefined {
    if (frame.byteLength === 0) throw new FrameError('empty frame');
    const flags = frame[0];
    if ((flags & ~FLAG_LAST) !== 0) throw new FrameError(`unknown frame flags ${flags}`);
    const payload = frame.subarray(1);
    if ((flags & FLAG_LAST) === 0 && frame.byteLength !== this.frameBytes) {
      this.reset();
      throw new FrameError(`a frame of ${frame.byteLength} bytes before the last of its message (all but the last are ${this.frameBytes})`);
    }
    this.size += payload.byteLength;
    if (this.size > this.maxMessageBytes) {
      this.reset();
      throw new FrameError(`message larger than the ${this.maxMessageBytes}-byte cap`);
    }
    this.parts.push(payload);
    if ((flags & FLAG_LAST) === 0) return undefined;
    const message = concatParts(this.parts, this.size);
    this.reset();
    return message;
  }

  reset(): void {
    this.parts = [];
    this.size = 0;
  }
}

function concatParts(parts: Uint8Array[], size: number): Uint8Array {
  if (parts.length === 1) return parts[0].slice();
  const message = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    message.set(part, offset);
    offset += part.byteLength;
  }
  return message;
}
