import { describe, expect, it } from 'vitest';
import { initialPageFiles } from './page-files';

describe('initialPageFiles', () => {
  it('lists the entry, its static imports and their styles, but no lazy chunk', () => {
    const files = initialPageFiles({
      'index.html': { file: 'assets/index-1.js', isEntry: true, imports: ['_vendor.js'], css: ['assets/index-1.css'] },
      '_vendor.js': { file: 'assets/vendor-2.js', css: ['assets/vendor-2.css'], imports: ['index.html'] },
      'src/components/LessonView.svelte': { file: 'assets/LessonView-3.js', imports: ['index.html'], css: ['assets/LessonView-3.css'] },
    });
    expect(files).toEqual({ scripts: ['assets/index-1.js', 'assets/vendor-2.js'], styles: ['assets/index-1.css', 'assets/vendor-2.css'] });
  });

  it('refuses a manifest without an entry', () => {
    expect(() => initialPageFiles({ 'a.js': { file: 'assets/a.js' } })).toThrow('no entry');
  });
});
