/**
 * Entry of `launch.html`: the SMART launch URL. Reads the build-time client-id overrides and
 * starts the launch with the real fhirclient.
 */
import FHIR from 'fhirclient';
import { parseClientIdMap } from './config';
import { isInFrame, redirectUriFor } from './launch';
import { runLaunchPage } from './launch-page';

const root = document.getElementById('root');
if (!root) throw new Error('launch.html has no #root element');

void runLaunchPage(root, {
  search: new URLSearchParams(window.location.search),
  authorize: (options) => FHIR.oauth2.authorize(options),
  redirectUri: redirectUriFor(window.location.href),
  inFrame: isInFrame(window),
  newStateKey: () => crypto.randomUUID(),
  clientIds: parseClientIdMap(import.meta.env.VITE_RATIONALE_CLIENT_IDS),
});
