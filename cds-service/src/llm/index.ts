export type { LlmEnricher } from './types';
export {
  createLlmEnricher,
  DEFAULT_LLM_TIMINGS,
  type LlmSettings,
  type LlmDeps,
  type LlmLogger,
} from './enricher';
export type { LlmEndpoint } from './openai-reasoner';
export { PROMPT_VERSION } from './prompt';
export { knowledgeModelReasoner, type Reasoner } from './reasoner';
