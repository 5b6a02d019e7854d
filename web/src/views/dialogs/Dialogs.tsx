// Renders whichever dialog is open.
import { CustomEmojiDialog } from '../../components/emoji/CustomEmojiDialog';
import { ImageViewer } from '../../components/files/ImageViewer';
import { closeDialog, useUi } from '../../store/ui';
import { BrowseChannels } from './BrowseChannels';
import { ChannelDetails } from './ChannelDetails';
import { ConfirmDelete } from './ConfirmDelete';
import { CreateChannel } from './CreateChannel';
import { Invite } from './Invite';
import { NewDm } from './NewDm';
import { Pins } from './Pins';
import { Profile } from './Profile';
import { SlackImportDialog } from '../admin/SlackImport';
import { QuickSwitcher } from './QuickSwitcher';

export function Dialogs() {
  const d = useUi((s) => s.dialog);
  if (!d) return null;
  switch (d.kind) {
    case 'switcher': return <QuickSwitcher />;
    case 'createChannel': return <CreateChannel />;
    case 'browse': return <BrowseChannels />;
    case 'newDm': return <NewDm />;
    case 'profile': return <Profile />;
    case 'invite': return <Invite />;
    case 'details': return <ChannelDetails channelId={d.channelId} tab={d.tab} />;
    case 'pins': return <Pins channelId={d.channelId} />;
    case 'confirmDelete': return <ConfirmDelete message={d.message} />;
    case 'customEmoji': return <CustomEmojiDialog />;
    case 'slackImport': return <SlackImportDialog />;
    case 'images': return <ImageViewer images={d.images} start={d.index} onClose={closeDialog} />;
  }
}
