// Live hints from what the learner did (commands, and the calls the engine refused): explains, never decides pass or fail.
export {
  Coach,
  coach,
  coachCommands,
  coachRecords,
  type CoachInput,
  type CoachOptions,
  type Coaching,
  type CoachingOptions,
  type EngineCoachInput,
  type Explained,
} from './coach';
export { ENGINE_RULES, type EngineRule, type EngineRuleContext } from './engine-rules';
export { RULES, type Rule, type RuleContext } from './rules';
