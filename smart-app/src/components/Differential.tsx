import type { Citation, Contribution, Finding, Hypothesis } from '@rationale/shared-types';
import type { ReactNode } from 'react';
import { CitationList } from './citations';
import { FindingRef, type OpenFinding } from './FindingButton';
import { directionOf, formatLikelihoodRatio } from './format';
import { below, Heading, type HeadingLevel } from './Heading';
import { itemElementId } from './item-focus';
import { FindingTimeline, TrendPlot } from './lazy-plots';
import { timelineFor, trendsFor } from './trends';
import { ProbabilityBar } from './ProbabilityBar';
import { formatProbability } from '@rationale/shared-types/src/format';

export interface DifferentialProps {
  hypotheses: readonly Hypothesis[];
  findings: ReadonlyMap<string, Finding>;
  citations: ReadonlyMap<string, Citation>;
  onOpenFinding: OpenFinding;
  /** The feedback control for one hypothesis, supplied by the page. */
  renderFeedback?: (hypothesis: Hypothesis) => ReactNode;
  /** Heading text; the LLM section reuses this list under its own heading. */
  heading?: string;
  headingId?: string;
  headingLevel?: HeadingLevel;
}

const STATUS_TEXT: Record<Hypothesis['status'], string> = {
  recorded: 'Recorded',
  suggested: 'Suggested: not on the problem list',
  possible: 'Possible: diagnostic criteria not yet met',
  unlikely: 'Unlikely',
};

/** Ranked hypotheses, most probable first, each with the findings that moved it. */
export function Differential({
  hypotheses,
  findings,
  citations,
  onOpenFinding,
  renderFeedback,
  heading = 'Differential',
  headingId = 'differential-heading',
  headingLevel = 2,
}: DifferentialProps) {
  const ranked = [...hypotheses].sort((a, b) => b.posterior - a.posterior);
  return (
    <section aria-labelledby={headingId} className="panel">
      <Heading level={headingLevel} id={headingId}>
        {heading}
      </Heading>
      {ranked.length === 0 ? (
        <p>The model found no condition worth listing from the data available.</p>
      ) : (
        <ol className="hypotheses">
          {ranked.map((hypothesis) => (
            <HypothesisItem
              key={hypothesis.id}
              hypothesis={hypothesis}
              findings={findings}
              citations={citations}
              onOpenFinding={onOpenFinding}
              feedback={renderFeedback?.(hypothesis)}
              level={below(headingLevel)}
            />
          ))}
        </ol>
      )}
    </section>
  );
}

function HypothesisItem({
  hypothesis,
  findings,
  citations,
  onOpenFinding,
  feedback,
  level,
}: {
  level: HeadingLevel;
  hypothesis: Hypothesis;
  findings: ReadonlyMap<string, Finding>;
  citations: ReadonlyMap<string, Citation>;
  onOpenFinding: OpenFinding;
  feedback: ReactNode;
}) {
  const labelId = `hypothesis-${hypothesis.origin}-${hypothesis.id}-label`;
  // Strongest effect first, whichever direction: |log LR| orders raises and lowers on one scale.
  const contributions = [...hypothesis.contributions].sort(
    (a, b) => Math.abs(Math.log(b.likelihoodRatio)) - Math.abs(Math.log(a.likelihoodRatio)),
  );
  const argueFor = contributions.filter((c) => c.likelihoodRatio > 1);
  const argueAgainst = contributions.filter((c) => c.likelihoodRatio < 1);
  const trends = trendsFor(hypothesis, findings);
  const timeline = timelineFor(hypothesis, findings);
  const rows = (list: Contribution[]) =>
    list.map((contribution, index) => (
      <ContributionRow
        key={`${contribution.findingCode}-${index}`}
        contribution={contribution}
        finding={contribution.findingId ? findings.get(contribution.findingId) : undefined}
        citations={citations}
        onOpenFinding={onOpenFinding}
      />
    ));
  return (
    <li
      className="hypothesis"
      aria-labelledby={labelId}
      {...(hypothesis.origin === 'knowledge-model' ? { id: itemElementId(hypothesis.id) } : {})}
      tabIndex={-1}
    >
      <div className="item-head">
        <Heading level={level} id={labelId}>
          {hypothesis.label}
        </Heading>
        <span className={`badge badge-${hypothesis.status}`}>{STATUS_TEXT[hypothesis.status]}</span>
        {hypothesis.stage ? <span className="badge badge-stage">Stage {hypothesis.stage}</span> : null}
      </div>
      <ProbabilityBar label={hypothesis.label} posterior={hypothesis.posterior} prior={hypothesis.prior} />
      <p>{hypothesis.rationale}</p>
      {hypothesis.priorCalibration ? (
        <p className="muted">
          Prior recalibrated to this site: published{' '}
          {formatProbability(hypothesis.priorCalibration.published)}; local{' '}
          {formatProbability(hypothesis.priorCalibration.localEstimate)} (95% interval{' '}
          {formatProbability(hypothesis.priorCalibration.interval[0])}–
          {formatProbability(hypothesis.priorCalibration.interval[1])},{' '}
          {hypothesis.priorCalibration.localPatients} adults); used {formatProbability(hypothesis.prior)}.
        </p>
      ) : null}
      {hypothesis.exclusions?.length ? (
        <p className="exclusion">
          <strong>No card shown: </strong>
          {hypothesis.exclusions.map((r) => r.reason).join('; ')}.
        </p>
      ) : null}
      {hypothesis.criteria ? (
        <p className="criteria">
          <strong>
            {hypothesis.criteria.met ? 'Diagnostic criteria met: ' : 'Diagnostic criteria not met: '}
          </strong>
          {hypothesis.criteria.description}
        </p>
      ) : null}
      {contributions.length > 0 ? (
        <div className="for-against">
          <div>
            <Heading level={below(level)}>What argues for it</Heading>
            {argueFor.length > 0 ? (
              <ul className="contributions" aria-label={`For ${hypothesis.label}`}>
                {rows(argueFor)}
              </ul>
            ) : (
              <p className="muted">Nothing in the record raises it above its prior.</p>
            )}
          </div>
          <div>
            <Heading level={below(level)}>What argues against it</Heading>
            {argueAgainst.length > 0 ? (
              <ul className="contributions" aria-label={`Against ${hypothesis.label}`}>
                {rows(argueAgainst)}
              </ul>
            ) : (
              <p className="muted">
                Nothing in the record argues against it (no normal result or absent finding that the model
                weighs).
              </p>
            )}
          </div>
        </div>
      ) : null}
      {trends.length > 0 ? (
        <>
          <Heading level={below(level)}>Trends</Heading>
          <div className="trend-grid">
            {trends.map((series) => (
              <TrendPlot key={series.analyte} series={series} onOpenFinding={onOpenFinding} />
            ))}
          </div>
        </>
      ) : null}
      {timeline.length > 1 ? (
        <>
          <Heading level={below(level)}>When the findings were recorded</Heading>
          <FindingTimeline entries={timeline} onOpenFinding={onOpenFinding} label={hypothesis.label} />
        </>
      ) : null}
      <CitationList ids={hypothesis.citationIds} citations={citations} />
      {feedback}
    </li>
  );
}

const DIRECTION_TEXT = { raises: 'Raises', lowers: 'Lowers', neutral: 'No change' } as const;
const DIRECTION_ICON = { raises: '▲', lowers: '▼', neutral: '•' } as const;

function ContributionRow({
  contribution,
  finding,
  citations,
  onOpenFinding,
}: {
  contribution: Contribution;
  finding: Finding | undefined;
  citations: ReadonlyMap<string, Citation>;
  onOpenFinding: OpenFinding;
}) {
  const direction = directionOf(contribution.likelihoodRatio);
  return (
    <li className={`contribution contribution-${direction}`}>
      <span className="effect">
        <span aria-hidden="true">{DIRECTION_ICON[direction]} </span>
        {DIRECTION_TEXT[direction]} {formatLikelihoodRatio(contribution.likelihoodRatio)}
      </span>{' '}
      {finding ? (
        <FindingRef finding={finding} onOpen={onOpenFinding} />
      ) : contribution.present ? (
        <span>{contribution.label}</span>
      ) : (
        <span>
          {contribution.label} <span className="muted">(absent from the record)</span>
        </span>
      )}
      {contribution.group ? (
        <span className="muted"> · counted once in group “{contribution.group}”</span>
      ) : null}
      {contribution.lrCalibration ? (
        <LrCalibrationNote
          calibration={contribution.lrCalibration}
          sources={sourcesOf(contribution, citations)}
        />
      ) : null}
    </li>
  );
}

/** The sources of a contribution's published LR, briefly: "American Diabetes Association 2025". */
function sourcesOf(contribution: Contribution, citations: ReadonlyMap<string, Citation>): string {
  return contribution.citationIds
    .map((id) => citations.get(id))
    .map((c) => (c ? `${c.authors ?? c.title} ${c.year}` : undefined))
    .filter((s): s is string => s !== undefined)
    .join('; ');
}

/** A likelihood ratio re-estimated at the site: the published value and source, the local estimate. */
function LrCalibrationNote({
  calibration,
  sources,
}: {
  calibration: NonNullable<Contribution['lrCalibration']>;
  sources: string;
}) {
  const lr = (x: number) => formatLikelihoodRatio(x).slice(1);
  return (
    <span className="muted lr-calibration">
      {' '}
      · recalibrated to this site: published LR {lr(calibration.published)}
      {sources ? ` (${sources})` : ''}; local {lr(calibration.localEstimate)} (95% interval{' '}
      {lr(calibration.interval[0])}–{lr(calibration.interval[1])}, {calibration.cases} with the condition,{' '}
      {calibration.nonCases} without)
    </span>
  );
}
