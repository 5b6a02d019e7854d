import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './lib/theme';
import './styles/base.css';
import './styles/auth.css';
import './styles/shell.css';
import './styles/sidebar.css';
import './styles/channel.css';
import './styles/messages.css';
import './styles/markdown.css';
import './styles/composer.css';
import './styles/threads.css';
import './styles/overlays.css';
import './styles/emoji.css';
import './styles/search.css';
import './styles/files.css';
import './styles/settings.css';
import './styles/responsive.css';
import { App } from './App';
import { boot } from './store/session';
import './store/imported';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
void boot();
