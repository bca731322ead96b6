import type { ModelCard, SiteModelCard } from '@rationale/shared-types';
import type { ReactNode } from 'react';
import { shortHash } from './format';
import { citationHref, ExternalLink } from './citations';

type Attribute = keyof ModelCard['demographicAndSocialInputs'];

const ATTRIBUTE_TEXT: Record<Attribute, string> = {
  race: 'Race',
  ethnicity: 'Ethnicity',
  language: 'Language',
  sexualOrientation: 'Sexual orientation',
  genderIdentity: 'Gender identity',
  sex: 'Sex',
  dateOfBirth: 'Date of birth (age)',
  socialDeterminantsOfHealth: 'Social determinants of health',
  healthStatusAssessments: 'Health status assessments',
};

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="field-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function List({ items }: { items: readonly string[] }) {
  return items.length === 0 ? (
    <>None stated</>
  ) : (
    <ul>
      {items.map((item) => (
        <li key={item}>{item}</li>
      ))}
    </ul>
  );
}

/**
 * The model card: the ONC HTI-1 source attributes for a decision support intervention
 * (45 CFR 170.315(b)(11)(iv)), as the service publishes them.
 */
export function ModelCardView({ card }: { card: ModelCard }) {
  const attributes = Object.entries(card.demographicAndSocialInputs) as [
    Attribute,
    { used: boolean; how?: string },
  ][];
  return (
    <div className="model-card">
      <dl className="resource-fields">
        <Row label="Model">
          {card.name} {card.version} (knowledge base {shortHash(card.knowledgeBaseHash)}), released{' '}
          {card.releaseDate}
        </Row>
        <Row label="Developer">
          {card.developer.name} · {card.developer.contact}
        </Row>
        <Row label="Funding">{card.fundingSource}</Row>
        <Row label="Type">{card.interventionType}</Row>
        <Row label="Output">{card.outputDescription}</Row>
        <Row label="Intended use">{card.intendedUse}</Row>
        <Row label="Intended users">
          <List items={card.intendedUsers} />
        </Row>
        <Row label="Intended population">{card.intendedPopulation}</Row>
        <Row label="Role in decisions">{card.decisionRole}</Row>
        <Row label="Cautioned out-of-scope uses">
          <List items={card.cautionedOutOfScopeUses} />
        </Row>
        <Row label="Known limitations">
          <List items={card.knownLimitations} />
        </Row>
        <Row label="Known risks">
          <List items={card.knownRisks} />
        </Row>
        <Row label="Inputs used">
          <ul>
            {card.inputs.map((input) => (
              <li key={input.name}>
                <strong>{input.name}</strong>: {input.description}
              </li>
            ))}
          </ul>
        </Row>
      </dl>
      <table className="attributes">
        <caption>Demographic and social attributes among the inputs</caption>
        <thead>
          <tr>
            <th scope="col">Attribute</th>
            <th scope="col">Used</th>
            <th scope="col">How</th>
          </tr>
        </thead>
        <tbody>
          {attributes.map(([key, use]) => (
            <tr key={key}>
              <th scope="row">{ATTRIBUTE_TEXT[key]}</th>
              <td>{use.used ? 'Yes' : 'No'}</td>
              <td>{use.how ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="resource-fields">
        <Row label="Fairness">{card.fairness}</Row>
        <Row label="Validation">
          <p>{card.validation.description}</p>
          {card.validation.results.length > 0 ? (
            <ul>
              {card.validation.results.map((result) => (
                <li key={`${result.metric}-${result.dataset}`}>
                  {result.metric}: {result.value} ({result.dataset})
                </li>
              ))}
            </ul>
          ) : null}
        </Row>
        <Row label="Maintenance">
          {card.maintenance} Updates: {card.updateSchedule}
        </Row>
        {card.siteModels?.length ? (
          <Row label="Site models">
            {card.siteModels.map((m) => (
              <SiteModelCardView key={m.id} model={m} />
            ))}
          </Row>
        ) : null}
        <Row label="AI reasoner (LLM)">
          {card.llm.enabled
            ? `Enabled${card.llm.model ? `: ${card.llm.model}` : ''}${card.llm.role ? `. ${card.llm.role}` : ''}`
            : 'Not enabled'}
        </Row>
        {card.evidence.length > 0 ? (
          <Row label="Evidence">
            <ul>
              {card.evidence.map((citation) => {
                const href = citationHref(citation);
                return (
                  <li key={citation.id}>
                    {href ? <ExternalLink href={href}>{citation.title}</ExternalLink> : citation.title}
                  </li>
                );
              })}
            </ul>
          </Row>
        ) : null}
      </dl>
    </div>
  );
}

/** Labels of a site model's HTI-1 source attributes, in the order the card shows them. */
const SOURCE_ATTRIBUTES: ReadonlyArray<[keyof SiteModelCard['sourceAttributes'], string]> = [
  ['developer', 'Developer'],
  ['fundingSource', 'Funding'],
  ['outputDescription', 'Output'],
  ['intendedUsers', 'Intended users'],
  ['intendedPopulation', 'Intended population'],
  ['cautionedOutOfScopeUses', 'Cautioned out-of-scope uses'],
  ['trainingData', 'Training data'],
  ['validation', 'Validation'],
  ['fairness', 'Fairness'],
  ['knownLimitations', 'Known limitations'],
  ['knownRisks', 'Known risks'],
  ['updateSchedule', 'Updates'],
];

/** A site's own model: its HTI-1 source attributes as its owner declared them, and what it reads. */
function SiteModelCardView({ model }: { model: SiteModelCard }) {
  return (
    <section aria-label={`Site model ${model.id}`}>
      <h4>
        {model.id} {model.version} ({model.mode === 'silent' ? 'silent: raises no card' : 'live'},{' '}
        {model.runtime})
      </h4>
      <dl className="resource-fields">
        <Row label="Owner">{model.owner}</Row>
        <Row label="Intended use">{model.intendedUse}</Row>
        {SOURCE_ATTRIBUTES.map(([key, label]) => {
          const value = model.sourceAttributes[key];
          if (value === undefined) return null;
          return (
            <Row key={key} label={label}>
              {typeof value === 'string' ? value : <List items={value} />}
            </Row>
          );
        })}
        <Row label="Inputs">
          <List items={model.inputs.map((i) => `${i.name}: ${i.description}`)} />
        </Row>
        <Row label="Outputs">
          <List items={model.outputs.map((o) => `${o.label}: ${o.thresholds}`)} />
        </Row>
      </dl>
    </section>
  );
}
