// The screens, addressed by the URL hash (#/, #/lesson/ID, #/settings, and the classroom's
// #/classroom for the instructor's dashboard and #/join for a learner).
export type Route = { name: 'home' } | { name: 'lesson'; lessonId: string } | { name: 'settings' } | { name: 'classroom' } | { name: 'join' };

export function parseRoute(hash: string): Route {
  if (hash === '#/settings') return { name: 'settings' };
  if (hash === '#/classroom') return { name: 'classroom' };
  if (hash === '#/join') return { name: 'join' };
  const match = /^#\/lesson\/([^/?#]+)$/.exec(hash);
  if (match?.[1]) {
    try {
      return { name: 'lesson', lessonId: decodeURIComponent(match[1]) };
    } catch {
      return { name: 'home' };
    }
  }
  return { name: 'home' };
}
