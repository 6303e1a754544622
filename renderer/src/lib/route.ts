// The two screens, addressed by the URL hash (#/ and #/lesson/ID).
export type Route = { name: 'home' } | { name: 'lesson'; lessonId: string };

export function parseRoute(hash: string): Route {
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
