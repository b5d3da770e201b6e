import type { EnvReader } from '../../domain/env-reader.js';

/**
 * WEB_CHAT: `on`, `off`, or `auto` (on beside the sandbox when no chat platform is configured).
 * The composition decides `auto`, and refuses `on` beside real Azure: the web chat has no sign-in.
 */
export function readWebChatSetting(read: EnvReader): 'auto' | 'on' | 'off' {
  return read.oneOf('WEB_CHAT', ['auto', 'on', 'off'] as const, 'auto');
}
