/**
 * Schema migrations, applied in order by `migrate()`. Append only: a migration that has shipped is
 * never edited, because databases that already ran it would not run it again.
 */
import { initial } from './001-initial';
import { compressedAssessments } from './002-compressed-assessments';
import { issuedCardTopicDisplay } from './003-issued-card-topic-display';
import { orderAlertKey } from './004-order-alert-key';
import { hookCallsAndVersions } from './005-hook-calls-and-versions';
import { dataQuality } from './006-data-quality';
import { siteModelCalls } from './007-site-model-calls';
import { cardlessAssessments } from './008-cardless-assessments';

export interface Migration {
  /** Increasing integer, also the order of application. */
  id: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  { id: 1, name: 'initial', sql: initial },
  { id: 2, name: 'compressed-assessments', sql: compressedAssessments },
  { id: 3, name: 'issued-card-topic-display', sql: issuedCardTopicDisplay },
  { id: 4, name: 'order-alert-key', sql: orderAlertKey },
  { id: 5, name: 'hook-calls-and-versions', sql: hookCallsAndVersions },
  { id: 6, name: 'data-quality', sql: dataQuality },
  { id: 7, name: 'site-model-calls', sql: siteModelCalls },
  { id: 8, name: 'cardless-assessments', sql: cardlessAssessments },
];
