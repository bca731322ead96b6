/**
 * The switch the in-memory stores share within one test: while `down`, every call rejects with
 * `store-unavailable`, as the PostgreSQL store does when its database does not answer.
 */
import { CdsError } from '../../errors';

export interface Outage {
  down: boolean;
}

/** Resolves while the database is up; rejects as an unavailable database otherwise. */
export async function whileUp(outage: Outage): Promise<void> {
  if (outage.down) throw new CdsError('store-unavailable', 'The database is unavailable');
}
