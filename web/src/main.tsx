import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './lib/theme';
import './styles/base.css';
import './styles/app.css';
import { App } from './App';
import { boot } from './store/session';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
void boot();
