// The top of the tree: which screen the person sees.
import { useEffect } from 'react';
import { useRoute } from './lib/router';
import { useStore } from './store/store';
import { AuthScreen } from './views/AuthScreen';
import { EnrolScreen } from './views/auth/EnrolScreen';
import { ForgotPassword, ResetPassword } from './views/auth/PasswordReset';
import { SetupScreen } from './views/SetupScreen';
import { WorkspaceView } from './views/WorkspaceView';
import { loadEmoji } from './emoji/emoji';

export function App() {
  const phase = useStore((s) => s.phase);
  const bootError = useStore((s) => s.bootError);
  const route = useRoute();

  useEffect(() => {
    if (phase === 'ready') void loadEmoji();
  }, [phase]);

  if (phase === 'boot') {
    return (
      <div className="splash" role="status" aria-live="polite">
        <div className="splash__logo" aria-hidden="true" />
        <p>{bootError ? `${bootError} Retrying…` : 'Loading Parley…'}</p>
      </div>
    );
  }
  if (phase === 'setup') return <SetupScreen />;
  // A reset link works whoever is signed in on this browser: it is about the link's account.
  if (route.name === 'resetPassword') return <ResetPassword token={route.token} />;
  if (phase === 'enrol') return <EnrolScreen />;
  if (phase === 'signedOut' && route.name === 'forgotPassword') return <ForgotPassword />;
  if (phase === 'signedOut') return <AuthScreen mode={route.name === 'signup' ? 'signup' : 'login'} invite={route.name === 'signup' ? route.invite : null} />;
  return <WorkspaceView />;
}
