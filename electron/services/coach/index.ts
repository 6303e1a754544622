// Live hints from what the learner did: explains, never decides pass or fail.
export { Coach, coach, watchCommands, type CoachInput, type CoachOptions, type CommandWatch, type WatchOptions } from './coach';
export { RULES, type Rule, type RuleContext } from './rules';
