// The screens, addressed by the URL hash (#/, #/lesson/ID and #/settings).
export type Route = { name: 'home' } | { name: 'lesson'; lessonId: string } | { name: 'settings' };

export function parseRoute(hash: string): Route {
  if (hash === '#/settings') return { name: 'settings' };
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
