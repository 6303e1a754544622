// Live hints from what the learner did: explains, never decides pass or fail.
export { Coach, coach, coachCommands, type CoachInput, type CoachOptions, type Coaching, type CoachingOptions } from './coach';
export { RULES, type Rule, type RuleContext } from './rules';
