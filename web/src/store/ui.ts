// Which dialog or popover is open. One at a time, like Slack.
import type { FileInfo, Message } from '@parley/protocol';
import { create } from 'zustand';

export type Dialog =
  | { kind: 'switcher' }
  | { kind: 'createChannel' }
  | { kind: 'browse' }
  | { kind: 'newDm' }
  | { kind: 'profile' }
  | { kind: 'invite' }
  | { kind: 'details'; channelId: string; tab: 'about' | 'members' }
  | { kind: 'pins'; channelId: string }
  | { kind: 'confirmDelete'; message: Message }
  | { kind: 'customEmoji' }
  | { kind: 'slackImport' }
  /** A message's images in the full-size viewer, open at `index`. */
  | { kind: 'images'; images: FileInfo[]; index: number };

export const useUi = create<{ dialog: Dialog | null }>()(() => ({ dialog: null }));
export const openDialog = (dialog: Dialog) => useUi.setState({ dialog });
export const closeDialog = () => useUi.setState({ dialog: null });
