import { EXCLUSIONS, type Exclusion, type ExclusionId } from './exclusions/table';
import { RULE_EXCLUSIONS, type RuleExclusions } from './knowledge/treatment/rule-exclusions';
import { KNOWLEDGE_BASE_HASH, knowledgeData, knowledgeHash } from './provenance';
import { TERMINOLOGY_TABLE } from './terminology';

const data = knowledgeData() as Record<string, unknown>;

describe('the knowledge-base hash covers the exclusions and the terminology table', () => {
  it('hashes the exclusion declarations, the rules’ exclusion lists and the generated terminology table', () => {
    expect(data.exclusions).toBe(EXCLUSIONS);
    expect(data.ruleExclusions).toBe(RULE_EXCLUSIONS);
    expect(data.terminology).toBe(TERMINOLOGY_TABLE);
    expect(knowledgeHash(data)).toBe(KNOWLEDGE_BASE_HASH);
  });

  it('changes when an exclusion declaration changes (its evidence or its source)', () => {
    const edited = new Map<ExclusionId, Exclusion>(EXCLUSIONS);
    const hospice = EXCLUSIONS.get('hospice') as Exclusion;
    edited.set('hospice', { ...hospice, citationIds: [...hospice.citationIds, 'another-source'] });
    expect(knowledgeHash({ ...data, exclusions: edited })).not.toBe(KNOWLEDGE_BASE_HASH);
  });

  it('changes when a rule drops one of its exclusions', () => {
    const edited = new Map<string, RuleExclusions>(RULE_EXCLUSIONS);
    const [ruleId, declared] = [...RULE_EXCLUSIONS].find(([, d]) => d.exclusions.length > 1) as [
      string,
      RuleExclusions,
    ];
    edited.set(ruleId, { ...declared, exclusions: declared.exclusions.slice(1) });
    expect(knowledgeHash({ ...data, ruleExclusions: edited })).not.toBe(KNOWLEDGE_BASE_HASH);
  });

  it('changes when the terminology table’s source commit or a value set’s version changes', () => {
    const [oid, vs] = Object.entries(TERMINOLOGY_TABLE.valueSets)[0] as [
      string,
      { title: string; version: string; expansion: string },
    ];
    const versioned = {
      ...TERMINOLOGY_TABLE,
      valueSets: { ...TERMINOLOGY_TABLE.valueSets, [oid]: { ...vs, version: `${vs.version}1` } },
    };
    expect(knowledgeHash({ ...data, terminology: versioned })).not.toBe(KNOWLEDGE_BASE_HASH);
    const recommitted = {
      ...TERMINOLOGY_TABLE,
      source: { ...TERMINOLOGY_TABLE.source, commit: '0'.repeat(40) },
    };
    expect(knowledgeHash({ ...data, terminology: recommitted })).not.toBe(KNOWLEDGE_BASE_HASH);
  });
});
