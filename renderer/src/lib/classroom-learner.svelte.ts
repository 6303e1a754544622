// The learner's class, one per page: the class bar and the join screen share it.
import { api } from './api';
import { LearnerClassState } from './classroom-state.svelte';

export const learnerClass = new LearnerClassState(api);
