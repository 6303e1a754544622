// Home's groups: the lessons by their part of the course (core, beyond the
// basics, challenges), in that order, each in lesson order; a part without
// lessons is left out.
import { LESSON_PARTS, type LessonPart, type LessonSummary } from '../../../electron/api/types';

export interface LessonGroup {
  part: LessonPart;
  lessons: LessonSummary[];
}

export function groupByPart(lessons: readonly LessonSummary[]): LessonGroup[] {
  const ordered = [...lessons].sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  return LESSON_PARTS.map((part) => ({ part, lessons: ordered.filter((l) => (l.part ?? 'core') === part) })).filter((g) => g.lessons.length > 0);
}
