/**
 * Entry of `index.html`, the redirect URI. Composition root: the one `ready()` promise, the API
 * base (same origin `/api`, or `VITE_RATIONALE_API_BASE` at build time) and React Query.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createRationaleApi } from './api/rationale-api';
import { fetchJson, type SmartSession } from './launch/smart-session';
import { smartSession } from './launch/ready';
import { App } from './pages/App';
import './styles.css';

const apiBase = new URL(import.meta.env.VITE_RATIONALE_API_BASE || '/api', window.location.href).href;
const createApi = (session: SmartSession) =>
  createRationaleApi({ baseUrl: apiBase, accessToken: () => session.accessToken() });
const loadSession = () => smartSession;

const queryClient = new QueryClient({ defaultOptions: { queries: { refetchOnWindowFocus: false } } });

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App loadSession={loadSession} createApi={createApi} fetchJson={fetchJson} />
    </QueryClientProvider>
  </StrictMode>,
);
